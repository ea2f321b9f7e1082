"""Shapes of the members API. Serializers check shape only; rules live in services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from imaportal import validation
from members.models import Member, MembershipType


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The current code of the authenticator app, for accounts with two-factor.",
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class MemberSerializer(serializers.ModelSerializer[Member]):
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    membership_type: serializers.SlugRelatedField[MembershipType] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    status = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = (
            "id",
            "member_number",
            "email",
            "first_name",
            "last_name",
            "birth_date",
            "country",
            "membership_type",
            "certified_on",
            "dues_paid_through",
            "joined_on",
            "status",
        )
        read_only_fields = fields

    def get_status(self, member: Member) -> str | None:
        """The last computed certification status; null until first computed."""
        return member.status or None


class MemberCreateSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    first_name = validation.TextField(max_length=150)
    last_name = validation.TextField(max_length=150)
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    birth_date = validation.DateField()
    certified_on = validation.DateField(required=False, allow_null=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    membership_type: serializers.SlugRelatedField[MembershipType] = serializers.SlugRelatedField(
        slug_field="code",
        queryset=MembershipType.objects.all(),
        required=False,
        allow_null=True,
    )
