"""Celery tasks of the certification app: the nightly status recompute and the October
reminder, each fanned out as one task per chunk of member ids (``certification.nightly``).
``run_recompute`` and ``send_reminders`` are also what ``manage.py recompute_statuses`` and
the tests call."""

from __future__ import annotations

import datetime as dt
import time

from celery import group, shared_task
from django.utils import timezone

from certification.mail import mail_unsent_changes
from certification.nightly.chunks import (
    DEFAULT_CHUNK_SIZE,
    RecomputeSummary,
    _bounds,
    chunk_bounds,
    recompute_chunk,
)
from certification.nightly.reminders import _CANDIDATES, _reminder_params, remind_chunk


@shared_task(
    name="certification.tasks.recompute_status_chunk", acks_late=True, reject_on_worker_lost=True
)
def recompute_status_chunk(
    lo: int, hi: int, as_of_iso: str, everyone: bool = False
) -> dict[str, int]:
    """Recompute the stale members of one id range: one transaction, safe to repeat or to
    redeliver (a worker lost mid-chunk leaves it rolled back and its members stale)."""
    as_of = dt.date.fromisoformat(as_of_iso)
    return recompute_chunk(lo, hi, as_of, everyone=everyone).as_dict()


@shared_task(name="certification.tasks.nightly_status_recompute")
def nightly_status_recompute() -> dict[str, object]:
    """Beat, 02:30: recompute every stale member's status as of today, chunks in parallel,
    and mail the recorded status changes whose mail was lost (the broker was down, a worker
    died between a commit and the hand-over)."""
    summary = run_recompute(timezone.localdate()).as_dict()
    return {**summary, "unsent_mails_sent": mail_unsent_changes()}


@shared_task(name="certification.tasks.october_reminder_chunk", acks_late=True)
def october_reminder_chunk(lo: int, hi: int, as_of_iso: str) -> int:
    """Remind the short members of one id range (at most once per member and year)."""
    return remind_chunk(lo, hi, dt.date.fromisoformat(as_of_iso))


@shared_task(name="certification.tasks.october_cpe_reminders")
def october_cpe_reminders() -> int | None:
    """Beat, every day of October at 09:00: remind certified members still short of this
    year's requirement. Daily rather than once, so a member who becomes short later in the
    month (back from unpaid dues, say) or a day the workers were down is still covered;
    the reminder table keeps it to one mail per member and year."""
    today = timezone.localdate()
    if today.month != 10:
        return 0
    return send_reminders(today)


def run_recompute(
    as_of: dt.date,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    everyone: bool = False,
    inline: bool = False,
    wait: bool = False,
    queue: str | None = None,
) -> RecomputeSummary:
    """Recompute every stale member's status as of ``as_of``: one Celery task per chunk,
    sent as a group. When Celery is eager (no broker), ``inline`` is set, or ``wait`` is
    set (this needs a result backend), the returned summary has the totals; otherwise the
    chunks are only dispatched."""
    started = time.perf_counter()
    bounds = chunk_bounds(as_of, chunk_size, everyone=everyone)
    results: list[dict[str, int]] = []
    dispatched = False
    if inline:
        results = [recompute_chunk(lo, hi, as_of, everyone=everyone).as_dict() for lo, hi in bounds]
    elif bounds:
        job = group(
            recompute_status_chunk.s(lo, hi, as_of.isoformat(), everyone) for lo, hi in bounds
        )
        handle = job.apply_async(queue=queue) if queue else job.apply_async()
        if recompute_status_chunk.app.conf.task_always_eager or wait:
            results = handle.get(disable_sync_subtasks=False)
        else:
            dispatched = True

    def total(key: str) -> int:
        return sum(r[key] for r in results)

    return RecomputeSummary(
        as_of=as_of,
        chunks=len(bounds),
        read=total("read"),
        written=total("written"),
        status_changes=total("status_changes"),
        seconds=round(time.perf_counter() - started, 3),
        dispatched=dispatched,
        read_seconds=total("read_ms") / 1000,
        compute_seconds=total("compute_ms") / 1000,
        write_seconds=total("write_ms") / 1000,
    )


def send_reminders(
    as_of: dt.date, *, chunk_size: int = DEFAULT_CHUNK_SIZE, inline: bool = False
) -> int | None:
    """Run the reminder over every candidate, one Celery task per chunk (inline when Celery
    is eager or ``inline`` is set). Returns the mails sent, or None when dispatched."""
    bounds = _bounds(_CANDIDATES, _reminder_params(as_of, size=chunk_size))
    if inline:
        return sum(remind_chunk(lo, hi, as_of) for lo, hi in bounds)
    if not bounds:
        return 0
    handle = group(
        october_reminder_chunk.s(lo, hi, as_of.isoformat()) for lo, hi in bounds
    ).apply_async()
    if october_reminder_chunk.app.conf.task_always_eager:
        sent: list[int] = handle.get(disable_sync_subtasks=False)
        return sum(sent)
    return None
