"""Private Celery queues for the tests that run a real worker on the Redis broker, and
their removal afterwards: a run leaves no ``_kombu.binding*`` keys behind. Queue names
carry this run's id (shared with pytest-xdist workers and subprocesses through the
environment), so the session-end check sees only its own run's leftovers."""

from __future__ import annotations

import os
import uuid

import redis
from django.conf import settings

RUN = os.environ.setdefault("IMAPORTAL_TEST_RUN", uuid.uuid4().hex[:8])


def private_queue(label: str) -> str:
    """A queue name of its own, so messages other runs left in the broker cannot delay it."""
    return f"test-{RUN}-{label}-{uuid.uuid4().hex[:6]}"


def _broker() -> redis.Redis | None:
    url: str = settings.CELERY_BROKER_URL
    return redis.Redis.from_url(url) if url.startswith("redis") else None


def _keys(pattern: str) -> list[bytes]:
    client = _broker()
    return list(client.scan_iter(match=pattern, count=1000)) if client else []


def forget_queue(queue: str) -> None:
    """Delete the queue, its bindings and anything else kombu keyed by its name."""
    client = _broker()
    if client is not None and (keys := _keys(f"*{queue}*")):
        client.delete(*keys)


def leftovers() -> list[str]:
    """This run's keys still in the broker (none once every private queue is forgotten)."""
    return sorted(k.decode() for k in _keys(f"*test-{RUN}-*"))
