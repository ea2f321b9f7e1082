"""The page components' vocabulary (issue 16): which colour a status badge takes, and each
language's name in that language for the switcher in the header (issue 17).

Pure functions over strings; the template tags (``imaportal.templatetags.components``) and
the tests use them, and docs/components.md describes the classes they produce."""

from __future__ import annotations

from typing import Final

# A badge's tone: its colours are the CSS tokens --badge-<tone>-fg and --badge-<tone>-bg
# in static/css/portal.css (every pair at least 4.5:1, tests/test_components.py).
TONES: Final = ("ok", "warn", "bad", "neutral")

# Every state a page shows as a badge, by tone: done or in good standing, waiting for
# someone, refused or needing action now, closed without effect.
_TONE_OF: Final[dict[str, str]] = {
    # Transcript entries, exemption and retirement requests, refunds, enrollments
    "approved": "ok",
    "issued": "ok",
    "enrolled": "ok",
    "eligible": "ok",
    "pending": "warn",
    "requested": "warn",
    "rejected": "bad",
    "denied": "bad",
    "overdue": "bad",
    "ineligible": "bad",
    "withdrawn": "neutral",
    # Certification status (SPEC §3)
    "active": "ok",
    "grace": "ok",
    "exempt": "ok",
    "retired": "ok",
    "inactive_makeup": "warn",
    "inactive_lapsed": "bad",
    "inactive_dues": "bad",
    "not_certified": "neutral",
}

# Each language named in itself, so a reader finds their own whatever the page's language.
NATIVE_NAMES: Final[dict[str, str]] = {
    "en": "English",
    "nb": "Norsk bokmål",
    "zh-hans": "简体中文",
    "zh-hant": "繁體中文",
}


def badge_tone(state: str) -> str:
    """The tone of a status badge; a state not listed is ``neutral``."""
    return _TONE_OF.get(state, "neutral")


def known_states() -> frozenset[str]:
    """Every state with a tone of its own."""
    return frozenset(_TONE_OF)


def native_name(code: str, fallback: str) -> str:
    """The language ``code`` named in itself, else ``fallback`` (its name in settings)."""
    return NATIVE_NAMES.get(code, fallback)
