"""REST API v1 of verification links (SPEC section 6, "self"): the member lists, creates
and revokes their own links. Staff get 403 (a link is the member's own act, as a refund
request is); another member's links are 404 (never told apart from a missing one)."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import selectors
from certification.models import VerificationLink
from certification.services import verification
from imaportal.api import Pagination
from imaportal.exceptions import NotFound
from members.models import Member, User
from members.selectors import own_member


class IsMemberNotStaff(BasePermission):
    """Verification links are the member's own: staff get 403."""

    message = _("Only the member creates, sees and revokes their verification links.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and not user.is_staff)


class VerificationLinkSerializer(serializers.ModelSerializer[VerificationLink]):
    url = serializers.SerializerMethodField(help_text="The public page's absolute URL.")

    class Meta:
        model = VerificationLink
        fields = ("id", "url", "created_at", "last_opened_at")
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, link: VerificationLink) -> str:
        return str(self.context["request"].build_absolute_uri(link.get_absolute_url()))


STAFF_REFUSED = OpenApiResponse(description="Staff: verification links are the member's own.")
NOT_YOURS = OpenApiResponse(description="No such member, or not the caller.")


def _own(request: Request, member_id: int) -> Member:
    """The caller's own member profile when ``member_id`` is theirs, else ``NotFound``."""
    member = own_member(request.user)
    if member.pk != member_id:
        raise NotFound()
    return member


class MemberVerificationLinksView(APIView):
    """The member's live verification links, newest first, and a new one."""

    permission_classes = [IsMemberNotStaff]
    pagination_class = Pagination

    @extend_schema(
        description="The member's live (not revoked) verification links, newest first.",
        responses={200: VerificationLinkSerializer(many=True), 403: STAFF_REFUSED, 404: NOT_YOURS},
    )
    def get(self, request: Request, member_id: int) -> Response:
        member = _own(request, member_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.live_links_of(member), request, view=self)
        data = VerificationLinkSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        description="A new verification link: its ``url`` opens a public page (no sign-in) "
        "with the member's name, member number, status and approved hours per year only.",
        request=None,
        responses={201: VerificationLinkSerializer, 403: STAFF_REFUSED, 404: NOT_YOURS},
    )
    def post(self, request: Request, member_id: int) -> Response:
        member = _own(request, member_id)
        link = verification.create_link(member=member, by=member.user)
        data = VerificationLinkSerializer(link, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class VerificationLinkView(APIView):
    """Revoke one of the member's own links: its URL answers 404 from then on."""

    permission_classes = [IsMemberNotStaff]

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The link is revoked."),
            403: STAFF_REFUSED,
            404: OpenApiResponse(description="No such live link of the caller's."),
        },
    )
    def delete(self, request: Request, link_id: int) -> Response:
        link = selectors.own_link_for(user=request.user, link_id=link_id)
        verification.revoke_link(link=link, by=cast(User, request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)
