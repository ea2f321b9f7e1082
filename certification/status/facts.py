"""What the status rule takes and returns, and the small helpers its modules share."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from imaportal.reasons import Reason
from members.choices import CertificationStatus

ZERO = Decimal("0.0")
TENTH = Decimal("0.1")


# One enum per concept: the engine's statuses are the member's stored choices.
Status = CertificationStatus


@dataclass(frozen=True)
class Credit:
    """Approved CPE hours completed on a date (one entry, or a day's or year's sum)."""

    completed_on: dt.date
    hours: Decimal
    ethics_hours: Decimal = ZERO


@dataclass(frozen=True)
class StatusFacts:
    certified_on: dt.date | None
    credits: Sequence[Credit] = ()
    exempt_years: frozenset[int] = frozenset()
    retired_on: dt.date | None = None
    dues_paid_through: dt.date | None = None


@dataclass(frozen=True)
class YearRow:
    year: int
    required: Decimal
    earned: Decimal
    carried_in: Decimal
    carried_out: Decimal
    shortfall: Decimal | None  # None while the year is in progress
    exempt: bool
    ethics_required: Decimal = ZERO
    ethics_earned: Decimal = ZERO

    @property
    def ethics_missing(self) -> Decimal:
        """The ethics hours still missing from this year's ethics requirement."""
        return max(ZERO, self.ethics_required - self.ethics_earned)


@dataclass(frozen=True)
class StatusResult:
    status: Status
    reasons: tuple[Reason, ...]
    required_hours: Decimal | None = None
    available_hours: Decimal | None = None
    hours_needed: Decimal | None = None
    deadline: dt.date | None = None
    years: tuple[YearRow, ...] = ()
    # The first day on which the result can differ with no new facts (the calendar alone).
    valid_until: dt.date | None = None
    ethics_needed: Decimal | None = None

    @property
    def next_step(self) -> Reason:
        """The reason that tells the member where they stand and what to do next (the
        engine puts it first); shown with ``{{ result.next_step|sentence }}``."""
        return self.reasons[0] if self.reasons else Reason.text("")


@dataclass
class _Year:
    hours: Decimal = ZERO
    ethics: Decimal = ZERO


class LedgerMode(StrEnum):
    """Which rule judges a reporting year: the annual requirement, the requirement plus last
    year's shortfall, or restoration by one calendar year's hours."""

    NORMAL = "normal"
    MAKEUP = "makeup"
    LAPSED = "lapsed"


@dataclass
class _Ledger:
    """Where the CPE rules stand at the start of a year."""

    mode: LedgerMode = LedgerMode.NORMAL
    carried_in: Decimal = ZERO
    shortfall: Decimal = ZERO
    ethics_shortfall: Decimal = ZERO
    rows: list[YearRow] = field(default_factory=list)


def _q(value: Decimal) -> Decimal:
    return value.quantize(TENTH)


def _year_sums(
    credits: Iterable[Credit], certified_on: dt.date, as_of: dt.date
) -> dict[int, _Year]:
    """Approved hours per reporting year, as known on ``as_of``. Credit earned in the grace
    period counts toward the first reporting year; credit before certification never does."""
    grace_year = certified_on.year
    sums: dict[int, _Year] = defaultdict(_Year)
    for credit in credits:
        if credit.completed_on > as_of or credit.completed_on < certified_on:
            continue
        year = credit.completed_on.year
        if year == grace_year:
            year += 1
        sums[year].hours += credit.hours
        sums[year].ethics += credit.ethics_hours
    return sums
