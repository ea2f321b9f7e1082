from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpe.models import Enrollment
from imaportal.reasons import Reason, render
from imaportal.validation import currency_code, date_in_supported_range, visible_text
from members.models import Member, User
from refunds.choices import RefundReason


class RefundState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    ISSUED = "issued", _("Issued")


# A denied request is closed; any other one blocks a second request for the enrollment.
OPEN_STATES = (RefundState.REQUESTED, RefundState.APPROVED, RefundState.ISSUED)


class RefundRequest(models.Model):
    """A member's written request for a refund of one enrollment, with the policy's outcome
    as of the request date and every staff step (who, when, why)."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="refund_requests"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="refund_requests")
    reason = models.TextField(_("member's reason"), validators=[visible_text])
    requested_on = models.DateField(_("requested on"), validators=[date_in_supported_range])
    # The policy outcome on the request date (refunds.policy.refund_outcome).
    eligible = models.BooleanField(_("eligible under the policy"))
    reason_code = models.CharField(_("policy reason"), max_length=20, choices=RefundReason.choices)
    # The policy's reason as a ``refund.*`` code with its parameters (``Reason.as_json``),
    # put into words when shown (``policy_reason``). Requests stored before reason codes
    # have none and keep their English sentence in ``policy_reason_text``.
    policy_reason_json = models.JSONField(_("policy reason (code and values)"), null=True)
    policy_reason_text = models.TextField(
        _("policy explanation (before reason codes)"), blank=True, default=""
    )
    price = models.DecimalField(_("price paid"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code])
    fee = models.DecimalField(_("processing fee"), max_digits=10, decimal_places=2)
    fee_percent = models.DecimalField(_("processing fee (%)"), max_digits=5, decimal_places=2)
    policy_amount = models.DecimalField(
        _("refund under the policy"), max_digits=10, decimal_places=2
    )
    # The refund as it stands: the policy amount, or what staff approved.
    amount = models.DecimalField(_("refund amount"), max_digits=10, decimal_places=2)
    issue_by = models.DateField(_("issue by"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RefundState.choices, default=RefundState.REQUESTED
    )
    special_circumstances = models.BooleanField(_("special circumstances"), default=False)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reference = models.CharField(
        _("payment reference"), max_length=100, blank=True, validators=[visible_text]
    )
    issued_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("refund request")
        verbose_name_plural = _("refund requests")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["state", "created_at"], name="refund_state_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=~Q(state="denied"),
                name="one_open_refund_per_enrollment",
                violation_error_message=_("This enrollment already has an open refund request."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=models.F("price")),
                name="refund_amount_within_price",
            ),
            models.CheckConstraint(
                condition=~Q(state="issued") | ~Q(reference=""), name="issued_refund_has_reference"
            ),
            models.CheckConstraint(
                condition=Q(state="requested") | Q(decided_at__isnull=False),
                name="decided_refund_has_decision_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Refund #{self.pk} · {self.enrollment.offering} · {self.get_state_display()}"

    @property
    def policy_reason_detail(self) -> Reason:
        """The policy's reason: the stored code and values, or the text of an old request."""
        if self.policy_reason_json is not None:
            return Reason.from_json(self.policy_reason_json)
        return Reason.text(self.policy_reason_text)

    @property
    def policy_reason(self) -> str:
        """The policy's reason in words, in the active language."""
        return render(self.policy_reason_detail)

    @property
    def decision_reason_shown(self) -> str:
        """What staff wrote; a request denied without a reason shows the policy's own."""
        if self.decision_reason or self.state != RefundState.DENIED:
            return self.decision_reason
        return self.policy_reason
