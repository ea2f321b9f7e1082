"""CPE API v1 (SPEC section 6): activities, review, offerings, enrollments, attendance."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cpe.models import Enrollment, EntryEvent, TranscriptEntry
from tests.factories import EnrollmentFactory, EntryFactory, MemberFactory, OfferingFactory
from tests.payloads import PDF, SEMINAR

pytestmark = pytest.mark.django_db


def activities_url(member):
    return f"/api/v1/members/{member.id}/activities/"


def test_member_adds_a_seminar_and_gets_id_credit_and_pending(api, member_a):
    response = api(member_a.user).post(activities_url(member_a), SEMINAR, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["credit_hours"] == "8.0"
    assert body["review_status"] == "pending"
    assert isinstance(body["id"], int)
    assert TranscriptEntry.objects.get(pk=body["id"]).member == member_a


def test_staff_entry_for_a_member_also_starts_pending(api, staff, member_a):
    response = api(staff).post(activities_url(member_a), SEMINAR, format="json")
    assert response.status_code == 201
    assert response.json()["review_status"] == "pending"


def test_multipart_with_evidence(api, member_a):
    upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
    response = api(member_a.user).post(
        activities_url(member_a), {**SEMINAR, "evidence": upload}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    entry = TranscriptEntry.objects.get(pk=response.json()["id"])
    assert entry.evidence_content_type == "application/pdf"
    assert entry.evidence_name == "certificate.pdf"
    download = api(member_a.user).get(response.json()["evidence_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_evidence_with_wrong_content_under_a_pdf_name_is_refused(api, member_a):
    upload = SimpleUploadedFile(
        "certificate.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = api(member_a.user).post(
        activities_url(member_a), {**SEMINAR, "evidence": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert "PDF, PNG or JPEG" in response.json()["evidence"][0]
    assert not TranscriptEntry.objects.exists()


def test_oversized_evidence_is_refused(api, member_a, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = api(member_a.user).post(
        activities_url(member_a), {**SEMINAR, "evidence": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert "limit" in response.json()["evidence"][0]
    assert not TranscriptEntry.objects.exists()


def test_another_members_evidence_is_404(api, member_a, member_b):
    upload = SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf")
    created = api(member_a.user).post(
        activities_url(member_a), {**SEMINAR, "evidence": upload}, format="multipart"
    )
    url = created.json()["evidence_url"]
    assert api(member_b.user).get(url).status_code == 404
    assert api().get(url).status_code == 401


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"completed_on": "2999-01-01"}, "completed_on"),
        ({"minutes": -5}, "minutes"),
        ({"minutes": 10_000_000}, "minutes"),
        ({"has_instructor": False}, "has_instructor"),
        ({"activity_type": "on_the_job_training"}, "activity_type"),
        ({"activity_type": "astrology"}, "activity_type"),
        ({"title": ""}, "title"),
        ({"completed_on": "04/05/2026"}, "completed_on"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_stores_nothing(api, member_a, change, field):
    response = api(member_a.user).post(
        activities_url(member_a), {**SEMINAR, **change}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not TranscriptEntry.objects.exists()


def test_missing_required_field_for_the_type(api, member_a):
    body = {k: v for k, v in SEMINAR.items() if k not in ("minutes", "full_day_days")}
    response = api(member_a.user).post(activities_url(member_a), body, format="json")
    assert response.status_code == 400
    assert "minutes" in response.json()


def test_university_course_needs_exactly_one_measure(api, member_a):
    body = {
        "activity_type": "university_course",
        "title": "Managerial Economics",
        "completed_on": "2026-06-01",
        "has_instructor": True,
        "has_formal_materials": True,
        "semester_credit_hours": "3",
        "quarter_credit_hours": "4",
    }
    response = api(member_a.user).post(activities_url(member_a), body, format="json")
    assert response.status_code == 400
    assert {"semester_credit_hours", "quarter_credit_hours"} <= set(response.json())
    del body["quarter_credit_hours"]
    ok = api(member_a.user).post(activities_url(member_a), body, format="json")
    assert ok.json()["credit_hours"] == "45.0"


def test_exam_after_review_course_is_refused_naming_it(api, member_a):
    review = EntryFactory(
        member=member_a, title="CMA Review Part 1", review_course_for="CMA Part 1"
    )
    body = {
        "activity_type": "certification_exam",
        "title": "CMA exam",
        "completed_on": "2026-06-01",
        "exam_name": "CMA Part 1",
        "exam_hours": "4",
    }
    response = api(member_a.user).post(activities_url(member_a), body, format="json")
    assert response.status_code == 400
    assert "CMA Review Part 1" in response.json()["exam_name"][0]
    assert str(review.pk) in response.json()["exam_name"][0]


def test_list_by_year_and_visibility(api, member_a, member_b, staff):
    EntryFactory(member=member_a, completed_on=dt.date(2025, 3, 1), title="Old")
    EntryFactory(member=member_a, completed_on=dt.date(2026, 3, 1), title="New")
    EntryFactory(member=member_b, completed_on=dt.date(2026, 3, 1), title="Bob's")
    mine = api(member_a.user).get(activities_url(member_a), {"year": 2026}).json()
    assert set(mine) == {"count", "next", "previous", "results"}
    assert [e["title"] for e in mine["results"]] == ["New"]
    assert mine["results"][0]["credit_hours"] == "8.0"
    assert api(member_a.user).get(activities_url(member_a)).json()["count"] == 2
    assert api(staff).get(activities_url(member_a)).json()["count"] == 2
    assert api(member_b.user).get(activities_url(member_a)).status_code == 404
    assert (
        api(member_b.user).post(activities_url(member_a), SEMINAR, format="json").status_code == 404
    )
    assert api(member_a.user).get(activities_url(member_a), {"year": "abc"}).status_code == 400


def test_approve_and_reject_are_staff_only_and_409_when_not_pending(
    api, staff, member_a, django_capture_on_commit_callbacks, mailoutbox
):
    entry = EntryFactory(member=member_a)
    url = f"/api/v1/activities/{entry.pk}/approve/"
    assert api(member_a.user).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(url)
    assert response.status_code == 200
    assert response.json()["review_status"] == "approved"
    assert response.json()["reviewed_by"] == staff.email
    assert len(mailoutbox) == 1 and "approved" in mailoutbox[0].subject
    assert api(staff).post(url).status_code == 409
    assert (
        api(staff).post(f"/api/v1/activities/{entry.pk}/reject/", {"reason": "x"}).status_code
        == 409
    )
    assert api(staff).post("/api/v1/activities/999999/approve/").status_code == 404


def test_reject_needs_a_reason_and_keeps_the_entry(api, staff, member_a):
    entry = EntryFactory(member=member_a)
    url = f"/api/v1/activities/{entry.pk}/reject/"
    assert api(staff).post(url, {}, format="json").status_code == 400
    response = api(staff).post(url, {"reason": "No certificate of completion."}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["review_status"] == "rejected"
    assert body["review_reason"] == "No certificate of completion."
    listed = api(member_a.user).get(activities_url(member_a)).json()["results"]
    assert listed[0]["review_status"] == "rejected"
    assert [e.action for e in EntryEvent.objects.filter(entry=entry)] == ["rejected"]


def test_member_edits_and_withdraws_a_pending_entry(api, member_a):
    created = api(member_a.user).post(activities_url(member_a), SEMINAR, format="json").json()
    url = f"/api/v1/activities/{created['id']}/"
    changed = api(member_a.user).patch(url, {"minutes": 100, "full_day_days": None}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["credit_hours"] == "2.0"
    withdrawn = api(member_a.user).post(url + "withdraw/")
    assert withdrawn.json()["review_status"] == "withdrawn"
    assert api(member_a.user).patch(url, {"minutes": 50}, format="json").status_code == 409
    history = api(member_a.user).get(url).json()["events"]
    assert [e["action"] for e in history] == ["submitted", "edited", "withdrawn"]


def test_offerings_list_and_create(api, staff, member_a):
    body = {
        "kind": "live_event",
        "title": "Ethics in FP&A",
        "price": "99.00",
        "currency": "USD",
        "starts_on": "2026-12-10",
        "cpe_hours": "2.0",
    }
    assert api(member_a.user).post("/api/v1/offerings/", body, format="json").status_code == 403
    created = api(staff).post("/api/v1/offerings/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["price"] == "99.00"
    assert created.json()["cpe_hours"] == "2.0"
    listed = api(member_a.user).get("/api/v1/offerings/").json()
    assert listed["count"] == 1
    assert api().get("/api/v1/offerings/").status_code == 401


def test_recorded_webinar_with_cpe_is_refused(api, staff):
    body = {"kind": "recorded_webinar", "title": "Replay", "price": "49.00", "cpe_hours": "1.0"}
    response = api(staff).post("/api/v1/offerings/", body, format="json")
    assert response.status_code == 400
    assert "Recorded webinars earn no CPE" in response.json()["cpe_hours"][0]
    ok = api(staff).post("/api/v1/offerings/", {**body, "cpe_hours": "0"}, format="json")
    assert ok.status_code == 201


def test_conference_needs_its_own_refund_policy(api, staff):
    body = {
        "kind": "conference",
        "title": "ACE 2027",
        "price": "1295.00",
        "starts_on": "2027-06-14",
        "cpe_hours": "20",
    }
    response = api(staff).post("/api/v1/offerings/", body, format="json")
    assert response.status_code == 400
    assert {"refund_deadline_days", "refund_fee_percent"} <= set(response.json())


def test_member_enrolls_at_the_current_price(api, member_a, member_b):
    offering = OfferingFactory(price=Decimal("149.00"))
    url = f"/api/v1/offerings/{offering.pk}/enrollments/"
    response = api(member_a.user).post(url, {}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) >= {"id", "enrolled_on", "price", "final_test_taken", "attended"}
    assert body["price"] == "149.00"
    assert body["attended"] is False
    assert api(member_a.user).post(url, {}, format="json").status_code == 409
    assert (
        api(member_a.user).post(url, {"enrolled_on": "2026-01-01"}, format="json").status_code
        == 400
    )
    assert api(member_a.user).post(url, {"member": member_b.pk}, format="json").status_code in (
        404,
        409,
    )


def test_staff_enrolls_a_member_with_a_past_date(api, staff, member_a):
    offering = OfferingFactory(kind="self_study", starts_on=None)
    url = f"/api/v1/offerings/{offering.pk}/enrollments/"
    assert api(staff).post(url, {}, format="json").status_code == 400
    response = api(staff).post(
        url,
        {"member": member_a.pk, "enrolled_on": "2026-01-15", "final_test_taken": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["enrolled_on"] == "2026-01-15"
    assert response.json()["final_test_taken"] is True


def test_enrollments_list_and_patch(api, staff, member_a, member_b):
    enrollment = EnrollmentFactory(member=member_a)
    listed = api(member_a.user).get(f"/api/v1/members/{member_a.pk}/enrollments/").json()
    assert [e["id"] for e in listed["results"]] == [enrollment.pk]
    assert api(member_b.user).get(f"/api/v1/members/{member_a.pk}/enrollments/").status_code == 404
    url = f"/api/v1/enrollments/{enrollment.pk}/"
    assert (
        api(member_a.user).patch(url, {"final_test_taken": True}, format="json").status_code == 403
    )
    response = api(staff).patch(url, {"final_test_taken": True}, format="json")
    assert response.status_code == 200
    assert response.json()["final_test_taken"] is True
    assert api(member_b.user).get(url).status_code == 404


def test_attendance_posts_approved_ima_entries_once(api, staff, member_a, member_b):
    offering = OfferingFactory(cpe_hours=Decimal("3.0"), starts_on=dt.date(2026, 3, 10))
    EnrollmentFactory(member=member_a, offering=offering)
    url = f"/api/v1/offerings/{offering.pk}/attendance/"
    assert (
        api(member_a.user).post(url, {"members": [member_a.pk]}, format="json").status_code == 403
    )
    response = api(staff).post(url, {"members": [member_a.pk, member_b.pk]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"posted": 2, "already_recorded": 0, "walk_ins": 1}
    entries = TranscriptEntry.objects.filter(offering=offering)
    assert {
        (e.member_id, e.source, e.review_status, e.credit_hours, e.completed_on) for e in entries
    } == {
        (member_a.pk, "ima", "approved", Decimal("3.0"), dt.date(2026, 3, 10)),
        (member_b.pk, "ima", "approved", Decimal("3.0"), dt.date(2026, 3, 10)),
    }
    walk_in = Enrollment.objects.get(member=member_b, offering=offering)
    assert walk_in.price == Decimal("0.00") and walk_in.walk_in and walk_in.attended
    again = api(staff).post(url, {"members": [member_a.pk, member_b.pk]}, format="json")
    assert again.json() == {"posted": 0, "already_recorded": 2, "walk_ins": 0}
    assert TranscriptEntry.objects.filter(offering=offering).count() == 2


def test_attendance_with_an_unknown_member_posts_nothing(api, staff, member_a):
    offering = OfferingFactory()
    response = api(staff).post(
        f"/api/v1/offerings/{offering.pk}/attendance/",
        {"members": [member_a.pk, 999999]},
        format="json",
    )
    assert response.status_code == 400
    assert "999999" in response.json()["members"][0]
    assert not TranscriptEntry.objects.exists()


def test_ima_entries_cannot_be_edited_by_the_member(api, staff, member_a):
    offering = OfferingFactory()
    api(staff).post(
        f"/api/v1/offerings/{offering.pk}/attendance/", {"members": [member_a.pk]}, format="json"
    )
    entry = TranscriptEntry.objects.get(member=member_a)
    response = api(member_a.user).patch(
        f"/api/v1/activities/{entry.pk}/", {"title": "Changed"}, format="json"
    )
    assert response.status_code == 409
    assert api(member_a.user).post(f"/api/v1/activities/{entry.pk}/withdraw/").status_code == 409


def test_transcript_list_uses_a_fixed_number_of_queries(
    api, member_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(member_a.user)
    EntryFactory.create_batch(5, member=member_a)
    with CaptureQueriesContext(connection) as small:
        client.get(activities_url(member_a))
    EntryFactory.create_batch(95, member=member_a)
    with CaptureQueriesContext(connection) as large:
        client.get(activities_url(member_a), {"page_size": 100})
    assert len(small) == len(large)


def test_schema_has_the_cpe_operations(client):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert "post" in paths["/api/v1/members/{member_id}/activities/"]
    assert "post" in paths["/api/v1/offerings/{offering_id}/attendance/"]
    assert "patch" in paths["/api/v1/enrollments/{enrollment_id}/"]


def test_member_factory_smoke():
    assert MemberFactory().member_number
