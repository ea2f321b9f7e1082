"""Benchmark of the nightly status recompute (``certification.nightly``); see benchmarks/README.md.

Generates N certified members with about ten approved CPE entries each over five years in
a separate PostgreSQL database (created and migrated here, never the test or development
database), then times, in one run:

(a) the bare SQL aggregate ``SELECT member_id, extract(year ...), sum(credit_hours) ...
    GROUP BY 1, 2`` over the same rows (the floor the issue compares against);
(b) the first recompute end to end (``run_recompute``: chunk bounds, a Celery group, two
    real ``celery worker`` processes over Redis each running ``recompute_chunk``, until
    the group's results are in);
(c) a second run, with nothing to change (only stale members are read);
(d) a forced full recompute (``--all``) with nothing to change: every member read and
    computed, nothing written.

Prints the time, members per second, the workers' peak memory and the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/14"
T = TypeVar("T")
LOADED_TABLES = ("members_user", "members_member", "cpe_transcriptentry")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=139_000)
    parser.add_argument("--database", default="imaportal_bench")
    parser.add_argument("--server", default=SERVER, help="PostgreSQL URL without a database")
    parser.add_argument("--redis", default=REDIS, help="broker and result backend for the run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=10_000)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the generated data when the database already holds N members "
        "(statuses and history are reset)",
    )
    args = parser.parse_args()
    if "bench" not in args.database:
        parser.error("the benchmark database name must contain 'bench'")
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# Data --------------------------------------------------------------------------------


def create_database(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_env(db_url: str, redis: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "imaportal.settings.local",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis,
        "CELERY_RESULT_BACKEND": redis,
        "DEBUG": "false",
    }


def migrate(db_url: str) -> None:
    env = {**django_env(db_url, ""), "REDIS_URL": ""}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def member_count(db_url: str) -> int:
    try:
        with psycopg.connect(db_url) as conn:
            row = conn.execute("SELECT count(*) FROM members_member").fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:
        return -1


@contextmanager
def bulk_load(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """Drop the secondary indexes and skip the foreign-key triggers while loading; rebuild
    the same indexes afterwards."""
    saved: list[tuple[str, str]] = []
    for table in LOADED_TABLES:
        saved += conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        ).fetchall()
    for name, _definition in saved:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("SET session_replication_role = replica")
    yield
    conn.execute("SET session_replication_role = DEFAULT")
    conn.execute("SET maintenance_work_mem = '1GB'")
    for _name, definition in saved:
        conn.execute(definition)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _credit_reasons(minutes: int, half_hours: int) -> str:
    """The stored reasons of a 50-minute-hour entry (``Reason.as_json()`` of
    ``credit.fifty_minute_hours``), as JSON for COPY."""
    reason = {
        "code": "credit.fifty_minute_hours",
        "params": {
            "minutes": minutes,
            "hours": {"decimal": f"{half_hours / 2:.1f}"},
            "per_credit": 50,
            "increment": {"decimal": "0.5"},
        },
    }
    return json.dumps([reason], separators=(",", ":"))


def generate(db_url: str, n: int, as_of: dt.date, seed: int) -> int:
    """N certified members: most certified five to six years before ``as_of`` with ~10
    entries (about 92 % approved, 10 % ethics) spread from their certification to
    ``as_of``; 3 % certified this year (grace); 94 % with dues paid through next year, 6 %
    unpaid since last year; 1 % retired; 1 % with an exempt year. Returns the number of
    entries."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).isoformat()
    five_years_ago = as_of.replace(year=as_of.year - 5)
    entries = 0
    with psycopg.connect(db_url, autocommit=True) as conn, bulk_load(conn):
        with conn.cursor().copy(
            "COPY members_user (id, password, is_superuser, first_name, last_name, is_staff, "
            "is_active, date_joined, email) FROM STDIN"
        ) as copy:
            for start in range(1, n + 1, 10_000):
                copy.write(
                    "".join(
                        f"{i}\t!\tf\tBench\tMember {i}\tf\tt\t{now}\tbench{i}@bench.example\n"
                        for i in range(start, min(n, start + 9_999) + 1)
                    )
                )
        certified: list[dt.date] = []
        with conn.cursor().copy(
            "COPY members_member (id, member_number, birth_date, country, certified_on, "
            "dues_paid_through, status, joined_on, created_at, user_id, language) FROM STDIN"
        ) as copy:
            lines = []
            for i in range(1, n + 1):
                if rng.random() < 0.03:
                    cert = _day(rng, as_of.replace(month=1, day=1), as_of)
                else:
                    cert = _day(rng, as_of.replace(year=as_of.year - 6), five_years_ago)
                certified.append(cert)
                dues = dt.date(as_of.year + (-1 if rng.random() < 0.06 else 1), 12, 31)
                lines.append(
                    f"{i}\t{10_000_000 + i}\t1970-01-01\tUS\t{cert}\t{dues}\t\t{cert}\t{now}\t"
                    f"{i}\ten\n"
                )
                if len(lines) == 10_000:
                    copy.write("".join(lines))
                    lines = []
            copy.write("".join(lines))
        tail = f"\t\t\t\t\t{now}\t{now}\t1\n"
        with conn.cursor().copy(
            "COPY cpe_transcriptentry (member_id, completed_on, ethics, credit_hours, "
            "review_status, minutes, source, activity_type, title, provider, has_instructor, "
            "has_formal_materials, review_course_for, first_presentation, "
            "substantially_revised, first_time, substantially_changed, exam_name, "
            "publication_kind, publication_status, credit_rule, credit_reasons, "
            "review_reason, evidence, evidence_name, evidence_content_type, created_at, "
            "updated_at, version) FROM STDIN"
        ) as copy:
            lines = []
            for i, cert in enumerate(certified, start=1):
                span = (as_of - cert).days
                for k in range(rng.randint(9, 12) if span > 60 else rng.randint(0, 3)):
                    day = cert + dt.timedelta(days=rng.randint(0, span))
                    half_hours = rng.randint(24, 84)
                    state = rng.random()
                    review = (
                        "approved" if state < 0.92 else "pending" if state < 0.97 else "rejected"
                    )
                    lines.append(
                        f"{i}\t{day}\t{'t' if rng.random() < 0.1 else 'f'}\t{half_hours / 2:.1f}\t"
                        f"{review}\t{half_hours * 25}\tima\tshort_course\tSeminar {k}\t"
                        f"Bench Institute\tt\tt\t\tt\tf\tt\tf\t\t\t\tfifty_minute_hour\t"
                        f"{_credit_reasons(half_hours * 25, half_hours)}" + tail
                    )
                if len(lines) >= 50_000:
                    entries += len(lines)
                    copy.write("".join(lines))
                    lines = []
            entries += len(lines)
            copy.write("".join(lines))
        retired = [i for i in range(1, n + 1) if rng.random() < 0.01]
        with conn.cursor().copy(
            "COPY certification_retirement (member_id, retired_on, explanation, state, "
            "decision_reason, created_at) FROM STDIN"
        ) as copy:
            for i in retired:
                day = _day(rng, five_years_ago, as_of)
                copy.write(f"{i}\t{day}\t\tapproved\t\t{now}\n")
        exempt = [i for i in range(1, n + 1) if rng.random() < 0.01]
        with conn.cursor().copy(
            "COPY certification_exemption (member_id, reason, years, explanation, document, "
            "document_name, document_content_type, state, decision_reason, created_at) "
            "FROM STDIN"
        ) as copy:
            for i in exempt:
                year = rng.randint(as_of.year - 4, as_of.year)
                copy.write(f"{i}\tillness\t[{year}]\tBench\t\t\t\tapproved\t\t{now}\n")
        for table in ("members_user", "members_member"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})")
    return entries


