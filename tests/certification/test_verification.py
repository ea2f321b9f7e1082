"""Verification links (issue 18, SPEC section 6): created by the member, opened by anyone
without signing in, showing only name, member number, whether they hold the CMA, status
today and at creation, and approved hours of the last three years; revoked or unknown → 404;
unguessable; rate-limited; listed, created and revoked over the API by the member only."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from certification.models import VerificationLink
from certification.services import verification
from imaportal.formatting import day
from tests.factories import EntryFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _page(client, link):
    return client.get(reverse("status:verification", kwargs={"token": link.token}))


def _member():
    member = MemberFactory(
        user__email="grace.hopper@example.org",
        user__first_name="Grace",
        user__last_name="Hopper",
        birth_date=dt.date(1961, 12, 9),
        member_number="20991234",
        certified_on=dt.date(timezone.localdate().year - 1, 3, 1),
    )
    year = timezone.localdate().year
    EntryFactory(
        member=member,
        title="Approved budgeting seminar",
        review_status="approved",
        completed_on=dt.date(year - 1, 4, 2),
        credit_hours=Decimal("12.5"),
    )
    EntryFactory(
        member=member,
        title="Approved costing course",
        review_status="approved",
        completed_on=dt.date(year - 1, 9, 9),
        credit_hours=Decimal("8.0"),
    )
    EntryFactory(
        member=member,
        title="Pending treasury webinar",
        review_status="pending",
        completed_on=dt.date(year, 2, 3),
        credit_hours=Decimal("4.0"),
    )
    EntryFactory(
        member=member,
        title="Ancient approved course",
        review_status="approved",
        completed_on=dt.date(year - 3, 5, 5),
        credit_hours=Decimal("30.0"),
    )
    return member


# -- Tokens ---------------------------------------------------------------------------------


def test_tokens_carry_256_random_bits_and_never_repeat():
    member = MemberFactory()
    tokens = {verification.create_link(member=member, by=member.user).token for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == 43
        raw = base64.urlsafe_b64decode(token + "=")
        assert len(raw) == 32  # 256 bits, well over the 128 asked for
    # No byte value dominates: the tokens are random, not a counter or a timestamp.
    joined = b"".join(base64.urlsafe_b64decode(t + "=") for t in tokens)
    assert len(set(joined)) > 200


def test_a_new_link_remembers_the_status_of_its_day():
    member = _member()
    link = verification.create_link(member=member, by=member.user)
    assert link.status_at_creation == "active"
    assert link.revoked_at is None and link.last_opened_at is None


# -- The public page ----------------------------------------------------------------------


def test_anyone_opens_a_link_and_sees_only_what_is_shared(client):
    member = _member()
    link = verification.create_link(member=member, by=member.user)
    response = _page(client, link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Grace Hopper" in html
    assert "20991234" in html
    assert 'data-testid="verified-holds">Yes' in html
    assert 'data-state="active"' in html
    # Approved hours per year, the last three years; pending and older entries not counted.
    year = timezone.localdate().year
    assert f'<th scope="row">{year - 1}</th><td class="num">20.5</td>' in html
    assert f'<th scope="row">{year}</th><td class="num">0.0</td>' in html
    assert f'<th scope="row">{year - 2}</th>' in html
    assert str(year - 3) not in html
    # Nothing else: no email, birth date, entries or evidence.
    for secret in (
        "grace.hopper@example.org",
        "1961-12-09",
        day(dt.date(1961, 12, 9)),
        "Approved budgeting seminar",
        "Pending treasury webinar",
        "Ancient approved course",
        "evidence",
    ):
        assert secret not in html, secret
    assert '<meta name="robots" content="noindex">' in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_the_page_shows_the_status_today_and_when_the_link_was_created(client):
    member = _member()
    link = verification.create_link(member=member, by=member.user)
    member.dues_paid_through = dt.date(2020, 12, 31)
    member.save()
    html = _page(client, link).content.decode()
    today_part = html.split('data-testid="verified-status"')[1].split("</dd>")[0]
    then_part = html.split('data-testid="verified-status-then"')[1].split("</dd>")[0]
    assert 'data-state="inactive_dues"' in today_part
    assert 'data-state="active"' in then_part


def test_a_member_without_the_cma_is_shown_as_not_holding_it(client):
    member = MemberFactory(certified_on=None)
    link = verification.create_link(member=member, by=member.user)
    html = _page(client, link).content.decode()
    assert 'data-testid="verified-holds">No' in html


def test_opening_stamps_last_opened_and_is_audited_but_not_the_members_own_look(client):
    member = _member()
    link = verification.create_link(member=member, by=member.user)
    client.force_login(member.user)
    assert _page(client, link).status_code == 200  # signed in works too
    link.refresh_from_db()
    assert link.last_opened_at is None
    client.logout()
    assert _page(client, link).status_code == 200
    link.refresh_from_db()
    assert link.last_opened_at is not None
    event = AuditEvent.objects.get(action="verification_link.opened")
    assert event.actor_id is None and event.member_id == member.pk


def test_revoked_and_unknown_links_answer_404_with_a_plain_page(client):
    member = _member()
    link = verification.create_link(member=member, by=member.user)
    verification.revoke_link(link=link, by=member.user)
    for url in (
        reverse("status:verification", kwargs={"token": link.token}),
        reverse("status:verification", kwargs={"token": "A" * 43}),
        reverse("status:verification", kwargs={"token": "short"}),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert "Verification link not found" in html
        assert "Grace" not in html and "20991234" not in html
        assert response["Referrer-Policy"] == "no-referrer"


def test_the_page_is_rate_limited_per_client_address(client):
    member = MemberFactory()
    link = verification.create_link(member=member, by=member.user)
    for _ in range(30):
        assert _page(client, link).status_code == 200
    response = _page(client, link)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many requests" in response.content.decode()
    # Another address is not held up by the first one.
    other = client.get(
        reverse("status:verification", kwargs={"token": link.token}), REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 200


@override_settings(VERIFICATION_LINK_RATE="2/m/ip")
def test_the_rate_is_a_setting(client):
    member = MemberFactory()
    link = verification.create_link(member=member, by=member.user)
    assert [_page(client, link).status_code for _ in range(3)] == [200, 200, 429]


# -- My status ------------------------------------------------------------------------------


def test_my_status_creates_lists_and_revokes_links(member_client, member_a):
    response = member_client.get(reverse("status:dashboard"))
    assert "Share your CMA status" in response.content.decode()
    assert "You have no verification link yet." in response.content.decode()
    response = member_client.post(reverse("status:verification_create"), follow=True)
    html = response.content.decode()
    assert "A new verification link is ready" in html
    link = VerificationLink.objects.get(member=member_a)
    assert f'value="http://testserver/v/{link.token}/"' in html
    assert "Not opened yet" in html
    response = member_client.post(
        reverse("status:verification_revoke", kwargs={"link_id": link.pk}), follow=True
    )
    html = response.content.decode()
    assert "The verification link is revoked" in html
    assert link.token not in html
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_a_member_cannot_revoke_someone_elses_link(member_client, member_b):
    link = verification.create_link(member=member_b, by=member_b.user)
    response = member_client.post(
        reverse("status:verification_revoke", kwargs={"link_id": link.pk})
    )
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


# -- API ------------------------------------------------------------------------------------


def _links_url(member):
    return reverse("api-member-verification-links", kwargs={"member_id": member.pk})


def test_api_creates_lists_and_revokes_the_members_links(api, member_a):
    client = api(member_a.user)
    created = client.post(_links_url(member_a))
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"id", "url", "created_at", "last_opened_at"}
    link = VerificationLink.objects.get(pk=body["id"])
    assert body["url"] == f"http://testserver/v/{link.token}/"
    assert body["last_opened_at"] is None
    listed = client.get(_links_url(member_a)).json()
    assert listed["count"] == 1 and listed["results"][0]["url"] == body["url"]
    assert api().get(body["url"]).status_code == 200  # opens without signing in
    assert client.get(_links_url(member_a)).json()["results"][0]["last_opened_at"] is not None
    url = reverse("api-verification-link", kwargs={"link_id": link.pk})
    assert client.delete(url).status_code == 204
    assert api().get(body["url"]).status_code == 404
    assert client.delete(url).status_code == 404
    assert client.get(_links_url(member_a)).json()["count"] == 0


def test_api_hides_other_members_links_and_refuses_staff(api, member_a, member_b, staff):
    link = verification.create_link(member=member_a, by=member_a.user)
    url = reverse("api-verification-link", kwargs={"link_id": link.pk})
    other = api(member_b.user)
    assert other.get(_links_url(member_a)).status_code == 404
    assert other.post(_links_url(member_a)).status_code == 404
    assert other.delete(url).status_code == 404
    assert api(staff).get(_links_url(member_a)).status_code == 403
    assert api(staff).delete(url).status_code == 403
    assert api().get(_links_url(member_a)).status_code == 401
    assert api().delete(url).status_code == 401
    link.refresh_from_db()
    assert link.revoked_at is None
    assert VerificationLink.objects.count() == 1
