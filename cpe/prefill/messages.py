"""What the member is told when a certificate gave nothing to prefill: the same words on
the API (``message``) and on Add Transcript (Start from your certificate)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cpe.prefill.reader import Prefill


def reading_message(text: str, prefill: Prefill) -> str | None:
    """Why nothing was read from a certificate whose text layer is ``text``; None when
    something was."""
    if not text:
        return _("This file has no text to read (a scan or a photo); fill in the form yourself.")
    if not prefill.fields:
        return _("Nothing on this certificate could be read; fill in the form yourself.")
    return None
