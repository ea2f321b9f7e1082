"""Handing work to Celery without depending on Redis being up.

``enqueue`` publishes a task with the short connection timeouts and single retry of the
settings (``CELERY_BROKER_*``, ``CELERY_TASK_PUBLISH_RETRY_POLICY``); when the broker cannot
be reached it logs a warning and runs the task here instead, so the work is done rather
than lost: a member's decision mail or status-change mail goes out from the web process
while Redis is down. The tasks passed here are idempotent or recorded (a status-change mail
is claimed through ``StatusChange.notified_at``), and the nightly job mails any recorded
status change that was still not sent (``certification.mail.mail_unsent_changes``).

A failure of the task itself when run here is logged, never raised: ``enqueue`` runs after
the commit of a write that already succeeded, and the member must not see a 500 for it.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_UNREACHABLE = (KombuError, RedisError, OSError)


def enqueue(task: Task[Any, Any], *args: Any) -> None:
    """Send ``task(*args)`` to the workers, or run it here when the broker is down."""
    if task.app.conf.task_always_eager:
        task.apply_async(args)
        return
    try:
        task.apply_async(args)
    except BROKER_UNREACHABLE as exc:
        logger.warning("Broker unreachable (%s): running %s%r in-process.", exc, task.name, args)
        try:
            task.apply(args, throw=True)
        except Exception:  # the write is committed; log it, the nightly job catches up
            logger.exception("%s%r failed in-process.", task.name, args)
