"""Refund services on PostgreSQL (SPEC section 4): a request stores the policy outcome of
its day, staff approve (with special circumstances), deny and issue, each step once and by
the rules, with one email to the member per step; and concurrent clicks change a request
once (real threads, real row locks)."""

import threading
from typing import Any, cast

import pytest
from django.db import connection
from django.utils import timezone

from cpe.models import Enrollment, Offering
from cpe.services import offerings as cpe_offerings
from imaportal.exceptions import Conflict, InvalidInput, NotFound
from imaportal.formatting import day
from members.models import User
from refunds import services
from refunds.models import RefundRequest
from tests.factories import OfferingFactory
from tests.refunds.builders import D, bought, days, no_show, self_study_40_days_ago, today

pytestmark = pytest.mark.django_db


def request(enrollment: Enrollment, reason: str = "I cannot attend.") -> RefundRequest:
    return services.request_refund(enrollment=enrollment, by=enrollment.member.user, reason=reason)


def approve(refund: RefundRequest, staff: User, **kwargs: Any) -> RefundRequest:
    return services.approve_refund(refund=refund, by=staff, **kwargs)


def issue(refund: RefundRequest, staff: User, reference: str = "PAY-1") -> RefundRequest:
    return services.issue_refund(refund=refund, by=staff, reference=reference)


def fresh(refund: RefundRequest) -> RefundRequest:
    return RefundRequest.objects.get(pk=refund.pk)


# -- Request -------------------------------------------------------------------------------


def test_request_stores_the_policy_outcome_of_today(member_a):
    enrollment = bought(member_a)

    refund = request(enrollment, reason="  My flight was cancelled.  ")

    stored = fresh(refund)
    assert stored.state == "requested"
    assert stored.enrollment == enrollment
    assert stored.member == member_a
    assert stored.created_by == member_a.user
    assert stored.reason == "My flight was cancelled."
    assert stored.requested_on == today()
    assert (stored.eligible, stored.reason_code) == (True, "eligible")
    assert (stored.price, stored.fee, stored.amount) == (D("99.99"), D("10.00"), D("89.99"))
    assert stored.policy_amount == D("89.99")
    assert stored.fee_percent == D("10.00")
    assert stored.currency == "USD"
    assert stored.issue_by == days(10 + 30)
    assert stored.special_circumstances is False
    assert (stored.decided_by, stored.decided_at, stored.issued_by, stored.issued_at) == (
        None,
        None,
        None,
        None,
    )
    assert stored.policy_reason == (
        "Eligible: a refund of $89.99 (the price of $99.99 less the 10 % processing fee of $10.00)."
    )


def test_request_uses_the_price_paid_not_the_offering_price_of_today(member_a):
    offering = cast(
        Offering,
        OfferingFactory(
            kind="self_study", price=D("100.00"), starts_on=None, title="Cost accounting"
        ),
    )
    enrollment = cpe_offerings.enroll(offering=offering, member=member_a, by=member_a.user)
    Offering.objects.filter(pk=offering.pk).update(price=D("250.00"))
    enrollment = Enrollment.objects.select_related("offering", "member__user").get(pk=enrollment.pk)
    assert enrollment.offering.price == D("250.00")

    refund = request(enrollment)

    assert (refund.price, refund.fee, refund.amount) == (D("100.00"), D("10.00"), D("90.00"))
    assert refund.issue_by is None  # not an event


def test_request_of_an_ineligible_enrollment_stores_why(member_a):
    refund = request(self_study_40_days_ago(member_a))

    stored = fresh(refund)
    assert (stored.eligible, stored.reason_code) == (False, "window_expired")
    assert (stored.price, stored.fee, stored.amount) == (D("120.00"), D("12.00"), D("0.00"))
    assert stored.policy_amount == D("0.00")
    assert stored.policy_reason.startswith("Not eligible: the request comes 40 days after")


def test_request_of_a_final_tested_self_study_is_final_test_taken(member_a):
    refund = request(bought(member_a, kind="self_study", final_test_taken=True))

    assert (refund.eligible, refund.reason_code, refund.amount) == (
        False,
        "final_test_taken",
        D("0.00"),
    )


def test_request_after_the_start_by_a_non_attendee_is_a_no_show(member_a):
    refund = request(no_show(member_a))

    assert (refund.eligible, refund.reason_code, refund.amount) == (False, "no_show", D("0.00"))


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_request_needs_a_reason(member_a, reason):
    with pytest.raises(InvalidInput) as error:
        request(bought(member_a), reason=reason)

    assert set(error.value.errors) == {"reason"}
    assert not RefundRequest.objects.exists()


