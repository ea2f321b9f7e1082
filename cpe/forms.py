"""HTML forms of the CPE app: they check shape only; cpe.credit judges the activity."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cpe.credit import (
    FIELDS_BY_TYPE,
    REQUIRED_FIELDS,
    ActivityType,
    PublicationKind,
    PublicationStatus,
)
from cpe.evidence import EvidenceRefused, evidence_type
from cpe.models import SELF_REPORT_CHOICES
from imaportal.exceptions import InvalidInput
from imaportal.formatting import decimal, hours
from imaportal.validation import FormDateField, FormTextField
from imaportal.web import add_form_errors, today
from policy.selectors import policy_for

# The form opens on the activity members report most (seminars and short courses).
INITIAL_TYPE = ActivityType.SHORT_COURSE.value
# A name as the rules write it: ``semester_credit_hours``, ``submitted_not_accepted``.
_RAW_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _types_for(field: str) -> str:
    return " ".join(t.value for t, names in FIELDS_BY_TYPE.items() if field in names)


def _required_types_for(field: str) -> str:
    return " ".join(t.value for t, names in REQUIRED_FIELDS.items() if field in names)


class EntryBoundField(forms.BoundField):
    """A field of Add Transcript; one filled from a certificate is also described by its
    "Read from your certificate — check it" mark (``<id>_read``, shown next to the label)."""

    @property
    def aria_describedby(self) -> str | None:
        described = super().aria_describedby
        if self.name not in getattr(self.form, "read_names", ()) or self.use_fieldset:
            return described
        return " ".join(part for part in (f"{self.auto_id}_read", described) if part)


class EntryForm(forms.Form):
    """Add Transcript / edit a pending entry."""

    bound_field_class = EntryBoundField
    # The fields filled from the member's certificate (Start from your certificate).
    read_names: frozenset[str] = frozenset()

    activity_type = forms.ChoiceField(
        label=_("Activity type"), choices=SELF_REPORT_CHOICES, initial=INITIAL_TYPE
    )
    title = FormTextField(label=_("Title of the activity"), max_length=200)
    provider = FormTextField(label=_("Provider or sponsor"), max_length=200, required=False)
    completed_on = FormDateField(
        label=_("Completion date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    has_instructor = forms.BooleanField(
        label=_("It had an instructor or course guide"), required=False
    )
    has_formal_materials = forms.BooleanField(
        label=_("It had formal education or training materials"), required=False
    )
    minutes = forms.IntegerField(label=_("Minutes of instruction"), required=False, min_value=0)
    full_day_days = forms.IntegerField(
        label=_("Full days (optional)"),
        required=False,
        min_value=0,
    )
    semester_credit_hours = forms.DecimalField(
        label=_("Semester credit hours"), required=False, min_value=0, decimal_places=2
    )
    quarter_credit_hours = forms.DecimalField(
        label=_("Quarter credit hours"), required=False, min_value=0, decimal_places=2
    )
    recommended_hours = forms.DecimalField(
        label=_("Sponsor's recommended CPE hours"), required=False, min_value=0, decimal_places=2
    )
    first_presentation = forms.BooleanField(
        label=_("First time I gave this presentation"), required=False, initial=True
    )
    substantially_revised = forms.BooleanField(
        label=_("Substantially revised since I last gave it"), required=False
    )
    weeks = forms.IntegerField(label=_("Weeks taught"), required=False, min_value=0)
    course_credit_hours = forms.DecimalField(
        label=_("Course credit hours"), required=False, min_value=0, decimal_places=2
    )
    first_time = forms.BooleanField(
        label=_("First time I taught this course"), required=False, initial=True
    )
    substantially_changed = forms.BooleanField(
        label=_("The course was substantially changed"), required=False
    )
    exam_name = FormTextField(label=_("Exam"), max_length=200, required=False)
    exam_hours = forms.DecimalField(
        label=_("Exam hours of the parts passed"), required=False, min_value=0, decimal_places=2
    )
    # Few choices: radio groups, a fieldset whose legend names them (issue 16).
    publication_kind = forms.ChoiceField(
        label=_("Kind of publication"),
        required=False,
        choices=[
            (PublicationKind.ARTICLE.value, _("Article")),
            (PublicationKind.BOOK.value, _("Book")),
            (PublicationKind.MONOGRAPH.value, _("Monograph")),
        ],
        widget=forms.RadioSelect,
    )
    publication_status = forms.ChoiceField(
        label=_("Publication status"),
        required=False,
        choices=[
            (PublicationStatus.PUBLISHED.value, _("Published")),
            (PublicationStatus.SUBMITTED_NOT_ACCEPTED.value, _("Submitted, not accepted")),
        ],
        widget=forms.RadioSelect,
    )
    claimed_hours = forms.DecimalField(
        label=_("Hours spent"), required=False, min_value=0, decimal_places=2
    )
    review_course_for = FormTextField(
        label=_("Review course for exam (if any)"), max_length=200, required=False
    )
    ethics = forms.BooleanField(label=_("Ethics content"), required=False)
    evidence = forms.FileField(
        label=_("Evidence (PDF, PNG or JPEG, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # The activity types that take this field; the page shows it only for those.
            setattr(field, "types", _types_for(name))  # noqa: B010
            # The types that require it: the page marks it "(required)" for those.
            setattr(field, "required_types", _required_types_for(name))  # noqa: B010
        rules = policy_for(today().year)  # the full-day rule in force, in the page's numbers
        self.fields["full_day_days"].help_text = _(
            "A day of at least %(minutes)s minutes earns %(hours)s hours."
        ) % {"minutes": rules.full_day_minutes, "hours": hours(rules.full_day_credit)}

    def clean(self) -> dict[str, Any] | None:
        """Values of other activity types' fields are dropped (``activity_values``) and
        their fields hidden: a mistake left in one must not block the entry unseen."""
        cleaned = super().clean()
        for name in self.hidden_names:
            self.errors.pop(name, None)
        return cleaned

    @cached_property
    def current_type(self) -> str:
        """The activity type the page shows fields for: the one sent, else the initial."""
        value = self["activity_type"].value()
        return value if value in {t.value for t in ActivityType} else INITIAL_TYPE

    @cached_property
    def hidden_names(self) -> frozenset[str]:
        """The fields of other activity types: rendered ``hidden`` (the script switches)."""
        return frozenset(
            name
            for name, field in self.fields.items()
            if getattr(field, "types", "")
            and self.current_type not in getattr(field, "types", "").split()
        )

    @cached_property
    def required_names(self) -> frozenset[str]:
        """The fields the current activity type requires (beyond the always-required)."""
        return frozenset(REQUIRED_FIELDS.get(ActivityType(self.current_type), ()))

    def add_rule_errors(self, exc: InvalidInput) -> None:
        """The credit rule's errors next to the fields, naming fields and choices as the
        page does (the rules write ``semester_credit_hours``; the member reads "Semester
        credit hours")."""
        add_form_errors(
            self,
            InvalidInput(
                {field: [self.page_words(m) for m in msgs] for field, msgs in exc.errors.items()}
            ),
        )

    def page_words(self, message: str) -> str:
        """``message`` with every field name and choice value in the page's words."""
        words: dict[str, str] = {name: f"“{f.label}”" for name, f in self.fields.items()}
        for name in ("activity_type", "publication_status", "publication_kind"):
            choices = getattr(self.fields[name], "choices", ())
            words.update({str(v): f"“{label}”" for v, label in choices if v})
        return _RAW_NAME.sub(lambda m: words.get(m.group(0), m.group(0)), message)

    def activity_values(self) -> dict[str, Any]:
        """The cleaned values the rules take (fields of other types are dropped)."""
        data = self.cleaned_data
        kind = ActivityType(data["activity_type"])
        keep = {"activity_type", "title", "completed_on", "ethics", *FIELDS_BY_TYPE[kind]}
        return {
            name: value
            for name, value in data.items()
            if name in keep and value is not None and value != ""
        }


class CertificateForm(forms.Form):
    """Start from your certificate: the file Add Transcript is read from and that becomes
    the entry's evidence (the evidence rule: PDF, PNG or JPEG by content, at most 10 MB)."""

    certificate = forms.FileField(
        label=_("Your certificate (PDF, at most 10 MB)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
        error_messages={"required": _("Choose your certificate file to read.")},
    )

    def clean_certificate(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["certificate"]
        size = upload.size or 0
        head = upload.read(16)
        upload.seek(0)
        try:
            evidence_type(head=head, size=size, max_bytes=settings.EVIDENCE_MAX_BYTES)
        except EvidenceRefused:
            limit = settings.EVIDENCE_MAX_BYTES
            if size > limit:
                raise forms.ValidationError(
                    _("The file is %(size)s MB; the limit is %(limit)s MB.")
                    % {
                        "size": decimal((Decimal(size) / 1_048_576).quantize(Decimal("0.1"))),
                        "limit": decimal(Decimal(limit // 1_048_576)),
                    }
                ) from None
            if size == 0:
                raise forms.ValidationError(_("The file is empty.")) from None
            raise forms.ValidationError(
                _("The certificate must be a PDF file (or a PNG or JPEG scan); this file is none.")
            ) from None
        return upload


class ReasonForm(forms.Form):
    reason = FormTextField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EntryDecisionForm(ReasonForm):
    """Approve or reject an entry: the reason and the version of the entry on the page."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        max_value=2_147_483_647,
        error_messages={
            "invalid": _("The page sent no valid entry version; reload the entry and decide."),
            "min_value": _("The page sent no valid entry version; reload the entry and decide."),
            "max_value": _("The page sent no valid entry version; reload the entry and decide."),
        },
    )


class EvidenceForm(forms.Form):
    """Add evidence to a pending entry; its type and size are checked by the service."""

    evidence = forms.FileField(
        label=_("Evidence (PDF, PNG or JPEG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
        error_messages={"required": _("Choose the evidence file to upload.")},
    )
