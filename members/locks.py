"""The portal's one lock order. Every service that locks more than one row
(``cpe.services``, ``certification.services``, ``refunds.services``, ``members.services``) takes

1. the Member row(s) first, several in ascending id;
2. then the object it is about (transcript entry, offering, enrollment, exemption or
   retirement request, refund request);
3. then rows hanging off that object (an offering's enrollments).

Never the other way round: two writes that lock the same rows in different orders wait for
each other until PostgreSQL kills one (a deadlock, a 500). Writing a row also locks it (the
member's stored status in ``facts_changed``, the referenced row of a new foreign key), so
those count too."""

from __future__ import annotations

from collections.abc import Iterable

from members.models import Member


def lock_member(member: Member | int) -> None:
    """Lock one member's row: always the first lock of a transaction (the order above)."""
    member_id = member if isinstance(member, int) else member.pk
    Member.objects.select_for_update().filter(pk=member_id).first()


def lock_members(member_ids: Iterable[int]) -> None:
    """Lock several members, in ascending id (the order above)."""
    ids = sorted(set(member_ids))
    if ids:
        list(Member.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
