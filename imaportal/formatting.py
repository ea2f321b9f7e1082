"""One way to write dates, times, hours and money, in the active language.

Every page, email, reason sentence and document shows a value through these functions (or
the template filters of the same names in ``{% load formatting %}``), so the same date never
reads "10/20/2026" on one page and "20 October 2026" on the next:

* ``day``: a calendar date, the language's long date ("24 December 2026", "24. desember 2026",
  "2026年12月24日"); ``moment``: a point in time, that date and the local time;
  ``month``: a month and year ("December 2026");
* ``hours``: CPE hours with one decimal place and the language's separators ("1,100.5"),
  and ``decimal`` for other numbers inside sentences;
* ``money``: an amount with its currency, by the language's rules:
  "$1,295.00", "1 295,00 USD", "US$1,295.00".

Numbers and money follow Unicode CLDR through Babel, so hours and amounts share one set of
separators per language (Django's own number formats differ from CLDR for Chinese).

Machine formats stay machine formats: the API's decimal strings and ISO dates (SPEC §6) and
the CSV export's ISO dates do not pass through here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, to_locale

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Money:
    """An amount in a currency (ISO 4217 code), shown by ``money``."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return money(self.amount, self.currency)


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def day(value: object) -> str:
    """A date (or the local date of a datetime, or an ISO date string) as the language's long
    date; "" for nothing."""
    date = _as_date(value)
    return date_format(date, "DATE_FORMAT") if date else ""


def moment(value: object) -> str:
    """A datetime as the language's date and local time; a plain date as ``day``."""
    if isinstance(value, str) and value:
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(local, "DATETIME_FORMAT")
    return day(value)


def month(value: object) -> str:
    """A month and year ("December 2026")."""
    date = _as_date(value)
    return date_format(date, "YEAR_MONTH_FORMAT") if date else ""


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    if isinstance(value, float):
        return Decimal(str(value))
    return None


def hours(value: object) -> str:
    """CPE hours with one decimal place ("8.0", "1,100.5"); "" for nothing."""
    number = _decimal(value)
    if number is None or not number.is_finite():
        return ""
    return _number(number.quantize(ONE_PLACE), 1)


def decimal(value: Decimal) -> str:
    """A decimal with its own decimal places and the language's separators (percentages,
    counts inside sentences)."""
    if not value.is_finite():
        return ""
    return _number(value, max(0, -int(value.as_tuple().exponent)))


def _number(value: Decimal, places: int) -> str:
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(
        format_decimal(value, format=pattern, locale=locale_name(), decimal_quantization=False)
    )


def locale_name() -> str:
    """The active language as a Babel/CLDR locale name ("en", "nb", "zh_Hans")."""
    return to_locale(get_language() or "en")


def money(amount: object, currency: str) -> str:
    """``amount`` in ``currency`` by the active language's rules ("$1,295.00"); an unknown
    currency code is shown after the number."""
    number = _decimal(amount)
    if number is None or not number.is_finite():
        return ""
    try:
        return str(format_currency(number, currency, locale=locale_name()))
    except (ValueError, LookupError):
        return f"{_number(number, 2)} {currency}"
