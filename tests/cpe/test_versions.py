"""Decisions on the version seen (issue 14): every transcript entry has a version that grows
with every change; approve and reject may name the version the reviewer saw and are refused
(409, nothing decided) when the member changed the entry since. One lock order (member
first, then the entry) keeps a member's edit and a staff approval of the same entry from
deadlocking: real threads on PostgreSQL, through the API."""

import datetime as dt
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from certification.models import StatusChange
from certification.services import requests as request_services
from cpe.models import EntryEvent, TranscriptEntry
from cpe.services import entries, offerings
from members.models import Member
from refunds import services as refund_services
from tests.factories import (
    EnrollmentFactory,
    EntryFactory,
    OfferingFactory,
    StaffFactory,
)
from tests.payloads import FORM, PDF, SEMINAR

# The member's change while the reviewer reads: a one-day seminar becomes 100 hours.
RAISE = {"minutes": 5000, "full_day_days": None}


def submit(api, member, **changes):
    response = api(member.user).post(
        f"/api/v1/members/{member.pk}/activities/", {**SEMINAR, **changes}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def entry_url(entry_id):
    return f"/api/v1/activities/{entry_id}/"


def stored(entry_id):
    return TranscriptEntry.objects.get(pk=entry_id)


# -- The version grows with every change ----------------------------------------------------


@pytest.mark.django_db
def test_a_new_entry_is_version_1_in_every_answer(api, member_a):
    created = submit(api, member_a)
    assert created["version"] == 1
    assert api(member_a.user).get(entry_url(created["id"])).json()["version"] == 1
    listed = api(member_a.user).get(f"/api/v1/members/{member_a.pk}/activities/").json()
    assert [row["version"] for row in listed["results"]] == [1]


@pytest.mark.django_db
def test_a_new_entry_with_evidence_is_still_version_1(api, member_a):
    upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
    response = api(member_a.user).post(
        f"/api/v1/members/{member_a.pk}/activities/",
        {**SEMINAR, "evidence": upload},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 1
    assert stored(response.json()["id"]).version == 1


@pytest.mark.django_db
def test_each_member_edit_adds_one_and_the_answer_shows_it(api, member_a):
    created = submit(api, member_a)
    url = entry_url(created["id"])
    first = api(member_a.user).patch(url, {"minutes": 100, "full_day_days": None}, format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["version"] == 2
    second = api(member_a.user).patch(url, {"title": "IFRS 18 seminar"}, format="json")
    assert second.json()["version"] == 3
    assert api(member_a.user).get(url).json()["version"] == 3


@pytest.mark.django_db
def test_adding_and_replacing_evidence_adds_one_each_time(api, member_a):
    created = submit(api, member_a)
    url = entry_url(created["id"])
    for expected in (2, 3):
        upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
        response = api(member_a.user).patch(url, {"evidence": upload}, format="multipart")
        assert response.status_code == 200, response.json()
        assert response.json()["version"] == expected
        assert response.json()["evidence_url"]


@pytest.mark.django_db
def test_the_members_edit_page_adds_one_per_save_evidence_included(member_client, member_a):
    form = dict(FORM)
    member_client.post(reverse("cpe:entry_add"), form)
    entry = TranscriptEntry.objects.get(member=member_a)
    assert entry.version == 1
    edit_url = reverse("cpe:entry_edit", kwargs={"entry_id": entry.pk})
    response = member_client.post(edit_url, {**form, "minutes": "100", "full_day_days": ""})
    assert response.status_code == 302
    assert stored(entry.pk).version == 2
    upload = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
    member_client.post(edit_url, {**form, "evidence": upload})
    entry = stored(entry.pk)
    assert (entry.version, entry.evidence_content_type) == (3, "application/pdf")


@pytest.mark.django_db
def test_withdraw_approve_and_reject_each_add_one(api, member_a, staff):
    withdrawn = submit(api, member_a)
    response = api(member_a.user).post(entry_url(withdrawn["id"]) + "withdraw/")
    assert response.json()["version"] == 2

    approved = submit(api, member_a, title="Approved seminar")
    response = api(staff).post(entry_url(approved["id"]) + "approve/", {}, format="json")
    assert (response.status_code, response.json()["version"]) == (200, 2)

    rejected = submit(api, member_a, title="Rejected seminar")
    response = api(staff).post(
        entry_url(rejected["id"]) + "reject/", {"reason": "No certificate."}, format="json"
    )
    assert (response.status_code, response.json()["version"]) == (200, 2)


@pytest.mark.django_db
def test_an_edit_of_a_decided_entry_stays_409_and_changes_nothing(api, member_a, staff):
    created = submit(api, member_a)
    url = entry_url(created["id"])
    api(staff).post(url + "approve/", {"version": 1}, format="json")
    response = api(member_a.user).patch(url, RAISE, format="json")
    assert response.status_code == 409
    entry = stored(created["id"])
    assert (entry.version, entry.credit_hours) == (2, Decimal("8.0"))


# -- approve/ and reject/ with the version the reviewer saw --------------------------------


@pytest.mark.django_db
def test_the_member_raises_the_hours_while_the_reviewer_reads_and_nothing_is_approved(
    api, member_a, staff, django_capture_on_commit_callbacks, mailoutbox
):
    created = submit(api, member_a)
    url = entry_url(created["id"])
    seen = api(staff).get(url).json()
    assert (seen["version"], seen["credit_hours"]) == (1, "8.0")
    raised = api(member_a.user).patch(url, RAISE, format="json")
    assert raised.status_code == 200, raised.json()
    assert Decimal(raised.json()["credit_hours"]) > Decimal("8.0")
    Member.objects.filter(pk=member_a.pk).update(status_valid_until=dt.date(2027, 1, 1))
    changes_before = StatusChange.objects.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api(staff).post(url + "approve/", {"version": seen["version"]}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This entry was changed by the member after you opened it (version 1, now 2). "
        "Review it again."
    )
    entry = stored(created["id"])
    assert entry.review_status == "pending"
    assert entry.version == 2
    assert entry.reviewed_by is None
    assert not EntryEvent.objects.filter(entry=entry, action="approved").exists()
    assert callbacks == [] and mailoutbox == []
    member_a.refresh_from_db()
    assert member_a.status_valid_until == dt.date(2027, 1, 1)  # no status recompute
    assert StatusChange.objects.count() == changes_before

    again = api(staff).post(url + "approve/", {"version": 2}, format="json")
    assert again.status_code == 200
    assert (again.json()["review_status"], again.json()["version"]) == ("approved", 3)
    assert again.json()["credit_hours"] == raised.json()["credit_hours"]


@pytest.mark.django_db
def test_a_stale_rejection_is_refused_too(api, member_a, staff):
    created = submit(api, member_a)
    url = entry_url(created["id"])
    api(member_a.user).patch(url, RAISE, format="json")
    response = api(staff).post(
        url + "reject/", {"reason": "No certificate.", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert "changed by the member" in response.json()["detail"]
    assert stored(created["id"]).review_status == "pending"


@pytest.mark.django_db
def test_a_staff_edit_is_named_in_the_conflict(api, member_a, staff):
    created = submit(api, member_a)
    url = entry_url(created["id"])
    other = StaffFactory(email="omar.other@ima.example")
    assert api(other).patch(url, {"title": "Corrected title"}, format="json").status_code == 200
    response = api(staff).post(url + "approve/", {"version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "This entry was changed by omar.other@ima.example after you opened it (version 1, now 2)."
    )


@pytest.mark.django_db
def test_without_a_version_the_decision_applies_to_the_current_entry(api, member_a, staff):
    created = submit(api, member_a)
    url = entry_url(created["id"])
    api(member_a.user).patch(url, RAISE, format="json")
    response = api(staff).post(url + "approve/", {}, format="json")
    assert (response.status_code, response.json()["version"]) == (200, 3)


@pytest.mark.django_db
def test_a_decided_entry_stays_409_not_pending_whatever_the_version(api, member_a, staff):
    created = submit(api, member_a)
    url = entry_url(created["id"])
    assert api(staff).post(url + "approve/", {"version": 1}, format="json").status_code == 200
    for version in (1, 2):
        response = api(staff).post(url + "reject/", {"reason": "x", "version": version})
        assert response.status_code == 409
        assert response.json()["detail"] == "This entry is approved, not pending."
    assert stored(created["id"]).version == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "version", ["abc", 0, -1, 1.5, "1e3", True, 10**20, [1], {"v": 1}, "", None]
)
def test_a_version_that_is_not_a_positive_whole_number_is_400(api, member_a, staff, version):
    entry = EntryFactory(member=member_a)
    response = api(staff).post(
        entry_url(entry.pk) + "approve/", {"version": version}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert "version" in response.json()
    entry.refresh_from_db()
    assert (entry.review_status, entry.version) == ("pending", 1)


@pytest.mark.django_db
def test_the_schema_documents_version_on_decisions_and_entries(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    request = schema["paths"]["/api/v1/activities/{entry_id}/approve/"]["post"]["requestBody"]
    ref = request["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    version = schema["components"]["schemas"][ref]["properties"]["version"]
    assert (version["type"], version["minimum"]) == ("integer", 1)
    assert "version" not in schema["components"]["schemas"][ref].get("required", [])
    activity = schema["components"]["schemas"]["Activity"]
    assert activity["properties"]["version"]["type"] == "integer"


# -- The staff pages and the admin send the version they showed -----------------------------


def page_text(response):
    return response.content.decode()


@pytest.mark.django_db
def test_the_review_page_refuses_a_decision_on_an_entry_changed_since_it_opened(
    staff_client, api, member_a, mailoutbox
):
    created = submit(api, member_a)
    url = reverse("cpe:review_entry", kwargs={"entry_id": created["id"]})
    opened = page_text(staff_client.get(url))
    assert '<input type="hidden" name="version" value="1">' in opened
    assert "8.0 CPE hours" in opened

    raised = api(member_a.user).patch(entry_url(created["id"]), RAISE, format="json").json()
    response = staff_client.post(url, {"action": "approve", "reason": "", "version": "1"})

    assert response.status_code == 200  # the page again, not a redirect to the queue
    page = page_text(response)
    assert (
        "This entry was changed by the member after you opened it (version 1, now 2). "
        "Review it again."
    ) in page
    assert f"{raised['credit_hours']} CPE hours" in page  # the entry as it is now
    assert '<input type="hidden" name="version" value="2">' in page
    assert stored(created["id"]).review_status == "pending"
    assert mailoutbox == []

    done = staff_client.post(url, {"action": "approve", "reason": "", "version": "2"})
    assert done.status_code == 302
    assert stored(created["id"]).review_status == "approved"


@pytest.mark.django_db
def test_the_review_page_with_a_broken_version_decides_nothing(staff_client, member_a):
    entry = EntryFactory(member=member_a)
    url = reverse("cpe:review_entry", kwargs={"entry_id": entry.pk})
    response = staff_client.post(url, {"action": "approve", "version": "one"})
    assert response.status_code == 200
    assert "reload the entry" in page_text(response)
    assert stored(entry.pk).review_status == "pending"


@pytest.mark.django_db
def test_bulk_approve_skips_a_row_changed_since_the_queue_was_shown(staff_client, api, member_a):
    first = submit(api, member_a, title="First seminar")
    second = submit(api, member_a, title="Second seminar")
    changed = submit(api, member_a, title="Changed seminar")
    queue = reverse("cpe:review_queue")
    listed = page_text(staff_client.get(queue))
    for row in (first, second, changed):
        assert f'name="version_{row["id"]}" value="1"' in listed

    api(member_a.user).patch(entry_url(changed["id"]), RAISE, format="json")
    response = staff_client.post(
        queue,
        {
            "entry_ids": [first["id"], second["id"], changed["id"]],
            **{f"version_{row['id']}": "1" for row in (first, second, changed)},
        },
        follow=True,
    )

    page = page_text(response)
    assert "2 entries approved." in page
    assert (
        "1 entry was changed by the member after the queue was shown and was not approved: "
        "“Changed seminar”. Review it again."
    ) in page
    assert stored(first["id"]).review_status == stored(second["id"]).review_status == "approved"
    assert stored(changed["id"]).review_status == "pending"


@pytest.mark.django_db
def test_admin_approve_action_uses_the_listed_versions_and_the_change_form_cannot_save(client):
    root = StaffFactory(email="root@ima.example", is_superuser=True)
    client.force_login(root)
    fresh = EntryFactory(title="Fresh seminar")
    changed = EntryFactory(title="Changed seminar")
    changelist = reverse("admin:cpe_transcriptentry_changelist")
    listed = page_text(client.get(changelist))
    assert f'name="entry_version_{changed.pk}" value="1"' in listed

    TranscriptEntry.objects.filter(pk=changed.pk).update(version=2, minutes=5000)
    response = client.post(
        changelist,
        {
            "action": "approve_selected",
            "_selected_action": [fresh.pk, changed.pk],
            f"entry_version_{fresh.pk}": "1",
            f"entry_version_{changed.pk}": "1",
        },
        follow=True,
    )
    page = page_text(response)
    assert "1 approved, 0 skipped (not pending)." in page
    assert "1 changed by the member after the list was shown and not approved" in page
    assert stored(fresh.pk).review_status == "approved"
    assert stored(changed.pk).review_status == "pending"

    change = reverse("admin:cpe_transcriptentry_change", args=[changed.pk])
    assert client.get(change).status_code == 200  # still viewable
    assert client.post(change, {"title": "Renamed"}).status_code == 403
    assert stored(changed.pk).title == "Changed seminar"


# -- One lock order -----------------------------------------------------------------------


def first_locked_table(run) -> str:
    """The table of the first ``SELECT ... FOR UPDATE`` that ``run()`` sends."""
    with CaptureQueriesContext(connection) as queries:
        run()
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locks, "no row was locked"
    return locks[0].split(" FROM ", 1)[1].split()[0].strip('"')


@pytest.mark.django_db
def test_every_multi_row_write_locks_the_member_first(member_a, member_b, staff):
    def entry():
        return EntryFactory(member=member_a)

    offering = OfferingFactory(starts_on=dt.date(2026, 3, 10), cpe_hours=Decimal("3.0"))
    enrollment = EnrollmentFactory(member=member_a, price=Decimal("100.00"))
    exemption = request_services.request_exemption(
        member=member_a, reason="illness", years=[2026], explanation="Surgery.", by=member_a.user
    )
    runs = {
        "approve": lambda: entries.approve_entry(entry=entry(), by=staff),
        "reject": lambda: entries.reject_entry(entry=entry(), by=staff, reason="No proof."),
        "withdraw": lambda: entries.withdraw_entry(entry=entry(), by=member_a.user),
        "enroll": lambda: offerings.enroll(
            offering=OfferingFactory(), member=member_a, by=member_a.user
        ),
        "attendance": lambda: offerings.record_attendance(
            offering=offering, members=[member_b, member_a], by=staff
        ),
        "refund request": lambda: refund_services.request_refund(
            enrollment=enrollment, by=member_a.user, reason="Cannot attend."
        ),
        "exemption decision": lambda: request_services.approve_exemption(
            exemption=exemption, by=staff
        ),
    }
    first = {name: first_locked_table(run) for name, run in runs.items()}
    assert first == dict.fromkeys(runs, "members_member")


def _run_at_once(works) -> list[str]:
    """Run each ``work()`` in its own thread (its own connection), released together."""
    barrier = threading.Barrier(len(works))
    results: list[str] = [""] * len(works)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = works[i]()
        except Exception as exc:  # a deadlock reaches here as OperationalError
            results[i] = type(exc).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def _client(user) -> APIClient:
    # A server error comes back as the 500 answer a user would get (the test client's
    # exception signal is global, so raising would blame every thread for one error).
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_twenty_edits_and_approvals_of_one_entry_at_once_never_answer_500(member_a, staff):
    created = submit(lambda user: _client(user), member_a)
    url = entry_url(created["id"])
    seen = _client(staff).get(url).json()["version"]
    assert seen == 1

    def edit(minutes: int):
        def work() -> str:
            body = {"minutes": minutes, "full_day_days": None}
            response = _client(member_a.user).patch(url, body, format="json")
            return f"edit {response.status_code}"

        return work

    def approve(with_version: bool):
        def work() -> str:
            body = {"version": seen} if with_version else {}
            response = _client(staff).post(url + "approve/", body, format="json")
            return f"approve {response.status_code}"

        return work

    works = []
    for i in range(10):
        works.append(edit(1000 + 100 * i))
        works.append(approve(with_version=i % 2 == 0))
    results = _run_at_once(works)

    counts = Counter(results)
    assert set(counts) <= {"edit 200", "edit 409", "edit 400", "approve 200", "approve 409"}, counts
    assert counts["approve 200"] == 1, counts  # exactly one approval, no 500, no deadlock
    entry = stored(created["id"])
    assert entry.review_status == "approved"
    edits = counts["edit 200"]
    assert entry.version == 1 + edits + 1
    assert EntryEvent.objects.filter(entry=entry, action="edited").count() == edits
    approval = EntryEvent.objects.get(entry=entry, action="approved")
    assert approval.credit_hours == entry.credit_hours
    if "approve 200" in results[1::4]:  # the approval named version 1: before every edit
        assert edits == 0 and entry.credit_hours == Decimal("8.0")


@pytest.mark.django_db(transaction=True)
def test_an_approval_with_its_version_and_an_edit_race_one_wins_cleanly(member_a, staff):
    for round_no in range(6):
        created = submit(lambda user: _client(user), member_a, title=f"Seminar {round_no}")
        url = entry_url(created["id"])

        def edit(url: str = url) -> str:
            response = _client(member_a.user).patch(url, RAISE, format="json")
            return f"edit {response.status_code}"

        def approve(url: str = url) -> str:
            response = _client(staff).post(url + "approve/", {"version": 1}, format="json")
            return f"approve {response.status_code}"

        results = _run_at_once([edit, approve])
        entry = stored(created["id"])
        if results == ["edit 409", "approve 200"]:  # approved first; the edit came too late
            assert (entry.review_status, entry.version) == ("approved", 2)
            assert entry.credit_hours == Decimal("8.0")
        else:
            assert results == ["edit 200", "approve 409"], results
            assert (entry.review_status, entry.version) == ("pending", 2)
            assert entry.credit_hours > Decimal("8.0")
