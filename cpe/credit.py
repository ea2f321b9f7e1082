"""The ICMA CPE credit rules of SPEC section 2, as pure functions.

``compute_credit`` takes one activity (``ActivityInput``), the member's other entries
(``PriorEntry``), the policy in force and today's date, and returns the credit with its
reasons, or raises ``CreditRefused`` with the errors per field. No ORM, no clock, no I/O:
the preview, the API, the admin and the tests all call this one function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import TypeVar

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
    rule: str = ""  # the CreditResult.rule it was stored with

    @property
    def credited(self) -> bool:
        return not self.rejected and self.credit_hours > 0


@dataclass(frozen=True)
class CreditResult:
    credit_hours: Decimal
    rule: str  # machine code of the rule that set the figure
    reasons: tuple[str, ...] = ()


@dataclass
class CreditRefused(Exception):
    """The activity does not qualify or the input is wrong: errors per field."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items())


def _need(value: _T | None) -> _T:
    """A value ``_check_input`` has already required."""
    if value is None:
        raise CreditRefused({"__all__": ["A required value is missing."]})
    return value


def _down(value: Decimal, step: Decimal = TENTH) -> Decimal:
    """Round down to a multiple of ``step``, with one decimal place."""
    return ((value / step).to_integral_value(rounding=ROUND_DOWN) * step).quantize(TENTH)


def fifty_minute_hours(minutes: int, policy: Policy) -> Decimal:
    """Credits for ``minutes``: minutes / 50 rounded down to the nearest 0.5; nothing
    below 50 minutes."""
    if minutes < policy.minutes_per_credit:
        return ZERO
    return _down(Decimal(minutes) / policy.minutes_per_credit, policy.minute_credit_increment)


