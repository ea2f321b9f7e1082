"""Dues over HTTP (SPEC sections 5 and 6): the API (self and staff read, staff record), the
member's page (what the next period costs, history), the staff page and the admin; a
payment lifts the dues-inactive status."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import StatusChange
from certification.services.recompute import recompute_member
from members.dues.rules import dues_outlook
from members.models import DuesPayment, Member
from tests.conftest import sign_in
from tests.factories import MemberFactory, MembershipTypeFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def dues_url(member):
    return f"/api/v1/members/{member.id}/dues/"


def payment(member, paid_on, paid_through, amount="295.00", **fields):
    return DuesPayment.objects.create(
        member=member,
        amount=Decimal(amount),
        paid_on=paid_on,
        paid_through=paid_through,
        **fields,
    )


def new_payment(**overrides):
    values = {
        "amount": "295.00",
        "paid_on": today().isoformat(),
        "paid_through": dt.date(today().year + 1, 12, 31).isoformat(),
    }
    values.update(overrides)
    return values


# -- API ------------------------------------------------------------------------------------


def test_member_and_staff_list_payments_newest_first(api, member_a, staff):
    older = payment(member_a, dt.date(2025, 1, 10), dt.date(2025, 12, 31))
    newer = payment(member_a, dt.date(2026, 1, 8), dt.date(2026, 12, 31), amount="310.50")
    for user in (member_a.user, staff):
        response = api(user).get(dues_url(member_a))
        assert response.status_code == 200
        data = response.json()
        assert set(data) == {"count", "next", "previous", "results"}
        assert data["count"] == 2
        assert [p["id"] for p in data["results"]] == [newer.pk, older.pk]
        first = data["results"][0]
        assert first["amount"] == "310.50"
        assert first["paid_on"] == "2026-01-08"
        assert first["paid_through"] == "2026-12-31"
        assert first["currency"] == "USD"


def test_dues_of_others_are_not_found_and_visitors_must_sign_in(api, member_a, member_b, staff):
    payment(member_a, dt.date(2026, 1, 8), dt.date(2026, 12, 31))
    assert api(member_b.user).get(dues_url(member_a)).status_code == 404
    assert api().get(dues_url(member_a)).status_code == 401
    assert api(staff).get("/api/v1/members/999999/dues/").status_code == 404


def test_staff_record_a_payment(api, staff, member_a):
    response = api(staff).post(dues_url(member_a), new_payment(note="Cheque 1042"), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["amount"] == "295.00"
    assert data["paid_on"] == today().isoformat()
    assert data["paid_through"] == f"{today().year + 1}-12-31"
    assert data["recorded_by"] == staff.email
    assert data["note"] == "Cheque 1042"
    assert data["currency"] == "USD"  # the membership type's currency
    member_a.refresh_from_db()
    assert member_a.dues_paid_through == dt.date(today().year + 1, 12, 31)
    listed = api(member_a.user).get(dues_url(member_a)).json()
    assert listed["results"][0]["id"] == data["id"]


def test_the_currency_follows_the_membership_type(api, staff):
    member = MemberFactory(
        membership_type=MembershipTypeFactory(code="eu", name="Europe", currency="EUR")
    )
    response = api(staff).post(dues_url(member), new_payment(), format="json")
    assert response.json()["currency"] == "EUR"


def test_members_may_not_record_payments(api, member_a, member_b):
    for user in (member_a.user, member_b.user):
        response = api(user).post(dues_url(member_a), new_payment(), format="json")
        assert response.status_code == 403
    assert api().post(dues_url(member_a), new_payment(), format="json").status_code == 401
    assert not DuesPayment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"paid_on": (dt.date.today() + dt.timedelta(days=400)).isoformat()}, "paid_on"),
        ({"paid_through": "2099-12-31"}, "paid_through"),
        ({"paid_on": "yesterday"}, "paid_on"),
        ({"paid_through": None}, "paid_through"),
    ],
)
def test_invalid_payments_are_refused_with_field_errors(api, staff, member_a, overrides, field):
    response = api(staff).post(dues_url(member_a), new_payment(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not DuesPayment.objects.exists()


def test_staff_for_a_missing_member_get_404(api, staff):
    response = api(staff).post("/api/v1/members/999999/dues/", new_payment(), format="json")
    assert response.status_code == 404


def test_a_payment_lifts_the_dues_inactive_status(
    api, staff, mailoutbox, django_capture_on_commit_callbacks
):
    member = MemberFactory(certified_on=today(), dues_paid_through=None)
    recompute_member(member.pk, why="Test set-up.")
    member.refresh_from_db()
    assert member.status == "inactive_dues"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(dues_url(member), new_payment(), format="json")
    assert response.status_code == 201
    member.refresh_from_db()
    assert member.status == "grace"
    change = StatusChange.objects.filter(member=member).last()
    assert (change.from_status, change.to_status) == ("inactive_dues", "grace")
    assert "Dues payment recorded" in change.reason_text()
    assert [m.to for m in mailoutbox] == [[member.email]]


# -- The next period ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid_through", "on", "start", "end", "paid_up"),
    [
        (
            dt.date(2026, 12, 31),
            dt.date(2026, 11, 24),
            dt.date(2027, 1, 1),
            dt.date(2027, 12, 31),
            True,
        ),
        (
            dt.date(2026, 11, 24),
            dt.date(2026, 11, 24),
            dt.date(2026, 11, 25),
            dt.date(2027, 11, 24),
            True,
        ),
        (
            dt.date(2025, 6, 30),
            dt.date(2026, 11, 24),
            dt.date(2025, 7, 1),
            dt.date(2026, 6, 30),
            False,
        ),
        (None, dt.date(2026, 11, 24), dt.date(2026, 11, 24), dt.date(2027, 11, 23), False),
        (
            dt.date(2024, 2, 28),
            dt.date(2024, 1, 1),
            dt.date(2024, 2, 29),
            dt.date(2025, 2, 28),
            True,
        ),
    ],
)
def test_the_next_period_follows_the_paid_through_date(paid_through, on, start, end, paid_up):
    outlook = dues_outlook(
        paid_through=paid_through, annual_dues=Decimal("295.00"), currency="USD", today=on
    )
    assert (outlook.period_start, outlook.period_end, outlook.paid_up) == (start, end, paid_up)
    assert outlook.amount == Decimal("295.00")


# -- Pages ----------------------------------------------------------------------------------


def test_member_sees_what_the_next_period_costs_and_the_history(member_client, member_a):
    payment(member_a, dt.date(2026, 1, 8), dt.date(2026, 12, 31), note="Online")
    page = member_client.get(reverse("dues:mine"))
    assert page.status_code == 200
    outlook = page.context["outlook"]
    assert outlook.amount == Decimal("295.00")
    assert outlook.period_start == dt.date(2027, 1, 1)
    assert outlook.period_end == dt.date(2027, 12, 31)
    html = page.content.decode()
    assert "$295.00" in html
    assert len(page.context["payments"]) == 1
    assert 'data-testid="payment-row"' in html


def test_member_without_payments_is_told_what_to_do(client):
    member = MemberFactory(dues_paid_through=None, membership_type=None)
    sign_in(client, member.user)
    html = client.get(reverse("dues:mine")).content.decode()
    assert "No dues payment is on record" in html
    assert "membership type is not set" in html


def test_member_page_needs_a_sign_in_and_a_member_profile(client, staff):
    response = client.get(reverse("dues:mine"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    sign_in(client, staff)
    response = client.get(reverse("dues:mine"))
    assert response.status_code == 403  # staff are pointed to their queues
    assert "no member profile" in response.content.decode()
    client.logout()
    sign_in(client, UserFactory())
    assert client.get(reverse("dues:mine")).status_code == 404


def test_staff_record_a_payment_on_the_page(
    staff_client, staff, member_a, django_capture_on_commit_callbacks
):
    url = reverse("dues:staff_member", kwargs={"member_id": member_a.pk})
    page = staff_client.get(url)
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["amount"] == Decimal("295.00")
    assert initial["paid_through"] == dt.date(2027, 12, 31)
    html = page.content.decode()
    assert 'for="id_amount"' in html and 'for="id_paid_through"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url,
            {
                "amount": "295.00",
                "currency": "USD",
                "paid_on": today().isoformat(),
                "paid_through": "2027-12-31",
                "note": "",
            },
        )
    assert response.status_code == 302
    recorded = DuesPayment.objects.get(member=member_a)
    assert recorded.recorded_by == staff
    assert Member.objects.get(pk=member_a.pk).dues_paid_through == dt.date(2027, 12, 31)


def test_staff_page_shows_errors_next_to_fields(staff_client, member_a):
    url = reverse("dues:staff_member", kwargs={"member_id": member_a.pk})
    response = staff_client.post(
        url,
        {
            "amount": "295.00",
            "currency": "USD",
            "paid_on": (today() + dt.timedelta(days=3)).isoformat(),
            "paid_through": "2027-12-31",
        },
    )
    assert response.status_code == 200
    assert "future" in response.context["form"].errors["paid_on"][0]
    assert 'id="id_paid_on_error"' in response.content.decode()
    assert not DuesPayment.objects.exists()


def test_staff_page_refuses_members_and_sends_visitors_to_login(client, member_a):
    url = reverse("dues:staff_member", kwargs={"member_id": member_a.pk})
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    sign_in(client, member_a.user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"amount": "1"}).status_code == 403
    assert not DuesPayment.objects.exists()


def test_staff_page_for_a_missing_member_is_404(staff_client):
    url = reverse("dues:staff_member", kwargs={"member_id": 999999})
    assert staff_client.get(url).status_code == 404


# -- Admin ----------------------------------------------------------------------------------


def test_admin_adds_a_payment_through_the_service(client, member_a):
    root = StaffFactory(email="root@ima.example", is_superuser=True)
    sign_in(client, root)
    response = client.post(
        reverse("admin:members_duespayment_add"),
        {
            "member": member_a.pk,
            "amount": "295.00",
            "currency": "usd",
            "paid_on": today().isoformat(),
            "paid_through": "2027-12-31",
            "note": "Wire transfer",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recorded = DuesPayment.objects.get(member=member_a)
    assert recorded.recorded_by == root
    assert recorded.currency == "USD"
    assert Member.objects.get(pk=member_a.pk).dues_paid_through == dt.date(2027, 12, 31)
    change_page = client.get(reverse("admin:members_duespayment_change", args=[recorded.pk]))
    assert change_page.status_code == 200
    delete = client.get(reverse("admin:members_duespayment_delete", args=[recorded.pk]))
    assert delete.status_code == 403


def test_dues_list_runs_a_fixed_number_of_queries(api, member_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff_user = StaffFactory()
    client = api(member_a.user)
    payment(member_a, dt.date(2022, 1, 8), dt.date(2022, 12, 31), recorded_by=staff_user)
    with CaptureQueriesContext(connection) as one:
        client.get(dues_url(member_a))
    for year in (2023, 2024, 2025):
        payment(member_a, dt.date(year, 1, 8), dt.date(year, 12, 31), recorded_by=staff_user)
    with django_assert_max_num_queries(len(one)):
        assert client.get(dues_url(member_a)).json()["count"] == 4
