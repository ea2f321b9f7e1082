"""Certification status (SPEC section 3) as one pure function.

``compute_status(facts, policies=..., as_of=...)`` is used by the nightly job for every
member, by the recompute after each write, and by the ``as_of`` API alike. It reads no
clock, settings or database: the caller passes the member's facts and the policy
versions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from policy.rules import Policy, policy_for_year

ZERO = Decimal("0.0")
TENTH = Decimal("0.1")


class Status(StrEnum):
    NOT_CERTIFIED = "not_certified"
    GRACE = "grace"
    ACTIVE = "active"
    EXEMPT = "exempt"
    RETIRED = "retired"
    INACTIVE_MAKEUP = "inactive_makeup"
    INACTIVE_LAPSED = "inactive_lapsed"
    INACTIVE_DUES = "inactive_dues"


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


@dataclass(frozen=True)
class StatusResult:
    status: Status
    reasons: tuple[str, ...]
    required_hours: Decimal | None = None
    available_hours: Decimal | None = None
    hours_needed: Decimal | None = None
    deadline: dt.date | None = None
    years: tuple[YearRow, ...] = ()
    # The first day on which the result can differ with no new facts (the calendar alone).
    valid_until: dt.date | None = None
    ethics_needed: Decimal | None = None

    @property
    def next_step(self) -> str:
        """The one sentence that tells the member where they stand and what to do next
        (the engine puts it first)."""
        return self.reasons[0] if self.reasons else ""


@dataclass
class _Year:
    hours: Decimal = ZERO
    ethics: Decimal = ZERO


@dataclass
class _Ledger:
    """Where the CPE rules stand at the start of a year."""

    mode: str = "normal"  # normal | makeup | lapsed
    carried_in: Decimal = ZERO
    shortfall: Decimal = ZERO
    ethics_shortfall: Decimal = ZERO
    rows: list[YearRow] = field(default_factory=list)


def _q(value: Decimal) -> Decimal:
    return value.quantize(TENTH)


def _hours(value: Decimal) -> str:
    return f"{_q(value)}"


def _day(value: dt.date) -> str:
    return f"{value.day} {value.strftime('%B')} {value.year}"


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


def _close_year(
    ledger: _Ledger, year: int, got: _Year, *, exempt: bool, retired: bool, policy: Policy
) -> None:
    """Apply one finished year to the ledger."""
    carried_in = ledger.carried_in
    if retired:
        # From the retirement year on there is no requirement, whatever came before.
        carried_out = min(policy.carry_forward_max, got.hours)
        ledger.rows.append(
            YearRow(year, ZERO, _q(got.hours), _q(carried_in), _q(carried_out), ZERO, exempt)
        )
        ledger.mode, ledger.carried_in = "normal", carried_out
        ledger.shortfall = ledger.ethics_shortfall = ZERO
        return
    if ledger.mode == "lapsed":
        required = policy.lapse_restore_hours
        ok = got.hours >= required
        carried_out = min(policy.carry_forward_max, got.hours - required) if ok else ZERO
        ledger.rows.append(
            YearRow(
                year,
                _q(required),
                _q(got.hours),
                ZERO,
                _q(carried_out),
                ZERO if ok else _q(required - got.hours),
                exempt,
            )
        )
        ledger.mode, ledger.carried_in = ("normal", carried_out) if ok else ("lapsed", ZERO)
        ledger.shortfall = ledger.ethics_shortfall = ZERO
        return
    if exempt:
        carried_out = min(policy.carry_forward_max, got.hours)
        ledger.rows.append(
            YearRow(year, ZERO, _q(got.hours), _q(carried_in), _q(carried_out), ZERO, exempt)
        )
        ledger.mode, ledger.carried_in = "normal", carried_out
        ledger.shortfall = ledger.ethics_shortfall = ZERO
        return
    required = policy.annual_hours + (ledger.shortfall if ledger.mode == "makeup" else ZERO)
    ethics_required = policy.ethics_hours_required + (
        ledger.ethics_shortfall if ledger.mode == "makeup" else ZERO
    )
    available = got.hours + carried_in
    short = max(ZERO, required - available)
    ethics_short = max(ZERO, ethics_required - got.ethics)
    carried_out = (
        min(policy.carry_forward_max, got.hours, available - required) if short == 0 else ZERO
    )
    ledger.rows.append(
        YearRow(
            year,
            _q(required),
            _q(got.hours),
            _q(carried_in),
            _q(carried_out),
            _q(short),
            False,
            _q(ethics_required),
            _q(got.ethics),
        )
    )
    ledger.carried_in = carried_out
    if short == 0 and ethics_short == 0:
        ledger.mode, ledger.shortfall, ledger.ethics_shortfall = "normal", ZERO, ZERO
    elif ledger.mode == "makeup":
        ledger.mode, ledger.shortfall, ledger.ethics_shortfall = "lapsed", ZERO, ZERO
        ledger.carried_in = ZERO
    else:
        ledger.mode, ledger.shortfall, ledger.ethics_shortfall = "makeup", short, ethics_short


def compute_status(
    facts: StatusFacts, *, policies: Iterable[Policy] = (), as_of: dt.date
) -> StatusResult:
    """The member's certification status on ``as_of`` with its reasons and ledger."""
    versions = list(policies)
    year_end = dt.date(as_of.year, 12, 31)
    next_year = dt.date(as_of.year + 1, 1, 1)
    boundaries = [next_year]
    for day in (facts.certified_on, facts.retired_on):
        if day is not None and day > as_of:
            boundaries.append(day)
    dues_ok = facts.dues_paid_through is not None and as_of <= facts.dues_paid_through
    if dues_ok and facts.dues_paid_through is not None:
        boundaries.append(facts.dues_paid_through + dt.timedelta(days=1))
    valid_until = min(boundaries)

    cpe = _cpe_state(facts, versions, as_of, year_end)
    reasons = list(cpe.reasons)
    status = cpe.status
    if facts.retired_on is not None and as_of >= facts.retired_on:
        status = Status.RETIRED
        reasons = [f"Retired since {_day(facts.retired_on)}: no CPE requirement."]
    if not dues_ok:
        status = Status.INACTIVE_DUES
        if facts.dues_paid_through is None:
            reasons.insert(0, "No dues payment is on record: pay your dues to become active.")
        else:
            reasons.insert(
                0,
                f"Dues were paid through {_day(facts.dues_paid_through)}: pay the current dues "
                "to become active.",
            )
    # Retired members have no requirement; otherwise the CPE figures stand (also while
    # dues are unpaid, so the member sees both).
    keep = status != Status.RETIRED
    return StatusResult(
        status=status,
        reasons=tuple(reasons),
        required_hours=cpe.required_hours if keep else None,
        available_hours=cpe.available_hours if keep else None,
        hours_needed=cpe.hours_needed if keep else None,
        deadline=cpe.deadline if keep else None,
        years=cpe.years,
        valid_until=valid_until,
        ethics_needed=cpe.ethics_needed if keep else None,
    )


