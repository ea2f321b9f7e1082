"""Staff see what was mailed, when, and why a mail failed; nothing is edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("key", "recipient", "template", "language", "created_at", "sent_at", "attempts")
    list_filter = ("template", "language")
    search_fields = ("key", "recipient__email")
    readonly_fields = [f.name for f in OutgoingMail._meta.fields]
    list_select_related = ("recipient",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
