"""Reads of refund requests with their visibility rule: staff see all, a member sees their
own, anyone else gets ``NotFound`` (404) whether the request exists or not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cpe.models import Enrollment
from imaportal.access import one_visible
from imaportal.exceptions import InvalidInput
from members.models import Member, User
from members.selectors import has_staff_power
from refunds.models import OPEN_STATES, RefundRequest, RefundState


def is_overdue(refund: RefundRequest, today: dt.date) -> bool:
    """An approved event refund not issued by its issue-by date."""
    return (
        refund.state == RefundState.APPROVED
        and refund.issue_by is not None
        and today > refund.issue_by
    )


def _refunds() -> QuerySet[RefundRequest]:
    return RefundRequest.objects.select_related(
        "enrollment__offering", "member__user", "decided_by", "issued_by", "created_by"
    ).order_by("created_at", "id")


def refunds_visible_to(user: User | AnonymousUser) -> QuerySet[RefundRequest]:
    qs = _refunds()
    if not user.is_authenticated:
        return qs.none()
    if not has_staff_power(user):
        qs = qs.filter(member__user=user)
    return qs


def parse_states(raw: str | Iterable[str] | None) -> list[str]:
    """``?state=`` as a list of states (comma-separated allowed); empty means all."""
    if raw is None:
        return []
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    states = [p.strip() for p in parts if p.strip()]
    unknown = [s for s in states if s not in RefundState.values]
    if unknown:
        raise InvalidInput(
            {
                "state": [
                    _("Unknown state %(given)s; use %(known)s.")
                    % {"given": ", ".join(unknown), "known": ", ".join(RefundState.values)}
                ]
            }
        )
    return states


def refunds_for(
    user: User | AnonymousUser, *, states: Iterable[str] = (), overdue_on: dt.date | None = None
) -> QuerySet[RefundRequest]:
    """The refund requests ``user`` may see, oldest first, optionally only in ``states``
    or only those overdue on ``overdue_on``."""
    qs = refunds_visible_to(user)
    states = list(states)
    if states:
        qs = qs.filter(state__in=states)
    if overdue_on is not None:
        qs = qs.filter(state=RefundState.APPROVED, issue_by__lt=overdue_on)
    return qs


def refund_for(*, user: User | AnonymousUser, refund_id: int | str) -> RefundRequest:
    return one_visible(_refunds(), user, refund_id)


@dataclass(frozen=True)
class Purchase:
    """One enrollment on "My purchases" with its refund requests, newest first."""

    enrollment: Enrollment
    requests: list[RefundRequest]

    @property
    def latest(self) -> RefundRequest | None:
        return self.requests[0] if self.requests else None

    @property
    def open_request(self) -> RefundRequest | None:
        return next((r for r in self.requests if r.state in OPEN_STATES), None)

    @property
    def can_request(self) -> bool:
        return self.open_request is None and self.enrollment.price > 0


def purchases_of(member: Member) -> list[Purchase]:
    """The member's enrollments, newest first, with their refund requests (two queries)."""
    enrollments = list(
        Enrollment.objects.filter(member=member)
        .select_related("offering")
        .order_by("-enrolled_on", "-id")
    )
    by_enrollment: dict[int, list[RefundRequest]] = {e.pk: [] for e in enrollments}
    for refund in RefundRequest.objects.filter(member=member).order_by("-created_at", "-id"):
        by_enrollment.setdefault(refund.enrollment_id, []).append(refund)
    return [Purchase(e, by_enrollment[e.pk]) for e in enrollments]


def open_request_of(enrollment: Enrollment) -> RefundRequest | None:
    """The enrollment's request that blocks another (requested, approved or issued)."""
    return RefundRequest.objects.filter(enrollment=enrollment, state__in=OPEN_STATES).first()


def staff_counts() -> dict[str, int]:
    """Requests per state, for the staff queue's filter."""
    from django.db.models import Count

    rows = RefundRequest.objects.values("state").annotate(n=Count("id"))
    counts = {state: 0 for state in RefundState.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts
