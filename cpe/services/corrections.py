"""What a member does after an entry was submitted, so no entry is a dead end: correct a
rejected entry and submit it again (a new pending entry; the rejected one stays on record),
and add evidence to a pending entry. Same checks, locks and audit as ``cpe.services.entries``.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit
from cpe.credit import ActivityInput, ActivityType
from cpe.models import EntryEvent, ReviewStatus, Source, TranscriptEntry
from cpe.services.entries import (
    _bump,
    _check_evidence,
    _create_pending,
    _lock_pending,
    _store_evidence,
    check_editable,
)
from imaportal.exceptions import Conflict, InvalidInput
from members.locks import lock_member
from members.models import User


def check_resubmittable(entry: TranscriptEntry) -> None:
    """Only a rejected self-reported entry is corrected and resubmitted (409 otherwise)."""
    if entry.source != Source.SELF:
        raise Conflict(_("Entries posted by IMA cannot be resubmitted."))
    if entry.review_status != ReviewStatus.REJECTED:
        raise Conflict(
            _("This entry is %(state)s; only a rejected entry can be corrected and resubmitted.")
            % {"state": entry.get_review_status_display().lower()}
        )


def resubmit_entry(
    *,
    rejected: TranscriptEntry,
    data: ActivityInput,
    provider: str = "",
    evidence: UploadedFile[bytes] | None = None,
    by: User,
) -> TranscriptEntry:
    """A new pending entry correcting ``rejected``, which stays on record as rejected."""
    check_resubmittable(rejected)
    if data.activity_type == ActivityType.IMA_OFFERING:
        raise InvalidInput({"activity_type": [_("Choose a self-reported activity type.")]})
    with transaction.atomic():
        lock_member(rejected.member_id)
        rejected.refresh_from_db()
        check_resubmittable(rejected)
        member = rejected.member
        entry = _create_pending(
            member=member,
            data=data,
            provider=provider,
            evidence=evidence,
            by=by,
            resubmission_of=rejected,
        )
        audit.record(
            actor=by,
            action="entry.resubmitted",
            target=entry,
            member=member,
            why=f"Corrects rejected entry {rejected.pk}",
            changes={"resubmission_of": (None, rejected.pk)},
        )
    return entry


def add_evidence(
    *, entry: TranscriptEntry, evidence: UploadedFile[bytes], by: User
) -> TranscriptEntry:
    """Attach (or replace) the evidence of a pending self-reported entry; the version grows."""
    check_editable(entry)
    kind = _check_evidence(evidence)
    if kind is None:  # only without a file, which the signature rules out
        raise InvalidInput({"evidence": [_("Choose the evidence file to upload.")]})
    with transaction.atomic():
        lock_member(entry.member_id)
        locked = _lock_pending(entry)
        previous = locked.evidence_name
        _store_evidence(locked, evidence, kind)
        locked.save(
            update_fields=[
                "evidence",
                "evidence_name",
                "evidence_content_type",
                "updated_at",
                _bump(locked),
            ]
        )
        EntryEvent.objects.create(
            entry=locked, action=EntryEvent.Action.EDITED, by=by, credit_hours=locked.credit_hours
        )
        audit.record(
            actor=by,
            action="entry.evidence_added",
            target=locked,
            member=locked.member,
            changes={"evidence_name": (previous, locked.evidence_name)},
        )
    return locked
