"""An evidence file chosen on a form that comes back with errors is held for the retry:
private to the session that chose it, checked like any evidence, removed once used and
after a day when abandoned."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cpe.models import TranscriptEntry
from cpe.views import held_evidence
from tests.conftest import sign_in
from tests.cpe.held import held_files
from tests.cpe.held import held_token as _token
from tests.factories import EntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_held_files")]

PDF = b"%PDF-1.4\n%%EOF\n"
ENTRY = {
    "activity_type": "short_course",
    "completed_on": "2024-03-01",
    "has_instructor": "on",
    "has_formal_materials": "on",
    "minutes": "400",
}


def pdf():
    return SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")


def test_the_file_chosen_before_an_error_is_kept_and_used_on_the_retry(member_client, member_a):
    first = member_client.post(reverse("cpe:entry_add"), {**ENTRY, "evidence": pdf()})
    page = first.content.decode()
    assert "Your file certificate.pdf is kept" in page
    assert "Choose the file again" not in page
    assert len(held_files()) == 1

    second = member_client.post(
        reverse("cpe:entry_add"), {**ENTRY, "title": "Budgeting", "evidence_token": _token(page)}
    )
    assert second.status_code == 302
    entry = TranscriptEntry.objects.get(member=member_a)
    assert entry.evidence_name == "certificate.pdf"
    assert entry.evidence.read() == PDF
    assert held_files() == []  # the entry has its own copy


def test_a_held_file_is_kept_through_a_second_error(member_client):
    page = member_client.post(reverse("cpe:entry_add"), {**ENTRY, "evidence": pdf()})
    token = _token(page.content.decode())
    again = member_client.post(reverse("cpe:entry_add"), {**ENTRY, "evidence_token": token})
    assert "Your file certificate.pdf is kept" in again.content.decode()
    assert _token(again.content.decode()) == token


def test_another_session_cannot_use_the_token(client, member_client, member_a, member_b):
    page = member_client.post(reverse("cpe:entry_add"), {**ENTRY, "evidence": pdf()})
    token = _token(page.content.decode())
    client.logout()
    sign_in(client, member_b.user)
    response = client.post(
        reverse("cpe:entry_add"), {**ENTRY, "title": "Mine", "evidence_token": token}
    )
    assert response.status_code == 302
    entry = TranscriptEntry.objects.get(member=member_b)
    assert not entry.evidence
    assert len(held_files()) == 1  # still member A's, untouched


def test_a_refused_file_is_not_kept(member_client):
    bad = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
    page = member_client.post(
        reverse("cpe:entry_add"), {**ENTRY, "title": "Budgeting", "evidence": bad}
    ).content.decode()
    assert "Choose the file again" in page
    assert "evidence_token" not in page
    assert held_files() == []


def test_correct_and_resubmit_keeps_the_file_too(member_client, member_a):
    rejected = EntryFactory(member=member_a, review_status="rejected", review_reason="No proof.")
    url = reverse("cpe:entry_resubmit", args=[rejected.pk])
    page = member_client.post(url, {**ENTRY, "title": "", "evidence": pdf()}).content.decode()
    assert "Your file certificate.pdf is kept" in page
    done = member_client.post(url, {**ENTRY, "title": "Fixed", "evidence_token": _token(page)})
    assert done.status_code == 302
    saved = TranscriptEntry.objects.exclude(pk=rejected.pk).get(member=member_a)
    assert saved.evidence_name == "certificate.pdf"
    assert held_files() == []


def test_abandoned_held_files_are_removed_after_a_day(member_client, monkeypatch):
    member_client.post(reverse("cpe:entry_add"), {**ENTRY, "evidence": pdf()})
    assert len(held_files()) == 1
    monkeypatch.setattr(held_evidence, "MAX_AGE", dt.timedelta(seconds=-1))
    held_evidence._sweep()
    assert held_files() == []
