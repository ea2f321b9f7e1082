"""Writing the audit log: one call per state change, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value (dates, decimals and objects become text)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model | None = None,
    member: models.Model | None = None,
    why: str = "",
    changes: Mapping[str, tuple[Any, Any] | list[Any]] | None = None,
) -> AuditEvent:
    """Record that ``actor`` (None: the system) did ``action`` to ``target`` for ``member``.

    Writes in the caller's transaction, so the event stands or falls with the change."""
    plain = {field: [_plain(old), _plain(new)] for field, (old, new) in (changes or {}).items()}
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor_id=user.pk if user is not None else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        member_id=member.pk if member is not None else None,
        why=why or "",
        changes=plain,
    )


def changed(obj: models.Model, before: Mapping[str, Any], fields: list[str]) -> dict[str, Any]:
    """The ``changes`` of ``obj`` against ``before`` (old values of the fields that may have
    changed, e.g. from :func:`snapshot` or an admin form's initial data); with an empty
    ``before`` (a new object), every field of ``fields`` that has a value."""
    if before:
        return {
            name: (before[name], getattr(obj, name))
            for name in fields
            if name in before and _plain(before[name]) != _plain(getattr(obj, name))
        }
    return {name: (None, getattr(obj, name)) for name in fields if getattr(obj, name) is not None}


def form_before(form: Any, fields: list[str]) -> dict[str, Any]:
    """The old values of the fields an admin (model) form changed."""
    return {name: form.initial.get(name) for name in form.changed_data if name in fields}


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def record_for_members(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model,
    member_ids: list[int],
    why: str = "",
) -> None:
    """One event per member for a batch change (an attendance import): one insert."""
    user = actor if actor is not None and actor.is_authenticated else None
    target_type = ContentType.objects.get_for_model(target)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_id=user.pk if user is not None else None,
            action=action,
            target_type=target_type,
            target_id=str(target.pk),
            target_label=str(target)[:200],
            member_id=member_id,
            why=why,
        )
        for member_id in member_ids
    )
