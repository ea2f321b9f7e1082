"""What a CPE activity is: its types, the input the rules take, what they return, and the
checks every input passes before a rule applies (SPEC section 2). Pure: no ORM, no clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import TypeVar

from django.utils.translation import gettext as _

from imaportal.formatting import decimal
from imaportal.reasons import Reason
from policy.rules import Policy

_T = TypeVar("_T")
ZERO = Decimal("0.0")
TENTH = Decimal("0.1")


class ActivityType(StrEnum):
    UNIVERSITY_COURSE = "university_course"
    SHORT_COURSE = "short_course"
    SELF_STUDY = "self_study"
    ASSOCIATION_MEETING = "association_meeting"
    PRESENTATION = "presentation"
    UNIVERSITY_TEACHING = "university_teaching"
    CERTIFICATION_EXAM = "certification_exam"
    SOFTWARE_CERTIFICATION_EXAM = "software_certification_exam"
    PUBLICATION = "publication"
    ON_THE_JOB_TRAINING = "on_the_job_training"
    IMA_OFFERING = "ima_offering"  # posted by attendance import, never self-reported


COURSE_TYPES = frozenset(
    {
        ActivityType.UNIVERSITY_COURSE,
        ActivityType.SHORT_COURSE,
        ActivityType.SELF_STUDY,
        ActivityType.ASSOCIATION_MEETING,
    }
)
SELF_REPORTABLE = tuple(t for t in ActivityType if t is not ActivityType.IMA_OFFERING)


class PublicationKind(StrEnum):
    ARTICLE = "article"
    BOOK = "book"
    MONOGRAPH = "monograph"


class PublicationStatus(StrEnum):
    PUBLISHED = "published"
    SUBMITTED_NOT_ACCEPTED = "submitted_not_accepted"


# The fields each activity type needs (beyond title, provider, completed_on).
REQUIRED_FIELDS: dict[ActivityType, tuple[str, ...]] = {
    ActivityType.UNIVERSITY_COURSE: (),  # exactly one of three, checked on its own
    ActivityType.SHORT_COURSE: ("minutes",),
    ActivityType.SELF_STUDY: ("recommended_hours",),
    ActivityType.ASSOCIATION_MEETING: ("minutes",),
    ActivityType.PRESENTATION: ("minutes",),
    ActivityType.UNIVERSITY_TEACHING: ("weeks", "course_credit_hours"),
    ActivityType.CERTIFICATION_EXAM: ("exam_name", "exam_hours"),
    ActivityType.SOFTWARE_CERTIFICATION_EXAM: ("recommended_hours",),
    ActivityType.PUBLICATION: ("publication_kind", "publication_status", "claimed_hours"),
    ActivityType.ON_THE_JOB_TRAINING: (),
    ActivityType.IMA_OFFERING: ("recommended_hours",),
}

# Every input each activity type takes, required or optional (the form shows these).
FIELDS_BY_TYPE: dict[ActivityType, tuple[str, ...]] = {
    ActivityType.UNIVERSITY_COURSE: (
        "has_instructor",
        "has_formal_materials",
        "semester_credit_hours",
        "quarter_credit_hours",
        "minutes",
        "review_course_for",
    ),
    ActivityType.SHORT_COURSE: (
        "has_instructor",
        "has_formal_materials",
        "minutes",
        "full_day_days",
        "review_course_for",
    ),
    ActivityType.SELF_STUDY: (
        "has_instructor",
        "has_formal_materials",
        "recommended_hours",
        "review_course_for",
    ),
    ActivityType.ASSOCIATION_MEETING: (
        "has_instructor",
        "has_formal_materials",
        "minutes",
        "review_course_for",
    ),
    ActivityType.PRESENTATION: ("minutes", "first_presentation", "substantially_revised"),
    ActivityType.UNIVERSITY_TEACHING: (
        "weeks",
        "course_credit_hours",
        "first_time",
        "substantially_changed",
    ),
    ActivityType.CERTIFICATION_EXAM: ("exam_name", "exam_hours"),
    ActivityType.SOFTWARE_CERTIFICATION_EXAM: ("recommended_hours",),
    ActivityType.PUBLICATION: ("publication_kind", "publication_status", "claimed_hours"),
    ActivityType.ON_THE_JOB_TRAINING: (),
    ActivityType.IMA_OFFERING: ("recommended_hours",),
}

# Upper bounds of plausible input: above them the value is refused as a typing error.
LIMITS: dict[str, Decimal] = {
    "minutes": Decimal(60 * 24 * 60),  # 60 days around the clock
    "full_day_days": Decimal(60),
    "semester_credit_hours": Decimal(30),
    "quarter_credit_hours": Decimal(45),
    "recommended_hours": Decimal(500),
    "weeks": Decimal(52),
    "course_credit_hours": Decimal(20),
    "exam_hours": Decimal(40),
    "claimed_hours": Decimal(1000),
}
INTEGER_FIELDS = frozenset({"minutes", "full_day_days", "weeks"})


class CreditRule(StrEnum):
    """The rule that set an entry's figure. The values are stored (``credit_rule``) and
    shown by the API, so they never change; a name may read better than its value."""

    RECOMMENDED_HOURS = "recommended_hours"
    IMA_OFFERING = "ima_offering"
    FIFTY_MINUTE_HOUR = "fifty_minute_hour"
    SEMESTER_CREDIT_HOURS = "semester_credit_hours"
    QUARTER_CREDIT_HOURS = "quarter_credit_hours"
    FULL_DAY = "full_day"
    PRESENTATION_FIRST = "presentation_first"
    PRESENTATION_REPEAT = "presentation_repeat"
    PRESENTATION_REPEAT_LIMIT = "presentation_repeat_limit"
    TEACHING_FIRST = "teaching_first"
    TEACHING_CHANGED = "teaching_changed"
    # Taught again after policy.teaching_repeat_years (three by default; the value predates
    # the policy value and stays as stored).
    TEACHING_AFTER_REPEAT_YEARS = "teaching_after_three_years"
    TEACHING_REPEAT = "teaching_repeat"
    CERTIFICATION_EXAM = "certification_exam"
    PUBLICATION_ONCE = "publication_once"
    PUBLICATION = "publication"
    PUBLICATION_SUBMITTED = "publication_submitted"


@dataclass(frozen=True)
class ActivityInput:
    activity_type: str
    title: str
    completed_on: dt.date
    has_instructor: bool = False
    has_formal_materials: bool = False
    ethics: bool = False
    review_course_for: str = ""
    minutes: int | None = None
    full_day_days: int | None = None
    semester_credit_hours: Decimal | None = None
    quarter_credit_hours: Decimal | None = None
    recommended_hours: Decimal | None = None
    first_presentation: bool = True
    substantially_revised: bool = False
    weeks: int | None = None
    course_credit_hours: Decimal | None = None
    first_time: bool = True
    substantially_changed: bool = False
    exam_name: str = ""
    exam_hours: Decimal | None = None
    publication_kind: str = ""
    publication_status: str = ""
    claimed_hours: Decimal | None = None


@dataclass(frozen=True)
class PriorEntry:
    """Another entry of the same member, as the repeat and conflict rules see it."""

    id: int
    activity_type: str
    title: str
    completed_on: dt.date
    credit_hours: Decimal
    rejected: bool = False
    review_course_for: str = ""
    rule: str = ""  # the CreditRule value it was stored with ("" when unknown)

    @property
    def credited(self) -> bool:
        return not self.rejected and self.credit_hours > 0


@dataclass(frozen=True)
class CreditResult:
    credit_hours: Decimal
    rule: CreditRule  # the rule that set the figure
    reasons: tuple[Reason, ...] = ()  # ``credit.*`` codes, words in cpe.credit.words


@dataclass
class CreditRefused(Exception):
    """The activity does not qualify or the input is wrong: errors per field."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items())


