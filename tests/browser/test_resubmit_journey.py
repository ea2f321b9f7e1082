"""No dead end after a rejection: staff reject a seminar; the member opens the rejected
entry, chooses Correct and resubmit, finds the form filled in as reported, attaches a new
PDF and submits: a new pending entry, and the rejected one stays on record."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cpe.models import ReviewStatus, TranscriptEntry
from tests.browser.test_transcript_journey import sign_in
from tests.conftest import totp_code
from tests.factories import EntryFactory, MemberFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rejected_entry_is_corrected_and_resubmitted(page, live_server, tmp_path):
    member = MemberFactory(user__email="maria@example.org", user__first_name="Maria")
    staff = StaffFactory(email="rita@ima.example")
    day = timezone.localdate() - dt.timedelta(days=3)
    rejected = EntryFactory(
        member=member,
        title="Budgeting masterclass",
        provider="Finance Academy",
        completed_on=day,
        minutes=400,
        credit_hours=Decimal("8.0"),
    )
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    sign_in(page, live_server.url, staff.email)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Review queue").click()
    page.get_by_role("link", name="Review “Budgeting masterclass”").click()
    page.get_by_label("Reason (required to reject; shown to the member)").fill(
        "No certificate of completion attached."
    )
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("No entries are waiting for review.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="Transcript", exact=True).click()
    page.get_by_role("link", name="Budgeting masterclass").click()
    expect(page.get_by_text("No certificate of completion attached.")).to_be_visible()
    page.get_by_role("link", name="Correct and resubmit").click()
    expect(page.get_by_role("heading", name="Correct and resubmit")).to_be_visible()
    expect(page.get_by_label("Title of the activity")).to_have_value("Budgeting masterclass")
    expect(page.get_by_label("Provider or sponsor")).to_have_value("Finance Academy")
    expect(page.get_by_label("Completion date")).to_have_value(day.isoformat())
    expect(page.get_by_label("Minutes of instruction")).to_have_value("400")
    expect(page.get_by_label("It had an instructor or course guide")).to_be_checked()
    expect(page.get_by_test_id("preview-hours")).to_have_text("8.0")
    page.get_by_label("Evidence (PDF, PNG or JPEG, at most 10 MB)").set_input_files(
        str(certificate)
    )
    page.get_by_role("button", name="Resubmit for review").click()
    expect(
        page.get_by_text("Corrected entry submitted for review: 8.0 hours pending.")
    ).to_be_visible()
    expect(page.get_by_text("Pending review", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="certificate.pdf")).to_be_visible()

    rejected.refresh_from_db()
    assert rejected.review_status == ReviewStatus.REJECTED
    new = TranscriptEntry.objects.get(resubmission_of=rejected)
    assert new.review_status == ReviewStatus.PENDING
    assert new.evidence_name == "certificate.pdf"
    page.get_by_role("link", name="see the rejected entry").click()
    expect(page.get_by_text("Rejected", exact=True)).to_be_visible()
