"""The member's official CPE transcript as a tagged PDF: who it is for, the certification
status summary (status, what to do next, carried-in hours, hours waiting for review, and
each reporting year's required and earned hours), then the approved entries per calendar
year with the year's approved total and the pending and rejected hours beside it.

Beside who it is for and the date it was issued stands a QR code of a verification link
made for this download, with the link's address written out under it: whoever holds the
paper can check the member's status and hours today. The link comes as a plain string
(``cpe`` does not know verification links; ``certification`` makes them).

A pure function over values the view has loaded (no queries, no clock); dates and hours are
written through ``imaportal.formatting`` in the active language, which is also the PDF's
``/Lang``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import LETTER  # type: ignore[import-untyped]

from cpe.models import ReviewStatus
from cpe.pdf.fonts import REGULAR, Style, Typesetter
from cpe.pdf.layout import GREY, NAVY, WIDTH, Column, Layout, Row
from cpe.pdf.qr import draw_qr
from cpe.pdf.summary import StatusSummary
from cpe.pdf.tagged import TaggedDocument
from cpe.selectors import YearTotals
from imaportal.formatting import day, hours
from members.models import Member

BODY = Style()
NOTE = Style(size=8, leading=10.5)
H1 = Style(size=15, bold=True, leading=19)
H2 = Style(size=12, bold=True, leading=15)
H3 = Style(size=10.5, bold=True, leading=13)
SUBTITLE = Style(size=11, leading=14)
QR_SIZE = 76.0  # points: about 27 mm, a version 5 code's modules 1.6 points wide
QR_GAP = 12.0


def pdf_language() -> str:
    """The active language as a BCP 47 tag for ``/Lang`` ("en", "nb", "zh-Hans")."""
    return to_locale(get_language() or "en").replace("_", "-")


def transcript_pdf(
    *,
    member: Member,
    summary: StatusSummary,
    groups: Sequence[YearTotals],
    year: int | None,
    generated_on: dt.date,
    verification_url: str,
) -> bytes:
    """The transcript of ``member`` (the entries of ``year`` only when given) as PDF bytes,
    issued on ``generated_on`` with ``verification_url`` (absolute) as QR code and text."""
    title = _("Institute of Management Accountants — CPE Transcript")
    typesetter = Typesetter()  # registers the fonts
    doc = TaggedDocument(
        pagesize=LETTER,
        title=title,
        author=_("Institute of Management Accountants"),
        subject=_("CPE transcript of member %(number)s") % {"number": member.member_number},
        lang=pdf_language(),
        font=REGULAR,
    )
    footer_text = _("IMA CPE transcript · member %(number)s · issued %(date)s") % {
        "number": member.member_number,
        "date": day(generated_on),
    }
    layout = Layout(
        doc, lambda page: (footer_text, _("Page %(page)s") % {"page": page}), typesetter
    )
    layout.text("H1", title, H1, after=2)
    layout.text("P", _("Record of continuing professional education (CPE)"), SUBTITLE, color=NAVY)
    layout.rule()
    top = layout.y
    _member_block(layout, member=member, year=year, generated_on=generated_on)
    _verification(layout, verification_url, top=top)
    _status_summary(layout, summary)
    _entries(layout, groups)
    layout.text(
        "P",
        _(
            "Only approved entries count toward CMA certification requirements. Entries "
            "pending review and rejected entries are not included in the approved totals."
        ),
        NOTE,
    )
    return layout.finish()


def _member_block(
    layout: Layout, *, member: Member, year: int | None, generated_on: dt.date
) -> None:
    certified = day(member.certified_on) if member.certified_on else _("Not a CMA")
    rows = [
        (_("Member"), member.full_name or member.email),
        (_("Member number"), member.member_number),
        (_("CMA certified on"), certified),
        (_("Period"), str(year) if year is not None else _("All years")),
        (_("Issued on"), day(generated_on)),
    ]
    for label, value in rows:
        text = _("%(label)s: %(value)s") % {"label": label, "value": value}
        layout.text("P", text, BODY, after=1, width=WIDTH - QR_SIZE - QR_GAP)
    layout.y -= 4


def _verification(layout: Layout, url: str, *, top: float) -> None:
    """The QR code of ``url`` flush right beside the member block (from ``top``), then the
    address written out under both."""
    layout.figure(
        _("QR code of the verification link %(url)s") % {"url": url},
        lambda x, y, size: draw_qr(layout.canvas, url, x=x, y=y, size=size),
        size=QR_SIZE,
        top=top,
    )
    layout.y = min(layout.y, top - QR_SIZE - 2)
    layout.text(
        "P",
        _("Check this member's CMA status and approved hours today: scan the code or open %(url)s")
        % {"url": url},
        NOTE,
        color=GREY,
        after=12,
    )


def _status_summary(layout: Layout, summary: StatusSummary) -> None:
    """The status as the dashboard shows it, from the one status engine."""
    layout.text("H2", _("Status summary"), H2, color=NAVY)
    layout.text("P", _("Status: %(status)s") % {"status": summary.status}, Style(bold=True))
    if summary.next_step:
        layout.text("P", summary.next_step, BODY)
    layout.text("P", _("Carried-in hours: %(hours)s") % {"hours": hours(summary.carried_in)}, BODY)
    if summary.pending > 0:
        layout.text(
            "P",
            _("Hours waiting for review: %(hours)s") % {"hours": hours(summary.pending)},
            BODY,
        )
    layout.y -= 4
    if not summary.years:
        layout.text("P", _("No reporting years yet."), BODY, after=12)
        return
    columns = [
        Column(_("Year"), 62, row_header=True),
        Column(_("Required hours"), 86, numeric=True),
        Column(_("Earned hours"), 86, numeric=True),
        Column(_("Carried in"), 86, numeric=True),
    ]
    if summary.ethics:
        columns += [
            Column(_("Ethics required"), 86, numeric=True),
            Column(_("Ethics earned"), 86, numeric=True),
        ]
    rows = []
    for row in summary.years:
        required = _("Exempt") if row.exempt and not row.required else hours(row.required)
        cells = [str(row.year), required, hours(row.earned), hours(row.carried_in)]
        if summary.ethics:
            cells += [hours(row.ethics_required), hours(row.ethics_earned)]
        rows.append(Row(cells))
    layout.table(columns, rows)


# Date, activity, provider, type, hours, ethics: 492 points.
def _entry_columns() -> list[Column]:
    return [
        Column(_("Date"), 80),
        Column(_("Activity"), 146),
        Column(_("Provider"), 100),
        Column(_("Type"), 88),
        Column(_("Hours"), 42, numeric=True),
        Column(_("Ethics"), 36),
    ]


def _entries(layout: Layout, groups: Sequence[YearTotals]) -> None:
    """Per calendar year: a heading, the approved entries with the year's approved total,
    and the year's ethics, pending and rejected hours."""
    layout.text("H2", _("Entries"), H2, color=NAVY)
    if not groups:
        layout.text("P", _("No CPE entries for this period."), BODY, after=12)
        return
    for group in groups:
        layout.room(H3.leading + 4 * (BODY.leading + 7))
        layout.text("H3", str(group.year), H3, color=NAVY)
        approved = [e for e in group.entries if e.review_status == ReviewStatus.APPROVED]
        rows = [
            Row(
                [
                    day(entry.completed_on),
                    entry.title,
                    entry.provider or "—",
                    str(entry.get_activity_type_display()),
                    hours(entry.credit_hours),
                    _("Yes") if entry.ethics else "",
                ]
            )
            for entry in approved
        ]
        if not approved:
            message = _("No approved entries in %(year)s.") % {"year": group.year}
            rows.append(Row(["", message, "", "", "", ""]))
        total = _("Approved hours in %(year)s") % {"year": group.year}
        rows.append(Row(["", total, "", "", hours(group.approved), ""], total=True))
        layout.table(_entry_columns(), rows)
        parts = [
            _("Ethics hours approved: %(hours)s") % {"hours": hours(group.ethics)},
            _("Pending review: %(hours)s hours") % {"hours": hours(group.pending)},
            _("Rejected: %(hours)s hours") % {"hours": hours(group.rejected)},
        ]
        layout.text("P", " · ".join(parts), NOTE, color=GREY, after=14)
