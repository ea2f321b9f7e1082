"""The one way to send an email: ``queue_mail`` records it in the caller's transaction and
hands it to ``notifications.tasks.send_mail`` on commit (which sends it through
``notifications.delivery``, at most once)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from imaportal.queueing import enqueue
from notifications.models import OutgoingMail

if TYPE_CHECKING:
    from members.models import User


def recipient_language(user: User) -> str:
    """The member's language, or the site's for an account without a member profile."""
    member = getattr(user, "member", None)
    language = getattr(member, "language", "") or settings.LANGUAGE_CODE
    return str(language)


def queue_mail(*, key: str, to: User, template: str, context: dict[str, Any]) -> bool:
    """Record the mail for event ``key`` unless it was recorded already, and send it once
    the caller's transaction commits. Returns whether it was new. ``context`` must be
    JSON-serialisable (dates and decimals are stored as strings); links are paths that the
    templates prefix with ``portal_url``."""
    from notifications.tasks import send_mail

    with transaction.atomic():
        mail, created = OutgoingMail.objects.get_or_create(
            key=key,
            defaults={
                "recipient": to,
                "template": template,
                "language": recipient_language(to),
                "context": context,
            },
        )
    if created:
        transaction.on_commit(lambda: enqueue(send_mail, mail.pk))
    return created
