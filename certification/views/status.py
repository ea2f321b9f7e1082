"""Status pages: the member's dashboard (status card, progress, ledger) and the staff
overview (counts per status, members at risk, any member's status on any date)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.services.recompute import status_of
from cpe.models import ReviewStatus, TranscriptEntry
from imaportal.exceptions import NotFound
from imaportal.validation import FormDateField
from members.models import CertificationStatus, Member
from members.selectors import has_staff_power, own_member
from policy.selectors import policy_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """My certification status: what to do next, this year's progress, past years."""
    try:
        member = own_member(request.user)
    except NotFound:
        raise Http404(_("This account has no member profile.")) from None
    today = timezone.localdate()
    result = status_of(member, as_of=today)
    current = result.years[-1] if result.years and result.years[-1].year == today.year else None
    percent = 0
    if result.required_hours and result.available_hours is not None:
        percent = min(100, int(result.available_hours * 100 / result.required_hours))
    elif result.required_hours == 0:
        percent = 100
    return render(
        request,
        "certification/status/dashboard.html",
        {
            "member": member,
            "result": result,
            "status_label": CertificationStatus(result.status.value).label,
            "current": current,
            "past": [row for row in result.years if row.year < today.year][::-1],
            "percent": percent,
            "today": today,
        },
    )


class LookupForm(forms.Form):
    member = forms.CharField(label=_("Member number or email"), max_length=254)
    as_of = FormDateField(
        label=_("Status on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


AT_RISK_LIMIT = 100


@login_required
def staff_overview(request: HttpRequest) -> HttpResponse:
    """Counts per status, members at risk, and any member's status on a chosen date."""
    if not has_staff_power(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    counts = dict(
        Member.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    rows = [(value, label, counts.get(value, 0)) for value, label in CertificationStatus.choices]
    not_computed = counts.get("", 0)
    makeup = Member.objects.filter(status=CertificationStatus.INACTIVE_MAKEUP).select_related(
        "user"
    )
    short: list[Member] = []
    requirement = policy_for(today.year).annual_hours
    in_q4 = today.month >= 10
    if in_q4:
        earned = (
            TranscriptEntry.objects.filter(
                member=OuterRef("pk"),
                review_status=ReviewStatus.APPROVED,
                completed_on__year=today.year,
            )
            .values("member")
            .annotate(total=Sum("credit_hours"))
            .values("total")
        )
        short = list(
            Member.objects.filter(
                status=CertificationStatus.ACTIVE, certified_on__lt=dt.date(today.year, 1, 1)
            )
            .annotate(
                earned=Coalesce(Subquery(earned), Value(Decimal("0")), output_field=DecimalField())
            )
            .filter(earned__lt=requirement)
            .select_related("user")
            .order_by("earned", "member_number")[:AT_RISK_LIMIT]
        )
    lookup: dict[str, Any] | None = None
    form = LookupForm(request.GET or None)
    if form.is_valid():
        key = form.cleaned_data["member"].strip()
        as_of = form.cleaned_data["as_of"] or today
        found = (
            Member.objects.select_related("user")
            .filter(Q(member_number=key) | Q(user__email__iexact=key))
            .first()
        )
        if found is None:
            form.add_error("member", _("No member with this number or email."))
        else:
            result = status_of(found, as_of=as_of)
            lookup = {
                "member": found,
                "as_of": as_of,
                "result": result,
                "status_label": CertificationStatus(result.status.value).label,
            }
    return render(
        request,
        "certification/status/staff_overview.html",
        {
            "rows": rows,
            "not_computed": not_computed,
            "makeup": makeup[:AT_RISK_LIMIT],
            "makeup_count": makeup.count(),
            "short": short,
            "in_q4": in_q4,
            "requirement": requirement,
            "form": form,
            "lookup": lookup,
            "today": today,
        },
    )
