"""The status card and the year ledger tell the whole truth: hours waiting for review, an
exempt year read as exempt, the ethics figures when required, the same year order on the
member's and the staff's pages; and the API's ``pending_hours``."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import Exemption
from certification.status import Credit, pending_hours, pending_review
from imaportal.reasons import Reason, render
from policy.models import PolicyVersion
from tests.conftest import sign_in
from tests.factories import EntryFactory, MemberFactory, StaffFactory

D = Decimal
AS_OF = dt.date(2026, 12, 4)
CERTIFIED = dt.date(2024, 6, 10)


@pytest.mark.parametrize(
    ("completed_on", "counted"),
    [
        (dt.date(2026, 3, 1), True),  # this year
        (dt.date(2026, 12, 4), True),  # today
        (dt.date(2026, 12, 5), False),  # after as_of
        (dt.date(2025, 12, 31), False),  # last year: judged already
        (dt.date(2024, 6, 9), False),  # before certification
        (dt.date(2024, 8, 1), False),  # grace year: counts toward 2025, not 2026
    ],
)
def test_pending_hours_count_toward_this_reporting_year_only(completed_on, counted):
    pending = [Credit(completed_on, D("17.5"))]
    expected = D("17.5") if counted else D("0.0")
    assert pending_hours(pending, certified_on=CERTIFIED, as_of=AS_OF) == expected


def test_grace_year_hours_waiting_count_toward_the_first_reporting_year():
    pending = [Credit(dt.date(2025, 8, 1), D("3")), Credit(dt.date(2026, 2, 1), D("4"))]
    first_year = dt.date(2026, 5, 1)
    assert pending_hours(pending, certified_on=dt.date(2025, 6, 1), as_of=first_year) == D("7.0")


def test_the_pending_sentence_names_the_hours_and_is_absent_without_them():
    reason = pending_review(
        [Credit(dt.date(2026, 3, 1), D("10")), Credit(dt.date(2026, 4, 1), D("7.5"))],
        certified_on=CERTIFIED,
        as_of=AS_OF,
    )
    assert reason == Reason("status.pending_review", {"hours": D("17.5")})
    assert render(reason) == "17.5 hours are waiting for review."
    assert pending_review([], certified_on=CERTIFIED, as_of=AS_OF) is None
    assert pending_review([Credit(AS_OF, D("2"))], certified_on=None, as_of=AS_OF) is None


def _member(certified_on, approved=(), **kwargs):
    member = MemberFactory(
        certified_on=certified_on, dues_paid_through=dt.date(2040, 12, 31), **kwargs
    )
    for day, hours in approved:
        EntryFactory(
            member=member, completed_on=day, credit_hours=D(hours), review_status="approved"
        )
    return member


def _card(client, member):
    sign_in(client, member.user)
    page = client.get(reverse("status:dashboard"))
    assert page.status_code == 200
    return page


def _ledger_years(html: str) -> list[int]:
    return [int(y) for y in re.findall(r'data-testid="ledger-year">\s*<th scope="row">(\d+)', html)]


@pytest.mark.django_db
def test_the_card_counts_the_hours_waiting_for_review(client):
    today = timezone.localdate()
    m = _member(
        dt.date(today.year - 2, 3, 1), [(dt.date(today.year - 1, 5, 1), "30"), (today, "27.5")]
    )
    EntryFactory(member=m, completed_on=today, credit_hours=D("10.0"))
    EntryFactory(member=m, completed_on=today, credit_hours=D("7.5"))
    EntryFactory(member=m, completed_on=today, credit_hours=D("4.0"), review_status="rejected")
    EntryFactory(member=m, completed_on=dt.date(today.year - 1, 6, 1), credit_hours=D("5.0"))
    text = _card(client, m).content.decode()
    assert f"2.5 more hours by 31 December {today.year} to stay active" in text
    assert "17.5 hours are waiting for review." in text
    # The waiting list names each pending entry (last year's too: it waits all the same).
    assert text.count("hours waiting for review") == 3


@pytest.mark.django_db
def test_the_card_shows_the_latest_entries_and_open_requests(client):
    today = timezone.localdate()
    m = _member(dt.date(today.year - 2, 3, 1), [(dt.date(today.year - 1, 5, 1), "30")])
    EntryFactory(member=m, completed_on=today, title="Budgeting in practice")
    Exemption.objects.create(
        member=m, reason="military", years=[today.year + 1], explanation="Deployment"
    )
    text = _card(client, m).content.decode()
    assert "Budgeting in practice" in text
    assert f"Exemption request for {today.year + 1}: waiting for a decision" in text


@pytest.mark.django_db
def test_an_exempt_year_reads_as_exempt_on_the_card_and_in_the_ledgers(client):
    today = timezone.localdate()
    m = _member(
        dt.date(today.year - 3, 3, 1), [(dt.date(today.year - 2, 5, 1), "30"), (today, "3")]
    )
    Exemption.objects.create(
        member=m,
        reason="illness",
        years=[today.year - 1, today.year],
        explanation="Surgery",
        state="approved",
    )
    page = _card(client, m)
    text = page.content.decode()
    assert f"Exempt from the CPE requirement for {today.year}." in text
    assert f"{today.year}: exempt (3.0 hours earned)." in text
    assert "of 0.0 hours" not in text
    assert re.search(r'data-testid="ledger-required">Exempt<', text)
    client.logout()
    sign_in(client, StaffFactory())
    staff = client.get(reverse("status:staff_overview"), {"member": m.member_number})
    required = re.findall(r'data-testid="ledger-required">([^<]+)<', staff.content.decode())
    assert required == ["Exempt", "Exempt", "30.0"]  # this year, last year, the year before


@pytest.mark.django_db
def test_past_years_run_newest_first_on_the_members_and_the_staff_pages(client):
    today = timezone.localdate()
    m = _member(
        dt.date(today.year - 4, 3, 1),
        [(dt.date(today.year - n, 5, 1), "30") for n in (3, 2, 1)],
    )
    mine = _ledger_years(_card(client, m).content.decode())
    client.logout()
    sign_in(client, StaffFactory())
    staff = client.get(reverse("status:staff_overview"), {"member": m.member_number})
    theirs = _ledger_years(staff.content.decode())
    assert mine == [today.year - 1, today.year - 2, today.year - 3]
    assert theirs == [today.year, *mine]


@pytest.mark.django_db
def test_ethics_figures_are_on_the_card_and_in_the_ledger_when_required(client):
    today = timezone.localdate()
    PolicyVersion.objects.create(effective_from=today.year, ethics_hours_required=D("2"))
    m = _member(
        dt.date(today.year - 2, 3, 1), [(dt.date(today.year - 1, 5, 1), "30"), (today, "10")]
    )
    EntryFactory(
        member=m, completed_on=today, credit_hours=D("0.5"), ethics=True, review_status="approved"
    )
    text = _card(client, m).content.decode()
    assert "Ethics: 0.5 of 2.0 hours" in text
    assert "1.5 ethics hours still needed" in text
    assert "Ethics earned" in text and "Ethics missing" in text


@pytest.mark.django_db
def test_no_ethics_columns_without_an_ethics_requirement(client):
    today = timezone.localdate()
    m = _member(dt.date(today.year - 2, 3, 1), [(dt.date(today.year - 1, 5, 1), "30")])
    text = _card(client, m).content.decode()
    assert "Ethics earned" not in text
    assert "Ethics:" not in text


@pytest.mark.django_db
def test_the_api_adds_pending_hours(api, staff):
    m = _member(dt.date(2024, 3, 1), [(dt.date(2025, 5, 1), "30")])
    EntryFactory(member=m, completed_on=dt.date(2026, 5, 1), credit_hours=D("17.5"))
    EntryFactory(member=m, completed_on=dt.date(2025, 5, 1), credit_hours=D("3.0"))
    body = api(staff).get(f"/api/v1/members/{m.pk}/status/", {"as_of": "2026-11-01"}).json()
    assert body["pending_hours"] == "17.5"
    assert body["hours_needed"] == "30.0"


@pytest.mark.django_db
def test_the_overview_lists_members_at_risk_by_the_engine(
    client, monkeypatch, django_assert_max_num_queries
):
    """37 hours last year carry 7 in: 23 this year meets the requirement (not listed); 17
    this year leaves the engine's 6.0 hours needed (the page used to say 27 h)."""
    from imaportal import web

    monkeypatch.setattr(web, "today", lambda: dt.date(2026, 11, 1))
    met = _member(dt.date(2024, 3, 1), [(dt.date(2025, 5, 1), "37"), (dt.date(2026, 5, 1), "23")])
    short = _member(dt.date(2024, 3, 1), [(dt.date(2025, 5, 1), "37"), (dt.date(2026, 5, 1), "17")])
    from members.models import Member

    Member.objects.filter(pk__in=[met.pk, short.pk]).update(status="active")
    sign_in(client, StaffFactory())
    with django_assert_max_num_queries(20) as first:
        text = client.get(reverse("status:staff_overview")).content.decode()
    assert re.search(rf"{short.member_number} · [^<]* · 6.0 h needed</li>", text)
    assert met.member_number not in text
    for _ in range(4):
        more = _member(dt.date(2024, 3, 1), [(dt.date(2025, 5, 1), "30")])
        Member.objects.filter(pk=more.pk).update(status="active")
    with django_assert_max_num_queries(len(first)):
        text = client.get(reverse("status:staff_overview")).content.decode()
    assert text.count("30.0 h needed") == 4
