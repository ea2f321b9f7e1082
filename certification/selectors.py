"""Reads of the certification pages, shaped for them: the staff overview (every date branch
takes ``today`` as an argument: the view reads the clock once, through ``imaportal.web.today``)
and exemption and retirement requests, with who may see them (owner or staff)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise

from certification.charts import MonthCounts, month_ends, walk_back
from certification.models import (
    Exemption,
    RequestState,
    Retirement,
    StatusChange,
    VerificationLink,
)
from certification.nightly.chunks import compute_all, read_facts
from certification.status import Credit, StatusResult
from cpe.models import ReviewStatus, Source, TranscriptEntry
from imaportal.access import one_visible
from imaportal.exceptions import NotFound
from members.choices import CertificationStatus
from members.models import Member, User
from members.selectors import has_staff_power
from policy.rules import Policy, policy_for_year
from policy.selectors import policy_for, policy_versions

AT_RISK_LIMIT = 100
AT_RISK_CHUNK = 1000  # candidates judged at a time, fewest hours of the year first
Q4_FIRST_MONTH = 10


@dataclass(frozen=True)
class StaffOverview:
    """The staff status overview: counts per status, members in make-up and, in the last
    quarter of the year, active members still short of this year's requirement."""

    rows: list[tuple[str, str | Promise, int]]  # value, label, count
    not_computed: int
    makeup: list[Member]
    makeup_count: int
    short: list[AtRisk]
    in_q4: bool
    requirement: Decimal
    history: list[MonthCounts]


def status_counts() -> dict[str, int]:
    """How many members have each stored status ('' = not yet computed)."""
    return dict(
        Member.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )


def status_history(*, today: dt.date, current: dict[str, int]) -> list[MonthCounts]:
    """The members per status at the end of each of the last 12 months (this month: now),
    walked back from ``current`` through the recorded status changes, counted per month
    and from/to status in one query whatever the number of members or changes."""
    months = month_ends(today)
    since = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    changes = (
        StatusChange.objects.filter(changed_at__gte=since)
        .annotate(month=TruncMonth("changed_at"))
        .values_list("month", "from_status", "to_status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return walk_back(
        current, ((timezone.localtime(m).date(), f, t, n) for m, f, t, n in changes), months
    )


def members_in_makeup() -> QuerySet[Member]:
    return Member.objects.filter(status=CertificationStatus.INACTIVE_MAKEUP).select_related("user")


@dataclass(frozen=True)
class AtRisk:
    """An active member short of this year's requirement, by the status engine (carried-in
    hours included): what is still needed, and the ethics hours still needed."""

    member: Member
    hours_needed: Decimal
    ethics_needed: Decimal
    available: Decimal


def _this_years_hours(today: dt.date, *, ethics: bool) -> Subquery:
    entries = TranscriptEntry.objects.filter(
        member=OuterRef("pk"), review_status=ReviewStatus.APPROVED, completed_on__year=today.year
    )
    if ethics:
        entries = entries.filter(ethics=True)
    return Subquery(
        entries.values("member").annotate(total=Sum("credit_hours")).values("total"),
        output_field=DecimalField(),
    )


def short_of_requirement(
    *, today: dt.date, limit: int = AT_RISK_LIMIT, chunk: int = AT_RISK_CHUNK
) -> list[AtRisk]:
    """Active members whom the status engine finds short of ``today``'s year's hours or
    ethics hours, most hours needed first. The engine judges each candidate from its facts
    (read with one query per kind of fact, as the nightly job does); the SQL only narrows
    the candidates to those whose own hours of the year are below the annual figures, which
    every short active member's are (carried-in hours can only add).

    Candidates are judged in chunks, fewest hours of the year first, and the judging stops
    once no candidate left can rank: an active member needs at most the annual hours less
    their own hours of the year, so when the ``limit``-th member found needs more than that
    bound for the next candidate, the list is complete. With the usual spread of hours one
    chunk settles it, so the page costs a handful of queries at any number of members."""
    versions = policy_versions()
    policy = policy_for_year(today.year, versions)
    zero = Value(Decimal("0"))
    short_filter = Q(earned__lt=policy.annual_hours)
    if policy.ethics_hours_required > 0:
        short_filter |= Q(ethics_earned__lt=policy.ethics_hours_required)
    ranked = list(
        Member.objects.filter(
            status=CertificationStatus.ACTIVE, certified_on__lt=dt.date(today.year, 1, 1)
        )
        .annotate(
            earned=Coalesce(_this_years_hours(today, ethics=False), zero),
            ethics_earned=Coalesce(_this_years_hours(today, ethics=True), zero),
        )
        .filter(short_filter)
        .order_by("earned", "id")
        .values_list("id", "earned")
    )
    short: list[AtRisk] = []
    for start in range(0, len(ranked), chunk):
        if len(short) >= limit and short[limit - 1].hours_needed > (
            policy.annual_hours - ranked[start][1]
        ):
            break
        short.extend(
            _short_among([pk for pk, _e in ranked[start : start + chunk]], today, versions)
        )
        short.sort(key=lambda a: (-a.hours_needed, -a.ethics_needed, a.member.member_number))
    return short[:limit]


def _short_among(ids: list[int], today: dt.date, versions: list[Policy]) -> list[AtRisk]:
    """Those of the members ``ids`` whom the engine finds active and short on ``today``."""
    members = list(Member.objects.filter(pk__in=ids).select_related("user").order_by("id"))
    results = _judge(members, today, versions)
    return [
        AtRisk(
            member=m,
            hours_needed=r.hours_needed or Decimal("0"),
            ethics_needed=r.ethics_needed or Decimal("0"),
            available=r.available_hours or Decimal("0"),
        )
        for m, r in zip(members, results, strict=True)
        if r.status == CertificationStatus.ACTIVE
        and ((r.hours_needed or 0) > 0 or (r.ethics_needed or 0) > 0)
    ]


def _judge(members: Sequence[Member], today: dt.date, versions: list[Policy]) -> list[StatusResult]:
    """The engine's status of each member on ``today``, from facts read in bulk."""
    rows = [
        (m.pk, m.certified_on, m.dues_paid_through, m.status, m.status_valid_until) for m in members
    ]
    with connection.cursor() as cursor:
        facts = read_facts(cursor, rows, members[0].pk, members[-1].pk, today)
    return [result for _row, result in compute_all(rows, facts, versions, today)]


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
        short=short_of_requirement(today=today) if in_q4 else [],
        in_q4=in_q4,
        requirement=requirement,
        history=status_history(today=today, current=counts),
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


LATEST_ENTRIES = 5


@dataclass(frozen=True)
class WaitingForMember:
    """What the member's dashboard shows beside the status: the latest entries, the
    self-reported entries waiting for review and the open exemption or retirement requests."""

    latest: list[TranscriptEntry]
    pending: list[TranscriptEntry]
    open_exemptions: list[Exemption]
    open_retirements: list[Retirement]


def waiting_for(member: Member) -> WaitingForMember:
    """The member's latest and pending entries and open requests (four queries)."""
    entries = TranscriptEntry.objects.filter(member=member).order_by("-completed_on", "-id")
    return WaitingForMember(
        latest=list(entries[:LATEST_ENTRIES]),
        pending=list(
            entries.filter(review_status=ReviewStatus.PENDING, source=Source.SELF).order_by(
                "completed_on", "id"
            )
        ),
        open_exemptions=list(
            Exemption.objects.filter(member=member, state=RequestState.REQUESTED).order_by("id")
        ),
        open_retirements=list(
            Retirement.objects.filter(member=member, state=RequestState.REQUESTED).order_by("id")
        ),
    )


def pending_credits(member: Member) -> list[Credit]:
    """The member's self-reported entries waiting for review, as credits (one query)."""
    return [
        Credit(completed_on, hours)
        for completed_on, hours in TranscriptEntry.objects.filter(
            member=member, review_status=ReviewStatus.PENDING, source=Source.SELF
        ).values_list("completed_on", "credit_hours")
    ]


# -- Verification links (self only: staff neither list nor revoke a member's links) ----------


def live_links_of(member: Member) -> QuerySet[VerificationLink]:
    """The member's links that still open, newest first."""
    return VerificationLink.objects.filter(member=member, revoked_at__isnull=True)


def own_link_for(*, user: User | AnonymousUser, link_id: int | str) -> VerificationLink:
    """A live link of the signed-in member's own; anything else (someone else's, revoked,
    missing, a malformed id) is the same ``NotFound``."""
    try:
        pk = int(link_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not user.is_authenticated:
        raise NotFound()
    link = (
        VerificationLink.objects.select_related("member")
        .filter(pk=pk, member__user=user, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise NotFound()
    return link


def approved_hours_by_year(member: Member, years: Sequence[int]) -> list[tuple[int, Decimal]]:
    """The member's approved CPE hours per calendar year of completion, for each of
    ``years`` (0 where there are none), in one query."""
    totals = dict(
        TranscriptEntry.objects.filter(
            member=member,
            review_status=ReviewStatus.APPROVED,
            completed_on__year__gte=min(years),
            completed_on__year__lte=max(years),
        )
        .annotate(year=ExtractYear("completed_on"))
        .values_list("year")
        .annotate(total=Sum("credit_hours"))
        .values_list("year", "total")
        .order_by()
    )
    return [(year, totals.get(year) or Decimal("0")) for year in years]
