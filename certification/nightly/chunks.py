"""The nightly status recompute, one chunk of member ids at a time.

It calls the one status rule (``certification.status.compute_status``) that the
single-member recompute (``certification.services.recompute``) and the ``as_of`` API use,
over the same input shapes; only the reading and writing are done in bulk:

- ``chunk_bounds`` splits the *stale* members (``status_valid_until`` empty or reached, see
  ``certification.services.recompute.stale_members``) into id ranges, so a second run reads
  almost nothing;
- ``recompute_chunk`` is one transaction: it locks the chunk's stale member rows (rows a
  write holds are skipped: that write recomputes them on commit, and they stay stale for
  the next run otherwise), reads the facts with one query per kind of fact, computes each
  status, writes the changed rows with one ``UPDATE ... FROM unnest(...)``, copies one
  ``StatusChange`` per changed status into the history and mails real changes on commit.

``certification.tasks`` hands the chunks to Celery workers (``run_recompute``) and runs
the October reminder (``certification.nightly.reminders``).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from certification.mail import notify_status_changes
from certification.services.recompute import stored_reasons
from certification.status import Credit, StatusFacts, StatusResult, compute_status
from imaportal.queueing import enqueue
from imaportal.reasons import Reason
from policy.rules import Policy
from policy.selectors import policy_versions

# Members per chunk (one task, one transaction). Smaller chunks balance the workers
# better at the end of a run; on two cores 10,000 beat 20,000 by 15 % for 139,000 members
# (benchmarks/README.md); a worker process peaks at about 150 MB with it.
DEFAULT_CHUNK_SIZE = 10_000
MAIL_BATCH = 500
# How far back the nightly job looks for status changes whose mail was never sent.
NO_YEARS: frozenset[int] = frozenset()

# The same condition as ``certification.services.recompute.stale_members``, in SQL;
# ``%(everyone)s`` (the ``--all`` option) treats every member as stale.
_STALE = "(%(everyone)s OR m.status_valid_until IS NULL OR m.status_valid_until <= %(as_of)s)"

_BOUNDS_SQL = """
SELECT min(id), max(id) FROM (
    SELECT m.id, (row_number() OVER (ORDER BY m.id) - 1) / %(size)s AS bucket
    FROM members_member m WHERE {where}
) AS s GROUP BY bucket ORDER BY 1
"""

# Constant SQL fragments only (nosec B608); the values are bound parameters.
_LOCK_SQL = f"""
SELECT m.id, m.certified_on, m.dues_paid_through, m.status, m.status_valid_until
FROM members_member m
WHERE m.id BETWEEN %(lo)s AND %(hi)s AND {_STALE}
ORDER BY m.id
FOR NO KEY UPDATE SKIP LOCKED
"""  # noqa: S608  # nosec B608

# Approved hours per member and calendar year, counted from certified_on up to as_of; one
# synthetic credit per group, dated on its last entry (the rule only needs the year sums,
# and the dates lie in the right year, on or after certified_on and on or before as_of).
# The members come in as arrays (id, certified_on) and each is looked up through the
# (member_id, completed_on) index: as good for the few stale members of an ordinary night
# as for all of them on 1 January, and never a scan of the whole table.
_CREDITS_SQL = """
SELECT m.id, t.last_day, t.hours, t.ethics
FROM unnest(%(ids)s::bigint[], %(certified_on)s::date[]) AS m(id, certified_on)
CROSS JOIN LATERAL (
    SELECT max(e.completed_on) AS last_day, sum(e.credit_hours) AS hours,
           coalesce(sum(e.credit_hours) FILTER (WHERE e.ethics), 0) AS ethics
    FROM cpe_transcriptentry e
    WHERE e.member_id = m.id AND e.review_status = 'approved'
      AND e.completed_on >= m.certified_on AND e.completed_on <= %(as_of)s
    GROUP BY date_part('year', e.completed_on)
) AS t
"""

_EXEMPT_SQL = """
SELECT member_id, (jsonb_array_elements_text(years))::int
FROM certification_exemption WHERE state = 'approved' AND member_id BETWEEN %(lo)s AND %(hi)s
"""

_RETIRED_SQL = """
SELECT member_id, min(retired_on) FROM certification_retirement
WHERE state = 'approved' AND member_id BETWEEN %(lo)s AND %(hi)s GROUP BY member_id
"""

_UPDATE_SQL = """
UPDATE members_member AS m SET status = v.status, status_valid_until = v.valid_until
FROM unnest(%(ids)s::bigint[], %(statuses)s::varchar[], %(valid_until)s::date[])
    AS v(id, status, valid_until)
