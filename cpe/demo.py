"""Demo CPE data: IMA offerings, attendance and self-reported entries with varied review
states over several years, written through the services like real activity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from cpe.credit import ActivityInput
from cpe.models import Offering, TranscriptEntry
from cpe.services import entries, offerings
from members.models import Member, User

# (email, years ago, title, minutes, review) — seminar-type self-reported entries.
SEMINARS: list[tuple[str, int, str, int, str]] = [
    ("maria.lopez@demo.ima.example", 1, "Advanced Budgeting and Forecasting", 1200, "approved"),
    ("maria.lopez@demo.ima.example", 1, "Data Analytics for Accountants", 500, "approved"),
    ("maria.lopez@demo.ima.example", 0, "Strategic Cost Management", 780, "approved"),
    ("maria.lopez@demo.ima.example", 0, "ESG Reporting Essentials", 400, "pending"),
    ("chen.wei@demo.ima.example", 1, "Corporate Finance Seminar", 1500, "approved"),
    ("chen.wei@demo.ima.example", 0, "Internal Controls Workshop", 390, "rejected"),
    ("ingrid.hansen@demo.ima.example", 1, "Performance Management", 1250, "approved"),
    ("hannah.schmidt@demo.ima.example", 0, "Business Ethics for Finance Leaders", 200, "pending"),
    ("omar.haddad@demo.ima.example", 2, "Treasury Management", 600, "approved"),
]


# Past years' approved hours per member, by "years ago" (1 = last year), so the demo
# shows every status: active, make-up, lapsed, exempt, retired.
HISTORIES: dict[str, Callable[[int], int]] = {
    "maria.lopez@demo.ima.example": lambda ago: 0 if ago == 1 else 36,
    "chen.wei@demo.ima.example": lambda ago: 0,
    "ingrid.hansen@demo.ima.example": lambda ago: 0 if ago == 1 else 32,
    "omar.haddad@demo.ima.example": lambda ago: {1: 18, 2: 13}.get(ago, 40),
    "james.oconnor@demo.ima.example": lambda ago: 30,
    "daniel.kim@demo.ima.example": lambda ago: 31,
    "sofia.rossi@demo.ima.example": lambda ago: 30,
    "kenji.sato@demo.ima.example": lambda ago: 30,
}


def _approved_course(member: Member, year: int, hours: int, reviewer: User) -> None:
    entry = entries.submit_entry(
        member=member,
        data=ActivityInput(
            activity_type="short_course",
            title=f"Annual CPE programme {year}",
            completed_on=dt.date(year, 10, 1),
            has_instructor=True,
            has_formal_materials=True,
            minutes=hours * 50,
        ),
        provider="Demo Training Institute",
        by=member.user,
    )
    entries.approve_entry(entry=entry, by=reviewer)


@transaction.atomic
def load_cpe_demo(today: dt.date, *, reviewer: User) -> int:
    """Create the demo offerings and entries once; return how many entries exist.
    Long on purpose: a script of demo data read top to bottom, with no branches."""
    if Offering.objects.exists() or TranscriptEntry.objects.exists():
        return TranscriptEntry.objects.count()
    y = today.year
    past_webinar = offerings.create_offering(
        kind="live_event",
        title="Live webinar: Leading with Integrity",
        price=Decimal("49.00"),
        starts_on=today - dt.timedelta(days=40),
        cpe_hours=Decimal("2.0"),
        by=reviewer,
    )
    offerings.create_offering(
        kind="conference",
        title=f"IMA Annual Conference & Expo {y + 1}",
        price=Decimal("1295.00"),
        starts_on=dt.date(y + 1, 6, 14),
        cpe_hours=Decimal("24.0"),
        refund_deadline_days=30,
        refund_fee_percent=Decimal("15"),
        by=reviewer,
    )
    offerings.create_offering(
        kind="self_study",
        title="Self-study: Cost Accounting Fundamentals",
        price=Decimal("129.00"),
        cpe_hours=Decimal("8.0"),
        by=reviewer,
    )
    offerings.create_offering(
        kind="recorded_webinar",
        title="Recorded webinar: FP&A Trends",
        price=Decimal("29.00"),
        cpe_hours=Decimal("0"),
        by=reviewer,
    )
    members = {m.user.email: m for m in Member.objects.select_related("user")}
    attendees = [
        members[e]
        for e in ("maria.lopez@demo.ima.example", "chen.wei@demo.ima.example")
        if e in members
    ]
    for member in attendees:
        offerings.enroll(
            offering=past_webinar,
            member=member,
            by=reviewer,
            enrolled_on=past_webinar.starts_on - dt.timedelta(days=10)
            if past_webinar.starts_on
            else None,
        )
    offerings.record_attendance(offering=past_webinar, members=attendees, by=reviewer)
    for email, plan in HISTORIES.items():
        cma = members.get(email)
        if cma is None or cma.certified_on is None:
            continue
        for year in range(cma.certified_on.year + 1, y):
            hours = plan(y - year)
            if hours:
                _approved_course(cma, year, hours, reviewer)
    for email, years_ago, title, minutes, review in SEMINARS:
        author = members.get(email)
        if author is None:
            continue
        year = y - years_ago
        completed = min(dt.date(year, 5, 15), today)
        entry = entries.submit_entry(
            member=author,
            data=ActivityInput(
                activity_type="short_course",
                title=title,
                completed_on=completed,
                has_instructor=True,
                has_formal_materials=True,
                minutes=minutes,
            ),
            provider="Demo Training Institute",
            by=author.user,
        )
        if review == "approved":
            entries.approve_entry(entry=entry, by=reviewer)
        elif review == "rejected":
            entries.reject_entry(
                entry=entry, by=reviewer, reason="The certificate does not show the hours."
            )
    return TranscriptEntry.objects.count()
