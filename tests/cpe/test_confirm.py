"""Ask before committing: enrolling shows what is bought and the refund terms first, and
withdrawing an entry asks first; both commit only on POST."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape

from cpe.models import Enrollment
from policy.models import PolicyVersion
from tests.conftest import sign_in
from tests.factories import EnrollmentFactory, EntryFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def enroll_url(offering) -> str:
    return reverse("cpe:offering_enroll", kwargs={"offering_id": offering.pk})


def withdraw_url(entry) -> str:
    return reverse("cpe:entry_withdraw", kwargs={"entry_id": entry.pk})


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def self_study():
    return OfferingFactory(
        kind="self_study",
        title="Strategic Cost Management",
        starts_on=None,
        price=Decimal("79.00"),
        cpe_hours=Decimal("4.0"),
    )


def test_offerings_page_links_enroll_to_the_confirmation_page(member_client):
    offering = self_study()
    page = member_client.get(reverse("cpe:offerings")).content.decode()
    assert f'<a class="button primary" href="{enroll_url(offering)}">Enroll for $79.00</a>' in page


def test_confirmation_page_shows_price_dates_hours_and_refund_terms_and_records_nothing(
    member_client, member_a
):
    offering = self_study()
    today = timezone.localdate()
    response = member_client.get(enroll_url(offering))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enroll in Strategic Cost Management" in page
    assert "$79.00" in page
    assert (
        f"At your own pace, from the day you enroll ({date_format(today, 'DATE_FORMAT')})" in page
    )
    assert ">4.0 <" in page
    last = long_date(today + dt.timedelta(days=30))
    assert (
        escape(
            "Refund policy: you can ask for a refund within 30 days of purchase "
            f"(until {last}) and before you take the final test; the refund is the price "
            "less a 10 % processing fee."
        )
        in page
    )
    assert ">Confirm enrollment</button>" in page
    assert f'<a class="button secondary" href="{reverse("cpe:offerings")}">Cancel</a>' in page
    assert not Enrollment.objects.exists()


def test_the_refund_sentence_changes_with_the_policy_in_force(member_client):
    offering = self_study()
    today = timezone.localdate()
    PolicyVersion.objects.create(
        effective_from=today.year, refund_window_days=45, refund_fee_percent=Decimal("12.50")
    )
    page = member_client.get(enroll_url(offering)).content.decode()
    last = long_date(today + dt.timedelta(days=45))
    assert f"within 45 days of purchase (until {last})" in page
    assert "less a 12.5 % processing fee" in page


def test_a_live_event_shows_its_start_and_the_last_day_to_cancel(member_client):
    today = timezone.localdate()
    starts = today + dt.timedelta(days=20)
    offering = OfferingFactory(kind="live_event", starts_on=starts, price=Decimal("250.00"))
    page = member_client.get(enroll_url(offering)).content.decode()
    assert f"Starts on {date_format(starts, 'DATE_FORMAT')}" in page
    last = long_date(starts - dt.timedelta(days=5))
    assert (
        f"cancel at least 5 days before the event starts on {long_date(starts)} (by {last})"
    ) in page


def test_a_conference_shows_its_own_deadline_and_fee(member_client):
    starts = timezone.localdate() + dt.timedelta(days=90)
    offering = OfferingFactory(
        kind="conference",
        starts_on=starts,
        refund_deadline_days=30,
        refund_fee_percent=Decimal("20.00"),
    )
    page = member_client.get(enroll_url(offering)).content.decode()
    assert "Refund policy of this conference: cancel at least 30 days before" in page
    assert "less a 20 % processing fee" in page


def test_confirming_records_the_enrollment_once_at_the_listed_price(member_client, member_a):
    offering = self_study()
    response = member_client.post(enroll_url(offering), follow=True)
    assert response.redirect_chain == [(reverse("cpe:offerings"), 302)]
    assert escape("You are enrolled in “Strategic Cost Management” for $79.00.") in (
        response.content.decode()
    )
    enrollment = member_a.enrollments.get()
    assert (enrollment.price, enrollment.currency) == (Decimal("79.00"), "USD")
    # Twice: the same error as before, nothing more recorded.
    again = member_client.post(enroll_url(offering), follow=True)
    assert "already enrolled" in again.content.decode()
    assert member_a.enrollments.count() == 1


def test_the_confirmation_page_of_an_enrolled_offering_offers_no_second_purchase(
    member_client, member_a
):
    offering = self_study()
    EnrollmentFactory(member=member_a, offering=offering, enrolled_on=dt.date(2026, 2, 1))
    page = member_client.get(enroll_url(offering)).content.decode()
    assert "You enrolled in this offering on" in page
    assert "Confirm enrollment" not in page


def test_a_member_enrolls_only_themself(client, member_a, member_b):
    offering = self_study()
    sign_in(client, member_b.user)
    assert client.post(enroll_url(offering)).status_code == 302
    assert list(Enrollment.objects.values_list("member", flat=True)) == [member_b.pk]
    assert not member_a.enrollments.exists()


def test_staff_cannot_enroll_anyone_on_the_member_page(staff_client):
    offering = self_study()
    assert staff_client.get(enroll_url(offering)).status_code == 403
    assert staff_client.post(enroll_url(offering)).status_code == 403
    assert not Enrollment.objects.exists()


def test_an_unknown_offering_is_404(member_client):
    url = reverse("cpe:offering_enroll", kwargs={"offering_id": 999999})
    assert member_client.get(url).status_code == 404
    assert member_client.post(url).status_code == 404


def test_withdraw_asks_first_and_get_changes_nothing(member_client, member_a):
    entry = EntryFactory(member=member_a, title="Budget seminar")
    detail = member_client.get(reverse("cpe:entry_detail", kwargs={"entry_id": entry.pk}))
    assert f'<a class="button danger" href="{withdraw_url(entry)}">Withdraw</a>' in (
        detail.content.decode()
    )
    page = member_client.get(withdraw_url(entry)).content.decode()
    assert escape("Withdraw “Budget seminar”?") in page
    assert "stays on your transcript" in page and "as withdrawn" in page
    assert '<button type="submit" class="danger">Withdraw the entry</button>' in page
    entry.refresh_from_db()
    assert entry.review_status == "pending"


def test_withdraw_post_withdraws_and_keeps_the_entry(member_client, member_a):
    entry = EntryFactory(member=member_a)
    response = member_client.post(withdraw_url(entry), follow=True)
    assert "The entry was withdrawn; it stays on record." in response.content.decode()
    entry.refresh_from_db()
    assert entry.review_status == "withdrawn"


def test_withdraw_page_of_a_decided_entry_says_why_not(member_client, member_a):
    entry = EntryFactory(member=member_a, review_status="withdrawn")
    response = member_client.get(withdraw_url(entry), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "cpe:entry_detail", kwargs={"entry_id": entry.pk}
    )
    assert "Only pending self-reported entries can be withdrawn." in response.content.decode()


def test_someone_elses_withdraw_page_is_404(client, member_a, member_b):
    entry = EntryFactory(member=member_a)
    sign_in(client, member_b.user)
    assert client.get(withdraw_url(entry)).status_code == 404
    assert client.post(withdraw_url(entry)).status_code == 404
    entry.refresh_from_db()
    assert entry.review_status == "pending"
