"""Refund journey: a member cancels a live event ten days ahead, sees what the policy
refunds before sending the request; staff approve it and mark it issued with the payment
reference; the member's "My purchases" shows the refund issued."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from refunds.models import RefundRequest
from tests.conftest import totp_code
from tests.factories import (
    PASSWORD,
    EnrollmentFactory,
    MemberFactory,
    OfferingFactory,
    StaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Live webinar: Managing cash flow"


def sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_member_asks_for_a_refund_and_staff_issue_it(page, live_server, mailoutbox):
    today = timezone.localdate()
    member = MemberFactory(user__email="hana@example.org", user__first_name="Hana")
    EnrollmentFactory(
        member=member,
        offering=OfferingFactory(
            kind="live_event",
            title=TITLE,
            price=Decimal("250.00"),
            starts_on=today + dt.timedelta(days=10),
        ),
        enrolled_on=today - dt.timedelta(days=3),
    )
    staff = StaffFactory(email="rita@ima.example", first_name="Rita", last_name="Reviewer")

    # The member sees the policy outcome before sending the request.
    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="My purchases").click()
    row = page.get_by_test_id("purchase-row").filter(has_text=TITLE)
    row.get_by_role("link", name="Request a refund").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Request a refund: {TITLE}")
    outcome = page.get_by_test_id("refund-outcome")
    expect(outcome).to_have_attribute("data-reason-code", "eligible")
    expect(outcome).to_contain_text("Refund under the policy: $225.00")
    page.get_by_label("Why do you ask for a refund?").fill("My employer cancelled my travel.")
    page.get_by_role("button", name="Send the refund request").click()

    expect(
        page.get_by_text("Your refund request was sent. We emailed you a confirmation.")
    ).to_be_visible()
    row = page.get_by_test_id("purchase-row").filter(has_text=TITLE)
    expect(row.get_by_test_id("refund-state")).to_have_text("Requested")
    expect(row).to_contain_text("the policy allows $225.00; waiting for IMA staff")
    expect(row.get_by_role("link", name="Request a refund")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    # Staff, with two-factor, approve the request and then mark it issued.
    sign_in(page, live_server.url, staff.email)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Refunds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refund requests")
    queue_row = page.get_by_test_id("refund-row").filter(has_text=TITLE)
    expect(queue_row).to_contain_text("Eligible")
    queue_row.get_by_role("link", name="Decide").click()

    policy = page.get_by_test_id("policy-outcome")
    expect(policy).to_have_attribute("data-reason-code", "eligible")
    expect(policy).to_contain_text("Eligible: a refund of $225.00")
    # The reason shows in the request's details (and again as the "why" of the audit log).
    request = page.locator("section[aria-labelledby=request-heading]")
    expect(request.get_by_text("My employer cancelled my travel.")).to_be_visible()
    page.get_by_role("button", name="Approve $225.00").click()

    expect(page.get_by_text("Approved the refund of $225.00.")).to_be_visible()
    state = page.get_by_test_id("request-state")
    expect(state.get_by_test_id("refund-state")).to_have_text("Approved")
    expect(state).to_contain_text("decided by Rita Reviewer on")
    page.get_by_label("Payment reference").fill("WIRE-2026-0042")
    page.get_by_role("button", name="Mark $225.00 issued").click()

    expect(page.get_by_text("Marked the refund of $225.00 as issued.")).to_be_visible()
    expect(page.get_by_test_id("request-state").get_by_test_id("refund-state")).to_have_text(
        "Issued"
    )
    expect(page.get_by_test_id("issued")).to_contain_text(
        "reference WIRE-2026-0042, by Rita Reviewer on"
    )
    expect(page.get_by_role("button", name="Mark $225.00 issued")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    # The member sees the refund issued, with the reference.
    sign_in(page, live_server.url, member.user.email)
    page.get_by_role("link", name="My purchases").click()
    row = page.get_by_test_id("purchase-row").filter(has_text=TITLE)
    expect(row.get_by_test_id("refund-state")).to_have_text("Issued")
    expect(row).to_contain_text("$225.00 refunded · reference WIRE-2026-0042")
    expect(row.get_by_role("link", name="Request a refund")).to_have_count(0)

    refund = RefundRequest.objects.get()
    assert (refund.state, refund.amount, refund.reference) == (
        "issued",
        Decimal("225.00"),
        "WIRE-2026-0042",
    )
    assert (refund.decided_by, refund.issued_by) == (staff, staff)
    # Celery runs eagerly in the test settings: one email to the member per step.
    to_member = [m for m in mailoutbox if m.to == [member.user.email]]
    assert [m.subject for m in to_member] == [
        f"We received your refund request: {TITLE}",
        f"Your refund was approved: {TITLE}",
        f"Your refund was issued: {TITLE}",
    ]
    assert "Payment reference: WIRE-2026-0042" in to_member[-1].body
