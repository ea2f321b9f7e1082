"""The refund emails: an approved refund never promises an issue date in the past."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from imaportal.formatting import day
from policy.rules import Policy
from refunds import services
from refunds.policy import IssuePromise, issue_promise
from tests.refunds.builders import D, bought, days, requested

TODAY = dt.date(2026, 5, 20)


@pytest.mark.parametrize(
    ("issue_by", "expected"),
    [
        (None, IssuePromise(by=None, within_days=None)),
        (dt.date(2026, 6, 1), IssuePromise(by=dt.date(2026, 6, 1), within_days=None)),
        (TODAY, IssuePromise(by=TODAY, within_days=None)),
        (dt.date(2026, 5, 19), IssuePromise(by=None, within_days=30)),
    ],
)
def test_issue_promise_is_never_a_past_date(issue_by, expected):
    assert issue_promise(issue_by=issue_by, today=TODAY, policy=Policy()) == expected


@pytest.mark.django_db
def test_approval_mail_names_the_issue_by_date_when_it_is_ahead(
    member_a, staff, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_URL = "https://portal.ima.example"
    with django_capture_on_commit_callbacks(execute=True):
        refund = requested(bought(member_a))
        services.approve_refund(refund=refund, by=staff)
    approval = mail.outbox[-1]
    assert f"It will be paid by {day(days(40))}." in approval.body
    assert "https://portal.ima.example/" in approval.body


@pytest.mark.django_db
def test_approval_after_the_issue_by_date_promises_days_not_a_past_date(
    member_a, staff, django_capture_on_commit_callbacks
):
    # An event that started 40 days ago (issue-by 10 days ago), attended: too late, but
    # staff grant special circumstances today.
    enrollment = bought(member_a, enrolled_on=days(-60), starts_on=days(-40), attended=True)
    with django_capture_on_commit_callbacks(execute=True):
        refund = requested(enrollment)
        services.approve_refund(refund=refund, by=staff, amount=D("50.00"), reason="Illness.")
    approval = mail.outbox[-1]
    assert "approved" in approval.subject
    assert "It will be paid within 30 days." in approval.body
    assert days(-10).isoformat() not in approval.body
    assert "special circumstances: Illness." in approval.body
