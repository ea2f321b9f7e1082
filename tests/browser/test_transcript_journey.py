"""CPE journey: a member adds a seminar with a PDF and sees it pending; staff approve it in
the review queue; the member sees the hours in the year's total."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import totp_code
from tests.factories import PASSWORD, MemberFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_seminar_with_pdf_is_reviewed_and_counts(page, live_server, tmp_path):
    member = MemberFactory(user__email="maria@example.org", user__first_name="Maria")
    staff = StaffFactory(email="rita@ima.example")
    day = timezone.localdate() - dt.timedelta(days=3)
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="Transcript", exact=True).click()
    expect(page.get_by_text("No CPE entries yet")).to_be_visible()
    page.get_by_role("link", name="Add Transcript").first.click()
    page.get_by_label("Activity type").select_option("short_course")
    page.get_by_label("Title of the activity").fill("Budgeting masterclass")
    page.get_by_label("Provider or sponsor").fill("Finance Academy")
    page.get_by_label("Completion date").fill(day.isoformat())
    page.get_by_label("It had an instructor or course guide").check()
    page.get_by_label("It had formal education or training materials").check()
    # Fields of other activity types are hidden.
    expect(page.get_by_label("Exam hours of the parts passed")).to_be_hidden()
    page.get_by_label("Minutes of instruction").fill("400")
    expect(page.get_by_test_id("preview-hours")).to_have_text("8.0")
    page.get_by_label("Evidence (PDF, PNG or JPEG, at most 10 MB)").set_input_files(
        str(certificate)
    )
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Entry submitted for review: 8.0 hours pending.")).to_be_visible()
    totals = page.get_by_test_id(f"totals-{day.year}")
    expect(totals).to_contain_text("8.0 pending")
    expect(totals).to_contain_text("0.0 hours approved")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, staff.email)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_text("Budgeting masterclass")).to_be_visible()
    page.get_by_role("link", name="Review “Budgeting masterclass”").click()
    expect(page.locator("iframe")).to_have_count(1)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("No entries are waiting for review.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="Transcript", exact=True).click()
    totals = page.get_by_test_id(f"totals-{day.year}")
    expect(totals).to_contain_text("8.0 hours approved")
    expect(totals).to_contain_text("0.0 pending")
    expect(page.get_by_text("Approved", exact=True)).to_be_visible()
