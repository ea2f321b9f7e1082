"""Celery tasks of the CPE app: thin, idempotent, calling services or sending mail."""

from celery import shared_task
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from cpe.models import ReviewStatus, TranscriptEntry


@shared_task(name="cpe.tasks.notify_entry_decision")
def notify_entry_decision(entry_id: int) -> None:
    """Email the member the review decision on one transcript entry."""
    entry = TranscriptEntry.objects.select_related("member__user").filter(pk=entry_id).first()
    if entry is None or entry.review_status not in (ReviewStatus.APPROVED, ReviewStatus.REJECTED):
        return
    user = entry.member.user
    if entry.review_status == ReviewStatus.APPROVED:
        subject = _("CPE entry approved: %(title)s") % {"title": entry.title}
        body = _(
            "Dear %(name)s,\n\nYour CPE entry “%(title)s” completed on %(date)s was approved "
            "for %(hours)s hours. It now counts toward %(year)s.\n"
        ) % {
            "name": user.get_full_name() or user.email,
            "title": entry.title,
            "date": entry.completed_on.isoformat(),
            "hours": entry.credit_hours,
            "year": entry.completed_on.year,
        }
    else:
        subject = _("CPE entry not approved: %(title)s") % {"title": entry.title}
        body = _(
            "Dear %(name)s,\n\nYour CPE entry “%(title)s” completed on %(date)s was not "
            "approved.\nReason: %(reason)s\n"
        ) % {
            "name": user.get_full_name() or user.email,
            "title": entry.title,
            "date": entry.completed_on.isoformat(),
            "reason": entry.review_reason,
        }
    body += _("\nYour transcript: %(path)s\n") % {"path": reverse("cpe:transcript")}
    send_mail(subject, body, None, [user.email])
