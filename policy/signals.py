"""Signals of the policy app. ``policy_changed`` tells the certification app that the
policy values of a year changed, so statuses must be recomputed; policy never imports it."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that saved a policy version; kwargs: effective_from, why.
policy_changed = Signal()
