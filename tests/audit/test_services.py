"""Every state-changing service records one audit event: who (actor), what (action), on
which object (target), for which member, and why. A table of the services; a test that
fails when a public service function is neither in the table nor listed as a read."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from certification.services import requests as cert
from certification.services import verification
from cpe.services import entries, offerings
from members import services as members
from policy import services as policy
from policy.models import PolicyVersion
from refunds import services as refunds
from tests.cpe.test_services import seminar
from tests.factories import (
    EnrollmentFactory,
    EntryFactory,
    MemberFactory,
    OfferingFactory,
    StaffFactory,
)
from tests.refunds.builders import bought, days


@dataclass
class Ctx:
    staff: Any
    member: Any


@dataclass(frozen=True)
class Case:
    action: str
    run: Callable[[Ctx], Any]  # returns the target
    actor: str = "staff"  # "staff" or "member"
    why: str = ""
    member: bool = True  # the event names the member


def _approved_refund(c: Ctx) -> Any:
    refund = refunds.request_refund(enrollment=bought(c.member), by=c.member.user, reason="Ill.")
    return refunds.approve_refund(refund=refund, by=c.staff, reason="")


def _exemption(c: Ctx) -> Any:
    return cert.request_exemption(
        member=c.member, reason="illness", years=[2026], explanation="Surgery.", by=c.member.user
    )


def _retirement(c: Ctx) -> Any:
    c.member.birth_date = dt.date(1960, 1, 1)
    c.member.save()
    return cert.request_retirement(
        member=c.member, retired_on=timezone.localdate(), explanation="Done.", by=c.member.user
    )


CASES: dict[str, Case] = {
    "entries.submit_entry": Case(
        "entry.submitted",
        lambda c: entries.submit_entry(member=c.member, data=seminar(), by=c.member.user),
        actor="member",
    ),
    "entries.update_entry": Case(
        "entry.edited",
        lambda c: entries.update_entry(
            entry=EntryFactory(member=c.member), data=seminar(title="New"), by=c.member.user
        ),
        actor="member",
    ),
    "entries.withdraw_entry": Case(
        "entry.withdrawn",
        lambda c: entries.withdraw_entry(entry=EntryFactory(member=c.member), by=c.member.user),
        actor="member",
    ),
    "entries.approve_entry": Case(
        "entry.approved",
        lambda c: entries.approve_entry(
            entry=EntryFactory(member=c.member), by=c.staff, reason="ok"
        ),
        why="ok",
    ),
    "entries.reject_entry": Case(
        "entry.rejected",
        lambda c: entries.reject_entry(
            entry=EntryFactory(member=c.member), by=c.staff, reason="No proof."
        ),
        why="No proof.",
    ),
    "entries.bulk_approve": Case(
        "entry.approved",
        lambda c: (
            (e := EntryFactory(member=c.member))
            and entries.bulk_approve(entry_ids=[e.pk], by=c.staff)
            and e
        ),
    ),
    "offerings.create_offering": Case(
        "offering.created",
        lambda c: offerings.create_offering(
            kind="self_study", title="Ethics", price=Decimal("50"), by=c.staff
        ),
        member=False,
    ),
    "offerings.update_offering": Case(
        "offering.updated",
        lambda c: offerings.update_offering(
            offering=OfferingFactory(title="New title"), before={"title": "Old"}, by=c.staff
        ),
        member=False,
    ),
    "offerings.enroll": Case(
        "enrollment.created",
        lambda c: offerings.enroll(offering=OfferingFactory(), member=c.member, by=c.staff),
    ),
    "offerings.set_final_test_taken": Case(
        "enrollment.final_test_taken",
        lambda c: offerings.set_final_test_taken(
            enrollment=EnrollmentFactory(member=c.member), value=True, by=c.staff
        ),
    ),
    "offerings.record_attendance": Case(
        "attendance.recorded",
        lambda c: (
            (o := OfferingFactory(starts_on=days(-1)))
            and offerings.record_attendance(offering=o, members=[c.member], by=c.staff)
            and o
        ),
        why="imported",
    ),
    "cert.request_exemption": Case(
        "exemption.requested", _exemption, actor="member", why="illness"
    ),
    "cert.approve_exemption": Case(
        "exemption.approved",
        lambda c: cert.approve_exemption(exemption=_exemption(c), by=c.staff, reason="Seen."),
        why="Seen.",
    ),
    "cert.reject_exemption": Case(
        "exemption.rejected",
        lambda c: cert.reject_exemption(exemption=_exemption(c), by=c.staff, reason="No."),
        why="No.",
    ),
    "cert.request_retirement": Case("retirement.requested", _retirement, actor="member"),
    "cert.approve_retirement": Case(
        "retirement.approved",
        lambda c: cert.approve_retirement(retirement=_retirement(c), by=c.staff, reason="Ok."),
        why="Ok.",
    ),
    "cert.reject_retirement": Case(
        "retirement.rejected",
        lambda c: cert.reject_retirement(
            retirement=_retirement(c), by=c.staff, reason="Too early."
        ),
        why="Too early.",
    ),
    "verification.create_link": Case(
        "verification_link.created",
        lambda c: verification.create_link(member=c.member, by=c.member.user),
        actor="member",
    ),
    "verification.revoke_link": Case(
        "verification_link.revoked",
        lambda c: verification.revoke_link(
            link=verification.create_link(member=c.member, by=c.member.user), by=c.member.user
        ),
        actor="member",
    ),
    # Someone other than the member opens the link (the member's own look is not recorded).
    "verification.open_link": Case(
        "verification_link.opened",
        lambda c: verification.open_link(
            token=verification.create_link(member=c.member, by=c.member.user).token, by=c.staff
        ),
    ),
    "refunds.request_refund": Case(
        "refund.requested",
        lambda c: refunds.request_refund(
            enrollment=bought(c.member), by=c.member.user, reason="Ill."
        ),
        actor="member",
        why="Ill.",
    ),
    "refunds.approve_refund": Case("refund.approved", _approved_refund),
    "refunds.deny_refund": Case(
        "refund.denied",
        lambda c: refunds.deny_refund(
            refund=refunds.request_refund(
                enrollment=bought(c.member), by=c.member.user, reason="Ill."
            ),
            by=c.staff,
            reason="Policy.",
        ),
        why="Policy.",
    ),
    "refunds.issue_refund": Case(
        "refund.issued",
        lambda c: refunds.issue_refund(refund=_approved_refund(c), by=c.staff, reference="TX-1"),
        why="TX-1",
    ),
    "members.create_member": Case(
        "member.created",
        lambda c: members.create_member(
            email="new@example.org",
            password="a long passphrase 123",
            first_name="Ada",
            last_name="Lovelace",
            birth_date=dt.date(1980, 1, 1),
            by=c.staff,
        ),
    ),
    "members.record_dues_payment": Case(
        "dues.recorded",
        lambda c: members.record_dues_payment(
            member=c.member,
            amount=Decimal("295"),
            paid_on=timezone.localdate(),
            paid_through=dt.date(2027, 12, 31),
            note="Cheque 12.",
            by=c.staff,
        ),
        why="Cheque 12.",
    ),
    "members.update_member": Case(
        "member.updated",
        lambda c: members.update_member(
            member=c.member, before={"country": "NO"}, by=c.staff, why="Moved."
        ),
        why="Moved.",
    ),
    "members.set_member_language": Case(
        "member.language_changed",
        lambda c: members.set_member_language(member=c.member, language="nb", by=c.member.user),
        actor="member",
    ),
    "policy.save_policy_version": Case(
        "policy.created",
        lambda c: policy.save_policy_version(
            version=PolicyVersion(effective_from=2031, annual_hours=Decimal("40")),
            before=None,
            by=c.staff,
        ),
        member=False,
    ),
}

MODULES = {
    "entries": "cpe.services.entries",
    "offerings": "cpe.services.offerings",
    "attendance_file": "cpe.services.attendance_file",
    "cert": "certification.services.requests",
    "verification": "certification.services.verification",
    "refunds": "refunds.services",
    "members": "members.services",
    "policy": "policy.services",
}
# Public functions of the services modules that change nothing (checks, previews, reads).
READS = {
    "entries.activity_input",
    "entries.preview_credit",
    "entries.check_editable",
    "offerings.offering_errors",
    "members.new_member_errors",
    "members.dues_payment_errors",
    "attendance_file.members_from_attendance_csv",
    "cert.exemption_request_errors",
    "cert.retirement_request_errors",
    "refunds.refund_case",
    "refunds.preview_refund",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_service_records_who_did_what_to_which_object_and_why(
    name, django_capture_on_commit_callbacks
):
    case = CASES[name]
    ctx = Ctx(staff=StaffFactory(), member=MemberFactory(certified_on=dt.date(2020, 3, 1)))
    AuditEvent.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        target = case.run(ctx)
    event = AuditEvent.objects.filter(action=case.action).latest("at", "id")
    actor = ctx.staff if case.actor == "staff" else ctx.member.user
    assert event.actor_id == actor.pk
    assert event.target_id == str(target.pk)
    assert event.target_type.model_class() is type(target)
    if name == "members.create_member":
        assert event.member_id == target.pk
    elif case.member:
        assert event.member_id == ctx.member.pk
    else:
        assert event.member_id is None
    if case.why == "imported":
        assert "imported" in event.why
    else:
        assert event.why == case.why


def test_every_public_service_function_is_in_the_table_or_a_read():
    found = set()
    for short, module_name in MODULES.items():
        module = importlib.import_module(module_name)
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module_name and not fname.startswith("_"):
                found.add(f"{short}.{fname}")
    assert found - set(CASES) - READS == set()
    assert (set(CASES) | READS) - found == set()


@pytest.mark.django_db
def test_an_update_records_only_the_fields_that_changed():
    staff = StaffFactory()
    offering = OfferingFactory(title="Same", price=Decimal("10.00"))
    offering.price = Decimal("12.00")
    offerings.update_offering(
        offering=offering, before={"title": "Same", "price": Decimal("10.00")}, by=staff
    )
    event = AuditEvent.objects.get(action="offering.updated")
    assert event.changes == {"price": ["10.00", "12.00"]}
