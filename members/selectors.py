"""Reads with visibility rules: staff see every member, a member sees only their own
profile, anyone else gets the same 404 whether the member exists or not."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from imaportal.exceptions import NotFound
from members.models import Member, User


def members_visible_to(user: User | AnonymousUser) -> QuerySet[Member]:
    qs = Member.objects.select_related("user", "membership_type")
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    return qs.filter(user=user)


def member_for(*, user: User | AnonymousUser, member_id: int | str) -> Member:
    """The member ``member_id`` if ``user`` may see it, else ``NotFound``."""
    try:
        pk = int(member_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    member = members_visible_to(user).filter(pk=pk).first()
    if member is None:
        raise NotFound()
    return member


def own_member(user: User | AnonymousUser) -> Member:
    """The signed-in user's own member profile, or ``NotFound`` (staff without one)."""
    if not user.is_authenticated:
        raise NotFound()
    member = Member.objects.select_related("user", "membership_type").filter(user=user).first()
    if member is None:
        raise NotFound()
    return member
