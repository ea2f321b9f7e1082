"""Staff pages over HTTP: the review queue with bulk approval, the review of one entry and
the attendance import; who may reach them, and a fixed number of queries for the queue."""

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpe.models import Enrollment, EntryEvent, Offering, TranscriptEntry
from cpe.views.staff import ATTENDANCE_MAX_BYTES
from tests.factories import EnrollmentFactory, EntryFactory, MemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("cpe:review_queue")


# The CPE factories name their models as strings, so mypy cannot see what they return.
def new_entry(**kwargs: Any) -> TranscriptEntry:
    return cast(TranscriptEntry, EntryFactory(**kwargs))


def new_offering(**kwargs: Any) -> Offering:
    return cast(Offering, OfferingFactory(**kwargs))


def new_enrollment(**kwargs: Any) -> Enrollment:
    return cast(Enrollment, EnrollmentFactory(**kwargs))


def review_url(entry):
    return reverse("cpe:review_entry", kwargs={"entry_id": entry.pk})


def attendance_url(offering):
    return reverse("cpe:attendance_import", kwargs={"offering_id": offering.pk})


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)


def listed(response):
    assert response.status_code == 200
    return [entry.pk for entry in response.context["entries"]]


def text(response):
    return response.content.decode()


def status_of(entry):
    entry.refresh_from_db()
    return entry.review_status


# -- Access ---------------------------------------------------------------------------------


@pytest.fixture
def pages(member_a):
    entry = new_entry(member=member_a)
    offering = new_offering()
    return [QUEUE, review_url(entry), attendance_url(offering)]


