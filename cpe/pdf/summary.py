"""The certification status as the PDF transcript shows it: plain values, no rules.

The certification app computes the status with its one status engine and passes this to
``cpe.pdf.transcript`` (``cpe`` may not import ``certification``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.0")


@dataclass(frozen=True)
class SummaryYear:
    """One reporting year of the status ledger: hours required and earned, the hours
    carried in from the year before, and the ethics hours where a year requires them."""

    year: int
    required: Decimal
    earned: Decimal
    carried_in: Decimal = ZERO
    exempt: bool = False
    ethics_required: Decimal = ZERO
    ethics_earned: Decimal = ZERO


@dataclass(frozen=True)
class StatusSummary:
    """The member's status in words (label and what to do next), the hours carried in to
    the current year, the hours waiting for review and the ledger of reporting years."""

    status: str
    next_step: str
    carried_in: Decimal
    pending: Decimal
    years: tuple[SummaryYear, ...] = ()

    @property
    def ethics(self) -> bool:
        """Whether some year has an ethics requirement (the ledger shows ethics columns)."""
        return any(row.ethics_required > 0 for row in self.years)
