"""Production as it runs in the image: the production settings, a non-root user
(``nobody``), a read-only copy of the app and a writable evidence folder. A member signs
in and uploads a PDF; the file lands in the evidence folder and nothing else is written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from members.models import Member

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(
    ".git", ".venv", ".pgdata", "__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache",
    ".pytest_cache", ".hypothesis", ".schemathesis", "schemathesis-report", "media",
    "private", "staticfiles", "benchmarks",
)  # fmt: skip

UPLOAD = """
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from cpe.models import TranscriptEntry
from members.models import User
from tests.payloads import FORM, PDF

client = Client(HTTP_HOST="portal.ima.example")
client.force_login(User.objects.get(pk={user_id}))
upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
response = client.post(reverse("cpe:entry_add"), {{**FORM, "evidence": upload}}, secure=True)
entry = TranscriptEntry.objects.get(member__user_id={user_id})
print("RESULT", response.status_code, entry.evidence.name)
"""


def read_only(tree: Path) -> None:
    for path in [tree, *tree.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o555 if path.is_dir() else 0o444)


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as nobody (setpriv)")
@pytest.mark.django_db(transaction=True)
def test_production_as_nobody_on_a_read_only_app_uploads_evidence(member_a: Member):
    if "HOST" not in connection.settings_dict or "/" in str(connection.settings_dict["HOST"]):
        pytest.skip("needs PostgreSQL over TCP (the embedded server uses a socket)")
    base = Path(tempfile.mkdtemp(prefix="imaportal-nonroot-"))
    try:
        base.chmod(0o755)
        app, evidence = base / "app", base / "evidence"
        shutil.copytree(ROOT, app, ignore=SKIP)
        evidence.mkdir()
        shutil.chown(evidence, "nobody")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": "/nonexistent",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "imaportal.settings.production",
            "SECRET_KEY": "k7#Zq!2vX9m@Lp4RtW8yB1nE6cH3jD0fG5sA*uI&oP-+Q=rTx8Vb2Nw5Ym0Kq",
            "ALLOWED_HOSTS": "portal.ima.example",
            "PORTAL_URL": "https://portal.ima.example",
            "DATABASE_URL": database_url(),
            "EVIDENCE_ROOT": str(evidence),
            "MEDIA_ROOT": str(evidence / "media-unused"),
        }
        # The upload answers a redirect, no page: no collected static files needed.
        read_only(app)
        code = UPLOAD.format(user_id=member_a.user_id)
        as_nobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        result = subprocess.run(
            [*as_nobody, sys.executable, "-c", code],
            cwd=app,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        line = next(li for li in result.stdout.splitlines() if li.startswith("RESULT"))
        status, name = line.split()[1:]
        assert status == "302"
        stored = evidence / name
        assert stored.read_bytes().startswith(b"%PDF")
        assert stored.stat().st_uid != 0  # written by nobody
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)
