"""Shared pieces of the authorization walk (tests/test_authorization.py). Each area keeps
its routes in a module of this package: ``CASES`` (route pattern -> Case) and, when its
URLs need objects, ``extend(ctx)`` that adds them to the shared context."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

ROLES = ("anon", "member_a", "member_b", "staff")
LOGIN = 302  # a page that sends the anonymous visitor to the login page


@dataclass(frozen=True)
class Case:
    method: str  # get, post (JSON), delete, or form (a browser form post)
    url: Any  # str, or callable(ctx) -> str
    # anon, member A, member B, staff; staff opening a page of a member's own records get 403
    # with an explanation and links to their queues (``imaportal.web.member_required``).
    expect: tuple[int, int, int, int]
    data: dict[str, Any] | None = None


def member_a_url(name):
    return lambda ctx: reverse(name, kwargs={"member_id": ctx["member_a"].member.id})


def entry_url(name):
    return lambda ctx: reverse(name, kwargs={"entry_id": ctx["entry"].pk})


def offering_url(name):
    return lambda ctx: reverse(name, kwargs={"offering_id": ctx["offering"].pk})
