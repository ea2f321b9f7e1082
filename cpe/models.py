"""Offerings, enrollments, and transcript entries with their review history. No business
rules here: see ``cpe.credit`` and ``cpe.services``."""

from __future__ import annotations

from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpe.choices import OfferingKind
from cpe.credit import (
    SELF_REPORTABLE,
    ActivityType,
    CreditRule,
    PublicationKind,
    PublicationStatus,
)
from imaportal.reasons import Reason, render_all
from imaportal.validation import currency_code, date_in_supported_range, visible_text
from members.models import Member, User


def evidence_storage() -> Storage:
    """Private storage for evidence files (``STORAGES["evidence"]``): never a public URL."""
    return storages["evidence"]


class Offering(models.Model):
    """An IMA-run course, webinar, event or conference that members buy or register for."""

    kind = models.CharField(_("kind"), max_length=20, choices=OfferingKind.choices)
    title = models.CharField(_("title"), max_length=200, validators=[visible_text])
    description = models.TextField(_("description"), blank=True, validators=[visible_text])
    starts_on = models.DateField(
        _("starts on"), null=True, blank=True, validators=[date_in_supported_range]
    )
    cpe_hours = models.DecimalField(_("CPE hours"), max_digits=5, decimal_places=1, default=0)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, default="USD", validators=[currency_code]
    )
    refund_deadline_days = models.PositiveIntegerField(
        _("refund deadline (days before start)"), null=True, blank=True
    )
    refund_fee_percent = models.DecimalField(
        _("refund fee (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ("-starts_on", "title")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OfferingKind.RECORDED_WEBINAR) | Q(cpe_hours=0),
                name="recorded_webinar_earns_no_cpe",
            ),
            models.CheckConstraint(condition=Q(cpe_hours__gte=0), name="offering_cpe_not_negative"),
            models.CheckConstraint(condition=Q(price__gte=0), name="offering_price_not_negative"),
            models.CheckConstraint(
                condition=Q(refund_fee_percent__isnull=True)
                | Q(refund_fee_percent__gte=0, refund_fee_percent__lte=100),
                name="offering_refund_fee_is_a_percentage",
                violation_error_message=_("Enter a refund fee between 0 and 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_event(self) -> bool:
        return self.kind in (OfferingKind.LIVE_EVENT, OfferingKind.CONFERENCE)


class Enrollment(models.Model):
    """A member's purchase of, or registration for, an offering."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="enrollments")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrollments")
    price = models.DecimalField(_("price paid"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code])
    enrolled_on = models.DateField(_("enrolled on"), validators=[date_in_supported_range])
    final_test_taken = models.BooleanField(_("final test taken"), default=False)
    attended = models.BooleanField(_("attended"), default=False)
    walk_in = models.BooleanField(_("enrolled at attendance (walk-in)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ("-enrolled_on", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "offering"], name="one_enrollment_per_offering"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="enrollment_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member.member_number} → {self.offering}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Source(models.TextChoices):
    IMA = "ima", _("IMA")
    SELF = "self", _("Self-reported")


ACTIVITY_TYPE_LABELS = {
    ActivityType.UNIVERSITY_COURSE: _("University course (10 weeks or longer)"),
    ActivityType.SHORT_COURSE: _("Seminar or short course (under 10 weeks)"),
    ActivityType.SELF_STUDY: _("Self-study course"),
    ActivityType.ASSOCIATION_MEETING: _("Professional or trade association meeting"),
    ActivityType.PRESENTATION: _("Presentation (speaker or discussion leader)"),
    ActivityType.UNIVERSITY_TEACHING: _("University teaching"),
    ActivityType.CERTIFICATION_EXAM: _("Professional certification exam"),
    ActivityType.SOFTWARE_CERTIFICATION_EXAM: _("Software certification exam"),
    ActivityType.PUBLICATION: _("Publication (article, book, monograph)"),
    ActivityType.ON_THE_JOB_TRAINING: _("On-the-job training (does not qualify)"),
    ActivityType.IMA_OFFERING: _("IMA course, webinar or event"),
}
ACTIVITY_TYPE_CHOICES = [(t.value, ACTIVITY_TYPE_LABELS[t]) for t in ActivityType]
SELF_REPORT_CHOICES = [(t.value, ACTIVITY_TYPE_LABELS[t]) for t in SELF_REPORTABLE]


class TranscriptEntry(models.Model):
    """One line of a member's CPE transcript, self-reported or posted by IMA."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="entries")
    source = models.CharField(max_length=4, choices=Source.choices, default=Source.SELF)
    activity_type = models.CharField(max_length=30, choices=ACTIVITY_TYPE_CHOICES)
    title = models.CharField(_("title"), max_length=200, validators=[visible_text])
    provider = models.CharField(
        _("provider"), max_length=200, blank=True, validators=[visible_text]
    )
    completed_on = models.DateField(_("completed on"), validators=[date_in_supported_range])
    has_instructor = models.BooleanField(default=False)
    has_formal_materials = models.BooleanField(default=False)
    ethics = models.BooleanField(_("ethics"), default=False)
    review_course_for = models.CharField(max_length=200, blank=True)
    minutes = models.PositiveIntegerField(null=True, blank=True)
    full_day_days = models.PositiveIntegerField(null=True, blank=True)
    semester_credit_hours = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    quarter_credit_hours = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    recommended_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    first_presentation = models.BooleanField(default=True)
    substantially_revised = models.BooleanField(default=False)
    weeks = models.PositiveIntegerField(null=True, blank=True)
    course_credit_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    first_time = models.BooleanField(default=True)
    substantially_changed = models.BooleanField(default=False)
    exam_name = models.CharField(max_length=200, blank=True)
    exam_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    publication_kind = models.CharField(
        max_length=20, blank=True, choices=[(k.value, k.value) for k in PublicationKind]
    )
    publication_status = models.CharField(
        max_length=30, blank=True, choices=[(s.value, s.value) for s in PublicationStatus]
    )
    claimed_hours = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)

    credit_hours = models.DecimalField(_("credit hours"), max_digits=6, decimal_places=1)
    credit_rule = models.CharField(max_length=40, choices=[(r.value, r.value) for r in CreditRule])
    # Reason.as_json() dicts (``credit.*`` codes), put into words when shown: explanations().
    credit_reasons = models.JSONField(default=list)

    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, null=True, blank=True, related_name="entry"
    )
    evidence = models.FileField(
        _("evidence"), storage=evidence_storage, upload_to="evidence/%Y/%m/", blank=True
    )
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=50, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Grows by one with every change of the entry (cpe.services); a decision names the
    # version the reviewer saw, so it never applies to an entry changed since.
    version = models.PositiveIntegerField(_("version"), default=1)
    # The rejected entry this one corrects ("Correct and resubmit"); that one stays on record.
    resubmission_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="resubmissions"
    )

    class Meta:
        verbose_name = _("transcript entry")
        verbose_name_plural = _("transcript entries")
        ordering = ("-completed_on", "-id")
        indexes = [
            models.Index(fields=["member", "completed_on"]),
            models.Index(fields=["review_status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(credit_hours__gte=0), name="credit_not_negative"),
            models.CheckConstraint(condition=Q(version__gte=1), name="entry_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.completed_on})"

    def reasons(self) -> list[Reason]:
        """The stored reasons of the credit (a text stored before codes is kept as text)."""
        return [Reason.from_json(item) for item in self.credit_reasons]

    def explanations(self) -> list[str]:
        """The reasons of the credit in words, in the active language."""
        return render_all(self.reasons())

    @property
    def editable(self) -> bool:
        return self.source == Source.SELF and self.review_status == ReviewStatus.PENDING

    @property
    def resubmittable(self) -> bool:
        """A rejected self-reported entry may be corrected and submitted again."""
        return self.source == Source.SELF and self.review_status == ReviewStatus.REJECTED


class EntryEvent(models.Model):
    """The history of an entry: who did what, when and why. Never edited or deleted."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        EDITED = "edited", _("Edited")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        POSTED = "posted", _("Posted from attendance")

    entry = models.ForeignKey(TranscriptEntry, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    credit_hours = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.action} {self.entry_id} by {self.by_id}"
