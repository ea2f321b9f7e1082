"""The one mail task, and the sweep that catches what a lost or failed task left unsent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task

from notifications.delivery import MAX_ATTEMPTS, deliver, unsent_mail_ids

SWEEP_AFTER = dt.timedelta(minutes=5)


@shared_task(name="notifications.tasks.send_mail", bind=True, acks_late=True)
def send_mail(self: Any, mail_id: int) -> bool:
    """Send one recorded mail (at most once); after a failure, retry later."""
    if deliver(mail_id):
        return True
    from notifications.models import OutgoingMail

    failed = OutgoingMail.objects.filter(
        pk=mail_id, sent_at__isnull=True, attempts__gt=0, attempts__lt=MAX_ATTEMPTS
    ).exists()
    if failed and not self.request.is_eager:
        raise self.retry(countdown=60 * 2**self.request.retries, max_retries=MAX_ATTEMPTS)
    return False


@shared_task(name="notifications.tasks.send_unsent_mail")
def send_unsent_mail() -> int:
    """Send every mail still unsent a while after it was recorded (its task was lost, or
    failed); returns how many went out."""
    return sum(1 for mail_id in unsent_mail_ids(older_than=SWEEP_AFTER) if deliver(mail_id))
