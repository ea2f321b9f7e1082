"""System check: links in emails need the portal's public address outside development."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def portal_url_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    url = str(getattr(settings, "PORTAL_URL", "") or "")
    if url.startswith("https://"):
        return []
    return [
        Error(
            "PORTAL_URL must be set to the portal's public https:// address.",
            hint="Set the PORTAL_URL environment variable, e.g. https://portal.ima.example",
            id="notifications.E001",
        )
    ]
