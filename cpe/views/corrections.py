"""Member pages that keep an entry from being a dead end: "Correct and resubmit" a rejected
entry (Add Transcript prefilled from it) and "Add evidence" to a pending entry. Only the
entry's owner uses them; anyone else gets 404."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cpe import selectors
from cpe.forms import EntryForm, EvidenceForm
from cpe.models import TranscriptEntry
from cpe.services import corrections, entries
from cpe.views import held_evidence
from imaportal.exceptions import Conflict, InvalidInput
from imaportal.formatting import hours
from imaportal.web import add_form_errors, member_required, or_404, report
from members.models import Member, User


def _own_entry_or_404(request: HttpRequest, member: Member, entry_id: int) -> TranscriptEntry:
    entry = or_404(selectors.entry_for, user=request.user, entry_id=entry_id)
    if entry.member_id != member.pk:
        raise Http404
    return entry


@member_required
def entry_resubmit(request: HttpRequest, member: Member, entry_id: int) -> HttpResponse:
    """Correct and resubmit: the Add Transcript form prefilled from a rejected entry."""
    rejected = _own_entry_or_404(request, member, entry_id)
    if not rejected.resubmittable:
        messages.error(request, _("Only a rejected entry can be corrected and resubmitted."))
        return redirect("cpe:entry_detail", entry_id=rejected.pk)
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = corrections.resubmit_entry(
                    rejected=rejected,
                    data=entries.activity_input(form.activity_values()),
                    provider=form.cleaned_data.get("provider") or "",
                    evidence=held_evidence.evidence_to_save(request, form),
                    by=cast(User, request.user),
                )
                messages.success(
                    request,
                    _("Corrected entry submitted for review: %(hours)s hours pending.")
                    % {"hours": hours(saved.credit_hours)},
                )
                held_evidence.release(request, request.POST.get("evidence_token", ""))
                return redirect("cpe:entry_detail", entry_id=saved.pk)
            except InvalidInput as exc:
                form.add_rule_errors(exc)
            except Conflict as exc:
                report(request, exc)
                return redirect("cpe:entry_detail", entry_id=rejected.pk)
    else:
        initial: dict[str, Any] = {name: getattr(rejected, name) for name in entries.INPUT_FIELDS}
        initial["provider"] = rejected.provider
        form = EntryForm(initial=initial)
    return render(
        request,
        "cpe/entry_form.html",
        {
            "form": form,
            "entry": None,
            "member": member,
            "rejected": rejected,
            "held": held_evidence.for_retry(request, form) if form.errors else None,
        },
    )


@member_required
@require_POST
def entry_add_evidence(request: HttpRequest, member: Member, entry_id: int) -> HttpResponse:
    """Attach or replace the evidence of the member's own pending entry."""
    entry = _own_entry_or_404(request, member, entry_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            corrections.add_evidence(
                entry=entry, evidence=form.cleaned_data["evidence"], by=cast(User, request.user)
            )
            messages.success(request, _("Evidence added; it is reviewed with the entry."))
            return redirect(reverse("cpe:entry_detail", kwargs={"entry_id": entry.pk}))
        except InvalidInput as exc:
            add_form_errors(form, exc)
        except Conflict as exc:
            report(request, exc)
            return redirect(reverse("cpe:entry_detail", kwargs={"entry_id": entry.pk}))
    for problem in form.errors.get("evidence", []) or form.non_field_errors():
        messages.error(request, str(problem))
    return redirect(reverse("cpe:entry_detail", kwargs={"entry_id": entry.pk}))
