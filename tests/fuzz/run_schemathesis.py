#!/usr/bin/env python3
"""Fuzz the live API v1 with schemathesis, as a member and as staff.

Creates a throwaway PostgreSQL database, migrates it and loads the demo data, starts gunicorn
on a free port (test settings pointed at that database), signs in through
``POST /api/v1/auth/token/`` as a demo member and as the demo reviewer (with the current TOTP
code), runs ``schemathesis run`` against ``/api/v1/schema/`` once per token with the checks
the issue names, then stops the server and drops the database. Exits non-zero when
schemathesis finds anything.

    .venv/bin/python tests/fuzz/run_schemathesis.py                 # what .ci/run runs
    .venv/bin/python tests/fuzz/run_schemathesis.py --seed 7 --max-examples 60
    .venv/bin/python tests/fuzz/run_schemathesis.py --as staff --include-path-regex refunds

Options it does not know itself go to ``schemathesis run``.

PostgreSQL: ``DATABASE_URL`` names the server (its database name is replaced); otherwise
``postgres://postgres@127.0.0.1:5432``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The project's virtualenv (gunicorn, schemathesis), whichever Python runs this script.
BIN = ROOT / ".venv" / "bin" if (ROOT / ".venv" / "bin").is_dir() else Path(sys.executable).parent
PASSWORD = "ima-demo-2026"  # members.demo.DEMO_PASSWORD
MEMBER = "maria.lopez@demo.ima.example"
STAFF = "reviewer@demo.ima.example"
STAFF_TOTP_SECRET = "KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF"  # members.demo.DEMO_TOTP_SECRETS
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,negative_data_rejection"
)
# Operations each role leaves out. Everyone: revoking the token the run signs in with would
# turn the rest of the run into 401s. The member: staff-only operations (only ever 403; the
# staff run covers them). Staff: the token endpoint (no sign-in; the member run covers it)
# and the refund request, which only the member who bought the enrollment may file, and the
# verification links, the member's own.
STAFF_ONLY = (
    "members_create",
    "members_dues_create",
    "offerings_create",
    "offerings_attendance_create",
    "enrollments_partial_update",
    "activities_approve_create",
    "activities_reject_create",
    "exemptions_approve_create",
    "exemptions_reject_create",
    "retirements_approve_create",
    "retirements_reject_create",
    "refunds_approve_create",
    "refunds_deny_create",
    "refunds_issue_create",
)
EXCLUDED_OPERATIONS = {
    "member": ("auth_token_destroy", *STAFF_ONLY),
    "staff": (
        "auth_token_destroy",
        "auth_token_create",
        "enrollments_refund_request_create",
        # Verification links are the member's own: staff only ever get 403.
        "members_verification_links_list",
        "members_verification_links_create",
        "verification_links_destroy",
    ),
}


def totp_now(secret: str, period: int = 30) -> str:
    """RFC 6238 with SHA-1 and 6 digits, as django-allauth's TOTP."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // period), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def server_url() -> urllib.parse.SplitResult:
    return urllib.parse.urlsplit(
        os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    )


def psql(sql: str) -> None:
    """One statement on the maintenance database of the server (via psycopg)."""
    import psycopg

    url = server_url()._replace(path="/postgres").geturl()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def post_json(url: str, payload: dict[str, str]) -> dict[str, str]:
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1, our server
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our server
        result: dict[str, str] = json.load(response)
        return result


def token(base: str, email: str, otp_secret: str | None = None) -> str:
    for attempt in range(3):
        payload = {"email": email, "password": PASSWORD}
        if otp_secret:
            payload["otp"] = totp_now(otp_secret)
        try:
            return post_json(f"{base}/api/v1/auth/token/", payload)["token"]
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            # A TOTP code is single-use: wait for the next window and try again.
            if otp_secret and error.code == 400 and attempt < 2:
                time.sleep(31 - time.time() % 30)
                continue
            sys.exit(f"sign-in as {email} failed: {error.code} {body}")
    raise AssertionError("unreachable")


