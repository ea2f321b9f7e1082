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


@shared_task(name="cpe.tasks.notify_status_change", acks_late=True)
def notify_status_change(change_id: int) -> bool:
    """Email the member about one recorded status change, once: the conditional update
    lets only one sender through, however often the task runs."""
    from django.utils import timezone

    from cpe.models import StatusChange
    from members.models import CertificationStatus

    claimed = StatusChange.objects.filter(pk=change_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    change = StatusChange.objects.select_related("member__user").get(pk=change_id)
    user = change.member.user
    labels = dict(CertificationStatus.choices)
    subject = _("Your CMA certification status is now: %(status)s") % {
        "status": labels.get(change.to_status, change.to_status)
    }
    body = _("Dear %(name)s,\n\nYour status changed from %(old)s to %(new)s.\n%(why)s\n") % {
        "name": user.get_full_name() or user.email,
        "old": labels.get(change.from_status, change.from_status),
        "new": labels.get(change.to_status, change.to_status),
        "why": change.reason,
    }
    send_mail(subject, body, None, [user.email])
    return True


# The nightly status recompute and the October reminder (see cpe.nightly) ---------------


@shared_task(name="cpe.tasks.notify_status_changes", acks_late=True)
def notify_status_changes(change_ids: list[int]) -> None:
    """Mail a batch of recorded status changes (the nightly job sends one task per batch);
    each goes through ``notify_status_change``, which sends it at most once."""
    for change_id in change_ids:
        notify_status_change(change_id)


@shared_task(name="cpe.tasks.recompute_status_chunk", acks_late=True, reject_on_worker_lost=True)
def recompute_status_chunk(
    lo: int, hi: int, as_of_iso: str, everyone: bool = False
) -> dict[str, int]:
    """Recompute the stale members of one id range: one transaction, safe to repeat or to
    redeliver (a worker lost mid-chunk leaves it rolled back and its members stale)."""
    import datetime as dt

    from cpe import nightly

    as_of = dt.date.fromisoformat(as_of_iso)
    return nightly.recompute_chunk(lo, hi, as_of, everyone=everyone).as_dict()


@shared_task(name="cpe.tasks.nightly_status_recompute")
def nightly_status_recompute() -> dict[str, object]:
    """Beat, 02:30: recompute every stale member's status as of today, chunks in parallel,
    and mail the recorded status changes whose mail was lost (the broker was down, a worker
    died between a commit and the hand-over)."""
    from django.utils import timezone

    from cpe import nightly

    summary = nightly.run_recompute(timezone.localdate()).as_dict()
    return {**summary, "unsent_mails_sent": nightly.mail_unsent_changes()}


@shared_task(name="cpe.tasks.october_reminder_chunk", acks_late=True)
def october_reminder_chunk(lo: int, hi: int, as_of_iso: str) -> int:
    """Remind the short members of one id range (at most once per member and year)."""
    import datetime as dt

    from cpe import nightly

    return nightly.remind_chunk(lo, hi, dt.date.fromisoformat(as_of_iso))


@shared_task(name="cpe.tasks.october_cpe_reminders")
def october_cpe_reminders() -> int | None:
    """Beat, every day of October at 09:00: remind certified members still short of this
    year's requirement. Daily rather than once, so a member who becomes short later in the
    month (back from unpaid dues, say) or a day the workers were down is still covered;
    the reminder table keeps it to one mail per member and year."""
    from django.utils import timezone

    from cpe import nightly

    today = timezone.localdate()
    if today.month != 10:
        return 0
    return nightly.send_reminders(today)
