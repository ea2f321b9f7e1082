"""Status over HTTP: the SPEC 3 worked examples through the API, roles, history, the
member dashboard and the staff overview."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from certification.models import StatusChange
from cpe.services import offerings
from tests.factories import EntryFactory, MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def member_with(certified_on, hours_by_date, paid_through=dt.date(2030, 12, 31)):
    member = MemberFactory(certified_on=certified_on, dues_paid_through=paid_through)
    for day, hours in hours_by_date:
        EntryFactory(
            member=member, completed_on=day, credit_hours=Decimal(hours), review_status="approved"
        )
    return member


def status(api, user, member, as_of=None):
    params = {"as_of": as_of} if as_of else {}
    response = api(user).get(f"/api/v1/members/{member.pk}/status/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_example_grace_credit_counts_toward_the_first_year(api, staff):
    m = member_with(
        dt.date(2024, 6, 10), [(dt.date(2024, 8, 1), "12"), (dt.date(2025, 4, 1), "20")]
    )
    body = status(api, staff, m, "2026-01-01")
    assert body["status"] == "active"
    assert body["years"][0] == {
        "year": 2025,
        "required": "30.0",
        "earned": "32.0",
        "carried_in": "0.0",
        "carried_out": "2.0",
        "shortfall": "0.0",
        "exempt": False,
        "ethics_required": "0.0",
        "ethics_earned": "0.0",
    }
    assert body["years"][1]["carried_in"] == "2.0"
    assert body["years"][1]["shortfall"] is None
    assert body["deadline"] == "2026-12-31"
    assert isinstance(body["reasons"], list) and body["reasons"]


def test_example_carry_forward_of_eight(api, staff):
    m = member_with(dt.date(2023, 3, 1), [(dt.date(2024, 5, 1), "38"), (dt.date(2025, 5, 1), "22")])
    body = status(api, staff, m, "2026-01-01")
    assert [y["carried_out"] for y in body["years"][:2]] == ["8.0", "0.0"]
    assert body["status"] == "active"


def test_example_makeup_then_active_from_the_completing_entry(api, staff):
    m = member_with(
        dt.date(2023, 3, 1),
        [(dt.date(2024, 5, 1), "25"), (dt.date(2025, 3, 1), "30"), (dt.date(2025, 6, 2), "5")],
    )
    body = status(api, staff, m, "2025-01-01")
    assert (body["status"], body["hours_needed"], body["deadline"]) == (
        "inactive_makeup",
        "35.0",
        "2025-12-31",
    )
    assert status(api, staff, m, "2025-06-01")["status"] == "inactive_makeup"
    assert status(api, staff, m, "2025-06-02")["status"] == "active"


def test_example_lapsed(api, staff):
    m = member_with(dt.date(2023, 3, 1), [(dt.date(2024, 5, 1), "25"), (dt.date(2025, 5, 1), "30")])
    body = status(api, staff, m, "2026-01-01")
    assert body["status"] == "inactive_lapsed"
    assert body["hours_needed"] == "60.0"
    assert body["deadline"] is None
    assert body["years"][1]["shortfall"] == "5.0"


def test_dues_unpaid_takes_precedence(api, staff):
    m = member_with(
        dt.date(2023, 3, 1), [(dt.date(2024, 5, 1), "40")], paid_through=dt.date(2025, 12, 31)
    )
    assert status(api, staff, m, "2025-12-31")["status"] == "active"
    body = status(api, staff, m, "2026-01-01")
    assert body["status"] == "inactive_dues"
    assert "dues" in body["reasons"][0].lower()


def test_status_roles_and_bad_dates(api, member_a, member_b, staff):
    url = f"/api/v1/members/{member_a.pk}/status/"
    assert api(member_a.user).get(url).status_code == 200
    assert api(staff).get(url).status_code == 200
    assert api(member_b.user).get(url).status_code == 404
    assert api().get(url).status_code == 401
    bad = api(member_a.user).get(url, {"as_of": "31/03/2025"})
    assert bad.status_code == 400 and "as_of" in bad.json()


def test_without_as_of_the_status_is_as_of_today(api, member_a):
    from django.utils import timezone

    body = api(member_a.user).get(f"/api/v1/members/{member_a.pk}/status/").json()
    assert body["as_of"] == timezone.localdate().isoformat()


def test_history_records_changes_made_by_writes(
    api, staff, django_capture_on_commit_callbacks, mailoutbox
):
    from django.utils import timezone

    today = timezone.localdate()
    m = member_with(
        dt.date(today.year - 3, 3, 1),
        [(dt.date(today.year - 2, 5, 1), "30"), (dt.date(today.year - 1, 5, 1), "20")],
    )
    entry = EntryFactory(
        member=m, completed_on=dt.date(today.year - 1, 6, 1), credit_hours=Decimal("10.0")
    )
    with django_capture_on_commit_callbacks(execute=True):
        from certification.services.recompute import recompute_member

        recompute_member(m.pk, why="First computation.")
    m.refresh_from_db()
    assert m.status == "inactive_makeup"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(f"/api/v1/activities/{entry.pk}/approve/")
    assert response.status_code == 200
    m.refresh_from_db()
    assert m.status == "active"
    history = api(staff).get(f"/api/v1/members/{m.pk}/status/history/").json()
    assert [(h["from_status"], h["to_status"]) for h in history["results"]] == [
        ("", "inactive_makeup"),
        ("inactive_makeup", "active"),
    ]
    assert "approved" in history["results"][1]["reason"]
    assert history["results"][1]["changed_at"]
    status_mails = [mail for mail in mailoutbox if "certification status" in mail.subject]
    assert len(status_mails) == 1
    assert api(m.user).get(f"/api/v1/members/{m.pk}/status/history/").status_code == 200
    assert (
        api(MemberFactory().user).get(f"/api/v1/members/{m.pk}/status/history/").status_code == 404
    )


def test_dashboard_says_what_to_do_next(client, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from tests.conftest import sign_in

    today = timezone.localdate()
    m = member_with(
        dt.date(today.year - 2, 3, 1), [(dt.date(today.year - 1, 5, 1), "25"), (today, "17.5")]
    )
    sign_in(client, m.user)
    page = client.get(reverse("status:dashboard"))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"17.5 more hours by 31 December {today.year} to return to active." in text
    assert "Inactive (make-up)" in text
    assert page.context["percent"] == 50


def test_staff_overview_counts_and_as_of_lookup(client, django_capture_on_commit_callbacks):
    from tests.conftest import sign_in

    m = member_with(dt.date(2023, 3, 1), [(dt.date(2024, 5, 1), "25")])
    MemberFactory(status="active")
    sign_in(client, StaffFactory())
    page = client.get(reverse("status:staff_overview"))
    assert page.status_code == 200
    assert dict((v, n) for v, _, n in page.context["rows"])["active"] >= 1
    lookup = client.get(
        reverse("status:staff_overview"), {"member": m.member_number, "as_of": "2025-03-31"}
    )
    assert lookup.context["lookup"]["result"].status == "inactive_makeup"
    missing = client.get(reverse("status:staff_overview"), {"member": "nobody"})
    assert "No member with this number or email." in missing.content.decode()


def test_members_cannot_open_the_staff_overview(member_client):
    assert member_client.get(reverse("status:staff_overview")).status_code == 403


def test_new_member_gets_a_status_on_creation(api, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(
            "/api/v1/members/",
            {
                "email": "n@example.org",
                "first_name": "N",
                "last_name": "M",
                "password": "a long enough passphrase",
                "birth_date": "1990-01-01",
            },
            format="json",
        )
    assert response.json()["id"]
    me = api(staff).get(f"/api/v1/members/{response.json()['id']}/").json()
    assert me["status"] == "inactive_dues"  # no dues on record yet
    assert StatusChange.objects.filter(member_id=me["id"]).count() == 1


def test_attendance_posting_recomputes_status(staff, django_capture_on_commit_callbacks):
    from tests.factories import OfferingFactory

    m = member_with(dt.date(2023, 3, 1), [(dt.date(2024, 5, 1), "25"), (dt.date(2025, 3, 1), "34")])
    offering = OfferingFactory(starts_on=dt.date(2025, 4, 1), cpe_hours=Decimal("1.0"))
    with django_capture_on_commit_callbacks(execute=True):
        offerings.record_attendance(offering=offering, members=[m], by=staff)
    m.refresh_from_db()
    # 25 in 2024 (make-up of 35 in 2025) and 34 + 1 in 2025: active as of today
    assert StatusChange.objects.filter(member=m).exists()
