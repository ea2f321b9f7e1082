"""Django admin for users, members and membership types. Creating a member goes through
``members.services.create_member`` like every other entry point."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit import services as audit
from imaportal.validation import FormTextField
from members import services
from members.models import Member, MembershipType, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MemberAddForm(forms.ModelForm):  # type: ignore[type-arg]
    email = forms.EmailField(label=_("Email address"))
    first_name = FormTextField(label=_("First name"), max_length=150)
    last_name = FormTextField(label=_("Last name"), max_length=150)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)

    class Meta:
        model = Member
        fields = ("birth_date", "country", "membership_type", "certified_on", "joined_on")

    def clean(self) -> dict[str, Any]:
        """Checks only; ``MemberAdmin.save_model`` creates the member through the service."""
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        errors = services.new_member_errors(
            email=cleaned["email"],
            password=cleaned["password"],
            first_name=cleaned["first_name"],
            last_name=cleaned["last_name"],
            birth_date=cleaned["birth_date"],
            certified_on=cleaned.get("certified_on"),
        )
        for field, messages in errors.items():
            self.add_error(field if field in self.fields else None, messages)
        return cleaned


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "member_number",
        "full_name",
        "email",
        "country",
        "membership_type",
        "certified_on",
        "dues_paid_through",
        "status",
    )
    list_filter = (
        "status",
        "membership_type",
        "country",
        ("certified_on", admin.EmptyFieldListFilter),
    )
    search_fields = ("member_number", "user__email", "user__first_name", "user__last_name")
    list_select_related = ("user", "membership_type")
    date_hierarchy = "certified_on"
    readonly_fields = ("member_number", "user", "status", "created_at", "created_by")
    fields = (
        "member_number",
        "user",
        "birth_date",
        "country",
        "membership_type",
        "certified_on",
        "dues_paid_through",
        "joined_on",
        "status",
        "created_at",
        "created_by",
    )

    def get_form(
        self, request: HttpRequest, obj: Member | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:  # type: ignore[type-arg]
        if obj is None:
            # A form class per request, so the acting user is never shared between threads.
            kwargs["form"] = type("MemberAddForm", (MemberAddForm,), {"acting_user": request.user})
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Member | None = None) -> Any:
        if obj is None:
            return (
                "email",
                "first_name",
                "last_name",
                "password",
                "birth_date",
                "country",
                "membership_type",
                "certified_on",
                "joined_on",
            )
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Member | None = None) -> Any:
        return () if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Member, form: Any, change: bool) -> None:
        if change:
            before = audit.form_before(form, services.PROFILE_FIELDS)
            services.update_member(member=obj, before=before, by=cast(User, request.user))
            return
        values = form.cleaned_data
        saved = services.create_member(
            email=values["email"],
            password=values["password"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            birth_date=values["birth_date"],
            certified_on=values.get("certified_on"),
            country=values.get("country") or "",
            membership_type=values.get("membership_type"),
            joined_on=values.get("joined_on"),
            by=cast(User, request.user),
        )
        obj.pk, obj.user, obj.member_number = saved.pk, saved.user, saved.member_number

    @admin.display(description=_("name"), ordering="user__last_name")
    def full_name(self, obj: Member) -> str:
        return obj.full_name

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, obj: Member) -> str:
        return obj.email


@admin.register(MembershipType)
class MembershipTypeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "annual_dues", "currency")
    search_fields = ("name", "code")


from members.dues import admin as dues_admin  # noqa: E402, F401
