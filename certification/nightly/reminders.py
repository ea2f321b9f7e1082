"""The October CPE reminder, one chunk of member ids at a time: certified members short of
this year's requirement are reminded at most once a year (``Reminder`` is unique per member,
year and kind)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from certification.nightly.chunks import (
    _SESSION_SQL,
    _STALE,
    MemberRow,
    _array,
    _gc_paused,
    _params,
    compute_all,
    read_facts,
)
from certification.services.recompute import describe
from certification.status import Status, StatusResult
from policy.selectors import policy_versions

REMINDER_KIND = "october_cpe"
_SHORT = (Status.ACTIVE, Status.INACTIVE_MAKEUP)

# Certified members who may be short this year and were not reminded yet (stale rows
# included: their stored status may be out of date).
# Constant SQL fragments only (nosec B608); the values are bound parameters.
_CANDIDATES = f"""
m.certified_on IS NOT NULL
AND (m.status IN ('active', 'inactive_makeup') OR {_STALE})
AND NOT EXISTS (
    SELECT 1 FROM certification_reminder r
    WHERE r.member_id = m.id AND r.year = %(year)s AND r.kind = %(kind)s
)
"""  # noqa: S608  # nosec B608

# Constant SQL fragments only (nosec B608); the values are bound parameters.
_CANDIDATE_ROWS_SQL = f"""
SELECT m.id, m.certified_on, m.dues_paid_through, m.status, m.status_valid_until
FROM members_member m
WHERE m.id BETWEEN %(lo)s AND %(hi)s AND {_CANDIDATES}
ORDER BY m.id
"""  # noqa: S608  # nosec B608

_REMIND_SQL = """
INSERT INTO certification_reminder (member_id, year, kind, sent_at)
SELECT member_id, %(year)s, %(kind)s, %(now)s FROM unnest(%(ids)s::bigint[]) AS t(member_id)
ON CONFLICT ON CONSTRAINT one_reminder_each DO NOTHING
RETURNING member_id
"""


def _reminder_params(as_of: dt.date, **more: Any) -> dict[str, Any]:
    return _params(as_of, False, year=as_of.year, kind=REMINDER_KIND, **more)


def is_short(result: StatusResult) -> bool:
    """Active or in make-up, and this year's hours (or ethics hours) are not there yet."""
    return result.status in _SHORT and (
        (result.hours_needed or 0) > 0 or (result.ethics_needed or 0) > 0
    )


def remind_chunk(lo: int, hi: int, as_of: dt.date) -> int:
    """Remind the certified members with ``lo <= id <= hi`` who are short of this year's
    requirement on ``as_of``. The reminder row is inserted or skipped (unique per member,
    year and kind) with its mail (sent on commit), so a member is reminded at most once
    a year however often, or however concurrently, this runs. Returns the mails sent."""
    with _gc_paused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SESSION_SQL)
        cursor.execute(_CANDIDATE_ROWS_SQL, _reminder_params(as_of, lo=lo, hi=hi))
        rows: list[MemberRow] = cursor.fetchall()
        if not rows:
            return 0
        facts = read_facts(cursor, rows, lo, hi, as_of)
        short = {
            row[0]: result
            for row, result in compute_all(rows, facts, policy_versions(), as_of)
            if is_short(result)
        }
        if not short:
            return 0
        cursor.execute(_REMIND_SQL, _reminder_params(as_of, ids=_array(short), now=timezone.now()))
        claimed = {row[0]: short[row[0]] for row in cursor.fetchall()}
        if claimed:  # recorded with the reminder rows, sent once they commit
            _mail_reminders(claimed, as_of.year)
    return len(claimed)


def _mail_reminders(results: dict[int, StatusResult], year: int) -> None:
    """Queue the reminder mail of each member in ``results`` (one per member and year)."""
    from django.urls import reverse
    from django.utils import translation

    from members.models import Member
    from notifications.services import queue_mail, recipient_language

    path = reverse("cpe:transcript")
    for member in Member.objects.select_related("user").filter(pk__in=list(results)):
        result, user = results[member.pk], member.user
        with translation.override(recipient_language(user)):
            why = describe(result)
        queue_mail(
            key=f"reminder:{REMINDER_KIND}:{year}:{member.pk}",
            to=user,
            template="certification/email/cpe_reminder",
            context={
                "name": user.get_full_name() or user.email,
                "hours": str(result.hours_needed),
                "deadline": result.deadline.isoformat() if result.deadline else "",
                "available": str(result.available_hours),
                "required": str(result.required_hours),
                "year": year,
                "why": why,
                "path": path,
            },
        )
