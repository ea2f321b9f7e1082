"""Users, member profiles and membership types. No business rules here (see services)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imaportal.validation import currency_code, date_in_supported_range, visible_text
from members.choices import CertificationStatus


class UserManager(DjangoUserManager["User"]):
    """A user manager for accounts whose login is the email address (no username)."""

    use_in_migrations = True

    def _create_user_with_email(
        self, email: str, password: str | None, **extra_fields: Any
    ) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user_with_email(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user_with_email(email, password, **extra_fields)


class User(AbstractUser):
    """A login. Members have a ``member`` profile; staff reviewers usually do not."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("email",)

    def __str__(self) -> str:
        return self.email


class MembershipType(models.Model):
    """A kind of membership with the annual dues rate staff set for it."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[visible_text])
    annual_dues = models.DecimalField(_("annual dues"), max_digits=10, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[currency_code]
    )

    class Meta:
        verbose_name = _("membership type")
        verbose_name_plural = _("membership types")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(annual_dues__gte=0), name="membershiptype_dues_not_negative"
            )
        ]

    def __str__(self) -> str:
        return str(self.name)


class Member(models.Model):
    """A member's profile. ``status`` is written by the certification-status engine and is
    empty until it has first been computed for the member."""

    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="member", verbose_name=_("user")
    )
    # Unique through Meta.constraints rather than unique=True: on PostgreSQL unique=True
    # also builds a varchar_pattern_ops index for LIKE, which no query here uses and
    # which every status write of the nightly recompute would have to update.
    member_number = models.CharField(_("member number"), max_length=12)
    birth_date = models.DateField(_("birth date"), validators=[date_in_supported_range])
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    membership_type = models.ForeignKey(
        MembershipType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("membership type"),
    )
    certified_on = models.DateField(
        _("CMA certified on"),
        null=True,
        blank=True,
        help_text=_("Date the CMA exam was completed; empty for members who are not CMAs."),
        validators=[date_in_supported_range],
    )
    dues_paid_through = models.DateField(
        _("dues paid through"), null=True, blank=True, validators=[date_in_supported_range]
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the portal's pages and emails for this member."),
    )
    status = models.CharField(
        _("certification status"),
        max_length=20,
        choices=CertificationStatus.choices,
        blank=True,
        default="",
    )
    status_valid_until = models.DateField(
        _("status valid until"),
        null=True,
        blank=True,
        help_text=_(
            "The first day the stored status may change by the calendar alone; empty when it "
            "must be recomputed (new facts or never computed)."
        ),
    )
    joined_on = models.DateField(
        _("member since"), default=timezone.localdate, validators=[date_in_supported_range]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        # Only displayed, never filtered on; an index would cost every status write.
        db_index=False,
    )

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ("member_number",)
        constraints = [
            models.UniqueConstraint(fields=["member_number"], name="members_member_number_unique"),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["certified_on"]),
            models.Index(fields=["status_valid_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.member_number} {self.full_name}"

    @property
    def first_name(self) -> str:
        return self.user.first_name

    @property
    def last_name(self) -> str:
        return self.user.last_name

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def full_name(self) -> str:
        return self.user.get_full_name()


class DuesPayment(models.Model):
    """A dues payment recorded by staff. ``Member.dues_paid_through`` is the latest
    ``paid_through`` of these (kept by ``members.services.record_dues_payment``)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_payments")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[currency_code]
    )
    paid_on = models.DateField(_("paid on"), validators=[date_in_supported_range])
    paid_through = models.DateField(_("paid through"), validators=[date_in_supported_range])
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[visible_text])
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ("-paid_through", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="dues_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.amount} through {self.paid_through}"
