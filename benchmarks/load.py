"""Load benchmark: gunicorn on PostgreSQL, 50 members and 5 staff driven by locust.

See benchmarks/README.md. Against 127.0.0.1 only, bounded in time:

1. creates a separate database (default ``imaportal_load``; the name must contain
   ``load``), migrates it and seeds it through the ORM: N members with several years of
   approved transcript entries and a few pending ones each (the first member has about 500
   entries), and S staff accounts with a TOTP authenticator;
2. collects the static files and starts ``gunicorn imaportal.wsgi -w 4`` with
   ``benchmarks/load_settings.py`` (production settings over plain HTTP, DEBUG off) and
   one Celery worker on a Redis database of its own;
3. runs locust headless (``benchmarks/locustfile.py``): members sign in through the login
   page and browse My status, Transcript, Add Transcript (posting entries) and the PDF
   export; staff sign in with password and TOTP and approve entries from the review queue;
   every user also asks for ``/healthz`` (one query), the reference;
4. prints p50/p95 per page and each page's median over the reference's median, counts the
   rows written during the run and compares them with what the clients counted;
5. stops gunicorn and the worker and drops the database (kept with ``--reuse``).

Exits nonzero when any request failed (5xx or an unexpected answer) or a write is missing.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import hashlib
import hmac
import json
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/13"
PASSWORD = "load-bench-Passw0rd-2026"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TOTP_PERIOD = 30
REFERENCE = "/healthz"
SIGN_IN_LIMIT = 300  # seconds the sign-in phase may take before locust is stopped


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), what an authenticator app shows at ``at``. The
    seed step checks it against allauth's own ``hotp_value`` for every staff secret."""
    counter = int(time.time() if at is None else at) // TOTP_PERIOD
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def parse_duration(text: str) -> int:
    """``120``, ``90s``, ``2m`` or ``1h`` as seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    try:
        if text and text[-1] in units:
            return int(text[:-1]) * units[text[-1]]
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 120, 90s, 2m)") from None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated members (default 50)")
    parser.add_argument("--staff", type=int, default=5, help="simulated staff (default 5)")
    parser.add_argument("--duration", type=parse_duration, default=120, help="e.g. 2m, 90s")
    parser.add_argument("--spawn-rate", type=float, default=1.0, help="users started per second")
    parser.add_argument("--members", type=int, default=60, help="members seeded (>= --users)")
    parser.add_argument("--heavy-entries", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--wait", default="5-15", help="think time per user, seconds (min-max)")
    parser.add_argument("--database", default="imaportal_load")
    parser.add_argument("--server", default=SERVER, help="PostgreSQL URL without a database")
    parser.add_argument("--redis", default=REDIS, help="cache and broker of the run (flushed)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (default: a free one)")
    parser.add_argument("--out", type=Path, default=None, help="folder for CSVs and logs")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database when it is already seeded, and keep it at the end",
    )
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if "load" not in args.database:
        parser.error("the benchmark database name must contain 'load'")
    for url in (args.server, args.redis):
        if urlsplit(url).hostname not in LOOPBACK:
            parser.error(f"{url}: the load benchmark runs against 127.0.0.1 only")
    if args.users < 1 or args.staff < 0 or args.members < args.users:
        parser.error("need --users >= 1, --staff >= 0 and --members >= --users")
    low, _, high = args.wait.partition("-")
    try:
        args.wait_range = (float(low), float(high or low))
    except ValueError:
        parser.error("--wait takes MIN-MAX seconds, e.g. 1-3")
    if args.out is None:
        args.out = Path(f"/tmp/{args.database}")
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def django_env(args: argparse.Namespace, queue: str = "celery") -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.load_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"{args.server}/{args.database}",
        "REDIS_URL": args.redis,
        "SECRET_KEY": "load-benchmark-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "STATIC_ROOT": str(args.out / "static"),
        "EVIDENCE_ROOT": str(args.out / "evidence"),
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "WARNING",
        "LOAD_CELERY_QUEUE": queue,
    }


def manage(args: argparse.Namespace, *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=django_env(args), check=True
    )


# Database ----------------------------------------------------------------------------


def connect(args: argparse.Namespace, database: str) -> Any:
    import psycopg

    return psycopg.connect(f"{args.server}/{database}", autocommit=True)


def seeded_accounts(args: argparse.Namespace) -> dict[str, Any] | None:
    """The accounts of an earlier seed of the same size, when ``--reuse`` can take it."""
    import psycopg

    path = args.out / "accounts.json"
    if not path.exists():
        return None
    accounts: dict[str, Any] = json.loads(path.read_text())
    try:
        with connect(args, args.database) as conn:
            row = conn.execute("SELECT count(*) FROM members_member").fetchone()
    except psycopg.Error:
        return None
    fits = len(accounts["members"]) >= args.users and len(accounts["staff"]) >= args.staff
    return accounts if row and row[0] == len(accounts["members"]) and fits else None


def create_database(args: argparse.Namespace) -> None:
    with connect(args, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.database}"')


def drop_database(args: argparse.Namespace) -> None:
    with connect(args, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')


def seed(args: argparse.Namespace) -> None:
    """Runs in a subprocess with Django set up (``--seed-only``): members, entries and
    staff through the ORM, statuses through the status recompute; writes accounts.json."""
    import django

    django.setup()
    from decimal import Decimal

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from certification.services.recompute import recompute_member
    from cpe.credit import fifty_minute_hours
    from cpe.models import TranscriptEntry
    from imaportal.reasons import Reason
    from members.models import Member, MembershipType, User
    from policy.rules import policy_for_year

    rng = random.Random(14)
    today = timezone.localdate()
    now = timezone.now()
    password_hash = make_password(PASSWORD)  # one hash: hashing 65 passwords takes a minute
    first_names = ["Maria", "Wei", "Ingrid", "Amit", "Fatima", "John", "Ana", "Kenji", "Olu"]
    last_names = ["Lopez", "Chen", "Hansen", "Patel", "Haddad", "Smith", "Silva", "Sato", "Ade"]

    def entry(member: Member, day: dt.date, k: int, status: str) -> TranscriptEntry:
        minutes = rng.randrange(100, 900, 10)
        policy = policy_for_year(day.year)
        hours = fifty_minute_hours(minutes, policy)
        reason = Reason(
            "credit.fifty_minute_hours",
            {
                "minutes": minutes,
                "hours": hours,
                "per_credit": policy.minutes_per_credit,
                "increment": policy.minute_credit_increment,
            },
        )
        created = min(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), now)
        return TranscriptEntry(
            member=member,
            source="self",
            activity_type="short_course",
            title=f"{rng.choice(['Budgeting', 'Costing', 'Controls', 'Analytics'])} seminar {k}",
            provider=rng.choice(["IMA Chapter", "State CPA Society", "Online Academy"]),
            completed_on=day,
            has_instructor=True,
            has_formal_materials=True,
            ethics=rng.random() < 0.15,
            minutes=minutes,
            credit_hours=hours,
            credit_rule="fifty_minute_hour",
            credit_reasons=[reason.as_json()],
            review_status=status,
            reviewed_at=None if status == "pending" else created,
            created_at=created,
            created_by=member.user,
        )

    with transaction.atomic():
        kind, _ = MembershipType.objects.get_or_create(
            code="professional",
            defaults={"name": "Professional", "annual_dues": Decimal("295.00")},
        )
        members: list[Member] = []
        entries: list[TranscriptEntry] = []
        for i in range(args.members):
            heavy = i == 0
            user = User.objects.create(
                email=f"member{i:03d}@load.example",
                password=password_hash,
                first_name=first_names[i % len(first_names)],
                last_name=f"{last_names[i % len(last_names)]} {i}",
            )
            years = 10 if heavy else rng.randint(3, 8)
            certified = dt.date(today.year - years, rng.randint(1, 12), rng.randint(1, 28))
            member = Member.objects.create(
                user=user,
                member_number=f"{40_000_000 + i}",
                birth_date=dt.date(1960 + i % 30, 1 + i % 12, 1 + i % 28),
                country=rng.choice(["US", "CA", "IN", "CN", "DE", "AE"]),
                membership_type=kind,
                certified_on=certified,
                joined_on=certified - dt.timedelta(days=400),
                dues_paid_through=dt.date(today.year, 12, 31),
            )
            members.append(member)
            per_year = args.heavy_entries // (years + 1) if heavy else rng.randint(3, 5)
            for year in range(certified.year, today.year + 1):
                first = max(certified, dt.date(year, 1, 1))
                last = min(today, dt.date(year, 12, 31))
                for k in range(per_year):
                    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
                    entries.append(entry(member, day, k, "approved"))
            for k in range(4):  # waiting in the review queue
                day = today - dt.timedelta(days=rng.randint(1, 60))
                entries.append(entry(member, day, 100 + k, "pending"))
        TranscriptEntry.objects.bulk_create(entries, batch_size=2_000)
        staff = []
        for i in range(args.staff):
            user = User.objects.create(
                email=f"staff{i}@load.example",
                password=password_hash,
                first_name="Reviewer",
                last_name=f"No. {i}",
                is_staff=True,
            )
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
            counter = int(time.time()) // TOTP_PERIOD
            expected = f"{hotp_value(secret, counter):06d}"
            assert totp_code(secret, counter * TOTP_PERIOD) == expected, "TOTP mismatch"
            staff.append({"email": user.email, "secret": secret})
    for member in members:
        recompute_member(member.pk, why="Seeded for the load benchmark.")
    accounts: dict[str, Any] = {
        "password": PASSWORD,
        "members": [{"email": m.user.email, "entries": 0} for m in members],
        "staff": staff,
        "seeded_at": now.isoformat(),
    }
    counts = TranscriptEntry.objects.values_list("member_id").order_by()
    per_member = {m.pk: 0 for m in members}
    for (member_id,) in counts:
        per_member[member_id] += 1
    for account, member in zip(accounts["members"], members, strict=True):
        account["entries"] = per_member[member.pk]
    (args.out / "accounts.json").write_text(json.dumps(accounts, indent=1))
    pending = TranscriptEntry.objects.filter(review_status="pending").count()
    print(
        f"seeded {len(members)} members, {len(entries)} entries ({pending} pending, "
        f"{per_member[members[0].pk]} for {members[0].user.email}), {len(staff)} staff"
    )


# Processes ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, timeout: float) -> int:
    """The status of a GET (loopback only); 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0


