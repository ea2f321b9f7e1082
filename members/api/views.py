"""REST API v1 for accounts and members: token, me, member create and detail."""

from __future__ import annotations

from typing import Any, cast

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from imaportal.exceptions import InvalidInput
from members import selectors, services
from members.api.serializers import (
    MemberCreateSerializer,
    MemberSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from members.models import User


class IsStaff(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class TokenView(APIView):
    """Exchange email and password (and ``otp`` for two-factor accounts) for a token."""

    authentication_classes: list[type] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=data.validated_data["email"].strip().lower(),
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise InvalidInput(
                {"non_field_errors": [_("The email address and/or password are not correct.")]}
            )
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
            if not TOTP(totp).validate_code(code):
                raise InvalidInput({"otp": [_("Incorrect or already used code.")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)


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
