"""Celery tasks of the members app: thin and idempotent."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="members.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Nightly housekeeping: delete expired browser sessions."""
    call_command("clearsessions")