def test_request_reason_has_a_length_limit(member_a):
    with pytest.raises(InvalidInput) as error:
        request(bought(member_a), reason="x" * (services.REASON_MAX_LENGTH + 1))

    assert set(error.value.errors) == {"reason"}


def test_nothing_paid_means_nothing_to_refund(member_a):
    enrollment = bought(member_a, price="0.00")

    with pytest.raises(InvalidInput) as error:
        request(enrollment)

    assert set(error.value.errors) == {"enrollment"}
    assert not RefundRequest.objects.exists()


def test_only_the_member_files_the_request(member_a, member_b, staff):
    enrollment = bought(member_a)

    for someone_else in (member_b.user, staff):
        with pytest.raises(NotFound):
            services.request_refund(enrollment=enrollment, by=someone_else, reason="Please.")
    assert not RefundRequest.objects.exists()


def test_second_open_request_is_a_conflict(member_a):
    enrollment = bought(member_a)
    first = request(enrollment)

    with pytest.raises(Conflict, match="already has an open refund request"):
        request(enrollment, reason="Again, please.")

    assert list(RefundRequest.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_new_request_may_follow_a_denial(member_a, staff):
    enrollment = bought(member_a)
    first = services.deny_refund(refund=request(enrollment), by=staff, reason="Seat transferred.")

    second = request(enrollment, reason="Now I really cannot come.")

    assert second.pk != first.pk
    assert second.state == "requested"
    assert dict(RefundRequest.objects.values_list("pk", "state")) == {
        first.pk: "denied",
        second.pk: "requested",
    }
    # ...and that one blocks a third.
    with pytest.raises(Conflict):
        request(enrollment)


def test_an_approved_request_blocks_another(member_a, staff):
    enrollment = bought(member_a)
    approve(request(enrollment), staff)

    with pytest.raises(Conflict, match="already been approved"):
        request(enrollment)


def test_an_issued_request_blocks_another(member_a, staff):
    enrollment = bought(member_a)
    issue(approve(request(enrollment), staff), staff)

    with pytest.raises(Conflict, match="already been refunded"):
        request(enrollment)
    assert RefundRequest.objects.count() == 1


def test_the_database_allows_one_open_request_per_enrollment(member_a):
    """The partial unique index is the backstop of the check in the service."""
    from django.db import IntegrityError, transaction

    refund = request(bought(member_a))
    copy = {
        f.attname: getattr(refund, f.attname)
        for f in RefundRequest._meta.concrete_fields
        if not f.primary_key
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        RefundRequest.objects.create(**copy)
    RefundRequest.objects.create(**{**copy, "state": "denied", "decided_at": timezone.now()})
    assert RefundRequest.objects.count() == 2


# -- Approve -------------------------------------------------------------------------------


def test_approve_an_eligible_request_refunds_the_policy_amount(member_a, staff):
    refund = request(bought(member_a))
    before = timezone.now()

    approved = approve(refund, staff)

    stored = fresh(approved)
    assert stored.state == "approved"
    assert (stored.amount, stored.fee, stored.policy_amount) == (
        D("89.99"),
        D("10.00"),
        D("89.99"),
    )
    assert stored.special_circumstances is False
    assert stored.decision_reason == ""
    assert stored.decided_by == staff
    assert stored.decided_at is not None
    assert before <= stored.decided_at <= timezone.now()
    assert (stored.issued_by, stored.issued_at, stored.reference) == (None, None, "")


def test_approve_an_eligible_request_with_its_own_amount_is_no_special_case(member_a, staff):
    approved = approve(request(bought(member_a)), staff, amount="89.99")

    assert approved.special_circumstances is False
    assert approved.amount == D("89.99")


def test_more_than_the_policy_amount_on_an_eligible_request_needs_a_reason(member_a, staff):
    refund = request(bought(member_a))

    with pytest.raises(InvalidInput) as error:
        approve(refund, staff, amount="99.99")
    assert set(error.value.errors) == {"reason"}
    assert fresh(refund).state == "requested"

    approved = approve(refund, staff, amount="99.99", reason="The event was rescheduled by IMA.")
    assert (approved.amount, approved.fee, approved.special_circumstances) == (
        D("99.99"),
        D("10.00"),
        True,
    )


def test_approve_an_ineligible_request_without_an_amount_is_refused(member_a, staff):
    refund = request(self_study_40_days_ago(member_a))

    with pytest.raises(InvalidInput) as error:
        approve(refund, staff)

    assert "amount" in error.value.errors
    assert fresh(refund).state == "requested"


def test_special_circumstances_need_a_reason(member_a, staff):
    refund = request(self_study_40_days_ago(member_a))

    with pytest.raises(InvalidInput) as error:
        approve(refund, staff, amount="50.00")
    assert set(error.value.errors) == {"reason"}

    with pytest.raises(InvalidInput) as error:
        approve(refund, staff, amount="50.00", reason="   ")
    assert set(error.value.errors) == {"reason"}
    assert fresh(refund).state == "requested"


@pytest.mark.parametrize("amount", ["120.01", "500.00", "0.00", "0", "-5.00", "12.345", "abc"])
def test_special_circumstances_need_an_amount_above_0_and_up_to_the_price(member_a, staff, amount):
    refund = request(self_study_40_days_ago(member_a))  # price 120.00

    with pytest.raises(InvalidInput) as error:
        approve(refund, staff, amount=amount, reason="Hospitalised.")

    assert set(error.value.errors) == {"amount"}
    assert fresh(refund).state == "requested"


def test_special_circumstances_on_an_ineligible_request(member_a, staff):
    refund = request(self_study_40_days_ago(member_a))

    approved = approve(refund, staff, amount=D("60.00"), reason="  Hospitalised all month.  ")

    stored = fresh(approved)
    assert stored.state == "approved"
    assert stored.amount == D("60.00")
    assert stored.fee == D("12.00")  # the policy figure stays
    assert stored.policy_amount == D("0.00")
    assert (stored.eligible, stored.reason_code) == (False, "window_expired")
    assert stored.special_circumstances is True
    assert stored.decision_reason == "Hospitalised all month."
    assert stored.decided_by == staff
    assert stored.decided_at is not None


def test_special_circumstances_up_to_the_full_price(member_a, staff):
    approved = approve(
        request(self_study_40_days_ago(member_a)), staff, amount="120.00", reason="IMA's error."
    )

    assert approved.amount == D("120.00")


def test_a_too_late_request_may_get_special_circumstances(member_a, staff):
    refund = request(bought(member_a, starts_on=days(2)))
    assert refund.reason_code == "too_late"

    approved = approve(refund, staff, amount="45.00", reason="A death in the family.")

    assert (approved.state, approved.amount, approved.special_circumstances) == (
        "approved",
        D("45.00"),
        True,
    )


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"amount": "50.00", "reason": "Stuck in traffic."}, {"amount": "99.99", "reason": "x"}],
)
def test_a_no_show_gets_no_special_circumstances(member_a, staff, kwargs):
    refund = request(no_show(member_a))

    with pytest.raises(InvalidInput):
        approve(refund, staff, **kwargs)

    stored = fresh(refund)
    assert (stored.state, stored.amount, stored.special_circumstances) == (
        "requested",
        D("0.00"),
        False,
    )


