"""The PDF transcript (issue 16): a tagged PDF (marked content tied to a structure tree of
H1, H2, P and tables of TH/TD, decorations as artifacts, /Lang, title shown) with the status
summary of the one status engine (status, carried-in hours, each year's required and earned
hours, hours waiting for review) as well as the entries; long transcripts paginate with the
table header repeated; only the owner downloads it."""

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from decimal import Decimal

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cpe.pdf.summary import StatusSummary, SummaryYear
from cpe.pdf.transcript import transcript_pdf
from cpe.selectors import year_totals
from members.models import Member, User
from tests.conftest import sign_in
from tests.factories import EntryFactory, MemberFactory, unsaved_entry, unsaved_member

D = Decimal
URL = reverse("status:transcript_pdf")
ISSUED = dt.date(2026, 11, 24)
VERIFICATION_URL = "https://portal.ima.example/v/" + "Q" * 43 + "/"
SUMMARY = StatusSummary(
    status="Active",
    next_step="You have met the requirement for 2026.",
    carried_in=D("7.0"),
    pending=D("2.5"),
    years=(
        SummaryYear(2025, D("30.0"), D("37.0"), ethics_required=D("2"), ethics_earned=D("2")),
        SummaryYear(2026, D("30.0"), D("12.0"), D("7.0"), ethics_required=D("2")),
    ),
)


