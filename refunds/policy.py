"""IMA's refund and cancellation policy (SPEC section 4) as one pure function.

``refund_outcome`` takes what the policy looks at (the offering's kind and dates, what the
member paid and did) plus the request date and the ``Policy``, and says whether a refund is
owed, how much, the processing fee, a reason code for the API and a ``Reason`` (a
``refund.*`` code with the policy numbers, dates and amounts it used) that
``refunds.words`` puts into words when a page, the API or an email shows it.
No ORM, no clock, no settings: the service gathers the inputs and stores the answer, the
request page shows it before the member confirms, and the tests walk its boundaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cpe.choices import EVENT_KINDS, SELF_PACED_KINDS, OfferingKind
from imaportal.formatting import Money
from imaportal.reasons import Reason
from policy.rules import Policy
from refunds.choices import RefundReason

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


# One enum per concept: the rule's reason codes are the stored choices.
ReasonCode = RefundReason


@dataclass(frozen=True)
class RefundCase:
    """The facts of one enrollment that the policy looks at."""

    kind: str  # an OfferingKind value
    price: Decimal  # what the member paid, in the enrollment's currency
    enrolled_on: dt.date  # purchase / registration date
    starts_on: dt.date | None = None  # events and conferences
    final_test_taken: bool = False  # self-study
    attended: bool = False  # events and conferences
    # A conference's own terms; the live-event defaults apply when a conference lacks them.
    refund_deadline_days: int | None = None
    refund_fee_percent: Decimal | None = None
    currency: str = ""  # ISO 4217; the reason's amounts are written with it when known


@dataclass(frozen=True)
class RefundOutcome:
    eligible: bool
    amount: Decimal  # the refund the policy owes: price - fee when eligible, else 0
    fee: Decimal  # the policy's processing fee on this price, half-up to the cent
    fee_percent: Decimal
    reason_code: ReasonCode
    reason: Reason  # put into words the same way on the page, in the API and in the email
    issue_by: dt.date | None  # events: the refund must be issued by this date
    special_allowed: bool  # staff may grant special circumstances (never for a no-show)


def processing_fee(price: Decimal, percent: Decimal) -> Decimal:
    """``percent`` % of ``price``, rounded half-up to the cent."""
    return (price * percent / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def issue_by(case: RefundCase, policy: Policy) -> dt.date | None:
    """Event refunds are issued within the policy's window after the event's start."""
    if case.kind in EVENT_KINDS and case.starts_on is not None:
        try:
            return case.starts_on + dt.timedelta(days=policy.refund_issue_days)
        except OverflowError:  # a start near the end of the calendar: no later date exists
            return dt.date.max
    return None


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _amount(value: Decimal, currency: str) -> Money | Decimal:
    """An amount for a reason: with its currency when the case knows it."""
    return Money(_money(value), currency) if currency else _money(value)


def _days(n: int) -> Reason:
    return Reason("refund.days", {"n": n})


def _percent(value: Decimal) -> Decimal:
    """``10.00`` → ``10``, ``12.50`` → ``12.5``: the places the percent needs, no exponent."""
    return Decimal(f"{value.normalize():f}")


def refund_outcome(case: RefundCase, *, requested_on: dt.date, policy: Policy) -> RefundOutcome:
    """The policy's answer to a refund request made on ``requested_on``."""
    percent = policy.refund_fee_percent
    if case.kind == OfferingKind.CONFERENCE and case.refund_fee_percent is not None:
        percent = case.refund_fee_percent
    fee = processing_fee(case.price, percent)
    refund = case.price - fee
    if case.kind in SELF_PACED_KINDS:
        code, reason = _self_paced(case, requested_on, policy)
    else:
        code, reason = _live(case, requested_on, policy)
    eligible = code is ReasonCode.ELIGIBLE
    if eligible:
        reason = Reason(
            "refund.eligible",
            {
                "refund": _amount(refund, case.currency),
                "price": _amount(case.price, case.currency),
                "percent": _percent(percent),
                "fee": _amount(fee, case.currency),
            },
        )
    return RefundOutcome(
        eligible=eligible,
        amount=refund if eligible else ZERO,
        fee=fee,
        fee_percent=percent,
        reason_code=code,
        reason=reason,
        issue_by=issue_by(case, policy),
        special_allowed=code is not ReasonCode.NO_SHOW,
    )