def test_anonymous_visitors_are_sent_to_sign_in(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"]


def test_members_get_403_on_every_staff_page(member_client, pages):
    for url in pages:
        assert member_client.get(url).status_code == 403
        assert member_client.post(url, {"action": "approve", "entry_ids": ["1"]}).status_code == 403


def test_a_member_cannot_approve_their_own_entry(member_client, member_a):
    entry = new_entry(member=member_a)
    assert member_client.post(review_url(entry), {"action": "approve"}).status_code == 403
    assert status_of(entry) == "pending"


def test_unknown_entry_or_offering_is_404(staff_client):
    assert (
        staff_client.get(reverse("cpe:review_entry", kwargs={"entry_id": 999999})).status_code
        == 404
    )
    assert (
        staff_client.get(
            reverse("cpe:attendance_import", kwargs={"offering_id": 999999})
        ).status_code
        == 404
    )


# -- Review queue ---------------------------------------------------------------------------


def test_queue_lists_pending_entries_oldest_first(staff_client, member_a):
    newer = new_entry(member=member_a, title="Newer seminar", created_at=days_ago(1))
    older = new_entry(member=member_a, title="Older seminar", created_at=days_ago(9))
    new_entry(member=member_a, title="Approved seminar", review_status="approved")
    new_entry(member=member_a, title="Rejected seminar", review_status="rejected")

    response = staff_client.get(QUEUE)

    assert listed(response) == [older.pk, newer.pk]
    page = text(response)
    assert page.index("Older seminar") < page.index("Newer seminar")
    assert "Approved seminar" not in page
    assert "Rejected seminar" not in page
    assert member_a.member_number in page
    assert "400 minutes = 8.0 50-minute hours (rounded down to the nearest 0.5)." in page
    assert review_url(older) in page
    assert f'name="entry_ids" value="{older.pk}"' in page


def test_empty_queue_says_so(staff_client):
    response = staff_client.get(QUEUE)
    assert "No entries are waiting for review." in text(response)


def test_queue_filters_by_type(staff_client):
    seminar = new_entry(activity_type="short_course")
    talk = new_entry(activity_type="presentation")

    assert listed(staff_client.get(QUEUE, {"activity_type": "presentation"})) == [talk.pk]
    assert listed(staff_client.get(QUEUE, {"activity_type": "short_course"})) == [seminar.pk]


def test_queue_filters_by_age(staff_client):
    old = new_entry(created_at=days_ago(10))
    new_entry(created_at=days_ago(2))

    assert listed(staff_client.get(QUEUE, {"older_than_days": "7"})) == [old.pk]


def test_queue_filters_by_member_number_email_or_last_name(staff_client):
    carol = MemberFactory(user__email="carol@example.org", user__last_name="Lindqvist")
    dave = MemberFactory(user__email="dave@example.org", user__last_name="Okafor")
    carols = new_entry(member=carol)
    new_entry(member=dave)

    for query in (carol.member_number, "Carol@Example.org", "lindq"):
        assert listed(staff_client.get(QUEUE, {"member": query})) == [carols.pk], query


def test_invalid_filter_shows_an_error_and_is_ignored(staff_client):
    entry = new_entry()
    response = staff_client.get(QUEUE, {"older_than_days": "soon"})
    assert listed(response) == [entry.pk]
    assert "Enter a whole number." in text(response)


def test_bulk_approve_approves_pending_and_reports_skipped(staff_client, staff, member_a):
    first = new_entry(member=member_a)
    second = new_entry(member=member_a)
    decided = new_entry(member=member_a, review_status="rejected")

    response = staff_client.post(
        f"{QUEUE}?activity_type=short_course",
        {"entry_ids": [first.pk, second.pk, decided.pk]},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?activity_type=short_course"
    page = text(staff_client.get(response["Location"]))
    assert "2 entries approved." in page
    assert f"1 entry skipped because it is no longer pending: #{decided.pk}." in page
    assert status_of(first) == status_of(second) == "approved"
    assert status_of(decided) == "rejected"
    first.refresh_from_db()
    assert first.reviewed_by == staff
    assert EntryEvent.objects.filter(entry=first, action="approved", by=staff).exists()


def test_bulk_approve_with_nothing_ticked_says_so(staff_client):
    entry = new_entry()
    response = staff_client.post(QUEUE, {}, follow=True)
    assert "Select at least one entry to approve." in text(response)
    assert status_of(entry) == "pending"


def test_queue_runs_the_same_number_of_queries_for_5_and_50_entries(staff_client):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(QUEUE)
        assert response.status_code == 200
        return len(queries), len(response.context["entries"])

    EntryFactory.create_batch(5)  # each entry of its own member
    staff_client.get(QUEUE)  # warm up the session
    small, shown_small = measure()
    EntryFactory.create_batch(45)
    large, shown_large = measure()

    assert (shown_small, shown_large) == (5, 50)
    assert small == large


# -- Review of one entry --------------------------------------------------------------------


def test_review_page_shows_inputs_credit_and_history(staff_client, member_a):
    entry = new_entry(member=member_a, title="Budgeting seminar", minutes=400)
    EntryEvent.objects.create(entry=entry, action="submitted", by=member_a.user)

    page = text(staff_client.get(review_url(entry)))

    assert "Budgeting seminar" in page
    assert "Minutes of instruction" in page
    assert "400" in page
    assert "8.0" in page
    assert "400 minutes = 8.0 50-minute hours (rounded down to the nearest 0.5)." in page
    history = page[page.index('data-testid="history-row"') :]
    assert "Submitted" in history
    assert member_a.user.get_full_name() in history
    assert 'value="approve"' in page
    assert 'value="reject"' in page


def test_approve_sets_approved_records_who_and_emails_the_member(
    staff_client, staff, member_a, django_capture_on_commit_callbacks
):
    entry = new_entry(member=member_a, title="Budgeting seminar")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(review_url(entry), {"action": "approve", "reason": ""})

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    entry.refresh_from_db()
    assert entry.review_status == "approved"
    assert entry.reviewed_by == staff
    assert entry.reviewed_at is not None
    event = EntryEvent.objects.get(entry=entry, action="approved")
    assert event.by == staff
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "approved" in mail.outbox[0].subject
    assert EntryEvent.objects.filter(entry=entry).count() == 1


def test_approve_shows_a_success_message_on_the_queue(staff_client, member_a):
    entry = new_entry(member=member_a, title="Budgeting seminar")
    response = staff_client.post(review_url(entry), {"action": "approve"}, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "Approved “Budgeting seminar”" in text(response)


def test_reject_without_reason_shows_the_error_and_changes_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    entry = new_entry()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(review_url(entry), {"action": "reject", "reason": "  "})

    assert response.status_code == 200
    page = text(response)
    assert "Give the member the reason for the rejection." in page
    assert 'aria-invalid="true"' in page
    assert status_of(entry) == "pending"
    assert not EntryEvent.objects.filter(entry=entry).exists()
    assert mail.outbox == []


def test_reject_with_reason_rejects_and_emails_the_reason(
    staff_client, staff, member_a, django_capture_on_commit_callbacks
):
    entry = new_entry(member=member_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            review_url(entry), {"action": "reject", "reason": "No certificate of completion."}
        )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.review_status == "rejected"
    assert entry.review_reason == "No certificate of completion."
    assert entry.reviewed_by == staff
    assert EntryEvent.objects.get(entry=entry, action="rejected").reason == (
        "No certificate of completion."
    )
    assert len(mail.outbox) == 1
    assert "No certificate of completion." in mail.outbox[0].body


def test_deciding_an_already_decided_entry_says_so_and_changes_nothing(staff_client, staff):
    entry = new_entry(review_status="rejected", review_reason="Duplicate.")

    response = staff_client.post(review_url(entry), {"action": "approve"}, follow=True)

    assert response.redirect_chain[-1][0] == QUEUE
    assert "This entry is rejected, not pending." in text(response)
    entry.refresh_from_db()
    assert entry.review_status == "rejected"
    assert entry.review_reason == "Duplicate."
    assert not EntryEvent.objects.filter(entry=entry).exists()
    page = text(staff_client.get(review_url(entry)))
    assert "no longer pending" in page
    assert 'value="approve"' not in page


def test_unknown_action_changes_nothing(staff_client):
    entry = new_entry()
    response = staff_client.post(review_url(entry), {"action": "delete"})
    assert response.status_code == 200
    assert "Choose whether to approve or reject the entry." in text(response)
    assert status_of(entry) == "pending"


def test_review_page_shows_pdf_evidence_inline(staff_client):
    entry = new_entry(evidence_content_type="application/pdf", evidence_name="certificate.pdf")
    entry.evidence.save("entry-1.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    evidence_url = reverse("cpe:entry_evidence", kwargs={"entry_id": entry.pk})

    page = text(staff_client.get(review_url(entry)))

    assert f'<iframe class="evidence" src="{evidence_url}"' in page
    evidence = staff_client.get(evidence_url)
    assert evidence.status_code == 200
    assert b"".join(evidence.streaming_content) == b"%PDF-1.4 test"


def test_review_page_shows_image_evidence_inline(staff_client):
    entry = new_entry(evidence_content_type="image/png", evidence_name="certificate.png")
    entry.evidence.save("entry-1.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    evidence_url = reverse("cpe:entry_evidence", kwargs={"entry_id": entry.pk})

    page = text(staff_client.get(review_url(entry)))

    assert f'<img class="evidence" src="{evidence_url}"' in page
    assert "<iframe" not in page


def test_review_page_without_evidence_says_so(staff_client):
    page = text(staff_client.get(review_url(new_entry())))
    assert "The member attached no evidence." in page


def test_pdf_evidence_may_be_framed_by_the_review_page(staff_client):
    entry = new_entry(evidence_content_type="application/pdf")
    entry.evidence.save("entry-1.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    response = staff_client.get(reverse("cpe:entry_evidence", kwargs={"entry_id": entry.pk}))
    assert response.get("X-Frame-Options", "SAMEORIGIN") == "SAMEORIGIN"
    assert "sandbox" not in response.get("Content-Security-Policy", "")


# -- Attendance import ----------------------------------------------------------------------


@pytest.fixture
def offering():
    return new_offering(
        title="Ethics in Practice (live)",
        starts_on=timezone.localdate() - dt.timedelta(days=20),
        cpe_hours=Decimal("2.5"),
    )


def csv_file(content, name="attendance.csv"):
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def upload(client, offering, content, **kwargs):
    return client.post(attendance_url(offering), {"file": csv_file(content)}, **kwargs)


def test_import_page_explains_the_file(staff_client, offering):
    page = text(staff_client.get(attendance_url(offering)))
    assert "Ethics in Practice (live)" in page
    assert "member number or the email address" in page
    assert 'type="file"' in page
    assert 'enctype="multipart/form-data"' in page


def test_good_file_posts_approved_ima_entries_and_marks_attendance(
    staff_client, staff, offering, member_a, member_b
):
    enrollments = [
        new_enrollment(member=member_a, offering=offering),
        new_enrollment(member=member_b, offering=offering),
    ]

    response = upload(
        staff_client,
        offering,
        f"member_number\n{member_a.member_number}\nBob@Example.org\n",
        follow=True,
    )

    assert response.redirect_chain[-1][0] == attendance_url(offering)
    assert (
        "New transcript entries: 2; already on record: 0; walk-ins enrolled at no charge: 0."
        in text(response)
    )
    entries = TranscriptEntry.objects.filter(offering=offering).order_by("member_id")
    assert {e.member_id for e in entries} == {member_a.pk, member_b.pk}
    for entry in entries:
        assert entry.source == "ima"
        assert entry.review_status == "approved"
        assert entry.credit_hours == Decimal("2.5")
        assert entry.completed_on == offering.starts_on
        assert entry.reviewed_by == staff
    for enrollment in enrollments:
        enrollment.refresh_from_db()
        assert enrollment.attended
        assert not enrollment.walk_in


def test_a_bad_row_is_reported_by_line_and_nothing_is_posted(
    staff_client, offering, member_a, member_b
):
    enrollment = new_enrollment(member=member_a, offering=offering)

    response = upload(
        staff_client,
        offering,
        f"member_number\n{member_a.member_number}\n99999999\n{member_b.member_number}\n",
    )

    assert response.status_code == 200
    page = text(response)
    assert "Line 3" in page
    assert "99999999" in page
    assert not TranscriptEntry.objects.filter(offering=offering).exists()
    enrollment.refresh_from_db()
    assert not enrollment.attended
    assert Enrollment.objects.filter(offering=offering).count() == 1


def test_the_same_file_twice_posts_nothing_new(staff_client, offering, member_a, member_b):
    new_enrollment(member=member_a, offering=offering)
    content = f"{member_a.member_number}\n{member_b.user.email}\n"
    upload(staff_client, offering, content)

    response = upload(staff_client, offering, content, follow=True)

    assert (
        "New transcript entries: 0; already on record: 2; walk-ins enrolled at no charge: 0."
        in text(response)
    )
    assert TranscriptEntry.objects.filter(offering=offering).count() == 2
    assert Enrollment.objects.filter(offering=offering).count() == 2


def test_a_walk_in_is_enrolled_at_no_charge(staff_client, offering, member_b):
    response = upload(staff_client, offering, f"{member_b.member_number}\n", follow=True)

    assert (
        "New transcript entries: 1; already on record: 0; walk-ins enrolled at no charge: 1."
        in text(response)
    )
    enrollment = Enrollment.objects.get(offering=offering, member=member_b)
    assert enrollment.price == Decimal("0.00")
    assert enrollment.walk_in
    assert enrollment.attended
    assert TranscriptEntry.objects.get(enrollment=enrollment).credit_hours == Decimal("2.5")


def test_a_file_starting_with_a_byte_order_mark_is_read(staff_client, offering, member_a):
    content = f"\ufeffmember_number\n{member_a.member_number}\n".encode()
    upload(staff_client, offering, content)
    assert TranscriptEntry.objects.filter(offering=offering, member=member_a).exists()


def test_a_file_that_is_not_utf8_is_refused(staff_client, offering, member_a):
    response = upload(staff_client, offering, "Müller@example.org\n".encode("latin-1"))
    assert response.status_code == 200
    assert "The file is not UTF-8 text." in text(response)
    assert not TranscriptEntry.objects.filter(offering=offering).exists()


def test_a_file_over_2_mb_is_refused(staff_client, offering, member_a):
    content = (f"{member_a.member_number}\n" * (ATTENDANCE_MAX_BYTES // 9 + 1)).encode()
    assert len(content) > ATTENDANCE_MAX_BYTES
    response = upload(staff_client, offering, content)
    assert response.status_code == 200
    assert "the limit is 2 MB" in text(response)
    assert not TranscriptEntry.objects.filter(offering=offering).exists()


def test_a_file_without_members_is_refused(staff_client, offering):
    response = upload(staff_client, offering, "member_number\n\n")
    assert "The file lists no members." in text(response)


def test_an_event_in_the_future_is_refused(staff_client, member_a):
    future = new_offering(starts_on=timezone.localdate() + dt.timedelta(days=5))
    response = upload(staff_client, future, f"{member_a.member_number}\n")
    assert response.status_code == 409  # refused before the file is read (issue 16)
    assert "Attendance can be recorded from the start date" in text(response)
    assert not Enrollment.objects.filter(offering=future).exists()
