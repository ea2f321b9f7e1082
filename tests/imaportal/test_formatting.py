"""One way to write things (issue 16): dates, times, hours and money each have one format
per language, used by pages, sentences (reasons), emails and documents alike."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from imaportal import formatting
from imaportal.formatting import Money
from imaportal.reasons import Reason, render

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DAY = dt.date(2026, 12, 24)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "24 December 2026"),
        ("nb", "24. desember 2026"),
        ("zh-hans", "2026年12月24日"),
    ],
)
def test_a_date_is_the_languages_long_date(language: str, expected: str) -> None:
    with translation.override(language):
        assert formatting.day(DAY) == expected
        assert formatting.day(DAY.isoformat()) == expected  # as emails carry it
        assert formatting.day(dt.datetime(2026, 12, 24, 9, 30, tzinfo=dt.UTC)) == expected


def test_nothing_and_garbage_show_nothing() -> None:
    assert formatting.day(None) == ""
    assert formatting.day("not a date") == ""
    assert formatting.hours(None) == ""
    assert formatting.hours("NaN") == ""
    assert formatting.money("", "USD") == ""


def test_a_moment_is_the_date_and_the_local_time() -> None:
    with translation.override("en"):
        assert formatting.moment(dt.datetime(2026, 12, 24, 9, 30, tzinfo=dt.UTC)) == (
            "24 December 2026, 09:30"
        )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,100.5"), ("nb", "1\xa0100,5"), ("zh-hans", "1,100.5")],
)
def test_hours_have_one_decimal_place_and_the_languages_separators(
    language: str, expected: str
) -> None:
    with translation.override(language):
        assert formatting.hours(Decimal("1100.5")) == expected
        assert formatting.hours(Decimal("8")) == formatting.hours("8.0")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "$1,295.00"), ("nb", "1\xa0295,00\xa0USD"), ("zh-hans", "US$1,295.00")],
)
def test_money_carries_its_currency_by_the_languages_rules(language: str, expected: str) -> None:
    with translation.override(language):
        assert formatting.money(Decimal("1295"), "USD") == expected
        assert str(Money(Decimal("1295.00"), "USD")) == expected


def test_an_unknown_currency_code_is_still_shown() -> None:
    with translation.override("en"):
        assert "XQQ" in formatting.money(Decimal("10"), "XQQ")
        assert "10.00" in formatting.money(Decimal("10"), "XQQ")


def test_sentences_write_dates_and_money_the_same_way_as_pages() -> None:
    reason = Reason(
        "refund.eligible",
        {
            "refund": Money(Decimal("1100.75"), "USD"),
            "price": Money(Decimal("1295.00"), "USD"),
            "percent": Decimal("15"),
            "fee": Money(Decimal("194.25"), "USD"),
        },
    )
    stored = Reason.from_json(reason.as_json())
    assert stored == reason
    with translation.override("en"):
        text = render(stored)
        page = Template("{{ d|day }} {{ a|money:'USD' }}").render(
            Context({"d": DAY, "a": Decimal("1100.75")})
        )
    assert "$1,100.75" in text
    assert "$1,295.00" in text
    assert page == "24 December 2026 $1,100.75"
    with translation.override("en"):
        status = render(
            Reason(
                "status.makeup_more_hours",
                {"needed": Decimal("2.5"), "deadline": dt.date(2026, 12, 31)},
            )
        )
    assert status == "2.5 more hours by 31 December 2026 to return to active."


def _template_lines() -> list[tuple[str, int, str]]:
    lines = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file() and "drf_spectacular" not in path.parts:
            for number, line in enumerate(path.read_text().splitlines(), 1):
                lines.append((str(path.relative_to(TEMPLATES)), number, line))
    return lines


# A chart axis writes the month short, and a data attribute carries a machine date: both
# are not dates for reading.
_DATE_ALLOWED = (
    re.compile(r'\|date:"M"'),
    re.compile(r"data-month=\"\{\{ month\|date:'Y-m' \}\}\""),
)


def test_templates_write_dates_only_through_the_one_format() -> None:
    offenders = [
        f"{name}:{number}"
        for name, number, line in _template_lines()
        for use in re.finditer(r"\|date\b[^ }%]*", line)
        if not any(allowed.search(line) for allowed in _DATE_ALLOWED)
    ]
    assert offenders == [], "use |day, |moment or |month: " + ", ".join(offenders)


def test_templates_never_show_an_amount_without_its_currency_format() -> None:
    bare = re.compile(
        r"\{\{ [\w.]*\.(price|amount|fee|annual_dues|policy_amount) \}\}|\{\{ [\w.]*\.currency \}\}"
    )
    offenders = [f"{n}:{i}" for n, i, line in _template_lines() if bare.search(line)]
    assert offenders == [], "use |money:currency: " + ", ".join(offenders)


def test_templates_never_show_hours_unformatted() -> None:
    bare = re.compile(r"\{\{ [\w.]*(credit_hours|cpe_hours|_hours|carried_in|ethics_\w+) \}\}")
    offenders = [f"{n}:{i}" for n, i, line in _template_lines() if bare.search(line)]
    assert offenders == [], "use |hours: " + ", ".join(offenders)
