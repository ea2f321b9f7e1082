"""Status journey: a member in make-up sees what to do next, asks for an exemption for
this year; staff approve it; the member's dashboard shows the exemption."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certification.services.recompute import recompute_member
from tests.conftest import totp_code
from tests.factories import PASSWORD, EntryFactory, MemberFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_member_in_makeup_gets_an_exemption(page, live_server):
    today = timezone.localdate()
    member = MemberFactory(
        user__email="ingrid@example.org",
        certified_on=dt.date(today.year - 3, 3, 1),
        dues_paid_through=dt.date(today.year, 12, 31),
    )
    EntryFactory(
        member=member,
        completed_on=dt.date(today.year - 2, 5, 1),
        credit_hours=Decimal("30.0"),
        review_status="approved",
    )
    EntryFactory(
        member=member,
        completed_on=dt.date(today.year - 1, 5, 1),
        credit_hours=Decimal("25.0"),
        review_status="approved",
    )
    recompute_member(member.pk, why="Test setup.")
    staff = StaffFactory(email="rita@ima.example")

    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="My status").click()
    expect(page.get_by_test_id("status")).to_have_text("Inactive (make-up)")
    expect(page.get_by_test_id("next-step")).to_have_text(
        f"35.0 more hours by 31 December {today.year} to return to active."
    )
    page.get_by_role("link", name="Request an exemption").click()
    page.get_by_label("Serious illness or disability").check()
    page.get_by_label("Calendar years").fill(str(today.year))
    page.get_by_label("Explanation").fill("Hospitalised for most of the year.")
    page.get_by_role("button", name="Send the request").click()
    expect(
        page.get_by_text(f"Your exemption request for {today.year} was sent to IMA for review.")
    ).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, staff.email)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Exemptions").click()
    page.get_by_role("link", name="Review", exact=True).first.click()
    page.get_by_role("button", name="Approve").click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="My status").click()
    expect(page.get_by_test_id("status")).to_have_text("Exempt")
    expect(page.get_by_test_id("next-step")).to_have_text(
        f"Exempt from the CPE requirement for {today.year}."
    )
