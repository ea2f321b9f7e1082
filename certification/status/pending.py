"""What is waiting for review: the hours of a member's pending entries that would count
toward the reporting year of ``as_of`` once approved (the same counting as the status rule:
never before certification, and the grace year's hours count toward the first year)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from certification.status.facts import ZERO, Credit, _q
from imaportal.reasons import Reason


def pending_hours(
    pending: Iterable[Credit], *, certified_on: dt.date | None, as_of: dt.date
) -> Decimal:
    """The sum of ``pending`` hours that would count toward ``as_of``'s reporting year."""
    if certified_on is None:
        return ZERO
    total = ZERO
    for credit in pending:
        if credit.completed_on < certified_on or credit.completed_on > as_of:
            continue
        year = credit.completed_on.year
        if year == certified_on.year:
            year += 1
        if year == as_of.year:
            total += credit.hours
    return _q(total)


def pending_review(
    pending: Iterable[Credit], *, certified_on: dt.date | None, as_of: dt.date
) -> Reason | None:
    """``status.pending_review`` with the hours waiting for review, or None when none are."""
    hours = pending_hours(pending, certified_on=certified_on, as_of=as_of)
    return Reason("status.pending_review", {"hours": hours}) if hours > 0 else None
