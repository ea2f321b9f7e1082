"""The words of the refund rule (``refunds.words``): every ``refund.*`` code the rule and
the approval check produce renders, the sentences name the policy values in force, and
``approval_errors`` keeps the staff messages. Pure: no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from imaportal import reasons
from imaportal.reasons import Reason, render
from policy.rules import DEFAULT_POLICY
from refunds.policy import RefundCase, approval_errors, refund_outcome

D = Decimal
PURCHASE = dt.date(2026, 3, 1)
START = dt.date(2026, 6, 1)


def course(*, final_test_taken: bool = False, price: str = "100.00") -> RefundCase:
    return RefundCase(
        kind="self_study", price=D(price), enrolled_on=PURCHASE, final_test_taken=final_test_taken
    )


def event(kind: str = "live_event", *, attended: bool = False, **kwargs: object) -> RefundCase:
    return RefundCase(
        kind=kind,
        price=D(str(kwargs.pop("price", "100.00"))),
        enrolled_on=PURCHASE,
        starts_on=START,
        attended=attended,
        **kwargs,
    )


def on(offset: int, base: dt.date = START) -> dt.date:
    return base + dt.timedelta(days=offset)


# (case, requested on, the sentence in English)
SENTENCES = [
    pytest.param(
        course(price="1223.06"),
        on(0, PURCHASE),
        "Eligible: a refund of 1,100.75 (the price of 1,223.06 less the 10 % processing fee "
        "of 122.31).",
        id="eligible",
    ),
    pytest.param(
        course(final_test_taken=True),
        on(1, PURCHASE),
        "Not eligible: the final test has been taken, and a course is refunded only before "
        "its final test.",
        id="final_test_taken",
    ),
    pytest.param(
        course(),
        on(31, PURCHASE),
        "Not eligible: the request comes 31 days after the purchase on 1 March 2026; refunds "
        "are given within 30 days of purchase.",
        id="window_expired",
    ),
    pytest.param(
        event(),
        START,
        "Not eligible: the event started on 1 June 2026 and the member did not attend; "
        "refunds are not given for no-shows.",
        id="no_show",
    ),
    pytest.param(
        event("conference", refund_deadline_days=30),
        on(-29),
        "Not eligible under this conference's policy: cancellations must reach IMA at least "
        "30 days before it starts on 1 June 2026.",
        id="conference_policy",
    ),
    pytest.param(
        event(),
        on(-1),
        "Not eligible: the request comes only 1 day before the event on 1 June 2026; "
        "cancellations must reach IMA at least 5 days before the event.",
        id="too_late_before",
    ),
    pytest.param(
        event(attended=True),
        on(2),
        "Not eligible: the request comes after the event started on 1 June 2026; "
        "cancellations must reach IMA at least 5 days before the event.",
        id="too_late_after",
    ),
]


@pytest.mark.parametrize(("case", "requested_on", "sentence"), SENTENCES)
def test_each_outcome_reads_as_before_with_dates_in_words(
    case: RefundCase, requested_on: dt.date, sentence: str
) -> None:
    outcome = refund_outcome(case, requested_on=requested_on, policy=DEFAULT_POLICY)
    assert render(outcome.reason) == sentence
    # The stored form comes back as the same reason.
    assert Reason.from_json(outcome.reason.as_json()) == outcome.reason


def _codes(reason: Reason) -> Iterator[str]:
    yield reason.code
    for value in reason.params.values():
        if isinstance(value, Reason):
            yield from _codes(value)


def _approval_reasons() -> Iterator[Reason]:
    common = {"price": D("120.00"), "currency": "USD", "max_length": 10}
    asks = [
        {"eligible": False, "reason_code": "no_show", "given": None, "text": "", "special": False},
        {"eligible": False, "reason_code": "window_expired", "given": None, "text": ""},
        {"eligible": True, "reason_code": "eligible", "given": D("0"), "text": "x"},
        {"eligible": True, "reason_code": "eligible", "given": D("120.01"), "text": "x"},
        {"eligible": True, "reason_code": "eligible", "given": D("50"), "text": "x" * 11},
    ]
    for ask in asks:
        ask.setdefault("special", ask["given"] is not None)
        for found in approval_errors(**common, **ask).values():
            yield from found


def test_every_refund_code_is_produced_by_the_rules_and_renders() -> None:
    produced = [
        refund_outcome(case, requested_on=requested_on, policy=DEFAULT_POLICY).reason
        for case, requested_on, _ in (p.values for p in SENTENCES)
    ] + list(_approval_reasons())
    used = {code for reason in produced for code in _codes(reason)}
    registered = {code for code in reasons.codes() if code.startswith("refund.")}
    assert used == registered
    for reason in produced:
        sentence = render(reason)
        assert sentence.strip() and "%(" not in sentence, reason


def test_one_day_is_singular() -> None:
    assert render(Reason("refund.days", {"n": 1})) == "1 day"
    assert render(Reason("refund.days", {"n": 2})) == "2 days"


def test_the_sentences_name_the_policy_values_in_force() -> None:
    window_45 = DEFAULT_POLICY.replace(refund_window_days=45)
    late = refund_outcome(course(), requested_on=on(46, PURCHASE), policy=window_45)
    assert render(late.reason) == (
        "Not eligible: the request comes 46 days after the purchase on 1 March 2026; refunds "
        "are given within 45 days of purchase."
    )
    notice_7 = DEFAULT_POLICY.replace(live_event_notice_days=7)
    too_late = refund_outcome(event(), requested_on=on(-6), policy=notice_7)
    assert "cancellations must reach IMA at least 7 days before the event." in render(
        too_late.reason
    )
    # A conference without terms of its own uses the policy's notice.
    conference = refund_outcome(event("conference"), requested_on=on(-6), policy=notice_7)
    assert "at least 7 days before it starts on 1 June 2026" in render(conference.reason)
    fee_12_5 = DEFAULT_POLICY.replace(refund_fee_percent=D("12.5"))
    eligible = refund_outcome(course(), requested_on=on(0, PURCHASE), policy=fee_12_5)
    assert render(eligible.reason) == (
        "Eligible: a refund of 87.50 (the price of 100.00 less the 12.5 % processing fee of 12.50)."
    )


# --- approval_errors: may staff approve as asked? -------------------------------------------

NO_SHOW_WORDS = (
    "Refunds are not given for no-shows, and no special circumstances apply to them. "
    "Deny the request instead."
)
NEEDS_AMOUNT = (
    "The policy refunds nothing here (after the refund window). To grant special "
    "circumstances, enter the amount to refund and the reason."
)
NEEDS_REASON = "Special circumstances need a reason; the member sees it."


@pytest.mark.parametrize(
    ("ask", "expected"),
    [
        pytest.param(
            {"eligible": True, "reason_code": "eligible", "given": None, "text": ""}, {}, id="ok"
        ),
        pytest.param(
            {"eligible": False, "reason_code": "no_show", "given": D("50"), "text": "Ill."},
            {"amount": [NO_SHOW_WORDS]},
            id="no-show-never",
        ),
        pytest.param(
            {"eligible": False, "reason_code": "window_expired", "given": None, "text": ""},
            {"amount": [NEEDS_AMOUNT], "reason": [NEEDS_REASON]},
            id="ineligible-plain-approve",
        ),
        pytest.param(
            {"eligible": False, "reason_code": "window_expired", "given": D("60"), "text": "Ill."},
            {},
            id="special-circumstances",
        ),
        pytest.param(
            {"eligible": False, "reason_code": "too_late", "given": D("60"), "text": ""},
            {"reason": [NEEDS_REASON]},
            id="special-without-reason",
        ),
        pytest.param(
            {"eligible": True, "reason_code": "eligible", "given": D("0"), "text": "x"},
            {"amount": ["Enter an amount above 0; to refund nothing, deny."]},
            id="zero",
        ),
        pytest.param(
            {"eligible": True, "reason_code": "eligible", "given": D("1200.01"), "text": "x"},
            {"amount": ["The refund cannot exceed the price paid, $1,200.00."]},
            id="above-price",
        ),
        pytest.param(
            {"eligible": True, "reason_code": "eligible", "given": D("5"), "text": "x" * 21},
            {"reason": ["Keep it under 20 characters."]},
            id="too-long",
        ),
    ],
)
def test_approval_errors(ask: dict[str, object], expected: dict[str, list[str]]) -> None:
    special = ask["given"] is not None and (not ask["eligible"] or ask["given"] != D("90.00"))
    errors = approval_errors(
        price=D("1200.00"),
        currency="USD",
        special=special,
        max_length=20,
        **ask,
    )
    assert {field: reasons.render_all(found) for field, found in errors.items()} == expected
