"""Pages of the exemption and retirement requests: the member's requests and the forms to
file one (under ``status/``), and the staff lists with a decision page per request (under
``staff/``). Writes go through ``certification.services.requests``."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.selectors import object_history
from certification.api.requests import document_response
from certification.models import Exemption, ExemptionReason, RequestState, Retirement
from certification.rules import retirement_eligible_from
from certification.services import requests as services
from cpe.forms import ReasonForm
from imaportal.dates import age_on
from imaportal.exceptions import Conflict, InvalidInput
from imaportal.formatting import day
from imaportal.validation import (
    MAX_YEAR,
    MIN_YEAR,
    YEAR_RANGE_MESSAGE,
    FormDateField,
    FormTextField,
)
from imaportal.web import add_form_errors, member_required, or_404, report, staff_required, today
from members.models import Member, User
from policy.selectors import policy_for

STAFF_PAGE_SIZE = 100
STATE_CHOICES = [("", gettext_lazy("All")), *RequestState.choices]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


class ExemptionForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=ExemptionReason.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Busy work, a job change or temporary unemployment do not qualify for an exemption."
        ),
    )
    years = forms.CharField(
        label=gettext_lazy("Calendar years"),
        max_length=100,
        help_text=gettext_lazy("Whole calendar years, separated by commas, e.g. 2026, 2027."),
    )
    explanation = FormTextField(
        label=gettext_lazy("Explanation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Describe your circumstances and how they affect these years."),
    )
    document = forms.FileField(
        label=gettext_lazy("Supporting document (optional)"),
        required=False,
        help_text=gettext_lazy("A PDF, PNG or JPEG file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def clean_years(self) -> list[int]:
        parts = [p for p in re.split(r"[\s,;]+", self.cleaned_data["years"]) if p]
        if not parts or not all(p.isascii() and p.isdigit() and len(p) == 4 for p in parts):
            raise forms.ValidationError(_("Enter whole calendar years such as 2026, 2027."))
        years = [int(p) for p in parts]
        if not all(MIN_YEAR <= year <= MAX_YEAR for year in years):
            raise forms.ValidationError(YEAR_RANGE_MESSAGE)
        return years


class RetirementForm(forms.Form):
    retired_on = FormDateField(
        label=gettext_lazy("Retired from (date)"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    explanation = FormTextField(
        label=gettext_lazy("Explanation (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For example: your last position in management accounting or financial management."
        ),
    )


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=STATE_CHOICES, required=False)


# -- Member pages -------------------------------------------------------------------------


@member_required
def mine(request: HttpRequest, member: Member) -> HttpResponse:
    """The member's exemption and retirement requests with their decisions."""
    return render(
        request,
        "certification/requests/mine.html",
        {
            "member": member,
            "exemptions": list(services.exemptions_of(member)),
            "retirements": list(services.retirements_of(member)),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def exemption_new(request: HttpRequest, member: Member) -> HttpResponse:
    """Ask to be exempt from the CPE requirement for whole calendar years."""
    form = ExemptionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            exemption = services.request_exemption(
                member=member,
                reason=form.cleaned_data["reason"],
                years=form.cleaned_data["years"],
                explanation=form.cleaned_data["explanation"],
                document=form.cleaned_data.get("document"),
                by=_user(request),
            )
        except InvalidInput as exc:
            add_form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your exemption request for %(years)s was sent to IMA for review.")
                % {"years": ", ".join(map(str, exemption.years))},
            )
            return redirect("requests:mine")
    first_year = member.certified_on.year + 1 if member.certified_on else None
    return render(
        request,
        "certification/requests/exemption_form.html",
        {"form": form, "member": member, "first_year": first_year},
    )


@member_required
@require_http_methods(["GET", "POST"])
def retirement_new(request: HttpRequest, member: Member) -> HttpResponse:
    """Ask for retired status (no CPE requirement) from a date when 55 or over."""
    form = RetirementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retirement = services.request_retirement(
                member=member,
                retired_on=form.cleaned_data["retired_on"],
                explanation=form.cleaned_data["explanation"],
                by=_user(request),
            )
        except InvalidInput as exc:
            add_form_errors(form, exc)
        except Conflict as exc:
            report(request, exc)
            return redirect("requests:mine")
        else:
            messages.success(
                request,
                _("Your request for retired status from %(date)s was sent to IMA for review.")
                % {"date": day(retirement.retired_on)},
            )
            return redirect("requests:mine")
    min_age = policy_for(today().year).retirement_min_age
    return render(
        request,
        "certification/requests/retirement_form.html",
        {
            "form": form,
            "member": member,
            "min_age": min_age,
            "eligible_from": retirement_eligible_from(member.birth_date, min_age),
        },
    )


@login_required
def exemption_document(request: HttpRequest, exemption_id: int) -> FileResponse:
    """The supporting document of an exemption request (its member and staff)."""
    exemption = or_404(services.exemption_for, user=request.user, exemption_id=exemption_id)
    return or_404(document_response, exemption)


# -- Staff pages --------------------------------------------------------------------------


def _staff_list(
    request: HttpRequest, model: type[Exemption] | type[Retirement], template: str
) -> HttpResponse:
    form = StateFilterForm(request.GET or {"state": RequestState.REQUESTED})
    state = form.cleaned_data["state"] if form.is_valid() else RequestState.REQUESTED
    states = [state] if state else list(RequestState.values)
    page = Paginator(services.requests_in_state(model, states), STAFF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        template,
        {"form": form, "page": page, "requests": page.object_list, "state": state},
    )


@staff_required
def staff_exemptions(request: HttpRequest) -> HttpResponse:
    """Exemption requests, oldest first; those waiting for a decision unless filtered."""
    return _staff_list(request, Exemption, "certification/requests/staff_exemptions.html")


@staff_required
def staff_retirements(request: HttpRequest) -> HttpResponse:
    """Retirement requests, oldest first; those waiting for a decision unless filtered."""
    return _staff_list(request, Retirement, "certification/requests/staff_retirements.html")


def _decide(
    request: HttpRequest, form: ReasonForm, obj: Exemption | Retirement
) -> HttpResponse | None:
    """Apply the staff decision; a response when done, ``None`` to show the form again."""
    action = request.POST.get("action", "")
    if action not in ("approve", "reject"):
        form.add_error(None, _("Choose whether to approve or reject the request."))
        return None
    if not form.is_valid():
        return None
    reason: str = form.cleaned_data["reason"]
    user = _user(request)
    back = (
        "requests:staff_exemptions" if isinstance(obj, Exemption) else "requests:staff_retirements"
    )
    try:
        if isinstance(obj, Exemption):
            if action == "approve":
                services.approve_exemption(exemption=obj, by=user, reason=reason)
            else:
                services.reject_exemption(exemption=obj, by=user, reason=reason)
        elif action == "approve":
            services.approve_retirement(retirement=obj, by=user, reason=reason)
        else:
            services.reject_retirement(retirement=obj, by=user, reason=reason)
    except InvalidInput as exc:
        add_form_errors(form, exc)
        return None
    except Conflict as exc:
        report(request, exc)
        return redirect(back)
    who = obj.member.full_name or obj.member.member_number
    if action == "approve":
        messages.success(
            request,
            _("Approved the request of %(member)s; they are told by email.") % {"member": who},
        )
    else:
        messages.success(
            request,
            _("Rejected the request of %(member)s; they are told the reason by email.")
            % {"member": who},
        )
    return redirect(back)


def _decide_page(
    request: HttpRequest, obj: Exemption | Retirement, template: str, **extra: Any
) -> HttpResponse:
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        response = _decide(request, form, obj)
        if response is not None:
            return response
    return render(
        request,
        template,
        {
            "obj": obj,
            "member": obj.member,
            "form": form,
            "pending": obj.state == RequestState.REQUESTED,
            "history": object_history(obj, page=request.GET.get("history_page", 1)),
            **extra,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def decide_exemption(request: HttpRequest, exemption_id: int) -> HttpResponse:
    """One exemption request with its document and the member's other exemptions."""
    exemption = or_404(services.exemption_for, user=request.user, exemption_id=exemption_id)
    others = services.exemptions_of(exemption.member).exclude(pk=exemption.pk)
    document_url = (
        reverse("requests:exemption_document", kwargs={"exemption_id": exemption.pk})
        if exemption.document
        else ""
    )
    return _decide_page(
        request,
        exemption,
        "certification/requests/decide_exemption.html",
        others=list(others),
        document_url=document_url,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def decide_retirement(request: HttpRequest, retirement_id: int) -> HttpResponse:
    """One retirement request with the member's age on the retirement date."""
    retirement = or_404(services.retirement_for, user=request.user, retirement_id=retirement_id)
    age = age_on(retirement.member.birth_date, retirement.retired_on)
    return _decide_page(
        request, retirement, "certification/requests/decide_retirement.html", age=age
    )
