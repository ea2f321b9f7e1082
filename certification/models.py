"""Exemption and retirement requests, the recorded history of status changes, and reminders
sent once. The status itself is stored on ``members.Member`` and computed by
``certification.status``."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpe.models import evidence_storage
from imaportal.reasons import Reason, render_all
from imaportal.validation import date_in_supported_range, visible_text
from members.models import Member, User


class RequestState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExemptionReason(models.TextChoices):
    MILITARY = "military", _("Military service")
    ILLNESS = "illness", _("Serious illness or disability")
    HARDSHIP = "hardship", _("Severe personal financial hardship")


class Exemption(models.Model):
    """A request to be exempt from the CPE requirement for whole calendar years."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="exemptions")
    reason = models.CharField(_("reason"), max_length=10, choices=ExemptionReason.choices)
    years = models.JSONField(_("years"), default=list)
    explanation = models.TextField(_("explanation"), validators=[visible_text])
    document = models.FileField(
        _("document"), storage=evidence_storage, upload_to="exemptions/%Y/", blank=True
    )
    document_name = models.CharField(max_length=200, blank=True)
    document_content_type = models.CharField(max_length=50, blank=True)
    state = models.CharField(max_length=10, choices=RequestState.choices, default="requested")
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.member_id} {self.reason} {self.years}"


class Retirement(models.Model):
    """A request for retired status from ``retired_on`` (age 55 or over on that date)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="retirements")
    retired_on = models.DateField(_("retired on"), validators=[date_in_supported_range])
    explanation = models.TextField(_("explanation"), blank=True, validators=[visible_text])
    state = models.CharField(max_length=10, choices=RequestState.choices, default="requested")
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retirement")
        verbose_name_plural = _("retirements")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.member_id} retired {self.retired_on}"


class StatusChange(models.Model):
    """A recorded change of a member's certification status: from, to, when, why."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    changed_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField()
    # Why, as reason codes with parameters (``Reason.as_json()``), put into words when shown.
    reasons = models.JSONField(default=list, blank=True)
    # The sentence stored before reasons were codes (rows from then keep it; the data
    # migration also copies it into ``reasons`` as a kept text).
    reason = models.TextField(blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ("changed_at", "id")
        indexes = [models.Index(fields=["member", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.from_status or '-'} -> {self.to_status}"

    def reason_list(self) -> list[Reason]:
        """The recorded reasons; a row from before codes shows its old sentence."""
        if self.reasons:
            return [Reason.from_json(item) for item in self.reasons]
        return [Reason.text(self.reason)] if self.reason else []

    def reason_text(self) -> str:
        """Why the status changed, in words in the active language."""
        return " ".join(render_all(self.reason_list()))


class Reminder(models.Model):
    """A reminder sent once: (member, year, kind) is unique, so it is never sent twice."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reminders")
    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "year", "kind"], name="one_reminder_each")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.member_id}"


class VerificationLink(models.Model):
    """A link a member hands to anyone (an employer, a recruiter) to check their CMA status
    without signing in (issue 18). ``token`` is the unguessable part of the public URL
    (``secrets.token_urlsafe(32)``: 256 random bits). It is stored as it is, not hashed: the
    member's page and the API give every live link's URL back to copy again, and the page
    it opens shows only what the member chose to share, so it is a capability, not a
    password. Revoking keeps the row (``revoked_at``): the link then answers 404."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="verification_links")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The member's certification status code on the day the link was created.
    status_at_creation = models.CharField(max_length=20)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verification link")
        verbose_name_plural = _("verification links")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["member", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} link {self.pk}"

    def get_absolute_url(self) -> str:
        """The public page's path (``request.build_absolute_uri`` makes it a full URL)."""
        return reverse("status:verification", kwargs={"token": self.token})
