"""The reads of the staff status overview take ``today`` as an argument: every date branch
(the at-risk list from October on, the year whose hours count) is tested with chosen dates."""

import datetime as dt
from decimal import Decimal

import pytest

from certification import selectors
from members.choices import CertificationStatus
from members.models import Member
from tests.factories import EntryFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _with_status(status: str, **kwargs) -> Member:
    pk = MemberFactory(**kwargs).pk
    Member.objects.filter(pk=pk).update(status=status)
    return Member.objects.get(pk=pk)


def _approved(member: Member, hours: str, on: dt.date) -> None:
    EntryFactory(
        member=member, completed_on=on, credit_hours=Decimal(hours), review_status="approved"
    )


@pytest.mark.parametrize(
    ("today", "in_q4"),
    [
        (dt.date(2026, 1, 1), False),
        (dt.date(2026, 9, 30), False),
        (dt.date(2026, 10, 1), True),
        (dt.date(2026, 12, 31), True),
    ],
)
def test_the_at_risk_list_shows_from_october_on(today, in_q4):
    short = _with_status(CertificationStatus.ACTIVE)
    _approved(short, "8.0", dt.date(2026, 3, 1))
    overview = selectors.staff_overview(today=today)
    assert overview.in_q4 is in_q4
    assert overview.short == ([short] if in_q4 else [])
    assert overview.requirement == Decimal("30")


def test_only_this_years_approved_hours_count_toward_the_requirement():
    caught_up = _with_status(CertificationStatus.ACTIVE)
    _approved(caught_up, "30.0", dt.date(2026, 2, 1))
    behind = _with_status(CertificationStatus.ACTIVE)
    _approved(behind, "30.0", dt.date(2025, 6, 1))  # last year's hours
    EntryFactory(member=behind, completed_on=dt.date(2026, 2, 1))  # pending: not counted
    short = selectors.short_of_requirement(today=dt.date(2026, 11, 1), requirement=Decimal(30))
    assert short == [behind]
    assert short[0].earned == Decimal("0")
    # A year later, the 2026 hours no longer count: both are short of 2027's requirement.
    later = selectors.short_of_requirement(today=dt.date(2027, 11, 1), requirement=Decimal(30))
    assert set(later) == {caught_up, behind}


def test_members_certified_this_year_are_not_at_risk():
    _with_status(CertificationStatus.ACTIVE, certified_on=dt.date(2026, 2, 1))
    assert selectors.short_of_requirement(today=dt.date(2026, 11, 1), requirement=Decimal(30)) == []
    assert (
        len(selectors.short_of_requirement(today=dt.date(2027, 11, 1), requirement=Decimal(30)))
        == 1
    )


def test_counts_per_status_and_the_members_in_make_up():
    makeup = _with_status(CertificationStatus.INACTIVE_MAKEUP)
    _with_status(CertificationStatus.ACTIVE)
    _with_status("")
    overview = selectors.staff_overview(today=dt.date(2026, 5, 1))
    counts = {value: n for value, _label, n in overview.rows}
    assert counts[CertificationStatus.ACTIVE] == 1
    assert counts[CertificationStatus.INACTIVE_MAKEUP] == 1
    assert counts[CertificationStatus.RETIRED] == 0
    assert overview.not_computed == 1
    assert overview.makeup == [makeup]
    assert overview.makeup_count == 1


def test_a_member_is_found_by_number_or_email_in_any_case():
    member = MemberFactory(user__email="Carla@Example.org")
    assert selectors.member_by_number_or_email(f" {member.member_number} ") == member
    assert selectors.member_by_number_or_email("carla@example.org") == member
    assert selectors.member_by_number_or_email("nobody@example.org") is None
