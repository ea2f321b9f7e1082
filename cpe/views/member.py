"""Member pages of the CPE app: Transcript Information, Add Transcript with the live credit
preview, entry detail/edit/withdraw, evidence download, offerings and enrollment."""

from __future__ import annotations

from typing import Any, cast

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from cpe import selectors
from cpe.api.views import evidence_response
from cpe.credit import attendance_refusal, certification_warning
from cpe.forms import CertificateForm, EntryForm
from cpe.models import TranscriptEntry
from cpe.services import entries
from cpe.services import offerings as offering_services
from cpe.views import held_evidence
from imaportal.exceptions import Conflict, InvalidInput, NotFound
from imaportal.formatting import hours, money
from imaportal.validation import query_year
from imaportal.web import member_required, or_404, report, today
from members.models import Member, User
from members.selectors import has_staff_power, own_member


def _entry_or_404(request: HttpRequest, entry_id: int) -> TranscriptEntry:
    return or_404(selectors.entry_for, user=request.user, entry_id=entry_id)


@member_required
def transcript(request: HttpRequest, member: Member) -> HttpResponse:
    """Transcript Information: entries by calendar year with approved/pending/rejected totals."""
    years = selectors.transcript_years(member)
    year: int | None = None
    try:
        wanted = query_year(request.GET.get("year"))
    except InvalidInput:
        wanted = None  # an unusable ?year= shows every year, as an unknown one does
    if wanted in years:
        year = wanted
    groups = selectors.year_totals(selectors.transcript(member, year=year))
    return render(
        request,
        "cpe/transcript.html",
        {"member": member, "years": years, "year": year, "groups": groups},
    )


def _entry_form_page(
    request: HttpRequest, *, member: Member, entry: TranscriptEntry | None
) -> HttpResponse:
    user = cast(User, request.user)
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES)
        # Fields filled from a certificate stay marked "check it" when the form comes back.
        form.read_names = frozenset(request.POST.get("read_fields", "").split()) & set(form.fields)
        if form.is_valid():
            data = entries.activity_input(form.activity_values())
            provider = form.cleaned_data.get("provider") or ""
            evidence = held_evidence.evidence_to_save(request, form)
            try:
                if entry is None:
                    saved = entries.submit_entry(
                        member=member, data=data, provider=provider, evidence=evidence, by=user
                    )
                    messages.success(
                        request,
                        _("Entry submitted for review: %(hours)s hours pending.")
                        % {"hours": hours(saved.credit_hours)},
                    )
                else:
                    saved = entries.update_entry(
                        entry=entry, data=data, provider=provider, evidence=evidence, by=user
                    )
                    messages.success(request, _("Entry updated."))
                held_evidence.release(request, request.POST.get("evidence_token", ""))
                return redirect(f"{_transcript_url()}?year={saved.completed_on.year}")
            except InvalidInput as exc:
                form.add_rule_errors(exc)
            except Conflict as exc:
                report(request, exc)
                return redirect(_transcript_url())
    elif entry is not None:
        initial: dict[str, Any] = {name: getattr(entry, name) for name in entries.INPUT_FIELDS}
        initial["provider"] = entry.provider
        form = EntryForm(initial=initial)
    else:
        form = EntryForm(initial={"completed_on": today()})
    held = held_evidence.for_retry(request, form) if form.errors else None
    # A new entry may start from the member's certificate (cpe/views/certificate.py).
    certificate_form = CertificateForm() if entry is None else None
    return render(
        request,
        "cpe/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "member": member,
            "held": held,
            "certificate_form": certificate_form,
        },
    )


@member_required
def entry_add(request: HttpRequest, member: Member) -> HttpResponse:
    """Add Transcript: self-report an external CPE activity with evidence."""
    return _entry_form_page(request, member=member, entry=None)


@login_required
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_or_404(request, entry_id)
    if not entry.editable:
        messages.error(request, _("Only pending self-reported entries can be changed."))
        return redirect("cpe:entry_detail", entry_id=entry.pk)
    return _entry_form_page(request, member=entry.member, entry=entry)


