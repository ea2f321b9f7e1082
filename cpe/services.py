"""Every write of the CPE app: transcript entries, their review, offerings, enrollments and
attendance. Each function validates, locks, changes, records who/when/why and schedules
side effects (email) on commit. Views, API, admin and tasks all call these.

Lock order (the same in every service of the portal: cpe.services, cpe.request_services,
refunds.services, members.services): a write that locks more than one row takes

1. the Member row(s) first, several in ascending id;
2. then the object it is about (transcript entry, offering, enrollment, exemption or
   retirement request, refund request);
3. then rows hanging off that object (an offering's enrollments).

Never the other way round: two writes that lock the same rows in different orders wait for
each other until PostgreSQL kills one (a deadlock, a 500). Writing a row also locks it (the
member's stored status in ``facts_changed``, the referenced row of a new foreign key), so
those count too.

Every change of a transcript entry adds one to its ``version`` (``_bump``); a decision may
name the version the reviewer saw and is refused (``StaleVersion``, 409) when it changed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from cpe import selectors
from cpe.credit import (
    ActivityInput,
    ActivityType,
    CreditRefused,
    CreditResult,
    check_offering,
    compute_credit,
)
from cpe.evidence import EvidenceRefused, evidence_type
from cpe.models import (
    Enrollment,
    EntryEvent,
    Offering,
    OfferingKind,
    ReviewStatus,
    Source,
    TranscriptEntry,
)
from cpe.recompute import facts_changed
from imaportal.exceptions import Conflict, InvalidInput
from imaportal.queueing import enqueue
from members.models import Member, User

INPUT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ActivityInput))


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
            data, prior=prior, policy=selectors.policy_for(data.completed_on.year), today=today
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


def _lock_member(member: Member | int) -> None:
    """Serialize writes of one member's transcript (the repeat rules read siblings). Always
    the first lock of a transaction (see the lock order above)."""
    member_id = member if isinstance(member, int) else member.pk
    Member.objects.select_for_update().filter(pk=member_id).first()


def _lock_members(member_ids: Iterable[int]) -> None:
    """Lock several members, in ascending id (the lock order above)."""
    ids = sorted(set(member_ids))
    if ids:
        list(Member.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))


def _bump(entry: TranscriptEntry) -> str:
    """Count one more change of a locked entry; the field name, for ``update_fields``."""
    entry.version += 1
    return "version"


def _apply(entry: TranscriptEntry, data: ActivityInput, result: CreditResult) -> None:
    for name in INPUT_FIELDS:
        setattr(entry, name, getattr(data, name))
    entry.credit_hours = result.credit_hours
    entry.credit_rule = result.rule
    entry.credit_reasons = list(result.reasons)


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
            {"activity_type": ["IMA offerings are posted by staff from attendance records."]}
        )
    today = timezone.localdate()
    with transaction.atomic():
        _lock_member(member)
        result, kind = _judge(
            member=member, data=data, evidence=evidence, exclude_id=None, today=today
        )
        entry = TranscriptEntry(
            member=member, source=Source.SELF, provider=provider.strip(), created_by=by
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
        raise Conflict(f"This entry is {locked.get_review_status_display().lower()}, not pending.")
    if version is not None and version != locked.version:
        raise StaleVersion(locked, version)
    return locked


def check_editable(entry: TranscriptEntry) -> None:
    """Only pending self-reported entries change; IMA postings never do (409 otherwise)."""
    if entry.source != Source.SELF:
        raise Conflict("Entries posted by IMA cannot be edited.")
    if entry.review_status != ReviewStatus.PENDING:
        raise Conflict(f"This entry is {entry.get_review_status_display().lower()}, not pending.")


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
        raise InvalidInput({"activity_type": ["Choose a self-reported activity type."]})
    today = timezone.localdate()
    with transaction.atomic():
        _lock_member(entry.member)
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
    return locked


def withdraw_entry(*, entry: TranscriptEntry, by: User) -> TranscriptEntry:
    """The member takes back a pending entry; it stays on record as withdrawn."""
    with transaction.atomic():
        _lock_member(entry.member_id)
        locked = _lock_pending(entry)
        locked.review_status = ReviewStatus.WITHDRAWN
        locked.save(update_fields=["review_status", "updated_at", _bump(locked)])
        EntryEvent.objects.create(entry=locked, action=EntryEvent.Action.WITHDRAWN, by=by)
    return locked


def _decide(
    entry: TranscriptEntry, *, status: ReviewStatus, reason: str, by: User, version: int | None
) -> TranscriptEntry:
    from cpe.tasks import notify_entry_decision

    with transaction.atomic():
        # Member first: the approval writes the member's status (``facts_changed``), and a
        # member's edit of the same entry locks the member, then the entry.
        _lock_member(entry.member_id)
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
        transaction.on_commit(lambda: enqueue(notify_entry_decision, locked.pk))
        if status == ReviewStatus.APPROVED:
            facts_changed([locked.member_id], why=f"CPE entry “{locked.title}” approved.")
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
        raise Conflict(f"This entry is {entry.get_review_status_display().lower()}, not pending.")
    if not reason or not reason.strip():
        raise InvalidInput({"reason": ["Give the member the reason for the rejection."]})
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


def create_offering(
    *,
    kind: str,
    title: str,
    price: Decimal,
    currency: str = "USD",
    starts_on: dt.date | None = None,
    cpe_hours: Decimal = Decimal("0"),
    description: str = "",
    refund_deadline_days: int | None = None,
    refund_fee_percent: Decimal | None = None,
    by: User,
) -> Offering:
    errors: dict[str, list[str]] = {}
    try:
        check_offering(kind=kind, cpe_hours=cpe_hours)
    except CreditRefused as exc:
        errors.update(exc.errors)
    if kind in (OfferingKind.LIVE_EVENT, OfferingKind.CONFERENCE) and starts_on is None:
        errors["starts_on"] = ["Events and conferences need a start date."]
    if kind == OfferingKind.CONFERENCE:
        if refund_deadline_days is None:
            errors["refund_deadline_days"] = ["A conference needs its own refund deadline."]
        if refund_fee_percent is None:
            errors["refund_fee_percent"] = ["A conference needs its own refund fee."]
    if refund_fee_percent is not None and not (0 <= refund_fee_percent <= 100):
        errors["refund_fee_percent"] = ["Enter a percentage between 0 and 100."]
    if price < 0:
        errors["price"] = ["Enter a price of 0 or more."]
    if not title.strip():
        errors["title"] = ["Enter a title."]
    if errors:
        raise InvalidInput(errors)
    return Offering.objects.create(
        kind=kind,
        title=title.strip(),
        price=price,
        currency=currency.upper(),
        starts_on=starts_on,
        cpe_hours=cpe_hours,
        description=description,
        refund_deadline_days=refund_deadline_days,
        refund_fee_percent=refund_fee_percent,
        created_by=by,
    )


def enroll(
    *,
    offering: Offering,
    member: Member,
    by: User,
    enrolled_on: dt.date | None = None,
    final_test_taken: bool = False,
) -> Enrollment:
    """Enroll (buy) at the offering's price of this moment. Only staff set a past date."""
    today = timezone.localdate()
    if enrolled_on is not None and enrolled_on > today:
        raise InvalidInput({"enrolled_on": ["The enrollment date cannot be in the future."]})
    try:
        with transaction.atomic():
            # Member first (the lock order above): attendance locks the member, then the
            # offering; the new row's foreign keys lock both too.
            _lock_member(member)
            return Enrollment.objects.create(
                member=member,
                offering=offering,
                price=offering.price,
                currency=offering.currency,
                enrolled_on=enrolled_on or today,
                final_test_taken=final_test_taken,
                created_by=by,
            )
    except IntegrityError:
        raise Conflict("This member is already enrolled in this offering.") from None


