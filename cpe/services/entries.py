"""Writes of transcript entries and their review: submit, edit, withdraw, approve, reject,
bulk approve. Each function validates, locks (``members.locks``: the member first), changes,
records who/when/why and schedules side effects (email) on commit. Views, API, admin and
tasks all call these.

Every change of a transcript entry adds one to its ``version`` (``_bump``); a decision may
name the version the reviewer saw and is refused (``StaleVersion``, 409) when it changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from cpe import selectors
from cpe.credit import (
    ActivityInput,
    ActivityType,
    CreditRefused,
    CreditResult,
    compute_credit,
)
from cpe.evidence import EvidenceRefused, evidence_type
from cpe.models import (
    EntryEvent,
    ReviewStatus,
    Source,
    TranscriptEntry,
)
from imaportal.exceptions import Conflict, InvalidInput
from imaportal.queueing import enqueue
from imaportal.reasons import Reason
from members.locks import lock_member
from members.models import Member, User
from members.signals import facts_changed
from policy.selectors import policy_for

INPUT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ActivityInput))


def _not_pending(entry: TranscriptEntry) -> str:
    return _("This entry is %(state)s, not pending.") % {
        "state": entry.get_review_status_display().lower()
    }


def activity_input(data: Mapping[str, Any]) -> ActivityInput:
    """An ``ActivityInput`` from already type-checked values (form or serializer)."""
    values = {name: data[name] for name in INPUT_FIELDS if name in data and data[name] is not None}
    for text in (
        "title",
        "review_course_for",
        "exam_name",
        "publication_kind",
        "publication_status",
    ):
        if text in values:
            values[text] = str(values[text]).strip()
    return ActivityInput(**values)


def preview_credit(
    *, member: Member, data: ActivityInput, exclude_id: int | None = None, today: dt.date
) -> CreditResult:
    """What the entry would earn now; raises ``InvalidInput`` where it does not qualify."""
    prior = selectors.prior_entries(member, exclude_id=exclude_id)
    try:
        return compute_credit(
            data, prior=prior, policy=policy_for(data.completed_on.year), today=today
        )
    except CreditRefused as exc:
        raise InvalidInput(exc.errors) from None


def _check_evidence(evidence: UploadedFile[bytes] | None) -> tuple[str, str] | None:
    if evidence is None:
        return None
    head = evidence.read(16)
    evidence.seek(0)
    try:
        return evidence_type(
            head=head, size=evidence.size or 0, max_bytes=settings.EVIDENCE_MAX_BYTES
        )
    except EvidenceRefused as exc:
        raise InvalidInput({"evidence": [str(exc)]}) from None


def _store_evidence(
    entry: TranscriptEntry, evidence: UploadedFile[bytes], kind: tuple[str, str]
) -> None:
    content_type, extension = kind
    entry.evidence_name = (evidence.name or f"evidence{extension}")[-200:]
    entry.evidence_content_type = content_type
    # The stored name is ours, never the uploader's: entry id plus the detected extension.
    entry.evidence.save(f"entry-{entry.pk}{extension}", evidence, save=False)


def _judge(
    *,
    member: Member,
    data: ActivityInput,
    evidence: UploadedFile[bytes] | None,
    exclude_id: int | None,
    today: dt.date,
) -> tuple[CreditResult, tuple[str, str] | None]:
    """The credit and the evidence type, or every problem with both at once."""
    errors: dict[str, list[str]] = {}
    kind: tuple[str, str] | None = None
    result: CreditResult | None = None
    try:
        kind = _check_evidence(evidence)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        result = preview_credit(member=member, data=data, exclude_id=exclude_id, today=today)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors or result is None:
        raise InvalidInput(errors)
    return result, kind


def _bump(entry: TranscriptEntry) -> str:
    """Count one more change of a locked entry; the field name, for ``update_fields``."""
    entry.version += 1
    return "version"


def _apply(entry: TranscriptEntry, data: ActivityInput, result: CreditResult) -> None:
    for name in INPUT_FIELDS:
        setattr(entry, name, getattr(data, name))
    entry.credit_hours = result.credit_hours
    entry.credit_rule = result.rule
    entry.credit_reasons = [reason.as_json() for reason in result.reasons]


def submit_entry(
    *,
    member: Member,
    data: ActivityInput,
    provider: str = "",
    evidence: UploadedFile[bytes] | None = None,
    by: User,
) -> TranscriptEntry:
    """A new self-reported entry; it starts pending whoever submits it."""
    if data.activity_type == ActivityType.IMA_OFFERING:
        raise InvalidInput(
            {"activity_type": [_("IMA offerings are posted by staff from attendance records.")]}
        )
    with transaction.atomic():
        lock_member(member)
        entry = _create_pending(
            member=member, data=data, provider=provider, evidence=evidence, by=by
        )
        audit.record(actor=by, action="entry.submitted", target=entry, member=member)
    return entry


def _create_pending(
    *,
    member: Member,
    data: ActivityInput,
    provider: str,
    evidence: UploadedFile[bytes] | None,
    by: User,
    resubmission_of: TranscriptEntry | None = None,
) -> TranscriptEntry:
    """A new pending self-reported entry judged by the credit rules, with its evidence and
    its "submitted" event. Inside the caller's transaction, with the member locked; the
    caller records the audit entry (a submission or a resubmission)."""
    result, kind = _judge(
        member=member, data=data, evidence=evidence, exclude_id=None, today=timezone.localdate()
    )
    entry = TranscriptEntry(
        member=member,
        source=Source.SELF,
        provider=provider.strip(),
        created_by=by,
        resubmission_of=resubmission_of,
    )
    _apply(entry, data, result)
    entry.save()  # version 1
    if evidence is not None and kind is not None:
        # The stored file's name needs the id: the same version 1, not a change.
        _store_evidence(entry, evidence, kind)
        entry.save(update_fields=["evidence", "evidence_name", "evidence_content_type"])
    EntryEvent.objects.create(
        entry=entry, action=EntryEvent.Action.SUBMITTED, by=by, credit_hours=entry.credit_hours
    )
    return entry


class StaleVersion(Conflict):
    """A decision on a version of the entry that is no longer the current one."""

    def __init__(self, entry: TranscriptEntry, seen: int) -> None:
        last = (
            entry.events.filter(action=EntryEvent.Action.EDITED)
            .select_related("by")
            .order_by("-at", "-pk")
            .first()
        )
        who = "by the member"
        if last is not None and last.by is not None and last.by_id != entry.member.user_id:
            who = f"by {last.by.email}"
        super().__init__(
            f"This entry was changed {who} after you opened it (version {seen}, now "
            f"{entry.version}). Review it again."
        )
        self.seen = seen
        self.current = entry.version


def _lock_pending(entry: TranscriptEntry, *, version: int | None = None) -> TranscriptEntry:
    """Lock the entry (after its member: ``_lock_member`` first); 409 unless it is still
    pending and, when ``version`` is given, still that version."""
    locked = (
        TranscriptEntry.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=entry.pk)
    )
    if locked.review_status != ReviewStatus.PENDING:
        raise Conflict(_not_pending(locked))
    if version is not None and version != locked.version:
        raise StaleVersion(locked, version)
    return locked


def check_editable(entry: TranscriptEntry) -> None:
    """Only pending self-reported entries change; IMA postings never do (409 otherwise)."""
    if entry.source != Source.SELF:
        raise Conflict(_("Entries posted by IMA cannot be edited."))
    if entry.review_status != ReviewStatus.PENDING:
        raise Conflict(_not_pending(entry))


def update_entry(
    *,
    entry: TranscriptEntry,
    data: ActivityInput,
    provider: str = "",
    evidence: UploadedFile[bytes] | None = None,
    by: User,
) -> TranscriptEntry:
    """Change a pending self-reported entry (owner or staff), its evidence included; the
    credit is recomputed and the version grows by one. Locks the member, then the entry."""
    check_editable(entry)
    if data.activity_type == ActivityType.IMA_OFFERING:
        raise InvalidInput({"activity_type": [_("Choose a self-reported activity type.")]})
    today = timezone.localdate()
    with transaction.atomic():
        lock_member(entry.member)
        locked = _lock_pending(entry)
        result, kind = _judge(
            member=locked.member, data=data, evidence=evidence, exclude_id=locked.pk, today=today
        )
        _apply(locked, data, result)
        locked.provider = provider.strip()
        if evidence is not None and kind is not None:
            _store_evidence(locked, evidence, kind)
        _bump(locked)
        locked.save()
        EntryEvent.objects.create(
            entry=locked, action=EntryEvent.Action.EDITED, by=by, credit_hours=locked.credit_hours
        )
        audit.record(actor=by, action="entry.edited", target=locked, member=locked.member)
    return locked


def withdraw_entry(*, entry: TranscriptEntry, by: User) -> TranscriptEntry:
    """The member takes back a pending entry; it stays on record as withdrawn."""
    with transaction.atomic():
        lock_member(entry.member_id)
        locked = _lock_pending(entry)
        locked.review_status = ReviewStatus.WITHDRAWN
        locked.save(update_fields=["review_status", "updated_at", _bump(locked)])
        EntryEvent.objects.create(entry=locked, action=EntryEvent.Action.WITHDRAWN, by=by)
        audit.record(actor=by, action="entry.withdrawn", target=locked, member=locked.member)
    return locked


def _decide(
    entry: TranscriptEntry, *, status: ReviewStatus, reason: str, by: User, version: int | None
) -> TranscriptEntry:
    from cpe.tasks import notify_entry_decision

    with transaction.atomic():
        # Member first: the approval writes the member's status (``facts_changed``), and a
        # member's edit of the same entry locks the member, then the entry.
        lock_member(entry.member_id)
        locked = _lock_pending(entry, version=version)
        locked.review_status = status
        locked.review_reason = reason
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        locked.save(
            update_fields=[
                "review_status",
                "review_reason",
                "reviewed_by",
                "reviewed_at",
                "updated_at",
                _bump(locked),
            ]
        )
        EntryEvent.objects.create(
            entry=locked,
            action=EntryEvent.Action.APPROVED
            if status == ReviewStatus.APPROVED
            else EntryEvent.Action.REJECTED,
            by=by,
            reason=reason,
            credit_hours=locked.credit_hours,
        )
        audit.record(
            actor=by,
            action="entry.approved" if status == ReviewStatus.APPROVED else "entry.rejected",
            target=locked,
            member=locked.member,
            why=reason,
            changes={"review_status": (ReviewStatus.PENDING, status)},
        )
        transaction.on_commit(lambda: enqueue(notify_entry_decision, locked.pk))
        if status == ReviewStatus.APPROVED:
            facts_changed(
                [locked.member_id],
                why=Reason("transcript.entry_approved", {"title": locked.title}),
            )
    return locked


def approve_entry(
    *, entry: TranscriptEntry, by: User, reason: str = "", version: int | None = None
) -> TranscriptEntry:
    """Approve a pending entry; with ``version``, only if it is still the version the
    reviewer saw (``StaleVersion`` otherwise, and nothing is decided)."""
    return _decide(
        entry, status=ReviewStatus.APPROVED, reason=reason.strip(), by=by, version=version
    )


def reject_entry(
    *, entry: TranscriptEntry, by: User, reason: str, version: int | None = None
) -> TranscriptEntry:
    if entry.review_status != ReviewStatus.PENDING:  # checked again under the lock
        raise Conflict(_not_pending(entry))
    if not reason or not reason.strip():
        raise InvalidInput({"reason": [_("Give the member the reason for the rejection.")]})
    return _decide(
        entry, status=ReviewStatus.REJECTED, reason=reason.strip(), by=by, version=version
    )


@dataclass(frozen=True)
class BulkResult:
    approved: list[int]
    skipped: list[int]  # no longer pending, or no such entry
    stale: list[TranscriptEntry] = field(default_factory=list)  # changed since it was listed


def bulk_approve(
    *, entry_ids: Sequence[int], by: User, versions: Mapping[int, int] | None = None
) -> BulkResult:
    """Approve every listed entry that is still pending and, where ``versions`` names the
    version the reviewer saw, still that version; report the others."""
    versions = versions or {}
    approved: list[int] = []
    skipped: list[int] = []
    stale: list[TranscriptEntry] = []
    for entry in TranscriptEntry.objects.filter(pk__in=entry_ids).order_by("pk"):
        try:
            approve_entry(entry=entry, by=by, version=versions.get(entry.pk))
            approved.append(entry.pk)
        except StaleVersion:
            stale.append(entry)
        except Conflict:
            skipped.append(entry.pk)
    missing = set(entry_ids) - set(approved) - set(skipped) - {e.pk for e in stale}
    return BulkResult(approved=approved, skipped=sorted([*skipped, *missing]), stale=stale)
