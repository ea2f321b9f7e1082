"""Errors that help: a member sends Add Transcript with a mistake and a certificate chosen.
The page opens on "There is a problem", focused, whose link leads into the field; beside
the file field it says the certificate is kept; fixed, the entry is submitted with the
certificate attached without choosing it again."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cpe.models import TranscriptEntry
from tests.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVIDENCE = "Evidence (PDF, PNG or JPEG, at most 10 MB)"


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_a_mistake_is_summarised_linked_and_fixed_with_the_evidence(page, live_server, tmp_path):
    member = MemberFactory(user__email="maria@example.org", user__first_name="Maria")
    day = timezone.localdate() - dt.timedelta(days=3)
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    sign_in(page, live_server.url, member.user.email)
    page.goto(f"{live_server.url}/transcript/add/")
    # The form opens on seminars and short courses, with their fields only.
    expect(page.get_by_label("Activity type")).to_have_value("short_course")
    expect(page.get_by_label("Exam hours of the parts passed")).to_be_hidden()
    expect(page.get_by_label("Minutes of instruction")).to_be_visible()
    page.get_by_label("Provider or sponsor").fill("Finance Academy")
    page.get_by_label("Completion date").fill(day.isoformat())
    page.get_by_label("It had an instructor or course guide").check()
    page.get_by_label("It had formal education or training materials").check()
    page.get_by_label("Minutes of instruction").fill("400")
    page.get_by_label(EVIDENCE).set_input_files(str(certificate))
    # The title is forgotten.
    page.get_by_role("button", name="Submit for review").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Title of the activity: This field is required.")
    link.click()
    title = page.get_by_label("Title of the activity")
    expect(title).to_be_focused()
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description("This field is required.")
    # What was typed is still there, and so is the certificate.
    expect(page.get_by_label("Minutes of instruction")).to_have_value("400")
    expect(page.get_by_test_id("evidence-held")).to_contain_text(
        "Your file certificate.pdf is kept: you need not choose it again"
    )

    title.fill("Budgeting masterclass")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Entry submitted for review: 8.0 hours pending.")).to_be_visible()
    entry = TranscriptEntry.objects.get(member=member)
    assert entry.title == "Budgeting masterclass"
    assert entry.evidence_name == "certificate.pdf"