def set_final_test_taken(*, enrollment: Enrollment, value: bool, by: User) -> Enrollment:
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        locked.final_test_taken = value
        locked.save(update_fields=["final_test_taken"])
    return locked


@dataclass(frozen=True)
class AttendanceResult:
    posted: int  # new transcript entries
    already_recorded: int  # members whose attendance was already on record
    walk_ins: int  # members enrolled at this moment at no charge


def record_attendance(
    *, offering: Offering, members: Iterable[Member], by: User
) -> AttendanceResult:
    """Mark each member's enrollment attended (enrolling walk-ins at no charge) and post
    an approved IMA entry worth the offering's CPE hours. All or nothing; idempotent."""
    today = timezone.localdate()
    members = list({m.pk: m for m in members}.values())
    if offering.starts_on is not None and offering.starts_on > today:
        raise InvalidInput(
            {"members": [f"Attendance can be recorded from the start date, {offering.starts_on}."]}
        )
    completed_on = offering.starts_on or today
    try:
        result = compute_credit(
            ActivityInput(
                activity_type=ActivityType.IMA_OFFERING,
                title=offering.title,
                completed_on=completed_on,
                recommended_hours=offering.cpe_hours,
            ),
            policy=selectors.policy_for(completed_on.year),
            today=today,
        )
    except CreditRefused as exc:
        raise InvalidInput({"members": [str(exc)]}) from None
    now = timezone.now()
    with transaction.atomic():
        # The lock order above: the members (ascending id), then the offering, then its
        # enrollments; the entries' status writes (``facts_changed``) need the members.
        _lock_members(m.pk for m in members)
        Offering.objects.select_for_update().filter(pk=offering.pk).first()
        before = dict(
            Enrollment.objects.filter(offering=offering, member__in=members).values_list(
                "member_id", "attended"
            )
        )
        walk_ins = [
            Enrollment(
                member=m,
                offering=offering,
                price=Decimal("0.00"),
                currency=offering.currency,
                enrolled_on=completed_on,
                attended=True,
                walk_in=True,
                created_by=by,
            )
            for m in members
            if m.pk not in before
        ]
        Enrollment.objects.bulk_create(walk_ins)
        Enrollment.objects.filter(offering=offering, member__in=members, attended=False).update(
            attended=True
        )
        enrollments = list(
            Enrollment.objects.filter(offering=offering, member__in=members).order_by("pk")
        )
        has_entry = set(
            TranscriptEntry.objects.filter(enrollment__in=enrollments).values_list(
                "enrollment_id", flat=True
            )
        )
        new_entries = [
            TranscriptEntry(
                member_id=e.member_id,
                source=Source.IMA,
                activity_type=ActivityType.IMA_OFFERING,
                title=offering.title,
                provider="IMA",
                completed_on=completed_on,
                has_instructor=True,
                has_formal_materials=True,
                recommended_hours=offering.cpe_hours,
                credit_hours=result.credit_hours,
                credit_rule=result.rule,
                credit_reasons=list(result.reasons),
                review_status=ReviewStatus.APPROVED,
                reviewed_by=by,
                reviewed_at=now,
                offering=offering,
                enrollment=e,
                created_by=by,
                created_at=now,
            )
            for e in enrollments
            if e.pk not in has_entry and offering.cpe_hours > 0
        ]
        TranscriptEntry.objects.bulk_create(new_entries)
        facts_changed(
            [e.member_id for e in new_entries], why=f"Attendance of “{offering.title}” posted."
        )
        EntryEvent.objects.bulk_create(
            EntryEvent(
                entry=entry,
                action=EntryEvent.Action.POSTED,
                by=by,
                at=now,
                credit_hours=entry.credit_hours,
            )
            for entry in new_entries
        )
    return AttendanceResult(
        posted=len(new_entries),
        already_recorded=sum(1 for attended in before.values() if attended),
        walk_ins=len(walk_ins),
    )


