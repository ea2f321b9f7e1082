"""The offering kinds, importable by the pure rule modules (no ORM): the credit rule of
recorded webinars and the refund policy read them as the model stores them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferingKind(models.TextChoices):
    SELF_STUDY = "self_study", _("Self-study course")
    LIVE_EVENT = "live_event", _("Live event or live webinar")
    RECORDED_WEBINAR = "recorded_webinar", _("Recorded webinar")
    CONFERENCE = "conference", _("Conference")


# How the refund policy groups the kinds (SPEC section 4): a course or recording is refunded
# within a window after its purchase, an event or conference by notice before its start.
SELF_PACED_KINDS = (OfferingKind.SELF_STUDY, OfferingKind.RECORDED_WEBINAR)
EVENT_KINDS = (OfferingKind.LIVE_EVENT, OfferingKind.CONFERENCE)
