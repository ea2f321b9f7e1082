"""Transcript downloads: the signed-in member's CSV transcript and the staff CSV of every
member's entries. The views parse ``?year=``, load with the selectors and hand the objects
to the pure functions of ``cpe.exports``. The PDF transcript, which carries the certification
status, is served by ``certification.views.transcript`` with the helpers below."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cpe import exports, selectors
from imaportal.exceptions import InvalidInput
from imaportal.validation import MAX_YEAR, MIN_YEAR, query_year
from imaportal.web import member_required, staff_required
from members.models import Member

_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9_-]")


class BadYear(Exception):
    """``?year=`` is not a year in the supported range."""


def year_param(request: HttpRequest) -> int | None:
    """``?year=`` as a year in the supported range, ``None`` when absent or empty."""
    try:
        return query_year(request.GET.get("year"))
    except InvalidInput:
        raise BadYear from None


def bad_year() -> HttpResponse:
    return HttpResponseBadRequest(
        _("The year must be a four-digit calendar year between %(min)s and %(max)s, such as 2026.")
        % {"min": MIN_YEAR, "max": MAX_YEAR},
        content_type="text/plain; charset=utf-8",
    )


def attachment(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download_name(*parts: object, ext: str) -> str:
    cleaned = [_UNSAFE_IN_FILENAME.sub("_", str(p)) for p in parts]
    return "-".join(cleaned) + f".{ext}"


@never_cache
@require_safe
@member_required
def transcript_csv(request: HttpRequest, member: Member) -> HttpResponse:
    """The member's own transcript entries as CSV, every review status, one row each."""
    try:
        year = year_param(request)
    except BadYear:
        return bad_year()
    entries = selectors.transcript(member, year=year)
    return attachment(
        exports.transcript_csv(member=member, entries=entries, year=year),
        content_type="text/csv; charset=utf-8",
        filename=download_name("transcript", member.member_number, year or "all", ext="csv"),
    )


@never_cache
@require_safe
@staff_required
def staff_transcripts_csv(request: HttpRequest) -> HttpResponse:
    """Every member's entries as CSV for staff (members get 403), in one query."""
    try:
        year = year_param(request)
    except BadYear:
        return bad_year()
    entries = selectors.entries_visible_to(request.user)
    if year is not None:
        entries = entries.filter(completed_on__year=year)
    entries = entries.order_by("member__member_number", "completed_on", "id")
    return attachment(
        exports.staff_transcripts_csv(entries=entries.iterator(chunk_size=2000)),
        content_type="text/csv; charset=utf-8",
        filename=download_name("transcripts", year or "all", ext="csv"),
    )
