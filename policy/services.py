"""Writes to the policy values: a saved policy version is recorded in the audit log and
announced (``policy.signals.policy_changed``) so the statuses it affects are recomputed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audit import services as audit
from members.models import User
from policy.models import PolicyVersion
from policy.signals import policy_changed

VALUE_FIELDS = [
    f.name for f in PolicyVersion._meta.fields if f.name not in ("id", "updated_at", "updated_by")
]


def save_policy_version(
    *, version: PolicyVersion, before: dict[str, Any] | None, by: User, why: str = ""
) -> PolicyVersion:
    """Save a new or changed policy version (``before``: ``audit.snapshot`` of the stored
    one, None for a new one), record who changed what, and mark statuses for recompute."""
    created = version.pk is None
    with transaction.atomic():
        version.updated_by = by
        version.save()
        audit.record(
            actor=by,
            action="policy.created" if created else "policy.updated",
            target=version,
            why=why,
            changes=audit.changed(version, before or {}, VALUE_FIELDS),
        )
        policy_changed.send(
            sender=PolicyVersion,
            effective_from=version.effective_from,
            why=f"Policy values from {version.effective_from} changed.",
        )
    return version
