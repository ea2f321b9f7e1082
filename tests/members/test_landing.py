"""Where a sign-in lands: members on their status dashboard, staff on the review queue,
and a safe ``?next=`` still wins (an unsafe one is ignored)."""

import pytest
from django.urls import reverse

from tests.conftest import totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, user, next_url=None):
    url = reverse("account_login")
    if next_url is not None:
        url += f"?next={next_url}"
    return client.post(url, {"login": user.email, "password": PASSWORD})


def test_a_member_lands_on_the_status_dashboard(client, member_a):
    response = _login(client, member_a.user)
    assert response.status_code == 302
    assert response["Location"] == reverse("status:dashboard")
    assert client.get(reverse("home"))["Location"] == reverse("status:dashboard")


def test_staff_land_on_the_review_queue_after_the_second_factor(client, staff):
    response = _login(client, staff)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert response["Location"] == reverse("cpe:review_queue")
    assert client.get(reverse("home"))["Location"] == reverse("cpe:review_queue")


def test_an_account_without_a_member_profile_lands_on_its_profile(client):
    response = _login(client, UserFactory())
    assert response["Location"] == reverse("members:profile")


def test_a_safe_next_wins(client, member_a):
    response = _login(client, member_a.user, next_url="/transcript/")
    assert response["Location"] == "/transcript/"


def test_staff_next_wins_after_the_second_factor(client, staff):
    _login(client, staff, next_url="/staff/status/")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response["Location"] == "/staff/status/"


def test_an_unsafe_next_is_ignored(client, member_a):
    response = _login(client, member_a.user, next_url="https://evil.example/")
    assert response["Location"] == reverse("status:dashboard")
