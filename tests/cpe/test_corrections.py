"""No dead ends on the transcript: "Correct and resubmit" a rejected entry, "Add evidence" to
a pending one, the warning before submitting an activity completed before certification,
and the attendance import offered only for offerings that took place and carry hours."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cpe.credit import attendance_refusal, certification_warning
from cpe.models import ReviewStatus, TranscriptEntry
from cpe.services import corrections
from imaportal.exceptions import Conflict, InvalidInput
from tests.factories import EntryFactory, OfferingFactory
from tests.payloads import FORM

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name="certificate.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def rejected_entry(member, **kwargs):
    return EntryFactory(
        member=member,
        review_status=ReviewStatus.REJECTED,
        review_reason="The certificate is missing.",
        title="Budgeting masterclass",
        provider="Finance Academy",
        minutes=400,
        ethics=True,
        **kwargs,
    )


def resubmit_url(entry):
    return reverse("cpe:entry_resubmit", kwargs={"entry_id": entry.pk})


def evidence_url(entry):
    return reverse("cpe:entry_add_evidence", kwargs={"entry_id": entry.pk})


def detail(client, entry):
    return client.get(reverse("cpe:entry_detail", kwargs={"entry_id": entry.pk})).content.decode()


# 1. Correct and resubmit


def test_a_rejected_entry_offers_correct_and_resubmit_to_its_owner(member_client, member_a):
    rejected = rejected_entry(member_a)
    assert resubmit_url(rejected) in detail(member_client, rejected)
    pending = EntryFactory(member=member_a)
    assert resubmit_url(pending) not in detail(member_client, pending)


def test_the_resubmit_form_is_prefilled_from_the_rejected_entry(member_client, member_a):
    rejected = rejected_entry(member_a)
    page = member_client.get(resubmit_url(rejected))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["title"] == "Budgeting masterclass"
    assert form.initial["provider"] == "Finance Academy"
    assert form.initial["minutes"] == 400
    assert form.initial["ethics"] is True
    assert form.initial["completed_on"] == rejected.completed_on
    assert "evidence" not in form.initial
    text = page.content.decode()
    assert "Correct and resubmit" in text
    assert "The certificate is missing." in text
    assert 'value="Budgeting masterclass"' in text


def test_resubmitting_creates_a_new_pending_entry_and_keeps_the_rejected_one(
    member_client, member_a
):
    rejected = rejected_entry(member_a)
    response = member_client.post(
        resubmit_url(rejected), {**FORM, "title": "Budgeting masterclass", "evidence": pdf()}
    )
    new = TranscriptEntry.objects.exclude(pk=rejected.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cpe:entry_detail", kwargs={"entry_id": new.pk})
    assert new.review_status == ReviewStatus.PENDING
    assert new.resubmission_of == rejected
    assert new.evidence_content_type == "application/pdf"
    assert new.credit_hours == Decimal("8.0")
    rejected.refresh_from_db()
    assert rejected.review_status == ReviewStatus.REJECTED
    assert rejected.review_reason == "The certificate is missing."
    event = AuditEvent.objects.get(action="entry.resubmitted")
    assert event.target_id == str(new.pk) and event.member_id == member_a.pk
    assert str(rejected.pk) in event.why
    assert "see the rejected entry" in detail(member_client, new)


def test_resubmit_refuses_bad_evidence_with_a_message(member_client, member_a):
    rejected = rejected_entry(member_a)
    bad = SimpleUploadedFile("cert.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = member_client.post(resubmit_url(rejected), {**FORM, "evidence": bad})
    assert response.status_code == 200
    assert "must be a PDF, PNG or JPEG" in response.content.decode()
    assert TranscriptEntry.objects.count() == 1


def test_another_member_gets_404_on_resubmit(member_client, member_b):
    rejected = rejected_entry(member_b)
    assert member_client.get(resubmit_url(rejected)).status_code == 404
    assert member_client.post(resubmit_url(rejected), {**FORM}).status_code == 404
    assert TranscriptEntry.objects.count() == 1


def test_staff_do_not_resubmit_for_a_member(staff_client, member_b):
    rejected = rejected_entry(member_b)
    assert staff_client.get(resubmit_url(rejected)).status_code == 403  # staff are no member
    assert staff_client.post(resubmit_url(rejected), {**FORM}).status_code == 403
    assert TranscriptEntry.objects.count() == 1


def test_only_a_rejected_entry_is_resubmitted(member_client, member_a):
    for status in (ReviewStatus.PENDING, ReviewStatus.APPROVED, ReviewStatus.WITHDRAWN):
        entry = EntryFactory(member=member_a, review_status=status)
        response = member_client.post(resubmit_url(entry), {**FORM, "evidence": pdf()})
        assert response.status_code == 302
        assert response["Location"] == reverse("cpe:entry_detail", kwargs={"entry_id": entry.pk})
    assert TranscriptEntry.objects.count() == 3
    unknown = reverse("cpe:entry_resubmit", kwargs={"entry_id": 999_999})
    assert member_client.get(unknown).status_code == 404


def test_the_service_refuses_a_second_look_at_a_pending_entry(member_a):
    from cpe.services.entries import activity_input

    pending = EntryFactory(member=member_a)
    data = activity_input({"activity_type": "short_course", "title": "X", **_values()})
    with pytest.raises(Conflict):
        corrections.resubmit_entry(rejected=pending, data=data, by=member_a.user)


def _values():
    return {
        "completed_on": dt.date(2026, 4, 20),
        "has_instructor": True,
        "has_formal_materials": True,
        "minutes": 400,
    }


# 2. Add evidence to a pending entry


def test_a_pending_entry_accepts_evidence_later(member_client, member_a):
    entry = EntryFactory(member=member_a)
    assert evidence_url(entry) in detail(member_client, entry)
    response = member_client.post(evidence_url(entry), {"evidence": pdf("receipt.pdf")})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.evidence_name == "receipt.pdf"
    assert entry.evidence_content_type == "application/pdf"
    assert entry.version == 2
    assert AuditEvent.objects.filter(action="entry.evidence_added", target_id=str(entry.pk))
    # Replacing it works the same way.
    png = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\nrest", content_type="image/png")
    member_client.post(evidence_url(entry), {"evidence": png})
    entry.refresh_from_db()
    assert entry.evidence_name == "scan.png" and entry.version == 3


def test_add_evidence_checks_type_and_presence(member_client, member_a):
    entry = EntryFactory(member=member_a)
    bad = SimpleUploadedFile("cert.pdf", b"MZ not a pdf", content_type="application/pdf")
    page = member_client.post(evidence_url(entry), {"evidence": bad}, follow=True)
    assert "must be a PDF, PNG or JPEG" in page.content.decode()
    page = member_client.post(evidence_url(entry), {}, follow=True)
    assert "Choose the evidence file to upload." in page.content.decode()
    entry.refresh_from_db()
    assert not entry.evidence and entry.version == 1


def test_staff_do_not_add_evidence_for_a_member(staff_client, member_b):
    theirs = EntryFactory(member=member_b)
    assert staff_client.post(evidence_url(theirs), {"evidence": pdf()}).status_code == 403
    theirs.refresh_from_db()
    assert not theirs.evidence


def test_add_evidence_only_for_the_owner_and_only_while_pending(member_client, member_a, member_b):
    theirs = EntryFactory(member=member_b)
    assert member_client.post(evidence_url(theirs), {"evidence": pdf()}).status_code == 404
    approved = EntryFactory(member=member_a, review_status=ReviewStatus.APPROVED)
    assert evidence_url(approved) not in detail(member_client, approved)
    page = member_client.post(evidence_url(approved), {"evidence": pdf()}, follow=True)
    assert "not pending" in page.content.decode()
    for entry in (theirs, approved):
        entry.refresh_from_db()
        assert not entry.evidence
    with pytest.raises(InvalidInput):
        corrections.add_evidence(
            entry=EntryFactory(member=member_a),
            evidence=SimpleUploadedFile("e.pdf", b"", content_type="application/pdf"),
            by=member_a.user,
        )


# 3. The warning before certification


def test_certification_warning_is_a_pure_rule():
    certified = dt.date(2020, 3, 1)
    assert certification_warning(completed_on=dt.date(2020, 2, 29), certified_on=certified)
    assert certification_warning(completed_on=certified, certified_on=certified) is None
    assert certification_warning(completed_on=dt.date(2019, 1, 1), certified_on=None) is None


def test_preview_warns_when_completed_before_certification(member_client, member_a):
    member_a.certified_on = dt.date(2020, 3, 1)
    member_a.save(update_fields=["certified_on"])
    before = member_client.post(
        reverse("cpe:entry_preview"),
        {**FORM, "completed_on": "2019-06-01"},
        HTTP_X_REQUESTED_WITH="fetch",
    ).content.decode()
    assert "Completed before you became a CMA (certified on 1 March 2020)" in before
    assert "it will not count toward your CPE requirement" in before
    assert "it will not count toward your CPE requirement" in before
    after = member_client.post(
        reverse("cpe:entry_preview"), FORM, HTTP_X_REQUESTED_WITH="fetch"
    ).content.decode()
    assert "Completed before you became a CMA" not in after


# 6. Attendance import only for offerings that took place and carry hours


def test_attendance_refusal_rule():
    today = dt.date(2026, 6, 1)
    assert attendance_refusal(starts_on=today, cpe_hours=Decimal("2"), today=today) is None
    assert attendance_refusal(starts_on=None, cpe_hours=Decimal("2"), today=today) is None
    assert attendance_refusal(
        starts_on=today + dt.timedelta(days=1), cpe_hours=Decimal("2"), today=today
    )
    assert attendance_refusal(starts_on=today, cpe_hours=Decimal("0"), today=today)


def test_attendance_import_is_offered_only_where_it_can_be_done(staff_client):
    today = timezone.localdate()
    past = OfferingFactory(starts_on=today - dt.timedelta(days=3))
    future = OfferingFactory(starts_on=today + dt.timedelta(days=3))
    no_hours = OfferingFactory(starts_on=today - dt.timedelta(days=3), cpe_hours=Decimal("0"))
    text = staff_client.get(reverse("cpe:offerings")).content.decode()

    def url(offering):
        return reverse("cpe:attendance_import", kwargs={"offering_id": offering.pk})

    assert url(past) in text
    assert url(future) not in text and url(no_hours) not in text
    assert staff_client.get(url(past)).status_code == 200
    refused = staff_client.get(url(future))
    assert refused.status_code == 409
    assert "has not taken place yet" in refused.content.decode()
    assert 'type="file"' not in refused.content.decode()
    refused = staff_client.post(url(no_hours), {})
    assert refused.status_code == 409
    assert "carries no CPE hours" in refused.content.decode()


# The API: POST /api/v1/activities/{id}/resubmit/ (self only)


def resubmit_api(entry):
    return f"/api/v1/activities/{entry.pk}/resubmit/"


def test_api_resubmit_creates_a_new_pending_entry(api, member_a):
    rejected = rejected_entry(member_a, completed_on=dt.date(2026, 4, 20))
    response = api(member_a.user).post(resubmit_api(rejected), {"minutes": 100}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["review_status"] == "pending" and body["credit_hours"] == "2.0"
    assert body["title"] == "Budgeting masterclass"
    new = TranscriptEntry.objects.get(pk=body["id"])
    assert new.resubmission_of == rejected
    rejected.refresh_from_db()
    assert rejected.review_status == ReviewStatus.REJECTED


def test_api_resubmit_is_for_the_owner_and_rejected_entries_only(api, member_a, member_b, staff):
    rejected = rejected_entry(member_a)
    assert api().post(resubmit_api(rejected), {}, format="json").status_code == 401
    assert api(member_b.user).post(resubmit_api(rejected), {}, format="json").status_code == 404
    assert api(staff).post(resubmit_api(rejected), {}, format="json").status_code == 404
    pending = EntryFactory(member=member_a)
    assert api(member_a.user).post(resubmit_api(pending), {}, format="json").status_code == 409
    bad = api(member_a.user).post(resubmit_api(rejected), {"minutes": "many"}, format="json")
    assert bad.status_code == 400
    assert TranscriptEntry.objects.count() == 2


def test_preview_without_javascript_keeps_the_resubmit_form(member_client, member_a, member_b):
    rejected = rejected_entry(member_a)
    page = member_client.post(
        reverse("cpe:entry_preview"), {**FORM, "rejected_id": str(rejected.pk)}
    ).content.decode()
    assert f'action="{resubmit_url(rejected)}"' in page
    assert "Resubmit for review" in page
    theirs = rejected_entry(member_b)
    page = member_client.post(
        reverse("cpe:entry_preview"), {**FORM, "rejected_id": str(theirs.pk)}
    ).content.decode()
    assert resubmit_url(theirs) not in page and "Submit for review" in page
