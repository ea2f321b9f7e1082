"""The credit rules of SPEC section 2, one function per kind of activity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from cpe.choices import OfferingKind
from cpe.credit.inputs import (
    COURSE_TYPES,
    LIMITS,
    TENTH,
    ZERO,
    ActivityInput,
    ActivityType,
    CreditRefused,
    CreditResult,
    CreditRule,
    PriorEntry,
    PublicationKind,
    PublicationStatus,
    check_input,
    fifty_minute_hours,
    need,
    round_down,
    same_program,
)
from imaportal.dates import add_years
from imaportal.formatting import day
from imaportal.reasons import Param, Reason
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
            hours, CreditRule.RECOMMENDED_HOURS, (_r("recommended_hours", hours=hours),)
        )
    if kind is ActivityType.IMA_OFFERING:
        hours = round_down(need(entry.recommended_hours))
        return CreditResult(hours, CreditRule.IMA_OFFERING, (_r("ima_offering", hours=hours),))
    if kind is ActivityType.ASSOCIATION_MEETING:
        hours = fifty_minute_hours(need(entry.minutes), policy)
        return CreditResult(
            hours,
            CreditRule.FIFTY_MINUTE_HOUR,
            (_fifty_reason(need(entry.minutes), hours, policy),),
        )
    if kind is ActivityType.PRESENTATION:
        return _presentation(entry, same, policy)
    if kind is ActivityType.UNIVERSITY_TEACHING:
        return _teaching(entry, same, policy)
    if kind is ActivityType.CERTIFICATION_EXAM:
        return _exam(entry, prior, policy)
    return _publication(entry, same, policy)


def _r(code: str, **params: Param) -> Reason:
    """The reason ``credit.<code>``; its words are in ``cpe.credit.words``."""
    return Reason(f"credit.{code}", params)


def _fifty_reason(minutes: int, hours: Decimal, policy: Policy) -> Reason:
    if hours == 0:
        return _r("under_fifty_minutes", minutes=minutes, per_credit=policy.minutes_per_credit)
    return _r(
        "fifty_minute_hours",
        minutes=minutes,
        hours=hours,
        per_credit=policy.minutes_per_credit,
        increment=policy.minute_credit_increment,
    )


def _university_course(entry: ActivityInput, policy: Policy) -> CreditResult:
    if entry.semester_credit_hours is not None:
        hours = round_down(entry.semester_credit_hours * policy.semester_hour_credit)
        return CreditResult(
            hours,
            CreditRule.SEMESTER_CREDIT_HOURS,
            (
                _r(
                    "semester",
                    course_hours=entry.semester_credit_hours,
                    factor=policy.semester_hour_credit,
                    hours=hours,
                ),
            ),
        )
    if entry.quarter_credit_hours is not None:
        hours = round_down(entry.quarter_credit_hours * policy.quarter_hour_credit)
        return CreditResult(
            hours,
            CreditRule.QUARTER_CREDIT_HOURS,
            (
                _r(
                    "quarter",
                    course_hours=entry.quarter_credit_hours,
                    factor=policy.quarter_hour_credit,
                    hours=hours,
                ),
            ),
        )
    hours = fifty_minute_hours(need(entry.minutes), policy)
    return CreditResult(
        hours, CreditRule.FIFTY_MINUTE_HOUR, (_fifty_reason(need(entry.minutes), hours, policy),)
    )


def _short_course(entry: ActivityInput, policy: Policy) -> CreditResult:
    hours = fifty_minute_hours(need(entry.minutes), policy)
    reasons = [_fifty_reason(need(entry.minutes), hours, policy)]
    days = entry.full_day_days or 0
    if days > 0:
        if need(entry.minutes) >= policy.full_day_minutes * days:
            full = round_down(policy.full_day_credit * days)
            if full > hours:
                reasons.append(
                    _r("full_day_applies", days=days, minutes=policy.full_day_minutes, hours=full)
                )
                return CreditResult(full, CreditRule.FULL_DAY, tuple(reasons))
        else:
            reasons.append(
                _r("full_day_not_met", days=days, minutes=policy.full_day_minutes * days)
            )
    return CreditResult(hours, CreditRule.FIFTY_MINUTE_HOUR, tuple(reasons))


def _presentation(entry: ActivityInput, same: list[PriorEntry], policy: Policy) -> CreditResult:
    base = fifty_minute_hours(need(entry.minutes), policy)
    credited = [p for p in same if p.credited]
    if not credited and entry.first_presentation:
        hours = round_down(base * policy.presentation_first_multiplier)
        return CreditResult(
            hours,
            CreditRule.PRESENTATION_FIRST,
            (
                _r(
                    "presentation_first",
                    multiplier=policy.presentation_first_multiplier,
                    base=base,
                    hours=hours,
                ),
            ),
        )
    if not entry.substantially_revised:
        return CreditResult(ZERO, CreditRule.PRESENTATION_REPEAT, (_r("presentation_not_revised"),))
    repeats_this_year = [
        p
        for p in credited
        if p.rule == CreditRule.PRESENTATION_REPEAT
        and p.completed_on.year == entry.completed_on.year
    ]
    if len(repeats_this_year) >= policy.presentation_repeats_per_year:
        return CreditResult(
            ZERO,
            CreditRule.PRESENTATION_REPEAT_LIMIT,
            (
                _r(
                    "presentation_repeat_limit",
                    per_year=policy.presentation_repeats_per_year,
                    year=entry.completed_on.year,
                ),
            ),
        )
    hours = round_down(base * policy.presentation_repeat_multiplier)
    return CreditResult(
        hours,
        CreditRule.PRESENTATION_REPEAT,
        (
            _r(
                "presentation_repeat",
                hours=hours,
                multiplier=policy.presentation_repeat_multiplier,
                per_credit=policy.minutes_per_credit,
            ),
        ),
    )


def _teaching(entry: ActivityInput, same: list[PriorEntry], policy: Policy) -> CreditResult:
    weeks, per_week = need(entry.weeks), need(entry.course_credit_hours)
    hours = round_down(Decimal(weeks) * per_week)
    credited = [p for p in same if p.credited]
    years = policy.teaching_repeat_years
    if not credited and entry.first_time:
        reason = _r("teaching_first", weeks=weeks, per_week=per_week, hours=hours)
        return CreditResult(hours, CreditRule.TEACHING_FIRST, (reason,))
    if entry.substantially_changed:
        reason = _r("teaching_changed", weeks=weeks, per_week=per_week, hours=hours)
        return CreditResult(hours, CreditRule.TEACHING_CHANGED, (reason,))
    if not credited:
        return CreditResult(ZERO, CreditRule.TEACHING_REPEAT, (_r("teaching_repeat", years=years),))
    last = max(p.completed_on for p in credited)
    allowed_from = add_years(last, years)
    if entry.completed_on >= allowed_from:
        reason = _r("teaching_after_years", years=years, last=last, hours=hours)
        return CreditResult(hours, CreditRule.TEACHING_AFTER_REPEAT_YEARS, (reason,))
    reason = _r("teaching_too_soon", allowed_from=allowed_from, years=years, last=last)
    return CreditResult(ZERO, CreditRule.TEACHING_REPEAT, (reason,))


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
                        _(
                            "You already reported the review course “%(title)s” (entry "
                            "%(id)s, %(date)s) for %(exam)s; the exam and its review course "
                            "cannot both earn credit."
                        )
                        % {
                            "title": p.title,
                            "id": p.id,
                            "date": day(p.completed_on),
                            "exam": entry.exam_name,
                        }
                    ]
                }
            )
    exam_hours = need(entry.exam_hours)
    hours = round_down(exam_hours * policy.exam_hour_credit)
    reason = _r(
        "certification_exam", exam_hours=exam_hours, factor=policy.exam_hour_credit, hours=hours
    )
    return CreditResult(hours, CreditRule.CERTIFICATION_EXAM, (reason,))


def _publication(entry: ActivityInput, same: list[PriorEntry], policy: Policy) -> CreditResult:
    if any(p.credited for p in same):
        return CreditResult(ZERO, CreditRule.PUBLICATION_ONCE, (_r("publication_once"),))
    kind = PublicationKind(entry.publication_kind)
    cap = {
        PublicationKind.ARTICLE: policy.article_cap,
        PublicationKind.BOOK: policy.book_cap,
        PublicationKind.MONOGRAPH: policy.monograph_cap,
    }[kind]
    claimed = need(entry.claimed_hours)
    capped = min(claimed, cap)
    reasons = [_r(f"capped_{kind.value}", claimed=claimed, cap=cap)]
    if entry.publication_status == PublicationStatus.SUBMITTED_NOT_ACCEPTED:
        share = policy.submitted_publication_share
        hours = round_down(capped * share)
        reasons.append(_r("publication_submitted", percent=_percent(share), hours=hours))
        return CreditResult(hours, CreditRule.PUBLICATION_SUBMITTED, tuple(reasons))
    return CreditResult(round_down(capped), CreditRule.PUBLICATION, tuple(reasons))


def _percent(share: Decimal) -> Decimal:
    """``share`` (0.5) as a percentage (50), whole unless it has a fraction (33.3)."""
    percent = share * 100
    if percent == percent.to_integral_value():
        return percent.quantize(Decimal(1))
    return percent.quantize(TENTH)


def check_offering(*, kind: str, cpe_hours: Decimal) -> None:
    """An offering's own rule: recorded webinars earn no CPE."""
    if kind == OfferingKind.RECORDED_WEBINAR and cpe_hours > 0:
        raise CreditRefused(
            {"cpe_hours": [_("Recorded webinars earn no CPE: set the CPE hours to 0.")]}
        )
    if cpe_hours < 0:
        raise CreditRefused({"cpe_hours": [_("Enter a value of 0 or more.")]})
    if cpe_hours > LIMITS["recommended_hours"]:
        raise CreditRefused(
            {
                "cpe_hours": [
                    _("Enter at most %(most)s CPE hours.") % {"most": LIMITS["recommended_hours"]}
                ]
            }
        )


def certification_warning(*, completed_on: dt.date, certified_on: dt.date | None) -> Reason | None:
    """The warning a member reads before submitting an activity completed before their
    certification date: it is kept but does not count toward the requirement (SPEC §3)."""
    if certified_on is None or completed_on >= certified_on:
        return None
    return _r("before_certification", date=certified_on)


def attendance_refusal(
    *, starts_on: dt.date | None, cpe_hours: Decimal, today: dt.date
) -> Reason | None:
    """Why attendance of an offering cannot be imported yet, or None when it can: it must
    have taken place (an offering without a start date is credited on the import day) and
    carry CPE hours."""
    if starts_on is not None and starts_on > today:
        return _r("attendance_before_start", date=starts_on)
    if cpe_hours <= 0:
        return _r("attendance_no_hours")
    return None
