"""Refund API v1 over HTTP (SPEC sections 4 and 6): the member's preview and request, the
staff list with its filters, approve, deny and issue; the exact field names and decimal
strings, every status code, who sees what, and a fixed number of queries for the list."""

import datetime as dt
from decimal import Decimal
from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpe.models import Enrollment
from members.models import Member, User
from refunds import services
from refunds.models import RefundRequest
from tests.factories import MemberFactory
from tests.refunds.builders import (
    approved,
    bought,
    days,
    denied,
    issued,
    no_show,
    requested,
    self_study_40_days_ago,
    today,
)

pytestmark = pytest.mark.django_db

D = Decimal
REFUNDS = "/api/v1/refunds/"
REFUND_FIELDS = {
    "id",
    "enrollment",
    "member",
    "member_number",
    "offering",
    "offering_title",
    "offering_kind",
    "starts_on",
    "enrolled_on",
    "reason",
    "requested_on",
    "eligible",
    "amount",
    "fee",
    "fee_percent",
    "policy_amount",
    "price",
    "currency",
    "reason_code",
    "policy_reason",
    "policy_reason_detail",
    "state",
    "special_circumstances",
    "decision_reason",
    "decided_by",
    "decided_at",
    "reference",
    "issued_by",
    "issued_at",
    "issue_by",
    "overdue",
    "created_at",
}


def request_url(enrollment: Enrollment) -> str:
    return reverse("api-enrollment-refund-request", kwargs={"enrollment_id": enrollment.pk})


def refund_url(refund: RefundRequest, action: str = "") -> str:
    return f"{REFUNDS}{refund.pk}/{action + '/' if action else ''}"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def state(refund: RefundRequest) -> str:
    return RefundRequest.objects.get(pk=refund.pk).state


# -- Request (POST) ---------------------------------------------------------------------------


