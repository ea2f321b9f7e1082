"""The nightly status recompute (``certification.nightly``) on PostgreSQL: the same statuses as the
single-member recompute, a second run that writes nothing, a killed run that the next one
completes, two real Celery workers, status-change mails and October reminders sent once,
and the management command."""

import datetime as dt
import threading
import time
from decimal import Decimal
from io import StringIO

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from certification import tasks
from certification.mail import notify_status_changes
from certification.models import Exemption, Reminder, Retirement, StatusChange
from certification.nightly import chunks, reminders
from certification.services.recompute import status_of
from certification.tasks import october_cpe_reminders
from imaportal.celery import app
from members.models import Member
from policy.models import PolicyVersion
from tests.celery_queues import forget_queue, private_queue
from tests.factories import EntryFactory, MemberFactory

D = dt.date
PAID = D(2027, 12, 31)


def member_with(certified_on, entries=(), *, dues=PAID, **facts):
    """A member with approved entries given as (completed_on, hours[, ethics])."""
    member = MemberFactory(certified_on=certified_on, dues_paid_through=dues)
    for completed_on, hours, *ethics in entries:
        EntryFactory(
            member=member,
            completed_on=completed_on,
            credit_hours=Decimal(hours),
            ethics=bool(ethics and ethics[0]),
            review_status="approved",
        )
    for status, years in facts.get("exemptions", ()):
        Exemption.objects.create(
            member=member, reason="illness", years=years, explanation="x", state=status
        )
    for status, retired_on in facts.get("retirements", ()):
        Retirement.objects.create(member=member, retired_on=retired_on, state=status)
    for status, completed_on, hours in facts.get("other_entries", ()):
        EntryFactory(
            member=member, completed_on=completed_on, credit_hours=hours, review_status=status
        )
    return member


def varied_members():
    """SPEC section 3's worked examples and the other inputs of the status rule."""
    return [
        # The worked examples.
        member_with(D(2024, 6, 10), [(D(2024, 8, 1), 12), (D(2025, 5, 1), 20)]),
        member_with(D(2023, 3, 1), [(D(2024, 4, 1), 38), (D(2025, 6, 1), 22)]),
        member_with(D(2023, 3, 1), [(D(2024, 4, 1), 25)]),
        member_with(
            D(2023, 3, 1), [(D(2024, 4, 1), 25), (D(2025, 4, 1), 20), (D(2025, 9, 15), 15)]
        ),
        member_with(D(2023, 3, 1), [(D(2024, 4, 1), 25), (D(2025, 6, 1), 30)]),
        # Restored from a lapse with 60 hours in one year.
        member_with(
            D(2021, 5, 1),
            [(D(2022, 3, 1), 5), (D(2023, 3, 1), 5), (D(2025, 2, 1), 40), (D(2025, 7, 1), 20)],
        ),
        # Credit before certification never counts; pending and rejected entries neither.
        member_with(
            D(2024, 6, 10),
            [(D(2024, 1, 5), 30), (D(2024, 6, 10), 10), (D(2025, 2, 1), 15, True)],
            other_entries=[("pending", D(2025, 3, 1), 20), ("rejected", D(2025, 3, 2), 20)],
        ),
        # Exemption (approved and requested), retirement (approved and rejected), dues.
        member_with(
            D(2022, 1, 10),
            [(D(2023, 5, 1), 30), (D(2024, 5, 1), 10)],
            exemptions=[("approved", [2025]), ("requested", [2026])],
        ),
        member_with(
            D(2020, 1, 10),
            [(D(2021, 5, 1), 31)],
            retirements=[("approved", D(2025, 6, 1)), ("rejected", D(2024, 1, 1))],
        ),
        member_with(D(2022, 1, 10), [(D(2025, 5, 1), 40)], dues=D(2025, 3, 31)),
        member_with(D(2022, 1, 10), [(D(2025, 5, 1), 40)], dues=None),
        # Not certified (with and without dues, one retired); certified later than as_of.
        member_with(None),
        member_with(None, dues=None),
        member_with(None, retirements=[("approved", D(2025, 2, 1))]),
        member_with(D(2025, 11, 2), [(D(2025, 12, 1), 8)]),
        # Ethics hours (they count once a policy requires them).
        member_with(D(2024, 6, 10), [(D(2025, 1, 10), 30), (D(2025, 2, 10), 1, True)]),
    ]