def members_from_attendance_csv(text: str) -> list[Member]:
    """Read an attendance file: one member per row, by member number or email in the first
    column; a first row that is neither is taken as a header. Every row is checked first;
    bad rows are reported by line number."""
    rows: list[tuple[int, str]] = []
    try:
        for line_no, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
            cells = [c.strip() for c in row if c.strip()]
            if not cells:
                continue
            value = cells[0]
            if line_no == 1 and "@" not in value and not value.isdigit():
                continue  # a header row such as "member_number" or "Email address"
            rows.append((line_no, value))
    except csv.Error as exc:
        raise InvalidInput({"file": [f"The file is not a readable CSV file: {exc}."]}) from None
    if not rows:
        raise InvalidInput({"file": ["The file lists no members."]})
    numbers = {v for _, v in rows if "@" not in v}
    emails = {v.lower() for _, v in rows if "@" in v}
    found: dict[str, Member] = {}
    for m in Member.objects.select_related("user").filter(member_number__in=numbers):
        found[m.member_number] = m
    by_email = Member.objects.select_related("user").annotate(email_lower=Lower("user__email"))
    for m in by_email.filter(email_lower__in=emails):
        found[m.user.email.lower()] = m
    errors: list[str] = []
    members: list[Member] = []
    for line_no, value in rows:
        member = found.get(value.lower() if "@" in value else value)
        if member is None:
            errors.append(f"Line {line_no}: no member with number or email “{value}”.")
        else:
            members.append(member)
    if errors:
        raise InvalidInput({"file": errors})
    return members
