"""Refund routes (pages and API): member A's purchases and refund requests."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from tests.authz import LOGIN, Case


def refund_url(name, key="refund"):
    return lambda ctx: reverse(name, kwargs={"refund_id": ctx[key].pk})


def refund_enrollment_url(name):
    return lambda ctx: reverse(name, kwargs={"enrollment_id": ctx["enrollment"].pk})


CASES: dict[str, Case] = {
    # API v1. The shared enrollment of member A has no refund request yet, so A's POST
    # files one (201); staff never file one (403); member B does not see it (404).
    "api/v1/enrollments/<int:enrollment_id>/refund-request/": Case(
        "post",
        refund_enrollment_url("api-enrollment-refund-request"),
        (401, 201, 404, 403),
        data={"reason": "I can no longer attend."},
    ),
    "api/v1/refunds/": Case("get", "/api/v1/refunds/", (401, 200, 200, 200)),
    "api/v1/refunds/<int:refund_id>/": Case("get", refund_url("api-refund"), (401, 200, 404, 200)),
    # An eligible requested refund: a plain approve is 200, a deny with a reason is 200.
    "api/v1/refunds/<int:refund_id>/approve/": Case(
        "post", refund_url("api-refund-approve"), (401, 403, 403, 200), data={}
    ),
    "api/v1/refunds/<int:refund_id>/deny/": Case(
        "post",
        refund_url("api-refund-deny"),
        (401, 403, 403, 200),
        data={"reason": "The seat was transferred to a colleague instead."},
    ),
    # An approved refund: issuing it with a reference is 200.
    "api/v1/refunds/<int:refund_id>/issue/": Case(
        "post",
        refund_url("api-refund-issue", key="approved_refund"),
        (401, 403, 403, 200),
        data={"reference": "PAY-0001"},
    ),
    # Member pages (staff accounts have no member profile)
    "purchases/": Case("get", "/purchases/", (LOGIN, 200, 200, 403)),
    "purchases/<int:enrollment_id>/refund/": Case(
        "get", refund_enrollment_url("refunds:request_refund"), (LOGIN, 200, 404, 403)
    ),
    # Staff pages
    "staff/refunds/": Case("get", "/staff/refunds/", (LOGIN, 403, 403, 200)),
    "staff/refunds/<int:refund_id>/": Case(
        "get", refund_url("refunds:decide"), (LOGIN, 403, 403, 200)
    ),
}


def extend(ctx):
    """Two live events member A registered for 5 days ago that start in 10 days (so a
    request today is eligible): one with a requested refund, one with an approved one."""
    from django.utils import timezone

    from refunds import services
    from tests.factories import EnrollmentFactory, OfferingFactory

    today = timezone.localdate()
    member = ctx["member_a"].member

    def requested(title):
        offering = OfferingFactory(
            kind="live_event",
            title=title,
            price=Decimal("99.99"),
            starts_on=today + dt.timedelta(days=10),
        )
        enrollment = EnrollmentFactory(
            member=member, offering=offering, enrolled_on=today - dt.timedelta(days=5)
        )
        return services.request_refund(
            enrollment=enrollment, by=ctx["member_a"], reason="A clash with a board meeting."
        )

    ctx["refund"] = requested("Refund walk: requested")
    ctx["approved_refund"] = services.approve_refund(
        refund=requested("Refund walk: approved"), by=ctx["staff"]
    )
