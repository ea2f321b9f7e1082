"""API v1: a member's certification status on any date, and its recorded changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import selectors
from certification.models import StatusChange
from certification.services.recompute import status_of
from certification.status import pending_hours
from imaportal.api import Pagination, query_param
from imaportal.exceptions import InvalidInput
from imaportal.reasons import render_all
from imaportal.validation import DATE_FORMAT_MESSAGE, query_date
from members.selectors import member_for


class YearRowSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    # The contract's field name "required" shadows Field.required for the type checker
    # only: DRF's serializer metaclass moves declared fields out of the class attributes.
    required = serializers.DecimalField(max_digits=7, decimal_places=1)  # type: ignore[assignment]
    earned = serializers.DecimalField(max_digits=7, decimal_places=1)
    carried_in = serializers.DecimalField(max_digits=7, decimal_places=1)
    carried_out = serializers.DecimalField(max_digits=7, decimal_places=1)
    shortfall = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    exempt = serializers.BooleanField()
    ethics_required = serializers.DecimalField(max_digits=7, decimal_places=1)
    ethics_earned = serializers.DecimalField(max_digits=7, decimal_places=1)


class StatusSerializer(serializers.Serializer[Any]):
    member = serializers.IntegerField()
    as_of = serializers.DateField()
    status = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    # The same reasons as codes with parameters (``{"code": ..., "params": {...}}``).
    reason_codes = serializers.ListField(child=serializers.JSONField())
    required_hours = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    available_hours = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    hours_needed = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    ethics_hours_needed = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    years = YearRowSerializer(many=True)
    # Hours of self-reported entries waiting for review that would count toward the year
    # of ``as_of`` once approved.
    pending_hours = serializers.DecimalField(max_digits=7, decimal_places=1)


class StatusChangeSerializer(serializers.ModelSerializer[StatusChange]):
    # Why, in words in the request's language (a change recorded before codes keeps its
    # sentence), and as codes with parameters.
    reason = serializers.SerializerMethodField()
    reason_codes = serializers.SerializerMethodField()

    class Meta:
        model = StatusChange
        fields = ("id", "from_status", "to_status", "changed_at", "as_of", "reason", "reason_codes")
        read_only_fields = fields

    def get_reason(self, change: StatusChange) -> str:
        return change.reason_text()

    @extend_schema_field(serializers.ListField(child=serializers.JSONField()))
    def get_reason_codes(self, change: StatusChange) -> list[dict[str, Any]]:
        return [reason.as_json() for reason in change.reason_list()]


def parse_as_of(raw: str | None) -> dt.date:
    """``?as_of=YYYY-MM-DD`` in the supported range; today when absent (an empty value is
    not a date: 400)."""
    if raw is None:
        return timezone.localdate()
    if raw.strip() == "":
        raise InvalidInput({"as_of": [DATE_FORMAT_MESSAGE]})
    return query_date(raw, field="as_of") or timezone.localdate()


class MemberStatusView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, required=False)],
        responses={200: StatusSerializer},
    )
    def get(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        as_of = parse_as_of(query_param(request, "as_of"))
        result = status_of(member, as_of=as_of)
        data = {
            "member": member.pk,
            "as_of": as_of,
            "status": result.status.value,
            "reasons": render_all(result.reasons),
            "reason_codes": [reason.as_json() for reason in result.reasons],
            "required_hours": result.required_hours,
            "available_hours": result.available_hours,
            "hours_needed": result.hours_needed,
            "deadline": result.deadline,
            "ethics_hours_needed": result.ethics_needed,
            "years": [row.__dict__ for row in result.years],
            "pending_hours": pending_hours(
                selectors.pending_credits(member), certified_on=member.certified_on, as_of=as_of
            ),
        }
        return Response(StatusSerializer(data).data)


class MemberStatusHistoryView(APIView):
    pagination_class = Pagination

    @extend_schema(responses={200: StatusChangeSerializer(many=True)})
    def get(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            StatusChange.objects.filter(member=member).order_by("changed_at", "id"),
            request,
            view=self,
        )
        return paginator.get_paginated_response(StatusChangeSerializer(page, many=True).data)
