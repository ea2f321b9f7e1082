"""Exemption and retirement requests (SPEC section 3): the member (or staff for them) asks,
staff approve or reject with a reason. Every write validates, locks, records who/when/why,
recomputes the member's status on commit when the facts change and emails the member the
decision on commit. Views, API and admin all call these. Locks follow the portal's one
order (``cpe.services``): the Member row first, then the request.

The few reads with their visibility rules sit at the end (one access check per object
kind: staff see all, the owner sees their own, anyone else gets 404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import services as audit
from certification import mail
from certification.models import Exemption, ExemptionReason, RequestState, Retirement
from certification.rules import exemption_year_errors, retirement_date_errors
from certification.selectors import (  # the reads moved there; callers still find them here
    exemption_for,
    exemptions_of,
    exemptions_visible_to,
    requests_in_state,
    retirement_for,
    retirements_of,
    retirements_visible_to,
)
from certification.services.recompute import facts_changed
from cpe.evidence import EvidenceRefused, evidence_type
from imaportal.exceptions import Conflict, InvalidInput
from imaportal.formatting import day
from imaportal.queueing import enqueue
from imaportal.reasons import Reason
from members.models import Member, User
from policy.selectors import policy_for

# The re-exported reads (``certification.selectors``) besides this module's own writes.
__all__ = [
    "exemption_for",
    "exemptions_of",
    "exemptions_visible_to",
    "requests_in_state",
    "retirement_for",
    "retirements_of",
    "retirements_visible_to",
]

REASON_CODES = tuple(r.value for r in ExemptionReason)


# Shared with the API serializer, so both answers spell out the rule the same way.
REASON_REFUSED = gettext_lazy(
    "Choose military, illness or hardship. Exemptions are granted only for military "
    "service, serious illness or disability, or severe personal financial hardship; "
    "busy work, a job change or temporary unemployment do not qualify."
)


def _lock_member(member: Member) -> None:
    """Serialize the requests and decisions of one member."""
    Member.objects.select_for_update().filter(pk=member.pk).first()


# -- Exemptions ---------------------------------------------------------------------------


def _check_years(member: Member, years: Sequence[Any], *, today: dt.date) -> list[int]:
    """Distinct whole calendar years from the first reporting year to next year, none of
    them already exempt or asked for in an open request."""
    errors = exemption_year_errors(years, certified_on=member.certified_on, today=today)
    if errors:
        raise InvalidInput({"years": errors})
    taken: dict[int, str] = {}
    for row in Exemption.objects.filter(
        member=member, state__in=(RequestState.APPROVED, RequestState.REQUESTED)
    ).values("pk", "years", "state"):
        for year in row["years"]:
            taken.setdefault(int(year), row["state"])
    for year in sorted(years):
        if taken.get(year) == RequestState.APPROVED:
            errors.append(
                _("%(year)d is already covered by an approved exemption.") % {"year": year}
            )
        elif taken.get(year) == RequestState.REQUESTED:
            errors.append(
                _("%(year)d is already in an exemption request waiting for review.")
                % {"year": year}
            )
    if errors:
        raise InvalidInput({"years": errors})
    return sorted(years)


def _check_document(document: UploadedFile[bytes] | None) -> tuple[str, str] | None:
    """The (content type, extension) of the document: PDF, PNG or JPEG by content."""
    if document is None:
        return None
    head = document.read(16)
    document.seek(0)
    try:
        return evidence_type(
            head=head, size=document.size or 0, max_bytes=settings.EVIDENCE_MAX_BYTES
        )
    except EvidenceRefused as exc:
        raise InvalidInput({"document": [str(exc)]}) from None


def _exemption_text_errors(reason: str, explanation: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if reason not in REASON_CODES:
        errors["reason"] = [str(REASON_REFUSED)]
    if not explanation or not explanation.strip():
        errors["explanation"] = [_("Explain your circumstances and the years they affect.")]
    return errors


def exemption_request_errors(
    *,
    member: Member,
    reason: str,
    years: Sequence[Any],
    explanation: str,
    document: UploadedFile[bytes] | None = None,
) -> dict[str, list[str]]:
    """What ``request_exemption`` would refuse, per field, without writing (the admin's add
    form shows it; the service checks again under the member's lock)."""
    errors = _exemption_text_errors(reason, explanation)
    for check in (
        lambda: _check_document(document),
        lambda: _check_years(member, years, today=timezone.localdate()),
    ):
        try:
            check()
        except InvalidInput as exc:
            errors.update(exc.errors)
    return errors


def request_exemption(
    *,
    member: Member,
    reason: str,
    years: Sequence[Any],
    explanation: str,
    document: UploadedFile[bytes] | None = None,
    by: User,
) -> Exemption:
    """A request to be exempt from the CPE requirement for whole calendar years."""
    today = timezone.localdate()
    errors = _exemption_text_errors(reason, explanation)
    kind: tuple[str, str] | None = None
    try:
        kind = _check_document(document)
    except InvalidInput as exc:
        errors.update(exc.errors)
    with transaction.atomic():
        _lock_member(member)
        try:
            checked = _check_years(member, years, today=today)
        except InvalidInput as exc:
            errors.update(exc.errors)
        if errors:
            raise InvalidInput(errors)
        exemption = Exemption.objects.create(
            member=member,
            reason=reason,
            years=checked,
            explanation=explanation.strip(),
            created_by=by,
        )
        if document is not None and kind is not None:
            content_type, extension = kind
            exemption.document_name = (document.name or f"document{extension}")[-200:]
            exemption.document_content_type = content_type
            # The stored name is ours, never the uploader's.
            exemption.document.save(f"exemption-{exemption.pk}{extension}", document, save=False)
            exemption.save(update_fields=["document", "document_name", "document_content_type"])
        audit.record(
            actor=by, action="exemption.requested", target=exemption, member=member, why=reason
        )
    return exemption


_R = TypeVar("_R", Exemption, Retirement)


def _lock_requested(request: _R, kind: str) -> _R:
    """Lock a request row; 409 unless it is still waiting for a decision."""
    locked = type(request).objects.select_for_update().get(pk=request.pk)
    if locked.state != RequestState.REQUESTED:
        raise Conflict(
            _("This %(kind)s request is already %(state)s.")
            % {"kind": kind, "state": locked.get_state_display().lower()}
        )
    return locked


def _decide_exemption(
    exemption: Exemption, *, state: RequestState, reason: str, by: User
) -> Exemption:
    with transaction.atomic():
        _lock_member(exemption.member)
        locked = _lock_requested(exemption, _("exemption"))
        if state == RequestState.REJECTED and not reason:
            raise InvalidInput({"reason": [_("Give the member the reason for the rejection.")]})
        if state == RequestState.APPROVED:
            overlap = sorted(
                {int(y) for y in locked.years}
                & {
                    int(y)
                    for years in Exemption.objects.filter(
                        member_id=locked.member_id, state=RequestState.APPROVED
                    ).values_list("years", flat=True)
                    for y in years
                }
            )
            if overlap:
                raise Conflict(
                    _("Already exempt for %(years)s.") % {"years": ", ".join(map(str, overlap))}
                )
        locked.state = state
        locked.decision_reason = reason
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
        if state == RequestState.APPROVED:
            facts_changed(
                [locked.member_id],
                why=Reason(
                    f"status.exemption_approved_{locked.reason}",
                    {"years": ", ".join(map(str, locked.years))},
                ),
            )
        audit.record(
            actor=by,
            action=f"exemption.{state.value}",
            target=locked,
            member=locked.member,
            why=reason,
            changes={"state": (RequestState.REQUESTED.value, state.value)},
        )
        _notify_on_commit("exemption", locked.pk)
    return locked


def approve_exemption(*, exemption: Exemption, by: User, reason: str = "") -> Exemption:
    return _decide_exemption(
        exemption, state=RequestState.APPROVED, reason=(reason or "").strip(), by=by
    )


def reject_exemption(*, exemption: Exemption, by: User, reason: str) -> Exemption:
    """Reject with the reason the member is told (400 without one, 409 once decided)."""
    return _decide_exemption(
        exemption, state=RequestState.REJECTED, reason=(reason or "").strip(), by=by
    )


# -- Retirement ---------------------------------------------------------------------------


def request_retirement(
    *, member: Member, retired_on: dt.date, explanation: str = "", by: User
) -> Retirement:
    """A request for retired status from ``retired_on``: the member must be at least the
    policy's minimum age (55) on that date; one open request at a time."""
    today = timezone.localdate()
    errors = _retirement_date_errors(member, retired_on, today=today)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        _lock_member(member)
        conflict = _open_retirement_conflict(member)
        if conflict:
            raise Conflict(conflict)
        retirement = Retirement.objects.create(
            member=member, retired_on=retired_on, explanation=explanation.strip(), created_by=by
        )
        audit.record(actor=by, action="retirement.requested", target=retirement, member=member)
        return retirement


def _retirement_date_errors(
    member: Member, retired_on: dt.date, *, today: dt.date
) -> dict[str, list[str]]:
    errors = retirement_date_errors(
        birth_date=member.birth_date,
        retired_on=retired_on,
        today=today,
        min_age=policy_for(retired_on.year).retirement_min_age,
    )
    return {"retired_on": errors} if errors else {}


def _open_retirement_conflict(member: Member) -> str:
    """Why a new retirement request is refused (409), or "" when it is not."""
    existing = (
        Retirement.objects.filter(
            member=member, state__in=(RequestState.REQUESTED, RequestState.APPROVED)
        )
        .order_by("-state")
        .first()
    )
    if existing is not None and existing.state == RequestState.REQUESTED:
        return _("A retirement request from %(date)s is already waiting for review.") % {
            "date": day(existing.retired_on)
        }
    if existing is not None:
        return _("Retired status from %(date)s is already approved.") % {
            "date": day(existing.retired_on)
        }
    return ""


def retirement_request_errors(*, member: Member, retired_on: dt.date) -> dict[str, list[str]]:
    """What ``request_retirement`` would refuse, without writing (``"__all__"``: a request
    already open or approved); the service checks again under the member's lock."""
    errors = _retirement_date_errors(member, retired_on, today=timezone.localdate())
    conflict = _open_retirement_conflict(member)
    if conflict:
        errors["__all__"] = [conflict]
    return errors


def _decide_retirement(
    retirement: Retirement, *, state: RequestState, reason: str, by: User
) -> Retirement:
    with transaction.atomic():
        _lock_member(retirement.member)
        locked = _lock_requested(retirement, _("retirement"))
        if state == RequestState.REJECTED and not reason:
            raise InvalidInput({"reason": [_("Give the member the reason for the rejection.")]})
        locked.state = state
        locked.decision_reason = reason
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
        if state == RequestState.APPROVED:
            facts_changed(
                [locked.member_id],
                why=Reason("status.retirement_approved", {"date": locked.retired_on}),
            )
        audit.record(
            actor=by,
            action=f"retirement.{state.value}",
            target=locked,
            member=locked.member,
            why=reason,
            changes={"state": (RequestState.REQUESTED.value, state.value)},
        )
        _notify_on_commit("retirement", locked.pk)
    return locked


def approve_retirement(*, retirement: Retirement, by: User, reason: str = "") -> Retirement:
    return _decide_retirement(
        retirement, state=RequestState.APPROVED, reason=(reason or "").strip(), by=by
    )


def reject_retirement(*, retirement: Retirement, by: User, reason: str) -> Retirement:
    """Reject with the reason the member is told (400 without one, 409 once decided)."""
    return _decide_retirement(
        retirement, state=RequestState.REJECTED, reason=(reason or "").strip(), by=by
    )


def _notify_on_commit(kind: str, request_id: int) -> None:
    transaction.on_commit(lambda: enqueue(mail.notify_request_decision, kind, request_id))
