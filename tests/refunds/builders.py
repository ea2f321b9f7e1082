"""Purchases and refund requests in a given state, shared by the refund tests. Dates are
relative to today, so the policy outcome of a request made now is known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from cpe.models import Enrollment
from members.models import Member, User
from refunds import services
from refunds.models import RefundRequest
from tests.factories import EnrollmentFactory, OfferingFactory

D = Decimal


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    """``n`` days from today (negative: ago)."""
    return today() + dt.timedelta(days=n)


def bought(
    member: Member,
    *,
    kind: str = "live_event",
    price: str = "99.99",
    enrolled_on: dt.date | None = None,
    starts_on: dt.date | None = None,
    title: str = "Budgeting live",
    **kwargs: Any,
) -> Enrollment:
    """``member``'s enrollment; by default a live event bought 5 days ago that starts in 10
    days, so a request today is eligible (99.99 less the 10.00 fee: 89.99)."""
    if kind in ("live_event", "conference"):
        starts_on = starts_on or days(10)
    offering_kwargs: dict[str, Any] = {
        "kind": kind,
        "price": D(price),
        "starts_on": starts_on,
        "title": title,
    }
    if kind == "recorded_webinar":
        offering_kwargs["cpe_hours"] = D("0")
    # The factories name their models as strings, so mypy cannot see what they return.
    return cast(
        Enrollment,
        EnrollmentFactory(
            member=member,
            offering=OfferingFactory(**offering_kwargs),
            enrolled_on=enrolled_on or days(-5),
            **kwargs,
        ),
    )


def self_study_40_days_ago(member: Member) -> Enrollment:
    """Ineligible: bought 40 days ago (window_expired)."""
    return bought(member, kind="self_study", price="120.00", enrolled_on=days(-40))


def no_show(member: Member) -> Enrollment:
    """A live event that started yesterday and that ``member`` did not attend."""
    return bought(member, enrolled_on=days(-20), starts_on=days(-1))


def requested(enrollment: Enrollment, reason: str = "I cannot attend.") -> RefundRequest:
    return services.request_refund(enrollment=enrollment, by=enrollment.member.user, reason=reason)


def approved(enrollment: Enrollment, staff: User) -> RefundRequest:
    return services.approve_refund(refund=requested(enrollment), by=staff)


def denied(enrollment: Enrollment, staff: User) -> RefundRequest:
    return services.deny_refund(refund=requested(enrollment), by=staff, reason="Not this time.")


def issued(enrollment: Enrollment, staff: User, reference: str = "PAY-1") -> RefundRequest:
    return services.issue_refund(refund=approved(enrollment, staff), by=staff, reference=reference)
