"""Reading the audit log: a member's history and an object's history, paged.

Each page costs a fixed number of queries (the count and one joined select)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet

from .models import AuditEvent

PAGE_SIZE = 50


def _events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor", "target_type").order_by("-at", "-id")


def member_history(member_id: int, *, page: int | str = 1) -> Page[AuditEvent]:
    return Paginator(_events().filter(member_id=member_id), PAGE_SIZE).get_page(page)


def object_history(obj: models.Model, *, page: int | str = 1) -> Page[AuditEvent]:
    events = _events().filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    )
    return Paginator(events, PAGE_SIZE).get_page(page)
