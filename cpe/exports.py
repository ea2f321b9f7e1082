"""Transcript exports: the member's CSV and PDF transcript and the staff CSV of every
member's entries. Pure functions over objects the views have already loaded (no queries,
no clock): the views pass the entries, the year groups and the date of generation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

import reportlab  # type: ignore[import-untyped]
from django.utils.translation import gettext as _
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import LETTER  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import inch  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cpe.models import ReviewStatus, TranscriptEntry
from cpe.selectors import YearTotals
from members.models import Member

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ONE_PLACE = Decimal("0.1")

TRANSCRIPT_COLUMNS = (
    "member_number",
    "completed_on",
    "year",
    "title",
    "provider",
    "activity_type",
    "source",
    "credit_hours",
    "ethics",
    "review_status",
    "reason",
)
STAFF_COLUMNS = ("member_number", "member_name", "member_email", *TRANSCRIPT_COLUMNS[1:])


def csv_cell(value: object) -> str:
    """``value`` as CSV cell text that a spreadsheet shows as text, never runs as a formula:
    text starting with ``= + - @``, a tab or a carriage return gets a leading ``'``."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def hours(value: Decimal) -> str:
    """Credit hours as a one-decimal string ("8.0"), never through a float."""
    return str(value.quantize(ONE_PLACE))


def _entry_cells(entry: TranscriptEntry) -> list[object]:
    return [
        entry.completed_on.isoformat(),
        entry.completed_on.year,
        entry.title,
        entry.provider,
        entry.activity_type,
        entry.source,
        hours(entry.credit_hours),
        "yes" if entry.ethics else "no",
        entry.review_status,
        entry.review_reason,
    ]


def _write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def transcript_csv(*, member: Member, entries: Iterable[TranscriptEntry], year: int | None) -> str:
    """One member's transcript, one row per entry (only those of ``year`` when given)."""
    return _write_csv(
        TRANSCRIPT_COLUMNS,
        (
            [member.member_number, *_entry_cells(e)]
            for e in entries
            if year is None or e.completed_on.year == year
        ),
    )


def staff_transcripts_csv(*, entries: Iterable[TranscriptEntry]) -> str:
    """Entries of many members (load them with ``member__user``) with name and email."""
    return _write_csv(
        STAFF_COLUMNS,
        (
            [e.member.member_number, e.member.full_name, e.member.email, *_entry_cells(e)]
            for e in entries
        ),
    )


# --- PDF ------------------------------------------------------------------------------

# Bitstream Vera ships inside reportlab: unlike the PDF standard fonts it covers Central
# European names (Ł, Č, ş), and it needs no font installed on the server.
FONT = "IMAVera"
FONT_BOLD = "IMAVera-Bold"
NAVY = colors.HexColor("#1F3A5F")
RULE = colors.HexColor("#B8C2CF")
STRIPE = colors.HexColor("#F2F5F8")
# Letter paper with 0.75-inch margins leaves 7 inches, less the frame's 6-point padding
# on each side, for the content.
_MARGIN = 0.75 * inch
_FRAME_PADDING = 6
_CONTENT_WIDTH = LETTER[0] - 2 * _MARGIN - 2 * _FRAME_PADDING  # 492 points
# Date, title, provider, type, hours, ethics.
_COLUMN_WIDTHS = [66, 146, 98, 102, 40, 40]
# A year with up to this many approved entries is kept on one page.
_KEEP_TOGETHER_ROWS = 15


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(folder, "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)


def _styles() -> dict[str, Any]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11)
    return {
        "org": ParagraphStyle("org", base, fontName=FONT_BOLD, fontSize=15, leading=19),
        "title": ParagraphStyle("title", base, fontSize=11, leading=14, textColor=NAVY),
        "year": ParagraphStyle(
            "year", base, fontName=FONT_BOLD, fontSize=12, leading=15, textColor=NAVY
        ),
        "cell": base,
        "head": ParagraphStyle("head", base, fontName=FONT_BOLD, textColor=colors.white),
        "num": ParagraphStyle("num", base, alignment=TA_RIGHT),
        "numhead": ParagraphStyle(
            "numhead", base, fontName=FONT_BOLD, textColor=colors.white, alignment=TA_RIGHT
        ),
        "label": ParagraphStyle("label", base, textColor=colors.HexColor("#4A5868")),
        "value": ParagraphStyle("value", base, fontName=FONT_BOLD),
        "note": ParagraphStyle("note", base, fontSize=8, leading=10.5),
    }


def _p(text: object, style: Any) -> Any:
    return Paragraph(escape(str(text)), style)


