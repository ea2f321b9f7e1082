"""Shapes of the CPE API (SPEC section 6). Shape checks only; the rules are in cpe.credit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from cpe.credit import SELF_REPORTABLE
from cpe.models import Enrollment, EntryEvent, Offering, OfferingKind, TranscriptEntry
from imaportal import validation
from members.models import Member, User


def _hours() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)


class ActivityInputSerializer(serializers.Serializer[Any]):
    """The fields of SPEC section 2 plus title, provider, completed_on and evidence."""

    activity_type = serializers.ChoiceField(choices=[t.value for t in SELF_REPORTABLE])
    title = validation.TextField(max_length=200)
    provider = validation.TextField(max_length=200, required=False, allow_blank=True, default="")
    completed_on = validation.DateField()
    has_instructor = serializers.BooleanField(required=False, default=False)
    has_formal_materials = serializers.BooleanField(required=False, default=False)
    ethics = serializers.BooleanField(required=False, default=False)
    review_course_for = validation.TextField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    minutes = serializers.IntegerField(required=False, allow_null=True)
    full_day_days = serializers.IntegerField(required=False, allow_null=True)
    semester_credit_hours = _hours()
    quarter_credit_hours = _hours()
    recommended_hours = _hours()
    first_presentation = serializers.BooleanField(required=False, default=True)
    substantially_revised = serializers.BooleanField(required=False, default=False)
    weeks = serializers.IntegerField(required=False, allow_null=True)
    course_credit_hours = _hours()
    first_time = serializers.BooleanField(required=False, default=True)
    substantially_changed = serializers.BooleanField(required=False, default=False)
    exam_name = validation.TextField(max_length=200, required=False, allow_blank=True, default="")
    exam_hours = _hours()
    publication_kind = validation.TextField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    publication_status = validation.TextField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    claimed_hours = _hours()
    evidence = serializers.FileField(required=False, allow_null=True, write_only=True)


class EntryEventSerializer(serializers.ModelSerializer[EntryEvent]):
    by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True
    )

    class Meta:
        model = EntryEvent
        fields = ("action", "by", "at", "reason", "credit_hours")


class ActivitySerializer(serializers.ModelSerializer[TranscriptEntry]):
    member: serializers.PrimaryKeyRelatedField[Member] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    reviewed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True
    )
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = TranscriptEntry
        fields: tuple[str, ...] = (
            "id",
            "member",
            "source",
            "activity_type",
            "title",
            "provider",
            "completed_on",
            "has_instructor",
            "has_formal_materials",
            "ethics",
            "review_course_for",
            "minutes",
            "full_day_days",
            "semester_credit_hours",
            "quarter_credit_hours",
            "recommended_hours",
            "first_presentation",
            "substantially_revised",
            "weeks",
            "course_credit_hours",
            "first_time",
            "substantially_changed",
            "exam_name",
            "exam_hours",
            "publication_kind",
            "publication_status",
            "claimed_hours",
            "credit_hours",
            "credit_rule",
            "credit_reasons",
            "review_status",
            "review_reason",
            "reviewed_by",
            "reviewed_at",
            "offering",
            "evidence_url",
            "evidence_name",
            "created_at",
            "version",
        )
        read_only_fields: tuple[str, ...] = fields

    def get_evidence_url(self, entry: TranscriptEntry) -> str | None:
        if not entry.evidence:
            return None
        return reverse("api-activity-evidence", kwargs={"entry_id": entry.pk})


class ActivityDetailSerializer(ActivitySerializer):
    events = EntryEventSerializer(many=True, read_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = (*ActivitySerializer.Meta.fields, "events")
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer[Any]):
    reason = validation.TextField(required=False, allow_blank=True, default="")


class EntryDecisionSerializer(ReasonSerializer):
    """Approve or reject: the reason, and the version of the entry the reviewer saw."""

    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2_147_483_647,
        help_text=(
            "The entry's `version` as the reviewer saw it. When given and the entry has "
            "changed since, the answer is 409 and nothing is decided."
        ),
        error_messages={
            "invalid": "Send the entry's version as a whole number such as 3.",
            "min_value": "The version is a whole number of 1 or more.",
            "max_value": "No entry has a version this high.",
        },
    )


class OfferingSerializer(validation.ModelSerializer[Offering]):
    kind = serializers.ChoiceField(choices=OfferingKind.choices)
    price = serializers.DecimalField(max_digits=10, decimal_places=2)
    cpe_hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False)
    currency = validation.CurrencyField(required=False, default="USD")

    class Meta:
        model = Offering
        fields = (
            "id",
            "kind",
            "title",
            "description",
            "price",
            "currency",
            "starts_on",
            "cpe_hours",
            "refund_deadline_days",
            "refund_fee_percent",
        )
        read_only_fields = ("id",)
        extra_kwargs = {"description": {"required": False}}


class EnrollmentSerializer(serializers.ModelSerializer[Enrollment]):
    member: serializers.PrimaryKeyRelatedField[Member] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    offering: serializers.PrimaryKeyRelatedField[Offering] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    offering_title = serializers.CharField(source="offering.title", read_only=True)
    offering_kind = serializers.CharField(source="offering.kind", read_only=True)

    class Meta:
        model = Enrollment
        fields = (
            "id",
            "member",
            "offering",
            "offering_title",
            "offering_kind",
            "enrolled_on",
            "price",
            "currency",
            "final_test_taken",
            "attended",
            "walk_in",
        )
        read_only_fields = fields


class EnrollmentCreateSerializer(serializers.Serializer[Any]):
    member = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=validation.MAX_ID,
        help_text="Staff only: the member's id.",
    )
    enrolled_on = validation.DateField(required=False, help_text="Staff only.")
    final_test_taken = serializers.BooleanField(required=False, help_text="Staff only.")


class EnrollmentPatchSerializer(serializers.Serializer[Any]):
    final_test_taken = serializers.BooleanField()


class AttendanceSerializer(serializers.Serializer[Any]):
    members = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=validation.MAX_ID), allow_empty=False
    )


class AttendanceResultSerializer(serializers.Serializer[Any]):
    posted = serializers.IntegerField()
    already_recorded = serializers.IntegerField()
    walk_ins = serializers.IntegerField()
