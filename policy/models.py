"""Administrator-editable policy versions (SPEC section 7): each holds the values in force from
a calendar year on; empty fields keep the defaults of ``policy.rules.Policy``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import User
from policy.rules import POLICY_FIELDS, Policy


class PolicyVersion(models.Model):
    """Policy values in force from ``effective_from`` (a calendar year) on. Fields left
    empty keep the code's default (``policy.rules.Policy``)."""

    effective_from = models.PositiveIntegerField(_("effective from year"), unique=True)
    annual_hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    carry_forward_max = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    lapse_restore_hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    retirement_min_age = models.PositiveIntegerField(null=True, blank=True)
    ethics_hours_required = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True
    )
    minutes_per_credit = models.PositiveIntegerField(null=True, blank=True)
    minute_credit_increment = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True
    )
    full_day_minutes = models.PositiveIntegerField(null=True, blank=True)
    full_day_credit = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    semester_hour_credit = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True
    )
    quarter_hour_credit = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    exam_hour_credit = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    presentation_first_multiplier = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True
    )
    presentation_repeat_multiplier = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True
    )
    presentation_repeats_per_year = models.PositiveIntegerField(null=True, blank=True)
    teaching_repeat_years = models.PositiveIntegerField(null=True, blank=True)
    article_cap = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    book_cap = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    monograph_cap = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    submitted_publication_share = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True
    )
    refund_fee_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    refund_window_days = models.PositiveIntegerField(null=True, blank=True)
    live_event_notice_days = models.PositiveIntegerField(null=True, blank=True)
    refund_issue_days = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ("effective_from",)

    def __str__(self) -> str:
        return f"Policy from {self.effective_from}"

    def to_policy(self) -> Policy:
        values: dict[str, Any] = {
            name: getattr(self, name) for name in POLICY_FIELDS if getattr(self, name) is not None
        }
        return Policy(effective_from=self.effective_from).replace(**values)
