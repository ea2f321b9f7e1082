"""The credit rules of SPEC section 2, one function per kind of activity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from cpe.credit.inputs import (
    COURSE_TYPES,
    LIMITS,
    ZERO,
    ActivityInput,
    ActivityType,
    CreditRefused,
    CreditResult,
    PriorEntry,
    PublicationKind,
    PublicationStatus,
    check_input,
    fifty_minute_hours,
    fmt_hours,
    need,
    round_down,
    same_program,
)
from policy.rules import Policy


def compute_credit(
    entry: ActivityInput,
    *,
    prior: Sequence[PriorEntry] = (),
    policy: Policy,
    today: dt.date,
) -> CreditResult:
    """The credit ``entry`` earns under ``policy``, given the member's other entries."""
    kind = check_input(entry, today)
    # The same program: same type and title, whatever the dates (entries may be reported
    # out of order; an item credited once stays credited once).
    same = [
        p for p in prior if p.activity_type == kind.value and same_program(p.title, entry.title)
    ]
    if kind is ActivityType.UNIVERSITY_COURSE:
        return _university_course(entry, policy)
    if kind is ActivityType.SHORT_COURSE:
        return _short_course(entry, policy)
    if kind in (ActivityType.SELF_STUDY, ActivityType.SOFTWARE_CERTIFICATION_EXAM):
        hours = round_down(need(entry.recommended_hours))
        return CreditResult(
            hours, "recommended_hours", (f"The sponsor's recommended {fmt_hours(hours)} hours.",)
        )
    if kind is ActivityType.IMA_OFFERING:
        hours = round_down(need(entry.recommended_hours))
        return CreditResult(
            hours, "ima_offering", (f"IMA offering worth {fmt_hours(hours)} CPE hours.",)
        )
    if kind is ActivityType.ASSOCIATION_MEETING:
        hours = fifty_minute_hours(need(entry.minutes), policy)
        return CreditResult(
            hours, "fifty_minute_hour", (_fifty_reason(need(entry.minutes), hours),)
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
    return (
        f"{minutes} minutes = {fmt_hours(hours)} 50-minute hours (rounded down to the nearest 0.5)."
    )


def _university_course(entry: ActivityInput, policy: Policy) -> CreditResult:
    if entry.semester_credit_hours is not None:
        hours = round_down(entry.semester_credit_hours * policy.semester_hour_credit)
        return CreditResult(
            hours,
            "semester_credit_hours",
            (
                f"{entry.semester_credit_hours} semester credit hours × "
                f"{policy.semester_hour_credit} = {fmt_hours(hours)}.",
            ),
        )
    if entry.quarter_credit_hours is not None:
        hours = round_down(entry.quarter_credit_hours * policy.quarter_hour_credit)
        return CreditResult(
            hours,
            "quarter_credit_hours",
            (
                f"{entry.quarter_credit_hours} quarter credit hours × "
                f"{policy.quarter_hour_credit} = {fmt_hours(hours)}.",
            ),
        )
    hours = fifty_minute_hours(need(entry.minutes), policy)
    return CreditResult(hours, "fifty_minute_hour", (_fifty_reason(need(entry.minutes), hours),))


def _short_course(entry: ActivityInput, policy: Policy) -> CreditResult:
    hours = fifty_minute_hours(need(entry.minutes), policy)
    reasons = [_fifty_reason(need(entry.minutes), hours)]
    days = entry.full_day_days or 0
    if days > 0:
        if need(entry.minutes) >= policy.full_day_minutes * days:
            full = round_down(policy.full_day_credit * days)
            if full > hours:
                reasons.append(
                    f"{days} full day(s) of at least {policy.full_day_minutes} minutes earn "
                    f"{fmt_hours(full)} hours."
                )
                return CreditResult(full, "full_day", tuple(reasons))
        else:
            reasons.append(
                f"The full-day rule needs {policy.full_day_minutes * days} minutes for {days} "
                "day(s); it does not apply."
            )
    return CreditResult(hours, "fifty_minute_hour", tuple(reasons))


def _presentation(entry: ActivityInput, same: list[PriorEntry], policy: Policy) -> CreditResult:
    base = fifty_minute_hours(need(entry.minutes), policy)
    credited = [p for p in same if p.credited]
    if not credited and entry.first_presentation:
        hours = round_down(base * policy.presentation_first_multiplier)
        return CreditResult(
            hours,
            "presentation_first",
            (
                f"First presentation: {policy.presentation_first_multiplier} × "
                f"{fmt_hours(base)} = {fmt_hours(hours)} hours.",
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
    hours = round_down(base * policy.presentation_repeat_multiplier)
    return CreditResult(
        hours,
        "presentation_repeat",
        (f"Substantially revised repeat: {fmt_hours(hours)} hours (1 × the 50-minute hours).",),
    )


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _teaching(entry: ActivityInput, same: list[PriorEntry], policy: Policy) -> CreditResult:
    weeks, per_week = need(entry.weeks), need(entry.course_credit_hours)
    hours = round_down(Decimal(weeks) * per_week)
    credited = [p for p in same if p.credited]
    if not credited and entry.first_time:
        return CreditResult(
            hours,
            "teaching_first",
            (f"First time teaching the course: {weeks} weeks × {per_week} = {fmt_hours(hours)}.",),
        )
    if entry.substantially_changed:
        return CreditResult(
            hours,
            "teaching_changed",
            (f"Substantially changed course: {weeks} weeks × {per_week} = {fmt_hours(hours)}.",),
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
                    f"{last.isoformat()}: {fmt_hours(hours)} hours.",
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
            and same_program(p.review_course_for, entry.exam_name)
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
    hours = round_down(need(entry.exam_hours) * policy.exam_hour_credit)
    return CreditResult(
        hours,
        "certification_exam",
        (f"{entry.exam_hours} exam hours × {policy.exam_hour_credit} = {fmt_hours(hours)}.",),
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
    capped = min(need(entry.claimed_hours), cap)
    article = "an" if entry.publication_kind == PublicationKind.ARTICLE else "a"
    reasons = [
        f"Claimed {entry.claimed_hours} hours, capped at {cap} for {article} "
        f"{entry.publication_kind}."
    ]
    if entry.publication_status == PublicationStatus.SUBMITTED_NOT_ACCEPTED:
        hours = round_down(capped * policy.submitted_publication_share)
        reasons.append(f"Submitted but not accepted: half, {fmt_hours(hours)} hours.")
        return CreditResult(hours, "publication_submitted", tuple(reasons))
    hours = round_down(capped)
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
