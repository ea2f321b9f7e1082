"""Backups: ``ops/backup.sh`` dumps the database and the evidence files; ``ops/restore.sh``
puts them into a fresh database and folder, where every member, entry (with a readable
evidence file), exemption, retirement, dues payment, enrollment and refund is found again."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from certification.models import Exemption, Retirement
from cpe.models import Enrollment, TranscriptEntry
from members.models import DuesPayment, Member, User
from refunds.models import RefundRequest
from tests.factories import EntryFactory, MemberFactory

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "ops" / "backup.sh"
RESTORE = ROOT / "ops" / "restore.sh"

pytestmark = pytest.mark.django_db(transaction=True)

# Every table whose rows a restore must bring back, with the columns compared.
TABLES: dict[str, tuple[Any, list[str]]] = {
    "users": (User, ["id", "email", "password", "is_staff"]),
    "members": (Member, ["id", "user_id", "member_number", "status", "dues_paid_through"]),
    "entries": (
        TranscriptEntry,
        ["id", "member_id", "title", "credit_hours", "review_status", "evidence"],
    ),
    "exemptions": (Exemption, ["id", "member_id", "state", "years", "document"]),
    "retirements": (Retirement, ["id", "member_id", "state", "retired_on"]),
    "dues": (DuesPayment, ["id", "member_id", "amount", "paid_through"]),
    "enrollments": (Enrollment, ["id", "member_id", "offering_id", "price"]),
    "refunds": (RefundRequest, ["id", "enrollment_id", "state", "amount", "reference"]),
}


@pytest.fixture
def pg_tools():
    missing = [t for t in ("pg_dump", "pg_restore", "psql") if not shutil.which(t)]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} missing; .ci/run installs postgresql-client")
        pytest.skip(f"{', '.join(missing)} not installed (apt-get install postgresql-client)")


def database_url(name: str) -> str:
    """A libpq URL for database ``name`` on the server the tests use."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = quote(s.get("HOST") or "localhost", safe="")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgresql://{auth}@{host}{port}/{name}"


@pytest.fixture
def fresh_database(pg_tools):
    """An empty database of its own on the same server, dropped afterwards."""
    name = f"restore_{uuid.uuid4().hex[:12]}"
    admin = database_url(connection.settings_dict["NAME"])
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def evidence_root(tmp_path, monkeypatch):
    """Evidence on the file system (the tests otherwise keep it in memory), as in
    production with EVIDENCE_ROOT."""
    root = tmp_path / "evidence"
    root.mkdir()
    storage = FileSystemStorage(location=root)
    monkeypatch.setattr(TranscriptEntry._meta.get_field("evidence"), "storage", storage)
    monkeypatch.setattr(Exemption._meta.get_field("document"), "storage", storage)
    return root


def run(script: Path, arg: Path | str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script), str(arg)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def rows(conn: psycopg.Connection[Any], model: Any, columns: list[str]) -> list[tuple[Any, ...]]:
    query = sql.SQL("SELECT {} FROM {} ORDER BY id").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns), sql.Identifier(model._meta.db_table)
    )
    return conn.execute(query).fetchall()


def portal_data() -> list[Any]:
    """The demo data (members, entries in every state, exemptions, retirements, dues,
    purchases and refunds in every state) plus entries and an exemption with files."""
    call_command("load_demo_data", verbosity=0)
    members = list(Member.objects.order_by("pk")[:3])
    files = []
    for i, member in enumerate(members):
        entry = EntryFactory(
            member=member,
            title=f"Seminar with evidence {i}",
            evidence_content_type="application/pdf",
            completed_on=dt.date(2026, 5, 4),
        )
        entry.evidence.save(f"certificate-{i}.pdf", ContentFile(b"%PDF-1.4 " + bytes([i]) * 64))
        files.append(entry)
    exemption = Exemption.objects.order_by("pk").first()
    assert exemption is not None
    exemption.document.save("letter.pdf", ContentFile(b"%PDF-1.4 exemption letter"))
    return files


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(
    tmp_path, evidence_root, fresh_database
):
    entries_with_files = portal_data()
    source = database_url(connection.settings_dict["NAME"])
    with psycopg.connect(source) as conn:
        before = {key: rows(conn, model, cols) for key, (model, cols) in TABLES.items()}
    for key, found in before.items():
        assert found, f"the data set has no {key}: the test would prove nothing"
    assert {r[2] for r in before["refunds"]} == {"requested", "approved", "denied", "issued"}

    backup = run(
        BACKUP, tmp_path / "backups", DATABASE_URL=source, EVIDENCE_ROOT=str(evidence_root)
    )
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "db.dump", "evidence.tar.gz"]

    restored_root = tmp_path / "restored-evidence"
    target = database_url(fresh_database)
    restore = run(RESTORE, folder, DATABASE_URL=target, EVIDENCE_ROOT=str(restored_root))
    assert restore.returncode == 0, restore.stderr

    with psycopg.connect(target) as conn:
        after = {key: rows(conn, model, cols) for key, (model, cols) in TABLES.items()}
        for key in TABLES:
            assert after[key] == before[key], key
        # The restored database answers the portal's own queries: the migrations are there.
        applied = conn.execute("SELECT count(*) FROM django_migrations").fetchone()
        assert applied is not None and applied[0] > 0
        # Every file a restored row names is there, byte for byte.
        names = [
            r[0]
            for r in conn.execute("SELECT evidence FROM cpe_transcriptentry WHERE evidence <> ''")
        ] + [
            r[0]
            for r in conn.execute(
                "SELECT document FROM certification_exemption WHERE document <> ''"
            )
        ]
    assert len(names) == len(entries_with_files) + 1
    for name in names:
        assert (restored_root / name).read_bytes() == (evidence_root / name).read_bytes(), name
    for entry in entries_with_files:
        assert (restored_root / entry.evidence.name).read_bytes().startswith(b"%PDF-1.4 ")


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, evidence_root, pg_tools):
    member = MemberFactory()
    source = database_url(connection.settings_dict["NAME"])
    backup = run(
        BACKUP, tmp_path / "backups", DATABASE_URL=source, EVIDENCE_ROOT=str(evidence_root)
    )
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    # Restoring over the live database must not touch it.
    restore = run(RESTORE, folder, DATABASE_URL=source, EVIDENCE_ROOT=str(tmp_path / "x"))
    assert restore.returncode == 1
    assert "restore into a new, empty database" in restore.stderr
    assert list(Member.objects.values_list("pk", flat=True)) == [member.pk]  # untouched


def test_restore_refuses_a_damaged_backup(tmp_path, evidence_root, fresh_database):
    source = database_url(connection.settings_dict["NAME"])
    backup = run(
        BACKUP, tmp_path / "backups", DATABASE_URL=source, EVIDENCE_ROOT=str(evidence_root)
    )
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    with (folder / "db.dump").open("ab") as dump:
        dump.write(b"garbage")
    restore = run(
        RESTORE, folder, DATABASE_URL=database_url(fresh_database), EVIDENCE_ROOT=str(tmp_path)
    )
    assert restore.returncode == 1
    assert "checksums do not match" in restore.stderr
    with psycopg.connect(database_url(fresh_database)) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)


def test_backup_needs_a_postgres_url(tmp_path, pg_tools):
    result = run(BACKUP, tmp_path, DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode == 2
    assert "DATABASE_URL must be a PostgreSQL URL" in result.stderr
