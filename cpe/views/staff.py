"""Staff pages of the CPE app: the review queue with bulk approval, the review of one entry
(inputs, credit, evidence, history, approve/reject) and the attendance import of an IMA
offering. Every page is for signed-in staff only; the writes go through ``cpe.services``."""

from __future__ import annotations

import csv
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from audit.selectors import object_history
from cpe import selectors
from cpe.credit import FIELDS_BY_TYPE, ActivityType, attendance_refusal
from cpe.forms import EntryDecisionForm, EntryForm
from cpe.models import SELF_REPORT_CHOICES, Offering, ReviewStatus, TranscriptEntry
from cpe.services import attendance_file, entries, offerings
from imaportal.exceptions import Conflict, InvalidInput
from imaportal.formatting import hours
from imaportal.web import add_form_errors, or_404, report, staff_required, today
from members.models import User

QUEUE_PAGE_SIZE = 100
ATTENDANCE_MAX_BYTES = 2 * 1024 * 1024
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg"})


def _staff_user(request: HttpRequest) -> User:
    return cast(User, request.user)


# -- Review queue -------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    activity_type = forms.ChoiceField(
        label=gettext_lazy("Activity type"),
        required=False,
        choices=[("", gettext_lazy("All types")), *SELF_REPORT_CHOICES],
    )
    older_than_days = forms.IntegerField(
        label=gettext_lazy("Submitted at least this many days ago"),
        required=False,
        min_value=0,
        max_value=3650,
    )
    member = forms.CharField(
        label=gettext_lazy("Member number, email or last name"),
        required=False,
        max_length=200,
    )


MAX_ID = 2_147_483_647


def _id(value: str) -> int | None:
    """A database id or version from a form value; ``None`` for anything else."""
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        return None
    return int(value)


def _selected(request: HttpRequest) -> dict[int, int | None]:
    """The ticked entries and the version each row was shown with (the hidden
    ``version_<id>`` of its row; none from an older page, then nothing is compared)."""
    selected: dict[int, int | None] = {}
    for value in request.POST.getlist("entry_ids"):
        pk = _id(value)
        if pk is not None:
            selected[pk] = _id(request.POST.get(f"version_{pk}", ""))
    return selected


def _bulk_approve(request: HttpRequest) -> HttpResponse:
    back = request.get_full_path()
    selected = _selected(request)
    if not selected:
        messages.error(request, _("Select at least one entry to approve."))
        return redirect(back)
    result = entries.bulk_approve(
        entry_ids=sorted(selected),
        versions={pk: v for pk, v in selected.items() if v is not None},
        by=_staff_user(request),
    )
    if result.approved:
        count = len(result.approved)
        messages.success(
            request,
            ngettext("%(count)d entry approved.", "%(count)d entries approved.", count)
            % {"count": count},
        )
    if result.skipped:
        count = len(result.skipped)
        messages.warning(
            request,
            ngettext(
                "%(count)d entry skipped because it is no longer pending: %(ids)s.",
                "%(count)d entries skipped because they are no longer pending: %(ids)s.",
                count,
            )
            % {"count": count, "ids": ", ".join(f"#{pk}" for pk in result.skipped)},
        )
    if result.stale:
        count = len(result.stale)
        messages.warning(
            request,
            ngettext(
                "%(count)d entry was changed by the member after the queue was shown and was "
                "not approved: %(titles)s. Review it again.",
                "%(count)d entries were changed by the member after the queue was shown and "
                "were not approved: %(titles)s. Review them again.",
                count,
            )
            % {"count": count, "titles": ", ".join(f"“{e.title}”" for e in result.stale)},
        )
    return redirect(back)


@staff_required
@require_http_methods(["GET", "POST"])
def review_queue(request: HttpRequest) -> HttpResponse:
    """Pending entries, oldest first, with filters and bulk approval."""
    if request.method == "POST":
        return _bulk_approve(request)
    form = QueueFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # invalid filters are shown with their error and ignored
        filters = form.cleaned_data
    queue = selectors.review_queue(
        activity_type=filters.get("activity_type") or "",
        member_query=(filters.get("member") or "").strip(),
        older_than_days=filters.get("older_than_days"),
        today=today(),
    )
    page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(value not in (None, "") for value in filters.values())
    return render(
        request,
        "cpe/staff/review_queue.html",
        {"form": form, "page": page, "entries": page.object_list, "filtered": filtered},
    )


# -- Review of one entry ------------------------------------------------------------------


def _entry_or_404(request: HttpRequest, entry_id: int) -> TranscriptEntry:
    return or_404(selectors.entry_for, user=request.user, entry_id=entry_id)


def _display(value: object) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or value == "":
        return "—"
    return str(value)


def _inputs(entry: TranscriptEntry) -> list[tuple[str, str]]:
    """The entry's inputs for its activity type, labelled as on the member's form."""
    try:
        names = FIELDS_BY_TYPE[ActivityType(entry.activity_type)]
    except ValueError:
        names = ()
    labels = EntryForm.base_fields
    rows = [(str(labels[name].label), _display(getattr(entry, name))) for name in names]
    rows.append((str(labels["ethics"].label), _display(entry.ethics)))
    return rows


def _decide(
    request: HttpRequest, entry: TranscriptEntry, form: EntryDecisionForm
) -> HttpResponse | None:
    """Apply the decision; a response when done, ``None`` to show the form again."""
    action = request.POST.get("action", "")
    if action not in ("approve", "reject"):
        form.add_error(None, _("Choose whether to approve or reject the entry."))
        return None
    if not form.is_valid():
        return None
    reason = form.cleaned_data["reason"]
    version = form.cleaned_data.get("version")
    user = _staff_user(request)
    try:
        if action == "approve":
            entry = entries.approve_entry(entry=entry, by=user, reason=reason, version=version)
            message = _("Approved “%(title)s” for %(member)s: %(hours)s hours.")
        else:
            entry = entries.reject_entry(entry=entry, by=user, reason=reason, version=version)
            message = _("Rejected “%(title)s” for %(member)s; the member is told the reason.")
    except InvalidInput as exc:
        add_form_errors(form, exc)
        return None
    except entries.StaleVersion as exc:
        # Nothing was decided: the page shows the entry as it is now, with this message.
        form.add_error(None, exc.message)
        return None
    except Conflict as exc:
        report(request, exc)
        return redirect("cpe:review_queue")
    messages.success(
        request,
        message
        % {
            "title": entry.title,
            "member": entry.member.full_name or entry.member.member_number,
            "hours": hours(entry.credit_hours),
        },
    )
    return redirect("cpe:review_queue")


@staff_required
@require_http_methods(["GET", "POST"])
def review_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """One entry with its inputs, credit, evidence and history; approve or reject it. The
    form carries the version it shows, so a decision never applies to a later change."""
    entry = _entry_or_404(request, entry_id)
    form = EntryDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        response = _decide(request, entry, form)
        if response is not None:
            return response
        entry = _entry_or_404(request, entry_id)  # as it is now (it may have changed)
    evidence_url = (
        reverse("cpe:entry_evidence", kwargs={"entry_id": entry.pk}) if entry.evidence else ""
    )
    return render(
        request,
        "cpe/staff/review_entry.html",
        {
            "entry": entry,
            "form": form,
            "inputs": _inputs(entry),
            "events": entry.events.select_related("by"),
            "pending": entry.review_status == ReviewStatus.PENDING,
            "evidence_url": evidence_url,
            "evidence_is_pdf": entry.evidence_content_type == "application/pdf",
            "evidence_is_image": entry.evidence_content_type in INLINE_IMAGE_TYPES,
            "history": object_history(entry, page=request.GET.get("history_page", 1)),
        },
    )


# -- Attendance import --------------------------------------------------------------------


class AttendanceForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Attendance file (CSV, UTF-8, at most 2 MB)"),
        help_text=gettext_lazy(
            "One attendee per row: the member number or the email address in the first "
            "column. A header row is optional."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def clean_file(self) -> str:
        """The file's text; refused when too large or not UTF-8."""
        upload = cast("UploadedFile[bytes]", self.cleaned_data["file"])
        if (upload.size or 0) > ATTENDANCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is 2 MB. Split it into smaller files."),
                params={"size": (upload.size or 0) / 1_048_576},
            )
        try:
            # utf-8-sig: spreadsheet programs often start a UTF-8 CSV with a byte-order mark.
            content: bytes = upload.read()
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _(
                    "The file is not UTF-8 text. Save it from your spreadsheet as "
                    "“CSV UTF-8” and upload it again."
                )
            ) from None


def _offering_or_404(offering_id: int) -> Offering:
    return or_404(selectors.offering_for, offering_id)


def _import(request: HttpRequest, offering: Offering, form: AttendanceForm) -> HttpResponse | None:
    """Record the attendance; a response when done, ``None`` to show the form again."""
    if not form.is_valid():
        return None
    try:
        members = attendance_file.members_from_attendance_csv(form.cleaned_data["file"])
        result = offerings.record_attendance(
            offering=offering, members=members, by=_staff_user(request)
        )
    except InvalidInput as exc:
        for field, errors in exc.errors.items():
            form.add_error("file" if field == "file" else None, errors)
        return None
    except csv.Error as exc:
        form.add_error("file", _("The file could not be read as CSV: %(error)s.") % {"error": exc})
        return None
    messages.success(
        request,
        _(
            "Attendance of “%(title)s” recorded. New transcript entries: %(posted)d; "
            "already on record: %(already)d; walk-ins enrolled at no charge: %(walk_ins)d."
        )
        % {
            "title": offering.title,
            "posted": result.posted,
            "already": result.already_recorded,
            "walk_ins": result.walk_ins,
        },
    )
    return redirect("cpe:attendance_import", offering_id=offering.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def attendance_import(request: HttpRequest, offering_id: int) -> HttpResponse:
    """Upload the attendance list of an IMA offering; it posts the credit at once."""
    offering = _offering_or_404(offering_id)
    refusal = attendance_refusal(
        starts_on=offering.starts_on, cpe_hours=offering.cpe_hours, today=today()
    )
    if refusal is not None:  # the offerings page offers no import for it either
        return render(
            request,
            "cpe/staff/attendance_import.html",
            {"offering": offering, "refusal": refusal, "today": today()},
            status=409,
        )
    if request.method == "POST":
        form = AttendanceForm(request.POST, request.FILES)
        response = _import(request, offering, form)
        if response is not None:
            return response
    else:
        form = AttendanceForm()
    return render(
        request,
        "cpe/staff/attendance_import.html",
        {"offering": offering, "form": form, "today": today()},
    )
