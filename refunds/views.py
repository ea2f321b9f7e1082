"""Pages of the refunds: the member's "My purchases" and the refund request with the policy
outcome shown before confirming; the staff refund queue with a decision page per request.
Writes go through ``refunds.services``."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.selectors import object_history
from cpe.selectors import enrollment_for
from imaportal import web
from imaportal.exceptions import Conflict, InvalidInput
from imaportal.formatting import money
from imaportal.validation import FormTextField
from imaportal.web import add_form_errors, member_required, or_404, report, staff_required
from members.models import Member, User
from policy.selectors import policy_for
from refunds import selectors, services
from refunds.models import RefundRequest, RefundState

STAFF_PAGE_SIZE = 100
STATE_CHOICES = [
    ("open", gettext_lazy("Waiting for staff (requested or approved)")),
    ("overdue", gettext_lazy("Overdue (approved, issue-by date passed)")),
    *RefundState.choices,
    ("all", gettext_lazy("All")),
]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


class RefundRequestForm(forms.Form):
    reason = FormTextField(
        label=gettext_lazy("Why do you ask for a refund?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=services.REASON_MAX_LENGTH,
        help_text=gettext_lazy("Required: IMA's policy asks for the request in writing."),
        error_messages={"required": gettext_lazy("Tell IMA in a few words why you ask.")},
    )


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("Show"), choices=STATE_CHOICES, required=False)


class DecisionForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount to refund (special circumstances only)"),
        max_digits=10,
        decimal_places=2,
        required=False,
    )
    reason = FormTextField(
        label=gettext_lazy("Reason (shown to the member)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    reference = FormTextField(
        label=gettext_lazy("Payment reference"),
        max_length=services.REFERENCE_MAX_LENGTH,
        required=False,
    )


# -- Member pages -------------------------------------------------------------------------


@member_required
def purchases(request: HttpRequest, member: Member) -> HttpResponse:
    """What the member bought or registered for, with each refund request's state."""
    return render(
        request,
        "refunds/purchases.html",
        {"member": member, "purchases": selectors.purchases_of(member)},
    )


@member_required
@require_http_methods(["GET", "POST"])
def request_refund(request: HttpRequest, member: Member, enrollment_id: int) -> HttpResponse:
    """The policy outcome of a request made today, then the written reason to confirm."""
    enrollment = or_404(enrollment_for, user=request.user, enrollment_id=enrollment_id)
    form = RefundRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_refund(
                enrollment=enrollment, by=_user(request), reason=form.cleaned_data["reason"]
            )
        except InvalidInput as exc:
            add_form_errors(form, exc)
        except Conflict as exc:
            report(request, exc)
            return redirect("refunds:purchases")
        else:
            messages.success(
                request,
                _("Your refund request was sent. We emailed you a confirmation."),
            )
            return redirect("refunds:purchases")
    open_request = selectors.open_request_of(enrollment)
    return render(
        request,
        "refunds/request.html",
        {
            "enrollment": enrollment,
            "offering": enrollment.offering,
            "outcome": services.preview_refund(enrollment),
            "today": web.today(),
            "open_request": open_request,
            "form": form,
        },
    )


# -- Staff pages --------------------------------------------------------------------------


@staff_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    """Refund requests, oldest first: those waiting for staff unless filtered."""
    form = StateFilterForm(request.GET or {"state": "open"})
    choice = form.cleaned_data["state"] if form.is_valid() else "open"
    choice = choice or "open"
    today = web.today()
    if choice == "open":
        qs = selectors.refunds_for(
            request.user, states=[RefundState.REQUESTED, RefundState.APPROVED]
        )
    elif choice == "overdue":
        qs = selectors.refunds_for(request.user, overdue_on=today)
    elif choice == "all":
        qs = selectors.refunds_for(request.user)
    else:
        qs = selectors.refunds_for(request.user, states=[choice])
    page = Paginator(qs, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, selectors.is_overdue(r, today)) for r in page.object_list]
    return render(
        request,
        "refunds/staff_queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "state": choice,
            "counts": selectors.staff_counts(),
            "overdue_count": selectors.refunds_for(request.user, overdue_on=today).count(),
            # The issue window of this year's policy (a request's own is its issue-by date).
            "issue_days": policy_for(today.year).refund_issue_days,
        },
    )


def _apply(request: HttpRequest, form: DecisionForm, refund: RefundRequest) -> HttpResponse | None:
    """Run the chosen transition; a redirect when done, ``None`` to show the form again."""
    action = request.POST.get("action", "")
    if action not in ("approve", "special", "deny", "issue"):
        form.add_error(None, _("Choose an action."))
        return None
    if not form.is_valid():
        return None
    data = form.cleaned_data
    user = _user(request)
    try:
        if action == "approve":
            services.approve_refund(refund=refund, by=user, reason=data["reason"])
            done = _("Approved the refund of %(amount)s.")
        elif action == "special":
            amount: Decimal | None = data["amount"]
            if amount is None:
                raise InvalidInput({"amount": [_("Enter the amount to refund.")]})
            services.approve_refund(refund=refund, by=user, amount=amount, reason=data["reason"])
            done = _("Approved a refund of %(amount)s for special circumstances.")
        elif action == "deny":
            services.deny_refund(refund=refund, by=user, reason=data["reason"])
            done = _("Denied the refund request.")
        else:
            services.issue_refund(refund=refund, by=user, reference=data["reference"])
            done = _("Marked the refund of %(amount)s as issued.")
    except InvalidInput as exc:
        if refund.reason_code == "no_show":  # the page shows no amount field for it
            form.add_error(None, [m for msgs in exc.errors.values() for m in msgs])
        else:
            add_form_errors(form, exc)
        return None
    except Conflict as exc:
        report(request, exc)
        return redirect("refunds:decide", refund_id=refund.pk)
    refund.refresh_from_db()
    messages.success(
        request,
        (done % {"amount": money(refund.amount, refund.currency)})
        + " "
        + _("The member is told by email."),
    )
    return redirect("refunds:decide", refund_id=refund.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, refund_id: int) -> HttpResponse:
    """One refund request with the policy outcome, the member's other requests and the
    actions its state allows."""
    refund = or_404(selectors.refund_for, user=request.user, refund_id=refund_id)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        response = _apply(request, form, refund)
        if response is not None:
            return response
    others = (
        selectors.refunds_for(request.user)
        .filter(enrollment=refund.enrollment)
        .exclude(pk=refund.pk)
    )
    return render(
        request,
        "refunds/decide.html",
        {
            "refund": refund,
            "enrollment": refund.enrollment,
            "member": refund.member,
            "form": form,
            "others": list(others),
            "overdue": selectors.is_overdue(refund, web.today()),
            "special_allowed": refund.reason_code != "no_show",
            "history": object_history(refund, page=request.GET.get("history_page", 1)),
        },
    )
