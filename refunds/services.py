"""Every write of a refund request (SPEC section 4): the member asks, staff approve (with
special circumstances when the policy says no), deny, and issue the payment.

Each transition locks the request row and checks its state inside one transaction, so two
staff clicking at once change it once; the second gets ``Conflict`` (409). The database
backs this up with a partial unique index (one open request per enrollment). Mail to the
member goes out through Celery after the transaction commits. Views, API and admin all
call these functions.

Locks follow the portal's one order (written out in ``cpe.services``): the Member row
first, then the enrollment or the refund request. A transition of a request locks only the
request row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from cpe.models import Enrollment
from imaportal.exceptions import Conflict, InvalidInput, NotFound
from imaportal.queueing import enqueue
from imaportal.reasons import render_all
from members.models import Member, User
from policy.selectors import policy_for
from refunds import tasks
from refunds.models import OPEN_STATES, RefundRequest, RefundState
from refunds.policy import RefundCase, RefundOutcome, approval_errors, refund_outcome

REASON_MAX_LENGTH = 2000
REFERENCE_MAX_LENGTH = 100


def refund_case(enrollment: Enrollment) -> RefundCase:
    """The facts of ``enrollment`` (with its offering) that the refund policy looks at."""
    offering = enrollment.offering
    return RefundCase(
        kind=offering.kind,
        price=enrollment.price,
        enrolled_on=enrollment.enrolled_on,
        starts_on=offering.starts_on,
        final_test_taken=enrollment.final_test_taken,
        attended=enrollment.attended,
        refund_deadline_days=offering.refund_deadline_days,
        refund_fee_percent=offering.refund_fee_percent,
        currency=enrollment.currency,
    )


def preview_refund(enrollment: Enrollment, *, on: dt.date | None = None) -> RefundOutcome:
    """What a request made on ``on`` (today by default) would get. The terms are those of
    the policy in force in the year of purchase."""
    requested_on = on or timezone.localdate()
    policy = policy_for(enrollment.enrolled_on.year)
    return refund_outcome(refund_case(enrollment), requested_on=requested_on, policy=policy)


def _clean_text(value: str, field: str, *, required: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput({field: [required]})
    if len(text) > max_length:
        raise InvalidInput({field: [_("Keep it under %(n)d characters.") % {"n": max_length}]})
    return text


def _notify(refund_id: int, event: str) -> None:
    transaction.on_commit(lambda: enqueue(tasks.notify_refund, refund_id, event))


def request_refund(*, enrollment: Enrollment, by: User, reason: str) -> RefundRequest:
    """The member's written request; answered at once with the policy outcome and a
    confirmation email. Only the member files it, one open request per enrollment."""
    if enrollment.member.user_id != by.pk:
        raise NotFound()
    text = _clean_text(
        reason,
        "reason",
        required=_("Tell IMA in a few words why you ask for a refund."),
        max_length=REASON_MAX_LENGTH,
    )
    if enrollment.price <= 0:
        raise InvalidInput(
            {
                "enrollment": [
                    _("Nothing was paid for this registration, so there is nothing to refund.")
                ]
            }
        )
    try:
        with transaction.atomic():
            # The portal's lock order (cpe.services): the member, then the enrollment. The
            # new request's foreign key needs the member row as well.
            Member.objects.select_for_update().filter(pk=enrollment.member_id).first()
            # Serialize the requests of one enrollment; the index below is the backstop.
            locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
            locked.offering = enrollment.offering
            blocking = (
                RefundRequest.objects.filter(enrollment=locked, state__in=OPEN_STATES)
                .values_list("state", flat=True)
                .first()
            )
            if blocking is not None:
                raise Conflict(_blocked_message(blocking))
            today = timezone.localdate()
            outcome = preview_refund(locked, on=today)
            refund = RefundRequest.objects.create(
                enrollment=locked,
                member_id=locked.member_id,
                reason=text,
                requested_on=today,
                eligible=outcome.eligible,
                reason_code=outcome.reason_code.value,
                policy_reason_json=outcome.reason.as_json(),
                price=locked.price,
                currency=locked.currency,
                fee=outcome.fee,
                fee_percent=outcome.fee_percent,
                policy_amount=outcome.amount,
                amount=outcome.amount,
                issue_by=outcome.issue_by,
                created_by=by,
            )
            audit.record(
                actor=by, action="refund.requested", target=refund, member=locked.member, why=text
            )
            _notify(refund.pk, "requested")
    except IntegrityError:
        raise Conflict(_blocked_message(RefundState.REQUESTED)) from None
    return refund


def _blocked_message(state: str) -> str:
    """Why a purchase cannot get another refund request, given the blocking request's state."""
    if state == RefundState.ISSUED:
        return str(_("This purchase has already been refunded."))
    if state == RefundState.APPROVED:
        return str(_("A refund for this purchase has already been approved."))
    return str(_("This purchase already has an open refund request."))


