"""Dues pages (SPEC section 5): the member sees what they owe for the next period and their
payment history; staff record a payment for a member. Payments are recorded only through
``members.services.record_dues_payment``."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.selectors import member_history
from imaportal import web
from imaportal.exceptions import InvalidInput
from imaportal.validation import FormCurrencyField, FormDateField, FormTextField
from imaportal.web import add_form_errors, member_required, or_404, staff_required
from members import services
from members.dues.selectors import outlook_for, payments_of
from members.models import Member, User
from members.selectors import member_for

HISTORY_LIMIT = 200


class DuesPaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), max_digits=10, decimal_places=2, min_value=0
    )
    currency = FormCurrencyField(
        label=gettext_lazy("Currency"),
        min_length=3,
        max_length=3,
        help_text=gettext_lazy("ISO code such as USD."),
    )
    paid_on = FormDateField(
        label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    paid_through = FormDateField(
        label=gettext_lazy("Paid through"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The last day the payment covers."),
    )
    note = FormTextField(label=gettext_lazy("Note (optional)"), max_length=200, required=False)


@member_required
def mine(request: HttpRequest, member: Member) -> HttpResponse:
    """The member's dues: paid-through date, what the next period costs, payment history."""
    return render(
        request,
        "members/dues/mine.html",
        {
            "member": member,
            "outlook": outlook_for(member, web.today()),
            "payments": list(payments_of(member)[:HISTORY_LIMIT]),
            "contact_email": settings.IMA_CONTACT_EMAIL,
            "contact_phone": settings.IMA_CONTACT_PHONE,
            "contact_tel": "".join(
                c for c in settings.IMA_CONTACT_PHONE if c.isdigit() or c == "+"
            ),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_member_dues(request: HttpRequest, member_id: int) -> HttpResponse:
    """Record a dues payment for a member and see their history."""
    member = or_404(member_for, user=request.user, member_id=member_id)
    today = web.today()
    outlook = outlook_for(member, today)
    if request.method == "POST":
        form = DuesPaymentForm(request.POST)
        if form.is_valid():
            values = form.cleaned_data
            try:
                payment = services.record_dues_payment(
                    member=member,
                    amount=values["amount"],
                    paid_on=values["paid_on"],
                    paid_through=values["paid_through"],
                    currency=values["currency"],
                    note=values["note"],
                    by=cast(User, request.user),
                )
            except InvalidInput as exc:
                add_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Payment of %(amount)s %(currency)s recorded; dues paid through %(date)s.")
                    % {
                        "amount": payment.amount,
                        "currency": payment.currency,
                        "date": member.dues_paid_through,
                    },
                )
                return redirect("dues:staff_member", member_id=member.pk)
    else:
        form = DuesPaymentForm(
            initial={
                "amount": outlook.amount,
                "currency": outlook.currency,
                "paid_on": today,
                "paid_through": outlook.period_end,
            }
        )
    return render(
        request,
        "members/dues/staff_member.html",
        {
            "member": member,
            "form": form,
            "outlook": outlook,
            "payments": list(payments_of(member)[:HISTORY_LIMIT]),
            "history": member_history(member.pk, page=request.GET.get("history_page", 1)),
            "history_title": _("Member history"),
        },
    )
