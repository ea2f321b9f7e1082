"""The words of the credit rules' reasons (``credit.*`` codes of ``cpe.credit.rules``).

Every number the policy can change is a parameter: the 50-minute hour and its rounding
step, the multipliers, the full day, the repeat limits, the teaching wait and the share of
a submitted publication. ``CpeConfig.ready`` imports this module, so the reasons render in
the web pages, the API, the admin and the tasks alike."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext_lazy

from imaportal import reasons

MESSAGES: dict[str, Promise | str] = {
    "credit.recommended_hours": gettext_lazy("The sponsor's recommended %(hours)s hours."),
    "credit.ima_offering": gettext_lazy("IMA offering worth %(hours)s CPE hours."),
    "credit.fifty_minute_hours": gettext_lazy(
        "%(minutes)s minutes = %(hours)s %(per_credit)s-minute hours "
        "(rounded down to the nearest %(increment)s)."
    ),
    "credit.under_fifty_minutes": gettext_lazy(
        "%(minutes)s minutes is under one %(per_credit)s-minute hour: no credit."
    ),
    "credit.semester": gettext_lazy(
        "%(course_hours)s semester credit hours × %(factor)s = %(hours)s."
    ),
    "credit.quarter": gettext_lazy(
        "%(course_hours)s quarter credit hours × %(factor)s = %(hours)s."
    ),
    "credit.full_day_applies": ngettext_lazy(
        "%(days)s full day of at least %(minutes)s minutes earns %(hours)s hours.",
        "%(days)s full days of at least %(minutes)s minutes earn %(hours)s hours.",
        "days",
    ),
    "credit.full_day_not_met": ngettext_lazy(
        "The full-day rule needs %(minutes)s minutes for %(days)s day; it does not apply.",
        "The full-day rule needs %(minutes)s minutes for %(days)s days; it does not apply.",
        "days",
    ),
    "credit.presentation_first": gettext_lazy(
        "First presentation: %(multiplier)s × %(base)s = %(hours)s hours."
    ),
    "credit.presentation_not_revised": gettext_lazy(
        "A repeated presentation counts only when it was substantially revised."
    ),
    "credit.presentation_repeat_limit": ngettext_lazy(
        "Only one substantially revised repeat of the same presentation counts per calendar "
        "year; %(year)s already has one.",
        "Only %(per_year)s substantially revised repeats of the same presentation count per "
        "calendar year; %(year)s already has %(per_year)s.",
        "per_year",
    ),
    "credit.presentation_repeat": gettext_lazy(
        "Substantially revised repeat: %(hours)s hours "
        "(%(multiplier)s × the %(per_credit)s-minute hours)."
    ),
    "credit.teaching_first": gettext_lazy(
        "First time teaching the course: %(weeks)s weeks × %(per_week)s = %(hours)s."
    ),
    "credit.teaching_changed": gettext_lazy(
        "Substantially changed course: %(weeks)s weeks × %(per_week)s = %(hours)s."
    ),
    "credit.teaching_after_years": ngettext_lazy(
        "Taught again %(years)s or more years after %(last)s: %(hours)s hours.",
        "Taught again %(years)s or more years after %(last)s: %(hours)s hours.",
        "years",
    ),
    "credit.teaching_too_soon": ngettext_lazy(
        "The same course counts again only from %(allowed_from)s (%(years)s year after its "
        "last credited teaching on %(last)s) or when substantially changed.",
        "The same course counts again only from %(allowed_from)s (%(years)s years after its "
        "last credited teaching on %(last)s) or when substantially changed.",
        "years",
    ),
    "credit.teaching_repeat": ngettext_lazy(
        "Teaching the same course again counts only when substantially changed or "
        "%(years)s year later.",
        "Teaching the same course again counts only when substantially changed or "
        "%(years)s years later.",
        "years",
    ),
    "credit.certification_exam": gettext_lazy(
        "%(exam_hours)s exam hours × %(factor)s = %(hours)s."
    ),
    "credit.publication_once": gettext_lazy(
        "This publication has already earned credit; it is never credited twice."
    ),
    "credit.capped_article": gettext_lazy(
        "Claimed %(claimed)s hours, capped at %(cap)s for an article."
    ),
    "credit.capped_book": gettext_lazy("Claimed %(claimed)s hours, capped at %(cap)s for a book."),
    "credit.capped_monograph": gettext_lazy(
        "Claimed %(claimed)s hours, capped at %(cap)s for a monograph."
    ),
    "credit.publication_submitted": gettext_lazy(
        "Submitted but not accepted: %(percent)s%% of the capped hours, %(hours)s hours."
    ),
    "credit.before_certification": gettext_lazy(
        "Completed before you became a CMA (certified on %(date)s): it will not count toward "
        "your CPE requirement."
    ),
    "credit.attendance_before_start": gettext_lazy(
        "Attendance can be recorded from the start date, %(date)s: this offering has not "
        "taken place yet."
    ),
    "credit.attendance_no_hours": gettext_lazy(
        "This offering carries no CPE hours: there is no credit to post from its attendance."
    ),
}

reasons.register("credit", MESSAGES)
