"""Settings, management commands, health check and Celery wiring."""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from imaportal.signing import key_set_text, new_key
from members.models import Member, User
from tests.celery_queues import forget_queue, private_queue

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env_extra=None, settings_module="imaportal.settings.production"):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "PORTAL_URL",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "IMAPORTAL_ISSUER_KEYS",
            "IMAPORTAL_ISSUER_KEY_FILE",
        }
    }
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION_ENV = {
    "SECRET_KEY": "k7#Zq!2vX9m@Lp4RtW8yB1nE6cH3jD0fG5sA*uI&oP-+Q=rTx8Vb2Nw5Ym0Kq",
    "ALLOWED_HOSTS": "portal.ima.example",
    "PORTAL_URL": "https://portal.ima.example",
    "DATABASE_URL": "sqlite:////tmp/imaportal-deploy-check.sqlite3",
    # The credential issuer's Ed25519 key, as a JWK set (imaportal/signing.py).
    "IMAPORTAL_ISSUER_KEYS": key_set_text((new_key(),)),
}


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env_extra=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_a_portal_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PORTAL_URL"}
    result = manage("check", env_extra=env)
    assert result.returncode != 0
    assert "PORTAL_URL" in result.stderr


def test_check_deploy_refuses_to_run_without_a_credential_signing_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "IMAPORTAL_ISSUER_KEYS"}
    result = manage("check", "--deploy", env_extra=env)
    assert result.returncode != 0
    assert "certification.E001" in result.stdout + result.stderr


def test_check_deploy_refuses_a_portal_url_that_is_not_https():
    env = {**PRODUCTION_ENV, "PORTAL_URL": "http://portal.ima.example"}
    result = manage("check", "--deploy", env_extra=env)
    assert result.returncode != 0
    assert "notifications.E001" in result.stdout + result.stderr


def _local_env(pgdir: Path) -> dict[str, str]:
    """``serve``'s environment: local settings, no DATABASE_URL or REDIS_URL."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "imaportal.settings.local"
    env["EMBEDDED_PG_DIR"] = str(pgdir)
    return env


def test_serve_default_database_is_embedded_postgres_and_recompute_all_runs(tmp_path):
    """``serve``'s default database runs every command, ``recompute_statuses --all``
    included (it failed on the former SQLite default: ``no such function: set_config``);
    the data persists in EMBEDDED_PG_DIR between runs."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "from django.core.management import call_command as c; "
        "c('migrate', '--noinput', verbosity=0); c('load_demo_data', verbosity=0); "
        "c('recompute_statuses', '--all'); "
        "print('RESULT', s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
    )
    pgdir = tmp_path / "pgdata"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_local_env(pgdir),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "12 members read" in result.stdout
    result_line = next(li for li in result.stdout.splitlines() if li.startswith("RESULT"))
    assert result_line.split()[1:] == ["django.db.backends.postgresql", "True", "True"]
    assert (pgdir / "PG_VERSION").exists()
    again = subprocess.run(
        [sys.executable, "manage.py", "recompute_statuses", "--all"],
        cwd=ROOT,
        env=_local_env(pgdir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "12 members read" in again.stdout


@pytest.mark.django_db
def test_createsuperuser_noinput_from_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@ima.example")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a strong admin passphrase")
    call_command("createsuperuser", "--noinput", verbosity=0)
    user = User.objects.get(email="root@ima.example")
    assert user.is_superuser and user.is_staff
    assert user.check_password("a strong admin passphrase")


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_prints_logins(capsys):
    call_command("load_demo_data")
    first = capsys.readouterr().out
    call_command("load_demo_data")
    assert Member.objects.count() == 12
    assert User.objects.filter(is_staff=True).count() == 2
    assert Member.objects.filter(certified_on__isnull=True).count() >= 2
    assert len({m.certified_on for m in Member.objects.exclude(certified_on=None)}) >= 8
    assert "admin@demo.ima.example" in first
    assert "maria.lopez@demo.ima.example" in first
    assert "ima-demo-2026" in first
    # Refund requests in every state, one of them overdue for the staff queue.
    from django.utils import timezone

    from refunds.models import RefundRequest
    from refunds.selectors import is_overdue

    refunds = list(RefundRequest.objects.all())
    assert {r.state for r in refunds} == {"requested", "approved", "denied", "issued"}
    assert len(refunds) == 4
    assert [r for r in refunds if is_overdue(r, timezone.localdate())]


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    body = response.json()
    assert body["database"] == {"ok": True, "vendor": "postgresql"}
    assert response.status_code == 200
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client):
    from imaportal.celery import app

    original = app.conf.broker_url
    app.conf.update(broker_url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
            response = client.get("/healthz")
    finally:
        app.conf.update(broker_url=original)
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_redis_is_the_broker_in_tests():
    """Redis is real in tests and CI: the broker the health check pings is Redis."""
    assert settings.CELERY_BROKER_URL.startswith("redis://"), (
        "no Redis found: set REDIS_URL or start redis-server on 127.0.0.1:6379"
    )


def test_beat_schedule_names_registered_tasks():
    from imaportal.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_session_cleanup_through_redis():
    from celery.contrib.testing.worker import start_worker

    from imaportal.celery import app
    from members.tasks import clear_expired_sessions

    Session.objects.create(
        session_key="expired",
        session_data="x",
        expire_date=timezone.now() - dt.timedelta(days=1),
    )
    Session.objects.create(
        session_key="current",
        session_data="x",
        expire_date=timezone.now() + dt.timedelta(days=1),
    )
    queue = private_queue("platform")
    app.conf.update(task_always_eager=False)
    try:
        with start_worker(
            app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=[queue]
        ):
            clear_expired_sessions.apply_async(queue=queue)
            deadline = time.monotonic() + 30
            while Session.objects.filter(session_key="expired").exists():
                assert time.monotonic() < deadline, "the worker did not run the task in 30 s"
                time.sleep(0.1)
    finally:
        app.conf.update(task_always_eager=True)
        forget_queue(queue)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
