"""Reads of the certification pages, shaped for them: the staff overview (every date branch
takes ``today`` as an argument: the view reads the clock once, through ``imaportal.web.today``)
and exemption and retirement requests, with who may see them (owner or staff)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.functional import Promise

from certification.models import Exemption, Retirement
from cpe.models import ReviewStatus, TranscriptEntry
from imaportal.access import one_visible
from members.choices import CertificationStatus
from members.models import Member, User
from members.selectors import has_staff_power
from policy.selectors import policy_for

AT_RISK_LIMIT = 100
Q4_FIRST_MONTH = 10


@dataclass(frozen=True)
class StaffOverview:
    """The staff status overview: counts per status, members in make-up and, in the last
    quarter of the year, active members still short of this year's requirement."""

    rows: list[tuple[str, str | Promise, int]]  # value, label, count
    not_computed: int
    makeup: list[Member]
    makeup_count: int
    short: list[Member]
    in_q4: bool
    requirement: Decimal


def status_counts() -> dict[str, int]:
    """How many members have each stored status ('' = not yet computed)."""
    return dict(
        Member.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )


def members_in_makeup() -> QuerySet[Member]:
    return Member.objects.filter(status=CertificationStatus.INACTIVE_MAKEUP).select_related("user")


def short_of_requirement(
    *, today: dt.date, requirement: Decimal, limit: int = AT_RISK_LIMIT
) -> list[Member]:
    """Active members certified before this year whose approved hours of ``today``'s year
    are below ``requirement``, fewest first (annotated with ``earned``)."""
    earned = (
        TranscriptEntry.objects.filter(
            member=OuterRef("pk"),
            review_status=ReviewStatus.APPROVED,
            completed_on__year=today.year,
        )
        .values("member")
        .annotate(total=Sum("credit_hours"))
        .values("total")
    )
    return list(
        Member.objects.filter(
            status=CertificationStatus.ACTIVE, certified_on__lt=dt.date(today.year, 1, 1)
        )
        .annotate(
            earned=Coalesce(Subquery(earned), Value(Decimal("0")), output_field=DecimalField())
        )
        .filter(earned__lt=requirement)
        .select_related("user")
        .order_by("earned", "member_number")[:limit]
    )


def staff_overview(*, today: dt.date) -> StaffOverview:
    """Everything the staff overview shows as of ``today``; the at-risk list only from
    October on (``in_q4``)."""
    counts = status_counts()
    requirement = policy_for(today.year).annual_hours
    in_q4 = today.month >= Q4_FIRST_MONTH
    makeup = members_in_makeup()
    return StaffOverview(
        rows=[(value, label, counts.get(value, 0)) for value, label in CertificationStatus.choices],
        not_computed=counts.get("", 0),
        makeup=list(makeup[:AT_RISK_LIMIT]),
        makeup_count=makeup.count(),
        short=short_of_requirement(today=today, requirement=requirement) if in_q4 else [],
        in_q4=in_q4,
        requirement=requirement,
    )


def member_by_number_or_email(key: str) -> Member | None:
    """The member whose number is ``key`` or whose email is ``key`` (any case)."""
    return (
        Member.objects.select_related("user")
        .filter(Q(member_number=key.strip()) | Q(user__email__iexact=key.strip()))
        .first()
    )


def exemptions_visible_to(user: User | AnonymousUser) -> QuerySet[Exemption]:
    qs = Exemption.objects.select_related("member__user", "decided_by", "created_by")
    if not user.is_authenticated:
        return qs.none()
    return qs if has_staff_power(user) else qs.filter(member__user=user)


def retirements_visible_to(user: User | AnonymousUser) -> QuerySet[Retirement]:
    qs = Retirement.objects.select_related("member__user", "decided_by", "created_by")
    if not user.is_authenticated:
        return qs.none()
    return qs if has_staff_power(user) else qs.filter(member__user=user)


def exemption_for(*, user: User | AnonymousUser, exemption_id: int | str) -> Exemption:
    """The exemption request if ``user`` may see it (owner or staff), else ``NotFound``."""
    return one_visible(exemptions_visible_to(user), user, exemption_id)


def retirement_for(*, user: User | AnonymousUser, retirement_id: int | str) -> Retirement:
    """The retirement request if ``user`` may see it (owner or staff), else ``NotFound``."""
    return one_visible(retirements_visible_to(user), user, retirement_id)


def exemptions_of(member: Member) -> QuerySet[Exemption]:
    return Exemption.objects.filter(member=member).select_related("decided_by", "created_by")


def retirements_of(member: Member) -> QuerySet[Retirement]:
    return Retirement.objects.filter(member=member).select_related("decided_by", "created_by")


def requests_in_state(
    model: type[Exemption] | type[Retirement], states: Iterable[str]
) -> QuerySet[Any]:
    """Requests for the staff lists, oldest first, with their members."""
    return (
        model.objects.filter(state__in=list(states))
        .select_related("member__user", "decided_by", "created_by")
        .order_by("created_at", "id")
    )
