"""The pictures on the status pages: the member's hours per year carry the ledger's numbers,
and the staff's members per status per month (the table behind the chart) are walked back
from today's counts through the status history, in a fixed number of queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.charts import month_ends
from certification.models import Exemption, StatusChange
from members.models import Member
from tests.conftest import sign_in
from tests.factories import EntryFactory, MemberFactory, StaffFactory

D = Decimal


def _ledger(html):
    """{year: earned} from the ledger table (Year, Required, Earned, ...)."""
    rows = re.findall(
        r'data-testid="ledger-year">\s*<th scope="row">(\d+)</th>\s*<td[^>]*>[^<]*</td>\s*'
        r'<td class="num">([\d.]+)</td>',
        html,
    )
    return {int(y): earned for y, earned in rows}


def _bars(html):
    """{year: earned} from the chart's bar labels."""
    found = re.findall(
        r'data-testid="year-bar" data-year="(\d+)">.*?data-testid="year-bar-earned">([\d.]+)<',
        html,
        re.S,
    )
    return {int(y): earned for y, earned in found}


@pytest.mark.django_db
def test_the_dashboard_chart_shows_the_ledgers_numbers(client):
    today = timezone.localdate()
    y = today.year
    member = MemberFactory(
        certified_on=dt.date(y - 4, 3, 1), dues_paid_through=dt.date(y + 5, 1, 1)
    )
    for day, hours in [
        (dt.date(y - 3, 5, 1), "45"),
        (dt.date(y - 2, 5, 1), "12.5"),
        (dt.date(y - 1, 5, 1), "30"),
        (dt.date(y - 1, 9, 1), "11"),
        (today, "4"),
    ]:
        EntryFactory(
            member=member, completed_on=day, credit_hours=D(hours), review_status="approved"
        )
    Exemption.objects.create(
        member=member, reason="illness", years=[y - 2], explanation="Surgery", state="approved"
    )
    sign_in(client, member.user)
    html = client.get(reverse("status:dashboard")).content.decode()
    ledger, bars = _ledger(html), _bars(html)
    exempt = re.findall(
        r'data-year="(\d+)">(?:(?!</g>).)*data-testid="year-bar-exempt"', html, re.S
    )
    assert exempt == [str(y - 2)]
    assert ledger, "the dashboard shows past years"
    assert set(bars) == set(ledger) | {y}
    for year, earned in ledger.items():
        assert bars[year] == earned
    assert ledger[y - 1] == "41.0"
    assert bars[y] == "4.0"
    svg = re.search(r"<svg[^>]*>", html[html.index('data-testid="year-chart"') :]).group(0)
    assert 'role="img"' in svg and "viewBox=" in svg and "style=" not in svg
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert f"{y - 1}: 41.0 of" in label and f"{y}: 4.0 of" in label and "so far" in label


def _history(html):
    """{'YYYY-MM': [counts per status..., total]} from the table behind the chart."""
    table = html[html.index('data-testid="history-table"') :]
    rows = re.findall(r'data-month="(\d{4}-\d{2})">(.*?)</tr>', table, re.S)
    return {
        m: [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', cells)] for m, cells in rows
    }


def _columns(html):
    table = html[html.index('data-testid="history-table"') :]
    head = table[: table.index("</thead>")]
    return re.findall(r'<th scope="col" class="num">([^<]+)</th>', head)


def _at(month, day=10):
    return timezone.make_aware(dt.datetime(month.year, month.month, day, 12, 0))


@pytest.mark.django_db
def test_the_staff_overview_counts_members_per_status_at_each_month_end(client):
    today = timezone.localdate()
    months = month_ends(today)
    a, b, c = (MemberFactory() for _ in range(3))
    StatusChange.objects.all().delete()
    Member.objects.filter(pk__in=[a.pk, b.pk]).update(status="active")
    Member.objects.filter(pk=c.pk).update(status="inactive_makeup")
    Member.objects.exclude(pk__in=[a.pk, b.pk, c.pk]).update(status="")
    # a: active since before the window. b: computed active three months ago.
    # c: active eleven months ago, fell into make-up last month.
    StatusChange.objects.create(
        member=a,
        from_status="",
        to_status="active",
        as_of=today,
        changed_at=_at(months[0]) - dt.timedelta(days=40),
    )
    StatusChange.objects.create(
        member=b, from_status="", to_status="active", as_of=today, changed_at=_at(months[-4])
    )
    StatusChange.objects.create(
        member=c, from_status="", to_status="active", as_of=today, changed_at=_at(months[1])
    )
    StatusChange.objects.create(
        member=c,
        from_status="active",
        to_status="inactive_makeup",
        as_of=today,
        changed_at=_at(months[-2]),
    )
    sign_in(client, StaffFactory())
    html = client.get(reverse("status:staff_overview")).content.decode()
    columns = _columns(html)
    active, makeup = columns.index("Active"), columns.index("Inactive (make-up)")
    history = _history(html)
    assert list(history) == [m.strftime("%Y-%m") for m in months]

    def counts(i):
        row = history[months[i].strftime("%Y-%m")]
        return row[active], row[makeup], row[-1]

    assert counts(0) == (1, 0, 1)  # only a
    assert counts(1) == (2, 0, 2)  # c joins
    assert counts(-5) == (2, 0, 2)
    assert counts(-4) == (3, 0, 3)  # b joins
    assert counts(-2) == (2, 1, 3)  # c in make-up
    assert counts(-1) == (2, 1, 3)  # today
    assert 'data-testid="history-chart"' in html and 'role="img"' in html


@pytest.mark.django_db
def test_the_staff_overview_runs_a_fixed_number_of_queries(client, monkeypatch):
    from imaportal import web

    monkeypatch.setattr(web, "today", lambda: dt.date(2026, 6, 15))
    sign_in(client, StaffFactory())
    MemberFactory()
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("status:staff_overview")).status_code == 200
    months = month_ends(timezone.localdate())
    for i in range(6):
        m = MemberFactory()
        for j, (old, new) in enumerate([("", "active"), ("active", "inactive_makeup")]):
            StatusChange.objects.create(
                member=m,
                from_status=old,
                to_status=new,
                as_of=dt.date(2026, 1, 1),
                changed_at=_at(months[i + j]),
            )
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("status:staff_overview")).status_code == 200
    assert len(many) == len(few)
