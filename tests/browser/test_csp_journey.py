"""The Content-Security-Policy in a real browser: the pages that run JavaScript (the
transcript's year filter, Add Transcript's field switching and live credit preview, the
review page framing PDF evidence) work and Chromium reports no policy violation."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.conftest import totp_code
from tests.factories import PASSWORD, EntryFactory, MemberFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_violations(page):
    """Chromium's console messages about the policy, and the violation events."""
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy violation: ' + e.violatedDirective));"
    )
    return violations


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_member_pages_with_scripts_work_under_the_policy(page, live_server):
    violations = record_violations(page)
    member = MemberFactory(user__email="csp.member@example.org")
    EntryFactory(member=member, completed_on=dt.date(2025, 6, 1), title="Last year's seminar")
    EntryFactory(member=member, completed_on=dt.date(2026, 5, 4), title="This year's seminar")
    sign_in(page, live_server.url, member.user.email)

    # The year filter submits itself when the year changes (a script file, no onchange=).
    page.get_by_role("link", name="Transcript", exact=True).click()
    # The deferred script attaches its listener before "load"; a choice made earlier would
    # only change the select (a member's next choice would submit).
    page.wait_for_load_state("load")
    page.get_by_label("Year").select_option("2025")
    expect(page).to_have_url(f"{live_server.url}/transcript/?year=2025")
    expect(page.get_by_text("Last year's seminar")).to_be_visible()
    expect(page.get_by_text("This year's seminar")).to_have_count(0)

    # Add Transcript: the fields follow the activity type and the preview updates.
    page.get_by_role("link", name="Add Transcript").first.click()
    page.get_by_label("Activity type").select_option("short_course")
    expect(page.get_by_label("Exam hours of the parts passed")).to_be_hidden()
    page.get_by_label("Title of the activity").fill("Budgeting masterclass")
    page.get_by_label("Provider or sponsor").fill("Finance Academy")
    page.get_by_label("Completion date").fill("2026-05-04")
    page.get_by_label("It had an instructor or course guide").check()
    page.get_by_label("It had formal education or training materials").check()
    page.get_by_label("Minutes of instruction").fill("400")
    expect(page.get_by_test_id("preview-hours")).to_have_text("8.0")
    page.get_by_label("Minutes of instruction").fill("100")
    expect(page.get_by_test_id("preview-hours")).to_have_text("2.0")
    assert violations == []


def test_review_page_frames_pdf_evidence_under_the_policy(page, live_server):
    violations = record_violations(page)
    staff = StaffFactory(email="csp.reviewer@ima.example")
    entry = EntryFactory(title="Seminar with a PDF", evidence_content_type="application/pdf")
    entry.evidence.save("entry.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    sign_in(page, live_server.url, staff.email)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Review queue").click()
    page.get_by_role("link", name="Review “Seminar with a PDF”").click()
    expect(page.locator("iframe.evidence")).to_have_count(1)
    page.wait_for_load_state("load")
    assert violations == []


def test_admin_pages_run_their_scripts_under_the_policy(page, live_server):
    violations = record_violations(page)
    admin = StaffFactory(email="csp.admin@ima.example", is_superuser=True)
    entry = EntryFactory(title="Seminar for the admin")
    sign_in(page, live_server.url, admin.email)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    for path in (
        "/admin/",
        "/admin/cpe/transcriptentry/",
        f"/admin/cpe/transcriptentry/{entry.pk}/change/",
        "/admin/members/member/add/",
    ):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
    # The admin's scripts ran: the date field got its calendar shortcut ("Today").
    expect(page.get_by_role("link", name="Today").first).to_be_visible()
    assert violations == []