def _cpe_state(
    facts: StatusFacts, versions: list[Policy], as_of: dt.date, year_end: dt.date
) -> StatusResult:
    """The CPE part of the status (before retirement and dues take precedence)."""
    certified_on = facts.certified_on
    if certified_on is None:
        return StatusResult(Status.NOT_CERTIFIED, ("Not a CMA: no CPE requirement.",))
    if as_of < certified_on:
        return StatusResult(
            Status.NOT_CERTIFIED, (f"Not yet certified on this date ({_day(certified_on)}).",)
        )
    if as_of.year == certified_on.year:
        return StatusResult(
            Status.GRACE,
            (
                f"Grace period until 31 December {certified_on.year}: no requirement yet. "
                f"Hours earned now count toward {certified_on.year + 1}.",
            ),
            deadline=None,
        )
    sums = _year_sums(facts.credits, certified_on, as_of)
    retired_year = facts.retired_on.year if facts.retired_on and as_of >= facts.retired_on else None
    ledger = _Ledger()
    for year in range(certified_on.year + 1, as_of.year):
        _close_year(
            ledger,
            year,
            sums.get(year, _Year()),
            exempt=year in facts.exempt_years,
            retired=retired_year is not None and year >= retired_year,
            policy=policy_for_year(year, versions),
        )
    return _current_year(ledger, facts, sums.get(as_of.year, _Year()), versions, as_of, year_end)


