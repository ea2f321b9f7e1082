"""The member's PDF transcript (``/transcript/export.pdf``): the entries of the transcript
with the certification status summary the dashboard shows, computed by the one status
engine and handed to ``cpe.pdf.transcript`` as plain values (``StatusSummary``).

Every download makes a fresh verification link (audit-recorded, listed on My status where
the member may revoke it) whose address the PDF carries as a QR code and as text (issue 18)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from certification import selectors
from certification.models import VerificationLink
from certification.services import verification
from certification.services.recompute import status_of
from certification.status import StatusResult, pending_hours
from cpe import selectors as cpe_selectors
from cpe.pdf.summary import ZERO, StatusSummary, SummaryYear
from cpe.pdf.transcript import transcript_pdf as render_pdf
from cpe.views.exports import BadYear, attachment, bad_year, download_name, year_param
from imaportal.reasons import render
from imaportal.web import member_required, today
from members.choices import CertificationStatus
from members.models import Member


def status_summary(
    member: Member, result: StatusResult, *, as_of: dt.date, year: int | None
) -> StatusSummary:
    """The engine's ``result`` as the PDF shows it: the status and next step in words, the
    hours carried in to the current year, the pending hours that would count toward it, and
    the reporting years (only ``year`` when given)."""
    latest = result.years[-1] if result.years else None
    pending = pending_hours(
        selectors.pending_credits(member), certified_on=member.certified_on, as_of=as_of
    )
    return StatusSummary(
        status=str(CertificationStatus(result.status.value).label),
        next_step=render(result.next_step),
        carried_in=latest.carried_in if latest else ZERO,
        pending=pending,
        years=tuple(
            SummaryYear(
                year=row.year,
                required=row.required,
                earned=row.earned,
                carried_in=row.carried_in,
                exempt=row.exempt,
                ethics_required=row.ethics_required,
                ethics_earned=row.ethics_earned,
            )
            for row in result.years
            if year is None or row.year == year
        ),
    )


def public_url(link: VerificationLink) -> str:
    """The link's absolute address at the portal's public URL (``settings.PORTAL_URL``,
    not the request's host: the paper outlives the request it was printed from)."""
    return str(settings.PORTAL_URL).rstrip("/") + link.get_absolute_url()


@never_cache
@require_safe
@member_required
def transcript_pdf(request: HttpRequest, member: Member) -> HttpResponse:
    """The member's own transcript as a tagged PDF (all years or ``?year=``) with the
    status summary as of today and a new verification link."""
    try:
        year = year_param(request)
    except BadYear:
        return bad_year()
    on = today()
    summary = status_summary(member, status_of(member, as_of=on), as_of=on, year=year)
    groups = cpe_selectors.year_totals(cpe_selectors.transcript(member, year=year))
    link = verification.create_link(member=member, by=member.user)
    pdf = render_pdf(
        member=member,
        summary=summary,
        groups=groups,
        year=year,
        generated_on=on,
        verification_url=public_url(link),
    )
    return attachment(
        pdf,
        content_type="application/pdf",
        filename=download_name("transcript", member.member_number, year or "all", ext="pdf"),
    )
