"""The rules of exemption and retirement requests (SPEC section 4), as pure functions: no
ORM, no clock. The services pass the member's dates, today and the policy value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from imaportal.dates import add_years
from imaportal.formatting import day


def exemption_year_errors(
    years: Sequence[Any], *, certified_on: dt.date | None, today: dt.date
) -> list[str]:
    """What is wrong with the years of an exemption request: whole, distinct calendar
    years from the first reporting year (the year after certification) to next year."""
    if certified_on is None:
        return [_("Only CMAs have a CPE requirement to be exempted from.")]
    if not years:
        return [_("Name at least one calendar year.")]
    if any(isinstance(y, bool) or not isinstance(y, int) for y in years):
        return [_("Give whole calendar years such as 2026.")]
    if len(set(years)) != len(years):
        return [_("Name each year only once.")]
    first = certified_on.year + 1
    errors: list[str] = []
    for year in sorted(years):
        if year < first:
            errors.append(
                _(
                    "%(year)d is before your first reporting year, %(first)d (the year of "
                    "certification is a grace period with no CPE requirement)."
                )
                % {"year": year, "first": first}
            )
        elif year > today.year + 1:
            errors.append(
                _("%(year)d is too far ahead: ask at most for next year, %(next)d.")
                % {"year": year, "next": today.year + 1}
            )
    return errors


def retirement_eligible_from(birth_date: dt.date, min_age: int) -> dt.date:
    """The first day on which a member born on ``birth_date`` may be retired."""
    return add_years(birth_date, min_age)


def retirement_date_errors(
    *, birth_date: dt.date, retired_on: dt.date, today: dt.date, min_age: int
) -> list[str]:
    """What is wrong with a retirement date: at most a year ahead, and on or after the day
    the member reaches the policy's minimum age."""
    turns = retirement_eligible_from(birth_date, min_age)
    if retired_on > add_years(today, 1):
        return [_("The retirement date can be at most one year from today.")]
    if retired_on < turns:
        return [
            _(
                "Retired status needs an age of %(age)d or over on the retirement "
                "date. You turn %(age)d on %(date)s; choose that date or a later one."
            )
            % {"age": min_age, "date": day(turns)}
        ]
    return []
