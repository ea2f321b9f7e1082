"""Writes of IMA's own offerings: creating them, enrolling (buying), the final test flag, and
posting attendance as approved IMA credit. Locks follow ``members.locks``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from cpe.choices import OfferingKind
from cpe.credit import (
    ActivityInput,
    ActivityType,
    CreditRefused,
    CreditResult,
    check_offering,
    compute_credit,
)
from cpe.models import (
    Enrollment,
    EntryEvent,
    Offering,
    ReviewStatus,
    Source,
    TranscriptEntry,
)
from imaportal.exceptions import Conflict, InvalidInput
from imaportal.formatting import day
from imaportal.reasons import Reason
from members.locks import lock_member, lock_members
from members.models import Member, User
from members.signals import facts_changed
from policy.selectors import policy_for


def offering_errors(
    *,
    kind: str,
    title: str,
    price: Decimal,
    starts_on: dt.date | None,
    cpe_hours: Decimal,
    refund_deadline_days: int | None,
    refund_fee_percent: Decimal | None,
) -> dict[str, list[str]]:
    """What is wrong with these offering values, per field (empty when nothing): the
    checks of a new offering and of a changed one (the admin form shows them)."""
    errors: dict[str, list[str]] = {}
    try:
        check_offering(kind=kind, cpe_hours=cpe_hours)
    except CreditRefused as exc:
        errors.update(exc.errors)
    if kind in (OfferingKind.LIVE_EVENT, OfferingKind.CONFERENCE) and starts_on is None:
        errors["starts_on"] = [_("Events and conferences need a start date.")]
    if kind == OfferingKind.CONFERENCE:
        if refund_deadline_days is None:
            errors["refund_deadline_days"] = [_("A conference needs its own refund deadline.")]
        if refund_fee_percent is None:
            errors["refund_fee_percent"] = [_("A conference needs its own refund fee.")]
    if refund_fee_percent is not None and not (0 <= refund_fee_percent <= 100):
        errors["refund_fee_percent"] = [_("Enter a percentage between 0 and 100.")]
    if price < 0:
        errors["price"] = [_("Enter a price of 0 or more.")]
    if not title.strip():
        errors["title"] = [_("Enter a title.")]
    return errors


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
    errors = offering_errors(
        kind=kind,
        title=title,
        price=price,
        starts_on=starts_on,
        cpe_hours=cpe_hours,
        refund_deadline_days=refund_deadline_days,
        refund_fee_percent=refund_fee_percent,
    )
    if errors:
        raise InvalidInput(errors)
    offering = Offering.objects.create(
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
    audit.record(actor=by, action="offering.created", target=offering)
    return offering


OFFERING_FIELDS = [
    "kind",
    "title",
    "price",
    "currency",
    "starts_on",
    "cpe_hours",
    "description",
    "refund_deadline_days",
    "refund_fee_percent",
]


def update_offering(*, offering: Offering, before: dict[str, object], by: User) -> Offering:
    """Save an offering changed in place (the admin form), after the same checks as a new
    one, and record what changed; ``before`` is ``audit.snapshot(offering, OFFERING_FIELDS)``
    taken before the change."""
    errors = offering_errors(
        kind=offering.kind,
        title=offering.title,
        price=offering.price,
        starts_on=offering.starts_on,
        cpe_hours=offering.cpe_hours,
        refund_deadline_days=offering.refund_deadline_days,
        refund_fee_percent=offering.refund_fee_percent,
    )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        offering.save()
        audit.record(
            actor=by,
            action="offering.updated",
            target=offering,
            changes=audit.changed(offering, before, OFFERING_FIELDS),
        )
    return offering


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
        raise InvalidInput({"enrolled_on": [_("The enrollment date cannot be in the future.")]})
    try:
        with transaction.atomic():
            # Member first (the lock order above): attendance locks the member, then the
            # offering; the new row's foreign keys lock both too.
            lock_member(member)
            enrollment = Enrollment.objects.create(
                member=member,
                offering=offering,
                price=offering.price,
                currency=offering.currency,
                enrolled_on=enrolled_on or today,
                final_test_taken=final_test_taken,
                created_by=by,
            )
            audit.record(actor=by, action="enrollment.created", target=enrollment, member=member)
            return enrollment
    except IntegrityError:
        raise Conflict(_("This member is already enrolled in this offering.")) from None


def set_final_test_taken(*, enrollment: Enrollment, value: bool, by: User) -> Enrollment:
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        old = locked.final_test_taken
        locked.final_test_taken = value
        locked.save(update_fields=["final_test_taken"])
        audit.record(
            actor=by,
            action="enrollment.final_test_taken",
            target=locked,
            member=locked.member,
            changes={"final_test_taken": (old, value)} if old != value else {},
        )
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
    completed_on, credit = _attendance_credit(offering, today)
    with transaction.atomic():
        # The lock order above: the members (ascending id), then the offering, then its
        # enrollments; the entries' status writes (``facts_changed``) need the members.
        lock_members(m.pk for m in members)
        Offering.objects.select_for_update().filter(pk=offering.pk).first()
        before = dict(
            Enrollment.objects.filter(offering=offering, member__in=members).values_list(
                "member_id", "attended"
            )
        )
        walk_ins = _mark_attended(offering, members, before, completed_on, by)
        new_entries = _post_attendance_entries(offering, members, credit, completed_on, by)
        facts_changed(
            [e.member_id for e in new_entries],
            why=Reason("transcript.attendance_posted", {"title": offering.title}),
        )
        audit.record_for_members(
            actor=by,
            action="attendance.recorded",
            target=offering,
            member_ids=[m.pk for m in members],
            why=f"Attendance of “{offering.title}” imported.",
        )
    return AttendanceResult(
        posted=len(new_entries),
        already_recorded=sum(1 for attended in before.values() if attended),
        walk_ins=walk_ins,
    )


def _attendance_credit(offering: Offering, today: dt.date) -> tuple[dt.date, CreditResult]:
    """The completion date and the credit of attending ``offering``, or ``InvalidInput``
    before it starts or when its hours break the rules."""
    if offering.starts_on is not None and offering.starts_on > today:
        raise InvalidInput(
            {
                "members": [
                    _("Attendance can be recorded from the start date, %(date)s.")
                    % {"date": day(offering.starts_on)}
                ]
            }
        )
    completed_on = offering.starts_on or today
    try:
        credit = compute_credit(
            ActivityInput(
                activity_type=ActivityType.IMA_OFFERING,
                title=offering.title,
                completed_on=completed_on,
                recommended_hours=offering.cpe_hours,
            ),
            policy=policy_for(completed_on.year),
            today=today,
        )
    except CreditRefused as exc:
        raise InvalidInput({"members": [str(exc)]}) from None
    return completed_on, credit


def _mark_attended(
    offering: Offering,
    members: list[Member],
    before: dict[int, bool],
    completed_on: dt.date,
    by: User,
) -> int:
    """Enroll the walk-ins (members with no enrollment) at no charge and mark every
    enrollment attended; return how many walk-ins were enrolled."""
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
    return len(walk_ins)


def _post_attendance_entries(
    offering: Offering,
    members: list[Member],
    credit: CreditResult,
    completed_on: dt.date,
    by: User,
) -> list[TranscriptEntry]:
    """Post an approved IMA entry (with its history event) for each attended enrollment
    that has none yet; an offering without CPE hours posts nothing."""
    if offering.cpe_hours <= 0:
        return []
    now = timezone.now()
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
            credit_hours=credit.credit_hours,
            credit_rule=credit.rule,
            credit_reasons=[reason.as_json() for reason in credit.reasons],
            review_status=ReviewStatus.APPROVED,
            reviewed_by=by,
            reviewed_at=now,
            offering=offering,
            enrollment=e,
            created_by=by,
            created_at=now,
        )
        for e in enrollments
        if e.pk not in has_entry
    ]
    TranscriptEntry.objects.bulk_create(new_entries)
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
    return new_entries
