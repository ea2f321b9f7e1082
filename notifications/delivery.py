"""Sending a recorded mail, at most once, and finding the ones still unsent."""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from notifications.models import OutgoingMail
from notifications.rendering import render_mail

MAX_ATTEMPTS = 5


def deliver(mail_id: int) -> bool:
    """Render and send one recorded mail unless it was sent, or is being sent, already:
    the row is locked while sending and ``sent_at`` set in the same transaction, so two
    runs never both send. A failure counts an attempt and records the error; the row stays
    unsent for a retry (up to ``MAX_ATTEMPTS``). Returns whether it was sent here."""
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=mail_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .first()
        )
        if mail is None:
            return False
        mail.attempts += 1
        try:
            rendered = render_mail(mail.template, mail.context, language=mail.language)
            message = EmailMultiAlternatives(
                rendered.subject, rendered.text, None, [mail.recipient.email]
            )
            message.attach_alternative(rendered.html, "text/html")
            message.send()
        except Exception as exc:  # any failure of the mail server is recorded, then retried
            mail.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            mail.save(update_fields=["attempts", "last_error"])
            return False
        mail.sent_at = timezone.now()
        mail.last_error = ""
        mail.save(update_fields=["attempts", "last_error", "sent_at"])
    return True


def unsent_mail_ids(*, older_than: dt.timedelta) -> list[int]:
    """Mails recorded before ``older_than`` ago and still unsent with attempts left."""
    return list(
        OutgoingMail.objects.filter(
            sent_at__isnull=True,
            attempts__lt=MAX_ATTEMPTS,
            created_at__lte=timezone.now() - older_than,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
