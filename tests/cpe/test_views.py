"""Member pages: Transcript Information, Add Transcript with preview, edit, withdraw."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpe.models import TranscriptEntry
from tests.factories import EntryFactory, OfferingFactory
from tests.payloads import FORM

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def test_empty_transcript_says_what_to_do(member_client):
    page = member_client.get(reverse("cpe:transcript"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "No CPE entries yet" in text
    assert "Add Transcript" in text


def test_transcript_groups_by_year_with_totals(member_client, member_a, member_b):
    EntryFactory(
        member=member_a,
        completed_on=dt.date(2026, 2, 1),
        review_status="approved",
        credit_hours=Decimal("8.0"),
    )
    EntryFactory(
        member=member_a,
        completed_on=dt.date(2026, 3, 1),
        review_status="pending",
        credit_hours=Decimal("2.5"),
    )
    EntryFactory(
        member=member_a,
        completed_on=dt.date(2026, 4, 1),
        review_status="rejected",
        credit_hours=Decimal("1.0"),
        review_reason="No certificate",
    )
    EntryFactory(
        member=member_a,
        completed_on=dt.date(2025, 6, 1),
        review_status="approved",
        credit_hours=Decimal("30.0"),
    )
    EntryFactory(member=member_b, completed_on=dt.date(2026, 2, 1), title="Bob's secret seminar")
    page = member_client.get(reverse("cpe:transcript"))
    text = page.content.decode()
    assert "Bob&#x27;s secret seminar" not in text and "Bob's secret seminar" not in text
    groups = {g.year: g for g in page.context["groups"]}
    assert (groups[2026].approved, groups[2026].pending, groups[2026].rejected) == (
        Decimal("8.0"),
        Decimal("2.5"),
        Decimal("1.0"),
    )
    assert groups[2025].approved == Decimal("30.0")
    assert "No certificate" in text
    filtered = member_client.get(reverse("cpe:transcript"), {"year": 2025})
    assert [g.year for g in filtered.context["groups"]] == [2025]


def test_transcript_page_query_count_does_not_grow(member_client, member_a):
    EntryFactory.create_batch(5, member=member_a)
    with CaptureQueriesContext(connection) as five:
        assert member_client.get(reverse("cpe:transcript")).status_code == 200
    EntryFactory.create_batch(495, member=member_a, completed_on=dt.date(2024, 1, 1))
    with CaptureQueriesContext(connection) as five_hundred:
        page = member_client.get(reverse("cpe:transcript"))
    assert sum(len(g.entries) for g in page.context["groups"]) == 500
    assert len(five) == len(five_hundred)


def test_add_transcript_with_pdf_evidence(member_client, member_a):
    upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
    response = member_client.post(reverse("cpe:entry_add"), {**FORM, "evidence": upload})
    assert response.status_code == 302
    entry = TranscriptEntry.objects.get(member=member_a)
    assert (entry.credit_hours, entry.review_status, entry.source) == (
        Decimal("8.0"),
        "pending",
        "self",
    )
    assert entry.evidence_content_type == "application/pdf"
    download = member_client.get(reverse("cpe:entry_evidence", kwargs={"entry_id": entry.pk}))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"


def test_add_transcript_errors_are_shown_next_to_fields(member_client, member_a):
    bad = {**FORM, "completed_on": "2999-01-01", "minutes": "-3"}
    response = member_client.post(reverse("cpe:entry_add"), bad)
    assert response.status_code == 200
    form = response.context["form"]
    assert "minutes" in form.errors
    fake = SimpleUploadedFile(
        "certificate.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    response = member_client.post(
        reverse("cpe:entry_add"), {**FORM, "completed_on": "2999-01-01", "evidence": fake}
    )
    assert "completed_on" in response.context["form"].errors
    fake = SimpleUploadedFile(
        "certificate.pdf", b"GIF89a not a pdf", content_type="application/pdf"
    )
    response = member_client.post(reverse("cpe:entry_add"), {**FORM, "evidence": fake})
    assert "PDF, PNG or JPEG" in str(response.context["form"].errors["evidence"])
    assert not TranscriptEntry.objects.exists()


def test_on_the_job_training_is_refused_with_the_rule(member_client):
    response = member_client.post(
        reverse("cpe:entry_add"), {**FORM, "activity_type": "on_the_job_training"}
    )
    assert "On-the-job training never qualifies" in response.content.decode()
    assert not TranscriptEntry.objects.exists()


def test_preview_shows_the_credit_the_entry_will_earn(member_client):
    response = member_client.post(
        reverse("cpe:entry_preview"), {**FORM, "minutes": "389"}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 200
    assert response.context["result"].credit_hours == Decimal("7.5")
    assert "does not apply" in response.content.decode()
    refused = member_client.post(
        reverse("cpe:entry_preview"), {**FORM, "has_instructor": ""}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert "instructor or course guide" in refused.content.decode()
    # Without JavaScript the preview comes back inside the whole form.
    page = member_client.post(reverse("cpe:entry_preview"), FORM)
    assert "Submit for review" in page.content.decode()
    assert page.context["result"].credit_hours == Decimal("8.0")
    # ...and its Submit goes to Add Transcript, not back to the preview.
    assert f'action="{reverse("cpe:entry_add")}"' in page.content.decode()


def test_the_no_javascript_preview_of_a_change_still_saves_the_change(member_client, member_a):
    member_client.post(reverse("cpe:entry_add"), FORM)
    entry = member_a.entries.get()
    data = {**FORM, "entry_id": str(entry.pk), "title": "Budgeting, revised"}
    page = member_client.post(reverse("cpe:entry_preview"), data).content.decode()
    action = reverse("cpe:entry_edit", args=[entry.pk])
    assert f'action="{action}"' in page
    member_client.post(action, data)
    entry.refresh_from_db()
    assert entry.title == "Budgeting, revised"
    assert member_a.entries.count() == 1


def test_member_edits_then_withdraws_a_pending_entry(member_client, member_a):
    member_client.post(reverse("cpe:entry_add"), FORM)
    entry = TranscriptEntry.objects.get(member=member_a)
    edit_url = reverse("cpe:entry_edit", kwargs={"entry_id": entry.pk})
    assert member_client.get(edit_url).context["form"].initial["minutes"] == 400
    member_client.post(edit_url, {**FORM, "minutes": "100", "full_day_days": ""})
    entry.refresh_from_db()
    assert entry.credit_hours == Decimal("2.0")
    member_client.post(reverse("cpe:entry_withdraw", kwargs={"entry_id": entry.pk}))
    entry.refresh_from_db()
    assert entry.review_status == "withdrawn"
    # Nothing is deleted; a withdrawn entry can no longer be changed.
    response = member_client.get(edit_url)
    assert response.status_code == 302


def test_ima_entries_are_not_editable_from_the_page(member_client, member_a, staff):
    from cpe.services import offerings

    offering = OfferingFactory()
    offerings.record_attendance(offering=offering, members=[member_a], by=staff)
    entry = TranscriptEntry.objects.get(member=member_a)
    detail = member_client.get(reverse("cpe:entry_detail", kwargs={"entry_id": entry.pk}))
    assert "cannot be changed" in detail.content.decode()
    response = member_client.post(reverse("cpe:entry_edit", kwargs={"entry_id": entry.pk}), FORM)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == offering.title


def test_offerings_page_and_enroll(member_client, member_a):
    offering = OfferingFactory(title="Strategic Cost Management", price=Decimal("79.00"))
    page = member_client.get(reverse("cpe:offerings"))
    assert "Strategic Cost Management" in page.content.decode()
    response = member_client.post(
        reverse("cpe:offering_enroll", kwargs={"offering_id": offering.pk})
    )
    assert response.status_code == 302
    enrollment = member_a.enrollments.get()
    assert enrollment.price == Decimal("79.00")
    again = member_client.post(
        reverse("cpe:offering_enroll", kwargs={"offering_id": offering.pk}), follow=True
    )
    assert "already enrolled" in again.content.decode()
