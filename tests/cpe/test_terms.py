"""The refund terms shown before a purchase (``cpe.terms.refund_terms``): the sentence names
the policy numbers in force, and its last day agrees with the refund rule itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpe.terms import refund_terms
from imaportal.reasons import Reason, render
from policy.rules import DEFAULT_POLICY
from refunds.policy import RefundCase, refund_outcome

D = Decimal
DAY = dt.date(2027, 3, 1)


def terms(kind="self_study", *, price="100.00", starts_on=None, deadline=None, fee=None, **policy):
    return refund_terms(
        kind=kind,
        price=D(price),
        enrolled_on=DAY,
        starts_on=starts_on,
        refund_deadline_days=deadline,
        refund_fee_percent=None if fee is None else D(fee),
        policy=DEFAULT_POLICY.replace(**policy),
    )


@pytest.mark.parametrize("kind", ["self_study", "recorded_webinar"])
def test_courses_and_recordings_name_the_window_its_last_day_the_test_and_the_fee(kind):
    sentence = render(terms(kind))
    assert sentence == (
        "Refund policy: you can ask for a refund within 30 days of purchase (until 31 March "
        "2027) and before you take the final test; the refund is the price less a 10 % "
        "processing fee."
    )


def test_the_sentence_follows_the_policy_values_in_force():
    sentence = render(terms(refund_window_days=45, refund_fee_percent=D("12.50")))
    assert "within 45 days of purchase (until 15 April 2027)" in sentence
    assert "a 12.5 % processing fee" in sentence


def test_a_live_event_names_the_notice_the_start_and_the_last_day_to_cancel():
    sentence = render(terms("live_event", starts_on=dt.date(2027, 3, 20)))
    assert sentence == (
        "Refund policy: cancel at least 5 days before the event starts on 20 March 2027 "
        "(by 15 March 2027) for a refund of the price less a 10 % processing fee; there is "
        "no refund if you do not attend."
    )
    changed = render(terms("live_event", starts_on=dt.date(2027, 3, 20), live_event_notice_days=7))
    assert "at least 7 days before" in changed and "(by 13 March 2027)" in changed


def test_a_conference_uses_its_own_deadline_and_fee_else_the_live_event_values():
    own = render(terms("conference", starts_on=dt.date(2027, 6, 1), deadline=30, fee="25"))
    assert own.startswith("Refund policy of this conference: cancel at least 30 days")
    assert "(by 2 May 2027)" in own and "a 25 % processing fee" in own
    default = render(terms("conference", starts_on=dt.date(2027, 6, 1)))
    assert "at least 5 days" in default and "a 10 % processing fee" in default


def test_an_event_too_close_to_refund_says_so():
    assert terms("live_event", starts_on=dt.date(2027, 3, 4)).code == "offering.terms_live_too_late"
    sentence = render(terms("live_event", starts_on=dt.date(2027, 3, 4)))
    assert "if you enroll now, a cancellation is not refunded" in sentence
    conference = terms("conference", starts_on=dt.date(2027, 3, 20), deadline=30, fee="20")
    assert conference.code == "offering.terms_conference_too_late"


def test_a_free_registration_has_nothing_to_refund():
    assert terms(price="0.00") == Reason("offering.terms_free")
    assert "nothing to refund" in render(terms("live_event", price="0", starts_on=DAY))


def _last_day(reason: Reason) -> dt.date:
    value = reason.params["last_day"]
    assert isinstance(value, dt.date)
    return value


@given(
    kind=st.sampled_from(["self_study", "recorded_webinar", "live_event", "conference"]),
    lead=st.integers(min_value=0, max_value=120),
    window=st.integers(min_value=0, max_value=90),
    notice=st.integers(min_value=0, max_value=60),
    deadline=st.none() | st.integers(min_value=0, max_value=60),
)
def test_the_last_day_named_is_the_last_day_the_refund_rule_pays(
    kind, lead, window, notice, deadline
):
    """A request on the last day the sentence names is eligible; one a day later is not."""
    policy = DEFAULT_POLICY.replace(refund_window_days=window, live_event_notice_days=notice)
    starts_on = DAY + dt.timedelta(days=lead) if kind in ("live_event", "conference") else None
    reason = refund_terms(
        kind=kind,
        price=D("80.00"),
        enrolled_on=DAY,
        starts_on=starts_on,
        refund_deadline_days=deadline,
        refund_fee_percent=None,
        policy=policy,
    )
    case = RefundCase(
        kind=kind,
        price=D("80.00"),
        enrolled_on=DAY,
        starts_on=starts_on,
        refund_deadline_days=deadline,
    )

    def eligible(on: dt.date) -> bool:
        return refund_outcome(case, requested_on=on, policy=policy).eligible

    if reason.code.endswith("_too_late"):
        assert not eligible(DAY)
        return
    last = _last_day(reason)
    assert last >= DAY
    assert eligible(last)
    assert not eligible(last + dt.timedelta(days=1))
