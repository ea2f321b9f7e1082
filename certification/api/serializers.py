"""Shapes of the exemption and retirement API (SPEC section 6). Shape checks only; the rules
(reason codes, years, age) are in ``certification.services.requests``."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certification.models import Exemption, ExemptionReason, Retirement
from certification.services.requests import REASON_REFUSED
from imaportal import validation
from members.models import Member, User


class YearsField(serializers.ListField):
    """A list of whole years; multipart forms may also send ``"2025,2026"``."""

    child = validation.YearField()

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, str):
            data = [data]
        if isinstance(data, list) and all(isinstance(item, str) for item in data):
            data = [part for item in data for part in re.split(r"[\s,;]+", item) if part]
        result: list[Any] = super().to_internal_value(data)
        return result


@extend_schema_field(
    {
        "type": "string",
        "enum": [r.value for r in ExemptionReason],
        "description": "military, illness (serious illness or disability) or hardship "
        "(severe personal financial hardship).",
    }
)
class ExemptionReasonField(serializers.ChoiceField):
    pass


class ExemptionRequestSerializer(serializers.Serializer[Any]):
    reason = ExemptionReasonField(
        choices=ExemptionReason.choices,
        error_messages={"invalid_choice": REASON_REFUSED},
    )
    years = YearsField(allow_empty=False, help_text="Whole calendar years, e.g. [2025, 2026].")
    explanation = validation.TextField()
    document = serializers.FileField(
        required=False,
        allow_null=True,
        write_only=True,
        help_text="Optional supporting document (PDF, PNG or JPEG, at most 10 MB); multipart.",
    )


class _DecisionFields(serializers.ModelSerializer[Any]):
    member: serializers.PrimaryKeyRelatedField[Member] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    decided_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True, allow_null=True
    )
    created_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True, allow_null=True
    )


class ExemptionSerializer(_DecisionFields):
    reason = ExemptionReasonField(choices=ExemptionReason.choices, read_only=True)
    years = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = Exemption
        fields = (
            "id",
            "member",
            "reason",
            "years",
            "explanation",
            "document_name",
            "document_url",
            "state",
            "decided_by",
            "decided_at",
            "decision_reason",
            "created_at",
            "created_by",
        )
        read_only_fields = fields

    def get_document_url(self, exemption: Exemption) -> str | None:
        if not exemption.document:
            return None
        return reverse("api-exemption-document", kwargs={"exemption_id": exemption.pk})


class RetirementRequestSerializer(serializers.Serializer[Any]):
    retired_on = validation.DateField()
    explanation = validation.TextField(required=False, allow_blank=True, default="")


class RetirementSerializer(_DecisionFields):
    class Meta:
        model = Retirement
        fields = (
            "id",
            "member",
            "retired_on",
            "explanation",
            "state",
            "decided_by",
            "decided_at",
            "decision_reason",
            "created_at",
            "created_by",
        )
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer[Any]):
    reason = validation.TextField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Shown to the member; required to reject.",
    )
