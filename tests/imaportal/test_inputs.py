"""No 500 from any input (issue 14): dates outside 1900-01-01..2100-12-31, deeply nested
JSON, oversize bodies and uploads, invisible-only text, currency codes, and a table of
nasty bodies thrown at every POST/PATCH endpoint of SPEC section 6."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from certification.models import Exemption, Retirement
from certification.services import requests as request_services
from cpe.models import Offering, TranscriptEntry
from imaportal.validation import DATE_RANGE_MESSAGE, YEAR_RANGE_MESSAGE, clean_text
from members.models import DuesPayment
from refunds import services as refund_services
from tests.factories import EnrollmentFactory, EntryFactory, OfferingFactory
from tests.members.test_admin import admin_client  # noqa: F401 (fixture)
from tests.payloads import FORM, PDF, SEMINAR

pytestmark = pytest.mark.django_db

OFFERING = {
    "kind": "live_event",
    "title": "Ethics in FP&A",
    "price": "99.00",
    "currency": "USD",
    "starts_on": "2026-12-10",
    "cpe_hours": "2.0",
}
OUT_OF_RANGE = ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"]


def activities_url(member: Any) -> str:
    return f"/api/v1/members/{member.id}/activities/"


def dues_body(**overrides: Any) -> dict[str, Any]:
    return {
        "amount": "295.00",
        "paid_on": "2026-01-15",
        "paid_through": "2026-12-31",
        **overrides,
    }


def is_json(response: Any) -> bool:
    return response["Content-Type"].startswith("application/json") and (
        json.loads(response.content) is not None
    )


# --- Dates ------------------------------------------------------------------------------


def test_the_clean_text_rule():
    assert clean_text("\u200b\u200b") == ""
    assert clean_text("\u202e") == ""
    assert clean_text("\x00") == ""
    assert clean_text(" \u3000\ufeff\u2060 ") == ""
    assert clean_text("Invoice\u202etxt.exe") == "Invoicetxt.exe"
    assert clean_text("line one\n\tline two\x00") == "line one\n\tline two"
    assert clean_text("  Café 🎓  ") == "Café 🎓"


@pytest.mark.parametrize("as_of", ["9999-01-01", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_status_as_of_outside_the_range_is_a_400(api, member_a, as_of):
    url = f"/api/v1/members/{member_a.id}/status/?as_of={as_of}"
    response = api(member_a.user).get(url)
    assert response.status_code == 400
    assert response.json() == {"as_of": [DATE_RANGE_MESSAGE]}


def test_status_as_of_at_the_edges_of_the_range_answers(api, member_a):
    for as_of in ("1900-01-01", "2100-12-31"):
        response = api(member_a.user).get(f"/api/v1/members/{member_a.id}/status/?as_of={as_of}")
        assert response.status_code == 200, response.json()
        assert response.json()["as_of"] == as_of


@pytest.mark.parametrize("year", ["abc", "0", "1899", "2101", "9999", "9" * 5000, "-1", "٢٠٢٦"])
def test_year_query_parameters_outside_the_range_are_a_400(api, member_a, year):
    response = api(member_a.user).get(activities_url(member_a), {"year": year})
    assert response.status_code == 400
    assert response.json() == {"year": [YEAR_RANGE_MESSAGE]}


def test_year_on_the_pages_never_crashes(member_client):
    for year in ("9" * 5000, "abc", "0001", "9999"):
        page = member_client.get(reverse("cpe:transcript"), {"year": year})
        assert page.status_code == 200
        export = member_client.get(reverse("cpe:transcript_csv"), {"year": year})
        assert export.status_code == 400
        assert "between 1900 and 2100" in export.content.decode()


@pytest.mark.parametrize("completed_on", OUT_OF_RANGE)
def test_activity_date_outside_the_range_is_a_400(api, member_a, completed_on):
    body = {**SEMINAR, "completed_on": completed_on}
    response = api(member_a.user).post(activities_url(member_a), body, format="json")
    assert response.status_code == 400
    assert response.json()["completed_on"] == [DATE_RANGE_MESSAGE]
    assert not TranscriptEntry.objects.exists()


def test_offering_starting_in_9999_is_a_400_and_2100_works_for_enrolled_members(
    api, staff, member_a
):
    response = api(staff).post(
        "/api/v1/offerings/", {**OFFERING, "starts_on": "9999-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["starts_on"] == [DATE_RANGE_MESSAGE]
    created = api(staff).post(
        "/api/v1/offerings/", {**OFFERING, "starts_on": "2100-12-31"}, format="json"
    )
    assert created.status_code == 201, created.json()
    offering_id = created.json()["id"]
    enrolled = api(member_a.user).post(
        f"/api/v1/offerings/{offering_id}/enrollments/", {}, format="json"
    )
    assert enrolled.status_code == 201, enrolled.json()
    enrollment_id = enrolled.json()["id"]
    # The refund outcome adds the issue window to the start: 2100-12-31 + 30 days is fine.
    refund = api(member_a.user).post(
        f"/api/v1/enrollments/{enrollment_id}/refund-request/",
        {"reason": "I cannot attend."},
        format="json",
    )
    assert refund.status_code == 201, refund.json()
    assert refund.json()["issue_by"] == "2101-01-30"
    assert api(member_a.user).get(f"/api/v1/members/{member_a.id}/status/").status_code == 200


@pytest.mark.parametrize("field", ["paid_on", "paid_through"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_dues_dates_outside_the_range_are_a_400(api, staff, member_a, field, value):
    url = f"/api/v1/members/{member_a.id}/dues/"
    response = api(staff).post(url, dues_body(**{field: value}), format="json")
    assert response.status_code == 400
    assert response.json()[field] == [DATE_RANGE_MESSAGE]
    assert not DuesPayment.objects.exists()


@pytest.mark.parametrize("field", ["birth_date", "certified_on"])
def test_member_dates_outside_the_range_are_a_400(api, staff, field):
    body = {
        "email": "new.member@example.org",
        "first_name": "New",
        "last_name": "Member",
        "password": "a long enough password 2026",
        "birth_date": "1980-01-01",
        field: "1800-01-01",
    }
    response = api(staff).post("/api/v1/members/", body, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [DATE_RANGE_MESSAGE]


def test_staff_enrollment_date_outside_the_range_is_a_400(api, staff, member_a):
    offering = OfferingFactory()
    response = api(staff).post(
        f"/api/v1/offerings/{offering.pk}/enrollments/",
        {"member": member_a.pk, "enrolled_on": "0001-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["enrolled_on"] == [DATE_RANGE_MESSAGE]


def test_retirement_and_exemption_years_outside_the_range_are_a_400(api, member_a):
    retired = api(member_a.user).post(
        f"/api/v1/members/{member_a.id}/retirements/",
        {"retired_on": "9999-12-31"},
        format="json",
    )
    assert retired.status_code == 400
    assert retired.json()["retired_on"] == [DATE_RANGE_MESSAGE]
    exempt = api(member_a.user).post(
        f"/api/v1/members/{member_a.id}/exemptions/",
        {"reason": "military", "years": [2026, 9999], "explanation": "Deployed."},
        format="json",
    )
    assert exempt.status_code == 400
    assert YEAR_RANGE_MESSAGE in json.dumps(exempt.json()["years"])
    assert not Retirement.objects.exists() and not Exemption.objects.exists()


def test_html_forms_refuse_dates_outside_the_range(member_client):
    response = member_client.post(reverse("cpe:entry_add"), {**FORM, "completed_on": "9999-12-31"})
    assert response.status_code == 200
    assert DATE_RANGE_MESSAGE in response.context["form"].errors["completed_on"]
    response = member_client.post(reverse("requests:retirement_new"), {"retired_on": "0001-01-01"})
    assert response.status_code == 200
    assert DATE_RANGE_MESSAGE in response.context["form"].errors["retired_on"]
    response = member_client.post(
        reverse("requests:exemption_new"),
        {"reason": "military", "years": "2026, 9999", "explanation": "Deployed."},
    )
    assert response.status_code == 200
    assert YEAR_RANGE_MESSAGE in response.context["form"].errors["years"]
    assert not TranscriptEntry.objects.exists() and not Retirement.objects.exists()


def test_staff_pages_refuse_dates_outside_the_range(staff_client, member_a):
    page = staff_client.get(
        reverse("status:staff_overview"), {"member": member_a.member_number, "as_of": "9999-01-01"}
    )
    assert page.status_code == 200
    assert DATE_RANGE_MESSAGE in page.context["form"].errors["as_of"]
    response = staff_client.post(
        reverse("dues:staff_member", kwargs={"member_id": member_a.pk}),
        {**dues_body(paid_on="0001-01-01"), "currency": "USD"},
    )
    assert response.status_code == 200
    assert DATE_RANGE_MESSAGE in response.context["form"].errors["paid_on"]
    assert not DuesPayment.objects.exists()


def test_admin_refuses_dates_outside_the_range(admin_client):  # noqa: F811
    response = admin_client.post(
        reverse("admin:cpe_offering_add"),
        {**OFFERING, "starts_on": "9999-12-31", "description": ""},
    )
    assert response.status_code == 200
    assert DATE_RANGE_MESSAGE in response.context["adminform"].form.errors["starts_on"]
    assert not Offering.objects.exists()


# --- Nested JSON, body size, uploads ----------------------------------------------------


def test_deeply_nested_json_to_the_token_endpoint_is_a_400():
    client = APIClient()
    for body in ("[" * 1000, "[" * 1000 + "]" * 1000, '{"a":' * 1000 + "1" + "}" * 1000):
        response = client.post("/api/v1/auth/token/", body, content_type="application/json")
        assert response.status_code == 400
        assert "nested too deeply" in response.json()["detail"]


def test_deeply_nested_json_to_an_authenticated_endpoint_is_a_400(api, member_a):
    body = '{"title": ' + "[" * 200 + "]" * 200 + "}"
    response = api(member_a.user).post(
        activities_url(member_a), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@override_settings(API_MAX_BODY_BYTES=1000)
def test_a_body_over_the_limit_is_a_json_413():
    body = json.dumps({"email": "a@example.org", "password": "x" * 2000})
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large (max 1000 bytes)."}


def test_a_multipart_upload_over_the_api_limit_is_a_json_413(api, member_a):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (12 * 1024 * 1024), "application/pdf")
    response = api(member_a.user).post(
        activities_url(member_a), {**SEMINAR, "evidence": big}, format="multipart"
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Request body too large (max ")
    assert not TranscriptEntry.objects.exists()


def test_too_many_form_bytes_are_a_json_413_not_an_html_400(api, member_a):
    # Under the upload limit, but more non-file data than Django reads into memory.
    response = api(member_a.user).post(
        activities_url(member_a), {**SEMINAR, "title": "x" * (3 * 1024 * 1024)}, format="multipart"
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Request body too large")


class RecordingUploadHandler(FileUploadHandler):
    """Placed after the size-limit handler: counts the bytes Django would have spooled."""

    received: list[int] = []

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        RecordingUploadHandler.received.append(0)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        RecordingUploadHandler.received[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@override_settings(
    FILE_UPLOAD_HANDLERS=[
        "imaportal.uploads.SizeLimitUploadHandler",
        "tests.imaportal.test_inputs.RecordingUploadHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
)
def test_a_50_mb_upload_is_refused_while_it_streams(member_client):
    RecordingUploadHandler.received.clear()
    fifty_mb = PDF + b"0" * (50 * 1024 * 1024)
    upload = SimpleUploadedFile("huge.pdf", fifty_mb, content_type="application/pdf")
    response = member_client.post(reverse("cpe:entry_add"), {**FORM, "evidence": upload})
    assert response.status_code == 200
    assert "the limit is 10 MB" in str(response.context["form"].errors["evidence"])
    assert not TranscriptEntry.objects.exists()
    # Nothing past the limit reached the handlers that spool to memory or disk.
    assert RecordingUploadHandler.received
    assert max(RecordingUploadHandler.received) <= 10 * 1024 * 1024


def test_an_upload_just_under_the_limit_is_still_stored(member_client):
    body = PDF + b"0" * (10 * 1024 * 1024 - len(PDF) - 1)
    upload = SimpleUploadedFile("big.pdf", body, content_type="application/pdf")
    response = member_client.post(reverse("cpe:entry_add"), {**FORM, "evidence": upload})
    assert response.status_code == 302
    entry = TranscriptEntry.objects.get()
    assert entry.evidence.size == len(body)


# --- Errors are JSON under /api/ --------------------------------------------------------


def test_unknown_api_path_is_a_json_404():
    response = Client().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    page = Client().get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_malformed_multipart_is_a_json_400(api, member_a):
    response = api(member_a.user).generic(
        "POST",
        activities_url(member_a),
        b'--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nunterminated',
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 400
    assert is_json(response)
    broken = api(member_a.user).generic(
        "POST", activities_url(member_a), b"--xyz--", content_type="multipart/form-data"
    )
    assert broken.status_code == 400
    assert is_json(broken)


def test_an_unexpected_error_under_the_api_is_a_json_500(member_a, monkeypatch):
    from members.api import views

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("unexpected")

    monkeypatch.setattr(views.MeView, "get", explode)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(member_a.user)
    response = client.get("/api/v1/me/")
    assert response.status_code == 500
    assert response.json()["detail"].startswith("Server error")
    assert "RuntimeError" not in response.content.decode()


def test_a_csrf_failure_under_the_api_is_json(rf):
    from imaportal.errors import csrf_failure

    response = csrf_failure(rf.post("/api/v1/me/"), reason="CSRF token missing.")
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": "CSRF Failed: CSRF token missing."}
    page = csrf_failure(rf.post("/accounts/login/"), reason="CSRF token missing.")
    assert page["Content-Type"].startswith("text/html")


# --- Free text and currency -------------------------------------------------------------


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u202e", "\x00", " \ufeff\u2060\u3000 "])
def test_invisible_only_titles_are_refused_on_the_api(api, member_a, title):
    response = api(member_a.user).post(
        activities_url(member_a), {**SEMINAR, "title": title}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["title"] == ["This field cannot be blank."]
    assert not TranscriptEntry.objects.exists()


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u202e", "\x00"])
def test_invisible_only_titles_are_refused_on_the_page(member_client, title):
    response = member_client.post(reverse("cpe:entry_add"), {**FORM, "title": title})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not TranscriptEntry.objects.exists()


def test_bidi_overrides_are_stripped_and_line_breaks_kept(api, member_a, member_client):
    created = api(member_a.user).post(
        activities_url(member_a),
        {**SEMINAR, "title": "Report\u202egpj.exe", "provider": "\u2066Acme\u2069"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    entry = TranscriptEntry.objects.get(pk=created.json()["id"])
    assert (entry.title, entry.provider) == ("Reportgpj.exe", "Acme")
    response = member_client.post(reverse("cpe:entry_add"), {**FORM, "title": "Page\u202etitle"})
    assert response.status_code == 302
    assert TranscriptEntry.objects.filter(title="Pagetitle").exists()
    retired = api(member_a.user).post(
        f"/api/v1/members/{member_a.id}/retirements/",
        {"retired_on": "2026-01-01", "explanation": "Line one\n\tLine two\u202e"},
        format="json",
    )
    if retired.status_code == 201:
        assert Retirement.objects.get().explanation == "Line one\n\tLine two"
    else:  # the member is too young to retire: the rule answers, not a crash
        assert retired.status_code == 400


def test_invisible_only_offering_title_is_refused_in_the_admin(admin_client):  # noqa: F811
    response = admin_client.post(
        reverse("admin:cpe_offering_add"), {**OFFERING, "title": "\u200b", "description": ""}
    )
    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors
    assert not Offering.objects.exists()


@pytest.mark.parametrize("currency", ["XYZ", "US", "usdd", "12$", "ÜSD", ""])
def test_offering_currency_must_be_iso_4217(api, staff, currency):
    response = api(staff).post(
        "/api/v1/offerings/", {**OFFERING, "currency": currency}, format="json"
    )
    assert response.status_code == 400
    assert "currency" in response.json()
    assert not Offering.objects.exists()


def test_offering_currency_is_stored_uppercase(api, staff):
    response = api(staff).post("/api/v1/offerings/", {**OFFERING, "currency": "eur"}, format="json")
    assert response.status_code == 201, response.json()
    assert Offering.objects.get().currency == "EUR"


def test_currency_is_checked_in_the_admin_and_for_dues(admin_client, api, staff, member_a):  # noqa: F811
    response = admin_client.post(
        reverse("admin:cpe_offering_add"), {**OFFERING, "currency": "ABC", "description": ""}
    )
    assert response.status_code == 200
    assert "currency" in response.context["adminform"].form.errors
    dues = api(staff).post(
        f"/api/v1/members/{member_a.id}/dues/", dues_body(currency="ZZZ"), format="json"
    )
    assert dues.status_code == 400
    assert "currency" in dues.json()


# --- Nasty bodies at every POST/PATCH endpoint -------------------------------------------

HUGE = 99999999999999999999
NASTY_BODIES: list[Any] = [
    [],
    [1, 2, 3],
    "a string",
    None,
    123,
    True,
    {"members": [HUGE]},
    {"members": [-1, "1", None, {"a": 1}]},
    {"member": HUGE, "enrolled_on": "2026-01-01"},
    {"member": "abc"},
    {**SEMINAR, "minutes": HUGE},
    {**SEMINAR, "minutes": "390"},
    {**SEMINAR, "minutes": -5},
    {**SEMINAR, "minutes": 1.5e308},
    {**SEMINAR, "title": "a\x00b", "provider": "\x00"},
    {**SEMINAR, "completed_on": "9999-12-31"},
    {**SEMINAR, "completed_on": 20260504},
    {**SEMINAR, "activity_type": "university_course", "semester_credit_hours": "NaN"},
    {**SEMINAR, "activity_type": "university_course", "semester_credit_hours": "Infinity"},
    {**SEMINAR, "activity_type": "university_course", "semester_credit_hours": "-1"},
    {**SEMINAR, "activity_type": "university_course", "semester_credit_hours": "1e999"},
    {**SEMINAR, "title": ["list", "title"], "completed_on": {"y": 2026}},
    {**OFFERING, "price": "NaN"},
    {**OFFERING, "price": "-Infinity", "cpe_hours": "1e400"},
    {**OFFERING, "refund_deadline_days": HUGE, "refund_fee_percent": "NaN", "kind": "conference"},
    {**OFFERING, "title": "\x00", "currency": "\x00\x00\x00"},
    {"amount": "NaN", "paid_on": "0001-01-01", "paid_through": "9999-12-31"},
    {"amount": HUGE, "paid_on": "2026-01-01", "paid_through": "2026-12-31", "currency": "usd"},
    {"reason": "\x00", "years": [HUGE], "explanation": "\u200b"},
    {"reason": "military", "years": "2026,abc,99999999999999999999", "explanation": "x"},
    {"retired_on": "0001-01-01", "explanation": None},
    {"reason": None, "amount": "NaN", "reference": "\x00" * 10},
    {"amount": "1e999", "reason": "special"},
    {"final_test_taken": "maybe"},
    {"email": "\x00@example.org", "password": "\x00", "otp": HUGE},
    {"email": "a@example.org", "first_name": "\u200b", "last_name": "\x00", "password": "x"},
    {"birth_date": "1800-01-01", "certified_on": "2200-01-01", "country": "\x00\x00"},
    {"": "", "\x00": "\x00"},
    {"a" * 1000: "b" * 10000},
    dues_body(paid_on="0001-01-01"),
    dues_body(paid_through="9999-12-31"),
    {**OFFERING, "starts_on": "9999-12-31"},
]
# Sent as they are, not as JSON documents.
RAW_BODIES = ["[" * 1000, '{"a":' * 1000, "{", "\x00", "nul\u0000", "\ufeff{}", "1e999999"]
# The multipart variant of a few bodies (form fields are flat strings).
MULTIPART_BODIES: list[dict[str, Any]] = [
    {**SEMINAR, "title": "a\x00b", "minutes": str(HUGE), "completed_on": "9999-12-31"},
    {**OFFERING, "price": "NaN", "starts_on": "0001-01-01", "currency": "xx"},
    {"members": str(HUGE), "member": "-1", "enrolled_on": "0001-01-01"},
    {"reason": "\u202e", "years": "2026,9999", "explanation": "\u200b"},
    {"retired_on": "9999-12-31", "amount": "Infinity", "reference": "\x00"},
    {"amount": "295.00", "paid_on": "0001-01-01", "paid_through": "2026-12-31"},
]


@pytest.fixture
def endpoints(member_a, staff):
    """Every POST/PATCH operation of SPEC section 6, with objects in a state that reaches
    the input checks."""
    entry = EntryFactory(member=member_a, review_status="pending", minutes=400)
    offering = OfferingFactory(starts_on=dt.date.today() + dt.timedelta(days=60))
    enrollment = EnrollmentFactory(member=member_a, offering=offering)
    refund = refund_services.request_refund(
        enrollment=enrollment, by=member_a.user, reason="I cannot attend."
    )
    exemption = request_services.request_exemption(
        member=member_a,
        reason="military",
        years=[2026],
        explanation="Deployed.",
        document=None,
        by=member_a.user,
    )
    retirement = Retirement.objects.create(
        member=member_a, retired_on=dt.date(2026, 1, 1), explanation="", created_by=member_a.user
    )
    m = member_a.pk
    return [
        ("post", "/api/v1/auth/token/"),
        ("post", "/api/v1/members/"),
        ("post", f"/api/v1/members/{m}/activities/"),
        ("patch", f"/api/v1/activities/{entry.pk}/"),
        ("post", f"/api/v1/activities/{entry.pk}/approve/"),
        ("post", f"/api/v1/activities/{entry.pk}/reject/"),
        ("post", f"/api/v1/activities/{entry.pk}/withdraw/"),
        ("post", "/api/v1/offerings/"),
        ("post", f"/api/v1/offerings/{offering.pk}/enrollments/"),
        ("post", f"/api/v1/offerings/{offering.pk}/attendance/"),
        ("patch", f"/api/v1/enrollments/{enrollment.pk}/"),
        ("post", f"/api/v1/members/{m}/exemptions/"),
        ("post", f"/api/v1/exemptions/{exemption.pk}/approve/"),
        ("post", f"/api/v1/exemptions/{exemption.pk}/reject/"),
        ("post", f"/api/v1/members/{m}/retirements/"),
        ("post", f"/api/v1/retirements/{retirement.pk}/approve/"),
        ("post", f"/api/v1/retirements/{retirement.pk}/reject/"),
        ("post", f"/api/v1/members/{m}/dues/"),
        ("post", f"/api/v1/enrollments/{enrollment.pk}/refund-request/"),
        ("post", f"/api/v1/refunds/{refund.pk}/approve/"),
        ("post", f"/api/v1/refunds/{refund.pk}/deny/"),
        ("post", f"/api/v1/refunds/{refund.pk}/issue/"),
        ("post", f"/api/v1/activities/{HUGE}/approve/"),
        ("patch", f"/api/v1/activities/{HUGE}/"),
        ("post", f"/api/v1/members/{HUGE}/activities/"),
        ("post", f"/api/v1/offerings/{HUGE}/attendance/"),
        ("post", f"/api/v1/refunds/{HUGE}/issue/"),
    ]


def _client(user: Any) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", ["member", "staff"])
def test_no_body_of_any_shape_gets_a_500(endpoints, member_a, staff, who):
    client = _client(member_a.user if who == "member" else staff)
    failures = []
    for method, url in endpoints:
        send = getattr(client, method)
        for body in NASTY_BODIES:
            response = send(url, json.dumps(body), content_type="application/json")
            if response.status_code >= 500 or not is_json(response):
                failures.append((method, url, body, response.status_code))
        for raw in RAW_BODIES:
            response = send(url, raw, content_type="application/json")
            if response.status_code >= 500 or not is_json(response):
                failures.append((method, url, raw[:20], response.status_code))
        for form in MULTIPART_BODIES:
            response = send(url, form, format="multipart")
            if response.status_code >= 500 or not is_json(response):
                failures.append((method, url, "multipart", form, response.status_code))
    assert failures == []


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-1",
        f"page={HUGE}",
        "page_size=-1",
        "page_size=abc",
        f"page_size={HUGE}",
        "year=abc",
        "year=%00",
        "state=bogus",
        "state=%00",
        "as_of=abc",
        "as_of=9999-99-99",
        "overdue=%00",
    ],
)
def test_no_query_string_gets_a_500(member_a, staff, query):
    m = member_a.pk
    urls = [
        f"/api/v1/members/{m}/activities/",
        f"/api/v1/members/{m}/status/",
        f"/api/v1/members/{m}/status/history/",
        f"/api/v1/members/{m}/enrollments/",
        f"/api/v1/members/{m}/exemptions/",
        f"/api/v1/members/{m}/retirements/",
        f"/api/v1/members/{m}/dues/",
        "/api/v1/offerings/",
        "/api/v1/refunds/",
        f"/api/v1/members/{HUGE}/activities/",
        f"/api/v1/refunds/{HUGE}/",
    ]
    for user in (member_a.user, staff):
        client = _client(user)
        for url in urls:
            response = client.get(f"{url}?{query}")
            assert response.status_code < 500, (url, query, response.status_code)
            assert is_json(response), (url, query)


def test_no_query_string_gets_a_500_on_the_pages(staff_client):
    for url in (
        "/staff/review/",
        "/staff/refunds/",
        "/staff/exemptions/",
        "/staff/retirements/",
        "/staff/status/",
    ):
        for query in ("page=abc", f"page={HUGE}", "state=bogus", "older_than_days=%00", "as_of=x"):
            response = staff_client.get(f"{url}?{query}")
            assert response.status_code < 500, (url, query)


def test_money_is_unaffected_by_the_text_rules(api, staff):
    response = api(staff).post("/api/v1/offerings/", {**OFFERING, "price": "12.50"}, format="json")
    assert response.status_code == 201
    assert Offering.objects.get().price == Decimal("12.50")