AS_OF_DATES = [
    D(2025, 1, 1),
    D(2025, 6, 30),
    D(2025, 9, 15),
    D(2025, 12, 1),
    D(2026, 1, 1),
    D(2026, 3, 31),
]


def stored(member_ids):
    return {
        m.pk: (m.status, m.status_valid_until)
        for m in Member.objects.filter(pk__in=member_ids).order_by("pk")
    }


def expected(members, as_of):
    results = {m.pk: status_of(m, as_of=as_of) for m in members}
    return {pk: (r.status.value, r.valid_until) for pk, r in results.items()}


def row_versions():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM members_member ORDER BY id")
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("ethics_rule", [False, True])
def test_results_equal_the_single_member_recompute(ethics_rule):
    if ethics_rule:
        PolicyVersion.objects.create(effective_from=2025, ethics_hours_required=Decimal("2"))
    members = varied_members()
    ids = [m.pk for m in members]
    seen: set[str] = set()
    for as_of in AS_OF_DATES:
        Member.objects.update(status="", status_valid_until=None)
        StatusChange.objects.all().delete()
        summary = tasks.run_recompute(as_of, chunk_size=4)
        want = expected(members, as_of)
        assert stored(ids) == want, as_of
        assert summary.read == summary.written == summary.status_changes == len(members)
        changes = StatusChange.objects.all()
        assert {(c.member_id, c.from_status, c.to_status) for c in changes} == {
            (pk, "", status) for pk, (status, _) in want.items()
        }
        assert all(
            c.as_of == as_of and c.reason_text().startswith("Recomputed as of") for c in changes
        )
        seen.update(status for status, _ in want.values())
    assert seen == {
        "active",
        "grace",
        "not_certified",
        "inactive_makeup",
        "inactive_lapsed",
        "inactive_dues",
        "exempt",
        "retired",
    }


@pytest.mark.django_db(transaction=True)
def test_a_second_run_reads_and_writes_nothing():
    members = varied_members()
    as_of = D(2026, 1, 1)
    first = tasks.run_recompute(as_of, chunk_size=5)
    assert first.written == len(members)
    before, history = row_versions(), StatusChange.objects.count()

    with CaptureQueriesContext(connection) as queries:
        second = tasks.run_recompute(as_of, chunk_size=5)
    assert (second.chunks, second.read, second.written) == (0, 0, 0)
    assert len(queries) == 1  # the chunk bounds: no stale member, nothing more
    # Forced over every member: all read and computed, still nothing written.
    with CaptureQueriesContext(connection) as queries:
        forced = tasks.run_recompute(as_of, chunk_size=5, everyone=True)
    assert (forced.read, forced.written, forced.status_changes) == (len(members), 0, 0)
    assert not any(q["sql"].lstrip().upper().startswith("UPDATE") for q in queries)
    assert row_versions() == before  # no row was rewritten
    assert StatusChange.objects.count() == history