def reset_statuses(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("TRUNCATE certification_statuschange")
        conn.execute("UPDATE members_member SET status = '', status_valid_until = NULL")


def vacuum(db_url: str) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")


# Measurements ------------------------------------------------------------------------

AGGREGATE = (
    "SELECT member_id, extract(year from completed_on), sum(credit_hours) "
    "FROM cpe_transcriptentry GROUP BY 1, 2"
)


def time_aggregate(db_url: str) -> tuple[float, float, int]:
    """Seconds for the bare aggregate with its result sent to the client (held by libpq,
    not turned into Python objects), and on the server alone (``count(*)`` over it); warm:
    the best of two runs."""
    sent, server, rows = [], [], 0
    with psycopg.connect(db_url) as conn:
        for _ in range(2):
            started = time.perf_counter()
            cursor = conn.execute(AGGREGATE)
            rows = cursor.rowcount
            sent.append(time.perf_counter() - started)
            cursor.close()
            started = time.perf_counter()
            conn.execute(f"SELECT count(*) FROM ({AGGREGATE}) AS s")
            server.append(time.perf_counter() - started)
    return min(sent), min(server), rows


def busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (``/proc/stat``), to see how much of the
    two cores a run used (workers, PostgreSQL, Redis and whatever else runs)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def timed(run: Callable[[], T]) -> tuple[T, float]:
    before = busy_seconds()
    result = run()
    return result, busy_seconds() - before


def peak_rss_mb(pid: int) -> float:
    """The peak resident set of a live process (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def celery_workers(count: int, env: dict[str, str], queue: str) -> Iterator[list[int]]:
    """``count`` real ``celery worker`` processes (solo pool: the process runs the tasks
    itself) consuming ``queue``; yields their pids once they answer a ping."""
    from imaportal.celery import app

    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "imaportal",
                "worker",
                "--pool",
                "solo",
                "-Q",
                queue,
                "-n",
                f"bench{k}-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                os.environ.get("BENCH_WORKER_LOGLEVEL", "WARNING"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(f"/tmp/bench-worker-{k}.log", "w"),  # noqa: SIM115
        )
        for k in range(count)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=0.5) or []) < count:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError("the Celery workers did not start (see /tmp/bench-worker-*.log)")
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=60)


def main() -> None:
    args = parse_args()
    n: int = args.members
    db_url = f"{args.server}/{args.database}"
    if args.reuse and member_count(db_url) == n:
        log(f"reusing {n} members in {args.database}; resetting statuses and history")
        reset_statuses(db_url)
    else:
        log(f"creating and migrating {args.database}")
        create_database(args.server, args.database)
        migrate(db_url)
        log(f"generating {n} members and their entries")
        started = time.perf_counter()
        entries = generate(db_url, n, args.as_of, args.seed)
        log(f"generated {entries} entries in {time.perf_counter() - started:.1f} s")
    vacuum(db_url)

    env = django_env(db_url, args.redis)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from certification.nightly.chunks import RecomputeSummary, stale_count
    from certification.tasks import run_recompute

    with psycopg.connect(db_url) as conn:
        row = conn.execute("SELECT count(*) FROM cpe_transcriptentry").fetchone()
        total_entries = int(row[0]) if row else 0

    queue = f"bench-{os.getpid()}"
    as_of: dt.date = args.as_of
    new_year = dt.date(as_of.year + 1, 1, 1)
    runs: dict[str, tuple[RecomputeSummary, float]] = {}

    def measure(label: str, day: dt.date, everyone: bool = False) -> RecomputeSummary:
        log(label)
        summary, cpu = timed(
            lambda: run_recompute(
                day, chunk_size=args.chunk_size, everyone=everyone, wait=True, queue=queue
            )
        )
        runs[label] = (summary, cpu)
        return summary

    # The workers start first, so that they fork from a small process.
    with celery_workers(args.workers, env, queue) as pids:
        log("(a) bare SQL aggregate")
        floor, floor_server, groups = time_aggregate(db_url)
        first = measure("(b) first run", as_of)
        left = stale_count(as_of)
        second = measure("(c) second run", as_of)
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("ANALYZE members_member")  # what autovacuum does within a minute
        second_analyzed = measure("(c') second run, after ANALYZE", as_of)
        forced = measure("(d) --all, nothing to change", as_of, everyone=True)
        measure(f"(e) New Year's night, as of {new_year}", new_year)
        peaks = [peak_rss_mb(pid) for pid in pids]
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with psycopg.connect(db_url) as conn:
        by_status = conn.execute(
            "SELECT status, count(*) FROM members_member GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
        mails = conn.execute(
            "SELECT count(*) FROM certification_statuschange WHERE from_status <> ''"
        ).fetchone()
    purged = app_purge()

    cores = os.cpu_count() or 1
    print()
    print(f"as of {as_of}: {n} members, {total_entries} entries, {groups} (member, year) groups")
    print(f"workers: {args.workers} x celery worker --pool solo, chunk size {args.chunk_size}")
    print(f"(a) bare SQL aggregate: {floor:.2f} s with its result sent to the client, ")
    print(f"    {floor_server:.2f} s on the server alone")
    for label, (run, cpu) in runs.items():
        rate = f", {run.read / run.seconds:,.0f} members/s" if run.read else ""
        print(f"{label}: {run.seconds:.2f} s{rate}")
        print(
            f"    {run.chunks} chunks, {run.read} read, {run.written} written, "
            f"{run.status_changes} status changes; worker seconds: read "
            f"{run.read_seconds:.1f}, rule {run.compute_seconds:.1f}, write "
            f"{run.write_seconds:.1f}; machine busy {cpu:.1f} of {run.seconds * cores:.1f} CPU s"
        )
    print(f"stale after the first run: {left}")
    print(f"peak memory per worker (VmHWM): {', '.join(f'{p:.0f} MB' for p in peaks)}")
    print(f"peak memory of any child process (RUSAGE_CHILDREN): {children:.0f} MB")
    print(f"peak memory of this benchmark process: {own:.0f} MB")
    print(f"ratio first run / bare aggregate: {first.seconds / floor:.1f}x sent, ", end="")
    print(f"{first.seconds / floor_server:.1f}x server alone")
    for label, other in (("second run", second), ("second run after ANALYZE", second_analyzed)):
        print(f"ratio first run / {label}: {first.seconds / max(other.seconds, 1e-3):.0f}x")
    print(f"ratio first run / --all no-change run: {first.seconds / forced.seconds:.1f}x")
    print(f"status-change mails queued by (e) (not sent here): {mails[0] if mails else 0}")
    print(f"  ({purged} mail tasks purged from the benchmark broker)")
    print("statuses after (e): " + ", ".join(f"{s} {c}" for s, c in by_status))


def app_purge() -> int:
    """Drop the status-change mail tasks the runs queued (no worker here sends them)."""
    from imaportal.celery import app

    return int(app.control.purge() or 0)


if __name__ == "__main__":
    main()
