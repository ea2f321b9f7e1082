"""Reads of the CPE app, with their visibility rules and shaped for the pages (a fixed
number of queries whatever the data size)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from cpe.credit import PriorEntry
from cpe.models import Enrollment, Offering, ReviewStatus, TranscriptEntry
from cpe.terms import refund_terms
from imaportal.access import one_visible
from imaportal.exceptions import NotFound
from imaportal.reasons import Reason
from members.models import Member, User
from members.selectors import has_staff_power
from policy.selectors import policy_for


def _entries() -> QuerySet[TranscriptEntry]:
    return TranscriptEntry.objects.select_related("member__user", "reviewed_by", "offering")


def entries_visible_to(user: User | AnonymousUser) -> QuerySet[TranscriptEntry]:
    qs = _entries()
    if not user.is_authenticated:
        return qs.none()
    if has_staff_power(user):
        return qs
    return qs.filter(member__user=user)


def entry_for(*, user: User | AnonymousUser, entry_id: int | str) -> TranscriptEntry:
    """The entry if ``user`` may see it (owner or staff), else ``NotFound``."""
    return one_visible(_entries(), user, entry_id)


def prior_entries(member: Member, *, exclude_id: int | None = None) -> list[PriorEntry]:
    """The member's entries as the repeat and conflict rules see them (one query)."""
    qs = TranscriptEntry.objects.filter(member=member).exclude(review_status=ReviewStatus.WITHDRAWN)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return [
        PriorEntry(
            id=row["id"],
            activity_type=row["activity_type"],
            title=row["title"],
            completed_on=row["completed_on"],
            credit_hours=row["credit_hours"],
            rejected=row["review_status"] == ReviewStatus.REJECTED,
            review_course_for=row["review_course_for"],
            rule=row["credit_rule"],
        )
        for row in qs.values(
            "id",
            "activity_type",
            "title",
            "completed_on",
            "credit_hours",
            "review_status",
            "review_course_for",
            "credit_rule",
        )
    ]


@dataclass
class YearTotals:
    year: int
    approved: Decimal = Decimal("0.0")
    pending: Decimal = Decimal("0.0")
    rejected: Decimal = Decimal("0.0")
    ethics: Decimal = Decimal("0.0")
    entries: list[TranscriptEntry] = field(default_factory=list)


def year_totals(entries: Iterable[TranscriptEntry]) -> list[YearTotals]:
    """Group entries by calendar year of completion with approved/pending/rejected sums."""
    years: dict[int, YearTotals] = defaultdict(lambda: YearTotals(0))
    for entry in entries:
        year = entry.completed_on.year
        totals = years[year]
        totals.year = year
        totals.entries.append(entry)
        if entry.review_status == ReviewStatus.APPROVED:
            totals.approved += entry.credit_hours
            if entry.ethics:
                totals.ethics += entry.credit_hours
        elif entry.review_status == ReviewStatus.PENDING:
            totals.pending += entry.credit_hours
        elif entry.review_status == ReviewStatus.REJECTED:
            totals.rejected += entry.credit_hours
    return sorted(years.values(), key=lambda t: t.year, reverse=True)


def transcript(member: Member, *, year: int | None = None) -> QuerySet[TranscriptEntry]:
    qs = TranscriptEntry.objects.filter(member=member).select_related("offering")
    if year is not None:
        qs = qs.filter(completed_on__year=year)
    return qs.order_by("-completed_on", "-id")


def transcript_years(member: Member) -> list[int]:
    dates = TranscriptEntry.objects.filter(member=member).dates("completed_on", "year", "DESC")
    return [d.year for d in dates]


def review_queue(
    *,
    activity_type: str = "",
    member_query: str = "",
    older_than_days: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[TranscriptEntry]:
    """Pending entries, oldest first."""
    qs = TranscriptEntry.objects.filter(review_status=ReviewStatus.PENDING).select_related(
        "member__user"
    )
    if activity_type:
        qs = qs.filter(activity_type=activity_type)
    if member_query:
        q = member_query.strip()
        qs = (
            qs.filter(member__member_number=q)
            | qs.filter(member__user__email__iexact=q)
            | (qs.filter(member__user__last_name__icontains=q))
        )
    if older_than_days is not None and today is not None:
        qs = qs.filter(created_at__date__lte=today - dt.timedelta(days=older_than_days))
    return qs.order_by("created_at", "id")


def offerings() -> QuerySet[Offering]:
    return Offering.objects.all()


def offering_for(offering_id: int | str) -> Offering:
    try:
        return Offering.objects.get(pk=int(offering_id))
    except (Offering.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


def enrollments_of(member: Member) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(member=member).select_related("offering")


def enrollment_in(member: Member, offering: Offering) -> Enrollment | None:
    """The member's enrollment in ``offering``, if there is one."""
    return Enrollment.objects.filter(member=member, offering=offering).first()


def refund_terms_of(offering: Offering, *, today: dt.date) -> Reason:
    """The refund terms of buying ``offering`` today, under the policy of this year: the
    year whose policy the refund rule applies to a purchase made today."""
    return refund_terms(
        kind=offering.kind,
        price=offering.price,
        enrolled_on=today,
        starts_on=offering.starts_on,
        refund_deadline_days=offering.refund_deadline_days,
        refund_fee_percent=offering.refund_fee_percent,
        policy=policy_for(today.year),
    )


def enrollment_for(*, user: User | AnonymousUser, enrollment_id: int | str) -> Enrollment:
    qs = Enrollment.objects.select_related("offering", "member__user")
    return one_visible(qs, user, enrollment_id)
