"""The PDF transcript's verification link (issue 18): every download makes a fresh link
(audit-recorded, listed on My status), and the PDF carries it as a QR code (a tagged
``Figure`` with alternative text) and as text, with the date it was issued. The QR is read
back the way a phone would: the first page rendered by poppler's ``pdftoppm``, decoded by
ZXing (``zxing-cpp``)."""

import io
import shutil
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from audit.models import AuditEvent
from certification.models import VerificationLink
from cpe.pdf.qr import dark_runs
from tests.certification.test_transcript_pdf import (
    URL,
    VERIFICATION_URL,
    marked_content,
    pdf_text,
    render,
    structure,
)
from tests.conftest import sign_in
from tests.factories import MemberFactory, unsaved_entry, unsaved_member

PORTAL = "https://portal.ima.example"


def qr_codes(content: bytes) -> list[str]:
    """The text of every QR code on the PDF's first page, rendered at 150 dpi (PNG on
    standard output: no output root)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.fail("pdftoppm is missing; .ci/run installs Debian's poppler-utils")
    png = subprocess.run(
        [tool, "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    return [
        found.text
        for found in zxingcpp.read_barcodes(image)
        if found.format == zxingcpp.BarcodeFormat.QRCode
    ]


# --- the PDF ---------------------------------------------------------------------------


def test_the_qr_code_decodes_to_the_verification_link():
    content = render([unsaved_entry(unsaved_member(), title="Approved seminar")])

    assert qr_codes(content) == [VERIFICATION_URL]


def test_the_link_and_the_issue_date_are_in_the_text():
    text = pdf_text(render())

    assert VERIFICATION_URL in text
    assert "scan the code or" in text
    assert "Issued on: 24 November 2026" in text
    assert "issued 24 November 2026" in text  # the running footer too


def test_the_qr_code_is_a_figure_with_alternative_text_and_the_pdf_stays_tagged():
    content = render([unsaved_entry(unsaved_member())])

    roles, owned, parents, pdf = structure(content)

    assert pdf.check_pdf_syntax() == []
    figures = [e for e in owned.values() if str(e.S) == "/Figure"]
    assert len(figures) == 1 and roles.count("Figure") == 1
    figure = figures[0]
    assert str(figure.Alt) == f"QR code of the verification link {VERIFICATION_URL}"
    assert str(figure.A.O) == "/Layout"
    left, bottom, right, top = (float(v) for v in figure.A.BBox)
    assert right - left == pytest.approx(76) and top - bottom == pytest.approx(76)
    urls = [e for e in owned.values() if str(e.S) == "/P" and e is not figure]
    assert urls  # the address written out is a paragraph like any other
    for index, page in enumerate(pdf.pages):
        mcids, untagged_text = marked_content(page)
        assert not untagged_text
        assert mcids == list(range(len(mcids)))
        for mcid in mcids:
            assert owned[(index, mcid)].objgen == parents[(index, mcid)].objgen


def test_the_code_is_a_version_5_qr_for_a_link_at_the_portal():
    width, runs = dark_runs(VERIFICATION_URL)

    assert width == 37  # version 5 with error correction M: 1.6-point modules in 76 points
    assert all(0 <= row < width and column + length <= width for row, column, length in runs)


# --- over HTTP -------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_download_makes_a_fresh_link_that_opens_anonymously(client, settings):
    settings.PORTAL_URL = PORTAL + "/"
    member = MemberFactory(user__first_name="Ada", user__last_name="Lovelace")
    sign_in(client, member.user)

    first = client.get(URL)
    second = client.get(URL, {"year": "2026"})

    assert first.status_code == second.status_code == 200
    links = list(VerificationLink.objects.filter(member=member).order_by("id"))
    assert len(links) == 2
    urls = [f"{PORTAL}/v/{link.token}/" for link in links]
    assert qr_codes(first.content) == [urls[0]]
    assert qr_codes(second.content) == [urls[1]]
    assert urls[0] in pdf_text(first.content)
    events = AuditEvent.objects.filter(action="verification_link.created", member=member)
    assert events.count() == 2
    assert all(event.actor_id == member.user_id for event in events)

    dashboard = client.get(reverse("status:dashboard")).content.decode()
    assert all(link.token in dashboard for link in links)  # listed, to revoke

    client.logout()
    page = client.get(urls[0].removeprefix(PORTAL))
    assert page.status_code == 200
    assert "Ada Lovelace" in page.content.decode()
