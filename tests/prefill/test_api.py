"""POST /api/v1/members/{id}/activities/prefill/: reads a certificate, stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cpe.models import TranscriptEntry

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent / "corpus"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(member):
    return f"/api/v1/members/{member.id}/activities/prefill/"


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    data = data if data is not None else (CORPUS / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_member_gets_the_fields_of_a_certificate(api, member_a):
    response = api(member_a.user).post(
        url(member_a), {"evidence": upload("00-nasba.pdf")}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["fields"] == {
        "title": "Advanced Budgeting and Forecasting",
        "provider": "Summit CPE Partners",
        "completed_on": "2026-06-05",
        "activity_type": "short_course",
        "minutes": 400,
        "ethics": False,
    }
    assert body["found"]["minutes"] == "CPE Credits: 8.0"
    assert body["message"] is None
    assert not TranscriptEntry.objects.exists()


def test_staff_may_read_for_a_member_and_the_language_decides_the_date(api, staff, member_a):
    response = api(staff).post(
        url(member_a),
        {"evidence": upload("04-sentence.pdf"), "language": "en-US"},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["fields"]["completed_on"] == "2026-05-06"


def test_a_scan_answers_empty_fields_and_a_message(api, member_a):
    response = api(member_a.user).post(
        url(member_a), {"evidence": upload("scan-1.pdf")}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["fields"] == {}
    assert response.json()["message"]


def test_an_image_answers_empty_fields_and_a_message(api, member_a):
    image = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    response = api(member_a.user).post(url(member_a), {"evidence": image}, format="multipart")
    assert response.status_code == 200
    assert response.json()["fields"] == {}
    assert response.json()["message"]


def test_a_broken_pdf_answers_200_not_500(api, member_a):
    broken = upload("broken.pdf", b"%PDF-1.7\n garbage without objects")
    response = api(member_a.user).post(url(member_a), {"evidence": broken}, format="multipart")
    assert response.status_code == 200
    assert response.json()["fields"] == {}


def test_wrong_type_is_400(api, member_a):
    wrong = upload("c.pdf", b"MZ\x90\x00 not a pdf")
    response = api(member_a.user).post(url(member_a), {"evidence": wrong}, format="multipart")
    assert response.status_code == 400
    assert "evidence" in response.json()


def test_oversize_is_400(api, member_a, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    big = upload("big.pdf", (CORPUS / "00-nasba.pdf").read_bytes() + b"0" * 2048)
    response = api(member_a.user).post(url(member_a), {"evidence": big}, format="multipart")
    assert response.status_code == 400
    assert "limit" in response.json()["evidence"][0]


def test_missing_file_is_400(api, member_a):
    response = api(member_a.user).post(url(member_a), {}, format="multipart")
    assert response.status_code == 400


def test_another_members_is_404(api, member_a, member_b):
    response = api(member_b.user).post(
        url(member_a), {"evidence": upload("00-nasba.pdf")}, format="multipart"
    )
    assert response.status_code == 404


def test_anonymous_is_401(api, member_a):
    response = api(None).post(
        url(member_a), {"evidence": upload("00-nasba.pdf")}, format="multipart"
    )
    assert response.status_code == 401
