"""Keeping ``Member.status`` current: the facts of a member gathered for the status rule,
the recompute after a write (on commit) and the recording of every change.

The nightly job (``certification.nightly``) uses the same rule over many members at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from certification.models import Exemption, RequestState, Retirement, StatusChange
from certification.status import Credit, StatusFacts, StatusResult, compute_status
from cpe.models import ReviewStatus, TranscriptEntry
from imaportal.queueing import enqueue
from imaportal.reasons import Reason, render_all
from members.models import Member
from policy.selectors import policy_versions

ZERO = Decimal("0")


def facts_for(member: Member) -> StatusFacts:
    """Everything the status rule needs about one member (four small queries)."""
    credits = [
        Credit(row[0], row[1], row[1] if row[2] else ZERO)
        for row in TranscriptEntry.objects.filter(
            member=member, review_status=ReviewStatus.APPROVED
        ).values_list("completed_on", "credit_hours", "ethics")
    ]
    exempt_years: set[int] = set()
    for years in Exemption.objects.filter(member=member, state=RequestState.APPROVED).values_list(
        "years", flat=True
    ):
        exempt_years.update(int(y) for y in years)
    retired_on = (
        Retirement.objects.filter(member=member, state=RequestState.APPROVED)
        .order_by("retired_on")
        .values_list("retired_on", flat=True)
        .first()
    )
    return StatusFacts(
        certified_on=member.certified_on,
        credits=credits,
        exempt_years=frozenset(exempt_years),
        retired_on=retired_on,
        dues_paid_through=member.dues_paid_through,
    )


def status_of(member: Member, *, as_of: dt.date) -> StatusResult:
    """The member's status on any date, by the one status rule."""
    return compute_status(facts_for(member), policies=policy_versions(), as_of=as_of)


def describe(result: StatusResult) -> str:
    """The result's reasons in words, in the active language."""
    return " ".join(render_all(result.reasons))


Why = str | Reason  # a write's own sentence (from the apps below), or a status reason


def stored_reasons(why: Why, result: StatusResult) -> list[dict[str, object]]:
    """What a recorded change stores: why it was recomputed, then the status's reasons, as
    ``Reason.as_json()`` (put into words when shown)."""
    first = [] if not why else [why if isinstance(why, Reason) else Reason.text(why)]
    return [reason.as_json() for reason in (*first, *result.reasons)]


def record_change(
    member: Member, result: StatusResult, *, as_of: dt.date, why: Why
) -> StatusChange | None:
    """Store the new status; when it differs, record the change and notify on commit."""
    from certification.mail import notify_status_change

    previous = member.status
    Member.objects.filter(pk=member.pk).update(
        status=result.status.value, status_valid_until=result.valid_until
    )
    member.status, member.status_valid_until = result.status.value, result.valid_until
    if previous == result.status.value:
        return None
    change = StatusChange.objects.create(
        member=member,
        from_status=previous,
        to_status=result.status.value,
        as_of=as_of,
        reasons=stored_reasons(why, result),
    )
    if previous:  # the first computation is recorded but not mailed
        transaction.on_commit(lambda: enqueue(notify_status_change, change.pk))
    return change


def recompute_member(member_id: int, *, why: Why, as_of: dt.date | None = None) -> None:
    """Recompute one member's status now (after a write, once it is committed)."""
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        member = Member.objects.select_for_update().filter(pk=member_id).first()
        if member is None:
            return
        record_change(member, status_of(member, as_of=as_of), as_of=as_of, why=why)


def facts_changed(member_ids: Iterable[int], *, why: Why) -> None:
    """Call inside the transaction of a write that changes status facts: the stored status
    is marked stale at once (so the nightly job redoes it if anything goes wrong) and
    recomputed right after the commit."""
    ids = sorted(set(member_ids))
    if not ids:
        return
    Member.objects.filter(pk__in=ids).update(status_valid_until=None)

    def run() -> None:
        for member_id in ids:
            recompute_member(member_id, why=why)

    transaction.on_commit(run)


def stale_members(as_of: dt.date) -> Q:
    """Members whose stored status may be out of date on ``as_of``."""
    return Q(status_valid_until__isnull=True) | Q(status_valid_until__lte=as_of)


def mark_all_stale() -> None:
    """Every stored status is out of date (a policy version changed): the nightly job, or
    the recompute queued after the commit, redoes them all."""
    Member.objects.filter(status_valid_until__isnull=False).update(status_valid_until=None)
