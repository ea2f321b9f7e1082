"""The refund choice values, shared by the pure refund rule and the models (no ORM)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RefundReason(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    WINDOW_EXPIRED = "window_expired", _("After the refund window")
    FINAL_TEST_TAKEN = "final_test_taken", _("Final test taken")
    TOO_LATE = "too_late", _("Too late before the event")
    NO_SHOW = "no_show", _("No-show")
    CONFERENCE_POLICY = "conference_policy", _("Outside the conference's policy")
