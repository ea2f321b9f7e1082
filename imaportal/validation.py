"""Input validation shared by every app: the supported date range, query-string dates and
years, free text without invisible characters, and ISO 4217 currency codes.

The pieces are plain functions (``clean_text``, ``date_in_supported_range``,
``currency_code``, ``query_date``, ``query_year``) plus thin field classes for DRF
serializers and Django forms that apply them, so the API, the pages and the admin give the
same answer to the same bad input: a 400 (or a form error) with a message, never a 500."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any, TypeVar

import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import empty

from imaportal.exceptions import InvalidInput

# The supported range of every date the portal accepts (README, "API"). Dates outside it
# have no meaning for CPE, dues or events, and far-off ones overflow date arithmetic.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
MIN_YEAR = MIN_DATE.year
MAX_YEAR = MAX_DATE.year
DATE_RANGE_MESSAGE = (
    f"Enter a date between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()} (YYYY-MM-DD)."
)
YEAR_RANGE_MESSAGE = f"Enter a year between {MIN_YEAR} and {MAX_YEAR}, such as 2026."
DATE_FORMAT_MESSAGE = "Enter a date as YYYY-MM-DD."
BLANK_MESSAGE = "This field cannot be blank."
INVISIBLE_MESSAGE = "This field contains only invisible characters."
# The largest id PostgreSQL stores (bigint); larger numbers are "not found", not a crash.
MAX_ID = 2**63 - 1
CURRENCY_MESSAGE = "Enter a three-letter ISO 4217 currency code, such as USD."


def date_in_supported_range(value: dt.date | None) -> None:
    """Validator: ``value`` lies between ``MIN_DATE`` and ``MAX_DATE`` (inclusive)."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")


def year_in_supported_range(value: int | None) -> None:
    """Validator: ``value`` is a year between ``MIN_YEAR`` and ``MAX_YEAR``."""
    if value is None:
        return
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValidationError(YEAR_RANGE_MESSAGE, code="year_out_of_range")


def currency_code(value: str) -> None:
    """Validator: ``value`` is an uppercase ISO 4217 alphabetic code (``USD``, ``EUR``)."""
    if (
        not isinstance(value, str)
        or len(value) != 3
        or not value.isascii()
        or not value.isupper()
        or pycountry.currencies.get(alpha_3=value) is None
    ):
        raise ValidationError(CURRENCY_MESSAGE, code="invalid_currency")


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) can make
# a text read differently from what it is ("Trojan Source"); they are removed from free text.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# Line breaks and tabs are kept: explanations and reasons are multi-line.
_KEPT_CONTROLS = frozenset("\n\r\t")
# Characters that print nothing on their own (besides the categories Cc, Cf, Zs, Zl, Zp).
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _is_removed(char: str) -> bool:
    if char in _KEPT_CONTROLS:
        return False
    return char in BIDI_CONTROLS or unicodedata.category(char) == "Cc"


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"} or (
        char in _INVISIBLE_EXTRA or char.isspace()
    )


def clean_text(value: str) -> str:
    """Free text as it is stored: control characters (NUL included; tabs and line breaks
    kept) and bidirectional controls removed, surrounding whitespace trimmed; ``""`` when
    nothing visible is left (only spaces, zero-width or format characters, controls)."""
    kept = "".join(char for char in value if not _is_removed(char)).strip()
    if all(_is_invisible(char) for char in kept):
        return ""
    return kept


def visible_text(value: str) -> None:
    """Model validator: refuses text that is non-empty but has nothing visible, or holds
    control or bidirectional-control characters (the admin and any ModelForm)."""
    if not isinstance(value, str) or value == "":
        return
    if clean_text(value) == "":
        raise ValidationError(INVISIBLE_MESSAGE, code="invisible")
    if any(_is_removed(char) for char in value):
        raise ValidationError(
            _("Remove the control or bidirectional-override characters from this text."),
            code="control_characters",
        )


# --- DRF fields -------------------------------------------------------------------------


class TextField(serializers.CharField):
    """A free-text ``CharField``: ``clean_text`` is applied before the blank check, so text
    of only invisible characters is "This field cannot be blank." unless blank is allowed
    (then it is stored as ``""``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error_messages["blank"] = BLANK_MESSAGE

    def run_validation(self, data: Any = empty) -> Any:
        if isinstance(data, str):
            data = clean_text(data)
        return super().run_validation(data)


class DateField(serializers.DateField):
    """A DRF ``DateField`` limited to the supported range."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if date_in_supported_range not in self.validators:  # a model field brings its own
            self.validators.append(date_in_supported_range)


class YearField(serializers.IntegerField):
    """A whole year in the supported range."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        kwargs["error_messages"] = {
            "min_value": YEAR_RANGE_MESSAGE,
            "max_value": YEAR_RANGE_MESSAGE,
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)


class CurrencyField(serializers.CharField):
    """An ISO 4217 code; lowercase input is accepted and stored uppercase."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 3)
        super().__init__(**kwargs)
        self.validators.append(currency_code)

    def to_internal_value(self, data: Any) -> str:
        return str(super().to_internal_value(data)).upper()


_M = TypeVar("_M", bound=models.Model)


class ModelSerializer(serializers.ModelSerializer[_M]):
    """The portal's ``ModelSerializer``: model text fields become ``TextField`` (invisible
    characters cleaned) and model dates ``DateField`` (supported range)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
        models.DateField: DateField,
    }


# --- Django form fields -----------------------------------------------------------------


class FormTextField(forms.CharField):
    """A free-text form field: ``clean_text`` applied, invisible-only text is blank."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if isinstance(value, str):
            value = clean_text(value)
            if value in self.empty_values:
                return self.empty_value
        return value


class FormDateField(forms.DateField):
    """A form ``DateField`` limited to the supported range."""

    default_validators = [date_in_supported_range]


class FormCurrencyField(forms.CharField):
    """An ISO 4217 code in a form; stored uppercase."""

    default_validators = [currency_code]

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return value.upper() if isinstance(value, str) else value


# --- Query-string parameters -------------------------------------------------------------


def query_date(raw: str | None, *, field: str) -> dt.date | None:
    """``?field=YYYY-MM-DD`` in the supported range; ``None`` when absent or empty.
    Raises ``InvalidInput`` (400 with the field's message) otherwise."""
    if raw is None or raw.strip() == "":
        return None
    try:
        value = dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput({field: [DATE_FORMAT_MESSAGE]}) from None
    if not MIN_DATE <= value <= MAX_DATE:
        raise InvalidInput({field: [DATE_RANGE_MESSAGE]})
    return value


def query_year(raw: str | None, *, field: str = "year") -> int | None:
    """``?field=2026`` in the supported range; ``None`` when absent or empty.
    Raises ``InvalidInput`` (400 with the field's message) otherwise."""
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        raise InvalidInput({field: [YEAR_RANGE_MESSAGE]})
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput({field: [YEAR_RANGE_MESSAGE]})
    return year
