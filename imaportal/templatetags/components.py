"""``{% load components %}``: the status badge and the language switcher's choices.

``{% badge state label %}`` writes ``<span class="badge badge-ok" data-state="approved">``;
``href=`` makes it a link, ``testid=`` adds ``data-testid``. ``{% language_choices as
choices %}`` gives ``(code, name in that language)`` for every language in settings."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

from imaportal.components import badge_tone, native_name

register = template.Library()


@register.simple_tag
def badge(state: object, label: object, *, href: str = "", testid: str = "") -> SafeString:
    """A status badge coloured by its state's tone (imaportal.components)."""
    code = str(state or "")
    tag = "a" if href else "span"
    extra = format_html(' href="{}"', href) if href else ""
    if testid:
        extra = format_html('{} data-testid="{}"', extra, testid)
    return format_html(
        '<{} class="badge badge-{}" data-state="{}"{}>{}</{}>',
        tag,
        badge_tone(code),
        code,
        extra,
        label,
        tag,
    )


@register.simple_tag
def language_choices() -> list[tuple[str, str]]:
    """The portal's languages, each named in itself."""
    return [(code, native_name(code, str(name))) for code, name in settings.LANGUAGES]
