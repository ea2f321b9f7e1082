"""Add Transcript from a certificate (issue 18): the member chooses a certificate, reads
it, checks the fields it filled (each marked "Read from your certificate — check it"),
completes what a certificate does not say and submits; the entry is pending with the
certificate as its evidence, chosen once."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cpe.models import TranscriptEntry
from tests.browser.test_transcript_journey import sign_in
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).resolve().parents[1] / "prefill" / "corpus"
MARK = "Read from your certificate — check it"


def test_read_a_certificate_check_the_fields_and_submit(page, live_server):
    member = MemberFactory(user__email="maria@example.org", user__first_name="Maria")
    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/transcript/add/")

    page.get_by_label("Your certificate (PDF, at most 10 MB)").set_input_files(
        str(CORPUS / "00-nasba.pdf")
    )
    page.get_by_role("button", name="Read the certificate").click()

    expect(page.get_by_test_id("certificate-status")).to_have_text(
        "We read 6 fields from 00-nasba.pdf; check them before you submit."
    )
    title = page.get_by_label("Title of the activity")
    expect(title).to_have_value("Advanced Budgeting and Forecasting")
    expect(page.get_by_label("Completion date")).to_have_value("2026-06-05")
    minutes = page.get_by_label("Minutes of instruction")
    expect(minutes).to_have_value("400")
    # Each filled field is marked, and the mark describes the field to screen readers.
    for name in ("title", "completed_on", "minutes"):
        expect(page.get_by_test_id(f"read-{name}")).to_have_text(MARK)
    expect(title).to_have_accessible_description(MARK)
    expect(minutes).to_have_accessible_description(MARK)
    expect(page.get_by_test_id("evidence-held")).to_contain_text("00-nasba.pdf")
    assert not TranscriptEntry.objects.exists()  # nothing saved before the member submits

    # What a certificate does not say, the member states.
    page.get_by_label("It had an instructor or course guide").check()
    page.get_by_label("It had formal education or training materials").check()
    expect(page.get_by_test_id("preview-hours")).to_have_text("8.0")
    page.get_by_role("button", name="Submit for review").click()

    expect(page.get_by_text("Entry submitted for review: 8.0 hours pending.")).to_be_visible()
    entry = TranscriptEntry.objects.get(member=member)
    assert entry.title == "Advanced Budgeting and Forecasting"
    assert entry.provider == "Summit CPE Partners"
    assert entry.review_status == "pending"
    assert entry.minutes == 400
    assert entry.evidence_name == "00-nasba.pdf"
    assert entry.evidence.read() == (CORPUS / "00-nasba.pdf").read_bytes()


def test_dropping_a_certificate_reads_it(page, live_server):
    """A mouse user drops the file on the drop zone; it is read at once."""
    member = MemberFactory(user__email="dora@example.org")
    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/transcript/add/")
    data = list((CORPUS / "01-ima.pdf").read_bytes())
    transfer = page.evaluate_handle(
        """bytes => { const dt = new DataTransfer();
          dt.items.add(new File([new Uint8Array(bytes)], "01-ima.pdf",
                                {type: "application/pdf"}));
          return dt; }""",
        data,
    )
    with page.expect_navigation():
        page.locator("[data-drop-zone]").dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.get_by_label("Title of the activity")).to_have_value(
        "Ethics for Management Accountants"
    )
    expect(page.get_by_label("Ethics content")).to_be_checked()
    expect(page.get_by_test_id("read-ethics")).to_have_text(MARK)
