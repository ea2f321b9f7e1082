"""Dues pages (SPEC section 5): the member sees what they owe for the next period and their
payment history; staff record a payment for a member. Payments are recorded only through
``members.services.record_dues_payment``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.selectors import member_history
from imaportal.exceptions import InvalidInput, NotFound
from imaportal.validation import FormCurrencyField, FormDateField, FormTextField
from members import services
from members.dues import DuesOutlook, dues_outlook
from members.models import DuesPayment, Member, User
from members.selectors import has_staff_power, member_for, own_member

P = ParamSpec("P")
HISTORY_LIMIT = 200


def outlook_for(member: Member, today: dt.date) -> DuesOutlook:
    kind = member.membership_type
    return dues_outlook(
        paid_through=member.dues_paid_through,
        annual_dues=kind.annual_dues if kind else None,
        currency=kind.currency if kind else "USD",
        today=today,
    )


def payments_of(member: Member) -> QuerySet[DuesPayment]:
    """The member's payments, newest first."""
    return member.dues_payments.select_related("recorded_by").order_by(
        "-paid_on", "-recorded_at", "-id"
    )


def staff_required(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Signed-in staff only: anonymous visitors go to the login page, members get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if not has_staff_power(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


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


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The member's dues: paid-through date, what the next period costs, payment history."""
    try:
        member = own_member(request.user)
    except NotFound:
        raise Http404(_("This account has no member profile.")) from None
    return render(
        request,
        "members/dues/mine.html",
        {
            "member": member,
            "outlook": outlook_for(member, timezone.localdate()),
            "payments": list(payments_of(member)[:HISTORY_LIMIT]),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_member_dues(request: HttpRequest, member_id: int) -> HttpResponse:
    """Record a dues payment for a member and see their history."""
    try:
        member = member_for(user=request.user, member_id=member_id)
    except NotFound:
        raise Http404 from None
    today = timezone.localdate()
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
                for field, errors in exc.errors.items():
                    form.add_error(field if field in form.fields else None, errors)
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
