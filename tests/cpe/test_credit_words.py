"""The credit rules own their words (issue 15): each reason is a ``credit.*`` code whose
policy numbers are parameters, rendered in the active language. Pure: no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cpe.credit import (
    CreditRule,
    PriorEntry,
    attendance_refusal,
    certification_warning,
    compute_credit,
)
from imaportal import reasons
from imaportal.reasons import Reason, render, render_all
from policy.rules import DEFAULT_POLICY, Policy
from tests.cpe.test_credit import TEACHING, TITLE, earlier, entry

D = Decimal
TODAY = dt.date(2026, 11, 24)


def said(
    activity_type: str,
    *,
    prior: list[PriorEntry] | None = None,
    policy: Policy = DEFAULT_POLICY,
    **fields: Any,
) -> list[str]:
    """The reasons of an activity's credit, in words."""
    got = compute_credit(
        entry(activity_type, **fields), prior=prior or [], policy=policy, today=TODAY
    )
    return render_all(got.reasons)


def codes_of(activity_type: str, *, prior: list[PriorEntry] | None = None, **fields: Any):
    got = compute_credit(
        entry(activity_type, **fields), prior=prior or [], policy=DEFAULT_POLICY, today=TODAY
    )
    return got.reasons


FIRST_TALK = earlier(
    "presentation", on=dt.date(2025, 3, 1), credit="4.0", rule="presentation_first"
)
REPEAT_TALK = earlier(
    "presentation", on=dt.date(2026, 2, 1), credit="2.0", rule="presentation_repeat", entry_id=2
)
PUBLISHED = {"publication_status": "published", "claimed_hours": D("30")}

# One activity per reason the rules give (with the default policy).
CASES: list[tuple[str, dict[str, Any], list[PriorEntry]]] = [
    ("self_study", {"recommended_hours": D("2")}, []),
    ("ima_offering", {"recommended_hours": D("3")}, []),
    ("association_meeting", {"minutes": 100}, []),
    ("association_meeting", {"minutes": 40}, []),
    ("university_course", {"semester_credit_hours": D("3")}, []),
    ("university_course", {"quarter_credit_hours": D("3")}, []),
    ("short_course", {"minutes": 390, "full_day_days": 1}, []),
    ("short_course", {"minutes": 700, "full_day_days": 2}, []),
    ("presentation", {"minutes": 100}, []),
    ("presentation", {"minutes": 100}, [FIRST_TALK]),
    ("presentation", {"minutes": 100, "substantially_revised": True}, [FIRST_TALK]),
    ("presentation", {"minutes": 100, "substantially_revised": True}, [FIRST_TALK, REPEAT_TALK]),
    ("university_teaching", TEACHING, []),
    ("university_teaching", {**TEACHING, "first_time": False}, []),
    (
        "university_teaching",
        {**TEACHING, "substantially_changed": True},
        [earlier("university_teaching", on=dt.date(2025, 9, 1), credit="45.0")],
    ),
    (
        "university_teaching",
        TEACHING,
        [earlier("university_teaching", on=dt.date(2023, 6, 1), credit="45.0")],
    ),
    (
        "university_teaching",
        TEACHING,
        [earlier("university_teaching", on=dt.date(2025, 9, 1), credit="45.0")],
    ),
    ("certification_exam", {"exam_name": "CMA Part 1", "exam_hours": D("4")}, []),
    ("publication", {"publication_kind": "article", **PUBLISHED}, []),
    ("publication", {"publication_kind": "book", **PUBLISHED}, []),
    (
        "publication",
        {
            "publication_kind": "monograph",
            "publication_status": "submitted_not_accepted",
            "claimed_hours": D("30"),
        },
        [],
    ),
    (
        "publication",
        {"publication_kind": "book", **PUBLISHED},
        [earlier("publication", on=dt.date(2025, 1, 5), credit="20.0")],
    ),
]


