"""Demo certification data: an approved exemption and an approved retirement, so the demo
shows the exempt and retired statuses."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from certification.models import Exemption, Retirement
from members.models import Member, User
from members.signals import facts_changed


@transaction.atomic
def load_certification_demo(today: dt.date, *, reviewer: User) -> None:
    """An approved military exemption for this year and an approved retirement, once."""
    if Exemption.objects.exists() or Retirement.objects.exists():
        return
    members = {
        m.user.email: m
        for m in Member.objects.select_related("user").filter(
            user__email__in=["daniel.kim@demo.ima.example", "james.oconnor@demo.ima.example"]
        )
    }
    now = timezone.now()
    daniel = members.get("daniel.kim@demo.ima.example")
    if daniel is not None:
        Exemption.objects.create(
            member=daniel,
            reason="military",
            years=[today.year],
            explanation="Deployed abroad with the reserve forces for the whole year.",
            state="approved",
            decided_by=reviewer,
            decided_at=now,
            created_by=daniel.user,
        )
        facts_changed([daniel.pk], why="Exemption approved.")
    james = members.get("james.oconnor@demo.ima.example")
    if james is not None:
        Retirement.objects.create(
            member=james,
            retired_on=dt.date(today.year, 1, 31),
            explanation="Retired from my position as finance director.",
            state="approved",
            decided_by=reviewer,
            decided_at=now,
            created_by=james.user,
        )
        facts_changed([james.pk], why="Retirement approved.")
