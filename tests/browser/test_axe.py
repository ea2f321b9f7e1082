"""Every page passes axe-core with no violation of any impact, at desktop width (1280 px)
and phone width (390 px), signed out, as a member and as staff; at phone width nothing
makes the page itself scroll sideways (a wide table scrolls inside its own wrapper).

The page list is checked against the URL confs, so a new page is either visited here or
named in NOT_PAGES with the reason it has nothing to check.

With ``SCREENSHOTS=<folder>`` in the environment, every visited page is also saved as a
full-page PNG there, and each role and width writes ``axe-<role>-<width>.json`` with every
page's axe result and errors (tests/browser/axe_report.py; scripts/screenshots.py runs this
test that way)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from certification.services import requests as cert
from certification.services import verification
from tests.browser.axe_report import Checks
from tests.conftest import totp_code
from tests.factories import PASSWORD, EntryFactory, MemberFactory, OfferingFactory, StaffFactory
from tests.refunds.builders import bought

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}

Url = Callable[[dict[str, Any]], str]


def _fixed(url: str) -> Url:
    return lambda ctx: url


def _named(name: str, key: str, arg: str) -> Url:
    return lambda ctx: reverse(name, kwargs={arg: ctx[key].pk})


# route (as in the URL conf) -> (role, url). A route may appear for more roles: the key
# then carries a suffix after "#".
PAGES: dict[str, tuple[str, Url]] = {
    "#404": ("signed_out", _fixed("/no-such-page/")),
    "accounts/login/": ("signed_out", _fixed("/accounts/login/")),
    "accounts/signup/": ("signed_out", _fixed("/accounts/signup/")),
    "accounts/password/reset/": ("signed_out", _fixed("/accounts/password/reset/")),
    "accounts/password/reset/done/": ("signed_out", _fixed("/accounts/password/reset/done/")),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "signed_out",
        _fixed("/accounts/password/reset/key/zz-stale-key/"),
    ),
    "accounts/password/reset/key/done/": (
        "signed_out",
        _fixed("/accounts/password/reset/key/done/"),
    ),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": (
        "signed_out",
        _fixed("/accounts/confirm-email/stale-key/"),
    ),
    "accounts/inactive/": ("signed_out", _fixed("/accounts/inactive/")),
    "v/<str:token>/": ("signed_out", lambda ctx: f"/v/{ctx['link'].token}/"),
    "v/<str:token>/#revoked": ("signed_out", lambda ctx: f"/v/{ctx['revoked_link'].token}/"),
    # Member
    "": ("member", _fixed("/")),
    "status/": ("member", _fixed("/status/")),
    "transcript/": ("member", _fixed("/transcript/")),
    "transcript/add/": ("member", _fixed("/transcript/add/")),
    "transcript/<int:entry_id>/": ("member", _named("cpe:entry_detail", "entry", "entry_id")),
    "transcript/<int:entry_id>/edit/": ("member", _named("cpe:entry_edit", "entry", "entry_id")),
    "transcript/<int:entry_id>/withdraw/": (
        "member",
        _named("cpe:entry_withdraw", "entry", "entry_id"),
    ),
    "transcript/<int:entry_id>/#rejected": (
        "member",
        _named("cpe:entry_detail", "rejected", "entry_id"),
    ),
    "transcript/<int:entry_id>/resubmit/": (
        "member",
        _named("cpe:entry_resubmit", "rejected", "entry_id"),
    ),
    "offerings/<int:offering_id>/enroll/": (
        "member",
        _named("cpe:offering_enroll", "offering", "offering_id"),
    ),
    "offerings/": ("member", _fixed("/offerings/")),
    "purchases/": ("member", _fixed("/purchases/")),
    "purchases/<int:enrollment_id>/refund/": (
        "member",
        _named("refunds:request_refund", "enrollment", "enrollment_id"),
    ),
    "status/requests/": ("member", _fixed("/status/requests/")),
    "status/exemptions/new/": ("member", _fixed("/status/exemptions/new/")),
    "status/retirement/new/": ("member", _fixed("/status/retirement/new/")),
    "dues/": ("member", _fixed("/dues/")),
    "profile/": ("member", _fixed("/profile/")),
    "accounts/email/": ("member", _fixed("/accounts/email/")),
    "accounts/password/change/": ("member", _fixed("/accounts/password/change/")),
    "accounts/logout/": ("member", _fixed("/accounts/logout/")),
    "accounts/2fa/": ("member", _fixed("/accounts/2fa/")),
    "accounts/2fa/totp/activate/": ("member", _fixed("/accounts/2fa/totp/activate/")),
    # Staff
    "staff/review/": ("staff", _fixed("/staff/review/")),
    "staff/review/<int:entry_id>/": ("staff", _named("cpe:review_entry", "entry", "entry_id")),
    "staff/status/": ("staff", _fixed("/staff/status/")),
    "staff/status/#lookup": ("staff", lambda ctx: f"/staff/status/?member={ctx['number']}"),
    "staff/exemptions/": ("staff", _fixed("/staff/exemptions/")),
    "staff/exemptions/<int:exemption_id>/": (
        "staff",
        _named("requests:decide_exemption", "exemption", "exemption_id"),
    ),
    "staff/retirements/": ("staff", _fixed("/staff/retirements/")),
    "staff/retirements/<int:retirement_id>/": (
        "staff",
        _named("requests:decide_retirement", "retirement", "retirement_id"),
    ),
    "staff/refunds/": ("staff", _fixed("/staff/refunds/")),
    "staff/refunds/<int:refund_id>/": ("staff", _named("refunds:decide", "refund", "refund_id")),
    "staff/offerings/<int:offering_id>/attendance/": (
        "staff",
        _named("cpe:attendance_import", "offering", "offering_id"),
    ),
    "staff/members/<int:member_id>/dues/": (
        "staff",
        _named("dues:staff_member", "member", "member_id"),
    ),
    "offerings/#staff": ("staff", _fixed("/offerings/")),
    "profile/#staff": ("staff", _fixed("/profile/")),
    "accounts/2fa/#staff": ("staff", _fixed("/accounts/2fa/")),
    "accounts/2fa/totp/deactivate/": ("staff", _fixed("/accounts/2fa/totp/deactivate/")),
    "accounts/reauthenticate/": ("staff", _fixed("/accounts/reauthenticate/")),
    # allauth asks for the password again before showing recovery codes: _go gives it.
    "accounts/2fa/recovery-codes/": ("staff", _fixed("/accounts/2fa/recovery-codes/")),
    "accounts/2fa/recovery-codes/generate/": (
        "staff",
        _fixed("/accounts/2fa/recovery-codes/generate/"),
    ),
}

# Forms also checked after sending them empty: the page then shows its errors.
SUBMITTED_BLANK = {
    "accounts/login/",
    "accounts/password/reset/",
    "transcript/add/",
    "purchases/<int:enrollment_id>/refund/",
    "status/exemptions/new/",
    "status/retirement/new/",
    "staff/offerings/<int:offering_id>/attendance/",
}


CORPUS = Path(__file__).resolve().parents[1] / "prefill" / "corpus"


def _read_certificate(page) -> None:
    """Start from your certificate: the page then shows the fields read and their marks."""
    page.get_by_label("Your certificate (PDF, at most 10 MB)").set_input_files(
        str(CORPUS / "00-nasba.pdf")
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Read the certificate").click()


# Pages also checked in the state an action on them leads to: (key suffix, action).
ACTED: dict[str, tuple[str, Callable[[Any], None]]] = {
    "transcript/add/": ("#certificate", _read_certificate),
}


def _go(page, url: str) -> None:
    """Open a page; where allauth first asks for the password again, give it."""
    page.goto(url)
    if "/reauthenticate/" in page.url and "/reauthenticate/" not in url:
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm").click()


def _submit_blank(page) -> None:
    """Send the page's main form as it is, without the browser's own checks of required
    fields, so the server's error messages show."""
    form = page.locator("main form[method=post]").last
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator(
            "button[type=submit]:not([formaction]):visible, input[type=submit]:visible"
        ).first.click()