@member_required
@require_POST
def entry_preview(request: HttpRequest, member: Member) -> HttpResponse:
    """The credit the entry would earn, computed by the same rule on the server."""
    form = EntryForm(request.POST)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        context["warning"] = certification_warning(
            completed_on=form.cleaned_data["completed_on"], certified_on=member.certified_on
        )
        raw_id = request.POST.get("entry_id", "")
        try:
            context["result"] = entries.preview_credit(
                member=member,
                data=entries.activity_input(form.activity_values()),
                exclude_id=int(raw_id) if raw_id.isdigit() else None,
                today=today(),
            )
        except InvalidInput as exc:
            context["problems"] = [form.page_words(m) for msgs in exc.errors.values() for m in msgs]
    else:
        context["problems"] = [m for msgs in form.errors.values() for m in msgs]
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "cpe/_preview.html", context)
    # Without JavaScript the "Preview credit" button shows the whole form again (still the
    # "Correct and resubmit" form when it came from one of the member's rejected entries).
    raw_rejected = request.POST.get("rejected_id", "")
    if raw_rejected.isdigit():
        rejected = member.entries.filter(pk=int(raw_rejected)).first()
        context["rejected"] = rejected if rejected and rejected.resubmittable else None
    context["held"] = held_evidence.lookup(request, request.POST.get("evidence_token", ""))
    # ...and its "Submit" goes where the form came from: the change of a pending entry, or
    # Add Transcript (never back to the preview).
    raw_id = request.POST.get("entry_id", "")
    entry = member.entries.filter(pk=int(raw_id)).first() if raw_id.isdigit() else None
    entry = entry if entry is not None and entry.editable else None
    context["form_action"] = (
        reverse("cpe:entry_edit", args=[entry.pk]) if entry else reverse("cpe:entry_add")
    )
    return render(request, "cpe/entry_form.html", {**context, "member": member, "entry": entry})


@login_required
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_or_404(request, entry_id)
    events = entry.events.select_related("by") if has_staff_power(request.user) else None
    return render(request, "cpe/entry_detail.html", {"entry": entry, "events": events})


@login_required
@require_http_methods(["GET", "POST"])
def entry_withdraw(request: HttpRequest, entry_id: int) -> HttpResponse:
    """GET asks first (the entry stays on record as withdrawn); POST withdraws."""
    entry = _entry_or_404(request, entry_id)
    if request.method == "GET":
        if not entry.editable:
            messages.error(request, _("Only pending self-reported entries can be withdrawn."))
            return redirect("cpe:entry_detail", entry_id=entry.pk)
        return render(request, "cpe/entry_withdraw.html", {"entry": entry})
    try:
        entries.withdraw_entry(entry=entry, by=cast(User, request.user))
        messages.success(request, _("The entry was withdrawn; it stays on record."))
    except Conflict as exc:
        report(request, exc)
    return redirect(f"{_transcript_url()}?year={entry.completed_on.year}")


@login_required
@xframe_options_sameorigin
# The review page shows PDF evidence in an <iframe>. (django-csp types its decorators for
# views that take the request only, hence the ignore.)
@csp_replace({"frame-ancestors": ["'self'"]})  # type: ignore[arg-type]
def entry_evidence(request: HttpRequest, entry_id: int) -> HttpResponseBase:
    """The evidence file, for its owner and staff only (404 for anyone else)."""
    entry = _entry_or_404(request, entry_id)
    return or_404(evidence_response, entry)


@login_required
def offerings(request: HttpRequest) -> HttpResponse:
    """IMA courses, webinars, events and conferences, with the member's enrollments."""
    try:
        member: Member | None = own_member(request.user)
    except NotFound:
        member = None
    enrolled = {e.offering_id: e for e in selectors.enrollments_of(member)} if member else {}
    rows = [(o, enrolled.get(o.pk)) for o in selectors.offerings()]
    # Staff import attendance only of offerings that took place and carry CPE hours.
    importable = {
        o.pk
        for o, _e in rows
        if attendance_refusal(starts_on=o.starts_on, cpe_hours=o.cpe_hours, today=today()) is None
    }
    return render(
        request,
        "cpe/offerings.html",
        {"rows": rows, "member": member, "importable": importable},
    )


@member_required
@require_http_methods(["GET", "POST"])
def offering_enroll(request: HttpRequest, member: Member, offering_id: int) -> HttpResponse:
    """GET shows what the member is about to buy (price, dates, CPE hours and the refund
    terms in force) with "Confirm enrollment"; POST enrolls at the listed price."""
    offering = or_404(selectors.offering_for, offering_id)
    if request.method == "GET":
        day = today()
        context = {
            "offering": offering,
            "today": day,
            "enrollment": selectors.enrollment_in(member, offering),
            "terms": selectors.refund_terms_of(offering, today=day),
        }
        return render(request, "cpe/enroll_confirm.html", context)
    try:
        enrollment = offering_services.enroll(
            offering=offering, member=member, by=cast(User, request.user)
        )
        messages.success(
            request,
            _("You are enrolled in “%(title)s” for %(price)s.")
            % {"title": offering.title, "price": money(enrollment.price, enrollment.currency)},
        )
    except (Conflict, InvalidInput) as exc:
        report(request, exc)
    return redirect("cpe:offerings")


def _transcript_url() -> str:
    from django.urls import reverse

    return reverse("cpe:transcript")
