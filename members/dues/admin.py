"""Admin for dues payments: read-only records; adding one goes through
``members.services.record_dues_payment`` (which keeps the paid-through date and the
member's status current). Nothing is deleted."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from imaportal.validation import FormCurrencyField, FormDateField, FormTextField
from members import services
from members.models import DuesPayment, Member, User

ADD_FIELDS = ("member", "amount", "currency", "paid_on", "paid_through", "note")


class DuesPaymentAddForm(forms.ModelForm):  # type: ignore[type-arg]
    acting_user: User | None = None

    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Member.objects.all(),
        widget=ForeignKeyRawIdWidget(
            DuesPayment._meta.get_field("member").remote_field, admin.site
        ),
    )
    amount = forms.DecimalField(label=_("Amount"), max_digits=10, decimal_places=2)
    currency = FormCurrencyField(label=_("Currency"), min_length=3, max_length=3, initial="USD")
    paid_on = FormDateField(label=_("Paid on"))
    paid_through = FormDateField(label=_("Paid through"))
    note = FormTextField(label=_("Note"), max_length=200, required=False)

    class Meta:
        model = DuesPayment
        fields = ("member", "amount", "currency", "paid_on", "paid_through", "note")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        errors = services.dues_payment_errors(
            amount=cleaned["amount"],
            paid_on=cleaned["paid_on"],
            paid_through=cleaned["paid_through"],
        )
        for field, messages in errors.items():
            self.add_error(field if field in self.fields else None, messages)
        return cleaned


@admin.register(DuesPayment)
class DuesPaymentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("member", "amount", "currency", "paid_on", "paid_through", "recorded_by")
    list_filter = ("currency",)
    search_fields = ("member__member_number", "member__user__email", "member__user__last_name")
    list_select_related = ("member__user", "recorded_by")
    date_hierarchy = "paid_on"

    def get_form(
        self,
        request: HttpRequest,
        obj: DuesPayment | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm]:  # type: ignore[type-arg]
        if obj is None:
            # A form class per request, so the acting user is never shared between threads.
            kwargs["form"] = type(
                "DuesPaymentAddForm", (DuesPaymentAddForm,), {"acting_user": request.user}
            )
            kwargs["fields"] = None
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: DuesPayment | None = None) -> Any:
        if obj is None:
            return ADD_FIELDS
        return [f.name for f in DuesPayment._meta.fields if f.name != "id"]

    def get_readonly_fields(self, request: HttpRequest, obj: DuesPayment | None = None) -> Any:
        if obj is None:
            return ()
        return [f.name for f in DuesPayment._meta.fields if f.name != "id"]

    def save_model(self, request: HttpRequest, obj: DuesPayment, form: Any, change: bool) -> None:
        """A new payment through the service; a recorded payment is never changed."""
        if change:
            return
        values = form.cleaned_data
        payment = services.record_dues_payment(
            member=values["member"],
            amount=values["amount"],
            paid_on=values["paid_on"],
            paid_through=values["paid_through"],
            currency=values["currency"],
            note=values.get("note") or "",
            by=cast(User, request.user),
        )
        obj.pk, obj.member = payment.pk, payment.member

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
