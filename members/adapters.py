"""django-allauth hooks: members are created by staff, so public sign-up is closed, and the
client address for rate limits is the one DRF's throttles use too (``client_ip``)."""

from __future__ import annotations

import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import Member, User


def client_ip(request: HttpRequest) -> str:
    """The client's address: the socket's, unless ``TRUSTED_PROXY_COUNT`` proxies that we run
    sit in front; then the address the outermost of them saw (the entry that many places
    from the end of ``X-Forwarded-For``, as DRF's ``NUM_PROXIES``). Whatever a client puts in
    ``X-Forwarded-For`` itself is never used."""
    remote: str = request.META.get("REMOTE_ADDR") or ""
    count: int = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for")
    if count > 0 and forwarded:
        addresses = [part.strip() for part in forwarded.split(",")]
        candidate = addresses[-min(count, len(addresses))]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return remote
    return remote


def landing_url(user: User | AnonymousUser) -> str:
    """A signed-in user's first page: staff on their review queue (staff still without
    two-factor authentication are sent to set it up first by ``members.middleware``),
    members on their status dashboard (what to do next, what is waiting), any other account
    on its profile."""
    if not user.is_authenticated:
        return reverse("account_login")
    if user.is_staff:
        return reverse("cpe:review_queue")
    if Member.objects.filter(user_id=user.pk).exists():
        return reverse("status:dashboard")
    return reverse("members:profile")


class PortalAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Where a sign-in lands when no safe ``?next=`` is given (allauth lets ``next``
        win): ``landing_url``."""
        return landing_url(request.user)

    def get_client_ip(self, request: HttpRequest) -> str:
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied(_("Unable to determine the client address."))
        return ip
