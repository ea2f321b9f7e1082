"""Stored credit reasons (issue 15): an entry keeps its reasons as codes; the pages and the
API show them as sentences in the reader's language; migration 0007 keeps every old text."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from cpe.credit import ActivityInput
from cpe.models import TranscriptEntry
from cpe.services import entries
from imaportal.reasons import Reason
from tests.factories import EntryFactory, StaffFactory
from tests.payloads import FORM

MIGRATION = importlib.import_module("cpe.migrations.0007_credit_reasons_as_codes")
TOO_SOON = (
    "The same course counts again only from 1 September 2028 (3 years after its last "
    "credited teaching on 1 September 2025) or when substantially changed."
)


def teaching(on: dt.date) -> ActivityInput:
    return ActivityInput(
        activity_type="university_teaching",
        title="Cost Accounting",
        completed_on=on,
        weeks=15,
        course_credit_hours=Decimal("3"),
    )


def repeated_teaching(member) -> TranscriptEntry:
    """A course taught again a year after its credited first teaching: 0 hours."""
    first = entries.submit_entry(member=member, data=teaching(dt.date(2025, 9, 1)), by=member.user)
    entries.approve_entry(entry=first, by=StaffFactory())
    again = entries.submit_entry(member=member, data=teaching(dt.date(2026, 9, 1)), by=member.user)
    again.refresh_from_db()
    return again


@pytest.mark.django_db
def test_a_stored_entry_keeps_the_code_and_the_api_shows_the_sentence(api, member_a):
    again = repeated_teaching(member_a)
    assert (again.credit_hours, again.credit_rule) == (Decimal("0.0"), "teaching_repeat")
    assert again.credit_reasons == [
        {
            "code": "credit.teaching_too_soon",
            "params": {
                "allowed_from": {"date": "2028-09-01"},
                "years": 3,
                "last": {"date": "2025-09-01"},
            },
        }
    ]
    body = api(member_a.user).get(reverse("api-activity", kwargs={"entry_id": again.pk})).json()
    assert body["credit_reasons"] == [TOO_SOON]
    assert body["credit_reason_codes"] == again.credit_reasons
    assert body["credit_rule"] == "teaching_repeat"


@pytest.mark.django_db
def test_the_transcript_and_the_entry_page_show_the_sentence(member_client, member_a):
    again = repeated_teaching(member_a)
    transcript = member_client.get(reverse("cpe:transcript"), {"year": 2026}).content.decode()
    assert TOO_SOON in transcript
    detail = member_client.get(reverse("cpe:entry_detail", args=[again.pk])).content.decode()
    assert TOO_SOON in detail


@pytest.mark.django_db
def test_the_staff_review_pages_show_the_sentences(staff_client):
    entry = EntryFactory()
    sentence = "400 minutes = 8.0 50-minute hours (rounded down to the nearest 0.5)."
    queue = staff_client.get(reverse("cpe:review_queue")).content.decode()
    assert sentence in queue
    page = staff_client.get(reverse("cpe:review_entry", args=[entry.pk])).content.decode()
    assert sentence in page


@pytest.mark.django_db
def test_the_preview_shows_the_sentences(member_client):
    response = member_client.post(
        reverse("cpe:entry_preview"), {**FORM, "minutes": "389"}, HTTP_X_REQUESTED_WITH="fetch"
    )
    page = response.content.decode()
    assert "389 minutes = 7.5 50-minute hours (rounded down to the nearest 0.5)." in page
    assert "The full-day rule needs 390 minutes for 1 day; it does not apply." in page


@pytest.mark.django_db
def test_an_old_text_is_kept_by_the_migration_and_shown_as_written(api, member_a, member_client):
    old = EntryFactory(member=member_a, credit_reasons=["Credited by the old portal."])
    new = EntryFactory(member=member_a)
    coded = TranscriptEntry.objects.get(pk=new.pk).credit_reasons

    MIGRATION.keep_old_texts(apps, None)

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.credit_reasons == [Reason.text("Credited by the old portal.").as_json()]
    assert new.credit_reasons == coded
    assert old.explanations() == ["Credited by the old portal."]
    body = api(member_a.user).get(reverse("api-activity", kwargs={"entry_id": old.pk})).json()
    assert body["credit_reasons"] == ["Credited by the old portal."]
    assert body["credit_reason_codes"] == [
        {"code": "text", "params": {"text": "Credited by the old portal."}}
    ]
    page = member_client.get(reverse("cpe:entry_detail", args=[old.pk])).content.decode()
    assert "Credited by the old portal." in page


@pytest.mark.django_db
def test_the_migration_goes_back_to_sentences():
    old = EntryFactory(credit_reasons=[Reason.text("Credited by the old portal.").as_json()])
    new = EntryFactory()

    MIGRATION.back_to_texts(apps, None)

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.credit_reasons == ["Credited by the old portal."]
    assert new.credit_reasons == [
        "400 minutes = 8.0 50-minute hours (rounded down to the nearest 0.5)."
    ]
    MIGRATION.keep_old_texts(apps, None)  # and forth again: nothing is lost
    old.refresh_from_db()
    assert old.explanations() == ["Credited by the old portal."]


@pytest.mark.django_db
def test_the_admin_shows_the_sentences(client):
    client.force_login(StaffFactory(email="root@ima.example", is_superuser=True))
    entry = EntryFactory()
    page = client.get(reverse("admin:cpe_transcriptentry_change", args=[entry.pk]))
    assert "400 minutes = 8.0 50-minute hours (rounded down to the nearest 0.5)." in (
        page.content.decode()
    )
