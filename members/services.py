"""Every write to users and members goes through these functions (views, API, admin and
commands alike). A write that locks rows takes the Member row first (the portal's one lock
order, written out in ``cpe.services``)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from imaportal.exceptions import InvalidInput
from imaportal.reasons import Reason
from members.models import DuesPayment, Member, MembershipType, User
from members.signals import facts_changed

MEMBER_NUMBER_DIGITS = 8


def _new_member_number() -> str:
    low = 10 ** (MEMBER_NUMBER_DIGITS - 1)
    return str(low + secrets.randbelow(9 * low))


def new_member_errors(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    birth_date: dt.date,
    certified_on: dt.date | None,
) -> dict[str, list[str]]:
    """What is wrong with a new member's values, per field (empty when nothing); the admin's
    add form shows them before ``create_member`` writes."""
    today = timezone.localdate()
    email = User.objects.normalize_email(email).strip().lower()
    errors: dict[str, list[str]] = {}
    if not first_name.strip():
        errors["first_name"] = [_("Enter the member's first name.")]
    if not last_name.strip():
        errors["last_name"] = [_("Enter the member's last name.")]
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("A user with this email address already exists.")]
    if birth_date >= today:
        errors["birth_date"] = [_("The birth date must be in the past.")]
    if certified_on is not None:
        if certified_on > today:
            errors["certified_on"] = [_("The certification date cannot be in the future.")]
        elif certified_on <= birth_date:
            errors["certified_on"] = [_("The certification date must be after the birth date.")]
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    return errors


def create_member(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    birth_date: dt.date,
    certified_on: dt.date | None = None,
    country: str = "",
    membership_type: MembershipType | None = None,
    joined_on: dt.date | None = None,
    by: User | None = None,
) -> Member:
    """Create a login and its member profile with a new unique member number."""
    today = timezone.localdate()
    email = User.objects.normalize_email(email).strip().lower()
    errors = new_member_errors(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        certified_on=certified_on,
    )
    if errors:
        raise InvalidInput(errors)

    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
        for _attempt in range(10):
            try:
                with transaction.atomic():
                    member = Member.objects.create(
                        user=user,
                        member_number=_new_member_number(),
                        birth_date=birth_date,
                        certified_on=certified_on,
                        country=country.upper(),
                        membership_type=membership_type,
                        joined_on=joined_on or today,
                        created_by=by,
                    )
                audit.record(actor=by, action="member.created", target=member, member=member)
                facts_changed([member.pk], why=Reason("member.created"))
                return member
            except IntegrityError:
                continue  # member number taken: draw another
    raise RuntimeError("Could not draw a free member number in 10 attempts.")


def dues_payment_errors(
    *, amount: Decimal, paid_on: dt.date, paid_through: dt.date
) -> dict[str, list[str]]:
    """What is wrong with a dues payment's values, per field (empty when nothing)."""
    errors: dict[str, list[str]] = {}
    if amount < 0:
        errors["amount"] = [_("Enter an amount of 0 or more.")]
    if paid_on > timezone.localdate():
        errors["paid_on"] = [_("The payment date cannot be in the future.")]
    if paid_through < paid_on - dt.timedelta(days=366 * 5):
        errors["paid_through"] = [_("The paid-through date is implausibly far in the past.")]
    if paid_through > paid_on + dt.timedelta(days=366 * 5):
        errors["paid_through"] = [_("Dues can be paid at most five years ahead.")]
    return errors


def record_dues_payment(
    *,
    member: Member,
    amount: Decimal,
    paid_on: dt.date,
    paid_through: dt.date,
    currency: str = "USD",
    note: str = "",
    by: User,
) -> DuesPayment:
    """Record a dues payment; the member's paid-through date becomes the latest one."""
    errors = dues_payment_errors(amount=amount, paid_on=paid_on, paid_through=paid_through)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        payment = DuesPayment.objects.create(
            member=locked,
            amount=amount,
            currency=currency.upper(),
            paid_on=paid_on,
            paid_through=paid_through,
            note=note,
            recorded_by=by,
        )
        latest = max(d for d in (locked.dues_paid_through, paid_through) if d is not None)
        if latest != locked.dues_paid_through:
            Member.objects.filter(pk=locked.pk).update(dues_paid_through=latest)
            member.dues_paid_through = latest
        audit.record(
            actor=by,
            action="dues.recorded",
            target=payment,
            member=locked,
            why=note,
            changes={"dues_paid_through": (locked.dues_paid_through, latest)},
        )
        facts_changed(
            [locked.pk], why=Reason("member.dues_recorded", {"paid_through": paid_through})
        )
    return payment


def set_member_language(*, member: Member, language: str, by: User) -> Member:
    """Remember ``language`` as the member's language for pages and emails (recorded)."""
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        if locked.language == language:
            return locked
        before = locked.language
        locked.language = language
        locked.save(update_fields=["language"])
        audit.record(
            actor=by,
            action="member.language_changed",
            target=locked,
            member=locked,
            changes={"language": (before, language)},
        )
    member.language = language
    return locked


PROFILE_FIELDS = [
    "birth_date",
    "country",
    "membership_type",
    "certified_on",
    "dues_paid_through",
    "joined_on",
]
STATUS_FACTS = {"certified_on", "dues_paid_through"}


def update_member(*, member: Member, before: dict[str, Any], by: User, why: str = "") -> Member:
    """Save a member record changed in place (the admin form); ``before`` holds the old
    values of the changed fields. Records the change; a changed status fact recomputes."""
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()
        member.save()
        changes = audit.changed(member, before, PROFILE_FIELDS)
        audit.record(
            actor=by,
            action="member.updated",
            target=member,
            member=member,
            why=why,
            changes=changes,
        )
        if STATUS_FACTS & set(changes):
            facts_changed([member.pk], why=Reason("member.changed_by_staff"))
    return member
