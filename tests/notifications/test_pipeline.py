"""The one mail pipeline: a mail is recorded once per event, sent once however often its
task runs, retried after a failure and recorded; every email template renders with
absolute links in both parts, in the recipient's language."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone, translation

from notifications import delivery
from notifications.checks import portal_url_check
from notifications.models import OutgoingMail
from notifications.rendering import render_mail
from notifications.services import queue_mail
from notifications.tasks import send_mail, send_unsent_mail

PORTAL = "https://portal.ima.example"
TEMPLATES = Path(settings.BASE_DIR) / "templates"

# A context for every email template: what its callers pass.
CONTEXTS: dict[str, dict[str, Any]] = {
    "certification/email/status_changed": {
        "name": "Ada",
        "old": "Active",
        "new": "Inactive (make-up)",
        "reason": "2025 ended 5.0 hours short.",
        "path": "/status/",
    },
    "certification/email/request_decision": {
        "approved": False,
        "name": "Ada",
        "what": "retired status from 2026-01-01",
        "reason": "Under 55 on that date.",
        "path": "/status/requests/",
    },
    "certification/email/cpe_reminder": {
        "name": "Ada",
        "hours": "12.0",
        "deadline": "2026-12-31",
        "available": "18.0",
        "required": "30",
        "year": 2026,
        "why": "12.0 hours still needed.",
        "path": "/cpe/",
    },
    "cpe/email/entry_decision": {
        "approved": True,
        "name": "Ada",
        "title": "Budgeting seminar",
        "date": "2026-03-01",
        "hours": "8.0",
        "year": 2026,
        "reason": "",
        "path": "/cpe/",
    },
    **{
        f"refunds/email/{event}": {
            "name": "Ada",
            "title": "Budgeting live",
            "money": "89.99 USD",
            "date": "2026-03-01",
            "outcome": "Eligible.",
            "special": False,
            "why": "Plans changed.",
            "issue_by": "2026-04-10",
            "within_days": None,
            "ref": "PAY-1",
            "path": "/purchases/",
        }
        for event in ("requested", "approved", "denied", "issued")
    },
}


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


@pytest.fixture(autouse=True)
def _portal(settings):
    settings.PORTAL_URL = PORTAL + "/"


def test_every_email_template_is_covered():
    on_disk = {
        str(path.relative_to(TEMPLATES)).removesuffix("_subject.txt")
        for path in TEMPLATES.glob("*/email/*_subject.txt")
    }
    assert on_disk == set(CONTEXTS)


@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_every_template_renders_absolute_clickable_links(template):
    rendered = render_mail(template, CONTEXTS[template], language="en")

    path = CONTEXTS[template]["path"]
    assert rendered.subject and "\n" not in rendered.subject
    assert f"{PORTAL}{path}" in rendered.text
    assert f'href="{PORTAL}{path}"' in rendered.html
    # No relative link anywhere: every href is absolute.
    assert all(href.startswith(PORTAL) for href in re.findall(r'href="([^"]*)"', rendered.html))
    assert "Dear Ada," in rendered.text and "Dear Ada," in rendered.html


def test_text_part_is_not_html_escaped_and_html_part_is():
    context = {**CONTEXTS["cpe/email/entry_decision"], "title": "P&L <basics>"}
    rendered = render_mail("cpe/email/entry_decision", context, language="en")
    assert "P&L <basics>" in rendered.subject
    assert "P&L <basics>" in rendered.text
    assert "P&amp;L &lt;basics&gt;" in rendered.html


@pytest.mark.parametrize("language", ["nb", "zh-hans"])
def test_render_uses_the_recipients_language(language):
    assert language in dict(settings.LANGUAGES)
    before = translation.get_language()
    rendered = render_mail(
        "certification/email/status_changed",
        CONTEXTS["certification/email/status_changed"],
        language=language,
    )
    assert f'<html lang="{language}">' in rendered.html
    assert translation.get_language() == before


def _queue(member, key="event-1"):
    return queue_mail(
        key=key,
        to=member.user,
        template="cpe/email/entry_decision",
        context=CONTEXTS["cpe/email/entry_decision"],
    )


@pytest.mark.django_db
def test_mail_goes_out_in_the_members_language(member_a, django_capture_on_commit_callbacks):
    member_a.language = "nb"
    member_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        _queue(member_a)

    row = OutgoingMail.objects.get()
    assert row.language == "nb"
    html = str(mail.outbox[0].alternatives[0][0])
    assert '<html lang="nb">' in html
    # Sent by the Celery task, in the Norwegian of the catalogue, whatever the sender's
    # language was.
    assert mail.outbox[0].subject == "CPE-registrering godkjent: Budgeting seminar"
    with translation.override("nb"):
        greeting = translation.gettext("Dear %(name)s,") % {"name": "Ada"}
    assert greeting != "Dear Ada,"
    assert greeting in mail.outbox[0].body


@pytest.mark.django_db
def test_a_mail_sent_later_by_the_celery_task_keeps_the_stored_language(member_a):
    """A mail queued earlier goes out later from the Celery task in the language stored
    with it: the task runs with no request and no active language of its own."""
    member_a.language = "zh-hant"
    member_a.save()
    _queue(member_a, key="later")  # no on-commit run: the task has not sent it yet
    assert mail.outbox == []
    send_mail.apply(args=[OutgoingMail.objects.get(key="later").pk])
    assert mail.outbox[0].subject.startswith("CPE ")
    assert "Budgeting seminar" in mail.outbox[0].subject
    with translation.override("zh-hant"):
        expected = translation.gettext("CPE entry approved: %(title)s")
    assert mail.outbox[0].subject == expected % {"title": "Budgeting seminar"}


@pytest.mark.django_db
def test_a_mail_is_sent_once_however_often_the_event_repeats_or_the_task_runs(
    member_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _queue(member_a) is True
        assert _queue(member_a) is False  # the same event again
    row = OutgoingMail.objects.get()

    assert send_mail.apply(args=[row.pk]).get() is False  # the task runs again
    assert delivery.deliver(row.pk) is False
    row.refresh_from_db()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert row.sent_at is not None and row.attempts == 1
    assert f"{PORTAL}/cpe/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_nothing_is_recorded_or_sent_when_the_callers_transaction_rolls_back(member_a):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(member_a)
        raise RuntimeError
    assert not OutgoingMail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failing_send_is_recorded_and_retried_by_the_sweep(
    member_a, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _queue(member_a)
    row = OutgoingMail.objects.get()
    assert (row.sent_at, row.attempts) == (None, 1)
    assert "mail server down" in row.last_error

    # The sweep leaves young mails to their own task, then retries the failed one.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_unsent_mail() == 0
    OutgoingMail.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert send_unsent_mail() == 1
    assert send_unsent_mail() == 0
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_mail_that_keeps_failing_is_given_up_after_the_last_attempt(member_a, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    _queue(member_a)  # inside the test's transaction: not sent yet
    row = OutgoingMail.objects.get()
    for _ in range(delivery.MAX_ATTEMPTS + 2):
        delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.attempts == delivery.MAX_ATTEMPTS and row.sent_at is None
    assert row.last_error
    assert delivery.unsent_mail_ids(older_than=timedelta(0)) == []


def test_check_deploy_wants_an_https_portal_url(settings):
    settings.PORTAL_URL = "https://portal.ima.example"
    assert portal_url_check(None) == []
    settings.PORTAL_URL = "http://127.0.0.1:8000"
    assert [e.id for e in portal_url_check(None)] == ["notifications.E001"]
    settings.PORTAL_URL = ""
    assert [e.id for e in portal_url_check(None)] == ["notifications.E001"]
