"""Faults (issue 14): a real Celery worker process killed with SIGKILL in the middle of the
nightly recompute, then the job run again by a new worker: the same statuses as an
uninterrupted run, no duplicated history, every status-change mail sent exactly once. And
the nightly job mails a recorded status change whose mail task was lost.

The workers are ``celery -A tests.fault_worker worker`` processes on the test database and
a Redis of their own (tests/faults_support.py); mails are files, counted across processes.

    python3 dev.py test -m faults
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from certification import tasks
from certification.models import StatusChange
from certification.nightly import chunks
from certification.tasks import nightly_status_recompute
from members.models import Member
from tests.certification.test_nightly import expected, member_with, stored, varied_members
from tests.faults_support import (
    BIN,
    ROOT,
    ThrowawayRedis,
    celery_publishing_to,
    kill,
    portal_env,
    throwaway_redis,
    wait_until,
)

pytestmark = pytest.mark.faults

D = dt.date
CHUNK_SIZE = 4  # members per chunk: 4 chunks
CHUNK_SECONDS = 0.5  # each chunk is held open this long inside its transaction
STATUS_SUBJECT = "Your CMA certification status is now:"


def database_url() -> str:
    """The test database, as a URL for another process."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}{password}@{host}:{port}/{s['NAME']}"


def start_worker(redis_url: str, mail_dir: Path) -> subprocess.Popen[bytes]:
    env = portal_env(
        DJANGO_SETTINGS_MODULE="tests.fault_settings",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url,
        FAULTS_MAIL_DIR=str(mail_dir),
        FAULTS_CHUNK_SECONDS=str(CHUNK_SECONDS),
        # A task whose worker died is handed to another worker after 1 s (default: 1 h).
        FAULTS_VISIBILITY_TIMEOUT="1",
    )
    return subprocess.Popen(
        [str(BIN / "celery"), "-A", "tests.fault_worker", "worker", "--pool", "solo",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def chunk_in_flight() -> bool:
    """A worker holds a chunk's transaction open (its members locked, nothing written)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'idle in transaction'"
        )
        return bool(cursor.fetchone()[0])


def mailed(mail_dir: Path) -> Counter[str]:
    """Status-change mails written by every worker, per recipient."""
    sent: Counter[str] = Counter()
    for path in mail_dir.iterdir():
        for message in path.read_text().split("-" * 79):
            if STATUS_SUBJECT in message:
                recipient = re.search(r"^To: (.+)$", message, re.M)
                assert recipient is not None
                sent[recipient.group(1).strip()] += 1
    return sent


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_recompute_then_rerun_gives_the_uninterrupted_result(tmp_path):
    if not ThrowawayRedis.available():
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (apt-get install redis-server)")
        pytest.skip("redis-server is missing: install it to run this fault test")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with throwaway_redis() as redis_server, celery_publishing_to(redis_server.url):
        worker = start_worker(redis_server.url, mail_dir)  # it starts while the data is made
        try:
            members = varied_members()
            # Everyone was active at the last run and is stale now: real changes are mailed.
            Member.objects.update(status="active", status_valid_until=None)
            as_of = timezone.localdate()
            want = expected(members, as_of)
            changed = {pk for pk, (status, _) in want.items() if status != "active"}
            emails = dict(Member.objects.values_list("pk", "user__email"))
            assert len(changed) >= 5
            total = len(members)

            summary = tasks.run_recompute(as_of, chunk_size=CHUNK_SIZE)
            assert summary.dispatched and summary.chunks == total // CHUNK_SIZE
            # Kill the worker once a chunk is committed and the next one is half done.
            wait_until(
                lambda: chunks.stale_count(as_of) < total and chunk_in_flight(),
                60,
                "a committed chunk and one in flight",
                interval=0.05,
            )
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            kill(worker)

        # Half done: the chunk in flight is rolled back (once PostgreSQL has noticed the
        # dead connection), its members are still stale.
        wait_until(lambda: not chunk_in_flight(), 10, "the killed chunk to be rolled back")
        left = chunks.stale_count(as_of)
        assert 0 < left < total and left % CHUNK_SIZE == 0
        assert StatusChange.objects.count() < len(changed)

        # The job again, with a new worker (the killed one's chunk is redelivered too).
        worker = start_worker(redis_server.url, mail_dir)
        try:
            tasks.run_recompute(as_of, chunk_size=CHUNK_SIZE)
            wait_until(
                lambda: (
                    chunks.stale_count(as_of) == 0
                    and not StatusChange.objects.filter(notified_at__isnull=True).exists()
                    and sum(mailed(mail_dir).values()) >= len(changed)
                ),
                90,
                "the rerun to finish and mail",
                interval=0.2,
            )
            # Anything still queued (the redelivered chunk) runs before the counts.
            wait_until(lambda: not chunk_in_flight(), 10, "no chunk in flight")
        finally:
            kill(worker)

    assert stored(want) == want
    history = Counter(StatusChange.objects.values_list("member_id", flat=True))
    assert history == Counter(changed)  # one recorded change each, no duplicate
    assert mailed(mail_dir) == Counter(emails[pk] for pk in changed)  # each mailed once
    assert len(mail.outbox) == 0  # nothing was mailed by this process


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_mails_a_status_change_whose_mail_was_lost():
    member = member_with(D(2023, 3, 1), [(D(2024, 4, 1), 25)])
    first = member_with(D(2023, 3, 1))
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    lost = StatusChange.objects.create(
        member=member, from_status="active", to_status="inactive_makeup", as_of=D(2025, 1, 1),
        changed_at=hour_ago, reason="25 of 30 hours in 2024.",
    )  # fmt: skip
    StatusChange.objects.create(  # a first computation: recorded, never mailed
        member=first, from_status="", to_status="inactive_lapsed", as_of=D(2025, 1, 1),
        changed_at=hour_ago,
    )  # fmt: skip
    StatusChange.objects.create(  # still on its way through the normal mail task
        member=first, from_status="inactive_lapsed", to_status="active", as_of=D(2025, 1, 1),
    )  # fmt: skip

    summary = nightly_status_recompute()  # the beat task, 02:30
    assert summary["unsent_mails_sent"] == 1
    assert [m.to for m in mail.outbox] == [[member.user.email]]
    assert "Inactive (make-up)" in mail.outbox[0].subject
    lost.refresh_from_db()
    assert lost.notified_at is not None

    call_command("recompute_statuses", stdout=StringIO())  # on demand: nothing twice
    assert nightly_status_recompute()["unsent_mails_sent"] == 0  # the next night neither
    assert len(mail.outbox) == 1
