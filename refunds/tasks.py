"""Celery task of the refund requests: the member's email at each step."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

EVENTS = ("requested", "approved", "denied", "issued")


def refund_mail(refund_id: int, event: str) -> tuple[str, str, str] | None:
    """(subject, body, recipient) of the mail for ``event``; None when the request is gone
    or no longer at that step (a late retry sends nothing wrong)."""
    from refunds.models import RefundRequest

    refund = (
        RefundRequest.objects.select_related("enrollment__offering", "member__user")
        .filter(pk=refund_id)
        .first()
    )
    if refund is None or event not in EVENTS:
        return None
    user = refund.member.user
    title = refund.enrollment.offering.title
    money = f"{refund.amount} {refund.currency}"
    greeting = _("Dear %(name)s,\n\n") % {"name": user.get_full_name() or user.email}
    if event == "requested":
        subject = _("We received your refund request: %(title)s") % {"title": title}
        body = _(
            "IMA received your refund request for %(title)s on %(date)s.\n\n"
            "What the refund policy says: %(outcome)s\n\n"
            "A member of staff will review it and you will get an email with the decision.\n"
        ) % {
            "title": title,
            "date": refund.requested_on.isoformat(),
            "outcome": refund.policy_reason,
        }
    elif event == "approved":
        subject = _("Your refund was approved: %(title)s") % {"title": title}
        body = _("IMA approved a refund of %(money)s for %(title)s.\n") % {
            "money": money,
            "title": title,
        }
        if refund.special_circumstances:
            body += _("It is granted for special circumstances: %(why)s\n") % {
                "why": refund.decision_reason
            }
        elif refund.decision_reason:
            body += _("Note from the reviewer: %(why)s\n") % {"why": refund.decision_reason}
        if refund.issue_by:
            body += _("It will be paid by %(date)s.\n") % {"date": refund.issue_by.isoformat()}
    elif event == "denied":
        subject = _("Your refund request was not approved: %(title)s") % {"title": title}
        body = _(
            "IMA did not approve your refund request for %(title)s.\nReason: %(why)s\n\n"
            "If something changes, you may send a new request.\n"
        ) % {"title": title, "why": refund.decision_reason}
    else:
        subject = _("Your refund was issued: %(title)s") % {"title": title}
        body = _(
            "IMA issued your refund of %(money)s for %(title)s. Payment reference: %(ref)s.\n"
        ) % {
            "money": money,
            "title": title,
            "ref": refund.reference,
        }
    body += _("\nYour purchases: %(path)s\n") % {"path": reverse("refunds:purchases")}
    return subject, greeting + body, user.email


@shared_task(name="refunds.tasks.notify_refund")
def notify_refund(refund_id: int, event: str) -> None:
    """Email the member about one step of their refund request."""
    mail = refund_mail(refund_id, event)
    if mail is None:
        return
    subject, body, recipient = mail
    send_mail(subject, body, None, [recipient])
