"""One row per email the portal sends: recorded in the transaction of the event that causes
it (a unique ``key`` per event, so the same event never mails twice), sent afterwards."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    key = models.CharField(_("event key"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="outgoing_mails",
        verbose_name=_("recipient"),
    )
    template = models.CharField(_("template"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    context = models.JSONField(_("context"), default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outgoing_mail_unsent",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.key