def wait_for(base: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Until the server answers ``/healthz`` (any status), then load the schema once: the
    first schema generation is slow, and drf-spectacular loads its extensions lazily, so
    concurrent first requests could race (schemathesis then asks for it again)."""
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=10):  # noqa: S310 - ours
                break
        except urllib.error.HTTPError:
            break
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                sys.exit(f"{base} did not answer within {seconds:.0f} s")
            time.sleep(0.3)
    with urllib.request.urlopen(f"{base}/api/v1/schema/", timeout=120):  # noqa: S310 - ours
        pass


# Path parameter -> the rows it names, as (table, the member's column or None).
PATH_IDS = {
    "member_id": ("members_member", "id"),
    "entry_id": ("cpe_transcriptentry", "member_id"),
    "enrollment_id": ("cpe_enrollment", "member_id"),
    "exemption_id": ("certification_exemption", "member_id"),
    "retirement_id": ("certification_retirement", "member_id"),
    "refund_id": ("refunds_refundrequest", "member_id"),
    "offering_id": ("cpe_offering", None),
    "link_id": ("certification_verificationlink", "member_id"),
}


def existing_ids(database_url: str, member_email: str | None) -> dict[str, list[int]]:
    """Ids of demo rows for each path parameter: the member's own (``member_email``) or, for
    staff (None), anyone's; at most 30 each."""
    import psycopg
    from psycopg import sql

    ids: dict[str, list[int]] = {}
    with psycopg.connect(database_url) as conn:
        own = None
        if member_email:
            row = conn.execute(
                "SELECT m.id FROM members_member m JOIN members_user u ON u.id = m.user_id "
                "WHERE u.email = %s",
                (member_email,),
            ).fetchone()
            own = row[0] if row else None
        for name, (table, member_column) in PATH_IDS.items():
            query = sql.SQL("SELECT id FROM {} ").format(sql.Identifier(table))
            if own is not None and member_column is not None:
                query += sql.SQL("WHERE {} = %s ").format(sql.Identifier(member_column))
            query += sql.SQL("ORDER BY id LIMIT 30")
            params = (own,) if own is not None and member_column is not None else ()
            values = [row[0] for row in conn.execute(query, params).fetchall()]
            if values:
                ids[name] = values
    return ids


def config_file(ids: dict[str, list[int]], path: Path) -> Path:
    """A schemathesis.toml that fills each path id with an existing row half of the time, so
    the cases reach the logic behind the 404 (the other half stay generated)."""
    lines = []
    for name, values in ids.items():
        lines += [f"[dictionaries.{name}]", f"values = {values}", ""]
    lines.append("[parameters]")
    for name in ids:
        lines.append(f'"path.{name}" = {{ dictionary = "{name}", probability = 0.5 }}')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def schemathesis(
    base: str,
    auth: str,
    label: str,
    args: argparse.Namespace,
    report_dir: Path,
    config: Path,
) -> int:
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{base}/api/v1/schema/?format=json",
        "--checks",
        CHECKS,
        "--header",
        f"Authorization: Token {auth}",
        "--max-examples",
        str(args.max_examples),
        "--phases",
        args.phases,
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--report",
        "junit",
        "--report-dir",
        str(report_dir / label),
    ]
    if args.seed == "deterministic":
        command += ["--generation-deterministic"]
    elif args.seed != "random":
        command += ["--seed", args.seed]
    for operation_id in EXCLUDED_OPERATIONS[label]:
        command += ["--exclude-operation-id", operation_id]
    command += args.extra
    print(f"\n== schemathesis as {label}", flush=True)
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False)
    parser.add_argument("--max-examples", type=int, default=25, help="per operation and phase")
    parser.add_argument(
        "--seed",
        default="deterministic",
        help="deterministic (the same cases every run, for CI), random, or a number",
    )
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    parser.add_argument("--as", dest="roles", default="member,staff", help="member,staff")
    parser.add_argument("--report-dir", default=str(ROOT / "schemathesis-report"))
    args, extra = parser.parse_known_args()
    args.extra = extra  # options of ``schemathesis run``

    database = f"imaportal_fuzz_{os.getpid()}"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="imaportal.settings.test",
        DATABASE_URL=server_url()._replace(path=f"/{database}").geturl(),
    )
    report_dir = Path(args.report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    server_log_path = report_dir / "server.log"
    psql(f'CREATE DATABASE "{database}"')
    server: subprocess.Popen[bytes] | None = None
    started = time.monotonic()
    server_log = server_log_path.open("wb")  # closed in the finally clause
    try:
        manage = [str(BIN / "python"), "manage.py"]
        for command in (["migrate", "--noinput"], ["load_demo_data"]):
            done = subprocess.run(
                [*manage, *command], cwd=ROOT, env=env, capture_output=True, check=False
            )
            if done.returncode != 0:  # its output only then: the demo's task logs are long
                sys.stdout.buffer.write(done.stdout + done.stderr)
                sys.exit(f"manage.py {' '.join(command)} failed with {done.returncode}")
        print(
            f"database {database} migrated with the demo data ({time.monotonic() - started:.0f} s)"
        )
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # One worker process: the test settings keep the cache (throttles) and the evidence
        # storage in memory, so every request must reach the same process.
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "imaportal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                "60",
                # No request-line limit: the fuzzer's long query strings are the portal's to
                # refuse (400), not gunicorn's HTML 414 (a proxy in front sets its own limit).
                "--limit-request-line",
                "0",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            # Django logs a line per 4xx answer: keep them (and any traceback) out of the way.
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        wait_for(base, server)
        # Both tokens first: fuzzing the token endpoint uses up its rate limit.
        roles = args.roles.split(",")
        tokens = {
            role: token(base, STAFF, STAFF_TOTP_SECRET) if role == "staff" else token(base, MEMBER)
            for role in roles
        }
        failed = []
        for role in roles:
            ids = existing_ids(env["DATABASE_URL"], MEMBER if role == "member" else None)
            config = config_file(ids, report_dir / role / "schemathesis.toml")
            code = schemathesis(base, tokens[role], role, args, report_dir, config)
            if code != 0:
                failed.append(role)
        elapsed = time.monotonic() - started
        if failed:
            print(f"\nschemathesis found problems as {', '.join(failed)} ({elapsed:.0f} s)")
            print(f"The server's log (tracebacks of any 500): {server_log_path}")
            return 1
        print(f"\nschemathesis: nothing found as {args.roles} ({elapsed:.0f} s)")
        return 0
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server_log.close()
        psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
