"""``{% load signup %}{% signup_open as open %}``: whether public sign-up is open, as the
account adapter decides (``members.adapters``); pages hide sign-up links while it is closed."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def signup_open(context: dict[str, Any]) -> bool:
    request = context.get("request")  # None in an email: the adapter decides without one
    return bool(get_adapter(request).is_open_for_signup(request))
