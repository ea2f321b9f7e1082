"""Admin for exemption and retirement requests. Records are read-only here: a request is
added through ``certification.services.requests`` (the same checks as the member's form) and decided
through the staff pages or the "approve selected" action, which call the services too.
Nothing is deleted."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from certification.models import Exemption, ExemptionReason, Retirement
from certification.services import requests as services
from imaportal.exceptions import Conflict
from imaportal.validation import (
    MAX_YEAR,
    MIN_YEAR,
    YEAR_RANGE_MESSAGE,
    FormDateField,
    FormTextField,
)
from members.models import Member, User


def _member_field(model: type[Exemption] | type[Retirement]) -> forms.ModelChoiceField[Member]:
    return forms.ModelChoiceField(
        label=_("Member"),
        queryset=Member.objects.all(),
        widget=ForeignKeyRawIdWidget(model._meta.get_field("member").remote_field, admin.site),
    )


class _ServiceAddForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form whose ``clean()`` only checks, with the service's own checks; the
    admin's ``save_model`` creates the object through the service."""

    acting_user: User | None = None

    # Each subclass defines check(cleaned) (the service's errors, nothing written) and
    # create(cleaned, by), which calls its request service.
    check: Callable[[dict[str, Any]], dict[str, list[str]]]
    create: Callable[[dict[str, Any], User], Any]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        if self.acting_user is None:
            raise forms.ValidationError(_("A request is added by a signed-in staff user."))
        for field, errors in self.check(cleaned).items():
            self.add_error(field if field in self.fields else None, errors)
        return cleaned


class ExemptionAddForm(_ServiceAddForm):
    member = _member_field(Exemption)
    reason = forms.ChoiceField(label=_("Reason"), choices=ExemptionReason.choices)
    years = forms.CharField(
        label=_("Years"), help_text=_("Whole calendar years, separated by commas.")
    )
    explanation = FormTextField(label=_("Explanation"), widget=forms.Textarea)
    document = forms.FileField(label=_("Document"), required=False)

    class Meta:
        model = Exemption
        fields = ("member", "reason", "years", "explanation", "document")

    def clean_years(self) -> list[int]:
        parts = [p for p in re.split(r"[\s,;]+", self.cleaned_data["years"]) if p]
        if not parts or not all(p.isascii() and p.isdigit() and len(p) <= 4 for p in parts):
            raise forms.ValidationError(_("Enter whole calendar years such as 2026, 2027."))
        years = [int(p) for p in parts]
        if not all(MIN_YEAR <= year <= MAX_YEAR for year in years):
            raise forms.ValidationError(YEAR_RANGE_MESSAGE)
        return years

    def check(self, cleaned: dict[str, Any]) -> dict[str, list[str]]:
        return services.exemption_request_errors(
            member=cleaned["member"],
            reason=cleaned["reason"],
            years=cleaned["years"],
            explanation=cleaned["explanation"],
            document=cleaned.get("document"),
        )

    def create(self, cleaned: dict[str, Any], by: User) -> Exemption:
        return services.request_exemption(
            member=cleaned["member"],
            reason=cleaned["reason"],
            years=cleaned["years"],
            explanation=cleaned["explanation"],
            document=cleaned.get("document"),
            by=by,
        )


class RetirementAddForm(_ServiceAddForm):
    member = _member_field(Retirement)
    retired_on = FormDateField(label=_("Retired on"))
    explanation = FormTextField(label=_("Explanation"), widget=forms.Textarea, required=False)

    class Meta:
        model = Retirement
        fields = ("member", "retired_on", "explanation")

    def check(self, cleaned: dict[str, Any]) -> dict[str, list[str]]:
        return services.retirement_request_errors(
            member=cleaned["member"], retired_on=cleaned["retired_on"]
        )

    def create(self, cleaned: dict[str, Any], by: User) -> Retirement:
        return services.request_retirement(
            member=cleaned["member"],
            retired_on=cleaned["retired_on"],
            explanation=cleaned.get("explanation") or "",
            by=by,
        )


class _RequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    add_form: type[_ServiceAddForm]
    add_fields: tuple[str, ...]
    search_fields = ("member__member_number", "member__user__email", "member__user__last_name")
    list_select_related = ("member__user", "decided_by")
    actions = ("approve_selected",)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:  # type: ignore[type-arg]
        if obj is None:
            # A form class per request, so the acting user is never shared between threads.
            kwargs["form"] = type(
                self.add_form.__name__, (self.add_form,), {"acting_user": request.user}
            )
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.add_fields
        return [f.name for f in self.model._meta.fields if f.name != "id"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.get_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """On add, the request is created through the service (a saved one is read-only)."""
        if change:
            return
        saved = form.create(form.cleaned_data, cast(User, request.user))
        obj.pk, obj.member = saved.pk, saved.member

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # Each subclass defines approve(obj, by), which calls its decision service.
    approve: Callable[[Any, User], None]

    @admin.action(description=_("Approve selected requests"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        approved = skipped = 0
        for obj in queryset.select_related("member").order_by("pk"):
            try:
                self.approve(obj, cast(User, request.user))
                approved += 1
            except Conflict:
                skipped += 1
        self.message_user(
            request,
            _("%(n)d approved, %(s)d skipped (already decided or overlapping).")
            % {"n": approved, "s": skipped},
            messages.SUCCESS,
        )


@admin.register(Exemption)
class ExemptionAdmin(_RequestAdmin):
    add_form = ExemptionAddForm
    add_fields = ("member", "reason", "years", "explanation", "document")
    list_display = ("member", "reason", "years", "state", "created_at", "decided_by")
    list_filter = ("state", "reason")

    def approve(self, obj: Any, by: User) -> None:
        services.approve_exemption(exemption=obj, by=by)


@admin.register(Retirement)
class RetirementAdmin(_RequestAdmin):
    add_form = RetirementAddForm
    add_fields = ("member", "retired_on", "explanation")
    list_display = ("member", "retired_on", "state", "created_at", "decided_by")
    list_filter = ("state",)
    date_hierarchy = "retired_on"

    def approve(self, obj: Any, by: User) -> None:
        services.approve_retirement(retirement=obj, by=by)
