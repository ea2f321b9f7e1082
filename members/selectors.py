"""Reads with visibility rules: staff see every member, a member sees only their own
profile, anyone else gets the same 404 whether the member exists or not.

Staff power needs two-factor: ``has_staff_power`` is the one predicate every staff check
uses (API permissions, visibility rules), on every channel (session or token)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from imaportal.exceptions import NotFound
from members.models import Member, User

STAFF_NEEDS_TWO_FACTOR = _(
    "This staff account has no two-factor authentication: set up two-factor authentication "
    "first (sign in on the web and add an authenticator app) to act as staff."
)


def has_two_factor(user: User | AnonymousUser) -> bool:
    """Whether ``user`` has a TOTP authenticator."""
    if not user.is_authenticated:
        return False
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def is_staff_without_two_factor(user: User | AnonymousUser) -> bool:
    """A staff account that has not set up its second factor: staff, but no staff power."""
    return bool(user.is_authenticated and user.is_staff and not has_two_factor(user))


def has_staff_power(user: User | AnonymousUser) -> bool:
    """Whether ``user`` may act as staff: a staff account with two-factor authentication."""
    return bool(user.is_authenticated and user.is_staff and has_two_factor(user))


def members_visible_to(user: User | AnonymousUser) -> QuerySet[Member]:
    qs = Member.objects.select_related("user", "membership_type")
    if not user.is_authenticated:
        return qs.none()
    if has_staff_power(user):
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
