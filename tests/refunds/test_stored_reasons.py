"""A stored refund request keeps the policy's reason as a code with values and shows it in
words on the pages, in the API and in the emails; requests stored before reason codes keep
their sentence (migration 0005 clears the copies that denials made of it)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from policy.models import PolicyVersion
from refunds import services
from refunds.models import RefundRequest
from tests.refunds.builders import bought, days, requested, self_study_40_days_ago

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("refunds.migrations.0005_denial_keeps_only_staff_words")


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def window_sentence(after: int, window: int) -> str:
    return (
        f"Not eligible: the request comes {after} days after the purchase on "
        f"{long_date(days(-after))}; refunds are given within {window} days of purchase."
    )


def decide_page(client, refund: RefundRequest) -> str:
    return client.get(reverse("refunds:decide", kwargs={"refund_id": refund.pk})).content.decode()


def api_refund(api, user, refund: RefundRequest) -> dict:
    response = api(user).get(f"/api/v1/refunds/{refund.pk}/")
    assert response.status_code == 200
    return response.json()


def test_the_stored_code_is_shown_in_words_on_the_page_in_the_api_and_in_the_mail(
    member_a, staff, staff_client, api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refund = requested(self_study_40_days_ago(member_a))
    stored = RefundRequest.objects.get(pk=refund.pk)
    assert stored.policy_reason_json is not None
    assert stored.policy_reason_json["code"] == "refund.window_expired"
    assert stored.policy_reason_text == ""
    sentence = window_sentence(40, 30)

    assert escape(sentence) in decide_page(staff_client, stored)
    body = api_refund(api, member_a.user, stored)
    assert body["policy_reason"] == sentence
    assert body["reason_code"] == "window_expired"
    assert body["policy_reason_detail"]["code"] == "refund.window_expired"
    assert body["policy_reason_detail"]["params"]["window"] == {
        "reason": {"code": "refund.days", "params": {"n": 30}}
    }
    assert f"What the refund policy says: {sentence}" in mail.outbox[-1].body


def test_a_denial_without_staff_words_shows_the_policy_reason_everywhere(
    member_a, staff, api, member_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        refund = services.deny_refund(refund=requested(self_study_40_days_ago(member_a)), by=staff)
    sentence = window_sentence(40, 30)
    assert RefundRequest.objects.get(pk=refund.pk).decision_reason == ""

    assert api_refund(api, staff, refund)["decision_reason"] == sentence
    assert escape(sentence) in member_client.get(reverse("refunds:purchases")).content.decode()
    denial = mail.outbox[-1]
    assert f"Reason: {sentence}" in denial.body
    assert escape(f"Reason: {sentence}") in denial.alternatives[0][0]


def test_a_denial_with_staff_words_shows_them(member_a, staff, api):
    refund = services.deny_refund(
        refund=requested(self_study_40_days_ago(member_a)), by=staff, reason="Bought twice."
    )
    assert api_refund(api, staff, refund)["decision_reason"] == "Bought twice."


def test_a_changed_policy_value_shows_in_the_stored_sentence(member_a, staff_client, api):
    PolicyVersion.objects.create(effective_from=2000, refund_window_days=45)
    refund = requested(bought(member_a, kind="self_study", price="120.00", enrolled_on=days(-50)))

    sentence = window_sentence(50, 45)
    assert refund.policy_reason == sentence
    assert api_refund(api, member_a.user, refund)["policy_reason"] == sentence
    assert escape(sentence) in decide_page(staff_client, refund)


def test_a_changed_notice_shows_in_the_request_page(member_a, member_client):
    PolicyVersion.objects.create(effective_from=2000, live_event_notice_days=12)
    enrollment = bought(member_a, starts_on=days(10))  # 10 days' notice: too late now

    page = member_client.get(
        reverse("refunds:request_refund", kwargs={"enrollment_id": enrollment.pk})
    ).content.decode()
    assert (
        escape(
            f"Not eligible: the request comes only 10 days before the event on "
            f"{long_date(days(10))}; cancellations must reach IMA at least 12 days before "
            "the event."
        )
        in page
    )


def _legacy_denial(member, staff, text: str) -> RefundRequest:
    """A request denied before reason codes: an English sentence, copied into the denial."""
    refund = services.deny_refund(refund=requested(self_study_40_days_ago(member)), by=staff)
    RefundRequest.objects.filter(pk=refund.pk).update(
        policy_reason_json=None, policy_reason_text=text, decision_reason=text
    )
    return RefundRequest.objects.get(pk=refund.pk)


def test_the_migration_keeps_an_old_sentence_and_clears_only_its_copy(
    member_a, member_b, staff, staff_client, api
):
    old = "Not eligible: the request comes 40 days after the purchase on 2026-01-05."
    legacy = _legacy_denial(member_a, staff, old)
    written = _legacy_denial(member_b, staff, old)
    RefundRequest.objects.filter(pk=written.pk).update(decision_reason="Staff wrote this.")

    MIGRATION.forward(apps, None)

    legacy.refresh_from_db()
    assert (legacy.decision_reason, legacy.policy_reason_text) == ("", old)
    assert legacy.policy_reason == old
    assert legacy.decision_reason_shown == old
    written.refresh_from_db()
    assert written.decision_reason == "Staff wrote this."
    body = api_refund(api, staff, legacy)
    assert (body["policy_reason"], body["decision_reason"]) == (old, old)
    assert body["policy_reason_detail"] == {"code": "text", "params": {"text": old}}
    assert escape(old) in decide_page(staff_client, legacy)


def test_the_migration_backwards_writes_the_sentence_and_the_copy_again(member_a, staff):
    refund = services.deny_refund(refund=requested(self_study_40_days_ago(member_a)), by=staff)

    MIGRATION.backward(apps, None)

    refund.refresh_from_db()
    sentence = window_sentence(40, 30)
    assert (refund.policy_reason_text, refund.decision_reason) == (sentence, sentence)


def test_the_staff_queue_names_the_policy_issue_window(staff_client):
    page = staff_client.get(reverse("refunds:staff_queue")).content.decode()
    assert "Event refunds must be issued within 30 days after the event." in page
    PolicyVersion.objects.create(effective_from=2000, refund_issue_days=45)
    page = staff_client.get(reverse("refunds:staff_queue")).content.decode()
    assert "Event refunds must be issued within 45 days after the event." in page


def test_the_audit_log_of_a_denial_without_staff_words_says_the_policy_reason(member_a, staff):
    refund = services.deny_refund(refund=requested(self_study_40_days_ago(member_a)), by=staff)
    event = AuditEvent.objects.get(action="refund.denied", target_id=str(refund.pk))
    assert event.why == window_sentence(40, 30)
