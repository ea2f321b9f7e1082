"""The certification app's mail: status changes (each sent at most once), decisions on
exemption and retirement requests. Celery tasks, thin and idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certification.models import Exemption, RequestState, Retirement, StatusChange
from imaportal.formatting import day
from members.choices import CertificationStatus
from notifications.services import queue_mail, recipient_language

UNSENT_MAIL_WINDOW = dt.timedelta(days=7)
UNSENT_MAIL_GRACE = dt.timedelta(minutes=10)


@shared_task(name="certification.mail.notify_status_change", acks_late=True)
def notify_status_change(change_id: int) -> bool:
    """Email the member about one recorded status change, once: the conditional update
    lets only one sender through, however often the task runs."""
    with transaction.atomic():
        claimed = StatusChange.objects.filter(pk=change_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return False
        change = StatusChange.objects.select_related("member__user").get(pk=change_id)
        user = change.member.user
        labels = dict(CertificationStatus.choices)
        with translation.override(recipient_language(user)):
            old = str(labels.get(change.from_status, change.from_status))
            new = str(labels.get(change.to_status, change.to_status))
            reason = change.reason_text()
        queue_mail(
            key=f"status-change:{change.pk}",
            to=user,
            template="certification/email/status_changed",
            context={
                "name": user.get_full_name() or user.email,
                "old": old,
                "new": new,
                "reason": reason,
                "path": reverse("status:dashboard"),
            },
        )
    return True


@shared_task(name="certification.mail.notify_status_changes", acks_late=True)
def notify_status_changes(change_ids: list[int]) -> None:
    """Mail a batch of recorded status changes (the nightly job sends one task per batch);
    each goes through ``notify_status_change``, which sends it at most once."""
    for change_id in change_ids:
        notify_status_change(change_id)


def mail_unsent_changes(
    *, within: dt.timedelta = UNSENT_MAIL_WINDOW, grace: dt.timedelta = UNSENT_MAIL_GRACE
) -> int:
    """Mail every real status change recorded between ``within`` and ``grace`` ago that was
    never mailed: its mail task was lost (the broker was down and the process died, or the
    worker was killed between the commit and the hand-over; younger changes may still be
    on their way through the normal mail task). Each goes through
    ``notify_status_change``, which claims it first, so nothing is mailed twice however
    this overlaps with the normal mail tasks. Returns how many were sent here."""
    unsent = list(
        StatusChange.objects.filter(
            notified_at__isnull=True,
            changed_at__gte=timezone.now() - within,
            changed_at__lte=timezone.now() - grace,
        )
        .exclude(from_status="")  # a first computation is recorded, never mailed
        .order_by("id")
        .values_list("id", flat=True)
    )
    return sum(1 for change_id in unsent if notify_status_change(change_id))


def _decision_mail(kind: str, request_id: int) -> dict[str, Any] | None:
    """The mail queued for the decision on one request; None when undecided or gone."""
    request: Exemption | Retirement | None
    if kind == "exemption":
        request = Exemption.objects.select_related("member__user").filter(pk=request_id).first()
    elif kind == "retirement":
        request = Retirement.objects.select_related("member__user").filter(pk=request_id).first()
    else:
        return None
    if request is None or request.state == RequestState.REQUESTED:
        return None
    user = request.member.user
    with translation.override(recipient_language(user)):
        if isinstance(request, Exemption):
            what = _("exemption from the CPE requirement for %(years)s (%(reason)s)") % {
                "years": ", ".join(map(str, request.years)),
                "reason": request.get_reason_display().lower(),
            }
        else:
            what = _("retired status from %(date)s") % {"date": day(request.retired_on)}
    return {
        "key": f"{kind}:{request.pk}:{request.state}",
        "to": user,
        "template": "certification/email/request_decision",
        "context": {
            "approved": request.state == RequestState.APPROVED,
            "name": user.get_full_name() or user.email,
            "what": what,
            "reason": request.decision_reason,
            "path": reverse("requests:mine"),
        },
    }


@shared_task(name="certification.mail.notify_request_decision")
def notify_request_decision(kind: str, request_id: int) -> None:
    """Queue the member's email about the decision on an exemption or retirement request."""
    mail = _decision_mail(kind, request_id)
    if mail is not None:
        queue_mail(**mail)
