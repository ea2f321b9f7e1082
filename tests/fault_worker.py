"""The Celery app of the fault tests' workers (``celery -A tests.fault_worker worker``): the
portal's own app and tasks, with each nightly chunk held open for ``FAULTS_CHUNK_SECONDS``
inside its transaction (after locking its members, before writing), so that a test can kill
the worker in the middle of the nightly recompute rather than between two chunks."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from celery.signals import task_prerun

from imaportal.celery import app

__all__ = ["app"]

CHUNK_SECONDS = float(os.environ.get("FAULTS_CHUNK_SECONDS", "0"))


@task_prerun.connect
def _hold_chunks_open(**kwargs: Any) -> None:
    from certification.nightly import chunks

    real = chunks.compute_all
    if not CHUNK_SECONDS or getattr(real, "held_open", False):
        return

    def held_open(*args: Any, **kwargs: Any) -> Iterator[Any]:
        time.sleep(CHUNK_SECONDS)
        yield from real(*args, **kwargs)

    held_open.held_open = True
    chunks.compute_all = held_open
