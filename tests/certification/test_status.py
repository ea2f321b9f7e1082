"""SPEC section 3 (certification status) pinned through ``certification.status.compute_status``.

Pure tests, no database. The first part turns every worked example and every "settled
detail" of SPEC section 3 into a test; then ethics (section 7's ``ethics_hours_required``)
and effective-dated policy versions; the property-based tests at the end check invariants
for random members and dates. Every figure is the one SPEC gives (or follows from it with
the default policy of section 7)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.status import Credit, Status, StatusFacts, StatusResult, YearRow, compute_status
from imaportal.reasons import render_all
from policy.rules import DEFAULT_POLICY, Policy

D = Decimal
PAID = "2099-12-31"  # "all dues paid" in the worked examples

Row = tuple[int, Decimal, Decimal, Decimal, Decimal, Decimal | None, bool]


def day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def cr(completed_on: str, hours: int | str, ethics: int | str = 0) -> Credit:
    return Credit(day(completed_on), D(hours), D(ethics))


def member(
    certified_on: str | None = "2023-03-01",
    credits: Iterable[Credit] = (),
    *,
    exempt: Iterable[int] = (),
    retired_on: str | None = None,
    paid_through: str | None = PAID,
) -> StatusFacts:
    return StatusFacts(
        certified_on=day(certified_on) if certified_on else None,
        credits=tuple(credits),
        exempt_years=frozenset(exempt),
        retired_on=day(retired_on) if retired_on else None,
        dues_paid_through=day(paid_through) if paid_through else None,
    )


def status_on(
    facts: StatusFacts, as_of: str | dt.date, policies: Iterable[Policy] = ()
) -> StatusResult:
    when = day(as_of) if isinstance(as_of, str) else as_of
    return compute_status(facts, policies=policies, as_of=when)


def row(
    year: int,
    required: int | str,
    earned: int | str,
    carried_in: int | str,
    carried_out: int | str,
    shortfall: int | str | None,
    exempt: bool = False,
) -> Row:
    """A ledger row as SPEC's API shows it: year, required, earned, carried_in,
    carried_out, shortfall, exempt."""
    return (
        year,
        D(required),
        D(earned),
        D(carried_in),
        D(carried_out),
        None if shortfall is None else D(shortfall),
        exempt,
    )


def rows(result: StatusResult) -> list[Row]:
    return [
        (r.year, r.required, r.earned, r.carried_in, r.carried_out, r.shortfall, r.exempt)
        for r in result.years
    ]


def row_of(result: StatusResult, year: int) -> YearRow:
    (found,) = [r for r in result.years if r.year == year]
    return found


# Members of the worked examples (all certified 2023-03-01 unless said otherwise).
SHORT_2024 = [cr("2024-05-01", 25)]  # 25 in 2024: make-up in 2025
LAPSED_2026 = [cr("2024-05-01", 25), cr("2025-05-01", 30)]  # make-up failed: lapsed 2026


# --- worked examples (SPEC section 3 table) ---------------------------------------------


def test_example_a_grace_hours_count_toward_the_first_reporting_year():
    facts = member("2024-06-10", [cr("2024-08-01", 12), cr("2025-05-01", 20)])

    in_grace = status_on(facts, "2024-12-31")
    assert in_grace.status == Status.GRACE
    assert in_grace.years == ()

    end_2025 = status_on(facts, "2025-12-31")
    assert end_2025.status == Status.ACTIVE
    assert rows(end_2025) == [row(2025, 30, 32, 0, 0, None)]
    assert end_2025.hours_needed == 0

    result = status_on(facts, "2026-01-01")
    assert result.status == Status.ACTIVE
    assert rows(result) == [row(2025, 30, 32, 0, 2, 0), row(2026, 30, 0, 2, 0, None)]
    assert result.required_hours == 30
    assert result.available_hours == 2
    assert result.hours_needed == 28
    assert result.deadline == day("2026-12-31")


def test_example_b_carry_8_makes_2025_available_30():
    facts = member("2023-03-01", [cr("2024-04-01", 38), cr("2025-09-01", 22)])

    end_2025 = status_on(facts, "2025-12-31")
    assert end_2025.status == Status.ACTIVE
    assert rows(end_2025) == [row(2024, 30, 38, 0, 8, 0), row(2025, 30, 22, 8, 0, None)]
    assert end_2025.available_hours == 30
    assert end_2025.hours_needed == 0
    assert end_2025.deadline == day("2025-12-31")

    result = status_on(facts, "2026-01-01")
    assert result.status == Status.ACTIVE
    assert rows(result) == [
        row(2024, 30, 38, 0, 8, 0),
        row(2025, 30, 22, 8, 0, 0),  # carried-in 8 used first: no own hours left over
        row(2026, 30, 0, 0, 0, None),
    ]
    assert result.hours_needed == 30


def test_example_c_25_hours_in_2024_is_make_up_of_35_in_2025():
    facts = member("2023-03-01", SHORT_2024)

    before = status_on(facts, "2024-12-31")
    assert before.status == Status.ACTIVE
    assert before.hours_needed == 5

    result = status_on(facts, "2025-01-01")
    assert result.status == Status.INACTIVE_MAKEUP
    assert rows(result) == [row(2024, 30, 25, 0, 0, 5), row(2025, 35, 0, 0, 0, None)]
    assert result.required_hours == 35
    assert result.hours_needed == D("35.0")
    assert result.deadline == day("2025-12-31")
    assert result.reasons


def test_example_d_active_again_from_the_entry_that_reaches_35():
    facts = member("2023-03-01", [*SHORT_2024, cr("2025-03-15", 20), cr("2025-06-20", 15)])

    part_way = status_on(facts, "2025-03-15")
    assert part_way.status == Status.INACTIVE_MAKEUP
    assert part_way.hours_needed == 15

    day_before = status_on(facts, "2025-06-19")
    assert day_before.status == Status.INACTIVE_MAKEUP
    assert day_before.hours_needed == 15
    assert day_before.deadline == day("2025-12-31")

    that_day = status_on(facts, "2025-06-20")
    assert that_day.status == Status.ACTIVE
    assert that_day.hours_needed == 0
    assert rows(that_day) == [row(2024, 30, 25, 0, 0, 5), row(2025, 35, 35, 0, 0, None)]

    next_year = status_on(facts, "2026-01-01")
    assert next_year.status == Status.ACTIVE
    assert rows(next_year) == [
        row(2024, 30, 25, 0, 0, 5),
        row(2025, 35, 35, 0, 0, 0),
        row(2026, 30, 0, 0, 0, None),
    ]
    assert next_year.hours_needed == 30


def test_example_e_failed_make_up_lapses_and_needs_60_in_one_year():
    facts = member("2023-03-01", LAPSED_2026)

    end_2025 = status_on(facts, "2025-12-31")
    assert end_2025.status == Status.INACTIVE_MAKEUP
    assert end_2025.hours_needed == 5

    result = status_on(facts, "2026-01-01")
    assert result.status == Status.INACTIVE_LAPSED
    assert rows(result) == [
        row(2024, 30, 25, 0, 0, 5),
        row(2025, 35, 30, 0, 0, 5),
        row(2026, 60, 0, 0, 0, None),
    ]
    assert result.required_hours == 60
    assert result.hours_needed == 60
    assert result.deadline is None


# --- precedence -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "as_of", "expected"),
    [
        pytest.param(
            member("2020-01-15", retired_on="2025-01-01", paid_through="2025-06-30"),
            "2025-07-01",
            Status.INACTIVE_DUES,
            id="dues-over-retired",
        ),
        pytest.param(
            member("2023-03-01", LAPSED_2026, paid_through=None),
            "2026-02-01",
            Status.INACTIVE_DUES,
            id="dues-over-lapsed",
        ),
        pytest.param(
            member("2025-03-01", paid_through=None),
            "2025-04-01",
            Status.INACTIVE_DUES,
            id="dues-over-grace",
        ),
        pytest.param(
            member(None, paid_through="2024-12-31"),
            "2025-04-01",
            Status.INACTIVE_DUES,
            id="dues-over-not-certified",
        ),
        pytest.param(
            member(None, retired_on="2024-01-01"),
            "2025-04-01",
            Status.RETIRED,
            id="retired-over-not-certified",
        ),
        pytest.param(
            member("2025-02-01", retired_on="2025-03-01"),
            "2025-04-01",
            Status.RETIRED,
            id="retired-over-grace",
        ),
        pytest.param(
            member("2023-03-01", LAPSED_2026, retired_on="2026-03-01"),
            "2026-03-01",
            Status.RETIRED,
            id="retired-over-lapsed",
        ),
        pytest.param(
            member("2023-03-01", exempt=[2025], retired_on="2025-03-01"),
            "2025-04-01",
            Status.RETIRED,
            id="retired-over-exempt",
        ),
        pytest.param(
            member("2023-03-01", SHORT_2024, retired_on="2025-03-01"),
            "2025-04-01",
            Status.RETIRED,
            id="retired-over-makeup",
        ),
        pytest.param(
            member("2025-06-10", exempt=[2025]),
            "2025-06-09",
            Status.NOT_CERTIFIED,
            id="not-certified-over-exempt",
        ),
        pytest.param(
            member(None, exempt=[2025]),
            "2025-06-09",
            Status.NOT_CERTIFIED,
            id="no-certification-over-exempt",
        ),
        pytest.param(
            member("2025-02-01", exempt=[2025]),
            "2025-06-01",
            Status.GRACE,
            id="grace-over-exempt",
        ),
        pytest.param(
            member("2023-03-01", LAPSED_2026, exempt=[2026]),
            "2026-06-01",
            Status.INACTIVE_LAPSED,
            id="lapsed-over-exempt",
        ),
        pytest.param(
            member("2023-03-01", SHORT_2024, exempt=[2025]),
            "2025-06-01",
            Status.EXEMPT,
            id="exempt-over-makeup",
        ),
        pytest.param(
            member("2023-03-01", SHORT_2024),
            "2025-06-01",
            Status.INACTIVE_MAKEUP,
            id="makeup-over-active",
        ),
    ],
)
def test_precedence(facts: StatusFacts, as_of: str, expected: Status):
    assert status_on(facts, as_of).status == expected


# --- grace period and certification -----------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2024-01-01", Status.NOT_CERTIFIED),
        ("2024-06-09", Status.NOT_CERTIFIED),
        ("2024-06-10", Status.GRACE),
        ("2024-12-31", Status.GRACE),
        ("2025-01-01", Status.ACTIVE),
    ],
)
def test_grace_period_runs_from_certified_on_to_31_december(as_of: str, expected: Status):
    result = status_on(member("2024-06-10"), as_of)
    assert result.status == expected
    if expected != Status.ACTIVE:
        assert result.years == ()
        assert result.reasons


def test_not_certified_without_certification_date():
    result = status_on(member(None, [cr("2024-05-01", 40)]), "2025-01-01")
    assert result.status == Status.NOT_CERTIFIED
    assert result.years == ()


def test_credit_completed_before_certified_on_never_counts():
    facts = member(
        "2024-06-10",
        [
            cr("2023-11-01", 40),
            cr("2024-06-09", 20),
            cr("2024-06-10", 5),  # on certified_on: in the grace period, counts
            cr("2025-02-01", 10),
        ],
    )
    assert rows(status_on(facts, "2025-12-31")) == [row(2025, 30, 15, 0, 0, None)]
    result = status_on(facts, "2026-01-01")
    assert result.status == Status.INACTIVE_MAKEUP
    assert row_of(result, 2025).shortfall == 15
    assert result.hours_needed == 45


# --- carry-forward ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earned", "carried"),
    [("38", "8"), ("40", "10"), ("45", "10"), ("30", "0"), ("30.5", "0.5"), ("29.5", "0")],
)
def test_carry_forward_is_capped_at_10(earned: str, carried: str):
    facts = member("2023-03-01", [cr("2024-04-01", earned)])
    result = status_on(facts, "2025-01-01")
    assert row_of(result, 2024).carried_out == D(carried)
    assert row_of(result, 2025).carried_in == D(carried)
    assert result.available_hours == D(carried)


@pytest.mark.parametrize(
    ("earned_2025", "carried_out"),
    [("20", "0"), ("25", "5"), ("28", "8"), ("30", "10"), ("45", "10")],
)
def test_carried_in_hours_are_used_first(earned_2025: str, carried_out: str):
    # 10 carried into 2025; carried_out = min(10, earned, available - required)
    facts = member("2023-03-01", [cr("2024-04-01", 40), cr("2025-04-01", earned_2025)])
    result = status_on(facts, "2026-01-01")
    assert row_of(result, 2025) == YearRow(
        2025, D(30), D(earned_2025), D(10), D(carried_out), D(0), False, D(0), D(0)
    )
    assert row_of(result, 2026).carried_in == D(carried_out)
    assert result.status == Status.ACTIVE


def test_carried_in_hours_expire_after_one_year():
    # 10 carried into an exempt 2025 with no hours of its own: nothing passes on to 2026.
    facts = member("2023-03-01", [cr("2024-04-01", 40)], exempt=[2025])
    result = status_on(facts, "2026-01-01")
    assert rows(result) == [
        row(2024, 30, 40, 0, 10, 0),
        row(2025, 0, 0, 10, 0, 0, exempt=True),
        row(2026, 30, 0, 0, 0, None),
    ]
    assert result.available_hours == 0
    assert result.hours_needed == 30


def test_only_own_hours_are_carried_even_when_the_requirement_is_low():
    # exempt 2025 with 3 own hours and 10 carried in: only the 3 own hours carry.
    facts = member("2023-03-01", [cr("2024-04-01", 40), cr("2025-04-01", 3)], exempt=[2025])
    result = status_on(facts, "2026-01-01")
    assert row_of(result, 2025).carried_out == 3
    assert row_of(result, 2026).carried_in == 3


# --- exemption --------------------------------------------------------------------------


@pytest.mark.parametrize(("earned", "carried"), [("15", "10"), ("4", "4"), ("0", "0")])
def test_exempt_year_has_no_requirement_and_its_own_hours_carry(earned: str, carried: str):
    facts = member("2023-03-01", [cr("2024-04-01", 30), cr("2025-04-01", earned)], exempt=[2025])

    during = status_on(facts, "2025-06-01")
    assert during.status == Status.EXEMPT
    assert during.hours_needed == 0
    assert during.deadline == day("2025-12-31")
    assert rows(during)[-1] == row(2025, 0, earned, 0, 0, None, exempt=True)

    after = status_on(facts, "2026-01-01")
    assert after.status == Status.ACTIVE
    assert rows(after) == [
        row(2024, 30, 30, 0, 0, 0),
        row(2025, 0, earned, 0, carried, 0, exempt=True),
        row(2026, 30, 0, carried, 0, None),
    ]
    assert after.hours_needed == 30 - D(carried)


def test_exempt_make_up_year_clears_the_make_up():
    facts = member("2023-03-01", SHORT_2024, exempt=[2025])
    during = status_on(facts, "2025-01-01")
    assert during.status == Status.EXEMPT
    assert during.hours_needed == 0
    assert during.reasons

    after = status_on(facts, "2026-01-01")
    assert after.status == Status.ACTIVE
    assert rows(after)[-1] == row(2026, 30, 0, 0, 0, None)  # an ordinary year, not 35
    assert after.hours_needed == 30


def test_exempt_year_does_not_lift_a_lapse():
    facts = member("2023-03-01", LAPSED_2026, exempt=[2026])
    assert status_on(facts, "2026-01-01").status == Status.INACTIVE_LAPSED
    later = status_on(facts, "2027-01-01")
    assert later.status == Status.INACTIVE_LAPSED
    assert later.hours_needed == 60
    assert later.deadline is None


# --- retirement -------------------------------------------------------------------------


def test_retirement_applies_from_retired_on_and_a_make_up_stands_until_then():
    facts = member("2023-03-01", SHORT_2024, retired_on="2025-04-01")
    before = status_on(facts, "2025-03-31")
    assert before.status == Status.INACTIVE_MAKEUP
    assert before.hours_needed == 35
    assert before.valid_until == day("2025-04-01")

    on = status_on(facts, "2025-04-01")
    assert on.status == Status.RETIRED
    assert on.reasons
    assert status_on(facts, "2027-06-01").status == Status.RETIRED


def test_retirement_lapse_stands_until_retired_on():
    facts = member("2023-03-01", LAPSED_2026, retired_on="2026-03-01")
    assert status_on(facts, "2026-02-28").status == Status.INACTIVE_LAPSED
    assert status_on(facts, "2026-03-01").status == Status.RETIRED


@pytest.mark.parametrize("as_of", ["2025-04-01", "2025-12-31", "2026-01-01", "2026-06-01"])
def test_retirement_year_and_later_have_requirement_zero_in_the_ledger(as_of: str):
    facts = member("2023-03-01", [*SHORT_2024, cr("2025-02-01", 5)], retired_on="2025-04-01")
    result = status_on(facts, as_of)
    assert result.status == Status.RETIRED
    assert rows(result)[0] == row(2024, 30, 25, 0, 0, 5)  # before retirement: unchanged
    assert [(r.year, r.required) for r in result.years[1:]] == [
        (year, D(0)) for year in range(2025, day(as_of).year + 1)
    ]


@pytest.mark.parametrize("as_of", ["2026-03-01", "2026-12-31", "2027-06-01"])
def test_retirement_while_lapsed_has_requirement_zero_in_the_ledger(as_of: str):
    facts = member("2023-03-01", LAPSED_2026, retired_on="2026-03-01")
    result = status_on(facts, as_of)
    assert result.status == Status.RETIRED
    assert rows(result)[:2] == [row(2024, 30, 25, 0, 0, 5), row(2025, 35, 30, 0, 0, 5)]
    assert [(r.year, r.required) for r in result.years[2:]] == [
        (year, D(0)) for year in range(2026, day(as_of).year + 1)
    ]


# --- restoring from a lapse ---------------------------------------------------------------


def test_restoring_from_a_lapse_needs_60_own_hours_in_one_year():
    facts = member(
        "2023-03-01",
        [*LAPSED_2026, cr("2026-05-01", 50), cr("2026-09-01", 15), cr("2027-03-01", 25)],
    )
    before = status_on(facts, "2026-08-31")
    assert before.status == Status.INACTIVE_LAPSED
    assert before.hours_needed == 10
    assert before.deadline is None
    assert rows(before)[-1] == row(2026, 60, 50, 0, 0, None)

    restored = status_on(facts, "2026-09-01")
    assert restored.status == Status.ACTIVE
    assert restored.hours_needed == 0

    next_year = status_on(facts, "2027-01-01")
    assert next_year.status == Status.ACTIVE
    # the year of the 60 carries min(10, 65 - 60) = 5; 2027 is an ordinary year of 30
    assert rows(next_year)[-2:] == [row(2026, 60, 65, 0, 5, 0), row(2027, 30, 0, 5, 0, None)]
    assert next_year.hours_needed == 25

    after = status_on(facts, "2028-01-01")
    assert after.status == Status.ACTIVE
    assert rows(after)[-2:] == [row(2027, 30, 25, 5, 0, 0), row(2028, 30, 0, 0, 0, None)]


@pytest.mark.parametrize(("earned", "carried"), [("75", "10"), ("68", "8"), ("60", "0")])
def test_restore_year_carries_min_10_and_earned_less_60(earned: str, carried: str):
    facts = member("2023-03-01", [*LAPSED_2026, cr("2026-05-01", earned)])
    result = status_on(facts, "2027-01-01")
    assert result.status == Status.ACTIVE
    assert rows(result)[-2:] == [
        row(2026, 60, earned, 0, carried, 0),
        row(2027, 30, 0, carried, 0, None),
    ]


def test_a_lapse_year_short_of_60_stays_lapsed():
    facts = member("2023-03-01", [*LAPSED_2026, cr("2026-05-01", "59.5")])
    result = status_on(facts, "2027-01-01")
    assert result.status == Status.INACTIVE_LAPSED
    assert rows(result)[-2:] == [row(2026, 60, "59.5", 0, 0, "0.5"), row(2027, 60, 0, 0, 0, None)]
    assert result.hours_needed == 60
    assert result.deadline is None


# --- dues -------------------------------------------------------------------------------


def test_dues_count_by_paid_through():
    facts = member("2023-03-01", [cr("2024-04-01", 30)], paid_through="2025-06-30")
    on_paid_through = status_on(facts, "2025-06-30")
    assert on_paid_through.status == Status.ACTIVE
    assert on_paid_through.valid_until == day("2025-07-01")
    after = status_on(facts, "2025-07-01")
    assert after.status == Status.INACTIVE_DUES
    assert any("dues" in reason.lower() for reason in render_all(after.reasons))
    # a late payment covers the past too: only paid_through matters
    assert status_on(facts, "2024-02-01").status == Status.ACTIVE


def test_no_dues_payment_is_inactive_dues():
    result = status_on(
        member("2023-03-01", [cr("2024-04-01", 30)], paid_through=None), "2025-01-01"
    )
    assert result.status == Status.INACTIVE_DUES
    assert result.reasons


# --- the years ledger -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "years"),
    [
        ("2023-02-28", []),
        ("2023-03-01", []),
        ("2023-12-31", []),
        ("2024-01-01", [2024]),
        ("2026-05-01", [2024, 2025, 2026]),
    ],
)
def test_years_has_one_row_per_reporting_year_up_to_as_of(as_of: str, years: list[int]):
    result = status_on(member("2023-03-01", [cr("2023-05-01", 12)]), as_of)
    assert [r.year for r in result.years] == years
    if years:
        *ended, current = result.years
        assert current.shortfall is None
        assert all(r.shortfall is not None for r in ended)


# --- valid_until ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "as_of", "valid_until", "then"),
    [
        pytest.param(
            member("2023-03-01", SHORT_2024),
            "2024-12-31",
            "2025-01-01",
            Status.INACTIVE_MAKEUP,
            id="1-january",
        ),
        pytest.param(
            member("2023-03-01", [cr("2024-04-01", 30)], paid_through="2025-06-30"),
            "2025-06-15",
            "2025-07-01",
            Status.INACTIVE_DUES,
            id="day-after-paid-through",
        ),
        pytest.param(
            member("2023-03-01", [cr("2024-04-01", 30)], retired_on="2025-04-01"),
            "2025-03-01",
            "2025-04-01",
            Status.RETIRED,
            id="future-retired-on",
        ),
        pytest.param(
            member("2024-06-10"), "2024-01-01", "2024-06-10", Status.GRACE, id="future-certified-on"
        ),
        pytest.param(
            member("2023-03-01", [cr("2024-04-01", 30)], paid_through="2024-12-31"),
            "2025-03-01",
            "2026-01-01",
            Status.INACTIVE_DUES,
            id="dues-already-unpaid",
        ),
    ],
)
def test_valid_until_is_the_next_calendar_change(
    facts: StatusFacts, as_of: str, valid_until: str, then: Status
):
    result = status_on(facts, as_of)
    assert result.valid_until == day(valid_until)
    assert status_on(facts, day(valid_until) - dt.timedelta(days=1)) == result
    assert status_on(facts, valid_until).status == then


# --- ethics -------------------------------------------------------------------------------

ETHICS_2 = Policy(ethics_hours_required=D("2"))


def test_year_without_ethics_hours_is_short_when_policy_requires_ethics():
    facts = member("2023-03-01", [cr("2024-04-01", 30)])

    during = status_on(facts, "2024-12-31", [ETHICS_2])
    assert any("ethics" in reason.lower() for reason in render_all(during.reasons))

    result = status_on(facts, "2025-01-01", [ETHICS_2])
    assert result.status == Status.INACTIVE_MAKEUP
    assert any("ethics" in reason.lower() for reason in render_all(result.reasons))
    assert result.deadline == day("2025-12-31")
    assert row_of(result, 2024).ethics_required == 2
    assert row_of(result, 2024).ethics_earned == 0


def test_make_up_with_ethics_hours_restores_active():
    facts = member("2023-03-01", [cr("2024-04-01", 30), cr("2025-04-01", 30, ethics=4)])
    assert status_on(facts, "2025-04-01", [ETHICS_2]).status == Status.ACTIVE


def test_year_with_ethics_hours_is_not_short():
    facts = member("2023-03-01", [cr("2024-04-01", 30, ethics=2)])
    result = status_on(facts, "2025-01-01", [ETHICS_2])
    assert result.status == Status.ACTIVE
    assert row_of(result, 2024).shortfall == 0


def test_ethics_does_not_matter_with_the_default_policy():
    facts = member("2023-03-01", [cr("2024-04-01", 30)])
    for policies in ([], [DEFAULT_POLICY]):
        result = status_on(facts, "2025-01-01", policies)
        assert result.status == Status.ACTIVE
        assert not any("ethics" in reason.lower() for reason in render_all(result.reasons))


# --- effective-dated policy -----------------------------------------------------------------


def test_policy_version_changes_its_own_year_not_earlier_ones():
    versions = [Policy(effective_from=2026, annual_hours=D("40"))]
    facts = member("2023-03-01", [cr("2024-04-01", 30), cr("2025-04-01", 30)])

    in_2025 = status_on(facts, "2025-12-31", versions)
    assert in_2025.status == Status.ACTIVE
    assert [r.required for r in in_2025.years] == [30, 30]

    in_2026 = status_on(facts, "2026-06-01", versions)
    assert rows(in_2026) == [
        row(2024, 30, 30, 0, 0, 0),
        row(2025, 30, 30, 0, 0, 0),
        row(2026, 40, 0, 0, 0, None),
    ]
    assert in_2026.hours_needed == 40


# --- properties -----------------------------------------------------------------------------

PROPERTY = settings(deadline=None, database=None, max_examples=400)
FIRST = dt.date(2015, 1, 1)
LAST = dt.date(2028, 12, 31)

half_hours = st.integers(0, 140).map(lambda n: D(n) / 2)  # 0, 0.5, ..., 70
credits = st.builds(
    Credit,
    completed_on=st.dates(FIRST, dt.date(2027, 12, 31)),
    hours=half_hours,
)


@st.composite
def members(draw: st.DrawFn) -> StatusFacts:
    return StatusFacts(
        certified_on=draw(st.dates(FIRST, dt.date(2024, 12, 31))),
        credits=tuple(draw(st.lists(credits, max_size=15))),
        exempt_years=draw(st.frozensets(st.integers(2015, 2028), max_size=4)),
        retired_on=draw(st.none() | st.dates(FIRST, LAST)),
        dues_paid_through=draw(st.none() | st.dates(FIRST, LAST)),
    )


as_of_dates = st.dates(FIRST, LAST)


def one_place(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(value, Decimal) and exponent == -1


@PROPERTY
@given(facts=members(), year=st.integers(2015, 2027), data=st.data())
def test_year_by_year_equals_at_once(facts: StatusFacts, year: int, data: st.DataObject):
    """The ledger as of 31 Dec of ``year`` is a prefix of the ledger as of any later date:
    every earlier row is identical (all fields), and the row of ``year`` itself agrees in
    year, required, earned, carried_in, exempt and the ethics figures. Only its shortfall
    and carried_out differ: None and 0 while the year is in progress, and once it has
    ended shortfall = max(0, required - available) and carried_out = min(10, earned,
    available - required) when there is no shortfall, else 0 (available = earned +
    carried_in)."""
    later = data.draw(st.dates(dt.date(year + 1, 1, 1), dt.date(2029, 12, 31)), label="later")
    early = status_on(facts, dt.date(year, 12, 31)).years
    late = status_on(facts, later).years
    assert facts.certified_on is not None
    first = facts.certified_on.year + 1
    assert [r.year for r in early] == list(range(first, year + 1))
    assert [r.year for r in late] == list(range(first, later.year + 1))
    if not early:
        return
    *ended, current = early
    assert late[: len(ended)] == tuple(ended)
    closed = late[len(ended)]
    assert current.shortfall is None
    assert current.carried_out == 0
    assert closed.year == current.year
    assert closed.required == current.required
    assert closed.earned == current.earned
    assert closed.carried_in == current.carried_in
    assert closed.exempt == current.exempt
    assert closed.ethics_required == current.ethics_required
    assert closed.ethics_earned == current.ethics_earned
    available = current.earned + current.carried_in
    shortfall = max(D(0), current.required - available)
    assert closed.shortfall == shortfall
    expected_carry = (
        min(DEFAULT_POLICY.carry_forward_max, current.earned, available - current.required)
        if shortfall == 0
        else D(0)
    )
    assert closed.carried_out == expected_carry


@PROPERTY
@given(facts=members(), as_of=as_of_dates, data=st.data())
def test_status_does_not_depend_on_the_order_of_credits(
    facts: StatusFacts, as_of: dt.date, data: st.DataObject
):
    shuffled = data.draw(st.permutations(facts.credits), label="shuffled")
    other = StatusFacts(
        facts.certified_on,
        tuple(shuffled),
        facts.exempt_years,
        facts.retired_on,
        facts.dues_paid_through,
    )
    assert status_on(other, as_of) == status_on(facts, as_of)


RANK = {
    Status.ACTIVE: 2,
    Status.EXEMPT: 2,
    Status.RETIRED: 2,
    Status.GRACE: 2,
    Status.NOT_CERTIFIED: 2,
    Status.INACTIVE_MAKEUP: 1,
    Status.INACTIVE_LAPSED: 0,
}


@PROPERTY
@given(facts=members(), extra=credits, as_of=as_of_dates)
def test_adding_a_credit_never_makes_the_status_worse(
    facts: StatusFacts, extra: Credit, as_of: dt.date
):
    more = StatusFacts(
        facts.certified_on,
        (*facts.credits, extra),
        facts.exempt_years,
        facts.retired_on,
        facts.dues_paid_through,
    )
    before = status_on(facts, as_of).status
    after = status_on(more, as_of).status
    if before in RANK and after in RANK:
        assert RANK[after] >= RANK[before], (before, after)
    else:  # inactive_dues: the same dues in both, so both or neither
        assert before == after == Status.INACTIVE_DUES


@PROPERTY
@given(facts=members(), as_of=as_of_dates)
def test_reasons_and_hours_are_well_formed(facts: StatusFacts, as_of: dt.date):
    result = status_on(facts, as_of)
    assert result.reasons
    assert all(isinstance(reason, str) and reason.strip() for reason in render_all(result.reasons))
    figures = [
        result.required_hours,
        result.available_hours,
        result.hours_needed,
        result.ethics_needed,
    ]
    for r in result.years:
        figures += [
            r.required,
            r.earned,
            r.carried_in,
            r.carried_out,
            r.shortfall,
            r.ethics_required,
            r.ethics_earned,
        ]
    for value in figures:
        assert value is None or one_place(value), (value, result)
    assert result.hours_needed is None or result.hours_needed >= 0
    assert all(r.shortfall is None or r.shortfall >= 0 for r in result.years)
    assert all(r.carried_out <= DEFAULT_POLICY.carry_forward_max for r in result.years)


@PROPERTY
@given(facts=members(), as_of=as_of_dates, data=st.data())
def test_valid_until_is_the_first_day_the_calendar_can_change_the_result(
    facts: StatusFacts, as_of: dt.date, data: st.DataObject
):
    """With no credit completed after ``as_of`` (no new facts), the result stays the same on
    every day before ``valid_until``, which is the earliest of 1 January of the next year,
    the day after a current paid_through, a future retired_on and a future certified_on."""
    facts = StatusFacts(
        facts.certified_on,
        tuple(c for c in facts.credits if c.completed_on <= as_of),
        facts.exempt_years,
        facts.retired_on,
        facts.dues_paid_through,
    )
    candidates = [dt.date(as_of.year + 1, 1, 1)]
    paid = facts.dues_paid_through
    if paid is not None and paid >= as_of:
        candidates.append(paid + dt.timedelta(days=1))
    candidates += [d for d in (facts.retired_on, facts.certified_on) if d and d > as_of]
    result = status_on(facts, as_of)
    assert result.valid_until == min(candidates)
    last = min(candidates) - dt.timedelta(days=1)
    for when in {last, data.draw(st.dates(as_of, last), label="between")}:
        assert status_on(facts, when) == result, when


@PROPERTY
@given(facts=members(), as_of=as_of_dates, data=st.data())
def test_ethics_hours_never_matter_with_the_default_policy(
    facts: StatusFacts, as_of: dt.date, data: st.DataObject
):
    with_ethics = StatusFacts(
        facts.certified_on,
        tuple(
            Credit(c.completed_on, c.hours, data.draw(st.sampled_from([D(0), c.hours])))
            for c in facts.credits
        ),
        facts.exempt_years,
        facts.retired_on,
        facts.dues_paid_through,
    )
    plain = status_on(facts, as_of)
    result = status_on(with_ethics, as_of)
    assert result.status == plain.status
    assert result.hours_needed == plain.hours_needed
    assert rows(result) == rows(plain)
    assert not any("ethics" in reason.lower() for reason in render_all(result.reasons))
