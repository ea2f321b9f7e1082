"""REST API v1 for exemption and retirement requests (SPEC section 6): the member (or staff
for them) lists and files requests; staff approve or reject them."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.api.serializers import (
    DecisionSerializer,
    ExemptionRequestSerializer,
    ExemptionSerializer,
    RetirementRequestSerializer,
    RetirementSerializer,
)
from certification.models import Exemption, Retirement
from certification.services import requests as services
from imaportal.api import IsStaff, Pagination
from imaportal.exceptions import NotFound
from imaportal.parsers import JSONParser
from members.models import User
from members.selectors import member_for

PARSERS = [JSONParser, MultiPartParser, FormParser]
ERRORS = {
    400: OpenApiResponse(description="Invalid input: errors per field."),
    404: OpenApiResponse(description="No such member, or not yours."),
}
DECISION_ERRORS = {
    400: OpenApiResponse(description="A rejection needs a reason."),
    403: OpenApiResponse(description="Staff only."),
    404: OpenApiResponse(description="No such request."),
    409: OpenApiResponse(description="The request has already been decided."),
}


def _user(request: Request) -> User:
    return cast(User, request.user)


class MemberExemptionsView(APIView):
    """A member's exemption requests, newest first, and a new request."""

    pagination_class = Pagination

    parser_classes = PARSERS

    @extend_schema(responses={200: ExemptionSerializer(many=True), 404: ERRORS[404]})
    def get(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(services.exemptions_of(member), request, view=self)
        return paginator.get_paginated_response(ExemptionSerializer(page, many=True).data)

    @extend_schema(
        request={
            "application/json": ExemptionRequestSerializer,
            "multipart/form-data": ExemptionRequestSerializer,
        },
        responses={201: ExemptionSerializer, **ERRORS},
    )
    def post(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        data = ExemptionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        exemption = services.request_exemption(
            member=member,
            reason=values["reason"],
            years=values["years"],
            explanation=values["explanation"],
            document=values.get("document"),
            by=_user(request),
        )
        return Response(ExemptionSerializer(exemption).data, status=status.HTTP_201_CREATED)


class ExemptionDocumentView(APIView):
    """The supporting document of an exemption request (owner and staff)."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, exemption_id: int) -> FileResponse:
        return document_response(
            services.exemption_for(user=request.user, exemption_id=exemption_id)
        )


def document_response(exemption: Exemption) -> FileResponse:
    """The document as an inline download; the caller has already checked access."""
    if not exemption.document:
        raise NotFound()
    response = FileResponse(
        exemption.document.open("rb"),
        content_type=exemption.document_content_type or "application/octet-stream",
        as_attachment=False,
        filename=exemption.document_name or "document",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class _ExemptionDecisionView(APIView):
    permission_classes = [IsStaff]
    decide: Callable[..., Exemption]

    @extend_schema(
        request=DecisionSerializer, responses={200: ExemptionSerializer, **DECISION_ERRORS}
    )
    def post(self, request: Request, exemption_id: int) -> Response:
        exemption = services.exemption_for(user=request.user, exemption_id=exemption_id)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = type(self).decide(
            exemption=exemption, by=_user(request), reason=data.validated_data["reason"]
        )
        fresh = services.exemption_for(user=request.user, exemption_id=decided.pk)
        return Response(ExemptionSerializer(fresh).data)


class ExemptionApproveView(_ExemptionDecisionView):
    decide = services.approve_exemption


class ExemptionRejectView(_ExemptionDecisionView):
    decide = services.reject_exemption


class MemberRetirementsView(APIView):
    """A member's retirement requests, newest first, and a new request (age check)."""

    pagination_class = Pagination

    @extend_schema(responses={200: RetirementSerializer(many=True), 404: ERRORS[404]})
    def get(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(services.retirements_of(member), request, view=self)
        return paginator.get_paginated_response(RetirementSerializer(page, many=True).data)

    @extend_schema(
        request=RetirementRequestSerializer,
        responses={
            201: RetirementSerializer,
            **ERRORS,
            409: OpenApiResponse(description="A request is already open, or already approved."),
        },
    )
    def post(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        data = RetirementRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        retirement = services.request_retirement(
            member=member,
            retired_on=data.validated_data["retired_on"],
            explanation=data.validated_data["explanation"],
            by=_user(request),
        )
        return Response(RetirementSerializer(retirement).data, status=status.HTTP_201_CREATED)


class _RetirementDecisionView(APIView):
    permission_classes = [IsStaff]
    decide: Callable[..., Retirement]

    @extend_schema(
        request=DecisionSerializer, responses={200: RetirementSerializer, **DECISION_ERRORS}
    )
    def post(self, request: Request, retirement_id: int) -> Response:
        retirement = services.retirement_for(user=request.user, retirement_id=retirement_id)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = type(self).decide(
            retirement=retirement, by=_user(request), reason=data.validated_data["reason"]
        )
        fresh = services.retirement_for(user=request.user, retirement_id=decided.pk)
        return Response(RetirementSerializer(fresh).data)


class RetirementApproveView(_RetirementDecisionView):
    decide = services.approve_retirement


class RetirementRejectView(_RetirementDecisionView):
    decide = services.reject_retirement