def pdf_text(content: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing; .ci/run installs Debian's poppler-utils")
    result = subprocess.run(
        [tool, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def render(entries=(), summary=SUMMARY, member=None, year=None):
    member = member or unsaved_member()
    return transcript_pdf(
        member=member,
        summary=summary,
        groups=year_totals(list(entries)),
        year=year,
        generated_on=ISSUED,
        verification_url=VERIFICATION_URL,
    )


# --- the structure -------------------------------------------------------------------


def structure(content: bytes):
    """(roles of the structure elements in order, the (page, MCID) each element owns, the
    parent-tree map (page, MCID) -> element, the open pikepdf document)."""
    pdf = pikepdf.open(io.BytesIO(content))
    roles: list[str] = []
    owned: dict[tuple[int, int], pikepdf.Object] = {}
    pages: dict[tuple[int, int], int] = {
        page.obj.objgen: index for index, page in enumerate(pdf.pages)
    }

    def walk(element):
        roles.append(str(element.S)[1:])
        for kid in element.K:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                owned[(pages[kid.Pg.objgen], int(kid.MCID))] = element
            elif isinstance(kid, pikepdf.Dictionary):
                assert kid.P.objgen == element.objgen
                walk(kid)

    walk(pdf.Root.StructTreeRoot.K)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = {}
    for index in range(0, len(nums), 2):
        for mcid, element in enumerate(nums[index + 1]):
            parents[(int(nums[index]), mcid)] = element
    return roles, owned, parents, pdf


def marked_content(page):
    """Per page: the MCIDs of its marked content, and whether any text is drawn outside
    both marked content and artifacts."""
    mcids, depth_tagged, untagged_text = [], [], False
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "BDC":
            tag = str(operands[0])
            props = operands[1]
            if tag != "/Artifact":
                mcids.append(int(props.MCID))
            depth_tagged.append(True)
        elif op == "BMC":
            depth_tagged.append(str(operands[0]) == "/Artifact")
        elif op == "EMC":
            depth_tagged.pop()
        elif op in ("Tj", "TJ", "'", '"') and not any(depth_tagged):
            untagged_text = True
    assert not depth_tagged, "unbalanced BDC/EMC"
    return mcids, untagged_text


def test_the_pdf_is_tagged_with_a_structure_tree_and_language():
    content = render([unsaved_entry(unsaved_member(), title="Approved seminar")])

    roles, owned, parents, pdf = structure(content)

    assert pdf.check_pdf_syntax() == []  # qpdf finds nothing wrong with the file
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "en"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == "Institute of Management Accountants — CPE Transcript"
    assert str(pdf.docinfo.Author) == "Institute of Management Accountants"
    assert roles[0] == "Document"
    assert roles.count("H1") == 1
    assert {"H2", "P", "Table", "TR", "TH", "TD"} <= set(roles)
    assert roles.count("Table") == 2  # the status ledger and one table per year (2026)
    for index, page in enumerate(pdf.pages):
        assert int(page.StructParents) == index
        mcids, untagged_text = marked_content(page)
        assert not untagged_text
        assert mcids == list(range(len(mcids)))
        for mcid in mcids:
            # every MCID belongs to an element, and the parent tree says which
            assert owned[(index, mcid)].objgen == parents[(index, mcid)].objgen


def test_column_headers_are_th_with_column_scope_and_ledger_years_head_their_rows():
    _roles, owned, _parents, _pdf = structure(render([unsaved_entry(unsaved_member())]))

    scopes = [str(e.A.Scope) for e in owned.values() if str(e.S) == "/TH"]
    # the ledger: 4 + 2 ethics column headers and a year per row; the entries: 6 headers
    assert scopes.count("/Column") == 6 + 6
    assert scopes.count("/Row") == len(SUMMARY.years)


@pytest.mark.parametrize(("language", "tag"), [("nb", "nb"), ("zh-hans", "zh-Hans")])
def test_lang_is_the_active_language(language, tag):
    with translation.override(language):
        _roles, _owned, _parents, pdf = structure(render())

    assert str(pdf.Root.Lang) == tag


# --- what it says --------------------------------------------------------------------


def test_the_status_summary_and_the_entries_are_in_the_text():
    member = unsaved_member(certified_on=dt.date(2023, 3, 1))
    entries = [
        unsaved_entry(member, title="Approved seminar", ethics=True),
        unsaved_entry(member, title="Waiting", credit_hours=D("2.5"), review_status="pending"),
        unsaved_entry(member, title="Refused", credit_hours=D("1.0"), review_status="rejected"),
        unsaved_entry(member, title="Old <course> & co", completed_on=dt.date(2025, 3, 1)),
    ]

    text = pdf_text(render(entries, member=member))

    assert "Institute of Management Accountants — CPE Transcript" in text
    assert "Zoë Łukasz" in text
    assert "CMA certified on: 1 March 2023" in text
    assert "Issued on: 24 November 2026" in text
    assert "Status summary" in text
    assert "Status: Active" in text
    assert "You have met the requirement for 2026." in text
    assert "Carried-in hours: 7.0" in text
    assert "Hours waiting for review: 2.5" in text
    assert re.search(r"^\s*2025\s+30\.0\s+37\.0\s+0\.0\s+2\.0\s+2\.0\s*$", text, re.M)
    assert re.search(r"^\s*2026\s+30\.0\s+12\.0\s+7\.0\s+2\.0\s+0\.0\s*$", text, re.M)
    assert "Approved seminar" in text
    assert "Old <course> & co" in text
    assert "Waiting" not in text.replace("waiting", "")
    assert "Refused" not in text
    assert "Approved hours in 2026" in text
    assert "Pending review: 2.5 hours" in text
    assert "Rejected: 1.0 hours" in text
    assert "Only approved entries count toward" in text


def test_a_member_without_entries_or_cma_is_told_so():
    summary = StatusSummary(status="Not certified", next_step="", carried_in=D("0"), pending=D(0))

    text = pdf_text(render(summary=summary))

    assert "Not a CMA" in text
    assert "All years" in text
    assert "No reporting years yet." in text
    assert "No CPE entries for this period." in text


def test_three_hundred_entries_paginate_with_the_header_repeated():
    member = unsaved_member()
    entries = [
        unsaved_entry(member, title=f"Seminar number {i:03d}", completed_on=dt.date(2026, 1, 1))
        for i in range(300)
    ]

    content = render(entries)

    pages = pdf_text(content).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        if "Seminar number" in page:
            assert re.search(r"Date\s+Activity\s+Provider\s+Type\s+Hours\s+Ethics", page)
        assert f"Page {number}" in page
    text = "".join(pages)
    assert all(f"Seminar number {i:03d}" in text for i in range(300))
    roles, _owned, _parents, pdf = structure(content)
    assert roles.count("TR") == 1 + 300 + 1 + 1 + 2  # entries table, its total; the ledger
    for page in pdf.pages:
        _mcids, untagged_text = marked_content(page)
        assert not untagged_text


# --- over HTTP -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_download_carries_the_engines_status_summary(client):
    today = timezone.localdate()
    member = MemberFactory(
        certified_on=dt.date(today.year - 2, 3, 1), dues_paid_through=dt.date(2040, 12, 31)
    )
    last_year = dt.date(today.year - 1, 5, 1)
    for on, hours, title in ((last_year, "37", "Big year"), (today, "12", "This year")):
        EntryFactory(
            member=member,
            completed_on=on,
            credit_hours=D(hours),
            title=title,
            review_status="approved",
        )
    EntryFactory(member=member, completed_on=today, credit_hours=D("2.5"), review_status="pending")
    sign_in(client, member.user)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Status: Active" in text
    assert "Carried-in hours: 7.0" in text
    assert "Hours waiting for review: 2.5" in text
    assert re.search(rf"^\s*{today.year - 1}\s+30\.0\s+37\.0\s+0\.0\s*$", text, re.M)
    assert re.search(rf"^\s*{today.year}\s+30\.0\s+12\.0\s+7\.0\s*$", text, re.M)
    assert "Big year" in text
    assert "This year" in text


@pytest.mark.django_db
def test_each_member_gets_only_their_own_transcript(client, member_a, member_b):
    EntryFactory(member=member_b, title="Bob secret seminar", review_status="approved")
    sign_in(client, member_a.user)

    text = pdf_text(client.get(URL).content)

    assert member_a.member_number in text
    assert "Bob secret seminar" not in text
    assert member_b.member_number not in text


@pytest.mark.django_db
def test_the_transcript_page_links_here(member_client, member_a):
    EntryFactory(member=member_a)
    page = member_client.get(reverse("cpe:transcript")).content.decode()

    assert f'href="{URL}"' in page


# --- Chinese (issue 17) --------------------------------------------------------------


def cjk_font_or_skip():
    from cpe.pdf import cjk

    if cjk.font_path() is None:
        if os.environ.get("CI"):
            pytest.fail("no CJK font: .ci/run installs Debian's fonts-wqy-microhei")
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei)")


def embedded_fonts(content: bytes) -> list[tuple[str, str]]:
    """(font name, "yes"/"no" embedded) per font, from poppler's ``pdffonts``."""
    tool = shutil.which("pdffonts")
    if tool is None:
        pytest.fail("pdffonts is missing; .ci/run installs Debian's poppler-utils")
    out = subprocess.run([tool, "-"], input=content, capture_output=True, check=True)
    rows = out.stdout.decode().splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def test_chinese_renders_in_an_embedded_cjk_font_and_stays_tagged():
    cjk_font_or_skip()
    user = User(email="wang@example.org", first_name="王小明", last_name="")
    member = Member(user=user, member_number="20008888", certified_on=dt.date(2023, 3, 1))
    entry = unsaved_entry(
        member, title="管理會計：預算與預測 Budgeting", provider="美國管理會計師協會"
    )

    with translation.override("zh-hant"):
        content = render([entry], member=member)

    text = pdf_text(content)
    assert "王小明" in text
    assert "管理會計：預算與預測 Budgeting" in text
    assert "美國管理會計師協會" in text
    assert "2023年3月1日" in text  # the language's long date, through imaportal.formatting
    with translation.override("zh-hant"):  # the headings, from the zh_Hant catalogue
        headings = [translation.gettext(h) for h in ("Status summary", "Entries")]
    assert headings == ["狀態摘要", "項目"]
    assert all(heading in text for heading in headings), text
    fonts = embedded_fonts(content)
    assert any("WenQuanYi" in name and emb == "yes" for name, emb in fonts), fonts
    assert all(emb == "yes" for _name, emb in fonts), fonts
    roles, owned, parents, pdf = structure(content)
    assert pdf.Root.MarkInfo.Marked is True
    assert str(pdf.Root.Lang) == "zh-Hant"
    assert {"H1", "Table", "TH", "TD"} <= set(roles)
    for index, page in enumerate(pdf.pages):
        mcids, untagged_text = marked_content(page)
        assert not untagged_text
        assert all(owned[(index, m)].objgen == parents[(index, m)].objgen for m in mcids)


def test_text_is_cut_into_runs_of_the_font_that_has_each_character():
    cjk_font_or_skip()
    from cpe.pdf.fonts import REGULAR, Style, Typesetter

    typesetter = Typesetter()
    cjk = typesetter.fallback

    assert typesetter.runs("Zoë Łukasz", Style()) == [(REGULAR, "Zoë Łukasz")]
    assert typesetter.runs("Member: 王小明 (IMA)", Style()) == [
        (REGULAR, "Member: "),
        (cjk, "王小明"),
        (REGULAR, " (IMA)"),
    ]
    # a Chinese title has no spaces: it breaks between characters to fit the column
    lines = typesetter.wrap("管理會計師的預算與預測課程第二部分", 60, Style())
    assert len(lines) > 1
    assert "".join(lines) == "管理會計師的預算與預測課程第二部分"
    assert all(typesetter.width(line, Style()) <= 60 for line in lines)


def test_without_a_cjk_font_the_pdf_is_still_made_in_vera(monkeypatch):
    from cpe.pdf import fonts

    monkeypatch.setattr(fonts.cjk, "register", lambda: None)

    content = render([unsaved_entry(unsaved_member(), title="Seminar 研討會")])

    assert "Seminar" in pdf_text(content)
    assert all("WenQuanYi" not in name for name, _emb in embedded_fonts(content))