# Routes with no page of their own to check, and why.
NOT_PAGES = {
    "transcript/preview/": "an htmx fragment inside Add Transcript (checked there)",
    "transcript/add/from-certificate/": (
        "POST only (Start from your certificate on Add Transcript; checked as "
        "transcript/add/#certificate)"
    ),
    "transcript/<int:entry_id>/evidence/add/": "POST only (the form is on a pending entry's page)",
    "language/": "POST only (the language switcher in the header of every page)",
    "transcript/<int:entry_id>/evidence/": "the evidence file itself",
    "transcript/export.pdf": "a PDF",
    "transcript/export.csv": "a CSV file",
    "staff/transcripts/export.csv": "a CSV file",
    "status/exemptions/<int:exemption_id>/document/": "the uploaded document itself",
    "accounts/password/set/": "redirects: every account has a password",
    "accounts/confirm-email/": "email verification is off; redirects",
    "accounts/login/code/confirm/": "login by code is off",
    "accounts/2fa/authenticate/": "visited while staff sign in (checked there)",
    "accounts/2fa/reauthenticate/": "only after a while; the same form as 2fa/authenticate",
    "accounts/2fa/recovery-codes/download/": "a text file",
    "healthz": "a health check for the load balancer",
    "status/verification-links/": "POST only (the Create button on My status)",
    "status/verification-links/<int:link_id>/revoke/": "POST only (a Revoke button on My status)",
    "status/credential.json": "a JSON file download (the signed CMA credential)",
    ".well-known/jwks.json": "the issuer's public keys as JSON, for verifiers",
}


def html_routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from html_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if not route.startswith(("admin/", "api/")):
                yield route


