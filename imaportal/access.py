"""The one access rule for rows a member owns: staff (with two-factor) see every row, a
member only their own, anyone else the same ``NotFound`` whether the row is missing or
someone else's. The selectors build their ``*_for`` lookups on it."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from imaportal.exceptions import NotFound
from members.models import User
from members.selectors import has_staff_power

M = TypeVar("M", bound=Model)


def one_visible(
    queryset: QuerySet[M],
    user: User | AnonymousUser,
    pk: int | str,
    *,
    owner: str = "member__user",
) -> M:
    """The row ``pk`` of ``queryset`` if ``user`` may see it: staff see every row, a member
    only the rows whose ``owner`` lookup is them. Anything else (a missing row, someone
    else's, a malformed ``pk``, an anonymous visitor) is the same ``NotFound``."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not user.is_authenticated:
        raise NotFound()
    rows = queryset if has_staff_power(user) else queryset.filter(**{owner: user})
    found = rows.filter(pk=key).first()
    if found is None:
        raise NotFound()
    return found