def _same_program(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _fmt(hours: Decimal) -> str:
    return f"{hours.quantize(TENTH)}"


def _check_input(entry: ActivityInput, today: dt.date) -> ActivityType:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    try:
        kind = ActivityType(entry.activity_type)
    except ValueError:
        choices = ", ".join(SELF_REPORTABLE)
        raise CreditRefused(
            {"activity_type": [f"Choose one of the activity types: {choices}."]}
        ) from None
    if kind is ActivityType.ON_THE_JOB_TRAINING:
        raise CreditRefused(
            {
                "activity_type": [
                    "On-the-job training never qualifies for CPE credit under the ICMA rules."
                ]
            }
        )
    if not entry.title.strip():
        add("title", "Enter the title of the activity.")
    if entry.completed_on > today:
        add("completed_on", "The completion date cannot be in the future.")
    for name in REQUIRED_FIELDS[kind]:
        value = getattr(entry, name)
        if value is None or value == "":
            add(name, f"This field is required for {kind.value.replace('_', ' ')} entries.")
    for name, limit in LIMITS.items():
        value = getattr(entry, name)
        if value is None:
            continue
        if value < 0:
            add(name, "Enter a value of 0 or more.")
        elif name in INTEGER_FIELDS and value != int(value):
            add(name, "Enter a whole number.")
        elif value > limit:
            add(name, f"Enter a value of at most {limit}; {value} is not plausible.")
    if kind is ActivityType.UNIVERSITY_COURSE:
        given = [
            name
            for name in ("semester_credit_hours", "quarter_credit_hours", "minutes")
            if getattr(entry, name) is not None
        ]
        if len(given) != 1:
            message = (
                "A university course takes exactly one of semester_credit_hours, "
                "quarter_credit_hours or minutes (for a non-credit course)."
            )
            for name in given or ("semester_credit_hours", "quarter_credit_hours", "minutes"):
                add(name, message)
    if kind in COURSE_TYPES:
        if not entry.has_instructor:
            add(
                "has_instructor",
                "A course qualifies only with an instructor or course guide.",
            )
        if not entry.has_formal_materials:
            add(
                "has_formal_materials",
                "A course qualifies only with formal education or training materials.",
            )
    if kind is ActivityType.PUBLICATION:
        if entry.publication_kind and entry.publication_kind not in set(PublicationKind):
            add("publication_kind", "Choose article, book or monograph.")
        if entry.publication_status and entry.publication_status not in set(PublicationStatus):
            add("publication_status", "Choose published or submitted_not_accepted.")
    if errors:
        raise CreditRefused(errors)
    return kind


def compute_credit(
    entry: ActivityInput,
    *,
    prior: Sequence[PriorEntry] = (),
    policy: Policy,
    today: dt.date,
) -> CreditResult:
    """The credit ``entry`` earns under ``policy``, given the member's other entries."""
    kind = _check_input(entry, today)
    # The same program: same type and title, whatever the dates (entries may be reported
    # out of order; an item credited once stays credited once).
    same = [
        p for p in prior if p.activity_type == kind.value and _same_program(p.title, entry.title)
    ]
    if kind is ActivityType.UNIVERSITY_COURSE:
        return _university_course(entry, policy)
    if kind is ActivityType.SHORT_COURSE:
        return _short_course(entry, policy)
    if kind in (ActivityType.SELF_STUDY, ActivityType.SOFTWARE_CERTIFICATION_EXAM):
        hours = _down(_need(entry.recommended_hours))
        return CreditResult(
            hours, "recommended_hours", (f"The sponsor's recommended {_fmt(hours)} hours.",)
        )
    if kind is ActivityType.IMA_OFFERING:
        hours = _down(_need(entry.recommended_hours))
        return CreditResult(
            hours, "ima_offering", (f"IMA offering worth {_fmt(hours)} CPE hours.",)
        )
    if kind is ActivityType.ASSOCIATION_MEETING:
        hours = fifty_minute_hours(_need(entry.minutes), policy)
        return CreditResult(
            hours, "fifty_minute_hour", (_fifty_reason(_need(entry.minutes), hours),)
        )
    if kind is ActivityType.PRESENTATION:
        return _presentation(entry, same, policy)
    if kind is ActivityType.UNIVERSITY_TEACHING:
        return _teaching(entry, same, policy)
    if kind is ActivityType.CERTIFICATION_EXAM:
        return _exam(entry, prior, policy)
    return _publication(entry, same, policy)


def _fifty_reason(minutes: int, hours: Decimal) -> str:
    if hours == 0:
        return f"{minutes} minutes is under one 50-minute hour: no credit."
    return f"{minutes} minutes = {_fmt(hours)} 50-minute hours (rounded down to the nearest 0.5)."


def _university_course(entry: ActivityInput, policy: Policy) -> CreditResult:
    if entry.semester_credit_hours is not None:
        hours = _down(entry.semester_credit_hours * policy.semester_hour_credit)
        return CreditResult(
            hours,
            "semester_credit_hours",
            (
                f"{entry.semester_credit_hours} semester credit hours × "
                f"{policy.semester_hour_credit} = {_fmt(hours)}.",
            ),
        )
    if entry.quarter_credit_hours is not None:
        hours = _down(entry.quarter_credit_hours * policy.quarter_hour_credit)
        return CreditResult(
            hours,
            "quarter_credit_hours",
            (
                f"{entry.quarter_credit_hours} quarter credit hours × "
                f"{policy.quarter_hour_credit} = {_fmt(hours)}.",
            ),
        )
    hours = fifty_minute_hours(_need(entry.minutes), policy)
    return CreditResult(hours, "fifty_minute_hour", (_fifty_reason(_need(entry.minutes), hours),))


def _short_course(entry: ActivityInput, policy: Policy) -> CreditResult:
    hours = fifty_minute_hours(_need(entry.minutes), policy)
    reasons = [_fifty_reason(_need(entry.minutes), hours)]
    days = entry.full_day_days or 0
    if days > 0:
        if _need(entry.minutes) >= policy.full_day_minutes * days:
            full = _down(policy.full_day_credit * days)
            if full > hours:
                reasons.append(
                    f"{days} full day(s) of at least {policy.full_day_minutes} minutes earn "
                    f"{_fmt(full)} hours."
                )
                return CreditResult(full, "full_day", tuple(reasons))
        else:
            reasons.append(
                f"The full-day rule needs {policy.full_day_minutes * days} minutes for {days} "
                "day(s); it does not apply."
            )
    return CreditResult(hours, "fifty_minute_hour", tuple(reasons))


def _presentation(entry: ActivityInput, same: list[PriorEntry], policy: Policy) -> CreditResult:
    base = fifty_minute_hours(_need(entry.minutes), policy)
    credited = [p for p in same if p.credited]
    if not credited and entry.first_presentation:
        hours = _down(base * policy.presentation_first_multiplier)
        return CreditResult(
            hours,
            "presentation_first",
            (
                f"First presentation: {policy.presentation_first_multiplier} × "
                f"{_fmt(base)} = {_fmt(hours)} hours.",
            ),
        )
    if not entry.substantially_revised:
        return CreditResult(
            ZERO,
            "presentation_repeat",
            ("A repeated presentation counts only when it was substantially revised.",),
        )
    repeats_this_year = [
        p
        for p in credited
        if p.rule == "presentation_repeat" and p.completed_on.year == entry.completed_on.year
    ]
    if len(repeats_this_year) >= policy.presentation_repeats_per_year:
        return CreditResult(
            ZERO,
            "presentation_repeat_limit",
            (
                "Only one substantially revised repeat of the same presentation counts per "
                f"calendar year; {entry.completed_on.year} already has one.",
            ),
        )
    hours = _down(base * policy.presentation_repeat_multiplier)
    return CreditResult(
        hours,
        "presentation_repeat",
        (f"Substantially revised repeat: {_fmt(hours)} hours (1 × the 50-minute hours).",),
    )


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _teaching(entry: ActivityInput, same: list[PriorEntry], policy: Policy) -> CreditResult:
    weeks, per_week = _need(entry.weeks), _need(entry.course_credit_hours)
    hours = _down(Decimal(weeks) * per_week)
    credited = [p for p in same if p.credited]
    if not credited and entry.first_time:
        return CreditResult(
            hours,
            "teaching_first",
            (f"First time teaching the course: {weeks} weeks × {per_week} = {_fmt(hours)}.",),
        )
    if entry.substantially_changed:
        return CreditResult(
            hours,
            "teaching_changed",
            (f"Substantially changed course: {weeks} weeks × {per_week} = {_fmt(hours)}.",),
        )
    if credited:
        last = max(p.completed_on for p in credited)
        allowed_from = _years_after(last, policy.teaching_repeat_years)
        if entry.completed_on >= allowed_from:
            return CreditResult(
                hours,
                "teaching_after_three_years",
                (
                    f"Taught again {policy.teaching_repeat_years} or more years after "
                    f"{last.isoformat()}: {_fmt(hours)} hours.",
                ),
            )
        return CreditResult(
            ZERO,
            "teaching_repeat",
            (
                f"The same course counts again only from {allowed_from.isoformat()} "
                f"({policy.teaching_repeat_years} years after its last credited teaching on "
                f"{last.isoformat()}) or when substantially changed.",
            ),
        )
    return CreditResult(
        ZERO,
        "teaching_repeat",
        (
            "Teaching the same course again counts only when substantially changed "
            "or three years later.",
        ),
    )


def _exam(entry: ActivityInput, prior: Sequence[PriorEntry], policy: Policy) -> CreditResult:
    for p in prior:
        if (
            p.activity_type in COURSE_TYPES
            and not p.rejected
            and p.review_course_for
            and _same_program(p.review_course_for, entry.exam_name)
        ):
            raise CreditRefused(
                {
                    "exam_name": [
                        f"You already reported the review course “{p.title}” (entry {p.id}, "
                        f"{p.completed_on.isoformat()}) for {entry.exam_name}; the exam and its "
                        "review course cannot both earn credit."
                    ]
                }
            )
    hours = _down(_need(entry.exam_hours) * policy.exam_hour_credit)
    return CreditResult(
        hours,
        "certification_exam",
        (f"{entry.exam_hours} exam hours × {policy.exam_hour_credit} = {_fmt(hours)}.",),
    )


def _publication(entry: ActivityInput, same: list[PriorEntry], policy: Policy) -> CreditResult:
    if any(p.credited for p in same):
        return CreditResult(
            ZERO,
            "publication_once",
            ("This publication has already earned credit; it is never credited twice.",),
        )
    cap = {
        PublicationKind.ARTICLE: policy.article_cap,
        PublicationKind.BOOK: policy.book_cap,
        PublicationKind.MONOGRAPH: policy.monograph_cap,
    }[PublicationKind(entry.publication_kind)]
    capped = min(_need(entry.claimed_hours), cap)
    article = "an" if entry.publication_kind == PublicationKind.ARTICLE else "a"
    reasons = [
        f"Claimed {entry.claimed_hours} hours, capped at {cap} for {article} "
        f"{entry.publication_kind}."
    ]
    if entry.publication_status == PublicationStatus.SUBMITTED_NOT_ACCEPTED:
        hours = _down(capped * policy.submitted_publication_share)
        reasons.append(f"Submitted but not accepted: half, {_fmt(hours)} hours.")
        return CreditResult(hours, "publication_submitted", tuple(reasons))
    hours = _down(capped)
    return CreditResult(hours, "publication", tuple(reasons))


def check_offering(*, kind: str, cpe_hours: Decimal) -> None:
    """An offering's own rule: recorded webinars earn no CPE."""
    if kind == "recorded_webinar" and cpe_hours > 0:
        raise CreditRefused({"cpe_hours": ["Recorded webinars earn no CPE: set cpe_hours to 0."]})
    if cpe_hours < 0:
        raise CreditRefused({"cpe_hours": ["Enter a value of 0 or more."]})
    if cpe_hours > LIMITS["recommended_hours"]:
        raise CreditRefused(
            {"cpe_hours": [f"Enter at most {LIMITS['recommended_hours']} CPE hours."]}
        )
