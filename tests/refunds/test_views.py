"""Refund pages over HTTP (SPEC section 4): the member's "My purchases" and refund request
with the policy outcome shown before confirming; the staff queue and the decision page;
who may reach them; and a fixed number of queries for the two lists."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any, cast

import pytest
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cpe.models import Enrollment
from members.models import Member, User
from refunds.models import RefundRequest
from tests.conftest import sign_in
from tests.factories import MemberFactory, StaffFactory
from tests.refunds import builders
from tests.refunds.builders import (
    approved,
    days,
    denied,
    issued,
    requested,
    self_study_40_days_ago,
    today,
)

pytestmark = pytest.mark.django_db

PURCHASES = reverse("refunds:purchases")
QUEUE = reverse("refunds:staff_queue")
D = Decimal


def bought(member: Member, **kwargs: Any) -> Enrollment:
    """As ``builders.bought``, at 250.00 (a request today is eligible for 225.00)."""
    kwargs.setdefault("price", "250.00")
    return builders.bought(member, **kwargs)


def no_show(member: Member) -> Enrollment:
    return bought(member, enrolled_on=days(-20), starts_on=days(-1))


def request_url(enrollment: Enrollment) -> str:
    return reverse("refunds:request_refund", kwargs={"enrollment_id": enrollment.pk})


def decide_url(refund: RefundRequest) -> str:
    return reverse("refunds:decide", kwargs={"refund_id": refund.pk})


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def purchase_rows(response) -> dict[int, str]:
    """The HTML of each row of "My purchases", by enrollment id."""
    rows = re.findall(
        r'<tr data-testid="purchase-row" data-enrollment="(\d+)">(.*?)</tr>', text(response), re.S
    )
    return {int(pk): html for pk, html in rows}


def queue_ids(response) -> list[int]:
    assert response.status_code == 200
    return [r.pk for r, _overdue in response.context["rows"]]


def state_of(refund: RefundRequest) -> str:
    refund.refresh_from_db()
    return refund.state


def when(value: dt.datetime | None) -> str:
    return date_filter(timezone.localtime(value), "DATETIME_FORMAT")


def decided_line(refund: RefundRequest, staff: User) -> str:
    refund.refresh_from_db()
    return escape(f"decided by {staff.get_full_name()} on {when(refund.decided_at)}")


# -- Access ---------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, member_a, staff):
    refund = requested(bought(member_a))
    for url in (PURCHASES, request_url(refund.enrollment), QUEUE, decide_url(refund)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_members_get_403_on_the_staff_pages(member_client, member_a):
    refund = requested(bought(member_a))
    assert member_client.get(QUEUE).status_code == 403
    assert member_client.get(decide_url(refund)).status_code == 403
    response = member_client.post(decide_url(refund), {"action": "approve"})
    assert response.status_code == 403
    assert state_of(refund) == "requested"


def test_staff_have_no_purchases_page_of_their_own(staff_client):
    response = staff_client.get(PURCHASES)
    assert response.status_code == 403
    page = response.content.decode()
    assert "no member profile" in page
    assert reverse("refunds:staff_queue") in page


def test_unknown_refund_gives_404_to_staff(staff_client):
    assert (
        staff_client.get(reverse("refunds:decide", kwargs={"refund_id": 999999})).status_code == 404
    )


def test_member_b_cannot_open_or_post_member_a_refund_page(client, member_a, member_b, mailoutbox):
    enrollment = bought(member_a)
    sign_in(client, member_b.user)

    assert client.get(request_url(enrollment)).status_code == 404
    response = client.post(request_url(enrollment), {"reason": "Let me have it."})
    assert response.status_code == 404
    assert (
        client.get(reverse("refunds:request_refund", kwargs={"enrollment_id": 999999})).status_code
        == 404
    )
    assert not RefundRequest.objects.exists()
    assert mailoutbox == []


# -- My purchases ---------------------------------------------------------------------------


def test_my_purchases_lists_own_enrollments_with_state_and_request_link(
    member_client, member_a, member_b, staff
):
    fresh = bought(member_a, title="Fresh webinar")
    waiting = bought(member_a, title="Waiting webinar")
    requested(waiting)
    after_denial = bought(member_a, title="Denied webinar")
    denied(after_denial, staff)
    ok = bought(member_a, title="Approved webinar")
    approved(ok, staff)
    paid = bought(member_a, title="Issued webinar")
    issued(paid, staff, reference="BANK-4711")
    free = bought(member_a, price="0.00", title="Free webinar")
    other = bought(member_b, title="Bob's webinar")

    response = member_client.get(PURCHASES)
    rows = purchase_rows(response)

    assert set(rows) == {fresh.pk, waiting.pk, after_denial.pk, ok.pk, paid.pk, free.pk}
    assert other.pk not in rows and "Bob&#x27;s webinar" not in text(response)

    assert request_url(fresh) in rows[fresh.pk]
    assert ">Request a refund</a>" in rows[fresh.pk]
    assert 'data-testid="refund-state"' not in rows[fresh.pk]

    assert ">Requested</span>" in rows[waiting.pk]
    assert "the policy allows $225.00; waiting for IMA staff" in rows[waiting.pk]
    assert request_url(waiting) not in rows[waiting.pk]

    assert ">Denied</span>" in rows[after_denial.pk]
    assert "Not this time." in rows[after_denial.pk]
    assert request_url(after_denial) in rows[after_denial.pk]
    assert "Request a refund again" in rows[after_denial.pk]

    assert ">Approved</span>" in rows[ok.pk]
    assert "$225.00 approved" in rows[ok.pk]
    assert request_url(ok) not in rows[ok.pk]

    assert ">Issued</span>" in rows[paid.pk]
    assert "$225.00 refunded · reference BANK-4711" in rows[paid.pk]
    assert request_url(paid) not in rows[paid.pk]

    assert request_url(free) not in rows[free.pk]
    assert "Nothing paid, nothing to refund" in rows[free.pk]


def test_my_purchases_without_any_says_so(member_client):
    assert "You have not bought or registered for anything yet." in text(
        member_client.get(PURCHASES)
    )


# -- The request page -----------------------------------------------------------------------


def test_request_page_shows_the_eligible_outcome_before_confirming_and_stores_nothing(
    member_client, member_a, mailoutbox
):
    enrollment = bought(member_a)

    page = text(member_client.get(request_url(enrollment)))

    assert 'data-reason-code="eligible"' in page
    assert "Refund under the policy: $225.00" in page
    assert "less the 10 % processing fee of $25.00" in page
    assert "Why do you ask for a refund?" in page
    assert "Send the refund request" in page
    assert not RefundRequest.objects.exists()
    assert mailoutbox == []


def test_request_page_shows_why_an_old_self_study_is_not_eligible(member_client, member_a):
    enrollment = self_study_40_days_ago(member_a)

    page = text(member_client.get(request_url(enrollment)))

    assert 'data-reason-code="window_expired"' in page
    assert "The policy allows no refund" in page
    assert "the request comes 40 days after the purchase" in page
    assert "staff can grant a refund in special circumstances" in page
    assert "Send the refund request" in page  # still possible to ask
    assert not RefundRequest.objects.exists()


def test_request_page_of_a_no_show_says_no_refund(member_client, member_a):
    page = text(member_client.get(request_url(no_show(member_a))))
    assert 'data-reason-code="no_show"' in page
    assert "the policy gives no refunds to no-shows" in page


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_post_without_reason_shows_an_error_and_stores_nothing(
    member_client, member_a, mailoutbox, reason
):
    enrollment = bought(member_a)

    page = text(member_client.post(request_url(enrollment), {"reason": reason}))

    assert "Tell IMA in a few words why you ask." in page
    assert 'role="alert"' in page
    assert "Refund under the policy: $225.00" in page  # the outcome is still shown
    assert not RefundRequest.objects.exists()
    assert mailoutbox == []


def test_post_with_reason_creates_the_request_redirects_and_emails(
    member_client, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = bought(member_a, title="Budgeting live")

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            request_url(enrollment), {"reason": "  My flight was cancelled.  "}
        )

    assert response.status_code == 302
    assert response["Location"] == PURCHASES
    refund = RefundRequest.objects.get()
    assert refund.enrollment == enrollment
    assert refund.member == member_a
    assert refund.created_by == member_a.user
    assert refund.reason == "My flight was cancelled."
    assert refund.state == "requested"
    assert refund.requested_on == today()
    assert (refund.eligible, refund.reason_code) == (True, "eligible")
    assert (refund.price, refund.fee, refund.amount) == (D("250.00"), D("25.00"), D("225.00"))
    assert refund.issue_by == days(10 + 30)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [member_a.user.email]
    assert mail.subject == "We received your refund request: Budgeting live"
    assert "Eligible: a refund of $225.00" in mail.body

    page = text(member_client.get(PURCHASES))
    assert "Your refund request was sent. We emailed you a confirmation." in page
    assert ">Requested</span>" in purchase_rows(member_client.get(PURCHASES))[enrollment.pk]


def test_ineligible_request_is_stored_with_its_policy_outcome(member_client, member_a):
    enrollment = self_study_40_days_ago(member_a)

    response = member_client.post(request_url(enrollment), {"reason": "I forgot to ask."})

    assert response.status_code == 302
    refund = RefundRequest.objects.get()
    assert (refund.eligible, refund.reason_code, refund.amount) == (
        False,
        "window_expired",
        D("0.00"),
    )
    assert refund.issue_by is None


def test_second_request_while_one_is_open_is_refused(
    member_client, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = bought(member_a)
    first = requested(enrollment)

    page = text(member_client.get(request_url(enrollment)))
    assert 'data-testid="open-request"' in page
    assert "the request is requested" in page
    assert "Send the refund request" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(request_url(enrollment), {"reason": "Again, please."})

    assert response.status_code == 302
    assert response["Location"] == PURCHASES
    assert "This purchase already has an open refund request." in text(member_client.get(PURCHASES))
    assert list(RefundRequest.objects.all()) == [first]
    assert mailoutbox == []


def test_a_new_request_may_follow_a_denial(member_client, member_a, staff):
    enrollment = bought(member_a)
    first = denied(enrollment, staff)

    page = text(member_client.get(request_url(enrollment)))
    assert 'data-testid="open-request"' not in page
    assert "Send the refund request" in page

    response = member_client.post(request_url(enrollment), {"reason": "New facts."})

    assert response.status_code == 302
    assert RefundRequest.objects.count() == 2
    second = RefundRequest.objects.exclude(pk=first.pk).get()
    assert second.state == "requested"


def test_nothing_to_refund_when_nothing_was_paid(member_client, member_a):
    enrollment = bought(member_a, price="0.00")

    page = text(member_client.get(request_url(enrollment)))
    assert "Nothing was paid for this registration, so there is nothing to refund." in page
    assert "Send the refund request" not in page

    response = member_client.post(request_url(enrollment), {"reason": "Free, but still."})
    assert response.status_code == 200
    assert not RefundRequest.objects.exists()


# -- Staff queue ----------------------------------------------------------------------------


def test_queue_shows_the_oldest_first_with_the_policy_outcome(staff_client, member_a):
    newest = requested(bought(member_a, title="Newest"))
    oldest = requested(self_study_40_days_ago(member_a))
    middle = requested(bought(member_a, title="Middle"))
    now = timezone.now()
    RefundRequest.objects.filter(pk=oldest.pk).update(created_at=now - dt.timedelta(days=3))
    RefundRequest.objects.filter(pk=middle.pk).update(created_at=now - dt.timedelta(days=2))
    RefundRequest.objects.filter(pk=newest.pk).update(created_at=now - dt.timedelta(days=1))

    response = staff_client.get(QUEUE)

    assert queue_ids(response) == [oldest.pk, middle.pk, newest.pk]
    page = text(response)
    assert page.count('data-testid="refund-row"') == 3
    assert "After the refund window" in page  # the old self-study (the days are policy)
    assert page.count(">Eligible</span>") == 2
    assert "$225.00" in page and "$0.00" in page
    assert "3 waiting for a decision · 0 approved, not yet issued" in page


def test_queue_filters_by_state(staff_client, member_a, staff):
    waiting = requested(bought(member_a))
    ok = approved(bought(member_a), staff)
    no = denied(bought(member_a), staff)
    paid = issued(bought(member_a), staff)

    def shown(state: str | None) -> set[int]:
        params = {} if state is None else {"state": state}
        return set(queue_ids(staff_client.get(QUEUE, params)))

    assert shown(None) == {waiting.pk, ok.pk}  # open by default
    assert shown("open") == {waiting.pk, ok.pk}
    assert shown("requested") == {waiting.pk}
    assert shown("approved") == {ok.pk}
    assert shown("denied") == {no.pk}
    assert shown("issued") == {paid.pk}
    assert shown("all") == {waiting.pk, ok.pk, no.pk, paid.pk}
    assert shown("overdue") == set()
    assert shown("nonsense") == {waiting.pk, ok.pk}  # an unknown filter falls back to open
    assert "No refund requests to show." in text(staff_client.get(QUEUE, {"state": "overdue"}))


def test_queue_flags_overdue_approved_event_refunds(staff_client, member_a, staff):
    late = approved(bought(member_a, title="Late"), staff)
    RefundRequest.objects.filter(pk=late.pk).update(issue_by=days(-1))
    due_today = approved(bought(member_a, title="Due today"), staff)
    RefundRequest.objects.filter(pk=due_today.pk).update(issue_by=today())
    paid_late = issued(bought(member_a, title="Paid late"), staff)
    RefundRequest.objects.filter(pk=paid_late.pk).update(issue_by=days(-5))

    response = staff_client.get(QUEUE)
    flags = {r.pk: overdue for r, overdue in response.context["rows"]}
    assert flags == {late.pk: True, due_today.pk: False}
    page = text(response)
    assert page.count('data-testid="overdue"') == 1
    assert 'href="?state=overdue">1 overdue</a>' in page

    assert queue_ids(staff_client.get(QUEUE, {"state": "overdue"})) == [late.pk]
    assert 'data-testid="overdue"' in text(staff_client.get(decide_url(late)))
    assert 'data-testid="overdue"' not in text(staff_client.get(decide_url(due_today)))


# -- Decision page --------------------------------------------------------------------------


def test_decision_page_shows_the_request_and_the_policy_outcome(staff_client, member_a):
    refund = requested(bought(member_a, title="Ethics live"), reason="Sick child.")

    page = text(staff_client.get(decide_url(refund)))

    assert "Refund request: Ethics live" in page
    assert member_a.member_number in page
    assert "Sick child." in page
    assert 'data-testid="policy-outcome" data-reason-code="eligible"' in page
    assert "$25.00 (10 %)" in page
    assert "Approve $225.00" in page
    assert "Approve for special circumstances" in page
    assert ">Deny</button>" in page


def test_approve_an_eligible_request(
    staff_client, staff, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    refund = requested(bought(member_a))

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(decide_url(refund), {"action": "approve"})

    assert response.status_code == 302
    assert response["Location"] == decide_url(refund)
    refund.refresh_from_db()
    assert refund.state == "approved"
    assert refund.amount == D("225.00")
    assert not refund.special_circumstances
    assert refund.decided_by == staff
    assert refund.decided_at is not None
    assert [m.subject for m in mailoutbox] == [
        f"Your refund was approved: {refund.enrollment.offering.title}"
    ]

    page = text(staff_client.get(response["Location"]))
    assert "Approved the refund of $225.00. The member is told by email." in page
    assert decided_line(refund, staff) in page
    assert "Mark $225.00 issued" in page
    assert "Payment reference" in page


def test_deny_an_eligible_request_needs_a_reason(staff_client, staff, member_a):
    refund = requested(bought(member_a))

    page = text(staff_client.post(decide_url(refund), {"action": "deny", "reason": "  "}))

    assert "The policy allows this refund; say why it is denied." in page
    assert state_of(refund) == "requested"

    response = staff_client.post(
        decide_url(refund), {"action": "deny", "reason": "Already refunded by phone."}
    )
    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.state == "denied"
    assert refund.decision_reason == "Already refunded by phone."
    page = text(staff_client.get(decide_url(refund)))
    assert "Denied the refund request." in page
    assert "Already refunded by phone." in page
    assert decided_line(refund, staff) in page
    assert ">Deny</button>" not in page  # nothing left to decide


def test_deny_an_ineligible_request_keeps_the_policy_explanation(staff_client, member_a):
    refund = requested(self_study_40_days_ago(member_a))

    response = staff_client.post(decide_url(refund), {"action": "deny"})

    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.state == "denied"
    assert refund.decision_reason == ""  # staff wrote nothing; the policy's reason is shown
    page = staff_client.get(decide_url(refund)).content.decode()
    assert refund.policy_reason.startswith("Not eligible: the request comes 40 days after")
    assert f"<dt>Decision reason</dt><dd>{escape(refund.policy_reason)}</dd>" in page


def test_plain_approve_of_an_ineligible_request_asks_for_special_circumstances(
    staff_client, member_a
):
    refund = requested(self_study_40_days_ago(member_a))

    page = text(staff_client.get(decide_url(refund)))
    assert "Approve $0.00" not in page  # no plain approve button
    assert "Approve for special circumstances" in page

    page = text(staff_client.post(decide_url(refund), {"action": "approve"}))
    assert "To grant special circumstances, enter the amount to refund and the reason." in page
    assert state_of(refund) == "requested"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"reason": "Hospital stay."}, "Enter the amount to refund."),
        ({"amount": "120.01", "reason": "Hospital stay."}, "cannot exceed the price paid"),
        ({"amount": "0", "reason": "Hospital stay."}, "Enter an amount above 0"),
        ({"amount": "-5", "reason": "Hospital stay."}, "Enter an amount above 0"),
        ({"amount": "abc", "reason": "Hospital stay."}, "Enter a number."),
        ({"amount": "60.00", "reason": " "}, "Special circumstances need a reason"),
    ],
)
def test_special_circumstances_need_an_amount_up_to_the_price_and_a_reason(
    staff_client, member_a, mailoutbox, data, error
):
    refund = requested(self_study_40_days_ago(member_a))  # price 120.00

    page = text(staff_client.post(decide_url(refund), {"action": "special", **data}))

    assert error in page
    assert 'role="alert"' in page
    refund.refresh_from_db()
    assert (refund.state, refund.amount, refund.special_circumstances) == (
        "requested",
        D("0.00"),
        False,
    )
    assert mailoutbox == []


def test_special_circumstances_on_an_ineligible_request(
    staff_client, staff, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    refund = requested(self_study_40_days_ago(member_a))  # price 120.00

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            decide_url(refund),
            {"action": "special", "amount": "120.00", "reason": "Hospital stay."},
        )

    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.state == "approved"
    assert refund.special_circumstances
    assert refund.amount == D("120.00")
    assert refund.policy_amount == D("0.00")
    assert refund.decision_reason == "Hospital stay."
    assert refund.decided_by == staff
    assert len(mailoutbox) == 1
    assert "special circumstances: Hospital stay." in mailoutbox[0].body

    page = text(staff_client.get(decide_url(refund)))
    assert (
        "Approved a refund of $120.00 for special circumstances. The member is told by email."
        in page
    )
    assert "$120.00 · special circumstances (policy: $0.00)" in page
    assert decided_line(refund, staff) in page


def test_special_circumstances_on_an_eligible_request_need_a_reason(staff_client, member_a):
    refund = requested(bought(member_a))  # price 250.00, policy refund 225.00

    page = text(staff_client.post(decide_url(refund), {"action": "special", "amount": "250.00"}))
    assert "Special circumstances need a reason" in page
    assert state_of(refund) == "requested"

    response = staff_client.post(
        decide_url(refund),
        {"action": "special", "amount": "250.00", "reason": "Event moved by IMA."},
    )
    assert response.status_code == 302
    refund.refresh_from_db()
    assert (refund.state, refund.amount, refund.special_circumstances) == (
        "approved",
        D("250.00"),
        True,
    )
    assert refund.fee == D("25.00")  # the policy figure stays


def test_no_show_has_no_special_circumstances_and_cannot_be_approved(staff_client, staff, member_a):
    refund = requested(no_show(member_a))

    page = text(staff_client.get(decide_url(refund)))
    assert 'data-reason-code="no_show"' in page
    assert "Approve for special circumstances" not in page
    assert 'name="amount"' not in page
    assert 'value="approve"' not in page
    assert "Refunds are not given for no-shows, and no special circumstances apply." in page

    for data in (
        {"action": "approve"},
        {"action": "special", "amount": "10.00", "reason": "Please."},
    ):
        response = staff_client.post(decide_url(refund), data)
        assert response.status_code == 200
        assert state_of(refund) == "requested"

    response = staff_client.post(decide_url(refund), {"action": "deny"})
    assert response.status_code == 302
    assert state_of(refund) == "denied"


def test_refused_no_show_approval_tells_staff_why(staff_client, member_a):
    refund = requested(no_show(member_a))

    page = text(staff_client.post(decide_url(refund), {"action": "approve"}))

    assert "Refunds are not given for no-shows, and no special circumstances apply to them." in (
        page
    )


def test_issue_needs_a_reference(
    staff_client, staff, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    refund = approved(bought(member_a), staff)

    page = text(staff_client.post(decide_url(refund), {"action": "issue", "reference": " "}))
    assert "Enter the payment reference of the refund." in page
    assert state_of(refund) == "approved"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            decide_url(refund), {"action": "issue", "reference": "WIRE-2026-0042"}
        )

    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.state == "issued"
    assert refund.reference == "WIRE-2026-0042"
    assert refund.issued_by == staff
    assert [m.subject for m in mailoutbox] == [
        f"Your refund was issued: {refund.enrollment.offering.title}"
    ]
    assert "Payment reference: WIRE-2026-0042" in mailoutbox[0].body

    page = text(staff_client.get(decide_url(refund)))
    assert "Marked the refund of $225.00 as issued." in page
    issued_line = escape(
        f"reference WIRE-2026-0042, by {staff.get_full_name()} on {when(refund.issued_at)}"
    )
    assert issued_line in page
    assert decided_line(refund, staff) in page  # the approval stays on record
    assert "Mark $225.00 issued" not in page


def test_issuing_twice_from_a_stale_form_keeps_one_issue(
    staff_client, staff, member_a, mailoutbox, django_capture_on_commit_callbacks
):
    refund = approved(bought(member_a), staff)

    with django_capture_on_commit_callbacks(execute=True):
        first = staff_client.post(decide_url(refund), {"action": "issue", "reference": "A-1"})
        second = staff_client.post(decide_url(refund), {"action": "issue", "reference": "B-2"})

    assert first.status_code == second.status_code == 302
    page = text(staff_client.get(second["Location"]))
    assert "This refund was already issued (reference A-1); it is issued only once." in page
    refund.refresh_from_db()
    assert (refund.state, refund.reference, refund.issued_by) == ("issued", "A-1", staff)
    assert len(mailoutbox) == 1


def test_issuing_from_two_sessions_keeps_one_issue(staff_client, staff, member_a):
    refund = approved(bought(member_a), staff)
    otto = cast(User, StaffFactory(email="otto@ima.example"))
    colleague = sign_in(Client(), otto)

    assert (
        staff_client.post(decide_url(refund), {"action": "issue", "reference": "A-1"}).status_code
        == 302
    )
    response = colleague.post(
        decide_url(refund), {"action": "issue", "reference": "B-2"}, follow=True
    )
    assert "it is issued only once" in text(response)
    refund.refresh_from_db()
    assert (refund.reference, refund.issued_by) == ("A-1", staff)


def test_stale_decisions_on_a_decided_request_are_refused(staff_client, staff, member_a):
    refund = denied(bought(member_a), staff)

    for action in ("approve", "deny"):
        response = staff_client.post(
            decide_url(refund), {"action": action, "reason": "x"}, follow=True
        )
        assert "This refund request is already denied" in text(response)
    response = staff_client.post(
        decide_url(refund), {"action": "issue", "reference": "X"}, follow=True
    )
    assert "Only an approved refund can be issued; this request is denied." in text(response)
    refund.refresh_from_db()
    assert (refund.state, refund.reference) == ("denied", "")


def test_a_post_without_an_action_changes_nothing(staff_client, member_a):
    refund = requested(bought(member_a))

    page = text(staff_client.post(decide_url(refund), {"action": "delete"}))

    assert "Choose an action." in page
    assert state_of(refund) == "requested"


# -- Query counts ---------------------------------------------------------------------------


def _add_purchases(member: Member, staff: User, n: int) -> None:
    for i in range(n):
        enrollment = bought(member)
        if i % 3 == 1:
            requested(enrollment)
        elif i % 3 == 2:
            approved(enrollment, staff)


def test_my_purchases_runs_the_same_number_of_queries_for_3_and_30_rows(
    member_client, member_a, staff
):
    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = member_client.get(PURCHASES)
        return len(queries), len(purchase_rows(response))

    member_client.get(PURCHASES)  # warm up the session
    _add_purchases(member_a, staff, 3)
    small, shown_small = measure()
    _add_purchases(member_a, staff, 27)
    large, shown_large = measure()

    assert (shown_small, shown_large) == (3, 30)
    assert small == large


def test_staff_queue_runs_the_same_number_of_queries_for_3_and_30_rows(staff_client, staff):
    def add(n: int) -> None:
        for i in range(n):  # each request of its own member, in every state
            enrollment = bought(cast(Member, MemberFactory()))
            [requested, approved_, denied_, issued_][i % 4](enrollment)

    def approved_(enrollment: Enrollment) -> RefundRequest:
        return approved(enrollment, staff)

    def denied_(enrollment: Enrollment) -> RefundRequest:
        return denied(enrollment, staff)

    def issued_(enrollment: Enrollment) -> RefundRequest:
        return issued(enrollment, staff)

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(QUEUE, {"state": "all"})
        return len(queries), len(queue_ids(response))

    staff_client.get(QUEUE)  # warm up the session
    add(3)
    small, shown_small = measure()
    add(27)
    large, shown_large = measure()

    assert (shown_small, shown_large) == (3, 30)
    assert small == large
