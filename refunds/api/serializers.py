from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from imaportal import validation
from imaportal.reasons import Reason, render
from refunds.choices import RefundReason
from refunds.models import RefundRequest, RefundState
from refunds.selectors import is_overdue


def _money(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=10, decimal_places=2, **kwargs)


REASON_DETAIL_SCHEMA = {
    "type": "object",
    "description": "The reason as a code (refund.*) with the values the policy used "
    '(numbers, {"decimal": "90.00"}, {"date": "2026-06-01"}, nested '
    '{"reason": ...}); code "text" is a sentence stored before reason codes.',
    "properties": {
        "code": {"type": "string"},
        "params": {"type": "object", "additionalProperties": True},
    },
    "required": ["code", "params"],
}


@extend_schema_field({"type": "string"})
class ReasonSentenceField(serializers.Field):  # type: ignore[type-arg]
    """A ``Reason`` in words, in the request's language."""

    def to_representation(self, value: Reason) -> str:
        return render(value)


@extend_schema_field(REASON_DETAIL_SCHEMA)
class ReasonDetailField(serializers.Field):  # type: ignore[type-arg]
    """A ``Reason`` as its code and values (``Reason.as_json``)."""

    def to_representation(self, value: Reason) -> dict[str, Any]:
        return value.as_json()


class RefundSerializer(serializers.ModelSerializer[RefundRequest]):
    """A refund request as it stands, with the policy outcome of its request date."""

    reason_code = serializers.ChoiceField(choices=RefundReason.choices, read_only=True)
    policy_reason = ReasonSentenceField(source="policy_reason_detail", read_only=True)
    policy_reason_detail = ReasonDetailField(read_only=True)
    # Staff's words; a request denied without them shows the policy's reason.
    decision_reason = serializers.CharField(source="decision_reason_shown", read_only=True)
    state = serializers.ChoiceField(choices=RefundState.choices, read_only=True)
    member_number = serializers.CharField(source="member.member_number", read_only=True)
    offering = serializers.IntegerField(source="enrollment.offering_id", read_only=True)
    offering_title = serializers.CharField(source="enrollment.offering.title", read_only=True)
    offering_kind = serializers.CharField(source="enrollment.offering.kind", read_only=True)
    starts_on = serializers.DateField(
        source="enrollment.offering.starts_on", read_only=True, allow_null=True
    )
    enrolled_on = serializers.DateField(source="enrollment.enrolled_on", read_only=True)
    overdue = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    issued_by = serializers.SerializerMethodField()

    class Meta:
        model = RefundRequest
        fields = (
            "id",
            "enrollment",
            "member",
            "member_number",
            "offering",
            "offering_title",
            "offering_kind",
            "starts_on",
            "enrolled_on",
            "reason",
            "requested_on",
            "eligible",
            "amount",
            "fee",
            "fee_percent",
            "policy_amount",
            "price",
            "currency",
            "reason_code",
            "policy_reason",
            "policy_reason_detail",
            "state",
            "special_circumstances",
            "decision_reason",
            "decided_by",
            "decided_at",
            "reference",
            "issued_by",
            "issued_at",
            "issue_by",
            "overdue",
            "created_at",
        )
        read_only_fields = fields

    def get_overdue(self, refund: RefundRequest) -> bool:
        return is_overdue(refund, timezone.localdate())

    def _name(self, user: Any) -> str | None:
        return (user.get_full_name() or user.email) if user else None

    def get_decided_by(self, refund: RefundRequest) -> str | None:
        return self._name(refund.decided_by)

    def get_issued_by(self, refund: RefundRequest) -> str | None:
        return self._name(refund.issued_by)


class RefundOutcomeSerializer(serializers.Serializer[Any]):
    """What a refund request made today would get (nothing is stored)."""

    eligible = serializers.BooleanField()
    amount = _money()
    fee = _money()
    fee_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    reason_code = serializers.ChoiceField(choices=RefundReason.choices)
    reason = ReasonSentenceField()
    reason_detail = ReasonDetailField(source="reason")
    issue_by = serializers.DateField(allow_null=True)
    special_allowed = serializers.BooleanField()
    requested_on = serializers.DateField()
    currency = serializers.CharField()
    open_request = serializers.IntegerField(allow_null=True)


class RefundRequestInputSerializer(serializers.Serializer[Any]):
    reason = validation.TextField(
        allow_blank=True, max_length=2000, help_text="Why the member asks for a refund."
    )


class ApproveInputSerializer(serializers.Serializer[Any]):
    amount = _money(
        required=False,
        allow_null=True,
        help_text="Special circumstances: the refund to grant, at most the price.",
    )
    reason = validation.TextField(
        required=False, allow_blank=True, default="", help_text="Needed for special circumstances."
    )


class DenyInputSerializer(serializers.Serializer[Any]):
    reason = validation.TextField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed when the policy allows the refund.",
    )


class IssueInputSerializer(serializers.Serializer[Any]):
    reference = validation.TextField(
        required=False, allow_blank=True, default="", help_text="The payment reference."
    )
