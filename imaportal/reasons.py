"""Rules own their words: a reason is a code with parameters, put into words when shown.

A pure rule returns ``Reason("status.more_hours", {"needed": Decimal("2.5"), ...})``; the
database stores ``reason.as_json()``; a page, the API or an email calls ``render`` in the
reader's language. The words live in one catalogue per rule module (``words.py`` beside it),
registered under the code's prefix (``status``, ``credit``, ``refund``), so a number the
policy can change (three years, half, 30 days) is a parameter, never part of the sentence.

Parameters are ``int`` and ``str`` (shown as they are), ``Decimal`` (hours and other numbers,
shown with their own decimal places and the language's separators), ``Money`` (an amount
with its currency), ``datetime.date`` (the language's long date; all three through
imaportal.formatting, the one way the portal writes them) and nested ``Reason`` (a phrase
of its own, for plurals and optional parts). Texts stored before codes existed are kept as
``Reason.text(old)``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeAlias

from django.utils.functional import Promise

from imaportal.formatting import Money, day, decimal, money

Param: TypeAlias = "int | str | Decimal | dt.date | Money | Reason"

TEXT = "text"  # a sentence stored before reasons were codes: shown as it was written
_CATALOGUES: dict[str, Mapping[str, Promise | str]] = {}


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    @classmethod
    def text(cls, sentence: str) -> Reason:
        return cls(TEXT, {"text": sentence})

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": {k: _encode(v) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: object) -> Reason:
        """The stored form back; a plain string (a text from before codes) is kept as is."""
        if isinstance(data, str):
            return cls.text(data)
        if not isinstance(data, dict) or not isinstance(data.get("code"), str):
            raise ValueError(f"Not a stored reason: {data!r}")
        params = data.get("params") or {}
        return cls(data["code"], {k: _decode(v) for k, v in params.items()})


def _encode(value: Param) -> Any:
    if isinstance(value, Reason):
        return {"reason": value.as_json()}
    if isinstance(value, Money):
        return {"money": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    return value


def _decode(value: Any) -> Param:
    if isinstance(value, dict):
        if "reason" in value:
            return Reason.from_json(value["reason"])
        if "money" in value:
            return Money(Decimal(value["money"]), str(value.get("currency", "")))
        if "decimal" in value:
            return Decimal(value["decimal"])
        if "date" in value:
            return dt.date.fromisoformat(value["date"])
        raise ValueError(f"Not a stored reason parameter: {value!r}")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"Not a stored reason parameter: {value!r}")
    return value


def register(prefix: str, messages: Mapping[str, Promise | str]) -> None:
    """Make ``messages`` (code → gettext message with ``%(name)s`` placeholders) the words
    of every code that starts with ``prefix.``. Each ``words`` module calls this once."""
    for code in messages:
        if not code.startswith(prefix + "."):
            raise ValueError(f"{code!r} is not under {prefix!r}")
    _CATALOGUES[prefix] = messages


def message(code: str) -> Promise | str:
    """The registered message of ``code``; ``KeyError`` for a code without words."""
    return _CATALOGUES[code.split(".", 1)[0]][code]


def codes() -> set[str]:
    """Every registered code (the tests check that each one renders)."""
    return {code for messages in _CATALOGUES.values() for code in messages}


def _show(value: Param) -> str | int:
    if isinstance(value, Reason):
        return render(value)
    if isinstance(value, Money):
        return money(value.amount, value.currency)
    if isinstance(value, Decimal):
        return decimal(value)
    if isinstance(value, dt.date):
        return day(value)
    return value


def render(reason: Reason) -> str:
    """``reason`` in words, in the active language."""
    if reason.code == TEXT:
        return str(reason.params.get("text", ""))
    shown = {name: _show(value) for name, value in reason.params.items()}
    return str(message(reason.code) % shown)


def render_all(reasons: Iterable[Reason]) -> list[str]:
    return [render(r) for r in reasons]
