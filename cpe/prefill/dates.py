"""Dates as certificates write them, read only when they are unambiguous."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>[A-Za-z]{3,9})\.?"
PATTERNS = (
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"\b(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\b"),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b"),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<y>\d{4})\b"),
    re.compile(r"\b(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4})\b"),
)
MONTH_FIRST = ("en-us", "en_us")
DAY_FIRST = ("en-gb", "en_gb", "en-au", "en-ie", "en-nz", "en-in", "nb", "no", "de", "fr", "es")


def _numeric_order(a: int, b: int, language_hint: str) -> tuple[int, int] | None:
    """(month, day) of ``a/b/yyyy``, or None when it cannot be told."""
    if a > 12 and b <= 12:
        return b, a
    if b > 12 and a <= 12:
        return a, b
    if a == b:
        return a, b
    hint = language_hint.lower()
    if hint.startswith(MONTH_FIRST):
        return a, b
    if hint.startswith(DAY_FIRST):
        return b, a
    return None


def _date(match: re.Match[str], language_hint: str) -> dt.date | None:
    parts = match.groupdict()
    year = int(parts["y"])
    if parts.get("mon") is not None:
        month = MONTHS.get(parts["mon"].lower())
        if month is None:
            return None
        day = int(parts["d"])
    elif parts.get("a") is not None:
        order = _numeric_order(int(parts["a"]), int(parts["b"]), language_hint)
        if order is None:
            return None
        month, day = order
    else:
        month, day = int(parts["m"]), int(parts["d"])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def dates_in(text: str, language_hint: str) -> list[tuple[dt.date, str]]:
    """Every date written in ``text`` with the words it was read from, in order; spans
    that look like a date but cannot be told (05/06/2026 without a hint) are left out."""
    found: list[tuple[int, dt.date, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            value = _date(match, language_hint)
            if value is not None:
                found.append((start, value, match.group(0)))
    return [(value, words) for _start, value, words in sorted(found, key=lambda f: f[0])]


def has_date_shape(text: str) -> bool:
    """Whether ``text`` holds something written like a date, readable or not."""
    return any(pattern.search(text) for pattern in PATTERNS)
