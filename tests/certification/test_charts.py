"""The chart geometry and the month walk (certification.charts): pure, no database."""

import datetime as dt
from decimal import Decimal

import pytest

from certification.charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    TOP,
    MonthCounts,
    month_chart,
    month_ends,
    nice_top,
    walk_back,
    year_chart,
)
from certification.status import YearRow

D = Decimal
BASE = HEIGHT - BOTTOM  # the y of the bars' foot


ZERO = D("0")


def row(year, required, earned, *, exempt=False, shortfall=ZERO):
    return YearRow(
        year=year,
        required=D(required),
        earned=D(earned),
        carried_in=D("0"),
        carried_out=D("0"),
        shortfall=shortfall,
        exempt=exempt,
    )


@pytest.mark.parametrize(
    ("value", "top"),
    [
        ("0", "10"),
        ("1", "1"),
        ("7", "10"),
        ("40", "50"),
        ("45", "50"),
        ("20", "20"),
        ("21", "25"),
        ("120", "200"),
        ("0.4", "0.5"),
        ("250", "250"),
    ],
)
def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value(value, top):
    assert nice_top(D(value)) == D(top)


def test_bars_carry_the_ledger_numbers_and_scale_to_the_axis():
    chart = year_chart(
        [
            row(2024, "40", "50"),
            row(2025, "40", "25", shortfall=D("15")),
            row(2026, "40", "10", shortfall=None),
        ]
    )
    assert [(b.year, b.earned, b.required) for b in chart.bars] == [
        (2024, D("50"), D("40")),
        (2025, D("25"), D("40")),
        (2026, D("10"), D("40")),
    ]
    assert [b.kind for b in chart.bars] == ["met", "short", "progress"]
    first, second, _third = chart.bars
    # Top of the axis is 50: the 50-hour bar fills the plot, the 25-hour bar half of it.
    assert first.y == TOP and first.height == BASE - TOP
    assert second.height == ((BASE - TOP) / 2).quantize(D("0.1"))
    assert second.y + second.height == BASE
    # The requirement mark stands at 40 of 50, the same height for every year.
    assert first.required_y == (BASE - (BASE - TOP) * D("0.8")).quantize(D("0.1"))
    assert {b.required_y for b in chart.bars} == {first.required_y}
    # Bars are side by side, left to right, inside the plot.
    assert LEFT < first.x < second.x < chart.bars[2].x
    assert chart.bars[2].x + chart.bars[2].width <= chart.right
    assert [t.label for t in chart.ticks] == ["0", "12.5", "25", "37.5", "50"]


def test_an_exempt_year_is_marked_and_has_no_requirement_mark():
    chart = year_chart([row(2024, "0", "3", exempt=True), row(2025, "20", "20")])
    exempt, met = chart.bars
    assert exempt.exempt and exempt.kind == "exempt" and exempt.required_y is None
    assert chart.kinds == {"exempt", "met", "required"}
    assert met.kind == "met" and met.required_y == TOP  # 20 of 20: the top of the axis


def test_nothing_earned_draws_a_flat_bar_and_only_the_latest_years_are_drawn():
    chart = year_chart([row(2010 + i, "40", "0") for i in range(14)])
    assert [b.year for b in chart.bars] == list(range(2014, 2024))
    assert all(b.height == 0 and b.y == BASE for b in chart.bars)
    assert year_chart([]).bars == []


def test_month_ends_are_the_last_twelve_months_oldest_first():
    months = month_ends(dt.date(2026, 3, 15))
    assert months[0] == dt.date(2025, 4, 1)
    assert months[-1] == dt.date(2026, 3, 1)
    assert len(months) == 12 and months == sorted(months)
    assert month_ends(dt.date(2026, 1, 31), 2) == [dt.date(2025, 12, 1), dt.date(2026, 1, 1)]


def test_the_walk_undoes_each_months_changes_from_todays_counts():
    months = [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    current = {"active": 5, "inactive_makeup": 2, "grace": 1}
    changes = [
        # March: two members fell into make-up; one new member was computed into grace.
        (dt.date(2026, 3, 1), "active", "inactive_makeup", 2),
        (dt.date(2026, 3, 1), "", "grace", 1),
        # February: one member came back from make-up to active.
        (dt.date(2026, 2, 1), "inactive_makeup", "active", 1),
        # January's changes happened before January's end: already in January's counts.
        (dt.date(2026, 1, 1), "", "active", 3),
        # Out of the window: ignored.
        (dt.date(2025, 6, 1), "", "active", 9),
    ]
    walked = walk_back(current, changes, months)
    assert [m.counts for m in walked] == [
        {"active": 6, "inactive_makeup": 1},
        {"active": 7},
        {"active": 5, "inactive_makeup": 2, "grace": 1},
    ]
    assert [m.total for m in walked] == [7, 7, 8]


def test_the_walk_without_changes_repeats_todays_counts():
    months = month_ends(dt.date(2026, 6, 1))
    walked = walk_back({"active": 3, "": 1}, [], months)
    assert all(m.counts == {"active": 3, "": 1} for m in walked)


def test_stacked_bars_pile_the_statuses_in_order():
    walked = [
        MonthCounts(dt.date(2026, 1, 1), {"active": 6, "inactive_makeup": 2}),
        MonthCounts(dt.date(2026, 2, 1), {"active": 10, "unknown": 4}),
        MonthCounts(dt.date(2026, 3, 1), {}),
    ]
    chart = month_chart(walked, ["active", "inactive_makeup"])
    jan, feb, mar = chart.bars
    assert [(s.status, s.count) for s in jan.segments] == [("active", 6), ("inactive_makeup", 2)]
    assert [b.total for b in chart.bars] == [8, 10, 0]
    active, makeup = jan.segments
    assert active.y + active.height == BASE  # the first status stands on the axis
    assert makeup.y + makeup.height == active.y  # the next one on top of it
    assert [t.label for t in chart.ticks] == ["0", "5", "10", "15", "20"]  # whole members
    assert feb.segments[0].y == (BASE - (BASE - TOP) / 2).quantize(D("0.1"))  # 10 of 20
    assert mar.segments == []
    assert jan.x < feb.x < mar.x


@pytest.mark.parametrize(
    ("most", "labels"),
    [
        (0, "0 10 20 30 40"),
        (1, "0 1 2 3 4"),
        (7, "0 2 4 6 8"),
        (9, "0 5 10 15 20"),
        (130, "0 50 100 150 200"),
    ],
)
def test_the_member_axis_counts_whole_members(most, labels):
    chart = month_chart([MonthCounts(dt.date(2026, 1, 1), {"active": most})], ["active"])
    assert " ".join(t.label for t in chart.ticks) == labels
