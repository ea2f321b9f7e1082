"""Transcript exports: the member's CSV transcript and the staff CSV of every member's
entries. Pure functions over objects the views have already loaded (no queries, no clock).
The PDF transcript is ``cpe.pdf.transcript``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cpe.models import TranscriptEntry
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
# The member's CSV is for reading in a spreadsheet: its headings and its words (type,
# source, review state, ethics) are in the member's language. The staff CSV keeps the
# column names and codes that staff tools read.
TRANSCRIPT_HEADINGS = {
    "member_number": _("Member number"),
    "completed_on": _("Completed on"),
    "year": _("Year"),
    "title": _("Title"),
    "provider": _("Provider"),
    "activity_type": _("Activity type"),
    "source": _("Source"),
    "credit_hours": _("CPE hours"),
    "ethics": _("Ethics"),
    "review_status": _("Review status"),
    "reason": _("Reason"),
}


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


def _entry_cells(entry: TranscriptEntry, *, words: bool = False) -> list[object]:
    """The entry's cells: codes for staff tools, or (``words``) the page's words."""
    if words:
        kind: object = entry.get_activity_type_display()
        source: object = entry.get_source_display()
        state: object = entry.get_review_status_display()
        ethics = gettext("Yes") if entry.ethics else gettext("No")
    else:
        kind, source, state = entry.activity_type, entry.source, entry.review_status
        ethics = "yes" if entry.ethics else "no"
    return [
        entry.completed_on.isoformat(),
        entry.completed_on.year,
        entry.title,
        entry.provider,
        kind,
        source,
        hours(entry.credit_hours),
        ethics,
        state,
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
        [str(TRANSCRIPT_HEADINGS[column]) for column in TRANSCRIPT_COLUMNS],
        (
            [member.member_number, *_entry_cells(e, words=True)]
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
