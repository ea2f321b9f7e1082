"""Demo purchases and refund requests in every state, so "My purchases" and the staff
refund queue have something to show. Loaded by ``manage.py load_demo_data`` after the CPE
demo; idempotent. Requests dated in the past get the policy outcome of their date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cpe.models import Enrollment, Offering
from cpe.services import offerings as cpe_offerings
from members.models import Member, User
from refunds import services
from refunds.models import RefundRequest


def _backdate(refund: RefundRequest, on: dt.date) -> RefundRequest:
    """Move a demo request to ``on`` with the outcome the policy gives on that date."""
    outcome = services.preview_refund(refund.enrollment, on=on)
    RefundRequest.objects.filter(pk=refund.pk).update(
        requested_on=on,
        created_at=dt.datetime.combine(on, dt.time(10), tzinfo=dt.UTC),
        eligible=outcome.eligible,
        reason_code=outcome.reason_code.value,
        policy_reason_json=outcome.reason.as_json(),
        fee=outcome.fee,
        policy_amount=outcome.amount,
        amount=outcome.amount,
    )
    refund.refresh_from_db()
    return refund


def _enroll(offering: Offering, member: Member, by: User, on: dt.date) -> Enrollment:
    existing = Enrollment.objects.filter(offering=offering, member=member).first()
    return existing or cpe_offerings.enroll(offering=offering, member=member, by=by, enrolled_on=on)


def load_refunds_demo(today: dt.date, *, reviewer: User) -> int:
    """Create the demo purchases and refund requests once; return how many requests exist.
    Long on purpose: a script of demo data read top to bottom, with no branches."""
    if RefundRequest.objects.exists():
        return RefundRequest.objects.count()
    members = {m.user.email: m for m in Member.objects.select_related("user")}
    maria = members.get("maria.lopez@demo.ima.example")
    chen = members.get("chen.wei@demo.ima.example")
    priya = members.get("priya.nair@demo.ima.example")
    if maria is None or chen is None or priya is None:
        return 0
    upcoming = cpe_offerings.create_offering(
        kind="live_event",
        title="Live webinar: Strategic Cost Management",
        price=Decimal("99.99"),
        starts_on=today + dt.timedelta(days=10),
        cpe_hours=Decimal("2.0"),
        by=reviewer,
    )
    self_study = Offering.objects.filter(kind="self_study").first()
    recorded = Offering.objects.filter(kind="recorded_webinar").first()
    past_webinar = Offering.objects.filter(kind="live_event", starts_on__lt=today).first()
    conference = Offering.objects.filter(kind="conference").first()

    # Maria: an upcoming webinar she cancels in time (requested, eligible) and the
    # conference she has not asked about.
    enrollment = _enroll(upcoming, maria, maria.user, today - dt.timedelta(days=3))
    services.request_refund(
        enrollment=enrollment, by=maria.user, reason="A client meeting moved onto that day."
    )
    if conference is not None:
        _enroll(conference, maria, reviewer, today - dt.timedelta(days=20))
    # Chen: a self-study course refunded (issued) and a recorded webinar asked for too late
    # (denied); he may ask again.
    if self_study is not None:
        bought = today - dt.timedelta(days=12)
        refund = services.request_refund(
            enrollment=_enroll(self_study, chen, reviewer, bought),
            by=chen.user,
            reason="The course repeats material I already know.",
        )
        refund = _backdate(refund, bought + dt.timedelta(days=5))
        services.approve_refund(refund=refund, by=reviewer)
        services.issue_refund(refund=refund, by=reviewer, reference="RF-2026-0001")
    if recorded is not None:
        bought = today - dt.timedelta(days=60)
        refund = services.request_refund(
            enrollment=_enroll(recorded, chen, reviewer, bought),
            by=chen.user,
            reason="I bought it twice by mistake.",
        )
        services.deny_refund(refund=refund, by=reviewer)
    # Priya: an event refund approved but never issued, now past its issue-by date
    # (overdue in the staff queue).
    if past_webinar is not None and past_webinar.starts_on is not None:
        bought = past_webinar.starts_on - dt.timedelta(days=20)
        refund = services.request_refund(
            enrollment=_enroll(past_webinar, priya, reviewer, bought),
            by=priya.user,
            reason="My employer cancelled my training budget.",
        )
        refund = _backdate(refund, past_webinar.starts_on - dt.timedelta(days=12))
        services.approve_refund(refund=refund, by=reviewer)
    return RefundRequest.objects.count()
