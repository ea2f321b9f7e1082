"""Celery task of the exemption and retirement requests: the decision mail to the member.
Imported by ``cpe.request_services`` so the task registers (autodiscovery finds only
``tasks.py``)."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from cpe.models import Exemption, RequestState, Retirement


def _decision_mail(kind: str, request_id: int) -> tuple[str, str, str] | None:
    """(subject, body, recipient) of the decision on one request; None when undecided."""
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
    approved = request.state == RequestState.APPROVED
    if isinstance(request, Exemption):
        what = _("exemption from the CPE requirement for %(years)s (%(reason)s)") % {
            "years": ", ".join(map(str, request.years)),
            "reason": request.get_reason_display().lower(),
        }
    else:
        what = _("retired status from %(date)s") % {"date": request.retired_on.isoformat()}
    if approved:
        subject = _("Your request was approved: %(what)s") % {"what": what}
        body = _(
            "Dear %(name)s,\n\nIMA approved your request for %(what)s. Your certification "
            "status has been updated accordingly.\n"
        ) % {"name": user.get_full_name() or user.email, "what": what}
        if request.decision_reason:
            body += _("Note from the reviewer: %(reason)s\n") % {"reason": request.decision_reason}
    else:
        subject = _("Your request was not approved: %(what)s") % {"what": what}
        body = _(
            "Dear %(name)s,\n\nIMA did not approve your request for %(what)s.\n"
            "Reason: %(reason)s\n\nYou may send a new request with further documents.\n"
        ) % {
            "name": user.get_full_name() or user.email,
            "what": what,
            "reason": request.decision_reason,
        }
    body += _("\nYour requests: %(path)s\n") % {"path": reverse("requests:mine")}
    return subject, body, user.email


@shared_task(name="cpe.request_tasks.notify_request_decision")
def notify_request_decision(kind: str, request_id: int) -> None:
    """Email the member the decision on an exemption or retirement request."""
    mail = _decision_mail(kind, request_id)
    if mail is None:
        return
    subject, body, recipient = mail
    send_mail(subject, body, None, [recipient])
