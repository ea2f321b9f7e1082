from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the log is written by the services, never edited."""

    list_display = ("at", "actor", "action", "target_label", "member")
    list_filter = ("action",)
    search_fields = ("action", "target_label", "why")
    list_select_related = ("actor", "member", "target_type")
    raw_id_fields = ("actor", "member")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