WHERE m.id = v.id AND m.id BETWEEN %(lo)s AND %(hi)s
"""

# Per chunk: no JIT compile for a sub-second query, no parallel workers (the other chunks
# keep the cores busy).
_SESSION_SQL = """
SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)
"""


def _array(values: Iterable[int | str | dt.date | None]) -> str:
    """A PostgreSQL array literal of ids, dates or status codes (no quoting needed), sent
    as one text parameter: far cheaper than adapting a list of 20,000 values."""
    return "{" + ",".join("NULL" if v is None else str(v) for v in values) + "}"


_CHANGE_COLUMNS = (
    "id",
    "member_id",
    "from_status",
    "to_status",
    "changed_at",
    "as_of",
    "reasons",
    "reason",
)

# A member row as the chunk reads it: id, certified_on, dues_paid_through, status,
# status_valid_until.
MemberRow = tuple[int, dt.date | None, dt.date | None, str, dt.date | None]


@dataclass(frozen=True)
class ChunkResult:
    lo: int
    hi: int
    read: int = 0  # stale members locked and computed
    written: int = 0  # rows whose status or valid_until changed
    status_changes: int = 0  # StatusChange rows recorded
    notified: int = 0  # changes mailed on commit (a first computation is not mailed)
    # Where the time went: locking and reading, the status rule, writing and committing.
    read_ms: int = 0
    compute_ms: int = 0
    write_ms: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class RecomputeSummary:
    as_of: dt.date
    chunks: int
    read: int
    written: int
    status_changes: int
    seconds: float
    dispatched: bool  # handed to Celery workers; the counts are then unknown here
    # Worker seconds summed over the chunks: locking and reading, the rule, writing.
    read_seconds: float = 0.0
    compute_seconds: float = 0.0
    write_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "as_of": self.as_of.isoformat()}


def _params(as_of: dt.date, everyone: bool, **more: Any) -> dict[str, Any]:
    return {"as_of": as_of, "everyone": everyone, **more}


def chunk_bounds(
    as_of: dt.date, size: int = DEFAULT_CHUNK_SIZE, *, everyone: bool = False
) -> list[tuple[int, int]]:
    """Id ranges of about ``size`` stale members each, covering every stale member (with
    or without ``certified_on``); empty when every stored status is current."""
    return _bounds(_STALE, _params(as_of, everyone, size=size))


def _bounds(where: str, params: dict[str, Any]) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(_BOUNDS_SQL.format(where=where), params)
        return [(int(lo), int(hi)) for lo, hi in cursor.fetchall()]


def read_facts(
    cursor: Any, rows: Sequence[MemberRow], lo: int, hi: int, as_of: dt.date
) -> dict[int, StatusFacts]:
    """The status facts of the given members (ids from ``lo`` to ``hi``), with one query
    per kind of fact."""
    certified = [(row[0], row[1]) for row in rows if row[1] is not None]
    credits: dict[int, list[Credit]] = defaultdict(list)
    if certified:
        cursor.execute(
            _CREDITS_SQL,
            {
                "ids": _array(c[0] for c in certified),
                "certified_on": _array(c[1] for c in certified),
                "as_of": as_of,
            },
        )
        for member_id, last_day, hours, ethics in cursor.fetchall():
            credits[member_id].append(Credit(last_day, hours, ethics))
    exempt: dict[int, set[int]] = defaultdict(set)
    cursor.execute(_EXEMPT_SQL, {"lo": lo, "hi": hi})
    for member_id, year in cursor.fetchall():
        exempt[member_id].add(year)
    cursor.execute(_RETIRED_SQL, {"lo": lo, "hi": hi})
    retired: dict[int, dt.date] = dict(cursor.fetchall())
    return {
        member_id: StatusFacts(
            certified_on=certified_on,
            credits=credits.get(member_id, ()),
            exempt_years=frozenset(exempt[member_id]) if member_id in exempt else NO_YEARS,
            retired_on=retired.get(member_id),
            dues_paid_through=dues_paid_through,
        )
        for member_id, certified_on, dues_paid_through, _status, _valid in rows
    }


@contextmanager
def _gc_paused() -> Iterator[None]:
    """A chunk allocates hundreds of thousands of small, acyclic objects (rows, facts,
    results) that live until it ends: the cyclic garbage collector would rescan them every
    few hundred allocations for nothing (a third of the time). It is back on afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute_all(
    rows: Iterable[MemberRow],
    facts: dict[int, StatusFacts],
    policies: Sequence[Policy],
    as_of: dt.date,
) -> Iterator[tuple[MemberRow, StatusResult]]:
    """Each member's status by the one status rule."""
    for row in rows:
        yield row, compute_status(facts[row[0]], policies=policies, as_of=as_of)


