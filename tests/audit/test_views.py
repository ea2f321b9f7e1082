"""Staff see a member's history and an object's history on its page; members never see
another member's (the staff pages answer them 403/404); the admin's edits of offerings and
policy versions go through the services, are recorded and queue the recompute."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit import services as audit
from audit.models import AuditEvent
from certification.services import requests as cert
from cpe.services import entries
from members.models import Member
from policy.models import PolicyVersion
from refunds import services as refunds
from tests.factories import EntryFactory, MemberFactory, OfferingFactory
from tests.members.test_admin import admin_client  # noqa: F401 (fixture)
from tests.refunds.builders import bought

pytestmark = pytest.mark.django_db


def _pages(member, staff):
    entry = EntryFactory(member=member)
    entries.approve_entry(entry=entry, by=staff, reason="Fine.")
    refund = refunds.request_refund(enrollment=bought(member), by=member.user, reason="Ill.")
    exemption = cert.request_exemption(
        member=member, reason="illness", years=[2026], explanation="Surgery.", by=member.user
    )
    return {
        "member": reverse("dues:staff_member", kwargs={"member_id": member.pk}),
        "entry": reverse("cpe:review_entry", kwargs={"entry_id": entry.pk}),
        "refund": reverse("refunds:decide", kwargs={"refund_id": refund.pk}),
        "exemption": reverse("requests:decide_exemption", kwargs={"exemption_id": exemption.pk}),
    }


@pytest.mark.parametrize(
    ("page", "action"),
    [
        ("member", "entry.approved"),
        ("entry", "entry.approved"),
        ("refund", "refund.requested"),
        ("exemption", "exemption.requested"),
    ],
)
def test_staff_see_the_history_on_the_page(staff_client, staff, member_a, page, action):
    url = _pages(member_a, staff)[page]
    response = staff_client.get(url)
    assert response.status_code == 200
    actions = [e.action for e in response.context["history"].object_list]
    assert action in actions
    assert action in response.content.decode()


@pytest.mark.parametrize("page", ["member", "entry", "refund", "exemption"])
def test_a_member_never_sees_the_staff_history_pages(member_client, staff, member_a, page):
    url = _pages(member_a, staff)[page]
    response = member_client.get(url)
    assert response.status_code in (403, 404)
    assert "entry.approved" not in response.content.decode()


def test_the_member_history_costs_the_same_queries_for_1_or_40_events(
    staff_client, staff, member_a
):
    url = reverse("dues:staff_member", kwargs={"member_id": member_a.pk})
    audit.record(actor=staff, action="note.added", target=member_a, member=member_a)
    staff_client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert staff_client.get(url).status_code == 200
    for n in range(39):
        other = MemberFactory() if n % 2 else member_a
        audit.record(actor=staff, action="note.added", target=other, member=member_a, why=str(n))
    with CaptureQueriesContext(connection) as forty:
        response = staff_client.get(url)
    assert len(response.context["history"].object_list) == 40
    assert len(forty) == len(one)


def test_history_pages_are_fixed_size_and_a_bad_page_is_not_a_500(staff_client, staff, member_a):
    for _n in range(55):
        audit.record(actor=staff, action="note.added", target=member_a, member=member_a)
    url = reverse("dues:staff_member", kwargs={"member_id": member_a.pk})
    assert len(staff_client.get(url).context["history"].object_list) == 50
    assert len(staff_client.get(url + "?history_page=2").context["history"].object_list) == 5
    assert staff_client.get(url + "?history_page=x%00").status_code == 200


def test_an_admin_edit_of_an_offering_goes_through_the_service_and_is_recorded(
    admin_client,  # noqa: F811
):
    offering = OfferingFactory(title="Old title", kind="live_event", starts_on=dt.date(2026, 3, 10))
    url = reverse("admin:cpe_offering_change", args=[offering.pk])
    body = {
        "kind": "live_event",
        "title": "New title",
        "description": "",
        "starts_on": "2026-03-10",
        "cpe_hours": "2.0",
        "price": "99.00",
        "currency": "USD",
    }
    response = admin_client.post(url, body)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="offering.updated")
    assert event.changes == {"title": ["Old title", "New title"]}
    assert event.actor.email == "root@ima.example"
    assert event.target_id == str(offering.pk)


def test_an_admin_offering_the_rules_refuse_is_a_form_error(admin_client):  # noqa: F811
    response = admin_client.post(
        reverse("admin:cpe_offering_add"),
        {
            "kind": "recorded_webinar",
            "title": "Rec",
            "price": "10",
            "currency": "USD",
            "cpe_hours": "1.0",
            "description": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not AuditEvent.objects.exists()


def test_an_admin_edit_of_a_policy_version_is_recorded_and_queues_the_recompute(
    admin_client,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    member = MemberFactory(certified_on=dt.date(2020, 3, 1))
    Member.objects.filter(pk=member.pk).update(
        status="active", status_valid_until=dt.date(2099, 1, 1)
    )
    version = PolicyVersion.objects.create(effective_from=2030, annual_hours=Decimal("30.0"))
    url = reverse("admin:policy_policyversion_change", args=[version.pk])
    page = admin_client.get(url)
    body = {k: ("" if v is None else v) for k, v in page.context["adminform"].form.initial.items()}
    body.pop("updated_by", None)
    body.pop("id", None)
    body["annual_hours"] = "40.0"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(url, body)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="policy.updated")
    assert event.changes == {"annual_hours": ["30.0", "40.0"]}
    assert event.actor.email == "root@ima.example"
    assert callbacks  # the recompute was queued after the commit (and ran: Celery is eager)
    member.refresh_from_db()
    assert member.status_valid_until != dt.date(2099, 1, 1)


def test_the_admin_adds_a_dues_payment_in_save_model_and_it_is_recorded(
    admin_client,  # noqa: F811
    member_a,
):
    body = {
        "member": member_a.pk,
        "amount": "-1",
        "currency": "USD",
        "paid_on": "2026-01-05",
        "paid_through": "2026-12-31",
        "note": "Wire",
    }
    url = reverse("admin:members_duespayment_add")
    refused = admin_client.post(url, body)
    assert refused.status_code == 200
    assert "amount" in refused.context["adminform"].form.errors
    assert not AuditEvent.objects.filter(action="dues.recorded").exists()
    assert admin_client.post(url, {**body, "amount": "295"}).status_code == 302
    event = AuditEvent.objects.get(action="dues.recorded")
    assert (event.member_id, event.actor.email, event.why) == (
        member_a.pk,
        "root@ima.example",
        "Wire",
    )


def test_the_admin_adds_requests_in_save_model_with_the_services_checks_in_clean(
    admin_client,  # noqa: F811
    member_a,
):
    from certification.models import Exemption, Retirement

    url = reverse("admin:certification_retirement_add")
    too_young = admin_client.post(url, {"member": member_a.pk, "retired_on": "2026-12-01"})
    assert too_young.status_code == 200
    assert "retired_on" in too_young.context["adminform"].form.errors
    assert not Retirement.objects.exists()
    Member.objects.filter(pk=member_a.pk).update(birth_date=dt.date(1960, 1, 1))
    done = admin_client.post(url, {"member": member_a.pk, "retired_on": "2026-12-01"})
    assert done.status_code == 302
    assert Retirement.objects.get().member_id == member_a.pk
    again = admin_client.post(url, {"member": member_a.pk, "retired_on": "2026-12-01"})
    assert again.status_code == 200
    assert again.context["adminform"].form.non_field_errors()
    assert Retirement.objects.count() == 1

    url = reverse("admin:certification_exemption_add")
    body = {"member": member_a.pk, "reason": "illness", "years": "2026", "explanation": "Ill."}
    assert admin_client.post(url, body).status_code == 302
    event = AuditEvent.objects.get(action="exemption.requested")
    assert event.actor.email == "root@ima.example"
    twice = admin_client.post(url, body)
    assert "years" in twice.context["adminform"].form.errors
    assert Exemption.objects.count() == 1
