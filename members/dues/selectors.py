"""Reads of the dues pages and API: where a member's dues stand on a given date (the rule
of ``members.dues.rules`` over the member's row) and their payment history."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from members.dues.rules import DuesOutlook, dues_outlook
from members.models import DuesPayment, Member


def outlook_for(member: Member, today: dt.date) -> DuesOutlook:
    """Where ``member``'s dues stand on ``today`` and what the next period costs."""
    kind = member.membership_type
    return dues_outlook(
        paid_through=member.dues_paid_through,
        annual_dues=kind.annual_dues if kind else None,
        currency=kind.currency if kind else "USD",
        today=today,
    )


def payments_of(member: Member) -> QuerySet[DuesPayment]:
    """The member's payments, newest first."""
    return member.dues_payments.select_related("recorded_by").order_by(
        "-paid_on", "-recorded_at", "-id"
    )
