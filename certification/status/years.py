"""The year ledger: each finished year closed in turn, then the current year judged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from certification.status.facts import (
    ZERO,
    Status,
    StatusFacts,
    StatusResult,
    YearRow,
    _day,
    _hours,
    _Ledger,
    _q,
    _Year,
)
from policy.rules import Policy, policy_for_year


def _close_year(
    ledger: _Ledger, year: int, got: _Year, *, exempt: bool, retired: bool, policy: Policy
) -> None:
    """Apply one finished year to the ledger."""
    if retired or (exempt and ledger.mode != "lapsed"):
        # From the retirement year on there is no requirement, whatever came before; an
        # exempt year has none either (a lapsed member is restored only by earning hours).
        _close_free(ledger, year, got, exempt=exempt, policy=policy)
    elif ledger.mode == "lapsed":
        _close_lapsed(ledger, year, got, exempt=exempt, policy=policy)
    else:
        _close_required(ledger, year, got, policy=policy)


def _close_free(ledger: _Ledger, year: int, got: _Year, *, exempt: bool, policy: Policy) -> None:
    """A finished year with no requirement (retired or exempt): hours carry forward."""
    carried_in = ledger.carried_in
    carried_out = min(policy.carry_forward_max, got.hours)
    ledger.rows.append(
        YearRow(year, ZERO, _q(got.hours), _q(carried_in), _q(carried_out), ZERO, exempt)
    )
    ledger.mode, ledger.carried_in = "normal", carried_out
    ledger.shortfall = ledger.ethics_shortfall = ZERO


def _close_lapsed(ledger: _Ledger, year: int, got: _Year, *, exempt: bool, policy: Policy) -> None:
    """A finished year of a lapsed member: restored by the hours of one calendar year."""
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


def _close_required(ledger: _Ledger, year: int, got: _Year, *, policy: Policy) -> None:
    """A finished year with a requirement: met (carry forward), short (make-up) or short
    again after a make-up year (lapsed)."""
    carried_in = ledger.carried_in
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
        return _current_lapsed(ledger, got, year, exempt=exempt, policy=policy, year_end=year_end)
    if exempt:
        return _current_exempt(ledger, got, year, year_end=year_end)
    return _current_required(ledger, got, year, policy=policy, year_end=year_end)


def _current_lapsed(
    ledger: _Ledger, got: _Year, year: int, *, exempt: bool, policy: Policy, year_end: dt.date
) -> StatusResult:
    """The current year of a lapsed member: restored once one calendar year's hours are in."""
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


def _current_exempt(ledger: _Ledger, got: _Year, year: int, *, year_end: dt.date) -> StatusResult:
    """An exempt current year: no requirement, and an exemption clears a make-up."""
    carried_in = ledger.carried_in
    available = got.hours + carried_in
    row = YearRow(year, ZERO, _q(got.hours), _q(carried_in), ZERO, None, True)
    reasons = [f"Exempt from the CPE requirement for {year}."]
    if ledger.mode == "makeup":
        reasons.append("The exemption clears the make-up from last year.")
    return StatusResult(
        Status.EXEMPT, tuple(reasons), ZERO, _q(available), ZERO, year_end, (*ledger.rows, row)
    )


def _current_required(
    ledger: _Ledger, got: _Year, year: int, *, policy: Policy, year_end: dt.date
) -> StatusResult:
    """A current year with a requirement (the annual hours, plus last year's shortfall in a
    make-up year): active, or still in make-up. Long on purpose: the requirement,
    the ledger row and the active member's sentences read best as one piece."""
    carried_in = ledger.carried_in
    available = got.hours + carried_in
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
        return _makeup_result(
            ledger,
            year,
            required=required,
            available=available,
            needed=needed,
            ethics_needed=ethics_needed,
            ethics_note=ethics_note,
            year_end=year_end,
            years=years,
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


def _makeup_result(
    ledger: _Ledger,
    year: int,
    *,
    required: Decimal,
    available: Decimal,
    needed: Decimal,
    ethics_needed: Decimal,
    ethics_note: list[str],
    year_end: dt.date,
    years: tuple[YearRow, ...],
) -> StatusResult:
    """A make-up year not yet made up: what is missing, and why the year is a make-up."""
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
