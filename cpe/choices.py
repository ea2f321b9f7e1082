"""The offering kinds, importable by the pure rule modules (no ORM): the credit rule of
recorded webinars and the refund policy read them as the model stores them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferingKind(models.TextChoices):
    SELF_STUDY = "self_study", _("Self-study course")
    LIVE_EVENT = "live_event", _("Live event or live webinar")
    RECORDED_WEBINAR = "recorded_webinar", _("Recorded webinar")
    CONFERENCE = "conference", _("Conference")
