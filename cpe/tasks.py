"""Celery tasks of the CPE app: thin, idempotent, calling services or queueing mail."""

from celery import shared_task
from django.urls import reverse

from cpe.models import ReviewStatus, TranscriptEntry
from notifications.services import queue_mail


@shared_task(name="cpe.tasks.notify_entry_decision")
def notify_entry_decision(entry_id: int) -> None:
    """Queue the member's email about the review decision on one transcript entry."""
    entry = TranscriptEntry.objects.select_related("member__user").filter(pk=entry_id).first()
    if entry is None or entry.review_status not in (ReviewStatus.APPROVED, ReviewStatus.REJECTED):
        return
    user = entry.member.user
    queue_mail(
        key=f"entry:{entry.pk}:{entry.review_status}",
        to=user,
        template="cpe/email/entry_decision",
        context={
            "approved": entry.review_status == ReviewStatus.APPROVED,
            "name": user.get_full_name() or user.email,
            "title": entry.title,
            "date": entry.completed_on.isoformat(),
            "hours": str(entry.credit_hours),
            "year": entry.completed_on.year,
            "reason": entry.review_reason,
            "path": reverse("cpe:transcript"),
        },
    )
