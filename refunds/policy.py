"""IMA's refund and cancellation policy (SPEC section 4) as one pure function.

``refund_outcome`` takes what the policy looks at (the offering's kind and dates, what the
member paid and did) plus the request date and the ``Policy``, and says whether a refund is
owed, how much, the processing fee, a reason code for the API and a sentence for people.
No ORM, no clock, no settings: the service gathers the inputs and stores the answer, the
request page shows it before the member confirms, and the tests walk its boundaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from policy.rules import Policy
from refunds.choices import RefundReason

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


# One enum per concept: the rule's reason codes are the stored choices.
ReasonCode = RefundReason


SELF_PACED_KINDS = ("self_study", "recorded_webinar")
EVENT_KINDS = ("live_event", "conference")


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


@dataclass(frozen=True)
class RefundOutcome:
    eligible: bool
    amount: Decimal  # the refund the policy owes: price - fee when eligible, else 0
    fee: Decimal  # the policy's processing fee on this price, half-up to the cent
    fee_percent: Decimal
    reason_code: ReasonCode
    reason: str  # one plain sentence, the same on the page, in the API and in the email
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


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def refund_outcome(case: RefundCase, *, requested_on: dt.date, policy: Policy) -> RefundOutcome:
    """The policy's answer to a refund request made on ``requested_on``."""
    percent = policy.refund_fee_percent
    if case.kind == "conference" and case.refund_fee_percent is not None:
        percent = case.refund_fee_percent
    fee = processing_fee(case.price, percent)
    refund = case.price - fee
    if case.kind in SELF_PACED_KINDS:
        code, reason = _self_paced(case, requested_on, policy)
    else:
        code, reason = _live(case, requested_on, policy)
    eligible = code is ReasonCode.ELIGIBLE
    if eligible:
        reason = (
            f"Eligible: a refund of {_money(refund)} (the price of {_money(case.price)} less "
            f"the {percent.normalize():f} % processing fee of {_money(fee)})."
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


def _self_paced(case: RefundCase, requested_on: dt.date, policy: Policy) -> tuple[ReasonCode, str]:
    """Courses and self-study: refunded within the window, and only before the final test."""
    window = policy.refund_window_days
    if case.final_test_taken:
        return (
            ReasonCode.FINAL_TEST_TAKEN,
            "Not eligible: the final test has been taken, and a course is refunded only "
            "before its final test.",
        )
    days = (requested_on - case.enrolled_on).days
    if days > window:
        return (
            ReasonCode.WINDOW_EXPIRED,
            f"Not eligible: the request comes {_days(days)} after the purchase on "
            f"{case.enrolled_on.isoformat()}; refunds are given within {_days(window)} of "
            "purchase.",
        )
    return ReasonCode.ELIGIBLE, ""


def _live(case: RefundCase, requested_on: dt.date, policy: Policy) -> tuple[ReasonCode, str]:
    """Live events and conferences: no refund for a no-show; otherwise by notice given."""
    starts_on = case.starts_on or case.enrolled_on
    if requested_on >= starts_on and not case.attended:
        return (
            ReasonCode.NO_SHOW,
            f"Not eligible: the event started on {starts_on.isoformat()} and the member did "
            "not attend; refunds are not given for no-shows.",
        )
    days_before = (starts_on - requested_on).days
    if case.kind == "conference":
        deadline = case.refund_deadline_days
        if deadline is None:
            deadline = policy.live_event_notice_days
        if days_before > 0 and days_before >= deadline:
            return ReasonCode.ELIGIBLE, ""
        return (
            ReasonCode.CONFERENCE_POLICY,
            f"Not eligible under this conference's policy: cancellations must reach IMA at "
            f"least {_days(deadline)} before it starts on {starts_on.isoformat()}.",
        )
    notice = policy.live_event_notice_days
    if days_before > 0 and days_before >= notice:
        return ReasonCode.ELIGIBLE, ""
    if days_before > 0:
        when = f"only {_days(days_before)} before the event on {starts_on.isoformat()}"
    else:
        when = f"after the event started on {starts_on.isoformat()}"
    return (
        ReasonCode.TOO_LATE,
        f"Not eligible: the request comes {when}; cancellations must reach IMA at least "
        f"{_days(notice)} before the event.",
    )


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