def test_every_page_is_checked_or_says_why_not():
    routes = set(html_routes())
    listed = {key.split("#")[0] for key in PAGES if not key.startswith("#")} | set(NOT_PAGES)
    assert routes - listed == set(), "pages missing from PAGES (or NOT_PAGES)"
    assert listed - routes == set(), "entries for routes that no longer exist"


def _data() -> dict[str, Any]:
    """One member with something on every page, and a staff reviewer."""
    today = timezone.localdate()
    member = MemberFactory(
        user__email="ada@example.org",
        user__first_name="Ada",
        user__last_name="Lovelace-Okonkwo",
        birth_date=dt.date(1958, 6, 1),
    )
    staff = StaffFactory(email="rita@ima.example", first_name="Rita", last_name="Staff")
    RecoveryCodes.activate(staff)  # so accounts/2fa/recovery-codes/ shows them, not a 404
    entry = EntryFactory(member=member, title="Budgeting masterclass for public bodies")
    EntryFactory(member=member, review_status="approved", completed_on=today.replace(day=1))
    rejected = EntryFactory(
        member=member,
        title="Cost accounting webinar",
        review_status="rejected",
        review_reason="The certificate does not name you; attach one that does.",
    )
    refund = _refund(member)
    enrollment = bought(member, title="Annual conference: strategy and cost management")
    exemption = cert.request_exemption(
        member=member,
        reason="illness",
        years=[today.year],
        explanation="Hospitalised for most of the year.",
        by=member.user,
    )
    retirement = cert.request_retirement(
        member=member, retired_on=today, explanation="Retired in spring.", by=member.user
    )
    revoked_link = verification.create_link(member=member, by=member.user)
    verification.revoke_link(link=revoked_link, by=member.user)
    return {
        "member": member,
        "number": member.member_number,
        "link": verification.create_link(member=member, by=member.user),
        "revoked_link": revoked_link,
        "entry": entry,
        "rejected": rejected,
        "refund": refund,
        "enrollment": enrollment,
        "exemption": exemption,
        "retirement": retirement,
        "offering": OfferingFactory(title="Ethics in management accounting"),
    }


def _refund(member):
    from refunds import services as refunds

    return refunds.request_refund(
        enrollment=bought(member, title="Live webinar: Managing cash flow"),
        by=member.user,
        reason="I can no longer attend because of a family matter.",
    )


def _sign_in(page, base: str, role: str, check: Callable[[str], None]) -> None:
    if role == "signed_out":
        return
    email = "ada@example.org" if role == "member" else "rita@ima.example"
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if role == "staff":
        page.get_by_label("Code").wait_for()
        check("accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Sign out").wait_for()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["signed_out", "member", "staff"])
def test_pages_pass_axe_and_fit_the_screen(browser, live_server, role, width):
    from axe_playwright_python.sync_playwright import Axe

    ctx = _data()
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    checks = Checks(page, Axe(), role, width, os.environ.get("SCREENSHOTS"))
    try:
        _sign_in(page, live_server.url, role, checks.check)
    except Exception as error:  # no page of the role can be checked
        checks.failed("#sign-in", error)
    else:
        for key, (page_role, url) in PAGES.items():
            if page_role != role:
                continue
            loaded = checks.visit(key, lambda url=url: _go(page, live_server.url + url(ctx)))
            if loaded and key in SUBMITTED_BLANK:
                checks.visit(f"{key}#errors", lambda: _submit_blank(page), retry=False)
            if loaded and key in ACTED:
                suffix, act = ACTED[key]
                checks.visit(f"{key}{suffix}", lambda act=act: act(page), retry=False)
    finally:
        context.close()
        checks.write()
    violations = checks.violations
    report = "\n".join(f"{key}:\n  " + "\n  ".join(found) for key, found in violations.items())
    assert violations == {}, f"{role} at {WIDTHS[width]}px:\n{report}"


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


FOCUS = """el => { el.focus(); const s = getComputedStyle(el);
  return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"""


def test_focus_ring_is_thick_and_contrasts_with_cards_and_header(browser, live_server):
    """axe does not judge focus rings: a keyboard user must see where they are, on a white
    card (WCAG 2.2 non-text contrast: at least 3:1) and on the dark blue header."""
    _data()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _sign_in(page, live_server.url, "member", lambda key: None)
        page.goto(f"{live_server.url}/status/requests/")
        card_link = page.locator("main .card a.button").first
        header_link = page.get_by_role("link", name="Transcript", exact=True)
        for link, background in ((card_link, "rgb(255, 255, 255)"), (header_link, None)):
            style, width, color = link.evaluate(FOCUS)
            if background is None:
                background = page.locator(".site-header").evaluate(
                    "el => getComputedStyle(el).backgroundColor"
                )
            assert style == "solid" and width >= 3
            assert _contrast(color, background) >= 3, (color, background)
    finally:
        context.close()
