"""Celery task of the refund requests: the member's email at each step, through the one
mail pipeline (``notifications``)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

EVENTS = ("requested", "approved", "denied", "issued")


def refund_mail_context(refund: Any, event: str) -> dict[str, Any]:
    """The template context of the mail for ``event`` (template ``refunds/email/<event>``)."""
    from policy.selectors import policy_for
    from refunds.policy import issue_promise

    user = refund.member.user
    context: dict[str, Any] = {
        "name": user.get_full_name() or user.email,
        "title": refund.enrollment.offering.title,
        "money": {"amount": str(refund.amount), "currency": refund.currency},
        "path": reverse("refunds:purchases"),
    }
    if event == "requested":
        # Reasons travel as their stored form and are put into words in the mail's language.
        context |= {
            "date": refund.requested_on.isoformat(),
            "outcome": refund.policy_reason_detail.as_json(),
        }
    elif event == "approved":
        promise = issue_promise(
            issue_by=refund.issue_by,
            today=timezone.localdate(),
            policy=policy_for(refund.enrollment.enrolled_on.year),
        )
        context |= {
            "special": refund.special_circumstances,
            "why": refund.decision_reason,
            "issue_by": promise.by.isoformat() if promise.by else "",
            "within_days": promise.within_days,
        }
    elif event == "denied":
        context["why"] = refund.decision_reason or refund.policy_reason_detail.as_json()
    else:
        context["ref"] = refund.reference
    return context


@shared_task(name="refunds.tasks.notify_refund")
def notify_refund(refund_id: int, event: str) -> None:
    """Queue the member's email about one step of their refund request (once per step)."""
    from notifications.services import queue_mail
    from refunds.models import RefundRequest

    refund = (
        RefundRequest.objects.select_related("enrollment__offering", "member__user")
        .filter(pk=refund_id)
        .first()
    )
    if refund is None or event not in EVENTS:
        return
    queue_mail(
        key=f"refund:{refund.pk}:{event}",
        to=refund.member.user,
        template=f"refunds/email/{event}",
        context=refund_mail_context(refund, event),
    )
