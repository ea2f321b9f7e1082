"""``compute_status``: dues and retirement over the CPE state of the year ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from certification.status.facts import (
    Status,
    StatusFacts,
    StatusResult,
    _Ledger,
    _Year,
    _year_sums,
)
from certification.status.years import _close_year, _current_year
from imaportal.reasons import Reason
from policy.rules import Policy, policy_for_year


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
        reasons = [Reason("status.retired_since", {"date": facts.retired_on})]
    if not dues_ok:
        status = Status.INACTIVE_DUES
        if facts.dues_paid_through is None:
            reasons.insert(0, Reason("status.no_dues"))
        else:
            reasons.insert(0, Reason("status.dues_expired", {"date": facts.dues_paid_through}))
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
        return StatusResult(Status.NOT_CERTIFIED, (Reason("status.not_certified"),))
    if as_of < certified_on:
        return StatusResult(
            Status.NOT_CERTIFIED, (Reason("status.not_yet_certified", {"date": certified_on}),)
        )
    if as_of.year == certified_on.year:
        grace = Reason(
            "status.grace_period",
            {"until": dt.date(certified_on.year, 12, 31), "first_year": certified_on.year + 1},
        )
        return StatusResult(Status.GRACE, (grace,), deadline=None)
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
