"""API tokens that expire: DRF's token authentication plus an age limit
(``settings.API_TOKEN_TTL`` after the token was issued). An expired token is deleted and
answered with 401, so the client asks for a new one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def token_expired(token: Token) -> bool:
    """Whether ``token`` is older than the configured lifetime."""
    return bool(token.created + settings.API_TOKEN_TTL <= timezone.now())


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(
                _("The token has expired: ask for a new one at POST /api/v1/auth/token/.")
            )
        return user, token