def _member_block(
    *, member: Member, year: int | None, generated_on: dt.date, st: dict[str, Any]
) -> Any:
    certified = member.certified_on.isoformat() if member.certified_on else _("Not a CMA")
    rows = [
        (_("Member"), member.full_name or member.email),
        (_("Member number"), member.member_number),
        (_("CMA certified on"), certified),
        (_("Period"), str(year) if year is not None else _("All years")),
        (_("Generated on"), generated_on.isoformat()),
    ]
    table = Table(
        [[_p(label, st["label"]), _p(value, st["value"])] for label, value in rows],
        colWidths=[1.6 * inch, _CONTENT_WIDTH - 1.6 * inch],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


# The frame of every year table: heading row, column header, rules between entries.
_YEAR_TABLE_STYLE: tuple[tuple[Any, ...], ...] = (
    ("SPAN", (0, 0), (-1, 0)),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("LEFTPADDING", (0, 0), (0, 0), 0),
    ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
    ("BACKGROUND", (0, 1), (-1, 1), NAVY),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LINEBELOW", (0, 2), (-1, -3), 0.4, RULE),
)


def _year_table(group: YearTotals, st: dict[str, Any]) -> Any:
    """The year as one table: its heading and column header (repeated on a new page),
    the approved entries, the approved total and the line of the other totals."""
    approved = [e for e in group.entries if e.review_status == ReviewStatus.APPROVED]
    blank = [""] * 5
    rows: list[list[Any]] = [
        [_p(str(group.year), st["year"]), *blank],
        [
            _p(_("Date"), st["head"]),
            _p(_("Activity"), st["head"]),
            _p(_("Provider"), st["head"]),
            _p(_("Type"), st["head"]),
            _p(_("Hours"), st["numhead"]),
            _p(_("Ethics"), st["head"]),
        ],
    ]
    for entry in approved:
        rows.append(
            [
                _p(entry.completed_on.isoformat(), st["cell"]),
                _p(entry.title, st["cell"]),
                _p(entry.provider or "—", st["cell"]),
                _p(entry.get_activity_type_display(), st["cell"]),
                _p(hours(entry.credit_hours), st["num"]),
                _p(_("Yes") if entry.ethics else "", st["cell"]),
            ]
        )
    commands: list[tuple[Any, ...]] = list(_YEAR_TABLE_STYLE)
    if not approved:
        message = _("No approved entries in %(year)s.") % {"year": group.year}
        rows.append([_p(message, st["cell"]), *blank])
        commands.append(("SPAN", (0, 2), (-1, 2)))
    total_label = _("Approved hours in %(year)s") % {"year": group.year}
    rows.append(
        [
            Paragraph(f"<b>{escape(total_label)}</b>", st["cell"]),
            "",
            "",
            "",
            Paragraph(f"<b>{hours(group.approved)}</b>", st["num"]),
            "",
        ]
    )
    rows.append([_year_summary(group, st), *blank])
    commands += [
        ("SPAN", (0, -2), (3, -2)),
        ("BACKGROUND", (0, -2), (-1, -2), STRIPE),
        ("LINEABOVE", (0, -2), (-1, -2), 1, NAVY),
        ("SPAN", (0, -1), (-1, -1)),
        ("LEFTPADDING", (0, -1), (0, -1), 0),
        ("TOPPADDING", (0, -1), (-1, -1), 4),
    ]
    table = Table(rows, colWidths=_COLUMN_WIDTHS, repeatRows=2, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _year_summary(group: YearTotals, st: dict[str, Any]) -> Any:
    parts = [
        _("Ethics hours approved: %(hours)s") % {"hours": hours(group.ethics)},
        _("Pending review: %(hours)s hours") % {"hours": hours(group.pending)},
        _("Rejected: %(hours)s hours") % {"hours": hours(group.rejected)},
    ]
    return _p(" · ".join(parts), st["note"])


def _page_footer(member_number: str, generated_on: dt.date) -> Any:
    text = _("IMA CPE transcript · member %(number)s · generated %(date)s") % {
        "number": member_number,
        "date": generated_on.isoformat(),
    }

    def draw(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        left = _MARGIN + _FRAME_PADDING
        right = left + _CONTENT_WIDTH
        canvas.line(left, 0.6 * inch, right, 0.6 * inch)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#4A5868"))
        canvas.drawString(left, 0.45 * inch, text)
        canvas.drawRightString(
            right,
            0.45 * inch,
            _("Page %(page)s") % {"page": canvas.getPageNumber()},
        )
        canvas.restoreState()

    return draw


def transcript_pdf(
    *, member: Member, groups: Sequence[YearTotals], year: int | None, generated_on: dt.date
) -> bytes:
    """The member's official CPE transcript: approved entries per calendar year with the
    year's approved total, and the pending and rejected hours beside it."""
    _register_fonts()
    st = _styles()
    title = _("Institute of Management Accountants — CPE Transcript")
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=0.7 * inch,
        bottomMargin=0.85 * inch,
        title=title,
        author=_("Institute of Management Accountants"),
        subject=_("CPE transcript of member %(number)s") % {"number": member.member_number},
    )
    story: list[Any] = [
        _p(title, st["org"]),
        _p(_("Record of continuing professional education (CPE)"), st["title"]),
        Spacer(1, 4),
        HRFlowable(width="100%", thickness=2, color=NAVY, spaceBefore=0, spaceAfter=0),
        Spacer(1, 8),
        _member_block(member=member, year=year, generated_on=generated_on, st=st),
        Spacer(1, 14),
    ]
    for group in groups:
        # A short year stays on one page; a long one flows on, its heading repeated.
        table = _year_table(group, st)
        approved = sum(1 for e in group.entries if e.review_status == ReviewStatus.APPROVED)
        story += [KeepTogether([table]) if approved <= _KEEP_TOGETHER_ROWS else table]
        story.append(Spacer(1, 14))
    if not groups:
        story += [_p(_("No CPE entries for this period."), st["cell"]), Spacer(1, 14)]
    story.append(
        _p(
            _(
                "Only approved entries count toward CMA certification requirements. Entries "
                "pending review and rejected entries are not included in the approved totals."
            ),
            st["note"],
        )
    )
    footer = _page_footer(member.member_number, generated_on)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
