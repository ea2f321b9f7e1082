"""System check: credentials are signed with the issuer's key, which production must be
given (generated keys are for ``serve`` and the tests only)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register

from imaportal.signing import IssuerKeyError, issuer_keys


@register(Tags.security, deploy=True)
def issuer_key_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        issuer_keys()
    except (IssuerKeyError, OSError, ValueError) as exc:
        return [
            Error(
                f"No usable credential signing key: {exc}",
                hint=(
                    "Set IMAPORTAL_ISSUER_KEYS to a JWK set or PEM of Ed25519 private keys "
                    "(newest first), or IMAPORTAL_ISSUER_KEY_FILE to a file holding one; "
                    "`manage.py issuer_keys generate` prints a new one."
                ),
                id="certification.E001",
            )
        ]
    return []
