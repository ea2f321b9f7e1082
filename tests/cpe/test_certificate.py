"""Start from your certificate (issue 18): Add Transcript filled in from a certificate,
each filled field marked for checking, the certificate kept as the entry's evidence, and
nothing saved until the member submits."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cpe.models import TranscriptEntry
from tests.conftest import sign_in
from tests.cpe.held import held_files
from tests.cpe.held import held_token as _token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_held_files")]

CORPUS = Path(__file__).resolve().parents[1] / "prefill" / "corpus"
URL = "/transcript/add/from-certificate/"
MARK = "Read from your certificate — check it"


def certificate(name: str = "00-nasba.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    data = data if data is not None else (CORPUS / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_certificate_fills_the_form_marks_the_fields_and_is_kept(member_client, member_a):
    response = member_client.post(URL, {"certificate": certificate()})
    assert response.status_code == 200
    page = response.content.decode()
    form = response.context["form"]
    assert form.initial["title"] == "Advanced Budgeting and Forecasting"
    assert form.initial["provider"] == "Summit CPE Partners"
    assert str(form.initial["completed_on"]) == "2026-06-05"
    assert form.initial["minutes"] == 400
    assert form.read_names == {
        "title",
        "provider",
        "completed_on",
        "activity_type",
        "minutes",
        "ethics",
    }
    assert page.count(MARK) == 6
    # Each mark describes its field for screen readers.
    assert 'id="id_title_read"' in page
    assert 'aria-describedby="id_title_read"' in page
    assert 'aria-describedby="id_full_day_days_helptext"' in page  # unread: unchanged
    assert "We read 6 fields from 00-nasba.pdf; check them before you submit." in page
    assert "Your file 00-nasba.pdf is kept" in page
    assert len(held_files()) == 1
    assert not TranscriptEntry.objects.exists()  # nothing saved before Submit for review
    # The entry form posts to Add Transcript, not back here.
    assert f'action="{reverse("cpe:entry_add")}"' in page


def test_submitting_the_checked_form_saves_the_entry_with_the_certificate(member_client, member_a):
    page = member_client.post(URL, {"certificate": certificate()}).content.decode()
    done = member_client.post(
        reverse("cpe:entry_add"),
        {
            "activity_type": "short_course",
            "title": "Advanced Budgeting and Forecasting",
            "provider": "Summit CPE Partners",
            "completed_on": "2026-06-05",
            "minutes": "400",
            "has_instructor": "on",
            "has_formal_materials": "on",
            "evidence_token": _token(page),
            "read_fields": "title provider completed_on activity_type minutes ethics",
        },
    )
    assert done.status_code == 302
    entry = TranscriptEntry.objects.get(member=member_a)
    assert entry.review_status == "pending"
    assert entry.evidence_name == "00-nasba.pdf"
    assert entry.evidence.read() == (CORPUS / "00-nasba.pdf").read_bytes()
    assert held_files() == []


def test_marks_stay_when_the_checked_form_comes_back_with_errors(member_client):
    page = member_client.post(URL, {"certificate": certificate()}).content.decode()
    again = member_client.post(
        reverse("cpe:entry_add"),
        {
            "activity_type": "short_course",
            "title": "",
            "completed_on": "2026-06-05",
            "evidence_token": _token(page),
            "read_fields": "title completed_on bogus",
        },
    )
    assert again.status_code == 200
    assert again.context["form"].read_names == {"title", "completed_on"}
    assert again.content.decode().count(MARK) == 2
    assert "Your file 00-nasba.pdf is kept" in again.content.decode()


def test_a_wrong_file_type_is_named_in_the_error_summary_and_nothing_is_kept(member_client):
    bad = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
    response = member_client.post(URL, {"certificate": bad})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-summary"' in page
    assert "must be a PDF file" in page
    assert 'href="#id_certificate"' in page
    assert held_files() == []
    assert MARK not in page


def test_a_file_over_the_limit_is_refused(member_client, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    big = certificate(data=b"%PDF-1.4\n" + b"0" * 4096)
    page = member_client.post(URL, {"certificate": big}).content.decode()
    assert "the limit is" in page
    assert held_files() == []


def test_a_bad_file_after_a_good_one_loses_nothing(member_client):
    page = member_client.post(URL, {"certificate": certificate()}).content.decode()
    bad = SimpleUploadedFile("photo.gif", b"GIF89a....", content_type="image/gif")
    again = member_client.post(URL, {"certificate": bad, "evidence_token": _token(page)})
    body = again.content.decode()
    assert "must be a PDF file" in body
    assert "Your file 00-nasba.pdf is kept" in body
    assert again.context["form"].initial["title"] == "Advanced Budgeting and Forecasting"
    assert len(held_files()) == 1


def test_a_scan_says_so_and_the_form_stays_usable(member_client, member_a):
    response = member_client.post(URL, {"certificate": certificate("scan-1.pdf")})
    page = response.content.decode()
    assert "This file has no text to read (a scan or a photo)" in page
    assert MARK not in page
    assert "Your file scan-1.pdf is kept" in page
    done = member_client.post(
        reverse("cpe:entry_add"),
        {
            "activity_type": "short_course",
            "title": "Scanned seminar",
            "completed_on": "2026-06-05",
            "minutes": "100",
            "has_instructor": "on",
            "has_formal_materials": "on",
            "evidence_token": _token(page),
        },
    )
    assert done.status_code == 302
    assert TranscriptEntry.objects.get(member=member_a).evidence_name == "scan-1.pdf"


def test_no_file_chosen_asks_for_one(member_client):
    page = member_client.post(URL, {}).content.decode()
    assert "Choose your certificate file to read." in page


def test_another_member_cannot_use_the_held_certificate(client, member_a, member_b):
    sign_in(client, member_a.user)
    token = _token(client.post(URL, {"certificate": certificate()}).content.decode())
    client.logout()
    sign_in(client, member_b.user)
    # Neither reading it again nor saving an entry with it reaches member A's file.
    again = client.post(URL, {"evidence_token": token})
    assert "00-nasba.pdf" not in again.content.decode()
    response = client.post(
        reverse("cpe:entry_add"),
        {
            "activity_type": "short_course",
            "title": "Mine",
            "completed_on": "2026-06-05",
            "minutes": "100",
            "has_instructor": "on",
            "has_formal_materials": "on",
            "evidence_token": token,
        },
    )
    assert response.status_code == 302
    assert not TranscriptEntry.objects.get(member=member_b).evidence
    assert len(held_files()) == 1  # still member A's, untouched


def test_anonymous_visitors_go_to_sign_in(client):
    response = client.post(URL, {"certificate": certificate()})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert held_files() == []


def test_reading_is_post_only(member_client):
    assert member_client.get(URL).status_code == 405


def test_add_transcript_offers_to_start_from_a_certificate(member_client):
    page = member_client.get(reverse("cpe:entry_add")).content.decode()
    assert "Start from your certificate" in page
    assert "Read the certificate" in page
    assert f'action="{URL}"' in page