def need(value: _T | None) -> _T:
    """A value ``check_input`` has already required."""
    if value is None:
        raise CreditRefused({"__all__": [_("A required value is missing.")]})
    return value


def round_down(value: Decimal, step: Decimal = TENTH) -> Decimal:
    """Round down to a multiple of ``step``, with one decimal place."""
    return ((value / step).to_integral_value(rounding=ROUND_DOWN) * step).quantize(TENTH)


def fifty_minute_hours(minutes: int, policy: Policy) -> Decimal:
    """Credits for ``minutes``: minutes / 50 rounded down to the nearest 0.5; nothing
    below 50 minutes."""
    if minutes < policy.minutes_per_credit:
        return ZERO
    return round_down(Decimal(minutes) / policy.minutes_per_credit, policy.minute_credit_increment)


def same_program(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def check_input(entry: ActivityInput, today: dt.date) -> ActivityType:
    """The activity type of ``entry``, or ``CreditRefused`` with every error per field."""
    try:
        kind = ActivityType(entry.activity_type)
    except ValueError:
        choices = ", ".join(SELF_REPORTABLE)
        raise CreditRefused(
            {
                "activity_type": [
                    _("Choose one of the activity types: %(choices)s.") % {"choices": choices}
                ]
            }
        ) from None
    if kind is ActivityType.ON_THE_JOB_TRAINING:
        raise CreditRefused(
            {
                "activity_type": [
                    _("On-the-job training never qualifies for CPE credit under the ICMA rules.")
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    _check_values(entry, kind, today, errors)
    _check_kind(entry, kind, errors)
    if errors:
        raise CreditRefused(errors)
    return kind


def _check_values(
    entry: ActivityInput, kind: ActivityType, today: dt.date, errors: dict[str, list[str]]
) -> None:
    """Title, date, required fields and plausible numbers, for every kind."""

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not entry.title.strip():
        add("title", _("Enter the title of the activity."))
    if entry.completed_on > today:
        add("completed_on", _("The completion date cannot be in the future."))
    for name in REQUIRED_FIELDS[kind]:
        value = getattr(entry, name)
        if value is None or value == "":
            add(name, _("This field is required for this activity type."))
    for name, limit in LIMITS.items():
        value = getattr(entry, name)
        if value is None:
            continue
        if value < 0:
            add(name, _("Enter a value of 0 or more."))
        elif name in INTEGER_FIELDS and value != int(value):
            add(name, _("Enter a whole number."))
        elif value > limit:
            add(
                name,
                _("Enter a value of at most %(limit)s; %(value)s is not plausible.")
                % {"limit": decimal(Decimal(limit)), "value": decimal(Decimal(value))},
            )


def _check_kind(entry: ActivityInput, kind: ActivityType, errors: dict[str, list[str]]) -> None:
    """The checks particular to university courses, courses and publications."""

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if kind is ActivityType.UNIVERSITY_COURSE:
        given = [
            name
            for name in ("semester_credit_hours", "quarter_credit_hours", "minutes")
            if getattr(entry, name) is not None
        ]
        if len(given) != 1:
            message = _(
                "A university course takes exactly one of %(semester)s, %(quarter)s or "
                "%(minutes)s (for a non-credit course)."
            ) % {  # the field names: the form puts its labels in their place
                "semester": "semester_credit_hours",
                "quarter": "quarter_credit_hours",
                "minutes": "minutes",
            }
            for name in given or ("semester_credit_hours", "quarter_credit_hours", "minutes"):
                add(name, message)
    if kind in COURSE_TYPES:
        if not entry.has_instructor:
            add(
                "has_instructor",
                _("A course qualifies only with an instructor or course guide."),
            )
        if not entry.has_formal_materials:
            add(
                "has_formal_materials",
                _("A course qualifies only with formal education or training materials."),
            )
    if kind is ActivityType.PUBLICATION:
        if entry.publication_kind and entry.publication_kind not in set(PublicationKind):
            add("publication_kind", _("Choose article, book or monograph."))
        if entry.publication_status and entry.publication_status not in set(PublicationStatus):
            add(
                "publication_status",
                _("Choose %(published)s or %(submitted)s.")
                % {"published": "published", "submitted": "submitted_not_accepted"},
            )
