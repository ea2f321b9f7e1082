from typing import Any, cast

from django.contrib import admin
from django.http import HttpRequest

from members.models import User
from policy.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "effective_from",
        "annual_hours",
        "carry_forward_max",
        "ethics_hours_required",
        "updated_at",
        "updated_by",
    )
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request: HttpRequest, obj: PolicyVersion, form: Any, change: bool) -> None:
        obj.updated_by = cast(User, request.user)
        super().save_model(request, obj, form, change)
