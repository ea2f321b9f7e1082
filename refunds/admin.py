"""Refund requests in the admin: searchable and read-only. Decisions are taken on the
refund pages (or the API), which go through ``refunds.services``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from refunds.models import RefundRequest


@admin.register(RefundRequest)
class RefundRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "id",
        "member",
        "enrollment",
        "requested_on",
        "reason_code",
        "amount",
        "currency",
        "state",
        "issue_by",
    )
    list_filter = ("state", "reason_code", "special_circumstances")
    search_fields = ("member__member_number", "member__user__email", "reference")
    list_select_related = ("member__user", "enrollment__offering")
    date_hierarchy = "requested_on"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The policy's reason in words beside its stored code and values.
        return [f.name for f in RefundRequest._meta.fields] + ["policy_reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
