"""The dues rule of SPEC section 5 as a pure function: where a member's dues stand on a
date and what the next period costs. No ORM, no clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from imaportal.dates import add_years


@dataclass(frozen=True)
class DuesOutlook:
    """Where a member's dues stand on ``today`` and what the next period costs."""

    paid_through: dt.date | None
    paid_up: bool  # dues cover today
    period_start: dt.date
    period_end: dt.date
    amount: Decimal | None  # None while no membership type is set
    currency: str


def dues_outlook(
    *, paid_through: dt.date | None, annual_dues: Decimal | None, currency: str, today: dt.date
) -> DuesOutlook:
    """The next period is the year after the paid-through date (from today when nothing
    has been paid); it costs the membership type's annual dues."""
    start = paid_through + dt.timedelta(days=1) if paid_through else today
    return DuesOutlook(
        paid_through=paid_through,
        paid_up=paid_through is not None and paid_through >= today,
        period_start=start,
        period_end=add_years(start, 1) - dt.timedelta(days=1),
        amount=annual_dues,
        currency=currency,
    )
