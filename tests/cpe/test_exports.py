"""Transcript exports: the member's CSV and PDF, the staff CSV, and spreadsheet-formula
neutralisation. Pure tests of ``cpe.exports`` first, then the downloads over HTTP (the PDF's
content and tagging: tests/certification/test_transcript_pdf.py)."""

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cpe import exports
from tests.conftest import sign_in
from tests.factories import EntryFactory, MemberFactory, UserFactory, unsaved_entry, unsaved_member

pytestmark = pytest.mark.django_db

PDF_URL = reverse("status:transcript_pdf")  # served by certification (status summary)
CSV_URL = reverse("cpe:transcript_csv")
STAFF_URL = reverse("cpe:staff_transcripts_csv")


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def response_rows(response):
    return rows(response.content.decode("utf-8"))


def pdf_text(content):
    """The PDF's text through poppler's ``pdftotext``, or ``None`` where it is missing."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    result = subprocess.run(
        [tool, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


# --- pure -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")', "-"],
)
def test_csv_cell_quotes_text_a_spreadsheet_would_run_as_a_formula(value):
    assert exports.csv_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Budgeting for Managers", "Budgeting for Managers"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (Decimal("8.0"), "8.0"),
        (2026, "2026"),
    ],
)
def test_csv_cell_leaves_safe_values_unchanged(value, expected):
    assert exports.csv_cell(value) == expected


def test_transcript_csv_has_one_row_per_entry_with_every_column():
    member = unsaved_member()
    entries = [
        unsaved_entry(member, ethics=True),
        unsaved_entry(
            member,
            title="-Leading dash",
            source="ima",
            activity_type="ima_offering",
            credit_hours=Decimal("2.5"),
            review_status="rejected",
            review_reason="@no certificate",
            completed_on=dt.date(2025, 1, 31),
        ),
    ]

    text = exports.transcript_csv(member=member, entries=entries, year=None)

    assert text.splitlines()[0] == (
        "Member number,Completed on,Year,Title,Provider,Activity type,Source,"
        "CPE hours,Ethics,Review status,Reason"
    )
    assert [list(row.values()) for row in rows(text)] == [
        [
            "20009999",
            "2026-05-04",
            "2026",
            "Budgeting",
            "Some Institute",
            "Seminar or short course (under 10 weeks)",
            "Self-reported",
            "8.0",
            "Yes",
            "Approved",
            "",
        ],
        [
            "20009999",
            "2025-01-31",
            "2025",
            "'-Leading dash",
            "Some Institute",
            "IMA course, webinar or event",
            "IMA",
            "2.5",
            "No",
            "Rejected",
            "'@no certificate",
        ],
    ]


def test_the_members_csv_speaks_the_members_language():
    member = unsaved_member()
    with translation.override("nb"):
        text = exports.transcript_csv(
            member=member, entries=[unsaved_entry(member, ethics=True)], year=None
        )
        heading, row = text.splitlines()
        assert heading.split(",")[3] == translation.gettext("Title") != "Title"
        assert translation.gettext("Approved") in row
        assert "approved" not in row


def test_transcript_csv_for_a_year_keeps_only_that_year():
    member = unsaved_member()
    entries = [
        unsaved_entry(member, title="This year"),
        unsaved_entry(member, title="Last year", completed_on=dt.date(2025, 6, 1)),
    ]

    text = exports.transcript_csv(member=member, entries=entries, year=2025)

    assert [r["Title"] for r in rows(text)] == ["Last year"]


def test_staff_csv_adds_member_name_and_email():
    member = unsaved_member()

    text = exports.staff_transcripts_csv(entries=[unsaved_entry(member, title="=cmd")])

    (row,) = rows(text)
    assert list(row)[:4] == ["member_number", "member_name", "member_email", "completed_on"]
    assert row["member_name"] == "Zoë Łukasz"
    assert row["member_email"] == "zoe@example.org"
    assert row["title"] == "'=cmd"


# --- over HTTP ------------------------------------------------------------------------


@pytest.fixture
def entries(member_a, member_b):
    return {
        "a_2026": EntryFactory(member=member_a, title="Alice 2026", review_status="approved"),
        "a_2025": EntryFactory(
            member=member_a, title="Alice 2025", completed_on=dt.date(2025, 10, 1)
        ),
        "a_formula": EntryFactory(member=member_a, title='=HYPERLINK("x")'),
        "b_2026": EntryFactory(member=member_b, title="Bob secret seminar"),
    }


def test_member_downloads_own_csv_without_other_members_entries(member_client, member_a, entries):
    response = member_client.get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="transcript-{member_a.member_number}-all.csv"'
    )
    titles = {r["Title"] for r in response_rows(response)}
    assert titles == {"Alice 2026", "Alice 2025", '\'=HYPERLINK("x")'}
    assert "Bob secret seminar" not in response.content.decode()


def test_formula_title_comes_out_quoted(member_client, entries):
    body = member_client.get(CSV_URL).content.decode()

    assert '"\'=HYPERLINK(""x"")"' in body
    assert ',"=HYPERLINK' not in body


def test_year_filter_keeps_only_that_years_rows(member_client, member_a, entries):
    response = member_client.get(CSV_URL, {"year": "2025"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="transcript-{member_a.member_number}-2025.csv"'
    )
    assert [(r["Title"], r["Year"]) for r in response_rows(response)] == [("Alice 2025", "2025")]


BAD_YEARS = ["abc", "20x6", "0000", "12345", "٢٠٢٦"]


@pytest.mark.parametrize("url", [PDF_URL, CSV_URL])
@pytest.mark.parametrize("year", BAD_YEARS)
def test_a_year_that_is_not_a_year_is_400(member_client, url, year):
    response = member_client.get(url, {"year": year})

    assert response.status_code == 400
    assert "four-digit" in response.content.decode()


@pytest.mark.parametrize("year", BAD_YEARS)
def test_a_year_that_is_not_a_year_is_400_for_staff(staff_client, year):
    assert staff_client.get(STAFF_URL, {"year": year}).status_code == 400


def test_member_downloads_own_pdf_for_a_year(member_client, member_a, entries):
    response = member_client.get(PDF_URL, {"year": "2026"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="transcript-{member_a.member_number}-2026.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000
    text = pdf_text(response.content)
    if text is not None:
        assert member_a.member_number in text
        assert "Alice 2026" in text  # approved
        assert "Alice 2025" not in text  # other year
        assert "Bob secret seminar" not in text


def test_staff_without_member_profile_are_told_where_to_go(staff_client):
    for url in (PDF_URL, CSV_URL):
        response = staff_client.get(url)
        assert response.status_code == 403
        assert "no member profile" in response.content.decode()


def test_user_without_member_profile_gets_404(client):
    sign_in(client, UserFactory())
    assert client.get(PDF_URL).status_code == 404
    assert client.get(CSV_URL).status_code == 404


def test_staff_csv_has_every_members_entries(staff_client, member_a, member_b, entries):
    response = staff_client.get(STAFF_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="transcripts-all.csv"'
    got = {(r["member_email"], r["title"]) for r in response_rows(response)}
    assert got == {
        ("alice@example.org", "Alice 2026"),
        ("alice@example.org", "Alice 2025"),
        ("alice@example.org", '\'=HYPERLINK("x")'),
        ("bob@example.org", "Bob secret seminar"),
    }


def test_staff_csv_year_filter(staff_client, entries):
    response = staff_client.get(STAFF_URL, {"year": "2025"})

    assert [r["title"] for r in response_rows(response)] == ["Alice 2025"]
    assert response["Content-Disposition"] == 'attachment; filename="transcripts-2025.csv"'


def test_staff_csv_runs_the_same_queries_whatever_the_data_size(staff_client, entries):
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(STAFF_URL).status_code == 200
    for _ in range(5):
        EntryFactory(member=MemberFactory())
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(STAFF_URL)

    assert len(response_rows(response)) == 9
    assert len(many) == len(few)


def test_members_get_403_on_the_staff_csv(member_client, entries):
    assert member_client.get(STAFF_URL).status_code == 403


@pytest.mark.parametrize("url", [PDF_URL, CSV_URL, STAFF_URL])
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