def wait_until_up(base: str, workers: int, process: subprocess.Popen[bytes]) -> None:
    """Until the reference answers 200, then warm every worker up (the first request of a
    worker imports the views and templates) one request at a time, so that no request
    waits behind a cold worker once the run starts."""
    deadline = time.monotonic() + 120
    while get(base + REFERENCE, timeout=60) != 200:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see its log")
        if time.monotonic() > deadline:
            raise SystemExit(f"{base}{REFERENCE} did not answer 200 in 2 minutes")
        time.sleep(0.5)
    for _ in range(3 * workers):
        for path in (REFERENCE, "/accounts/login/", "/status/"):
            status = get(base + path, timeout=60)
            if status >= 500 or status == 0:
                raise SystemExit(f"warm-up: {path} answered {status}; see gunicorn.log")


def stop(process: subprocess.Popen[bytes] | None, name: str) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        log(f"{name} did not stop in 20 s: killing it")
        process.kill()
        process.wait()


@contextmanager
def servers(args: argparse.Namespace, port: int, queue: str) -> Iterator[None]:
    env = django_env(args, queue)
    logs = args.out
    gunicorn: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    try:
        worker = subprocess.Popen(
            [BIN / "celery", "-A", "imaportal", "worker", *("--pool", "solo", "-Q", queue)],
            cwd=ROOT,
            env=env,
            stdout=(logs / "celery.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        gunicorn = subprocess.Popen(
            [
                BIN / "gunicorn",
                "imaportal.wsgi",
                *("-w", str(args.workers), "-b", f"127.0.0.1:{port}"),
                *("--access-logfile", str(logs / "access.log")),
                *("--access-logformat", '%(s)s %(m)s "%(U)s" %(M)s'),
            ],
            cwd=ROOT,
            env=env,
            stdout=(logs / "gunicorn.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_until_up(f"http://127.0.0.1:{port}", args.workers, gunicorn)
        yield
    finally:
        stop(gunicorn, "gunicorn")
        stop(worker, "celery worker")


# Figures -----------------------------------------------------------------------------


def read_stats(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def access_log_5xx(path: Path, offset: int) -> int:
    """5xx answers in gunicorn's access log after ``offset`` (the warm-up is before it)."""
    if not path.exists():
        return 0
    with path.open("rb") as handle:
        handle.seek(offset)
        return sum(1 for line in handle if line[:1] == b"5")


def count_rows(args: argparse.Namespace, since: dt.datetime) -> dict[str, int]:
    with connect(args, args.database) as conn:

        def one(sql: str) -> int:
            row = conn.execute(sql, [since]).fetchone()
            return int(row[0]) if row else 0

        return {
            "entries": one(
                "SELECT count(*) FROM cpe_transcriptentry e JOIN members_user u "
                "ON u.id = e.created_by_id WHERE e.created_at >= %s AND NOT u.is_staff"
            ),
            "submitted_events": one(
                "SELECT count(*) FROM cpe_entryevent WHERE action = 'submitted' AND at >= %s"
            ),
            "approvals": one(
                "SELECT count(*) FROM cpe_entryevent WHERE action = 'approved' AND at >= %s"
            ),
            "approved_entries": one(
                "SELECT count(*) FROM cpe_transcriptentry "
                "WHERE review_status = 'approved' AND reviewed_at >= %s"
            ),
        }


def report(
    args: argparse.Namespace,
    stats: list[dict[str, str]],
    counted: dict[str, Any],
    rows: dict[str, int],
    locust_rc: int,
    five_xx: int,
    loads: tuple[str, str],
) -> int:
    """Print the figures; return the number of problems found."""
    pages = [s for s in stats if s["Name"] != "Aggregated"]
    total = next(s for s in stats if s["Name"] == "Aggregated")
    reference = next((s for s in pages if s["Name"] == REFERENCE), None)
    ref_median = float(reference["50%"]) if reference else 0.0
    print()
    print(
        f"Load: {args.users} members + {args.staff} staff, {args.duration} s, "
        f"gunicorn -w {args.workers}, think time {args.wait} s"
    )
    print(f"load average before: {loads[0]}; after: {loads[1]}")
    print(
        f"sign-in phase (everybody signs in, spawned {args.spawn_rate:g}/s): "
        f"{counted.get('sign_in_phase_s', '?')} s; then browsing: "
        f"{counted.get('browsing_s', '?')} s"
    )
    print(
        f"requests: {total['Request Count']}, failures: {total['Failure Count']}, "
        f"{float(total['Requests/s']):.1f} requests/s, 5xx in the access log: {five_xx}"
    )
    print()
    head = f"{'page':<44} {'requests':>8} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p50/ref':>8}"
    print(head)
    print("-" * len(head))
    for s in sorted(pages, key=lambda s: (s["Name"] != REFERENCE, s["Name"], s["Type"])):
        ratio = float(s["50%"]) / ref_median if ref_median else float("nan")
        name = f"{s['Type']} {s['Name']}"
        print(
            f"{name:<44} {s['Request Count']:>8} {s['Failure Count']:>5} "
            f"{s['50%']:>7} {s['95%']:>7} {ratio:>7.1f}×"
        )
    print()
    print(
        f"entries posted (client): {counted.get('posted', 0)}; rows created during the run: "
        f"{rows['entries']} entries, {rows['submitted_events']} 'submitted' events"
    )
    print(
        f"approvals (client): {counted.get('approved', 0)} approved, "
        f"{counted.get('conflicts', 0)} already decided by another reviewer; rows: "
        f"{rows['approvals']} 'approved' events, {rows['approved_entries']} entries approved"
    )
    if counted.get("totp_code_expired_in_flight"):
        print(
            f"TOTP codes that expired while the sign-in waited for the server (typed again): "
            f"{counted['totp_code_expired_in_flight']}"
        )
    if counted.get("conflict_messages"):
        print(f"conflict message seen: {counted['conflict_messages'][0]!r}")
    problems = []
    for key, meaning in (
        ("post_refused", "entry POSTs that the portal did not accept"),
        ("approval_unknown", "approvals whose outcome the queue page did not show"),
        ("pdf_not_pdf", "PDF exports that were not a PDF"),
    ):
        if counted.get(key):
            problems.append(f"{counted[key]} {meaning}")
    if counted.get("queue_empty"):
        print(f"the review queue was empty {counted['queue_empty']} times")
    if int(total["Failure Count"]):
        problems.append(f"{total['Failure Count']} failed requests (see failures.csv)")
    if five_xx:
        problems.append(f"{five_xx} responses with a 5xx status in the access log")
    if locust_rc:
        problems.append(f"locust exited with {locust_rc}")
    if not reference:
        problems.append(f"no {REFERENCE} request was measured")
    unanswered = {k: v for k, v in counted.items() if k.startswith("unanswered")}
    if unanswered:
        print(f"POSTs with no answer in time (their write may or may not exist): {unanswered}")
    expected = counted.get("posted", 0)
    in_doubt = sum(v for k, v in unanswered.items() if "/transcript/add/" in k)
    if rows["entries"] != rows["submitted_events"] or not (
        expected <= rows["entries"] <= expected + in_doubt
    ):
        problems.append(
            f"entries: {expected} posted but {rows['entries']} rows and "
            f"{rows['submitted_events']} 'submitted' events"
        )
    approved = counted.get("approved", 0)
    in_doubt = sum(v for k, v in unanswered.items() if "/staff/review/" in k)
    if rows["approvals"] != rows["approved_entries"] or not (
        approved <= rows["approvals"] <= approved + in_doubt
    ):
        problems.append(
            f"approvals: {approved} counted but {rows['approvals']} events and "
            f"{rows['approved_entries']} entries approved"
        )
    print()
    if problems:
        for problem in problems:
            print(f"PROBLEM: {problem}")
    else:
        print("OK: 0 errors, every write counted by the clients is in the database.")
    return len(problems)


def prepare(args: argparse.Namespace) -> None:
    """Create, migrate and seed the database (or reuse it); collect the static files."""
    accounts = seeded_accounts(args) if args.reuse else None
    if accounts is None:
        log(f"creating and migrating {args.database}")
        create_database(args)
        manage(args, "migrate", "--noinput", "-v0")
        log("seeding through the ORM")
        subprocess.run(
            [sys.executable, __file__, "--seed-only", *sys.argv[1:]],
            cwd=ROOT,
            env=django_env(args),
            check=True,
        )
    else:
        log(f"reusing {args.database} ({len(accounts['members'])} members)")
    if not (args.reuse and (args.out / "static" / "staticfiles.json").exists()):
        log("collecting static files")
        manage(args, "collectstatic", "--noinput", "-v0")


def measure(args: argparse.Namespace, cache: Any) -> int:
    """Serve, run locust, count the rows, print the figures; the number of problems."""
    cache.flushdb()  # the run's own database: rate-limit counters and used codes of old runs
    port = args.port or free_port()
    log(f"starting gunicorn and a Celery worker; load average {load_average()}")
    queue = f"load-{os.getpid()}"
    for name in ("access.log", "locust.log"):
        with suppress(FileNotFoundError):
            (args.out / name).unlink()
    with servers(args, port, queue):
        log(f"gunicorn -w {args.workers} on 127.0.0.1:{port}; load average {load_average()}")
        with connect(args, args.database) as conn:
            row = conn.execute("SELECT now()").fetchone()
            assert row is not None
            since: dt.datetime = row[0]
        results = args.out / "counted.json"
        with suppress(FileNotFoundError):
            results.unlink()
        load_before = load_average()
        access_log = args.out / "access.log"
        offset = access_log.stat().st_size if access_log.exists() else 0
        env = {
            **os.environ,
            "LOAD_ACCOUNTS": str(args.out / "accounts.json"),
            "LOAD_RESULTS": str(results),
            "LOAD_STAFF": str(args.staff),
            "LOAD_WAIT": f"{args.wait_range[0]}-{args.wait_range[1]}",
            "LOAD_USERS": str(args.users + args.staff),
            "LOAD_DURATION": str(args.duration),
        }
        command = [
            str(BIN / "locust"),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--host",
            f"http://127.0.0.1:{port}",
            "-u",
            str(args.users + args.staff),
            "-r",
            str(args.spawn_rate),
            "-t",  # a bound; the browsing phase ends the run after --duration
            f"{args.duration + SIGN_IN_LIMIT}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(args.out / "load"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        log(f"locust: {args.users} members + {args.staff} staff for {args.duration} s")
        with (args.out / "locust.log").open("wb") as locust_log:
            try:
                locust = subprocess.run(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdout=locust_log,
                    stderr=subprocess.STDOUT,
                    timeout=args.duration + SIGN_IN_LIMIT + 60,
                    check=False,
                )
                locust_rc = locust.returncode
            except subprocess.TimeoutExpired:
                log("locust did not finish in time")
                locust_rc = -1
        load_after = load_average()
        counted = json.loads(results.read_text()) if results.exists() else {}
        rows = count_rows(args, since)
        queued = cache.llen(queue)
    stats = read_stats(args.out / "load_stats.csv")
    five_xx = access_log_5xx(access_log, offset)
    problems = report(args, stats, counted, rows, locust_rc, five_xx, (load_before, load_after))
    print(f"Celery tasks still queued when the servers stopped: {queued}")
    failures = read_stats(args.out / "load_failures.csv")
    for failure in failures[:10]:
        print(f"failure: {failure}")
    if locust_rc and not failures:
        print((args.out / "locust.log").read_text()[-3000:])
    return problems


def main() -> int:
    args = parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.seed_only:
        seed(args)
        return 0
    import redis

    started = time.monotonic()
    log(f"load average: {load_average()}; output in {args.out}")
    cache = redis.Redis.from_url(args.redis)
    problems = 1
    try:
        prepare(args)
        problems = measure(args, cache)
    finally:
        cache.flushdb()
        if not args.reuse:
            log(f"dropping {args.database}")
            drop_database(args)
    log(f"done in {time.monotonic() - started:.0f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
