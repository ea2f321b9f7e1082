"""Shapes of the CPE API (SPEC section 6). Shape checks only; the rules are in cpe.credit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cpe.choices import OfferingKind
from cpe.credit import (
    COURSE_TYPES,
    FIELDS_BY_TYPE,
    REQUIRED_FIELDS,
    SELF_REPORTABLE,
    ActivityType,
    PublicationKind,
    PublicationStatus,
)
from cpe.models import Enrollment, EntryEvent, Offering, TranscriptEntry
from imaportal import validation
from members.models import Member, User


def _hours() -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)


def activity_fields_description() -> str:
    """Which fields each ``activity_type`` needs, for the schema (from ``cpe.credit``)."""
    lines = [
        "Every entry needs `activity_type`, `title` and `completed_on` (not in the future); "
        "`provider` and a multipart `evidence` file are optional. Per `activity_type`, "
        "besides those:",
        "",
    ]
    for kind in SELF_REPORTABLE:
        if kind is ActivityType.ON_THE_JOB_TRAINING:
            needs = "never qualifies for CPE credit: refused with 400"
        else:
            required = ", ".join(f"`{name}`" for name in REQUIRED_FIELDS[kind])
            if kind is ActivityType.UNIVERSITY_COURSE:
                required = (
                    "exactly one of `semester_credit_hours`, `quarter_credit_hours` or "
                    "`minutes` (a non-credit course)"
                )
            needs = f"requires {required or 'nothing more'}"
            if kind in COURSE_TYPES:
                needs += "; qualifies only with `has_instructor` and `has_formal_materials` true"
            stated = {
                *REQUIRED_FIELDS[kind],
                "has_instructor",
                "has_formal_materials",
                "semester_credit_hours",
                "quarter_credit_hours",
            }
            optional = [f"`{n}`" for n in FIELDS_BY_TYPE[kind] if n not in stated]
            if kind is ActivityType.UNIVERSITY_COURSE:
                optional = ["`review_course_for`"]
            if optional:
                needs += f"; also takes {', '.join(optional)}"
        lines.append(f"- `{kind.value}`: {needs}.")
    lines += [
        "",
        "`publication_kind` is `article`, `book` or `monograph`; `publication_status` is "
        "`published` or `submitted_not_accepted`. A missing required field, or one that does "
        "not fit the type, is a 400 with a message on that field.",
    ]
    return "\n".join(lines)


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
    publication_kind = serializers.ChoiceField(
        choices=[k.value for k in PublicationKind],
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": _("Choose article, book or monograph.")},
    )
    publication_status = serializers.ChoiceField(
        choices=[s.value for s in PublicationStatus],
        required=False,
        allow_blank=True,
        default="",
        error_messages={
            "invalid_choice": _("Choose %(published)s or %(submitted)s.")
            % {"published": "published", "submitted": "submitted_not_accepted"}
        },
    )
    claimed_hours = _hours()
    evidence = serializers.FileField(required=False, allow_null=True, write_only=True)


class UnsetAsNullChoiceField(serializers.ChoiceField):
    """A read-only choice that may be unset: ``""`` in the database, ``null`` in the API,
    so the schema's enum holds only real choices."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return None if value in ("", None) else super().to_representation(value)


class EntryEventSerializer(serializers.ModelSerializer[EntryEvent]):
    by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True, allow_null=True
    )

    class Meta:
        model = EntryEvent
        fields = ("action", "by", "at", "reason", "credit_hours")


class ActivitySerializer(serializers.ModelSerializer[TranscriptEntry]):
    member: serializers.PrimaryKeyRelatedField[Member] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    reviewed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True, allow_null=True
    )
    evidence_url = serializers.SerializerMethodField()
    credit_reasons = serializers.SerializerMethodField(
        help_text="Why the entry earns its credit, in sentences of the request's language."
    )
    credit_reason_codes = serializers.SerializerMethodField(
        help_text=(
            'The same reasons as codes with parameters, e.g. `{"code": "credit.semester", '
            '"params": {...}}`; a reason stored before codes existed has the code `text`.'
        )
    )
    publication_kind = UnsetAsNullChoiceField(choices=[k.value for k in PublicationKind])
    publication_status = UnsetAsNullChoiceField(choices=[s.value for s in PublicationStatus])

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
            "credit_reason_codes",
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

    def get_credit_reasons(self, entry: TranscriptEntry) -> list[str]:
        return entry.explanations()

    def get_credit_reason_codes(self, entry: TranscriptEntry) -> list[dict[str, Any]]:
        return [reason.as_json() for reason in entry.reasons()]

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
            "invalid": _("Send the entry's version as a whole number such as 3."),
            "min_value": _("The version is a whole number of 1 or more."),
            "max_value": _("No entry has a version this high."),
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
