"""Every policy number of SPEC section 7 in one frozen object per effective-from year.

The rule functions (``cpe.credit``, ``certification.status``, ``refunds.policy``) receive a
``Policy``; they never read settings. Defaults live here; administrators can add a version
that takes effect from a given year (``cpe.models.PolicyVersion``), so a rule change does
not rewrite past years."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Policy:
    effective_from: int = 1900
    # Certification status (SPEC section 3)
    annual_hours: Decimal = Decimal("30")
    carry_forward_max: Decimal = Decimal("10")
    lapse_restore_hours: Decimal = Decimal("60")
    retirement_min_age: int = 55
    ethics_hours_required: Decimal = Decimal("0")
    # CPE credit (SPEC section 2)
    minutes_per_credit: int = 50
    minute_credit_increment: Decimal = Decimal("0.5")
    full_day_minutes: int = 390
    full_day_credit: Decimal = Decimal("8")
    semester_hour_credit: Decimal = Decimal("15")
    quarter_hour_credit: Decimal = Decimal("10")
    exam_hour_credit: Decimal = Decimal("10")
    presentation_first_multiplier: Decimal = Decimal("2")
    presentation_repeat_multiplier: Decimal = Decimal("1")
    presentation_repeats_per_year: int = 1
    teaching_repeat_years: int = 3
    article_cap: Decimal = Decimal("6")
    book_cap: Decimal = Decimal("20")
    monograph_cap: Decimal = Decimal("20")
    submitted_publication_share: Decimal = Decimal("0.5")
    # Refunds (SPEC section 4)
    refund_fee_percent: Decimal = Decimal("10")
    refund_window_days: int = 30
    live_event_notice_days: int = 5
    refund_issue_days: int = 30

    def replace(self, **changes: object) -> Policy:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


DEFAULT_POLICY = Policy()

POLICY_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(Policy) if f.name != "effective_from"
)


def policy_for_year(year: int, versions: Iterable[Policy] = ()) -> Policy:
    """The policy in force in ``year``: the latest version effective from that year or
    earlier, else the defaults."""
    best = DEFAULT_POLICY
    for version in versions:
        if best.effective_from <= version.effective_from <= year:
            best = version
    return best
