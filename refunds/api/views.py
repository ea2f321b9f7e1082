"""REST API v1 of the refund requests (SPEC section 6): the member files, staff list,
approve, deny and issue. Every write is one call of ``refunds.services``."""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cpe.selectors import enrollment_for
from imaportal.api import IsStaff, Pagination, boolean_query_param, query_param
from members.models import User
from refunds import selectors, services
from refunds.api.serializers import (
    ApproveInputSerializer,
    DenyInputSerializer,
    IssueInputSerializer,
    RefundOutcomeSerializer,
    RefundRequestInputSerializer,
    RefundSerializer,
)


class IsMemberNotStaff(BasePermission):
    """Only the member files a refund request; staff get 403."""

    message = "Only the member who bought it can ask for a refund."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and not user.is_staff)


def _user(request: Request) -> User:
    return cast(User, request.user)


class RefundRequestView(APIView):
    """``GET``: what a request made today would get. ``POST``: file the request."""

    def get_permissions(self) -> list[Any]:
        return [IsMemberNotStaff()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(responses={200: RefundOutcomeSerializer})
    def get(self, request: Request, enrollment_id: int) -> Response:
        enrollment = enrollment_for(user=request.user, enrollment_id=enrollment_id)
        today = timezone.localdate()
        outcome = services.preview_refund(enrollment, on=today)
        open_request = selectors.open_request_of(enrollment)
        data = {
            **outcome.__dict__,
            "requested_on": today,
            "currency": enrollment.currency,
            "open_request": open_request.pk if open_request else None,
        }
        return Response(RefundOutcomeSerializer(data).data)

    @extend_schema(request=RefundRequestInputSerializer, responses={201: RefundSerializer})
    def post(self, request: Request, enrollment_id: int) -> Response:
        enrollment = enrollment_for(user=request.user, enrollment_id=enrollment_id)
        data = RefundRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = services.request_refund(
            enrollment=enrollment, by=_user(request), reason=data.validated_data["reason"]
        )
        return Response(RefundSerializer(refund).data, status=status.HTTP_201_CREATED)


class RefundsView(APIView):
    pagination_class = Pagination

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                str,
                description="requested, approved, denied or issued (comma-separated for several)",
            ),
            OpenApiParameter("overdue", bool, description="true: only overdue approved refunds"),
        ],
        responses={200: RefundSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        states = selectors.parse_states(query_param(request, "state"))
        overdue = boolean_query_param(request, "overdue")
        qs = selectors.refunds_for(
            request.user, states=states, overdue_on=timezone.localdate() if overdue else None
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(RefundSerializer(page, many=True).data)


class RefundDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: RefundSerializer})
    def get(self, request: Request, refund_id: int) -> Response:
        refund = selectors.refund_for(user=request.user, refund_id=refund_id)
        return Response(RefundSerializer(refund).data)


class RefundApproveView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(request=ApproveInputSerializer, responses={200: RefundSerializer})
    def post(self, request: Request, refund_id: int) -> Response:
        refund = selectors.refund_for(user=request.user, refund_id=refund_id)
        data = ApproveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = services.approve_refund(
            refund=refund,
            by=_user(request),
            amount=data.validated_data.get("amount"),
            reason=data.validated_data["reason"],
        )
        return Response(RefundSerializer(refund).data)


class RefundDenyView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(request=DenyInputSerializer, responses={200: RefundSerializer})
    def post(self, request: Request, refund_id: int) -> Response:
        refund = selectors.refund_for(user=request.user, refund_id=refund_id)
        data = DenyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = services.deny_refund(
            refund=refund, by=_user(request), reason=data.validated_data["reason"]
        )
        return Response(RefundSerializer(refund).data)


class RefundIssueView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(request=IssueInputSerializer, responses={200: RefundSerializer})
    def post(self, request: Request, refund_id: int) -> Response:
        refund = selectors.refund_for(user=request.user, refund_id=refund_id)
        data = IssueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refund = services.issue_refund(
            refund=refund, by=_user(request), reference=data.validated_data["reference"]
        )
        return Response(RefundSerializer(refund).data)
