"""REST API v1 for dues payments (SPEC sections 5 and 6): the member and staff list them,
staff record one through ``members.services.record_dues_payment``."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from imaportal import validation
from imaportal.api import IsStaff, Pagination
from members import services
from members.dues.selectors import payments_of
from members.models import DuesPayment, Member, User
from members.selectors import member_for


class DuesPaymentSerializer(serializers.ModelSerializer[DuesPayment]):
    member: serializers.PrimaryKeyRelatedField[Member] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    recorded_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="email", read_only=True, allow_null=True
    )

    class Meta:
        model = DuesPayment
        fields = (
            "id",
            "member",
            "amount",
            "currency",
            "paid_on",
            "paid_through",
            "note",
            "recorded_by",
            "recorded_at",
        )
        read_only_fields = fields


class DuesPaymentInputSerializer(serializers.Serializer[Any]):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    paid_on = validation.DateField()
    paid_through = validation.DateField()
    currency = validation.CurrencyField(
        required=False,
        help_text="ISO 4217 code; defaults to the currency of the membership type.",
    )
    note = validation.TextField(max_length=200, required=False, allow_blank=True, default="")


class MemberDuesView(APIView):
    """Dues payments of a member: listed to the member and staff, recorded by staff."""

    pagination_class = Pagination

    def get_permissions(self) -> list[Any]:
        return [IsStaff()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        responses={
            200: DuesPaymentSerializer(many=True),
            404: OpenApiResponse(description="No such member, or not yours."),
        }
    )
    def get(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(payments_of(member), request, view=self)
        return paginator.get_paginated_response(DuesPaymentSerializer(page, many=True).data)

    @extend_schema(
        request=DuesPaymentInputSerializer,
        responses={
            201: DuesPaymentSerializer,
            400: OpenApiResponse(description="Invalid input: errors per field."),
            403: OpenApiResponse(description="Staff only."),
            404: OpenApiResponse(description="No such member."),
        },
    )
    def post(self, request: Request, member_id: int) -> Response:
        member = member_for(user=request.user, member_id=member_id)
        data = DuesPaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        currency = values.get("currency") or (
            member.membership_type.currency if member.membership_type else "USD"
        )
        payment = services.record_dues_payment(
            member=member,
            amount=values["amount"],
            paid_on=values["paid_on"],
            paid_through=values["paid_through"],
            currency=currency,
            note=values["note"],
            by=cast(User, request.user),
        )
        payment = payments_of(member).get(pk=payment.pk)
        return Response(DuesPaymentSerializer(payment).data, status=status.HTTP_201_CREATED)
