"""REST API v1 for accounts and members: token, me, member create and detail."""

from __future__ import annotations

import math
import time
from typing import Any, cast

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from allauth.core.internal import ratelimit as ratelimit_impl
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from imaportal.api import IsStaff
from imaportal.exceptions import InvalidInput
from members import selectors, services
from members.adapters import client_ip
from members.api.authentication import token_expired
from members.api.serializers import (
    MemberCreateSerializer,
    MemberSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from members.models import User


class ClientRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle keyed on the same client address as allauth's limits
    (``members.adapters.client_ip``): never a spoofable or malformed header value."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request._request) or str(super().get_ident(request))


# The rate-limit action and keys allauth uses for the web sign-in, so that failures on the
# API and on the sign-in page count together (ACCOUNT_RATE_LIMITS["login_failed"]).
_LOGIN_FAILED = "login_failed"


def _mfa_key(user: User) -> str:
    """allauth's key for wrong second-factor codes (``mfa.base.internal.flows``)."""
    return f"mfa-auth-user-{user.pk}"


def _seconds_until_allowed(request: HttpRequest, key: str) -> int:
    """How long until the ``login_failed`` limits for ``key`` (and this client) let one more
    attempt through: when the oldest attempt that still counts leaves its window."""
    now = time.time()
    wait = 0.0
    for rate in ratelimit_impl.get_rates(app="allauth.account", action=_LOGIN_FAILED):
        if rate.per not in ("ip", "key"):
            continue
        cache_key = ratelimit_impl.get_cache_key(
            request, app="allauth.account", action=_LOGIN_FAILED, rate=rate, key=key
        )
        live = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(live) >= rate.amount:
            wait = max(wait, live[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(wait))


def _locked_out(request: HttpRequest, key: str, message: str) -> Throttled:
    return Throttled(wait=_seconds_until_allowed(request, key), detail=message)


class TokenView(APIView):
    """``POST``: exchange email and password (and ``otp`` for two-factor accounts) for a
    token. Failed passwords and codes count per account together with the web sign-in
    (allauth's ``login_failed`` limits), and per client. ``DELETE``: revoke the caller's
    token."""

    permission_classes = [permissions.AllowAny]
    throttle_scope = "auth"

    def _method(self) -> str | None:
        # The schema generator asks before a request is set.
        return getattr(getattr(self, "request", None), "method", None)

    def get_authenticators(self) -> list[Any]:
        # Only revoking needs a signed-in caller; the exchange ignores any credentials.
        if self._method() == "DELETE":
            return super().get_authenticators()
        return []

    def get_permissions(self) -> list[Any]:
        if self._method() == "DELETE":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def get_throttles(self) -> list[BaseThrottle]:
        return [ClientRateThrottle()] if self._method() == "POST" else []

    @extend_schema(
        description="Exchange email and password (plus ``otp``, the current code, for an "
        "account with two-factor authentication) for a token. Failed passwords and codes "
        "count per account together with the web sign-in: after 5 failures in 5 minutes "
        "even the right one is refused (429) until the window passes.",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Missing fields, wrong credentials or code."),
            403: OpenApiResponse(description="A staff account without two-factor authentication."),
            429: OpenApiResponse(
                description="Too many attempts from this client, or too many failed "
                "passwords or codes for this account (see Retry-After)."
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        http_request = request._request
        email = data.validated_data["email"].strip().lower()
        adapter = get_adapter(http_request)
        try:
            # allauth's own sign-in step: counts the attempt per client and per account,
            # refuses while locked, and takes a successful attempt back off the count.
            found = adapter.authenticate(
                http_request, email=email, password=data.validated_data["password"]
            )
        except ValidationError:
            raise _locked_out(
                http_request,
                adapter._get_login_attempts_cache_key(http_request, email=email),
                _(
                    "Too many failed sign-in attempts for this account or from this "
                    "address: try again later."
                ),
            ) from None
        if found is None or not found.is_active:
            raise InvalidInput(
                {"non_field_errors": [_("The email address and/or password are not correct.")]}
            )
        user = cast(User, found)
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None:
            code = (data.validated_data.get("otp") or "").strip()
            if not code:
                raise InvalidInput(
                    {
                        "otp": [
                            _("This account has two-factor authentication: send the current code.")
                        ]
                    }
                )
            key = _mfa_key(user)
            if not ratelimit.consume(http_request, action=_LOGIN_FAILED, key=key):
                raise _locked_out(
                    http_request,
                    key,
                    _("Too many wrong two-factor codes for this account: try again later."),
                )
            if not TOTP(totp).validate_code(code):
                raise InvalidInput({"otp": [_("Incorrect or already used code.")]})
            ratelimit.clear(http_request, action=_LOGIN_FAILED, key=key)
        elif user.is_staff:
            raise PermissionDenied(str(selectors.STAFF_NEEDS_TWO_FACTOR))
        token, _created = Token.objects.get_or_create(user=user)
        if token_expired(token):
            token.delete()
            token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)

    @extend_schema(
        description="Revoke the caller's token (signed in with the token or a session).",
        request=None,
        responses={
            204: OpenApiResponse(description="The caller's token is revoked."),
            401: OpenApiResponse(description="Not signed in, or the token is unknown or expired."),
        },
    )
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=cast(User, request.user)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The signed-in member's own profile."""

    @extend_schema(
        responses={
            200: MemberSerializer,
            404: OpenApiResponse(description="The signed-in account has no member profile."),
        }
    )
    def get(self, request: Request) -> Response:
        member = selectors.own_member(request.user)
        return Response(MemberSerializer(member).data)


class MemberCreateView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer})
    def post(self, request: Request) -> Response:
        data = MemberCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.create_member(**data.validated_data, by=cast(User, request.user))
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)


class MemberDetailView(APIView):
    @extend_schema(responses={200: MemberSerializer})
    def get(self, request: Request, member_id: int) -> Response:
        member = selectors.member_for(user=request.user, member_id=member_id)
        return Response(MemberSerializer(member).data)
