"""Main journey of the skeleton: a demo member signs in, lands on their status dashboard
and opens My Profile; a wrong password shows the error; staff sign in with their second
factor and land on the review queue."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from members.demo import DEMO_PASSWORD, DEMO_TOTP_SECRETS
from members.models import Member
from tests.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo_data", verbosity=0)


def sign_in(page, base, email, password):
    page.goto(f"{base}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def test_member_signs_in_and_sees_my_profile(page, live_server, demo):
    member = Member.objects.select_related("user").get(user__email="maria.lopez@demo.ima.example")
    sign_in(page, live_server.url, member.user.email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="My certification status")).to_be_visible()
    page.goto(f"{live_server.url}/profile/")
    expect(page.get_by_role("heading", name="My Profile")).to_be_visible()
    expect(page.get_by_test_id("user-name")).to_have_text("Maria Lopez")
    expect(page.get_by_test_id("member-number")).to_have_text(member.member_number)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign In")).to_be_visible()


def test_wrong_password_shows_the_error(page, live_server, demo):
    sign_in(page, live_server.url, "maria.lopez@demo.ima.example", "not-my-password")
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="My Profile")).to_have_count(0)


def test_staff_signs_in_with_the_second_factor(page, live_server, demo):
    email = "reviewer@demo.ima.example"
    sign_in(page, live_server.url, email, DEMO_PASSWORD)
    page.get_by_label("Code").fill(totp_code(DEMO_TOTP_SECRETS[email]))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(page.get_by_role("link", name="Administration", exact=True)).to_be_visible()
