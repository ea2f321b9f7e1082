"""The reason kit: codes with parameters survive the database and render in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils.translation import gettext_lazy, ngettext_lazy, override

from imaportal import reasons
from imaportal.reasons import Reason, render

MESSAGES = {
    "kit.more": gettext_lazy("%(needed)s more hours by %(deadline)s (%(days)s)."),
    "kit.days": ngettext_lazy("%(n)s day", "%(n)s days", "n"),
    "kit.money": gettext_lazy("A refund of %(amount)s in %(year)s."),
}


@pytest.fixture(autouse=True)
def catalogue() -> None:
    reasons.register("kit", MESSAGES)


def test_a_reason_renders_its_parameters_in_words() -> None:
    reason = Reason(
        "kit.more",
        {
            "needed": Decimal("2.5"),
            "deadline": dt.date(2026, 12, 31),
            "days": Reason("kit.days", {"n": 1}),
        },
    )
    assert render(reason) == "2.5 more hours by 31 December 2026 (1 day)."
    assert render(Reason("kit.days", {"n": 30})) == "30 days"


def test_money_is_grouped_and_years_are_not() -> None:
    reason = Reason("kit.money", {"amount": Decimal("1100.75"), "year": 2026})
    assert render(reason) == "A refund of 1,100.75 in 2026."


def test_the_stored_form_round_trips() -> None:
    reason = Reason(
        "kit.more",
        {
            "needed": Decimal("30.0"),
            "deadline": dt.date(2027, 2, 28),
            "days": Reason("kit.days", {"n": 3}),
        },
    )
    stored = reason.as_json()
    assert Reason.from_json(stored) == reason
    assert render(Reason.from_json(stored)) == "30.0 more hours by 28 February 2027 (3 days)."


def test_an_old_plain_text_is_shown_as_written() -> None:
    assert render(Reason.from_json("Dues were paid.")) == "Dues were paid."


@pytest.mark.parametrize(
    "bad", [None, 3, {"params": {}}, {"code": "kit.money", "params": {"x": [1]}}]
)
def test_a_malformed_stored_reason_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        Reason.from_json(bad)


def test_a_catalogue_only_holds_its_own_prefix() -> None:
    with pytest.raises(ValueError):
        reasons.register("other", {"kit.more": "x"})


def test_the_template_filter_renders_stored_and_live_reasons() -> None:
    page = Template("{% load reasons %}{{ a|sentence }} / {{ b|sentence }}")
    stored = Reason("kit.days", {"n": 2}).as_json()
    assert page.render(Context({"a": stored, "b": Reason("kit.days", {"n": 1})})) == (
        "2 days / 1 day"
    )


def test_the_words_follow_the_active_language() -> None:
    with override("nb"):
        shown = render(Reason("kit.money", {"amount": Decimal("1100.75"), "year": 2026}))
    assert "1100,75" in shown.replace("\xa0", "").replace(" ", "")