def _lock(refund: RefundRequest, *, expected: RefundState, conflict: str) -> RefundRequest:
    locked = (
        RefundRequest.objects.select_for_update()
        .select_related("enrollment__offering", "member__user")
        .get(pk=refund.pk)
    )
    if locked.state != expected:
        raise Conflict(conflict % {"state": locked.get_state_display().lower()})
    return locked


def _parse_amount(value: Decimal | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput({"amount": [_("Enter an amount such as 45.00.")]}) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput({"amount": [_("Enter an amount in whole cents, such as 45.00.")]})
    return amount


def approve_refund(
    *,
    refund: RefundRequest,
    by: User,
    amount: Decimal | str | None = None,
    reason: str = "",
) -> RefundRequest:
    """Approve the policy refund, or grant special circumstances: an ``amount`` no higher
    than the price, with a ``reason``. An ineligible request needs both; a no-show gets no
    special circumstances."""
    given = _parse_amount(amount)
    text = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(
            refund,
            expected=RefundState.REQUESTED,
            conflict=_("This refund request is already %(state)s; it cannot be approved again."),
        )
        special = given is not None and (not locked.eligible or given != locked.policy_amount)
        _check_approval(locked, given=given, text=text, special=special)
        locked.state = RefundState.APPROVED
        locked.special_circumstances = special
        if given is not None:
            locked.amount = given
        locked.decision_reason = text
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(
            update_fields=[
                "state",
                "special_circumstances",
                "amount",
                "decision_reason",
                "decided_by",
                "decided_at",
            ]
        )
        audit.record(
            actor=by,
            action="refund.approved",
            target=locked,
            member=locked.member,
            why=text,
            changes={"state": (RefundState.REQUESTED.value, RefundState.APPROVED.value)},
        )
        _notify(locked.pk, "approved")
    return locked


def _check_approval(
    locked: RefundRequest, *, given: Decimal | None, text: str, special: bool
) -> None:
    """``InvalidInput`` unless the approval can stand (``refunds.policy.approval_errors``)."""
    errors = approval_errors(
        eligible=locked.eligible,
        reason_code=locked.reason_code,
        price=locked.price,
        currency=locked.currency,
        given=given,
        text=text,
        special=special,
        max_length=REASON_MAX_LENGTH,
    )
    if errors:
        raise InvalidInput({field: render_all(found) for field, found in errors.items()})


def deny_refund(*, refund: RefundRequest, by: User, reason: str = "") -> RefundRequest:
    """Deny the request; the member may ask again. Denying an eligible request needs a
    reason; otherwise the policy's own explanation stands when none is given."""
    text = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(
            refund,
            expected=RefundState.REQUESTED,
            conflict=_("This refund request is already %(state)s; it cannot be denied."),
        )
        if locked.eligible and not text:
            raise InvalidInput(
                {
                    "reason": [
                        _(
                            "The policy allows this refund; say why it is denied. The member "
                            "sees the reason."
                        )
                    ]
                }
            )
        if len(text) > REASON_MAX_LENGTH:
            raise InvalidInput(
                {"reason": [_("Keep it under %(n)d characters.") % {"n": REASON_MAX_LENGTH}]}
            )
        locked.state = RefundState.DENIED
        # Only what staff wrote; with no reason, pages and mail show the policy's own.
        locked.decision_reason = text
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
        audit.record(
            actor=by,
            action="refund.denied",
            target=locked,
            member=locked.member,
            why=text or locked.policy_reason,
            changes={"state": (RefundState.REQUESTED.value, RefundState.DENIED.value)},
        )
        _notify(locked.pk, "denied")
    return locked


def issue_refund(*, refund: RefundRequest, by: User, reference: str) -> RefundRequest:
    """Mark an approved refund paid, with the payment reference. Exactly once: a second
    call, however close, gets ``Conflict``."""
    with transaction.atomic():
        locked = (
            RefundRequest.objects.select_for_update()
            .select_related("enrollment__offering", "member__user")
            .get(pk=refund.pk)
        )
        if locked.state == RefundState.ISSUED:
            raise Conflict(
                _("This refund was already issued (reference %(ref)s); it is issued only once.")
                % {"ref": locked.reference}
            )
        if locked.state != RefundState.APPROVED:
            raise Conflict(
                _("Only an approved refund can be issued; this request is %(state)s.")
                % {"state": locked.get_state_display().lower()}
            )
        text = _clean_text(
            reference,
            "reference",
            required=_("Enter the payment reference of the refund."),
            max_length=REFERENCE_MAX_LENGTH,
        )
        locked.state = RefundState.ISSUED
        locked.reference = text
        locked.issued_by = by
        locked.issued_at = timezone.now()
        locked.save(update_fields=["state", "reference", "issued_by", "issued_at"])
        audit.record(
            actor=by,
            action="refund.issued",
            target=locked,
            member=locked.member,
            why=text,
            changes={"state": (RefundState.APPROVED.value, RefundState.ISSUED.value)},
        )
        _notify(locked.pk, "issued")
    return locked
