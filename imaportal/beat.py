"""Celery beat's scheduler with a heartbeat: every tick touches ``BEAT_HEARTBEAT_FILE``, so
a container healthcheck tells a live beat from a hung one by the file's age (beat ticks at
least every ``--max-interval`` seconds even when nothing is due)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from celery.beat import PersistentScheduler

HEARTBEAT = Path(os.environ.get("BEAT_HEARTBEAT_FILE", "/tmp/celerybeat-heartbeat"))  # noqa: S108  # nosec B108 - the container's own /tmp, read by its healthcheck


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args: Any, **kwargs: Any) -> float:
        HEARTBEAT.touch()
        interval: float = super().tick(*args, **kwargs)
        return interval
