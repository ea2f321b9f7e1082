from typing import Any, cast

from django.contrib import admin
from django.http import HttpRequest

from audit import services as audit
from members.models import User
from policy import services
from policy.models import PolicyVersion
from policy.services import VALUE_FIELDS


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
        before = audit.form_before(form, VALUE_FIELDS) if change else None
        services.save_policy_version(version=obj, before=before, by=cast(User, request.user))
