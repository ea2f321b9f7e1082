"""Status pages: the member's dashboard (status card, progress, ledger) and the staff
overview (counts per status, members at risk, any member's status on any date)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification import selectors
from certification.charts import YearChart, month_chart, year_chart
from certification.services.recompute import status_of
from certification.status import Credit, YearRow, pending_review
from imaportal import web
from imaportal.validation import FormDateField
from imaportal.web import member_required, staff_required
from members.choices import CertificationStatus
from members.models import Member


def shows_ethics(rows: Iterable[YearRow]) -> bool:
    """Whether a ledger shows the ethics columns: some year has an ethics requirement."""
    return any(row.ethics_required > 0 for row in rows)


def year_chart_summary(chart: YearChart) -> str:
    """What the hours chart shows, in words: its accessible name."""
    parts = []
    for bar in chart.bars:
        if bar.exempt:
            part = gettext("%(year)s: exempt, %(earned)s hours earned.")
        elif bar.in_progress:
            part = gettext("%(year)s: %(earned)s of %(required)s hours so far.")
        else:
            part = gettext("%(year)s: %(earned)s of %(required)s hours.")
        parts.append(part % {"year": bar.year, "earned": bar.earned, "required": bar.required})
    # Whole sentences, each with its own full stop in the language's punctuation.
    return " ".join([gettext("Hours earned per year against the requirement."), *parts])


@member_required
def dashboard(request: HttpRequest, member: Member) -> HttpResponse:
    """My certification status: what to do next, this year's progress, what is waiting
    (pending entries, open requests), the latest entries and past years."""
    today = web.today()
    result = status_of(member, as_of=today)
    current = result.years[-1] if result.years and result.years[-1].year == today.year else None
    percent = 0
    if result.required_hours and result.available_hours is not None:
        percent = min(100, int(result.available_hours * 100 / result.required_hours))
    elif result.required_hours == 0:
        percent = 100
    waiting = selectors.waiting_for(member)
    pending = pending_review(
        [Credit(e.completed_on, e.credit_hours) for e in waiting.pending],
        certified_on=member.certified_on,
        as_of=today,
    )
    past = [row for row in result.years if row.year < today.year]
    chart = year_chart(result.years)
    return render(
        request,
        "certification/status/dashboard.html",
        {
            "member": member,
            "result": result,
            "status_label": CertificationStatus(result.status.value).label,
            "current": current,
            "past": past,
            "ethics": shows_ethics(result.years),
            "percent": percent,
            "pending_reason": pending,
            "waiting": waiting,
            "today": today,
            "chart": chart,
            "chart_summary": year_chart_summary(chart),
            "links": [
                (link, request.build_absolute_uri(link.get_absolute_url()))
                for link in selectors.live_links_of(member)
            ],
        },
    )


STATUS_ORDER = [value for value, _label in CertificationStatus.choices] + [""]


class LookupForm(forms.Form):
    member = forms.CharField(label=_("Member number or email"), max_length=254)
    as_of = FormDateField(
        label=_("Status on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


@staff_required
def staff_overview(request: HttpRequest) -> HttpResponse:
    """Counts per status, members at risk, and any member's status on a chosen date."""
    on = web.today()
    overview = selectors.staff_overview(today=on)
    lookup: dict[str, Any] | None = None
    form = LookupForm(request.GET or None)
    if form.is_valid():
        as_of = form.cleaned_data["as_of"] or on
        found = selectors.member_by_number_or_email(form.cleaned_data["member"])
        if found is None:
            form.add_error("member", _("No member with this number or email."))
        else:
            result = status_of(found, as_of=as_of)
            lookup = {
                "member": found,
                "as_of": as_of,
                "result": result,
                "status_label": CertificationStatus(result.status.value).label,
                "ethics": shows_ethics(result.years),
            }
    return render(
        request,
        "certification/status/staff_overview.html",
        {
            **vars(overview),
            "form": form,
            "lookup": lookup,
            "today": on,
            "statuses": [
                (v, CertificationStatus(v).label if v else _("Not yet computed"))
                for v in STATUS_ORDER
            ],
            "history_chart": month_chart(overview.history, STATUS_ORDER),
            "history_rows": [
                (m.month, [m.counts.get(v, 0) for v in STATUS_ORDER], m.total)
                for m in overview.history
            ],
        },
    )