def test_every_credit_code_is_given_by_a_rule_and_renders():
    given: dict[str, str] = {}
    for activity_type, fields, prior in CASES:
        for reason in codes_of(activity_type, prior=prior, **fields):
            given[reason.code] = render(reason)
    # The warnings beside the credit: before certification, attendance not importable.
    day = dt.date(2026, 6, 1)
    for reason in (
        certification_warning(completed_on=day, certified_on=day + dt.timedelta(days=1)),
        attendance_refusal(starts_on=day + dt.timedelta(days=1), cpe_hours=D("2"), today=day),
        attendance_refusal(starts_on=day, cpe_hours=D("0"), today=day),
    ):
        assert reason is not None
        given[reason.code] = render(reason)
    registered = {code for code in reasons.codes() if code.startswith("credit.")}
    assert set(given) == registered
    for code, words in given.items():
        assert words.strip() and "%(" not in words and "{" not in words, (code, words)


def test_the_reasons_survive_the_stored_form():
    for activity_type, fields, prior in CASES:
        for reason in codes_of(activity_type, prior=prior, **fields):
            assert Reason.from_json(reason.as_json()) == reason


def test_the_rule_codes_keep_their_stored_values():
    assert [rule.value for rule in CreditRule] == [
        "recommended_hours",
        "ima_offering",
        "fifty_minute_hour",
        "semester_credit_hours",
        "quarter_credit_hours",
        "full_day",
        "presentation_first",
        "presentation_repeat",
        "presentation_repeat_limit",
        "teaching_first",
        "teaching_changed",
        "teaching_after_three_years",
        "teaching_repeat",
        "certification_exam",
        "publication_once",
        "publication",
        "publication_submitted",
    ]


@pytest.mark.parametrize(
    "activity_type, fields, prior, expected",
    [
        (
            "association_meeting",
            {"minutes": 389},
            [],
            ["389 minutes = 7.5 50-minute hours (rounded down to the nearest 0.5)."],
        ),
        (
            "association_meeting",
            {"minutes": 49},
            [],
            ["49 minutes is under one 50-minute hour: no credit."],
        ),
        (
            "university_course",
            {"semester_credit_hours": D("3")},
            [],
            ["3 semester credit hours × 15 = 45.0."],
        ),
        (
            "self_study",
            {"recommended_hours": D("2.25")},
            [],
            ["The sponsor's recommended 2.2 hours."],
        ),
        (
            "short_course",
            {"minutes": 780, "full_day_days": 2},
            [],
            [
                "780 minutes = 15.5 50-minute hours (rounded down to the nearest 0.5).",
                "2 full days of at least 390 minutes earn 16.0 hours.",
            ],
        ),
        ("presentation", {"minutes": 100}, [], ["First presentation: 2 × 2.0 = 4.0 hours."]),
        (
            "presentation",
            {"minutes": 100, "substantially_revised": True},
            [FIRST_TALK],
            ["Substantially revised repeat: 2.0 hours (1 × the 50-minute hours)."],
        ),
        (
            "presentation",
            {"minutes": 100, "substantially_revised": True},
            [FIRST_TALK, REPEAT_TALK],
            [
                "Only one substantially revised repeat of the same presentation counts per "
                "calendar year; 2026 already has one."
            ],
        ),
        (
            "university_teaching",
            TEACHING,
            [earlier("university_teaching", on=dt.date(2025, 9, 1), credit="45.0")],
            [
                "The same course counts again only from 1 September 2028 (3 years after its "
                "last credited teaching on 1 September 2025) or when substantially changed."
            ],
        ),
        (
            "university_teaching",
            {**TEACHING, "first_time": False},
            [],
            [
                "Teaching the same course again counts only when substantially changed or "
                "3 years later."
            ],
        ),
        (
            "publication",
            {
                "publication_kind": "article",
                "publication_status": "submitted_not_accepted",
                "claimed_hours": D("10"),
            },
            [],
            [
                "Claimed 10 hours, capped at 6 for an article.",
                "Submitted but not accepted: 50% of the capped hours, 3.0 hours.",
            ],
        ),
    ],
)
def test_the_reasons_in_english(activity_type, fields, prior, expected):
    assert said(activity_type, prior=prior, **fields) == expected