def _current_year(
    ledger: _Ledger,
    facts: StatusFacts,
    got: _Year,
    versions: list[Policy],
    as_of: dt.date,
    year_end: dt.date,
) -> StatusResult:
    year = as_of.year
    policy = policy_for_year(year, versions)
    exempt = year in facts.exempt_years
    if facts.retired_on is not None and as_of >= facts.retired_on:
        # compute_status reports "retired"; the ledger shows no requirement this year.
        row = YearRow(year, ZERO, _q(got.hours), _q(ledger.carried_in), ZERO, None, exempt)
        return StatusResult(
            Status.RETIRED, ("Retired: no CPE requirement.",), years=(*ledger.rows, row)
        )
    if ledger.mode == "lapsed":
        required = policy.lapse_restore_hours
        row = YearRow(year, _q(required), _q(got.hours), ZERO, ZERO, None, exempt)
        years = (*ledger.rows, row)
        if got.hours >= required:
            return StatusResult(
                Status.ACTIVE,
                (
                    f"Restored: {_hours(got.hours)} hours earned in {year}, at least "
                    f"{_hours(required)} in one calendar year.",
                ),
                _q(required),
                _q(got.hours),
                ZERO,
                year_end,
                years,
            )
        needed = required - got.hours
        return StatusResult(
            Status.INACTIVE_LAPSED,
            (
                f"Lapsed: return to active by earning {_hours(required)} hours within one "
                f"calendar year; {_hours(got.hours)} earned in {year}, {_hours(needed)} to go.",
            ),
            _q(required),
            _q(got.hours),
            _q(needed),
            None,
            years,
        )
    carried_in = ledger.carried_in
    available = got.hours + carried_in
    if exempt:
        row = YearRow(year, ZERO, _q(got.hours), _q(carried_in), ZERO, None, True)
        reasons = [f"Exempt from the CPE requirement for {year}."]
        if ledger.mode == "makeup":
            reasons.append("The exemption clears the make-up from last year.")
        return StatusResult(
            Status.EXEMPT, tuple(reasons), ZERO, _q(available), ZERO, year_end, (*ledger.rows, row)
        )
    makeup = ledger.mode == "makeup"
    required = policy.annual_hours + (ledger.shortfall if makeup else ZERO)
    ethics_required = policy.ethics_hours_required + (ledger.ethics_shortfall if makeup else ZERO)
    needed = max(ZERO, required - available)
    ethics_needed = max(ZERO, ethics_required - got.ethics)
    row = YearRow(
        year,
        _q(required),
        _q(got.hours),
        _q(carried_in),
        ZERO,
        None,
        False,
        _q(ethics_required),
        _q(got.ethics),
    )
    years = (*ledger.rows, row)
    ethics_note = (
        [f"{_hours(ethics_needed)} of them must be ethics hours."] if ethics_needed > 0 else []
    )
    if makeup and (needed > 0 or ethics_needed > 0):
        return StatusResult(
            Status.INACTIVE_MAKEUP,
            (
                f"{_hours(needed)} more hours by {_day(year_end)} to return to active."
                if needed > 0
                else f"{_hours(ethics_needed)} more ethics hours by {_day(year_end)} to "
                "return to active.",
                f"{year - 1} ended short ("
                + ", ".join(
                    part
                    for part in (
                        f"{_hours(ledger.shortfall)} hours" if ledger.shortfall else "",
                        f"{_hours(ledger.ethics_shortfall)} ethics hours"
                        if ledger.ethics_shortfall
                        else "",
                    )
                    if part
                )
                + f"): make-up year, {_hours(required)} hours needed in {year}.",
                *(ethics_note if needed > 0 else []),
            ),
            _q(required),
            _q(available),
            _q(needed),
            year_end,
            years,
            None,
            _q(ethics_needed),
        )
    reasons = []
    if needed > 0 or ethics_needed > 0:
        reasons.append(
            f"{_hours(needed)} more hours by {_day(year_end)} to stay active "
            f"({_hours(available)} of {_hours(required)}"
            + (f", including {_hours(carried_in)} carried in" if carried_in else "")
            + ")."
        )
        reasons.extend(ethics_note)
    else:
        reasons.append(f"The {year} requirement of {_hours(required)} hours is met.")
    if makeup:
        reasons.append(f"Make-up completed: {_hours(available)} of {_hours(required)} hours.")
    return StatusResult(
        Status.ACTIVE,
        tuple(reasons),
        _q(required),
        _q(available),
        _q(needed),
        year_end,
        years,
        None,
        _q(ethics_needed),
    )
