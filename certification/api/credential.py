"""API v1: a member's CMA status as a signed Open Badges 3.0 credential (SPEC §6)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.services.credential import issue_credential
from members.selectors import member_for


class CredentialSerializer(serializers.Serializer[Any]):
    # The OpenBadgeCredential (W3C VC 2.0) as JSON, and the same credential as a compact
    # JWS (alg EdDSA) whose header's kid is published at /.well-known/jwks.json.
    credential = serializers.DictField()
    jwt = serializers.CharField()


class MemberCredentialView(APIView):
    @extend_schema(responses={200: CredentialSerializer})
    def get(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        signed = issue_credential(member)
        return Response(CredentialSerializer(signed).data)
