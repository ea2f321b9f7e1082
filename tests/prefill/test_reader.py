"""The prefill reader on small texts: dates by language, nothing filled when in doubt."""

from __future__ import annotations

import pytest

from cpe.prefill import read_certificate, text_of_pdf

NASBA = """Certificate of Completion
Course Title: Advanced Budgeting
Sponsor: ACME Training LLC
NASBA Sponsor ID: 112233
Date of Completion: {date}
Field of Study: {field}
CPE Credits: 8.0
Delivery Method: {delivery}
"""


@pytest.mark.parametrize(
    ("written", "hint", "iso"),
    [
        ("June 5, 2026", "en", "2026-06-05"),
        ("5 June 2026", "en", "2026-06-05"),
        ("2026-06-05", "en", "2026-06-05"),
        ("05/06/2026", "en-US", "2026-05-06"),
        ("05/06/2026", "en-GB", "2026-06-05"),
        ("05/06/2026", "nb", "2026-06-05"),
        ("25/06/2026", "en-US", "2026-06-25"),
        ("2026年6月5日", "zh-Hans", "2026-06-05"),
    ],
)
def test_dates(written: str, hint: str, iso: str) -> None:
    text = NASBA.format(date=written, field="Accounting", delivery="Group Live")
    assert read_certificate(text, hint).fields["completed_on"] == iso


def test_ambiguous_date_without_a_hint_stays_empty() -> None:
    text = NASBA.format(date="05/06/2026", field="Accounting", delivery="Group Live")
    prefill = read_certificate(text, "en")
    assert "completed_on" not in prefill.fields
    assert prefill.fields["title"] == "Advanced Budgeting"


def test_two_completion_dates_stay_empty() -> None:
    text = NASBA.format(date="June 5, 2026", field="Accounting", delivery="Group Live")
    text += "Date of Completion: June 6, 2026\n"
    assert "completed_on" not in read_certificate(text, "en-US").fields


def test_fields_and_where_they_were_read() -> None:
    text = NASBA.format(date="June 5, 2026", field="Behavioral Ethics", delivery="Group Live")
    prefill = read_certificate(text, "en-US")
    assert prefill.fields == {
        "title": "Advanced Budgeting",
        "provider": "ACME Training LLC",
        "completed_on": "2026-06-05",
        "activity_type": "short_course",
        "minutes": 400,
        "ethics": True,
    }
    assert prefill.found["minutes"] == "CPE Credits: 8.0"


def test_self_study_credits_are_recommended_hours() -> None:
    text = NASBA.format(date="June 5, 2026", field="Finance", delivery="QAS Self Study")
    fields = read_certificate(text, "en").fields
    assert fields["activity_type"] == "self_study"
    assert fields["recommended_hours"] == "8.0"
    assert fields["ethics"] is False
    assert "minutes" not in fields


def test_unknown_delivery_leaves_the_type_empty() -> None:
    text = NASBA.format(date="June 5, 2026", field="Finance", delivery="Blended")
    fields = read_certificate(text, "en").fields
    assert "activity_type" not in fields
    assert fields["minutes"] == 400


def test_empty_text_reads_nothing() -> None:
    assert read_certificate("", "en").fields == {}


def test_text_of_a_broken_pdf_is_empty() -> None:
    assert text_of_pdf(b"%PDF-1.4 broken") == ""
    assert text_of_pdf(b"") == ""


def test_a_plain_date_line_does_not_outvote_the_completion_date() -> None:
    text = NASBA.format(date="June 5, 2026", field="Finance", delivery="Group Live")
    text += "Date: July 1, 2026\n"
    assert read_certificate(text, "en").fields["completed_on"] == "2026-06-05"


def test_a_plain_date_line_alone_is_read() -> None:
    text = "Certificate of Attendance\nEvent: Cost Forum\nDate: 2026-03-17\n"
    assert read_certificate(text, "en").fields["completed_on"] == "2026-03-17"


def test_chinese_inline_credits() -> None:
    text = "课程名称：成本管理\n完成日期：2026年6月5日\n本课程共计 3 学分。\n"
    fields = read_certificate(text, "zh-hans").fields
    assert fields["minutes"] == 150
    assert fields["completed_on"] == "2026-06-05"


def test_mutated_pdfs_never_raise() -> None:
    import random
    from pathlib import Path

    rnd = random.Random(1)
    corpus = sorted((Path(__file__).resolve().parent / "corpus").glob("*.pdf"))
    pdfs = [path.read_bytes() for path in corpus]
    for _ in range(300):
        data = bytearray(rnd.choice(pdfs))
        for _change in range(rnd.randint(1, 30)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        assert isinstance(text_of_pdf(bytes(data[: rnd.randrange(16, len(data) + 1)])), str)
