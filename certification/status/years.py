"""The year ledger: each finished year closed in turn, then the current year judged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from certification.status.facts import (
    ZERO,
    LedgerMode,
    Status,
    StatusFacts,
    StatusResult,
    YearRow,
    _Ledger,
    _q,
    _Year,
)
from imaportal.reasons import Reason
from policy.rules import Policy, policy_for_year

NORMAL, MAKEUP, LAPSED = LedgerMode.NORMAL, LedgerMode.MAKEUP, LedgerMode.LAPSED


def _close_year(
    ledger: _Ledger, year: int, got: _Year, *, exempt: bool, retired: bool, policy: Policy
) -> None:
    """Apply one finished year to the ledger."""
    if retired or (exempt and ledger.mode != LAPSED):
        # From the retirement year on there is no requirement, whatever came before; an
        # exempt year has none either (a lapsed member is restored only by earning hours).
        _close_free(ledger, year, got, exempt=exempt, policy=policy)
    elif ledger.mode == LAPSED:
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
    ledger.mode, ledger.carried_in = NORMAL, carried_out
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
    ledger.mode, ledger.carried_in = (NORMAL, carried_out) if ok else (LAPSED, ZERO)
    ledger.shortfall = ledger.ethics_shortfall = ZERO


def _close_required(ledger: _Ledger, year: int, got: _Year, *, policy: Policy) -> None:
    """A finished year with a requirement: met (carry forward), short (make-up) or short
    again after a make-up year (lapsed)."""
    carried_in = ledger.carried_in
    required = policy.annual_hours + (ledger.shortfall if ledger.mode == MAKEUP else ZERO)
    ethics_required = policy.ethics_hours_required + (
        ledger.ethics_shortfall if ledger.mode == MAKEUP else ZERO
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
        ledger.mode, ledger.shortfall, ledger.ethics_shortfall = NORMAL, ZERO, ZERO
    elif ledger.mode == MAKEUP:
        ledger.mode, ledger.shortfall, ledger.ethics_shortfall = LAPSED, ZERO, ZERO
        ledger.carried_in = ZERO
    else:
        ledger.mode, ledger.shortfall, ledger.ethics_shortfall = MAKEUP, short, ethics_short


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
        retired = Reason("status.retired_since", {"date": facts.retired_on})
        return StatusResult(Status.RETIRED, (retired,), years=(*ledger.rows, row))
    if ledger.mode == LAPSED:
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
                Reason(
                    "status.restored",
                    {"earned": _q(got.hours), "year": year, "required": _q(required)},
                ),
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
            Reason(
                "status.lapsed",
                {
                    "required": _q(required),
                    "earned": _q(got.hours),
                    "year": year,
                    "needed": _q(needed),
                },
            ),
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
    reasons = [Reason("status.exempt", {"year": year})]
    if ledger.mode == MAKEUP:
        reasons.append(Reason("status.exemption_clears_makeup"))
    return StatusResult(
        Status.EXEMPT, tuple(reasons), ZERO, _q(available), ZERO, year_end, (*ledger.rows, row)
    )


def _current_required(
    ledger: _Ledger, got: _Year, year: int, *, policy: Policy, year_end: dt.date
) -> StatusResult:
    """A current year with a requirement (the annual hours, plus last year's shortfall in a
    make-up year): active, or still in make-up."""
    carried_in = ledger.carried_in
    available = got.hours + carried_in
    makeup = ledger.mode == MAKEUP
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
    figures = (_q(required), _q(available), _q(needed), year_end, (*ledger.rows, row), None)
    if makeup and (needed > 0 or ethics_needed > 0):
        reasons = _makeup_reasons(ledger, year, required, needed, ethics_needed, year_end)
        return StatusResult(Status.INACTIVE_MAKEUP, reasons, *figures, _q(ethics_needed))
    if needed > 0 or ethics_needed > 0:
        reasons = _active_reasons(
            year_end, required=required, available=available, carried_in=carried_in, needed=needed
        ) + _ethics_note(ethics_needed)
    else:
        reasons = (Reason("status.requirement_met", {"year": year, "required": _q(required)}),)
    if makeup:
        reasons += (
            Reason(
                "status.makeup_completed", {"available": _q(available), "required": _q(required)}
            ),
        )
    return StatusResult(Status.ACTIVE, reasons, *figures, _q(ethics_needed))


def _ethics_note(ethics_needed: Decimal) -> tuple[Reason, ...]:
    if ethics_needed > 0:
        return (Reason("status.ethics_needed", {"ethics_needed": _q(ethics_needed)}),)
    return ()


def _active_reasons(
    year_end: dt.date,
    *,
    required: Decimal,
    available: Decimal,
    carried_in: Decimal,
    needed: Decimal,
) -> tuple[Reason, ...]:
    """An active member's year: what is still needed by the year end, or that it is met."""
    params: dict[str, Decimal | dt.date] = {
        "needed": _q(needed),
        "deadline": year_end,
        "available": _q(available),
        "required": _q(required),
    }
    if carried_in:
        return (Reason("status.more_hours_with_carry", {**params, "carried_in": _q(carried_in)}),)
    return (Reason("status.more_hours", params),)


def _makeup_reasons(
    ledger: _Ledger,
    year: int,
    required: Decimal,
    needed: Decimal,
    ethics_needed: Decimal,
    year_end: dt.date,
) -> tuple[Reason, ...]:
    """A make-up year not yet made up: what is missing, and why the year is a make-up."""
    if needed > 0:
        first = Reason("status.makeup_more_hours", {"needed": _q(needed), "deadline": year_end})
    else:
        first = Reason(
            "status.makeup_more_ethics",
            {"ethics_needed": _q(ethics_needed), "deadline": year_end},
        )
    short: dict[str, Decimal] = {}
    if ledger.shortfall:
        short["shortfall"] = _q(ledger.shortfall)
    if ledger.ethics_shortfall:
        short["ethics_shortfall"] = _q(ledger.ethics_shortfall)
    kind = "both" if len(short) == 2 else "hours" if "shortfall" in short else "ethics"
    why = Reason(
        f"status.makeup_year_{kind}",
        {"last_year": year - 1, "year": year, "required": _q(required), **short},
    )
    return (first, why, *(_ethics_note(ethics_needed) if needed > 0 else ()))