# --- a changed policy value shows its new number ---------------------------------------


def test_a_changed_teaching_wait_shows_its_years():
    policy = DEFAULT_POLICY.replace(teaching_repeat_years=4)
    prior = [earlier("university_teaching", on=dt.date(2025, 9, 1), credit="45.0")]
    assert said("university_teaching", prior=prior, policy=policy, **TEACHING) == [
        "The same course counts again only from 1 September 2029 (4 years after its "
        "last credited teaching on 1 September 2025) or when substantially changed."
    ]
    alone = said("university_teaching", policy=policy, **{**TEACHING, "first_time": False})
    assert alone == [
        "Teaching the same course again counts only when substantially changed or 4 years later."
    ]
    one = DEFAULT_POLICY.replace(teaching_repeat_years=1)
    assert (
        "or 1 year later."
        in said("university_teaching", policy=one, **{**TEACHING, "first_time": False})[0]
    )


def test_a_changed_submitted_share_shows_its_percentage():
    policy = DEFAULT_POLICY.replace(submitted_publication_share=D("0.25"))
    fields = {
        "publication_kind": "article",
        "publication_status": "submitted_not_accepted",
        "claimed_hours": D("10"),
    }
    assert said("publication", policy=policy, **fields)[1] == (
        "Submitted but not accepted: 25% of the capped hours, 1.5 hours."
    )


def test_changed_presentation_values_show_their_numbers():
    policy = DEFAULT_POLICY.replace(
        presentation_repeat_multiplier=D("1.5"), presentation_repeats_per_year=2
    )
    revised = {"minutes": 100, "substantially_revised": True}
    assert said("presentation", prior=[FIRST_TALK], policy=policy, **revised) == [
        "Substantially revised repeat: 3.0 hours (1.5 × the 50-minute hours)."
    ]
    third = earlier(
        "presentation", on=dt.date(2026, 3, 1), credit="2.0", rule="presentation_repeat", entry_id=3
    )
    assert said(
        "presentation", prior=[FIRST_TALK, REPEAT_TALK, third], policy=policy, **revised
    ) == [
        "Only 2 substantially revised repeats of the same presentation count per calendar "
        "year; 2026 already has 2."
    ]


def test_a_changed_minute_hour_shows_its_minutes():
    policy = DEFAULT_POLICY.replace(minutes_per_credit=60, minute_credit_increment=D("0.25"))
    assert said("association_meeting", policy=policy, minutes=100) == [
        "100 minutes = 1.5 60-minute hours (rounded down to the nearest 0.25)."
    ]


# --- one leap-day rule -------------------------------------------------------------------


def test_teaching_after_a_29_february_counts_again_from_1_march():
    """29 February 2024 + 3 years is 1 March 2027 (imaportal.dates.add_years, the rule of
    the retirement age), no longer 28 February 2027."""
    prior = [earlier("university_teaching", on=dt.date(2024, 2, 29), credit="45.0", title=TITLE)]
    policy = DEFAULT_POLICY.replace(teaching_repeat_years=3)
    today = dt.date(2027, 12, 31)

    def credit(on: dt.date):
        return compute_credit(
            entry("university_teaching", completed_on=on, **TEACHING),
            prior=prior,
            policy=policy,
            today=today,
        )

    too_soon = credit(dt.date(2027, 2, 28))
    assert too_soon.credit_hours == D("0.0")
    assert too_soon.rule == CreditRule.TEACHING_REPEAT
    assert "only from 1 March 2027" in render(too_soon.reasons[0])
    on_time = credit(dt.date(2027, 3, 1))
    assert on_time.credit_hours == D("45.0")
    assert on_time.rule == CreditRule.TEACHING_AFTER_REPEAT_YEARS
    assert render(on_time.reasons[0]) == (
        "Taught again 3 or more years after 29 February 2024: 45.0 hours."
    )
