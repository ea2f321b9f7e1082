"""Verification links (issue 18): the public page a link opens (no sign-in; name, member
number, whether they hold the CMA, status today and when the link was created, approved
hours of the last three years, nothing else) and the member's create and revoke buttons on
My status.

The public page is rate-limited per client address with allauth's limiter (the one the
sign-in uses, keyed on the same address), ``settings.VERIFICATION_LINK_RATE``; it is never
indexed, cached or sent on as a referrer."""

from __future__ import annotations

from typing import Any

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from certification import selectors
from certification.models import VerificationLink
from certification.services import verification
from certification.services.recompute import status_of
from imaportal import web
from imaportal.exceptions import NotFound
from imaportal.web import member_required, or_404
from members.choices import CertificationStatus
from members.models import Member

YEARS_SHOWN = 3
RATE_ACTION = "verification_page"


def _private(response: HttpResponse) -> HttpResponse:
    """Headers of every answer at a link's address: no referrer leaves with the token, no
    search engine keeps it."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _allowed(request: HttpRequest) -> bool:
    """One more opening from this client address, within ``VERIFICATION_LINK_RATE``."""
    usage = ratelimit.consume(
        request,
        app="certification",
        action=RATE_ACTION,
        config={RATE_ACTION: settings.VERIFICATION_LINK_RATE},
        limit_get=True,
    )
    return usage is not None


def _retry_after() -> str:
    """Seconds until the longest window of ``VERIFICATION_LINK_RATE`` has surely passed."""
    rates = ratelimit.parse_rates(settings.VERIFICATION_LINK_RATE)
    return str(int(max((rate.duration for rate in rates), default=60)))


def _summary(link: VerificationLink) -> dict[str, Any]:
    """What the page shows, and nothing more."""
    member = link.member
    today = web.today()
    result = status_of(member, as_of=today)
    years = list(range(today.year - YEARS_SHOWN + 1, today.year + 1))
    return {
        "name": member.full_name,
        "member_number": member.member_number,
        "holds_cma": result.status != CertificationStatus.NOT_CERTIFIED,
        "status": result.status.value,
        "status_label": CertificationStatus(result.status.value).label,
        "today": today,
        "created_at": link.created_at,
        "status_then": link.status_at_creation,
        "status_then_label": CertificationStatus(link.status_at_creation).label,
        "hours": selectors.approved_hours_by_year(member, years),
    }


@never_cache
@require_GET
def public_page(request: HttpRequest, token: str) -> HttpResponse:
    """The page a verification link opens, signed in or not; 404 when the link is unknown
    or revoked, 429 past the rate limit."""
    if not _allowed(request):
        response = render(request, "certification/verification/too_many.html", status=429)
        response["Retry-After"] = _retry_after()
        return _private(response)
    try:
        link = verification.open_link(token=token, by=request.user)
    except NotFound:
        return _private(render(request, "certification/verification/not_found.html", status=404))
    return _private(render(request, "certification/verification/page.html", _summary(link)))


def _to_card() -> HttpResponse:
    return redirect(reverse("status:dashboard") + "#share-heading")


@require_POST
@member_required
def create(request: HttpRequest, member: Member) -> HttpResponse:
    """A new verification link for the signed-in member."""
    verification.create_link(member=member, by=member.user)
    messages.success(
        request,
        _("A new verification link is ready: copy it from “Share your CMA status” below."),
    )
    return _to_card()


@require_POST
@member_required
def revoke(request: HttpRequest, member: Member, link_id: int) -> HttpResponse:
    """Revoke one of the signed-in member's links: it answers “not found” from now on."""
    link = or_404(selectors.own_link_for, user=request.user, link_id=link_id)
    verification.revoke_link(link=link, by=member.user)
    messages.success(request, _("The verification link is revoked: it no longer opens."))
    return _to_card()
