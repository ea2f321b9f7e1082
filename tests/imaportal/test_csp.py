"""Content-Security-Policy: every page the portal renders (signed out, as a member, as
staff, and the Django admin) carries a policy that only allows scripts from the portal
itself, and no page has an inline script, an ``on*=`` handler or inline style that such a
policy would block."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client

from members.demo import DEMO_PASSWORD
from members.models import Member
from tests.conftest import sign_in
from tests.factories import EntryFactory, StaffFactory

pytestmark = pytest.mark.django_db

# Links the walk does not follow: signing out, static files, and the API docs (whose
# policy also trusts Swagger UI's CDN: tested on its own below).
SKIP_PREFIXES = ("/accounts/logout/", "/static/", "/api/v1/docs/")
# Data blocks (read by a script, never executed) are not scripts for the CSP.
DATA_TYPES = {"application/json", "application/ld+json"}


def parse_policy(header: str) -> dict[str, list[str]]:
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            policy[words[0]] = words[1:]
    return policy


class PageAudit(HTMLParser):
    """Collects links and whatever a strict CSP would block on one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.problems: list[str] = []
        self._inline_script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, _value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> (inline event handler)")
            if name == "style":
                self.problems.append(f"<{tag} style=...> (inline style attribute)")
        if tag == "a" and names.get("href"):
            self.links.append(str(names["href"]))
        if tag == "style":
            self.problems.append("<style> element (inline style)")
        if tag == "script" and not names.get("src"):
            kind = (names.get("type") or "text/javascript").lower()
            if kind not in DATA_TYPES:
                self._inline_script = ""
        if tag in ("a", "form", "iframe") and str(
            names.get("href") or names.get("action") or names.get("src") or ""
        ).lower().startswith("javascript:"):
            self.problems.append(f"<{tag}> with a javascript: URL")

    def handle_data(self, data: str) -> None:
        if self._inline_script is not None:
            self._inline_script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline_script is not None:
            self.problems.append(f"inline <script>: {self._inline_script.strip()[:80]!r}")
            self._inline_script = None


def walk(client: Client, starts: list[str], limit: int = 400) -> dict[str, list[str]]:
    """Follow same-origin links breadth first from ``starts``; for every HTML page answered
    with 200, the CSP problems found (an empty list when the page is clean)."""
    found: dict[str, list[str]] = {}
    queue = list(starts)
    seen: set[str] = set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        problems: list[str] = []
        header = response.get("Content-Security-Policy")
        if not header:
            problems.append("no Content-Security-Policy header")
        else:
            policy = parse_policy(header)
            if policy.get("script-src") != ["'self'"]:
                problems.append(f"script-src is {policy.get('script-src')}")
            if "'unsafe-inline'" in policy.get("style-src", ["'unsafe-inline'"]):
                problems.append(f"style-src is {policy.get('style-src')}")
            if policy.get("object-src") != ["'none'"]:
                problems.append(f"object-src is {policy.get('object-src')}")
            if policy.get("frame-ancestors") != ["'none'"]:
                problems.append(f"frame-ancestors is {policy.get('frame-ancestors')}")
        audit = PageAudit()
        audit.feed(response.content.decode())
        found[url] = problems + audit.problems
        for href in audit.links:
            target = urldefrag(urljoin(url, html.unescape(href)))[0]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not target.startswith("/"):
                continue  # another site
            if target.startswith(SKIP_PREFIXES) or target.startswith("/admin/"):
                continue
            if target not in seen:
                queue.append(target)
    return found