def test_approve_twice_is_a_conflict(member_a, staff):
    refund = approve(request(bought(member_a)), staff)

    with pytest.raises(Conflict):
        approve(refund, staff)
    with pytest.raises(Conflict):
        approve(refund, staff, amount="10.00", reason="Again.")


def test_a_denied_request_cannot_be_approved(member_a, staff):
    refund = services.deny_refund(refund=request(bought(member_a)), by=staff, reason="No.")

    with pytest.raises(Conflict):
        approve(refund, staff)
    assert fresh(refund).state == "denied"


def test_approve_works_from_a_stale_copy(member_a, staff):
    """The service locks and re-reads the row: a stale object in hand does not matter."""
    refund = request(bought(member_a))
    stale = RefundRequest.objects.get(pk=refund.pk)
    approve(refund, staff)

    with pytest.raises(Conflict):
        services.deny_refund(refund=stale, by=staff, reason="Too late now.")
    assert fresh(refund).state == "approved"


# -- Deny ----------------------------------------------------------------------------------


def test_deny_an_eligible_request_needs_a_reason(member_a, staff):
    refund = request(bought(member_a))

    for blank in ("", "   "):
        with pytest.raises(InvalidInput) as error:
            services.deny_refund(refund=refund, by=staff, reason=blank)
        assert set(error.value.errors) == {"reason"}
    assert fresh(refund).state == "requested"

    denied = services.deny_refund(refund=refund, by=staff, reason="  Seat transferred.  ")

    stored = fresh(denied)
    assert stored.state == "denied"
    assert stored.decision_reason == "Seat transferred."
    assert stored.decided_by == staff
    assert stored.decided_at is not None
    assert stored.amount == D("89.99")  # the policy outcome stays on record