def test_member_requests_a_refund_and_gets_the_outcome(
    api, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = bought(member_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = api(member_a.user).post(
            request_url(enrollment), {"reason": "My flight was cancelled."}, format="json"
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == REFUND_FIELDS
    refund = RefundRequest.objects.get()
    assert body["id"] == refund.pk
    assert body["eligible"] is True
    assert body["amount"] == "89.99"
    assert body["fee"] == "10.00"
    assert body["fee_percent"] == "10.00"
    assert body["policy_amount"] == "89.99"
    assert body["price"] == "99.99"
    assert body["currency"] == "USD"
    assert body["reason_code"] == "eligible"
    assert body["state"] == "requested"
    assert body["reason"] == "My flight was cancelled."
    assert body["requested_on"] == today().isoformat()
    assert body["issue_by"] == days(40).isoformat()
    assert body["overdue"] is False
    assert body["special_circumstances"] is False
    assert body["enrollment"] == enrollment.pk
    assert body["member"] == member_a.pk
    assert body["member_number"] == member_a.member_number
    assert body["offering"] == enrollment.offering_id
    assert body["offering_title"] == "Budgeting live"
    assert body["offering_kind"] == "live_event"
    assert body["starts_on"] == days(10).isoformat()
    assert body["enrolled_on"] == days(-5).isoformat()
    assert (body["decided_by"], body["decided_at"], body["decision_reason"]) == (None, None, "")
    assert (body["issued_by"], body["issued_at"], body["reference"]) == (None, None, "")
    assert body["policy_reason"].startswith("Eligible: a refund of $89.99")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member_a.user.email]


def test_an_ineligible_request_is_created_with_its_reason_code(api, member_a):
    response = api(member_a.user).post(
        request_url(self_study_40_days_ago(member_a)), {"reason": "Forgot."}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["eligible"], body["reason_code"]) == (False, "window_expired")
    assert (body["amount"], body["fee"], body["price"]) == ("0.00", "12.00", "120.00")
    assert body["issue_by"] is None


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_request_without_a_reason_is_400(api, member_a, data):
    response = api(member_a.user).post(request_url(bought(member_a)), data, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()
    assert not RefundRequest.objects.exists()


def test_request_of_a_free_enrollment_is_400(api, member_a):
    response = api(member_a.user).post(
        request_url(bought(member_a, price="0.00")), {"reason": "Please."}, format="json"
    )

    assert response.status_code == 400
    assert "enrollment" in response.json()


def test_second_open_request_is_409_and_a_denied_one_allows_another(api, member_a, staff):
    enrollment = bought(member_a)
    client = api(member_a.user)
    first = client.post(request_url(enrollment), {"reason": "One."}, format="json")
    assert first.status_code == 201

    second = client.post(request_url(enrollment), {"reason": "Two."}, format="json")
    assert second.status_code == 409
    assert "detail" in second.json()

    deny = api(staff).post(
        f"{REFUNDS}{first.json()['id']}/deny/", {"reason": "Seat transferred."}, format="json"
    )
    assert deny.status_code == 200
    third = client.post(request_url(enrollment), {"reason": "Three."}, format="json")
    assert third.status_code == 201
    assert RefundRequest.objects.count() == 2


def test_staff_cannot_file_a_refund_request(api, staff, member_a):
    response = api(staff).post(request_url(bought(member_a)), {"reason": "x"}, format="json")

    assert response.status_code == 403
    assert not RefundRequest.objects.exists()


def test_member_b_gets_404_on_member_a_enrollment(api, member_a, member_b):
    enrollment = bought(member_a)
    client = api(member_b.user)

    assert client.get(request_url(enrollment)).status_code == 404
    assert client.post(request_url(enrollment), {"reason": "x"}, format="json").status_code == 404
    assert not RefundRequest.objects.exists()


def test_unknown_enrollment_is_404(api, member_a):
    url = reverse("api-enrollment-refund-request", kwargs={"enrollment_id": 999999})
    assert api(member_a.user).get(url).status_code == 404
    assert api(member_a.user).post(url, {"reason": "x"}, format="json").status_code == 404


def test_anonymous_gets_401(api, member_a, staff):
    enrollment = bought(member_a)
    refund = requested(enrollment)
    client = api()

    assert client.get(request_url(enrollment)).status_code == 401
    assert client.post(request_url(enrollment), {"reason": "x"}, format="json").status_code == 401
    assert client.get(REFUNDS).status_code == 401
    assert client.get(refund_url(refund)).status_code == 401
    for action in ("approve", "deny", "issue"):
        assert client.post(refund_url(refund, action), {}, format="json").status_code == 401
    assert state(refund) == "requested"


# -- Preview (GET) ----------------------------------------------------------------------------


def test_preview_tells_today_outcome_and_stores_nothing(api, member_a):
    enrollment = bought(member_a)

    response = api(member_a.user).get(request_url(enrollment))

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "eligible": True,
        "amount": "89.99",
        "fee": "10.00",
        "fee_percent": "10.00",
        "reason_code": "eligible",
        "reason": (
            "Eligible: a refund of $89.99 (the price of $99.99 less the 10 % processing fee "
            "of $10.00)."
        ),
        "reason_detail": {
            "code": "refund.eligible",
            "params": {
                "refund": {"money": "89.99", "currency": "USD"},
                "price": {"money": "99.99", "currency": "USD"},
                "percent": {"decimal": "10"},
                "fee": {"money": "10.00", "currency": "USD"},
            },
        },
        "issue_by": days(40).isoformat(),
        "special_allowed": True,
        "requested_on": today().isoformat(),
        "currency": "USD",
        "open_request": None,
    }
    assert not RefundRequest.objects.exists()


def test_preview_of_a_no_show(api, member_a):
    body = api(member_a.user).get(request_url(no_show(member_a))).json()

    assert (body["eligible"], body["amount"], body["reason_code"]) == (False, "0.00", "no_show")
    assert body["special_allowed"] is False


def test_preview_names_the_open_request_until_it_is_denied(api, member_a, staff):
    enrollment = bought(member_a)
    client = api(member_a.user)
    refund = requested(enrollment)

    assert client.get(request_url(enrollment)).json()["open_request"] == refund.pk
    assert api(staff).get(request_url(enrollment)).json()["open_request"] == refund.pk

    services.approve_refund(refund=refund, by=staff)
    assert client.get(request_url(enrollment)).json()["open_request"] == refund.pk

    other = bought(member_a, title="Other")
    services.deny_refund(refund=requested(other), by=staff, reason="No.")
    assert client.get(request_url(other)).json()["open_request"] is None


def test_final_test_taken_set_by_staff_makes_a_self_study_ineligible(api, member_a, staff):
    enrollment = bought(member_a, kind="self_study", price="120.00")
    assert api(member_a.user).get(request_url(enrollment)).json()["reason_code"] == "eligible"

    patch = api(staff).patch(
        reverse("api-enrollment", kwargs={"enrollment_id": enrollment.pk}),
        {"final_test_taken": True},
        format="json",
    )
    assert patch.status_code == 200, patch.json()
    assert patch.json()["final_test_taken"] is True

    preview = api(member_a.user).get(request_url(enrollment)).json()
    assert (preview["eligible"], preview["reason_code"]) == (False, "final_test_taken")
    response = api(member_a.user).post(request_url(enrollment), {"reason": "x"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["eligible"], body["reason_code"], body["amount"]) == (
        False,
        "final_test_taken",
        "0.00",
    )


def test_member_cannot_mark_the_final_test_taken(api, member_a):
    enrollment = bought(member_a, kind="self_study")

    response = api(member_a.user).patch(
        reverse("api-enrollment", kwargs={"enrollment_id": enrollment.pk}),
        {"final_test_taken": True},
        format="json",
    )

    assert response.status_code == 403
    assert Enrollment.objects.get(pk=enrollment.pk).final_test_taken is False


# -- List and detail --------------------------------------------------------------------------


def test_staff_list_everyone_oldest_first_and_members_only_their_own(
    api, member_a, member_b, staff
):
    a1 = requested(bought(member_a, title="A1"))
    b1 = requested(bought(member_b, title="B1"))
    a2 = requested(bought(member_a, title="A2"))
    # Oldest first by request time, whatever the ids say.
    RefundRequest.objects.filter(pk=a2.pk).update(created_at=timezone.now() - dt.timedelta(days=3))

    response = api(staff).get(REFUNDS)
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert (body["next"], body["previous"]) == (None, None)
    assert ids(response) == [a2.pk, a1.pk, b1.pk]
    assert set(body["results"][0]) == REFUND_FIELDS

    assert ids(api(member_a.user).get(REFUNDS)) == [a2.pk, a1.pk]
    assert ids(api(member_b.user).get(REFUNDS)) == [b1.pk]


def test_list_is_paginated(api, staff, member_a):
    refunds = [requested(bought(member_a, title=f"Course {i}")) for i in range(3)]

    first = api(staff).get(REFUNDS, {"page_size": 2}).json()
    assert first["count"] == 3
    assert [r["id"] for r in first["results"]] == [refunds[0].pk, refunds[1].pk]
    assert first["previous"] is None
    assert first["next"] is not None

    second = api(staff).get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [refunds[2].pk]
    assert second["next"] is None
    assert second["previous"] is not None


def test_list_filters_by_state(api, staff, member_a):
    waiting = requested(bought(member_a, title="Waiting"))
    ok = approved(bought(member_a, title="Approved"), staff)
    no = denied(bought(member_a, title="Denied"), staff)
    paid = issued(bought(member_a, title="Issued"), staff)
    client = api(staff)

    assert ids(client.get(REFUNDS, {"state": "requested"})) == [waiting.pk]
    assert ids(client.get(REFUNDS, {"state": "approved"})) == [ok.pk]
    assert ids(client.get(REFUNDS, {"state": "denied"})) == [no.pk]
    assert ids(client.get(REFUNDS, {"state": "issued"})) == [paid.pk]
    assert ids(client.get(REFUNDS, {"state": "requested,approved"})) == [waiting.pk, ok.pk]
    assert ids(client.get(REFUNDS)) == [waiting.pk, ok.pk, no.pk, paid.pk]
    assert [r["state"] for r in client.get(REFUNDS).json()["results"]] == [
        "requested",
        "approved",
        "denied",
        "issued",
    ]
    # A member's filter applies to their own only.
    assert ids(api(member_a.user).get(REFUNDS, {"state": "issued"})) == [paid.pk]


@pytest.mark.parametrize("value", ["pending", "REQUESTED", "requested,bogus"])
def test_unknown_state_filter_is_400(api, staff, value):
    response = api(staff).get(REFUNDS, {"state": value})

    assert response.status_code == 400
    assert "state" in response.json()


def test_detail_for_the_member_and_staff_and_404_for_others(api, member_a, member_b, staff):
    refund = requested(bought(member_a))

    own = api(member_a.user).get(refund_url(refund))
    assert own.status_code == 200
    assert set(own.json()) == REFUND_FIELDS
    assert own.json()["id"] == refund.pk
    assert api(staff).get(refund_url(refund)).status_code == 200
    assert api(member_b.user).get(refund_url(refund)).status_code == 404
    assert api(staff).get(f"{REFUNDS}999999/").status_code == 404


def test_list_runs_the_same_number_of_queries_for_3_and_30(api, staff):
    def add(n: int) -> None:
        for i in range(n):  # each request of its own member, in every state
            enrollment = bought(cast(Member, MemberFactory()))
            if i % 4 == 0:
                requested(enrollment)
            elif i % 4 == 1:
                approved(enrollment, staff)
            elif i % 4 == 2:
                denied(enrollment, staff)
            else:
                issued(enrollment, staff)

    client = api(staff)

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(REFUNDS)
        return len(queries), len(ids(response))

    add(3)
    small, shown_small = measure()
    add(27)
    large, shown_large = measure()

    assert (shown_small, shown_large) == (3, 30)
    assert small == large


# -- Approve, deny, issue ---------------------------------------------------------------------


def test_staff_approve_answers_with_the_request_as_it_now_stands(
    api, staff, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    refund = requested(bought(member_a))

    with django_capture_on_commit_callbacks(execute=True):
        response = api(staff).post(refund_url(refund, "approve"), {}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == REFUND_FIELDS
    assert body["id"] == refund.pk
    assert body["state"] == "approved"
    assert (body["amount"], body["fee"], body["special_circumstances"]) == (
        "89.99",
        "10.00",
        False,
    )
    assert body["decided_by"] == staff.get_full_name()
    assert body["decided_at"] is not None
    assert state(refund) == "approved"
    assert len(mailoutbox) == 1
    assert "$89.99" in mailoutbox[0].body


def test_second_approve_is_409(api, staff, member_a):
    refund = approved(bought(member_a), staff)

    response = api(staff).post(refund_url(refund, "approve"), {}, format="json")

    assert response.status_code == 409
    assert "detail" in response.json()


def test_approve_ineligible_needs_amount_and_reason(api, staff, member_a):
    refund = requested(self_study_40_days_ago(member_a))
    client = api(staff)
    url = refund_url(refund, "approve")

    response = client.post(url, {}, format="json")
    assert response.status_code == 400
    assert "amount" in response.json()

    response = client.post(url, {"amount": "60.00"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"reason"}

    for too_much in ("120.01", "1000.00"):
        response = client.post(url, {"amount": too_much, "reason": "Ill."}, format="json")
        assert response.status_code == 400
        assert "amount" in response.json()
    assert client.post(url, {"amount": "1.005", "reason": "x"}, format="json").status_code == 400
    assert client.post(url, {"amount": "abc", "reason": "x"}, format="json").status_code == 400
    assert state(refund) == "requested"

    response = client.post(url, {"amount": "60.00", "reason": "Hospitalised."}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "approved"
    assert (body["amount"], body["fee"], body["policy_amount"]) == ("60.00", "12.00", "0.00")
    assert body["special_circumstances"] is True
    assert body["decision_reason"] == "Hospitalised."


def test_approve_a_no_show_is_400(api, staff, member_a):
    refund = requested(no_show(member_a))

    response = api(staff).post(
        refund_url(refund, "approve"), {"amount": "50.00", "reason": "Traffic."}, format="json"
    )

    assert response.status_code == 400
    assert state(refund) == "requested"


def test_deny_eligible_needs_a_reason(api, staff, member_a, mailoutbox):
    refund = requested(bought(member_a))
    client = api(staff)

    response = client.post(refund_url(refund, "deny"), {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert state(refund) == "requested"

    response = client.post(refund_url(refund, "deny"), {"reason": "Seat moved."}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == REFUND_FIELDS
    assert (body["state"], body["decision_reason"]) == ("denied", "Seat moved.")
    assert body["decided_by"] == staff.get_full_name()

    again = client.post(refund_url(refund, "deny"), {"reason": "Again."}, format="json")
    assert again.status_code == 409


def test_deny_ineligible_without_reason_gives_the_policy_sentence(api, staff, member_a):
    refund = requested(self_study_40_days_ago(member_a))

    response = api(staff).post(refund_url(refund, "deny"), {}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "denied"
    assert body["decision_reason"] == body["policy_reason"]


def test_deny_after_approve_is_409(api, staff, member_a):
    refund = approved(bought(member_a), staff)

    response = api(staff).post(refund_url(refund, "deny"), {"reason": "No."}, format="json")

    assert response.status_code == 409
    assert state(refund) == "approved"


def test_issue_answers_with_the_request_and_twice_is_409(api, staff, member_a):
    refund = approved(bought(member_a), staff)
    client = api(staff)

    missing = client.post(refund_url(refund, "issue"), {}, format="json")
    assert missing.status_code == 400
    assert "reference" in missing.json()

    response = client.post(refund_url(refund, "issue"), {"reference": "PAY-9"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == REFUND_FIELDS
    assert (body["state"], body["reference"]) == ("issued", "PAY-9")
    assert body["issued_by"] == staff.get_full_name()
    assert body["issued_at"] is not None
    assert body["amount"] == "89.99"

    again = client.post(refund_url(refund, "issue"), {"reference": "PAY-10"}, format="json")
    assert again.status_code == 409
    assert RefundRequest.objects.get(pk=refund.pk).reference == "PAY-9"


def test_issue_a_requested_refund_is_409(api, staff, member_a):
    refund = requested(bought(member_a))

    response = api(staff).post(refund_url(refund, "issue"), {"reference": "PAY-1"}, format="json")

    assert response.status_code == 409
    assert state(refund) == "requested"


def test_members_get_403_on_staff_actions(api, member_a, member_b, staff):
    refund = requested(bought(member_a))
    ready = approved(bought(member_a, title="Ready"), staff)

    for user in (member_a.user, member_b.user):
        client = api(user)
        assert client.post(refund_url(refund, "approve"), {}, format="json").status_code == 403
        assert (
            client.post(refund_url(refund, "deny"), {"reason": "x"}, format="json").status_code
            == 403
        )
        assert (
            client.post(refund_url(ready, "issue"), {"reference": "P"}, format="json").status_code
            == 403
        )
    assert (state(refund), state(ready)) == ("requested", "approved")


def test_staff_actions_on_an_unknown_refund_are_404(api, staff):
    for action in ("approve", "deny", "issue"):
        response = api(staff).post(f"{REFUNDS}999999/{action}/", {}, format="json")
        assert response.status_code == 404


# -- Overdue ----------------------------------------------------------------------------------


def _overdue_refund(member: Member, staff: User) -> RefundRequest:
    """An event that started 40 days ago and that the member attended: the request is
    too late, staff grant special circumstances, and the issue-by date (start + 30 days)
    passed 10 days ago."""
    enrollment = bought(
        member, enrolled_on=days(-60), starts_on=days(-40), attended=True, title="Old event"
    )
    refund = requested(enrollment)
    assert refund.reason_code == "too_late"
    assert refund.issue_by == days(-10)
    return services.approve_refund(
        refund=refund, by=staff, amount="50.00", reason="IMA cancelled a session."
    )


def test_an_approved_event_refund_past_its_issue_by_date_is_overdue(api, staff, member_a):
    late = _overdue_refund(member_a, staff)
    on_time = approved(bought(member_a, title="On time"), staff)
    waiting = requested(bought(member_a, title="Waiting"))
    client = api(staff)

    body = client.get(refund_url(late)).json()
    assert (body["overdue"], body["issue_by"]) == (True, days(-10).isoformat())
    assert client.get(refund_url(on_time)).json()["overdue"] is False
    flags = {row["id"]: row["overdue"] for row in client.get(REFUNDS).json()["results"]}
    assert flags == {late.pk: True, on_time.pk: False, waiting.pk: False}

    assert ids(client.get(REFUNDS, {"overdue": "true"})) == [late.pk]
    assert ids(client.get(REFUNDS, {"overdue": "true", "state": "approved"})) == [late.pk]
    assert ids(client.get(REFUNDS, {"overdue": "false"})) == [late.pk, on_time.pk, waiting.pk]
    assert ids(api(member_a.user).get(REFUNDS, {"overdue": "true"})) == [late.pk]

    response = client.post(refund_url(late, "issue"), {"reference": "PAY-LATE"}, format="json")
    assert response.status_code == 200
    assert response.json()["overdue"] is False
    assert client.get(refund_url(late)).json()["overdue"] is False
    assert ids(client.get(REFUNDS, {"overdue": "true"})) == []


def test_not_overdue_on_the_issue_by_day_itself(api, staff, member_a):
    refund = approved(bought(member_a), staff)
    RefundRequest.objects.filter(pk=refund.pk).update(issue_by=today())

    assert api(staff).get(refund_url(refund)).json()["overdue"] is False
    assert ids(api(staff).get(REFUNDS, {"overdue": "true"})) == []


def test_a_self_study_refund_is_never_overdue(api, staff, member_a):
    refund = approved(bought(member_a, kind="self_study"), staff)

    body = api(staff).get(refund_url(refund)).json()
    assert (body["issue_by"], body["overdue"]) == (None, False)


# -- Schema -----------------------------------------------------------------------------------


def test_schema_has_the_refund_operations(client):
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    request_ops = paths["/api/v1/enrollments/{enrollment_id}/refund-request/"]
    assert {"get", "post"} <= set(request_ops)
    assert "get" in paths["/api/v1/refunds/"]
    assert "get" in paths["/api/v1/refunds/{refund_id}/"]
    for action in ("approve", "deny", "issue"):
        assert "post" in paths[f"/api/v1/refunds/{{refund_id}}/{action}/"]
