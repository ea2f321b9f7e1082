"""Verification links (issue 18, SPEC section 6): a member creates a link that shows anyone
who opens it their CMA status and approved hours, revokes it, and sees when it was last
opened. Every write is audit-recorded; opening a link by someone other than its member is
recorded too (who, when: the member's data was shown), and stamps ``last_opened_at``.

Views and the API call these; who may call them (the member themself) is their check."""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from audit import services as audit
from certification.models import VerificationLink
from certification.services.recompute import status_of
from imaportal.exceptions import NotFound
from members.models import Member, User

# ``secrets.token_urlsafe(32)``: 32 random bytes (256 bits), 43 URL-safe characters.
TOKEN_BYTES = 32
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def _new_token() -> str:
    """An unguessable token for a link's URL (256 random bits from the OS's CSPRNG)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def create_link(*, member: Member, by: User) -> VerificationLink:
    """A new live link for ``member``, remembering their status today."""
    today = timezone.localdate()
    status = status_of(member, as_of=today).status.value
    with transaction.atomic():
        link = VerificationLink.objects.create(
            member=member, token=_new_token(), created_by=by, status_at_creation=status
        )
        audit.record(
            actor=by, action="verification_link.created", target=link, member=member, why=""
        )
    return link


def revoke_link(*, link: VerificationLink, by: User) -> VerificationLink:
    """Revoke a link: from now on its URL answers 404. Revoking a revoked link changes
    nothing (a second request racing the first is not an error)."""
    with transaction.atomic():
        locked = VerificationLink.objects.select_for_update().get(pk=link.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit.record(
                actor=by,
                action="verification_link.revoked",
                target=locked,
                member=locked.member,
                why="",
                changes={"revoked_at": (None, locked.revoked_at)},
            )
    return locked


def open_link(*, token: str, by: User | AnonymousUser) -> VerificationLink:
    """The live link of ``token`` (``NotFound`` when unknown or revoked). An opening by
    anyone but the link's member stamps ``last_opened_at`` and is audit-recorded (the
    member's own look at their link would make "last opened" say nothing)."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        raise NotFound()
    link = (
        VerificationLink.objects.select_related("member__user")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise NotFound()
    if by.is_authenticated and by.pk == link.member.user_id:
        return link
    now = timezone.now()
    with transaction.atomic():
        VerificationLink.objects.filter(pk=link.pk).update(last_opened_at=now)
        link.last_opened_at = now
        audit.record(
            actor=by if isinstance(by, User) else None,
            action="verification_link.opened",
            target=link,
            member=link.member,
            why="",
        )
    return link