def test_deny_an_ineligible_request_without_a_reason_keeps_the_policy_sentence(member_a, staff):
    refund = request(self_study_40_days_ago(member_a))

    denied = services.deny_refund(refund=refund, by=staff)

    stored = fresh(denied)
    assert stored.state == "denied"
    # Only what staff wrote is stored; the policy's reason is shown in its place.
    assert stored.decision_reason == ""
    assert stored.decision_reason_shown == stored.policy_reason
    assert stored.decision_reason_shown.startswith("Not eligible: the request comes 40 days after")
    assert stored.decided_by == staff


def test_deny_a_no_show_without_a_reason(member_a, staff):
    denied = services.deny_refund(refund=request(no_show(member_a)), by=staff)

    assert denied.state == "denied"
    assert "refunds are not given for no-shows" in denied.decision_reason_shown


def test_deny_after_approve_is_a_conflict(member_a, staff):
    refund = approve(request(bought(member_a)), staff)

    with pytest.raises(Conflict):
        services.deny_refund(refund=refund, by=staff, reason="Changed my mind.")
    assert fresh(refund).state == "approved"


def test_deny_twice_is_a_conflict(member_a, staff):
    refund = services.deny_refund(refund=request(bought(member_a)), by=staff, reason="No.")

    with pytest.raises(Conflict):
        services.deny_refund(refund=refund, by=staff, reason="Still no.")


# -- Issue ---------------------------------------------------------------------------------


def test_issue_an_approved_refund(member_a, staff):
    refund = approve(request(bought(member_a)), staff)
    before = timezone.now()

    issued = issue(refund, staff, reference="  PAY-2026-0042  ")

    stored = fresh(issued)
    assert stored.state == "issued"
    assert stored.reference == "PAY-2026-0042"
    assert stored.issued_by == staff
    assert stored.issued_at is not None
    assert before <= stored.issued_at <= timezone.now()
    assert stored.amount == D("89.99")
    assert stored.decided_by == staff  # the approval stays on record


def test_issue_a_requested_refund_is_a_conflict(member_a, staff):
    refund = request(bought(member_a))

    with pytest.raises(Conflict):
        issue(refund, staff)
    assert fresh(refund).state == "requested"


def test_issue_a_denied_refund_is_a_conflict(member_a, staff):
    refund = services.deny_refund(refund=request(bought(member_a)), by=staff, reason="No.")

    with pytest.raises(Conflict):
        issue(refund, staff)
    assert fresh(refund).state == "denied"


@pytest.mark.parametrize("reference", ["", "   "])
def test_issue_needs_a_reference(member_a, staff, reference):
    refund = approve(request(bought(member_a)), staff)

    with pytest.raises(InvalidInput) as error:
        issue(refund, staff, reference=reference)

    assert set(error.value.errors) == {"reference"}
    stored = fresh(refund)
    assert (stored.state, stored.reference, stored.issued_by) == ("approved", "", None)


def test_issue_twice_is_a_conflict(member_a, staff):
    refund = issue(approve(request(bought(member_a)), staff), staff, reference="PAY-1")

    with pytest.raises(Conflict) as error:
        issue(refund, staff, reference="PAY-2")

    assert "PAY-1" in error.value.message
    stored = fresh(refund)
    assert (stored.state, stored.reference) == ("issued", "PAY-1")


def test_an_issued_refund_cannot_be_approved_or_denied(member_a, staff):
    refund = issue(approve(request(bought(member_a)), staff), staff)

    with pytest.raises(Conflict):
        approve(refund, staff)
    with pytest.raises(Conflict):
        services.deny_refund(refund=refund, by=staff, reason="No.")
    assert fresh(refund).state == "issued"


# -- Emails --------------------------------------------------------------------------------


