"""Issuing a member's CMA credential: the status by the one status rule, the Open Badges
credential of it (``certification.credential``) and its compact JWS signed with the
portal's issuer key (``imaportal.signing``), VC-JOSE style: the payload is the credential
itself, the header says ``typ`` ``vc+jwt`` and ``cty`` ``vc``."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.credential import Holder, open_badge
from certification.services.recompute import status_of
from imaportal.exceptions import Unavailable
from imaportal.signing import IssuerKeyError, sign_compact
from members.models import Member

logger = logging.getLogger(__name__)
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
    try:
        jwt = sign_compact(credential, header=JWS_HEADER)
    except IssuerKeyError:
        logger.exception("No usable issuer key: credentials cannot be signed")
        raise Unavailable(
            _(
                "Credentials cannot be issued right now: the portal has no signing key. "
                "Please try again later or contact IMA member services."
            )
        ) from None
    return SignedCredential(credential=credential, jwt=jwt)
