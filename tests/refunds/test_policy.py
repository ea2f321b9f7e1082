"""SPEC section 4 (refunds) pinned through ``refunds.policy``: pure tests, no database.

The tables walk every boundary of the refund rule with fixed dates (purchase on
2026-03-01, events starting on 2026-06-01); the property-based tests at the end check the
invariants of ``refund_outcome`` for random prices, dates, kinds and policy values."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imaportal.reasons import render
from policy.rules import DEFAULT_POLICY, Policy
from refunds.policy import (
    EVENT_KINDS,
    SELF_PACED_KINDS,
    ReasonCode,
    RefundCase,
    RefundOutcome,
    issue_by,
    processing_fee,
    refund_outcome,
)

D = Decimal
PURCHASE = dt.date(2026, 3, 1)  # enrollment date of every case below
START = dt.date(2026, 6, 1)  # start of every event below
PRICE = D("100.00")
ZERO = D("0.00")

SELF_STUDY = "self_study"
RECORDED_WEBINAR = "recorded_webinar"
LIVE_EVENT = "live_event"
CONFERENCE = "conference"
ALL_KINDS = (SELF_STUDY, RECORDED_WEBINAR, LIVE_EVENT, CONFERENCE)

ELIGIBLE = ReasonCode.ELIGIBLE
WINDOW_EXPIRED = ReasonCode.WINDOW_EXPIRED
FINAL_TEST_TAKEN = ReasonCode.FINAL_TEST_TAKEN
TOO_LATE = ReasonCode.TOO_LATE
NO_SHOW = ReasonCode.NO_SHOW
CONFERENCE_POLICY = ReasonCode.CONFERENCE_POLICY


def day(offset: int, base: dt.date = PURCHASE) -> dt.date:
    return base + dt.timedelta(days=offset)


def course(
    kind: str = SELF_STUDY, *, price: Decimal = PRICE, final_test_taken: bool = False
) -> RefundCase:
    return RefundCase(
        kind=kind, price=price, enrolled_on=PURCHASE, final_test_taken=final_test_taken
    )


def event(
    kind: str = LIVE_EVENT,
    *,
    price: Decimal = PRICE,
    attended: bool = False,
    deadline: int | None = None,
    fee_percent: Decimal | None = None,
) -> RefundCase:
    return RefundCase(
        kind=kind,
        price=price,
        enrolled_on=PURCHASE,
        starts_on=START,
        attended=attended,
        refund_deadline_days=deadline,
        refund_fee_percent=fee_percent,
    )


def money(value: Decimal) -> tuple[str, ...]:
    """The ways a reason sentence may write an amount."""
    return (f"{value:.2f}", f"{value:,.2f}")


def assert_money(value: Decimal) -> None:
    """A money figure is a Decimal with exactly two places."""
    assert isinstance(value, Decimal)
    assert value.as_tuple().exponent == -2, value


def assert_outcome(
    outcome: RefundOutcome,
    code: ReasonCode,
    *,
    price: Decimal = PRICE,
    fee: Decimal | None = None,
) -> None:
    """The outcome has ``code`` and the money figures that go with it."""
    expected_fee = processing_fee(price, D("10")) if fee is None else fee
    assert outcome.reason_code == code
    assert outcome.eligible is (code == ELIGIBLE)
    assert outcome.fee == expected_fee
    assert_money(outcome.fee)
    assert_money(outcome.amount)
    if code == ELIGIBLE:
        assert outcome.amount == price - expected_fee
    else:
        assert outcome.amount == ZERO
    assert outcome.special_allowed is (code != NO_SHOW)
    assert render(outcome.reason).strip()


# --- self_study and recorded_webinar -----------------------------------------------------

SELF_PACED_TABLE = [
    # (days after purchase, final test taken, expected reason)
    pytest.param(0, False, ELIGIBLE, id="purchase-day"),
    pytest.param(1, False, ELIGIBLE, id="day-1"),
    pytest.param(29, False, ELIGIBLE, id="day-29"),
    pytest.param(30, False, ELIGIBLE, id="day-30-included"),
    pytest.param(31, False, WINDOW_EXPIRED, id="day-31"),
    pytest.param(32, False, WINDOW_EXPIRED, id="day-32"),
    pytest.param(365, False, WINDOW_EXPIRED, id="a-year-later"),
    pytest.param(0, True, FINAL_TEST_TAKEN, id="final-test-purchase-day"),
    pytest.param(10, True, FINAL_TEST_TAKEN, id="final-test-day-10"),
    pytest.param(30, True, FINAL_TEST_TAKEN, id="final-test-day-30"),
    pytest.param(31, True, FINAL_TEST_TAKEN, id="final-test-and-day-31"),
    pytest.param(90, True, FINAL_TEST_TAKEN, id="final-test-and-day-90"),
]


@pytest.mark.parametrize("kind", SELF_PACED_KINDS)
@pytest.mark.parametrize(("offset", "final_test_taken", "code"), SELF_PACED_TABLE)
def test_self_paced_window_and_final_test(
    kind: str, offset: int, final_test_taken: bool, code: ReasonCode
) -> None:
    outcome = refund_outcome(
        course(kind, final_test_taken=final_test_taken),
        requested_on=day(offset),
        policy=DEFAULT_POLICY,
    )
    assert_outcome(outcome, code)
    assert outcome.issue_by is None
    assert outcome.fee_percent == D("10")


@pytest.mark.parametrize("kind", SELF_PACED_KINDS)
def test_self_paced_eligible_refund_is_price_less_ten_percent(kind: str) -> None:
    outcome = refund_outcome(course(kind), requested_on=day(30), policy=DEFAULT_POLICY)
    assert outcome.eligible
    assert outcome.fee == D("10.00")
    assert outcome.amount == D("90.00")


@pytest.mark.parametrize("kind", SELF_PACED_KINDS)
@pytest.mark.parametrize("attended", [False, True])
def test_self_paced_ignores_attendance(kind: str, attended: bool) -> None:
    case = RefundCase(kind=kind, price=PRICE, enrolled_on=PURCHASE, attended=attended)
    outcome = refund_outcome(case, requested_on=day(5), policy=DEFAULT_POLICY)
    assert outcome.reason_code == ELIGIBLE


# --- live_event ----------------------------------------------------------------------------

LIVE_EVENT_TABLE = [
    # (days relative to the start, attended, expected reason)
    pytest.param(-60, False, ELIGIBLE, id="S-60"),
    pytest.param(-10, False, ELIGIBLE, id="S-10"),
    pytest.param(-6, False, ELIGIBLE, id="S-6"),
    pytest.param(-5, False, ELIGIBLE, id="S-5-included"),
    pytest.param(-4, False, TOO_LATE, id="S-4"),
    pytest.param(-2, False, TOO_LATE, id="S-2"),
    pytest.param(-1, False, TOO_LATE, id="S-1"),
    pytest.param(0, False, NO_SHOW, id="S-not-attended"),
    pytest.param(1, False, NO_SHOW, id="S+1-not-attended"),
    pytest.param(40, False, NO_SHOW, id="S+40-not-attended"),
    pytest.param(0, True, TOO_LATE, id="S-attended"),
    pytest.param(3, True, TOO_LATE, id="S+3-attended"),
    # Before the start, attendance cannot have happened and must not matter.
    pytest.param(-10, True, ELIGIBLE, id="S-10-attended-flag"),
    pytest.param(-5, True, ELIGIBLE, id="S-5-attended-flag"),
    pytest.param(-4, True, TOO_LATE, id="S-4-attended-flag"),
]


@pytest.mark.parametrize(("offset", "attended", "code"), LIVE_EVENT_TABLE)
def test_live_event_notice_and_no_show(offset: int, attended: bool, code: ReasonCode) -> None:
    outcome = refund_outcome(
        event(attended=attended), requested_on=day(offset, START), policy=DEFAULT_POLICY
    )
    assert_outcome(outcome, code)
    assert outcome.issue_by == day(30, START)
    assert outcome.fee_percent == D("10")


def test_live_event_eligible_refund_is_price_less_ten_percent() -> None:
    outcome = refund_outcome(event(), requested_on=day(-5, START), policy=DEFAULT_POLICY)
    assert (outcome.eligible, outcome.fee, outcome.amount) == (True, D("10.00"), D("90.00"))


def test_live_event_registered_on_its_start_day() -> None:
    # Registering on the day of the event: a request that same day by a non-attendee is a
    # no-show.
    case = RefundCase(kind=LIVE_EVENT, price=PRICE, enrolled_on=START, starts_on=START)
    outcome = refund_outcome(case, requested_on=START, policy=DEFAULT_POLICY)
    assert outcome.reason_code == NO_SHOW


# --- conference ----------------------------------------------------------------------------

CONFERENCE_TABLE = [
    # (own deadline days, own fee percent, price, days relative to the start, attended,
    #  expected reason, expected fee)
    pytest.param(30, D("15"), PRICE, -60, False, ELIGIBLE, D("15.00"), id="S-60"),
    pytest.param(30, D("15"), PRICE, -31, False, ELIGIBLE, D("15.00"), id="S-31"),
    pytest.param(30, D("15"), PRICE, -30, False, ELIGIBLE, D("15.00"), id="S-30-deadline"),
    pytest.param(30, D("15"), PRICE, -29, False, CONFERENCE_POLICY, D("15.00"), id="S-29"),
    # Eligible for a live event, but a conference keeps its own deadline.
    pytest.param(30, D("15"), PRICE, -5, False, CONFERENCE_POLICY, D("15.00"), id="S-5"),
    pytest.param(30, D("15"), PRICE, -4, False, CONFERENCE_POLICY, D("15.00"), id="S-4"),
    pytest.param(30, D("15"), PRICE, -1, False, CONFERENCE_POLICY, D("15.00"), id="S-1"),
    pytest.param(30, D("15"), PRICE, 0, False, NO_SHOW, D("15.00"), id="S-not-attended"),
    pytest.param(30, D("15"), PRICE, 2, False, NO_SHOW, D("15.00"), id="S+2-not-attended"),
    pytest.param(30, D("15"), PRICE, 0, True, CONFERENCE_POLICY, D("15.00"), id="S-attended"),
    pytest.param(30, D("15"), PRICE, 2, True, CONFERENCE_POLICY, D("15.00"), id="S+2-attended"),
    pytest.param(30, D("15"), PRICE, -29, True, CONFERENCE_POLICY, D("15.00"), id="S-29-flag"),
    pytest.param(30, D("15"), PRICE, -30, True, ELIGIBLE, D("15.00"), id="S-30-flag"),
    # 12.5 % of 99.99 = 12.49875, half-up to 12.50.
    pytest.param(30, D("12.5"), D("99.99"), -30, False, ELIGIBLE, D("12.50"), id="12.5%-S-30"),
    pytest.param(
        30, D("12.5"), D("99.99"), -29, False, CONFERENCE_POLICY, D("12.50"), id="12.5%-S-29"
    ),
    pytest.param(30, D("12.5"), D("99.99"), 1, False, NO_SHOW, D("12.50"), id="12.5%-no-show"),
    # Deadline 0: any request before the start day is in time; the start day is not.
    pytest.param(0, D("15"), PRICE, -1, False, ELIGIBLE, D("15.00"), id="deadline-0-S-1"),
    pytest.param(0, D("15"), PRICE, 0, True, CONFERENCE_POLICY, D("15.00"), id="deadline-0-S"),
    pytest.param(0, D("15"), PRICE, 0, False, NO_SHOW, D("15.00"), id="deadline-0-S-no-show"),
    # No terms of its own: the policy's notice (5 days) and fee (10 %) apply.
    pytest.param(None, None, PRICE, -6, False, ELIGIBLE, D("10.00"), id="default-S-6"),
    pytest.param(None, None, PRICE, -5, False, ELIGIBLE, D("10.00"), id="default-S-5"),
    pytest.param(None, None, PRICE, -4, False, CONFERENCE_POLICY, D("10.00"), id="default-S-4"),
    pytest.param(None, None, PRICE, -1, False, CONFERENCE_POLICY, D("10.00"), id="default-S-1"),
    pytest.param(None, None, PRICE, 0, False, NO_SHOW, D("10.00"), id="default-S-no-show"),
    pytest.param(None, None, PRICE, 0, True, CONFERENCE_POLICY, D("10.00"), id="default-S-att"),
    # Only one of the two terms set: the other comes from the policy.
    pytest.param(30, None, PRICE, -30, False, ELIGIBLE, D("10.00"), id="own-deadline-only"),
    pytest.param(30, None, PRICE, -29, False, CONFERENCE_POLICY, D("10.00"), id="own-dl-S-29"),
    pytest.param(None, D("15"), PRICE, -5, False, ELIGIBLE, D("15.00"), id="own-fee-only"),
    pytest.param(None, D("15"), PRICE, -4, False, CONFERENCE_POLICY, D("15.00"), id="own-fee-S-4"),
]


@pytest.mark.parametrize(
    ("deadline", "fee_percent", "price", "offset", "attended", "code", "fee"), CONFERENCE_TABLE
)
def test_conference_uses_its_own_terms(
    deadline: int | None,
    fee_percent: Decimal | None,
    price: Decimal,
    offset: int,
    attended: bool,
    code: ReasonCode,
    fee: Decimal,
) -> None:
    case = event(
        CONFERENCE, price=price, attended=attended, deadline=deadline, fee_percent=fee_percent
    )
    outcome = refund_outcome(case, requested_on=day(offset, START), policy=DEFAULT_POLICY)
    assert_outcome(outcome, code, price=price, fee=fee)
    assert outcome.reason_code != TOO_LATE
    assert outcome.fee_percent == (D("10") if fee_percent is None else fee_percent)
    assert outcome.issue_by == day(30, START)


def test_conference_eligible_refund_uses_its_own_fee() -> None:
    case = event(CONFERENCE, deadline=30, fee_percent=D("15"))
    outcome = refund_outcome(case, requested_on=day(-30, START), policy=DEFAULT_POLICY)
    assert (outcome.eligible, outcome.fee, outcome.amount) == (True, D("15.00"), D("85.00"))
    case = event(CONFERENCE, price=D("99.99"), deadline=30, fee_percent=D("12.5"))
    outcome = refund_outcome(case, requested_on=day(-30, START), policy=DEFAULT_POLICY)
    assert (outcome.fee, outcome.amount) == (D("12.50"), D("87.49"))


def test_conference_late_reason_names_its_own_deadline() -> None:
    case = event(CONFERENCE, deadline=30, fee_percent=D("15"))
    outcome = refund_outcome(case, requested_on=day(-29, START), policy=DEFAULT_POLICY)
    assert "30 days" in render(outcome.reason)


@pytest.mark.parametrize("kind", [SELF_STUDY, RECORDED_WEBINAR, LIVE_EVENT])
def test_only_a_conference_has_its_own_fee(kind: str) -> None:
    case = RefundCase(
        kind=kind,
        price=PRICE,
        enrolled_on=PURCHASE,
        starts_on=START,
        refund_fee_percent=D("15"),
    )
    outcome = refund_outcome(case, requested_on=day(1), policy=DEFAULT_POLICY)
    assert (outcome.fee_percent, outcome.fee, outcome.amount) == (D("10"), D("10.00"), D("90.00"))


# --- fee rounding --------------------------------------------------------------------------

FEE_TABLE = [
    # (price, percent, fee)
    pytest.param(D("100.00"), D("10"), D("10.00"), id="100.00"),
    pytest.param(D("99.99"), D("10"), D("10.00"), id="99.99->9.999"),
    pytest.param(D("0.05"), D("10"), D("0.01"), id="0.05->0.005-half-up"),
    pytest.param(D("0.04"), D("10"), D("0.00"), id="0.04->0.004"),
    pytest.param(D("0.25"), D("10"), D("0.03"), id="0.25->0.025-half-up-not-even"),
    pytest.param(D("100.05"), D("10"), D("10.01"), id="100.05->10.005-half-up"),
    pytest.param(D("1234.55"), D("10"), D("123.46"), id="1234.55->123.455"),
    pytest.param(D("0.00"), D("10"), D("0.00"), id="free"),
    pytest.param(D("0.01"), D("10"), D("0.00"), id="one-cent"),
    pytest.param(D("100000.00"), D("10"), D("10000.00"), id="max"),
    pytest.param(D("99.99"), D("12.5"), D("12.50"), id="12.5%-of-99.99"),
    pytest.param(D("0.04"), D("12.5"), D("0.01"), id="12.5%-of-0.04->0.005"),
    pytest.param(D("0.20"), D("12.5"), D("0.03"), id="12.5%-of-0.20->0.025"),
    pytest.param(D("100.00"), D("15"), D("15.00"), id="15%"),
    pytest.param(D("0.10"), D("5"), D("0.01"), id="5%-of-0.10->0.005"),
    pytest.param(D("100.00"), D("0"), D("0.00"), id="0%"),
    pytest.param(D("100.00"), D("100"), D("100.00"), id="100%"),
]


@pytest.mark.parametrize(("price", "percent", "fee"), FEE_TABLE)
def test_processing_fee_rounds_half_up_to_the_cent(
    price: Decimal, percent: Decimal, fee: Decimal
) -> None:
    result = processing_fee(price, percent)
    assert result == fee
    assert_money(result)


REFUND_ROUNDING_TABLE = [
    # (price, fee, amount) for an eligible self-study refund under the default policy
    pytest.param(D("99.99"), D("10.00"), D("89.99"), id="99.99"),
    pytest.param(D("0.05"), D("0.01"), D("0.04"), id="0.05"),
    pytest.param(D("0.04"), D("0.00"), D("0.04"), id="0.04"),
    pytest.param(D("100.05"), D("10.01"), D("90.04"), id="100.05"),
    pytest.param(D("0.00"), D("0.00"), D("0.00"), id="free"),
    pytest.param(D("1234.55"), D("123.46"), D("1111.09"), id="1234.55"),
]


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize(("price", "fee", "amount"), REFUND_ROUNDING_TABLE)
def test_eligible_refund_is_price_less_rounded_fee(
    kind: str, price: Decimal, fee: Decimal, amount: Decimal
) -> None:
    case = RefundCase(kind=kind, price=price, enrolled_on=PURCHASE, starts_on=START)
    outcome = refund_outcome(case, requested_on=day(1), policy=DEFAULT_POLICY)
    assert outcome.eligible
    assert (outcome.fee, outcome.amount) == (fee, amount)
    assert_money(outcome.fee)
    assert_money(outcome.amount)


INELIGIBLE_TABLE = [
    # (case, requested on, reason)
    pytest.param(course(price=D("99.99")), day(31), WINDOW_EXPIRED, id="window-expired"),
    pytest.param(
        course(price=D("99.99"), final_test_taken=True), day(1), FINAL_TEST_TAKEN, id="final-test"
    ),
    pytest.param(event(price=D("99.99")), day(-4, START), TOO_LATE, id="too-late"),
    pytest.param(event(price=D("99.99")), START, NO_SHOW, id="no-show"),
    pytest.param(
        event(CONFERENCE, price=D("99.99")), day(-1, START), CONFERENCE_POLICY, id="conference"
    ),
]


@pytest.mark.parametrize(("case", "requested_on", "code"), INELIGIBLE_TABLE)
def test_ineligible_owes_nothing_but_keeps_the_policy_fee(
    case: RefundCase, requested_on: dt.date, code: ReasonCode
) -> None:
    outcome = refund_outcome(case, requested_on=requested_on, policy=DEFAULT_POLICY)
    assert outcome.reason_code == code
    assert not outcome.eligible
    assert outcome.amount == ZERO
    assert_money(outcome.amount)
    assert outcome.fee == D("10.00")


# --- issue-by date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (SELF_STUDY, None),
        (RECORDED_WEBINAR, None),
        (LIVE_EVENT, dt.date(2026, 7, 1)),
        (CONFERENCE, dt.date(2026, 7, 1)),
    ],
)
def test_issue_by_is_start_plus_thirty_days_for_events(kind: str, expected: dt.date | None) -> None:
    case = RefundCase(kind=kind, price=PRICE, enrolled_on=PURCHASE, starts_on=START)
    assert issue_by(case, DEFAULT_POLICY) == expected
    for requested_on in (day(1), day(-10, START), START, day(10, START)):
        outcome = refund_outcome(case, requested_on=requested_on, policy=DEFAULT_POLICY)
        assert outcome.issue_by == expected


def test_issue_by_follows_the_policy_window() -> None:
    policy = DEFAULT_POLICY.replace(refund_issue_days=45)
    assert issue_by(event(), policy) == day(45, START)
    outcome = refund_outcome(event(), requested_on=day(-10, START), policy=policy)
    assert outcome.issue_by == day(45, START)


# --- policy values come from the argument ----------------------------------------------

WINDOW_45 = DEFAULT_POLICY.replace(refund_window_days=45)
NOTICE_7 = DEFAULT_POLICY.replace(live_event_notice_days=7)
FEE_5 = DEFAULT_POLICY.replace(refund_fee_percent=D("5"))

POLICY_TABLE = [
    # (policy, case, requested on, reason, fee)
    pytest.param(WINDOW_45, course(), day(31), ELIGIBLE, D("10.00"), id="window45-day31"),
    pytest.param(WINDOW_45, course(), day(45), ELIGIBLE, D("10.00"), id="window45-day45"),
    pytest.param(WINDOW_45, course(), day(46), WINDOW_EXPIRED, D("10.00"), id="window45-day46"),
    pytest.param(
        WINDOW_45, course(RECORDED_WEBINAR), day(45), ELIGIBLE, D("10.00"), id="window45-webinar"
    ),
    pytest.param(NOTICE_7, event(), day(-8, START), ELIGIBLE, D("10.00"), id="notice7-S-8"),
    pytest.param(NOTICE_7, event(), day(-7, START), ELIGIBLE, D("10.00"), id="notice7-S-7"),
    pytest.param(NOTICE_7, event(), day(-6, START), TOO_LATE, D("10.00"), id="notice7-S-6"),
    pytest.param(NOTICE_7, event(), day(-5, START), TOO_LATE, D("10.00"), id="notice7-S-5"),
    pytest.param(
        NOTICE_7, event(CONFERENCE), day(-6, START), CONFERENCE_POLICY, D("10.00"), id="notice7-c"
    ),
    pytest.param(
        NOTICE_7,
        event(CONFERENCE, deadline=3),
        day(-3, START),
        ELIGIBLE,
        D("10.00"),
        id="notice7-own-deadline",
    ),
    pytest.param(FEE_5, course(), day(1), ELIGIBLE, D("5.00"), id="fee5-self-study"),
    pytest.param(FEE_5, event(), day(-5, START), ELIGIBLE, D("5.00"), id="fee5-live-event"),
    pytest.param(FEE_5, event(CONFERENCE), day(-5, START), ELIGIBLE, D("5.00"), id="fee5-conf"),
    pytest.param(
        FEE_5,
        event(CONFERENCE, fee_percent=D("15")),
        day(-5, START),
        ELIGIBLE,
        D("15.00"),
        id="fee5-conf-own-fee",
    ),
    pytest.param(FEE_5, course(), day(31), WINDOW_EXPIRED, D("5.00"), id="fee5-ineligible"),
]


@pytest.mark.parametrize(("policy", "case", "requested_on", "code", "fee"), POLICY_TABLE)
def test_policy_values_come_from_the_argument(
    policy: Policy, case: RefundCase, requested_on: dt.date, code: ReasonCode, fee: Decimal
) -> None:
    outcome = refund_outcome(case, requested_on=requested_on, policy=policy)
    assert_outcome(outcome, code, price=case.price, fee=fee)


def test_reasons_name_the_policy_figures() -> None:
    late = refund_outcome(course(), requested_on=day(46), policy=WINDOW_45)
    assert "45 days" in render(late.reason)
    too_late = refund_outcome(event(), requested_on=day(-6, START), policy=NOTICE_7)
    assert "7 days" in render(too_late.reason)
    eligible = refund_outcome(course(), requested_on=day(1), policy=FEE_5)
    assert "5 %" in render(eligible.reason) or "5%" in render(eligible.reason)
    assert any(text in render(eligible.reason) for text in money(D("95.00")))


# --- reason sentences ----------------------------------------------------------------------

REASON_TABLE = [
    pytest.param(course(), day(0), id="eligible-course"),
    pytest.param(course(), day(31), id="window-expired"),
    pytest.param(course(final_test_taken=True), day(0), id="final-test"),
    pytest.param(event(), day(-5, START), id="eligible-event"),
    pytest.param(event(), day(-1, START), id="too-late-before"),
    pytest.param(event(attended=True), day(1, START), id="too-late-after"),
    pytest.param(event(), START, id="no-show"),
    pytest.param(event(CONFERENCE, deadline=30), day(-29, START), id="conference-policy"),
    pytest.param(event(CONFERENCE, price=D("1234.55")), day(-30, START), id="eligible-conf"),
]


@pytest.mark.parametrize(("case", "requested_on"), REASON_TABLE)
def test_reason_is_a_sentence_and_eligible_names_the_amount(
    case: RefundCase, requested_on: dt.date
) -> None:
    outcome = refund_outcome(case, requested_on=requested_on, policy=DEFAULT_POLICY)
    assert render(outcome.reason).strip()
    assert "\n" not in render(outcome.reason)
    if outcome.eligible:
        assert any(text in render(outcome.reason) for text in money(outcome.amount))


# --- properties ----------------------------------------------------------------------------

PROPERTY = settings(deadline=None, database=None, max_examples=200)

prices = st.decimals(min_value=0, max_value=100000, places=2)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))
kinds = st.sampled_from(ALL_KINDS)
event_kinds = st.sampled_from(EVENT_KINDS)
self_paced_kinds = st.sampled_from(SELF_PACED_KINDS)
own_deadlines = st.none() | st.integers(min_value=0, max_value=120)
own_percents = st.none() | st.decimals(min_value=0, max_value=100, places=2)
policies = st.builds(
    DEFAULT_POLICY.replace,
    refund_window_days=st.integers(min_value=0, max_value=120),
    live_event_notice_days=st.integers(min_value=1, max_value=60),
    refund_fee_percent=st.decimals(min_value=0, max_value=50, places=2),
    refund_issue_days=st.integers(min_value=0, max_value=90),
) | st.just(DEFAULT_POLICY)


@st.composite
def cases(draw: st.DrawFn, kind: st.SearchStrategy[str] = kinds) -> RefundCase:
    chosen = draw(kind)
    enrolled_on = draw(dates)
    is_event = chosen in EVENT_KINDS
    is_conference = chosen == CONFERENCE
    return RefundCase(
        kind=chosen,
        price=draw(prices),
        enrolled_on=enrolled_on,
        starts_on=enrolled_on + dt.timedelta(days=draw(st.integers(0, 180))) if is_event else None,
        final_test_taken=False if is_event else draw(st.booleans()),
        attended=draw(st.booleans()),
        refund_deadline_days=draw(own_deadlines) if is_conference else None,
        refund_fee_percent=draw(own_percents) if is_conference else None,
    )


def requested(case: RefundCase, offset: int) -> dt.date:
    return case.enrolled_on + dt.timedelta(days=offset)


offsets = st.integers(min_value=0, max_value=400)  # days after enrollment


def fee_percent(case: RefundCase, policy: Policy) -> Decimal:
    if case.kind == CONFERENCE and case.refund_fee_percent is not None:
        return case.refund_fee_percent
    return policy.refund_fee_percent


@PROPERTY
@given(case=cases(), offset=offsets, policy=policies)
def test_money_invariants(case: RefundCase, offset: int, policy: Policy) -> None:
    outcome = refund_outcome(case, requested_on=requested(case, offset), policy=policy)
    percent = fee_percent(case, policy)
    assert outcome.fee == processing_fee(case.price, percent)
    assert outcome.fee_percent == percent
    assert ZERO <= outcome.amount <= case.price
    assert_money(outcome.amount)
    assert_money(outcome.fee)
    if outcome.eligible:
        assert outcome.amount + outcome.fee == case.price
    assert outcome.eligible is (outcome.reason_code == ELIGIBLE)
    assert (outcome.amount == 0) is (not outcome.eligible or case.price - outcome.fee == 0)


@PROPERTY
@given(case=cases(), offset=offsets, policy=policies)
def test_codes_belong_to_their_kind(case: RefundCase, offset: int, policy: Policy) -> None:
    outcome = refund_outcome(case, requested_on=requested(case, offset), policy=policy)
    allowed = {
        SELF_STUDY: {ELIGIBLE, WINDOW_EXPIRED, FINAL_TEST_TAKEN},
        RECORDED_WEBINAR: {ELIGIBLE, WINDOW_EXPIRED, FINAL_TEST_TAKEN},
        LIVE_EVENT: {ELIGIBLE, TOO_LATE, NO_SHOW},
        CONFERENCE: {ELIGIBLE, CONFERENCE_POLICY, NO_SHOW},
    }[case.kind]
    assert outcome.reason_code in allowed
    assert outcome.special_allowed is (outcome.reason_code != NO_SHOW)
    assert render(outcome.reason).strip()
    if outcome.eligible:
        assert any(text in render(outcome.reason) for text in money(outcome.amount))
    if case.kind in EVENT_KINDS:
        assert case.starts_on is not None
        expected = case.starts_on + dt.timedelta(days=policy.refund_issue_days)
        assert outcome.issue_by == expected
    else:
        assert outcome.issue_by is None


@PROPERTY
@given(
    case=cases(self_paced_kinds),
    later=offsets,
    earlier=offsets,
    policy=policies,
)
def test_self_paced_eligibility_is_monotone_in_time(
    case: RefundCase, later: int, earlier: int, policy: Policy
) -> None:
    earlier, later = sorted((earlier, later))
    late = refund_outcome(case, requested_on=requested(case, later), policy=policy)
    early = refund_outcome(case, requested_on=requested(case, earlier), policy=policy)
    if late.eligible:
        assert early.eligible


@PROPERTY
@given(case=cases(self_paced_kinds), offset=offsets, policy=policies)
def test_self_paced_rule(case: RefundCase, offset: int, policy: Policy) -> None:
    outcome = refund_outcome(case, requested_on=requested(case, offset), policy=policy)
    if case.final_test_taken:
        assert outcome.reason_code == FINAL_TEST_TAKEN
    else:
        assert outcome.eligible is (offset <= policy.refund_window_days)


@PROPERTY
@given(case=cases(st.just(LIVE_EVENT)), offset=st.integers(-90, 90))
def test_live_event_eligible_iff_five_days_notice(case: RefundCase, offset: int) -> None:
    assert case.starts_on is not None
    requested_on = case.starts_on + dt.timedelta(days=offset)
    outcome = refund_outcome(case, requested_on=requested_on, policy=DEFAULT_POLICY)
    assert outcome.eligible is ((case.starts_on - requested_on).days >= 5)


@PROPERTY
@given(case=cases(st.just(LIVE_EVENT)), offset=st.integers(-90, 90), policy=policies)
def test_live_event_eligible_iff_policy_notice(
    case: RefundCase, offset: int, policy: Policy
) -> None:
    assert case.starts_on is not None
    requested_on = case.starts_on + dt.timedelta(days=offset)
    outcome = refund_outcome(case, requested_on=requested_on, policy=policy)
    assert outcome.eligible is (
        (case.starts_on - requested_on).days >= policy.live_event_notice_days
    )


@PROPERTY
@given(case=cases(event_kinds), offset=st.integers(-90, 90), policy=policies)
def test_no_show_iff_started_and_not_attended(
    case: RefundCase, offset: int, policy: Policy
) -> None:
    assert case.starts_on is not None
    requested_on = case.starts_on + dt.timedelta(days=offset)
    outcome = refund_outcome(case, requested_on=requested_on, policy=policy)
    started = requested_on >= case.starts_on
    assert (outcome.reason_code == NO_SHOW) is (started and not case.attended)
    if started:
        assert not outcome.eligible


@PROPERTY
@given(case=cases(st.just(CONFERENCE)), offset=st.integers(-150, 90), policy=policies)
def test_conference_eligible_iff_own_deadline(
    case: RefundCase, offset: int, policy: Policy
) -> None:
    assert case.starts_on is not None
    requested_on = case.starts_on + dt.timedelta(days=offset)
    outcome = refund_outcome(case, requested_on=requested_on, policy=policy)
    deadline = case.refund_deadline_days
    if deadline is None:
        deadline = policy.live_event_notice_days
    days_before = (case.starts_on - requested_on).days
    assert outcome.eligible is (days_before > 0 and days_before >= deadline)
    assert outcome.reason_code != TOO_LATE


@PROPERTY
@given(case=cases(event_kinds), days_before=st.integers(1, 120), policy=policies)
def test_attendance_does_not_matter_before_the_start(
    case: RefundCase, days_before: int, policy: Policy
) -> None:
    assert case.starts_on is not None
    requested_on = case.starts_on - dt.timedelta(days=days_before)
    outcomes = [
        refund_outcome(
            dataclasses.replace(case, attended=attended),
            requested_on=requested_on,
            policy=policy,
        )
        for attended in (False, True)
    ]
    assert outcomes[0] == outcomes[1]


@PROPERTY
@given(price=prices, percent=st.decimals(min_value=0, max_value=100, places=2))
def test_processing_fee_is_the_rounded_share(price: Decimal, percent: Decimal) -> None:
    fee = processing_fee(price, percent)
    exact = price * percent / 100
    assert_money(fee)
    assert abs(fee - exact) <= D("0.005")
    assert ZERO <= fee <= price
    if abs(fee - exact) == D("0.005"):
        assert fee > exact  # half-up, never half-even
