"""Files held for a retry (held evidence), as the tests see them."""

from __future__ import annotations

from cpe.models import evidence_storage
from cpe.views import held_evidence


def held_files() -> list[str]:
    """The files held for a retry now."""
    try:
        return evidence_storage().listdir(held_evidence.HELD_DIR)[1]
    except FileNotFoundError:
        return []


def held_token(page: str) -> str:
    """The evidence token a page carries for its held file."""
    return page.split('name="evidence_token" value="', 1)[1].split('"', 1)[0]
