"""The status rule's reasons are codes with parameters, put into words at display time: every
``status.*`` code renders (each driven by a member whose status produces it), the English
sentences are the ones members have always read, and a number the policy can change is the
policy value in force, not part of the sentence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from certification.status import Credit, StatusFacts, compute_status, pending_review
from imaportal.reasons import Reason, codes, render, render_all
from policy.rules import Policy

D = Decimal
PAID = dt.date(2099, 12, 31)
ETHICS_2 = Policy(ethics_hours_required=D("2"))


def facts(
    *hours: tuple[int, str, str],
    certified_on: dt.date | None = dt.date(2023, 3, 1),
    exempt: frozenset[int] = frozenset(),
    retired_on: dt.date | None = None,
    paid_through: dt.date | None = PAID,
) -> StatusFacts:
    """A member with ``(year, hours, ethics hours)`` earned on 1 May of each year."""
    credits = tuple(Credit(dt.date(y, 5, 1), D(h), D(e)) for y, h, e in hours)
    return StatusFacts(certified_on, credits, exempt, retired_on, paid_through)


JUNE_2025, JUNE_2026 = dt.date(2025, 6, 1), dt.date(2026, 6, 1)

# (member, as of, policy versions, the sentences in English, the codes)
CASES = [
    (facts(certified_on=None), JUNE_2026, (), ["Not a CMA: no CPE requirement."]),
    (
        facts(certified_on=dt.date(2026, 9, 1)),
        JUNE_2026,
        (),
        ["Not yet certified on this date (1 September 2026)."],
    ),
    (
        facts(certified_on=dt.date(2026, 3, 1)),
        JUNE_2026,
        (),
        [
            "Grace period until 31 December 2026: no requirement yet. "
            "Hours earned now count toward 2027."
        ],
    ),
    (
        facts((2024, "30", "0"), (2025, "10", "0")),
        JUNE_2025,
        (),
        ["20.0 more hours by 31 December 2025 to stay active (10.0 of 30.0)."],
    ),
    (
        facts((2024, "35", "0"), (2025, "10", "0")),
        JUNE_2025,
        (),
        [
            "15.0 more hours by 31 December 2025 to stay active (15.0 of 30.0, "
            "including 5.0 carried in)."
        ],
    ),
    (
        facts((2024, "30", "0"), (2025, "30", "0")),
        JUNE_2025,
        (),
        ["The 2025 requirement of 30.0 hours is met."],
    ),
    (
        facts((2024, "20", "0"), (2025, "5", "0")),
        JUNE_2025,
        (),
        [
            "35.0 more hours by 31 December 2025 to return to active.",
            "2024 ended short (10.0 hours): make-up year, 40.0 hours needed in 2025.",
        ],
    ),
    (
        facts((2024, "20", "0"), (2025, "40", "0")),
        JUNE_2025,
        (),
        ["The 2025 requirement of 40.0 hours is met.", "Make-up completed: 40.0 of 40.0 hours."],
    ),
    (
        facts((2024, "20", "0"), (2025, "20", "0"), (2026, "10", "0")),
        JUNE_2026,
        (),
        [
            "Lapsed: return to active by earning 60.0 hours within one calendar year; "
            "10.0 earned in 2026, 50.0 to go."
        ],
    ),
    (
        facts((2024, "20", "0"), (2025, "20", "0"), (2026, "60", "0")),
        JUNE_2026,
        (),
        ["Restored: 60.0 hours earned in 2026, at least 60.0 in one calendar year."],
    ),
    (
        facts((2024, "20", "0"), exempt=frozenset({2025})),
        JUNE_2025,
        (),
        [
            "Exempt from the CPE requirement for 2025.",
            "The exemption clears the make-up from last year.",
        ],
    ),
    (
        facts(retired_on=dt.date(2025, 6, 1)),
        dt.date(2025, 7, 1),
        (),
        ["Retired since 1 June 2025: no CPE requirement."],
    ),
    (
        facts((2024, "30", "0"), (2025, "30", "0"), paid_through=None),
        JUNE_2025,
        (),
        [
            "No dues payment is on record: pay your dues to become active.",
            "The 2025 requirement of 30.0 hours is met.",
        ],
    ),
    (
        facts((2024, "30", "0"), (2025, "30", "0"), paid_through=dt.date(2025, 3, 31)),
        JUNE_2025,
        (),
        [
            "Dues were paid through 31 March 2025: pay the current dues to become active.",
            "The 2025 requirement of 30.0 hours is met.",
        ],
    ),
    (
        facts((2024, "30", "2"), (2025, "10", "0")),
        JUNE_2025,
        (ETHICS_2,),
        [
            "20.0 more hours by 31 December 2025 to stay active (10.0 of 30.0).",
            "2.0 of them must be ethics hours.",
        ],
    ),
    (
        facts((2024, "30", "0"), (2025, "35", "0")),
        JUNE_2025,
        (ETHICS_2,),
        [
            "4.0 more ethics hours by 31 December 2025 to return to active.",
            "2024 ended short (2.0 ethics hours): make-up year, 30.0 hours needed in 2025.",
        ],
    ),
    (
        facts((2024, "20", "0"), (2025, "5", "0")),
        JUNE_2025,
        (ETHICS_2,),
        [
            "35.0 more hours by 31 December 2025 to return to active.",
            "2024 ended short (10.0 hours, 2.0 ethics hours): make-up year, 40.0 hours "
            "needed in 2025.",
            "4.0 of them must be ethics hours.",
        ],
    ),
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("member", "as_of", "policies", "sentences"), CASES)
def test_each_status_reads_as_it_always_did(member, as_of, policies, sentences):
    result = compute_status(member, policies=policies, as_of=as_of)
    assert all(isinstance(reason, Reason) for reason in result.reasons)
    assert render_all(result.reasons) == sentences


def test_every_status_code_is_produced_by_the_rule_and_renders():
    produced = {
        reason.code
        for member, as_of, policies, _ in CASES
        for reason in compute_status(member, policies=policies, as_of=as_of).reasons
    }
    # Why a change is recorded comes from the write (the nightly job, an approved request),
    # not from the rule.
    written = [
        (
            Reason("status.recomputed", {"date": dt.date(2026, 10, 20)}),
            "Recomputed as of 20 October 2026.",
        ),
        (
            Reason("status.retirement_approved", {"date": dt.date(2026, 7, 1)}),
            "Retirement from 1 July 2026 approved.",
        ),
        (
            Reason("status.exemption_approved_military", {"years": "2026, 2027"}),
            "Exemption for 2026, 2027 approved (military service).",
        ),
        (
            Reason("status.exemption_approved_illness", {"years": "2026"}),
            "Exemption for 2026 approved (serious illness or disability).",
        ),
        (
            Reason("status.exemption_approved_hardship", {"years": "2026"}),
            "Exemption for 2026 approved (severe personal financial hardship).",
        ),
    ]
    # What waits for review comes from the pending-hours rule beside the engine.
    produced |= {
        reason.code
        for reason in [
            pending_review(
                [Credit(dt.date(2026, 3, 1), Decimal("2"))],
                certified_on=dt.date(2024, 1, 1),
                as_of=dt.date(2026, 4, 1),
            )
        ]
        if reason is not None
    }
    assert [(reason, render(reason)) for reason, _ in written] == written
    assert produced | {reason.code for reason, _ in written} == {
        code for code in codes() if code.startswith("status.")
    }


def test_the_stored_form_renders_the_same_sentences():
    for member, as_of, policies, sentences in CASES:
        result = compute_status(member, policies=policies, as_of=as_of)
        stored = [Reason.from_json(reason.as_json()) for reason in result.reasons]
        assert render_all(stored) == sentences


def test_the_hours_that_restore_a_lapsed_member_come_from_the_policy():
    lapsed = facts((2024, "20", "0"), (2025, "20", "0"), (2026, "10", "0"))
    restore_40 = Policy(effective_from=2026, lapse_restore_hours=D("40"))
    result = compute_status(lapsed, policies=[restore_40], as_of=JUNE_2026)
    assert render(result.reasons[0]) == (
        "Lapsed: return to active by earning 40.0 hours within one calendar year; "
        "10.0 earned in 2026, 30.0 to go."
    )


def test_the_annual_hours_come_from_the_policy_of_the_year():
    member = facts((2024, "30", "0"), (2025, "10", "0"))
    annual_25 = Policy(effective_from=2025, annual_hours=D("25"))
    result = compute_status(member, policies=[annual_25], as_of=JUNE_2025)
    assert render_all(result.reasons) == [
        "15.0 more hours by 31 December 2025 to stay active (10.0 of 25.0)."
    ]
    met = compute_status(
        facts((2024, "30", "0"), (2025, "25", "0")), policies=[annual_25], as_of=JUNE_2025
    )
    assert render_all(met.reasons) == ["The 2025 requirement of 25.0 hours is met."]
