"""Reads of exemption and retirement requests, with who may see them (owner or staff)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from certification.models import Exemption, Retirement
from imaportal.exceptions import NotFound
from members.models import Member, User
from members.selectors import has_staff_power


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


def _one(qs: QuerySet[Any], pk: int | str) -> Any:
    try:
        found = qs.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def exemption_for(*, user: User | AnonymousUser, exemption_id: int | str) -> Exemption:
    """The exemption request if ``user`` may see it (owner or staff), else ``NotFound``."""
    found: Exemption = _one(exemptions_visible_to(user), exemption_id)
    return found


def retirement_for(*, user: User | AnonymousUser, retirement_id: int | str) -> Retirement:
    """The retirement request if ``user`` may see it (owner or staff), else ``NotFound``."""
    found: Retirement = _one(retirements_visible_to(user), retirement_id)
    return found


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
