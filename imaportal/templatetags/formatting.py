"""``{% load formatting %}``: ``{{ d|day }}``, ``{{ t|moment }}``, ``{{ d|month }}``,
``{{ h|hours }}`` and ``{{ amount|money:currency }}``, the one way each is written
(imaportal.formatting)."""

from __future__ import annotations

from django import template

from imaportal import formatting

register = template.Library()

register.filter("day", formatting.day)
register.filter("moment", formatting.moment)
register.filter("month", formatting.month)
register.filter("hours", formatting.hours)


@register.filter
def money(amount: object, currency: str | None = None) -> str:
    """``{{ price|money:currency }}``; or ``{{ money|money }}`` for an amount that carries
    its currency, as mails carry it: ``{"amount": "89.99", "currency": "USD"}`` (or the
    older ``"89.99 USD"`` of a mail queued before)."""
    if currency is None:
        if isinstance(amount, dict):
            return formatting.money(amount.get("amount"), str(amount.get("currency", "")))
        number, _, code = str(amount).partition(" ")
        return formatting.money(number, code) if code else str(amount)
    return formatting.money(amount, currency)
