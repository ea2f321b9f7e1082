"""``{% load reasons %}{{ reason|sentence }}``: a stored or computed reason in words."""

from __future__ import annotations

from django import template

from imaportal.reasons import Reason, render

register = template.Library()


@register.filter
def sentence(value: Reason | dict[str, object] | str) -> str:
    """A ``Reason``, its stored JSON form or an old plain text, in the active language."""
    reason = value if isinstance(value, Reason) else Reason.from_json(value)
    return render(reason)
