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


def _active(**kwargs) -> Member:
    """An active member whose first reporting year is 2026 (certified in 2025)."""
    kwargs.setdefault("certified_on", dt.date(2025, 3, 1))
    kwargs.setdefault("dues_paid_through", dt.date(2027, 12, 31))
    return _with_status(CertificationStatus.ACTIVE, **kwargs)


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
    short = _active()
    _approved(short, "8.0", dt.date(2026, 3, 1))
    overview = selectors.staff_overview(today=today)
    assert overview.in_q4 is in_q4
    assert [risk.member for risk in overview.short] == ([short] if in_q4 else [])
    assert overview.requirement == Decimal("30")


def test_only_this_years_approved_hours_count_toward_the_requirement():
    caught_up = _active()
    _approved(caught_up, "30.0", dt.date(2026, 2, 1))
    behind = _active()
    _approved(behind, "30.0", dt.date(2025, 6, 1))  # the grace year's hours count for 2026
    _approved(behind, "3.0", dt.date(2024, 6, 1))  # before certification: never counted
    EntryFactory(member=behind, completed_on=dt.date(2026, 2, 1))  # pending: not counted
    assert selectors.short_of_requirement(today=dt.date(2026, 11, 1)) == []
    # A year later, 2026's hours count only as carried in (at most 10): both are short.
    later = selectors.short_of_requirement(today=dt.date(2027, 11, 1))
    assert {risk.member for risk in later} == {caught_up, behind}
    assert {risk.hours_needed for risk in later} == {Decimal("30.0")}


def test_carried_in_hours_count_as_the_engine_counts_them():
    """A member with 37 hours last year carries 7 in: with 23 this year the requirement is
    met (not at risk); one with 17 this year is 6 short, the engine's figure (not 13)."""
    met = _active(certified_on=dt.date(2024, 3, 1))
    _approved(met, "37.0", dt.date(2025, 5, 1))
    _approved(met, "23.0", dt.date(2026, 5, 1))
    short = _active(certified_on=dt.date(2024, 3, 1))
    _approved(short, "37.0", dt.date(2025, 5, 1))
    _approved(short, "17.0", dt.date(2026, 5, 1))
    at_risk = selectors.short_of_requirement(today=dt.date(2026, 11, 1))
    assert [(risk.member, risk.hours_needed) for risk in at_risk] == [(short, Decimal("6.0"))]


def test_the_at_risk_list_reads_a_fixed_number_of_queries(django_assert_num_queries):
    for hours in ("5.0", "10.0"):
        _approved(_active(), hours, dt.date(2026, 3, 1))
    with django_assert_num_queries(6):
        assert len(selectors.short_of_requirement(today=dt.date(2026, 11, 1))) == 2
    for hours in ("1.0", "2.0", "3.0"):
        _approved(_active(), hours, dt.date(2026, 3, 1))
    with django_assert_num_queries(6):
        at_risk = selectors.short_of_requirement(today=dt.date(2026, 11, 1))
    assert [risk.hours_needed for risk in at_risk] == [
        Decimal(h) for h in ("29.0", "28.0", "27.0", "25.0", "20.0")
    ]


def test_members_certified_this_year_are_not_at_risk():
    _active(certified_on=dt.date(2026, 2, 1))
    assert selectors.short_of_requirement(today=dt.date(2026, 11, 1)) == []
    assert len(selectors.short_of_requirement(today=dt.date(2027, 11, 1))) == 1


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


def test_judging_in_chunks_finds_the_same_members_as_judging_all_at_once(
    django_assert_num_queries,
):
    """Candidates are judged fewest hours of the year first, a chunk at a time; carried-in
    hours reorder them, and the list stops only when no one left can rank."""
    today = dt.date(2026, 11, 1)
    for last_year, this_year in (
        ("40.0", "5.0"),
        ("30.0", "6.0"),
        ("30.0", "1.0"),
        ("50.0", "0.5"),
        ("30.0", "10.0"),
        ("45.0", "2.0"),
        ("30.0", "0.0"),
    ):
        member = _active(certified_on=dt.date(2024, 3, 1))
        _approved(member, last_year, dt.date(2025, 6, 1))
        _approved(member, this_year, dt.date(2026, 3, 1))
    everyone = selectors.short_of_requirement(today=today, limit=100, chunk=1000)
    assert len(everyone) == 7
    assert [a.hours_needed for a in everyone] == sorted(
        (a.hours_needed for a in everyone), reverse=True
    )
    for limit in (1, 2, 3):
        for chunk in (1, 2, 4):
            assert (
                selectors.short_of_requirement(today=today, limit=limit, chunk=chunk)
                == (everyone[:limit])
            )
    # The member with no hours this year and none carried in needs all 30: nobody left can
    # need more, so one chunk of one settles a list of one.
    with django_assert_num_queries(6):
        (first,) = selectors.short_of_requirement(today=today, limit=1, chunk=1)
    assert first.hours_needed == Decimal("30.0")
