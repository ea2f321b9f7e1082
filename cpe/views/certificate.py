"""Start from your certificate (issue 18): Add Transcript filled in from the certificate
the member chose or dropped. The certificate is read with the prefill reader (the API's
``POST .../activities/prefill/`` reads with the same one), kept as held evidence so it
becomes the entry's evidence without being chosen twice, and the page shows what was read
with each filled field marked for the member to check. Nothing is saved here: the entry
exists only once the member presses "Submit for review"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_POST

from cpe.forms import CertificateForm, EntryForm
from cpe.models import SELF_REPORT_CHOICES
from cpe.prefill import read_certificate, reading_message, text_of_pdf
from cpe.views import held_evidence
from imaportal.web import member_required, today
from members.models import Member

SELF_REPORT_TYPES = frozenset(str(value) for value, _label in SELF_REPORT_CHOICES)


def _read(upload: UploadedFile[bytes]) -> tuple[dict[str, Any], str | None]:
    """The form values a certificate states, and the reader's message when it gave none."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    text = text_of_pdf(data) if data.startswith(b"%PDF-") else ""
    prefill = read_certificate(text, get_language() or "")
    values = _form_values(prefill.fields)
    return values, reading_message(text, prefill) if not values else None


def _form_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The reader's fields (named as the API takes them) as Add Transcript's initial values;
    one the form cannot show is left for the member to fill in."""
    values: dict[str, Any] = {}
    for name, value in fields.items():
        try:
            if name == "completed_on":
                values[name] = dt.date.fromisoformat(str(value))
            elif name == "recommended_hours":
                values[name] = Decimal(str(value))
            elif name == "activity_type" and value not in SELF_REPORT_TYPES:
                continue
            elif name in EntryForm.base_fields:
                values[name] = value
        except (ValueError, InvalidOperation):
            continue
    return values


@member_required
@require_POST
def entry_from_certificate(request: HttpRequest, member: Member) -> HttpResponse:
    """Read the chosen certificate and show Add Transcript filled in from it. A refused file
    (type, size) is named in the error summary; a certificate kept before stays kept, and
    its fields are shown again."""
    chosen = CertificateForm(request.POST, request.FILES)
    previous = request.POST.get("evidence_token", "")
    status = None
    if chosen.is_valid():
        upload: UploadedFile[bytes] = chosen.cleaned_data["certificate"]
        values, status = _read(upload)
        held_evidence.release(request, previous)
        held = held_evidence.hold(request, upload)
        certificate_form = CertificateForm()
    else:
        kept = held_evidence.take(request, previous)
        values = _read(kept)[0] if kept is not None else {}
        held = held_evidence.lookup(request, previous)
        certificate_form = chosen
    if values and held is not None:
        status = ngettext(
            "We read %(count)s field from %(name)s; check it before you submit.",
            "We read %(count)s fields from %(name)s; check them before you submit.",
            len(values),
        ) % {"count": len(values), "name": held["name"]}
    form = EntryForm(initial={"completed_on": today(), **values})
    form.read_names = frozenset(values)
    context = {
        "form": form,
        "entry": None,
        "member": member,
        "held": held,
        "certificate_form": certificate_form,
        "certificate_status": status,
        "form_action": reverse("cpe:entry_add"),
    }
    return render(request, "cpe/entry_form.html", context)