def recompute_chunk(lo: int, hi: int, as_of: dt.date, *, everyone: bool = False) -> ChunkResult:
    """Recompute the stale members with ``lo <= id <= hi`` in one transaction: only rows
    whose status or ``status_valid_until`` changed are written, each status change is
    recorded, and real changes are mailed once the transaction commits."""
    why = Reason("status.recomputed", {"date": as_of})
    clock = time.perf_counter
    started = clock()
    with _gc_paused(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SESSION_SQL)
        cursor.execute(_LOCK_SQL, _params(as_of, everyone, lo=lo, hi=hi))
        rows: list[MemberRow] = cursor.fetchall()
        if not rows:
            return ChunkResult(lo, hi)
        facts = read_facts(cursor, rows, lo, hi, as_of)
        read = clock()
        ids: list[int] = []
        statuses: list[str] = []
        valid_until: list[dt.date | None] = []
        changes: list[tuple[int, str, str, str]] = []
        for row, result in compute_all(rows, facts, policy_versions(), as_of):
            member_id, _certified, _dues, old_status, old_valid = row
            status = result.status.value
            if status == old_status and result.valid_until == old_valid:
                continue
            ids.append(member_id)
            statuses.append(status)
            valid_until.append(result.valid_until)
            if status != old_status:
                reasons = json.dumps(stored_reasons(why, result))  # only for a change
                changes.append((member_id, old_status, status, reasons))
        computed = clock()
        # The history first: its foreign-key checks then find the member rows locked by
        # this transaction already and need not lock them again.
        mailed = _record_changes(cursor, changes, as_of)
        if ids:
            cursor.execute(
                _UPDATE_SQL,
                {
                    "ids": _array(ids),
                    "statuses": _array(statuses),
                    "valid_until": _array(valid_until),
                    "lo": lo,
                    "hi": hi,
                },
            )
        if not mailed:
            _commit_without_flush_wait(cursor)
    done = clock()
    return ChunkResult(
        lo,
        hi,
        read=len(rows),
        written=len(ids),
        status_changes=len(changes),
        notified=mailed,
        read_ms=round((read - started) * 1000),
        compute_ms=round((computed - read) * 1000),
        write_ms=round((done - computed) * 1000),
    )


def _record_changes(cursor: Any, changes: list[tuple[int, str, str, str]], as_of: dt.date) -> int:
    """Copy the status changes into the history; mail the real ones (not a first
    computation) on commit. Returns how many will be mailed."""
    if not changes:
        return 0
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence('certification_statuschange', 'id')) "
        "FROM generate_series(1, %s)",
        [len(changes)],
    )
    change_ids = [row[0] for row in cursor.fetchall()]
    now = timezone.now()
    with cursor.copy(
        f"COPY certification_statuschange ({', '.join(_CHANGE_COLUMNS)}) FROM STDIN"
    ) as copy:
        for change_id, (member_id, old, new, reasons) in zip(change_ids, changes, strict=True):
            copy.write_row((change_id, member_id, old, new, now, as_of, reasons, ""))
    to_mail = [cid for cid, change in zip(change_ids, changes, strict=True) if change[1]]
    if to_mail:
        transaction.on_commit(lambda: _mail_changes(to_mail))
    return len(to_mail)


def _commit_without_flush_wait(cursor: Any) -> None:
    """For a chunk that mails nothing: do not wait for the WAL flush at commit. Should the
    server crash in the next fraction of a second, the chunk is lost, its members are stale
    again and the next run redoes them; no mail can have gone out for it."""
    cursor.execute("SELECT set_config('synchronous_commit', 'off', true)")


def _mail_changes(change_ids: list[int]) -> None:
    for start in range(0, len(change_ids), MAIL_BATCH):
        enqueue(notify_status_changes, change_ids[start : start + MAIL_BATCH])


def stale_count(as_of: dt.date) -> int:
    """How many members still wait for a recompute as of ``as_of``."""
    with connection.cursor() as cursor:
        cursor.execute(  # Constant SQL (_STALE); the values are bound parameters.
            f"SELECT count(*) FROM members_member m WHERE {_STALE}",  # noqa: S608  # nosec B608
            _params(as_of, False),
        )
        return int(cursor.fetchone()[0])
