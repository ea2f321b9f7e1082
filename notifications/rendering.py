"""Rendering an email from its templates: ``<template>_subject.txt``, ``<template>.txt`` and
``<template>.html``, in the recipient's language, with ``portal_url`` in the context so
every link is absolute (``{{ portal_url }}{{ path }}``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def portal_url() -> str:
    """The portal's public address without a trailing slash (``settings.PORTAL_URL``)."""
    return str(settings.PORTAL_URL).rstrip("/")


def render_mail(template: str, context: dict[str, Any], *, language: str) -> RenderedMail:
    """Render ``template`` with ``context`` while ``language`` is the active language."""
    full = {**context, "portal_url": portal_url()}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", full)
        text = render_to_string(f"{template}.txt", full)
        html = render_to_string(f"{template}.html", full)
    return RenderedMail(subject=" ".join(subject.split()), text=text, html=html)
