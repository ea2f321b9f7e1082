"""The refund terms a member reads before buying an offering, as one pure function.

``refund_terms`` says in one ``Reason`` (an ``offering.terms_*`` code with the policy
numbers and dates it used; ``cpe.words`` puts it into words) what IMA's refund policy will
allow for a purchase made on ``enrolled_on``: the same groups and day counts as the refund
rule (``refunds.policy.refund_outcome``, whose tests check that both agree on the last day),
stated ahead of time. No ORM, no clock, no settings: the selector passes in the offering's
values, the date and the ``Policy`` of that year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cpe.choices import SELF_PACED_KINDS, OfferingKind
from imaportal.reasons import Reason
from policy.rules import Policy


def _days(n: int) -> Reason:
    return Reason("offering.days", {"n": n})


def _percent(value: Decimal) -> Decimal:
    """``10.00`` → ``10``, ``12.50`` → ``12.5``: the places the percent needs, no exponent."""
    return Decimal(f"{value.normalize():f}")


def _shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, held at the calendar's ends instead of overflowing."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def refund_terms(
    *,
    kind: str,
    price: Decimal,
    enrolled_on: dt.date,
    starts_on: dt.date | None,
    refund_deadline_days: int | None,
    refund_fee_percent: Decimal | None,
    policy: Policy,
) -> Reason:
    """What the refund policy allows for a purchase of this offering on ``enrolled_on``.

    Courses and recordings: within ``refund_window_days`` of purchase (the last day
    included) and before the final test. Live events: at least ``live_event_notice_days``
    before the start, and at least a day before it. Conferences: their own deadline and
    fee when set, else the live-event values. Every refund keeps the processing fee; a
    free registration has nothing to refund, and an event too close to refund says so."""
    if price <= 0:
        return Reason("offering.terms_free")
    percent = policy.refund_fee_percent
    if kind == OfferingKind.CONFERENCE and refund_fee_percent is not None:
        percent = refund_fee_percent
    if kind in SELF_PACED_KINDS:
        window = policy.refund_window_days
        return Reason(
            "offering.terms_self_paced",
            {
                "window": _days(window),
                "last_day": _shift(enrolled_on, window),
                "percent": _percent(percent),
            },
        )
    notice = policy.live_event_notice_days
    code = "offering.terms_live"
    if kind == OfferingKind.CONFERENCE:
        code = "offering.terms_conference"
        if refund_deadline_days is not None:
            notice = refund_deadline_days
    start = starts_on or enrolled_on  # the rule's reading of an event without a date
    last_day = _shift(start, -max(notice, 1))
    if last_day < enrolled_on:
        return Reason(code + "_too_late", {"notice": _days(notice), "starts_on": start})
    return Reason(
        code,
        {
            "notice": _days(notice),
            "starts_on": start,
            "last_day": last_day,
            "percent": _percent(percent),
        },
    )