# The eligible outcome's reason is filled in by ``refund_outcome`` (it needs the amounts).
_PENDING = Reason("refund.eligible")


def _self_paced(
    case: RefundCase, requested_on: dt.date, policy: Policy
) -> tuple[ReasonCode, Reason]:
    """Courses and self-study: refunded within the window, and only before the final test."""
    window = policy.refund_window_days
    if case.final_test_taken:
        return ReasonCode.FINAL_TEST_TAKEN, Reason("refund.final_test_taken")
    days = (requested_on - case.enrolled_on).days
    if days > window:
        return (
            ReasonCode.WINDOW_EXPIRED,
            Reason(
                "refund.window_expired",
                {"days": _days(days), "purchased_on": case.enrolled_on, "window": _days(window)},
            ),
        )
    return ReasonCode.ELIGIBLE, _PENDING


def _live(case: RefundCase, requested_on: dt.date, policy: Policy) -> tuple[ReasonCode, Reason]:
    """Live events and conferences: no refund for a no-show; otherwise by notice given."""
    starts_on = case.starts_on or case.enrolled_on
    if requested_on >= starts_on and not case.attended:
        return ReasonCode.NO_SHOW, Reason("refund.no_show", {"starts_on": starts_on})
    days_before = (starts_on - requested_on).days
    if case.kind == OfferingKind.CONFERENCE:
        deadline = case.refund_deadline_days
        if deadline is None:
            deadline = policy.live_event_notice_days
        if days_before > 0 and days_before >= deadline:
            return ReasonCode.ELIGIBLE, _PENDING
        return (
            ReasonCode.CONFERENCE_POLICY,
            Reason(
                "refund.conference_policy", {"deadline": _days(deadline), "starts_on": starts_on}
            ),
        )
    notice = policy.live_event_notice_days
    if days_before > 0 and days_before >= notice:
        return ReasonCode.ELIGIBLE, _PENDING
    if days_before > 0:
        reason = Reason(
            "refund.too_late_before",
            {"days": _days(days_before), "starts_on": starts_on, "notice": _days(notice)},
        )
    else:
        reason = Reason("refund.too_late_after", {"starts_on": starts_on, "notice": _days(notice)})
    return ReasonCode.TOO_LATE, reason


@dataclass(frozen=True)
class IssuePromise:
    """What the approval email may promise about the payment: a date (``by``) or, when the
    issue-by date has already passed, a number of days (``within_days``); neither for a
    refund with no issue-by date."""

    by: dt.date | None
    within_days: int | None


def issue_promise(*, issue_by: dt.date | None, today: dt.date, policy: Policy) -> IssuePromise:
    """Never promise a date in the past: an issue-by date before ``today`` becomes
    "within the policy's issue window" (``refund_issue_days``) from today."""
    if issue_by is None:
        return IssuePromise(by=None, within_days=None)
    if issue_by >= today:
        return IssuePromise(by=issue_by, within_days=None)
    return IssuePromise(by=None, within_days=policy.refund_issue_days)


def approval_errors(
    *,
    eligible: bool,
    reason_code: str,
    price: Decimal,
    currency: str,
    given: Decimal | None,
    text: str,
    special: bool,
    max_length: int,
) -> dict[str, list[Reason]]:
    """Why staff may not approve a request as asked, by form field (empty: they may).

    ``given`` is the amount staff entered (``None``: the policy amount), ``text`` their
    reason, ``special`` whether this is a special-circumstances grant. A no-show gets no
    special circumstances at all; otherwise the amount must be above 0 and within the
    price, and special circumstances (or approving an ineligible request) need a reason."""
    if not eligible and reason_code == ReasonCode.NO_SHOW:
        return {"amount": [Reason("refund.approve_no_show")]}
    errors: dict[str, list[Reason]] = {}
    if not eligible and given is None:
        label = str(ReasonCode(reason_code).label).lower()
        errors["amount"] = [Reason("refund.approve_needs_amount", {"why": label})]
    if given is not None:
        if given <= 0:
            errors["amount"] = [Reason("refund.approve_amount_not_positive")]
        elif given > price:
            errors["amount"] = [
                Reason("refund.approve_above_price", {"price": Money(price, currency)})
            ]
    if (special or (not eligible and given is None)) and not text:
        errors["reason"] = [Reason("refund.approve_needs_reason")]
    if len(text) > max_length:
        errors["reason"] = [Reason("refund.text_too_long", {"n": max_length})]
    return errors