@pytest.mark.django_db(transaction=True)
def test_a_chunk_reads_with_a_fixed_number_of_queries():
    def queries_for(count):
        for _ in range(count):
            member_with(D(2022, 1, 10), [(D(2024, 5, 1), 12), (D(2025, 5, 1), 12)])
        ids = list(Member.objects.filter(status="").values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            result = chunks.recompute_chunk(min(ids), max(ids), D(2026, 1, 1))
        assert result.read == count
        return len(queries)

    assert queries_for(2) == queries_for(25)


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_halfway_is_completed_by_the_next(monkeypatch):
    members = varied_members()
    as_of = D(2026, 1, 1)
    want = expected(members, as_of)
    bounds = chunks.chunk_bounds(as_of, 4)
    assert len(bounds) == 4
    for lo, hi in bounds[:2]:
        chunks.recompute_chunk(lo, hi, as_of)

    # The third chunk dies after two members: its transaction is rolled back.
    real, calls = chunks.compute_status, []

    def dies(*args, **kwargs):
        calls.append(1)
        if len(calls) > 2:
            raise SystemExit("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(chunks, "compute_status", dies)
    with pytest.raises(SystemExit):
        chunks.recompute_chunk(*bounds[2], as_of)
    monkeypatch.undo()
    lo, hi = bounds[2]
    assert Member.objects.filter(pk__range=(lo, hi), status="").count() == 4
    assert not StatusChange.objects.filter(member_id__in=range(lo, hi + 1)).exists()
    assert chunks.stale_count(as_of) == 8

    summary = tasks.run_recompute(as_of, chunk_size=4)
    assert summary.read == 8
    assert stored(want) == want
    # Exactly one recorded change per member, as an uninterrupted run leaves.
    assert sorted(StatusChange.objects.values_list("member_id", flat=True)) == sorted(want)


@pytest.mark.django_db(transaction=True)
def test_a_member_locked_by_a_write_is_skipped_and_stays_stale():
    members = varied_members()
    as_of = D(2026, 1, 1)
    locked, release = threading.Event(), threading.Event()

    def write_in_progress():
        with transaction.atomic():
            Member.objects.select_for_update().get(pk=members[0].pk)
            locked.set()
            release.wait(10)
        connections.close_all()

    writer = threading.Thread(target=write_in_progress)
    writer.start()
    try:
        assert locked.wait(10)
        summary = tasks.run_recompute(as_of, chunk_size=100)  # does not wait for the lock
    finally:
        release.set()
        writer.join()
    assert summary.read == len(members) - 1
    assert chunks.stale_count(as_of) == 1
    assert tasks.run_recompute(as_of).read == 1
    assert stored([m.pk for m in members]) == expected(members, as_of)


@pytest.fixture
def celery_workers():
    """Two real Celery workers (a pool of two threads) on the Redis broker, consuming a
    queue of their own; Celery is eager again afterwards."""
    if settings.CELERY_BROKER_URL.startswith("memory"):
        pytest.skip("needs Redis")
    queue = private_queue("nightly")
    threads = set()

    def seen(**kwargs):
        threads.add(threading.get_ident())

    def close_connections(**kwargs):
        connections.close_all()

    task_prerun.connect(seen, weak=False)
    task_postrun.connect(close_connections, weak=False)
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="threads", concurrency=2, perform_ping_check=False, queues=[queue]
        ):
            yield queue, threads
    finally:
        app.conf.task_always_eager = True
        task_prerun.disconnect(seen)
        task_postrun.disconnect(close_connections)
        forget_queue(queue)


@pytest.mark.django_db(transaction=True)
def test_two_celery_workers_give_the_same_result(celery_workers):
    queue, threads = celery_workers
    members = varied_members()
    as_of = D(2026, 1, 1)
    want = expected(members, as_of)
    summary = tasks.run_recompute(as_of, chunk_size=2, queue=queue)
    assert summary.dispatched and summary.chunks == 8
    deadline = time.monotonic() + 30
    while chunks.stale_count(as_of) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stored(want) == want
    assert StatusChange.objects.count() == len(members)
    assert len(threads) == 2  # both workers took chunks


@pytest.mark.django_db(transaction=True)
def test_status_change_mails_are_sent_once():
    slipping = member_with(D(2023, 3, 1), [(D(2024, 4, 1), 25)])
    fine = member_with(D(2023, 3, 1), [(D(2024, 4, 1), 30)])
    Member.objects.update(status="active", status_valid_until=D(2025, 1, 1))

    summary = tasks.run_recompute(D(2025, 1, 1))
    assert summary.status_changes == 1
    assert [m.to for m in mail.outbox] == [[slipping.user.email]]
    assert "Inactive (make-up)" in mail.outbox[0].subject
    change = StatusChange.objects.get(member=slipping)
    assert (change.from_status, change.to_status) == ("active", "inactive_makeup")
    assert change.notified_at is not None

    tasks.run_recompute(D(2025, 1, 1))
    tasks.run_recompute(D(2025, 1, 1), everyone=True)
    notify_status_changes([change.pk])  # a redelivered mail task
    assert len(mail.outbox) == 1
    assert Member.objects.get(pk=fine.pk).status == "active"


def short_and_fine_members():
    short = member_with(D(2024, 6, 10), [(D(2025, 5, 1), 30), (D(2026, 5, 1), 12)])
    makeup = member_with(D(2024, 6, 10), [(D(2025, 5, 1), 20), (D(2026, 5, 1), 12)])
    done = member_with(D(2024, 6, 10), [(D(2025, 5, 1), 30), (D(2026, 5, 1), 30)])
    lapsed = member_with(D(2023, 3, 1), [(D(2026, 5, 1), 12)])
    unpaid = member_with(D(2024, 6, 10), [(D(2025, 5, 1), 30)], dues=D(2025, 12, 31))
    never = member_with(None)
    return short, makeup, [done, lapsed, unpaid, never]


@pytest.mark.django_db(transaction=True)
def test_the_october_reminder_goes_once_a_year_to_those_short():
    short, makeup, others = short_and_fine_members()
    tasks.run_recompute(D(2026, 10, 1))
    assert tasks.send_reminders(D(2026, 10, 1), chunk_size=2) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([short.user.email, makeup.user.email])
    body = next(m.body for m in mail.outbox if m.to == [short.user.email])
    assert "18.0 more hours by 31 December 2026" in body

    assert tasks.send_reminders(D(2026, 10, 1)) == 0  # the same day again
    assert tasks.send_reminders(D(2026, 10, 20), inline=True) == 0  # a later day
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(year=2026, kind=reminders.REMINDER_KIND).count() == 2
    # Next year is another year.
    assert (tasks.send_reminders(D(2027, 10, 1)) or 0) > 0
    assert not any(m.to[0] == others[0].user.email for m in mail.outbox[:2])


@pytest.mark.django_db(transaction=True)
def test_concurrent_october_reminders_send_one_mail_each():
    short, makeup, _ = short_and_fine_members()
    ids = sorted([short.pk, makeup.pk])
    start, sent = threading.Barrier(2), []

    def run():
        start.wait(5)
        sent.append(reminders.remind_chunk(ids[0], ids[-1], D(2026, 10, 3)))
        connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == 2
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_beat_tasks_are_scheduled_and_the_reminder_waits_for_october():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert (
        schedule["nightly-status-recompute"]["task"]
        == "certification.tasks.nightly_status_recompute"
    )
    assert schedule["october-cpe-reminders"]["task"] == "certification.tasks.october_cpe_reminders"
    assert {
        "certification.tasks.nightly_status_recompute",
        "certification.tasks.october_cpe_reminders",
    } <= set(app.tasks)
    short_and_fine_members()
    outside_october = october_cpe_reminders.apply().get()
    assert outside_october == 0 or dt.date.today().month == 10


@pytest.mark.django_db(transaction=True)
def test_the_management_command_recomputes_as_of_a_date():
    members = varied_members()
    out = StringIO()
    call_command("recompute_statuses", "--as-of", "2025-06-30", "--chunk-size", "3", stdout=out)
    assert f"{len(members)} members read, {len(members)} changed" in out.getvalue()
    assert stored([m.pk for m in members]) == expected(members, D(2025, 6, 30))

    out = StringIO()
    call_command("recompute_statuses", "--as-of", "2025-06-30", "--all", stdout=out)
    assert f"{len(members)} members read, 0 changed" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("recompute_statuses", "--as-of", "30/06/2025")