def test_one_email_per_step_to_the_member(
    member_a, staff, mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = bought(member_a, title="Budgeting live")

    with django_capture_on_commit_callbacks(execute=True):
        refund = request(enrollment)
    assert len(mailoutbox) == 1
    mail = mailoutbox[-1]
    assert mail.to == [member_a.user.email]
    assert mail.subject == "We received your refund request: Budgeting live"
    assert "Eligible: a refund of $89.99" in mail.body

    with django_capture_on_commit_callbacks(execute=True):
        approve(refund, staff)
    assert len(mailoutbox) == 2
    mail = mailoutbox[-1]
    assert mail.to == [member_a.user.email]
    assert mail.subject == "Your refund was approved: Budgeting live"
    assert "$89.99" in mail.body
    assert day(days(40)) in mail.body  # the issue-by date of an event

    with django_capture_on_commit_callbacks(execute=True):
        issue(refund, staff, reference="PAY-77")
    assert len(mailoutbox) == 3
    mail = mailoutbox[-1]
    assert mail.to == [member_a.user.email]
    assert mail.subject == "Your refund was issued: Budgeting live"
    assert "$89.99" in mail.body
    assert "PAY-77" in mail.body


def test_denial_email_gives_the_reason(
    member_a, staff, mailoutbox, django_capture_on_commit_callbacks
):
    refund = request(bought(member_a, title="Ethics live"))

    with django_capture_on_commit_callbacks(execute=True):
        services.deny_refund(refund=refund, by=staff, reason="The seat went to a colleague.")

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [member_a.user.email]
    assert mail.subject == "Your refund request was not approved: Ethics live"
    assert "The seat went to a colleague." in mail.body


def test_special_circumstances_email_gives_amount_and_reason(
    member_a, staff, mailoutbox, django_capture_on_commit_callbacks
):
    refund = request(self_study_40_days_ago(member_a))

    with django_capture_on_commit_callbacks(execute=True):
        approve(refund, staff, amount="60.00", reason="Hospitalised all month.")

    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "$60.00" in body
    assert "Hospitalised all month." in body


def test_refused_steps_send_no_email(
    member_a, staff, mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = bought(member_a)
    refund = request(enrollment)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for step in (
            lambda: request(enrollment),
            lambda: services.deny_refund(refund=refund, by=staff),
            lambda: issue(refund, staff),
        ):
            with pytest.raises((Conflict, InvalidInput)):
                step()

    assert callbacks == []
    assert mailoutbox == []


def test_mail_is_sent_only_after_commit(member_a, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request(bought(member_a))

    assert len(callbacks) == 1
    assert mailoutbox == []


# -- Concurrency (real threads, real transactions) --------------------------------------------


def _run_at_once(work, n: int = 2) -> list[str]:
    """Run ``work()`` in ``n`` threads released together; each result or error name."""
    barrier = threading.Barrier(n)
    results: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            outcome = work()
        except Exception as exc:
            outcome = type(exc).__name__
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return sorted(results)


@pytest.mark.django_db(transaction=True)
def test_two_staff_issuing_at_once_issue_once(member_a, staff, mailoutbox):
    refund = approve(request(bought(member_a)), staff)
    references = iter(["PAY-A", "PAY-B"])
    ref_lock = threading.Lock()

    def work() -> str:
        with ref_lock:
            reference = next(references)
        copy = RefundRequest.objects.get(pk=refund.pk)  # each thread's own (stale) copy
        issue(copy, staff, reference=reference)
        return "issued"

    assert _run_at_once(work) == ["Conflict", "issued"]

    stored = fresh(refund)
    assert stored.state == "issued"
    assert stored.reference in {"PAY-A", "PAY-B"}
    assert stored.issued_by == staff
    assert RefundRequest.objects.filter(state="issued").count() == 1
    issued_mails = [m for m in mailoutbox if m.subject.startswith("Your refund was issued")]
    assert len(issued_mails) == 1
    assert stored.reference in issued_mails[0].body


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_one_enrollment_at_once_create_one(member_a):
    enrollment = bought(member_a)

    def work() -> str:
        copy = Enrollment.objects.select_related("offering", "member__user").get(pk=enrollment.pk)
        request(copy)
        return "created"

    assert _run_at_once(work) == ["Conflict", "created"]
    assert RefundRequest.objects.filter(enrollment=enrollment).count() == 1


@pytest.mark.django_db(transaction=True)
def test_approve_and_deny_at_once_decide_once(member_a, staff):
    refund = request(bought(member_a))
    steps = iter(
        [
            lambda r: approve(r, staff),
            lambda r: services.deny_refund(refund=r, by=staff, reason="Seat transferred."),
        ]
    )
    step_lock = threading.Lock()

    def work() -> str:
        with step_lock:
            step = next(steps)
        step(RefundRequest.objects.get(pk=refund.pk))
        return "decided"

    assert _run_at_once(work) == ["Conflict", "decided"]
    assert fresh(refund).state in {"approved", "denied"}
