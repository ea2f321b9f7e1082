"""Transcript exports: the member's CSV transcript and the staff CSV of every member's
entries. Pure functions over objects the views have already loaded (no queries, no clock).
The PDF transcript is ``cpe.pdf.transcript``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

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