@pytest.fixture
def portal_data():
    """The demo data (members, entries in every state, requests, dues, purchases and refunds
    in every state) plus a pending entry with an image and one with a PDF as evidence."""
    call_command("load_demo_data", verbosity=0)
    member = Member.objects.select_related("user").order_by("pk").first()
    assert member is not None
    image = EntryFactory(member=member, evidence_content_type="image/png", title="With image")
    image.evidence.save("e.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    pdf = EntryFactory(member=member, evidence_content_type="application/pdf", title="With PDF")
    pdf.evidence.save("e.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return member


def assert_clean(found: dict[str, list[str]], at_least: int) -> None:
    bad = {url: problems for url, problems in found.items() if problems}
    assert not bad, "\n".join(f"{url}: {'; '.join(p)}" for url, p in bad.items())
    assert len(found) >= at_least, sorted(found)


def test_signed_out_pages_have_a_strict_policy_and_no_inline_script(client):
    found = walk(client, ["/", "/accounts/login/", "/accounts/password/reset/"])
    assert "/accounts/login/" in found
    assert_clean(found, at_least=2)


def test_every_member_page_has_a_strict_policy_and_no_inline_script(client, portal_data):
    # Signed in through the sign-in page: the two-factor set-up pages need a recent sign-in.
    response = client.post(
        "/accounts/login/", {"login": portal_data.user.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    response = client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    assert response.status_code == 302
    found = walk(
        client,
        [
            "/",
            "/accounts/2fa/",
            "/accounts/2fa/totp/activate/",
            "/accounts/email/",
            "/accounts/password/change/",
        ],
    )
    for page in ("/status/", "/transcript/", "/transcript/add/", "/purchases/", "/dues/"):
        assert page in found, sorted(found)
    assert any(url.startswith("/transcript/?year=") for url in found), sorted(found)
    assert "/accounts/2fa/totp/activate/" in found  # the QR code is a data: image
    assert_clean(found, at_least=15)


def test_every_staff_page_has_a_strict_policy_and_no_inline_script(client, portal_data):
    staff = StaffFactory(email="csp.staff@ima.example")
    sign_in(client, staff)
    found = walk(client, ["/"])
    for page in ("/staff/review/", "/staff/status/", "/staff/refunds/", "/staff/exemptions/"):
        assert page in found, sorted(found)
    reviewed = [url for url in found if url.startswith("/staff/review/") and url[-2].isdigit()]
    refunds = [url for url in found if url.startswith("/staff/refunds/") and url[-2].isdigit()]
    assert len(reviewed) >= 2 and refunds, sorted(found)
    assert_clean(found, at_least=15)


def test_the_staff_second_factor_page_has_a_strict_policy(client):
    staff = StaffFactory(email="csp.mfa@ima.example")
    response = client.post("/accounts/login/", {"login": staff.email, "password": "x" * 3})
    assert response.status_code == 200  # wrong password: the form again, with the policy
    assert_clean(walk(client, ["/accounts/login/"]), at_least=1)
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    found = walk(client, [response["Location"]])
    assert "/accounts/2fa/authenticate/" in found
    assert_clean(found, at_least=1)


ADMIN_PAGES = [
    "/admin/",
    "/admin/members/member/",
    "/admin/members/member/add/",
    "/admin/cpe/transcriptentry/",
    "/admin/cpe/offering/",
    "/admin/cpe/enrollment/add/",
    "/admin/refunds/refundrequest/",
    "/admin/members/user/",
]


def test_admin_pages_keep_their_scripts_under_the_policy(client, portal_data):
    """The admin's scripts are files (``<script src>``), so the policy does not break it."""
    from cpe.models import TranscriptEntry

    staff = StaffFactory(email="csp.admin@ima.example", is_superuser=True)
    sign_in(client, staff)
    entry = TranscriptEntry.objects.order_by("pk").first()
    assert entry is not None
    pages = [
        *ADMIN_PAGES,
        f"/admin/members/member/{portal_data.pk}/change/",
        f"/admin/cpe/transcriptentry/{entry.pk}/change/",
    ]
    found = walk(client, pages, limit=len(pages))
    assert sorted(found) == sorted(pages)
    assert_clean(found, at_least=len(pages))
    scripts = client.get(pages[-1]).content.decode()
    assert '<script src="/static/admin/js/' in scripts


def test_pdf_evidence_may_only_be_framed_by_the_portal_itself(client, portal_data):
    staff = StaffFactory(email="csp.evidence@ima.example")
    sign_in(client, staff)
    entry = portal_data.entries.get(title="With PDF")
    response = client.get(f"/transcript/{entry.pk}/evidence/")
    assert response.status_code == 200
    policy = parse_policy(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]


def test_api_docs_load_swagger_ui_from_the_portals_own_static_files(client, member_a):
    """Swagger UI comes from the pinned drf-spectacular-sidecar package, same origin: no
    CDN in the policy or the page."""
    client.force_login(member_a.user)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    policy = parse_policy(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    # Swagger UI styles itself inline as it renders: inline style only on this page.
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:"]
    page = response.content.decode()
    assert "https://" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    audit = PageAudit()
    audit.feed(page)
    assert audit.problems == []
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    # The rest of the portal allows no inline style.
    assert "'unsafe-inline'" not in client.get("/status/")["Content-Security-Policy"]


def test_browsable_api_runs_only_script_files_under_the_policy(client, member_a):
    """DRF's browsable API (what a browser gets from an API URL) loads its scripts as files.
    Its few layout style attributes are ignored by the browser (cosmetic only)."""
    client.force_login(member_a.user)
    response = client.get("/api/v1/offerings/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert parse_policy(response["Content-Security-Policy"])["script-src"] == ["'self'"]
    audit = PageAudit()
    audit.feed(response.content.decode())
    scripts = [p for p in audit.problems if "script" in p or "handler" in p]
    assert scripts == []
    assert '<script src="/static/rest_framework/js/' in response.content.decode()
