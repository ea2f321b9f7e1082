"""Enroll journey: a member opens IMA courses and events, chooses Enroll, reads the price,
dates, CPE hours and refund terms, cancels (nothing is bought), then enrolls for real; the
purchase is recorded once and shows in My purchases. Withdrawing an entry asks first too."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cpe.models import Enrollment, TranscriptEntry
from tests.browser.test_refund_journey import sign_in
from tests.factories import EntryFactory, MemberFactory, OfferingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Live webinar: Budgeting for growth"


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_member_reads_the_terms_cancels_then_enrolls_once(page, live_server):
    today = timezone.localdate()
    starts = today + dt.timedelta(days=21)
    member = MemberFactory(user__email="omar@example.org", user__first_name="Omar")
    OfferingFactory(
        kind="live_event",
        title=TITLE,
        price=Decimal("120.00"),
        cpe_hours=Decimal("2.0"),
        starts_on=starts,
    )

    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="Courses & events").click()
    offering = page.locator("section.offering").filter(has_text=TITLE)
    offering.get_by_role("link", name="Enroll for $120.00").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Enroll in {TITLE}")
    expect(page.get_by_test_id("enroll-price")).to_have_text("$120.00")
    expect(page.get_by_test_id("enroll-dates")).to_contain_text("Starts on")
    expect(page.get_by_test_id("enroll-hours")).to_contain_text("2.0")
    expect(page.get_by_test_id("refund-terms")).to_have_text(
        f"Refund policy: cancel at least 5 days before the event starts on {long_date(starts)} "
        f"(by {long_date(starts - dt.timedelta(days=5))}) for a refund of the price less a "
        "10 % processing fee; there is no refund if you do not attend."
    )

    # Cancel: back to the list, nothing bought.
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IMA courses and events")
    assert not Enrollment.objects.exists()

    # Enroll again and confirm.
    offering = page.locator("section.offering").filter(has_text=TITLE)
    offering.get_by_role("link", name="Enroll for $120.00").click()
    page.get_by_role("button", name="Confirm enrollment").click()
    expect(page.get_by_text(f"You are enrolled in “{TITLE}” for $120.00.")).to_be_visible()
    offering = page.locator("section.offering").filter(has_text=TITLE)
    expect(offering.get_by_text("Enrolled", exact=True)).to_be_visible()
    expect(offering.get_by_role("link", name="Enroll for $120.00")).to_have_count(0)

    page.get_by_role("link", name="My purchases", exact=True).click()
    row = page.get_by_test_id("purchase-row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    enrollment = Enrollment.objects.get()
    assert (enrollment.member, enrollment.price) == (member, Decimal("120.00"))


def test_member_withdraws_a_pending_entry_after_confirming(page, live_server):
    member = MemberFactory(user__email="lena@example.org", user__first_name="Lena")
    entry = EntryFactory(member=member, title="Forecasting seminar")

    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/transcript/{entry.pk}/")
    page.get_by_role("link", name="Withdraw").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw “Forecasting seminar”?")
    page.get_by_role("link", name="Keep the entry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forecasting seminar")
    assert TranscriptEntry.objects.get().review_status == "pending"

    page.get_by_role("link", name="Withdraw").click()
    page.get_by_role("button", name="Withdraw the entry").click()
    expect(page.get_by_text("The entry was withdrawn; it stays on record.")).to_be_visible()
    assert TranscriptEntry.objects.get().review_status == "withdrawn"
