"""Issuing a member's CMA credential: the status by the one status rule, the Open Badges
credential of it (``certification.credential``) and its compact JWS signed with the
portal's issuer key (``imaportal.signing``), VC-JOSE style: the payload is the credential
itself, the header says ``typ`` ``vc+jwt`` and ``cty`` ``vc``."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from certification.credential import Holder, open_badge
from certification.services.recompute import status_of
from imaportal.signing import sign_compact
from members.models import Member

JWS_HEADER = {"typ": "vc+jwt", "cty": "vc"}


@dataclass(frozen=True)
class SignedCredential:
    credential: dict[str, Any]
    jwt: str


def issue_credential(member: Member, *, now: dt.datetime | None = None) -> SignedCredential:
    """The member's status today as a signed Open Badges 3.0 credential."""
    now = now or timezone.now()
    as_of = timezone.localdate(now)
    credential = open_badge(
        holder=Holder(member_number=member.member_number, name=member.full_name),
        result=status_of(member, as_of=as_of),
        as_of=as_of,
        issued_at=now,
        portal_url=settings.PORTAL_URL,
        credential_id=str(uuid.uuid4()),
    )
    return SignedCredential(credential=credential, jwt=sign_compact(credential, header=JWS_HEADER))
