"""Make the certificate corpus of tests/prefill/corpus/: PDFs and their expected fields.

Run from the repository root: ``.venv/bin/python tests/prefill/make_corpus.py``. Each
certificate is drawn with reportlab in one of several layouts (NASBA-style labels, a
two-column table, sentences, a university or conference letter, Chinese) and fonts; the
"scans" are image-only PDFs (no text layer). Next to each ``NAME.pdf`` is ``NAME.json``:
the language hint and the fields a careful reader would fill (and no others).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape, letter  # type: ignore[import-untyped]
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

OUT = Path(__file__).resolve().parent / "corpus"
CJK = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONTS = ("Helvetica", "Times-Roman", "Courier", "Vera", "VeraBd")


def _fonts() -> None:
    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
    pdfmetrics.registerFont(TTFont("WQY", CJK, subfontIndex=0))


def _page(lines: list[str], font: str, size: Any, heading: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=size, invariant=1)
    width, height = size
    page.setFont(font, 22)
    page.drawCentredString(width / 2, height - 90, heading)
    page.setFont(font, 12)
    y = height - 140
    for line in lines:
        if "\t" in line:
            label, value = line.split("\t", 1)
            page.drawString(72, y, label)
            page.drawString(260, y, value)
        else:
            page.drawString(72, y, line)
        y -= 22
    page.showPage()
    page.save()
    return buffer.getvalue()


def _scan(lines: list[str]) -> bytes:
    """An image-only PDF: the text drawn into a picture, like a scanner makes."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((60, 80 + index * 30), line, fill=0)
    raw = io.BytesIO()
    image.save(raw, format="PNG")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter, invariant=1)
    page.drawImage(ImageReader(io.BytesIO(raw.getvalue())), 0, 0, 612, 792)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _nasba(c: dict[str, Any], tab: bool) -> list[str]:
    sep = "\t" if tab else ": "
    rows = [
        f"{c['provider']}",
        "This certifies that",
        c.get("member", "Alex Morgan"),
        "has successfully completed",
        f"Course Title{sep}{c['title']}",
        f"Sponsor{sep}{c['provider']}",
        f"NASBA Sponsor ID{sep}{c.get('sponsor_id', '108765')}",
        f"Date of Completion{sep}{c['date']}",
        f"Field of Study{sep}{c['field']}",
        f"CPE Credits{sep}{c['credits']}",
        f"Delivery Method{sep}{c['delivery']}",
    ]
    if c.get("issued"):
        rows.append(f"Date{sep}{c['issued']}")
    return rows


def _ima(c: dict[str, Any], tab: bool) -> list[str]:
    sep = "\t" if tab else ": "
    return [
        "Institute of Management Accountants",
        f"Awarded to {c.get('member', 'Chris Lee')}",
        f"Program{sep}{c['title']}",
        f"Completed on{sep}{c['date']}",
        f"CPE Hours{sep}{c['credits']}",
        f"Format{sep}{c['delivery']}",
        f"Field of Study{sep}{c['field']}",
    ]


def _letter(c: dict[str, Any], tab: bool) -> list[str]:
    del tab
    return [
        c["provider"],
        "Office of Continuing Education",
        f"Issued {c['issued']}" if c.get("issued") else "",
        "To whom it may concern,",
        f"This letter confirms that {c.get('member', 'Sam Patel')} attended",
        f"“{c['title']}” on {c['date']},",
        f"organised by {c['provider']}, earning {c['credits']} CPE credits.",
        "Sincerely, The Registrar",
    ]


def _chinese(c: dict[str, Any], tab: bool) -> list[str]:
    sep = "\t" if tab else "："
    trad = c["lang"] == "zh-Hant"
    return [
        "結業證書" if trad else "结业证书",
        f"{'課程名稱' if trad else '课程名称'}{sep}{c['title']}",
        f"{'主辦單位' if trad else '主办单位'}{sep}{c['provider']}",
        f"完成日期{sep}{c['date']}",
        f"{'學分' if trad else '学分'}{sep}{c['credits']}",
        f"{'授課方式' if trad else '授课方式'}{sep}{c['delivery']}",
        f"{'知識領域' if trad else '知识领域'}{sep}{c['field']}",
    ]


def _conference(c: dict[str, Any], tab: bool) -> list[str]:
    sep = "\t" if tab else ": "
    return [
        f"{c['provider']} 2026",
        "Certificate of Attendance",
        f"Presented to {c.get('member', 'Jordan Kim')}",
        f"Event{sep}{c['title']}",
        f"Organizer{sep}{c['provider']}",
        f"Date Attended{sep}{c['date']}",
        f"Credits Earned{sep}{c['credits']} CPE credits",
        f"Delivery Format{sep}{c['delivery']}",
        f"Certificate issued {c['issued']}" if c.get("issued") else "",
        f"Field of Study{sep}{c['field']}",
    ]


def _sentence(c: dict[str, Any], tab: bool) -> list[str]:
    del tab
    return [
        f"{c['provider']}",
        f"{c.get('member', 'Robin Ortiz')} has successfully completed",
        f"“{c['title']}”",
        f"Sponsored by: {c['provider']}",
        f"Completion date: {c['date']}",
        f"Recommended CPE credits: {c['credits']}",
        f"Delivery method: {c['delivery']}",
        f"Field of study: {c['field']}",
        "Sponsor ID 103947. Complaints: NASBA, www.nasbaregistry.org",
    ]


LAYOUTS = {
    "nasba": _nasba,
    "ima": _ima,
    "letter": _letter,
    "zh": _chinese,
    "conference": _conference,
    "sentence": _sentence,
}


TYPES = {
    "Group Live": "short_course",
    "Group Internet Based": "short_course",
    "QAS Self Study": "self_study",
    "Self-Study": "self_study",
    "Live webinar": "short_course",
    "集体面授": "short_course",
    "網路直播": "short_course",
    "自学": "self_study",
}
TITLES = (
    "Advanced Budgeting and Forecasting",
    "Ethics for Management Accountants",
    "Data Analytics with Python",
    "Lease Accounting Update 2026",
    "Strategic Cost Management",
    "Internal Controls in Practice",
    "Treasury and Cash Management",
    "ESG Reporting Essentials",
)
PROVIDERS = ("Summit CPE Partners", "Northwind Learning LLC", "Ledger Academy Inc.")
FIELDS = ("Accounting", "Behavioral Ethics", "Finance", "Ethics", "Management Services")
DATES = (  # (written, iso, language hint)
    ("June 5, 2026", "2026-06-05", "en-US"),
    ("5 June 2026", "2026-06-05", "en-GB"),
    ("2026-03-17", "2026-03-17", "en"),
    ("05/06/2026", "2026-06-05", "en-GB"),
    ("05/06/2026", "2026-05-06", "en-US"),
    ("11/23/2025", "2025-11-23", "en"),
    ("23/11/2025", "2025-11-23", "en"),
    ("Sept. 9, 2025", "2025-09-09", "en"),
)
ZH = (
    ("预算管理与控制", "上海财经培训中心", "2026年6月5日", "2026-06-05", "集体面授", "管理会计"),
    ("企业风险管理", "北京会计学院", "2025年11月3日", "2025-11-03", "自学", "职业道德"),
    ("成本管理實務", "台北會計研究院", "2026年1月20日", "2026-01-20", "網路直播", "財務管理"),
    ("管理會計職業道德", "香港專業進修學院", "2026年2月14日", "2026-02-14", "集体面授", "職業道德"),
)


def _expected(c: dict[str, Any], layout: str) -> dict[str, Any]:
    credits = c["credits"]
    fields: dict[str, Any] = {"title": c["title"]}
    if c["iso"] is not None:
        fields["completed_on"] = c["iso"]
    fields["provider"] = (
        "Institute of Management Accountants (IMA)" if layout == "ima" else c["provider"]
    )
    if layout == "letter":
        fields["minutes"] = int(float(credits) * 50)
        return fields
    kind = TYPES[c["delivery"]]
    fields["activity_type"] = kind
    if kind == "self_study":
        fields["recommended_hours"] = credits
    else:
        fields["minutes"] = int(float(credits) * 50)
    fields["ethics"] = "thic" in c["field"] or "道德" in c["field"]
    return fields


def cases() -> list[tuple[str, dict[str, Any], str]]:
    """(name, certificate, layout) for every text certificate of the corpus."""
    out: list[tuple[str, dict[str, Any], str]] = []
    deliveries = (
        "Group Live",
        "Group Internet Based",
        "QAS Self Study",
        "Self-Study",
        "Live webinar",
    )
    for n in range(36):
        layout = ("nasba", "ima", "letter", "conference", "sentence", "nasba")[n % 6]
        written, iso, lang = DATES[n % len(DATES)]
        cert: dict[str, Any] = {
            "title": TITLES[n % len(TITLES)],
            "provider": PROVIDERS[n % len(PROVIDERS)],
            "date": written,
            "iso": iso,
            "lang": lang,
            "field": FIELDS[n % len(FIELDS)],
            "credits": ("8.0", "1.5", "2", "4.5", "16.0", "0.5", "3")[n % 7],
            "delivery": deliveries[n % len(deliveries)],
        }
        if layout == "letter":
            cert["provider"] = ("State University", "Pacific Finance Conference")[n % 2]
            cert["issued"] = "July 1, 2026" if n % 8 == 2 else ""
        if layout == "nasba" and n % 12 == 5:
            cert["issued"] = "2026-07-01"
        if layout == "conference":
            cert["issued"] = "August 3, 2026" if n % 4 == 1 else ""
        if n in (5, 33):  # 05/06/2026 with no language to tell day from month: left empty
            cert.update({"date": "05/06/2026", "iso": None, "lang": "en"})
        out.append((f"{n:02d}-{layout}", cert, layout))
    for n, (title, provider, written, iso, delivery, field) in enumerate(ZH):
        lang = "zh-Hant" if any(ch in title + provider for ch in "實會專學") else "zh-Hans"
        cert = {
            "title": title,
            "provider": provider,
            "date": written,
            "iso": iso,
            "lang": lang,
        }
        cert.update(
            {"field": field, "credits": ("6.0", "2", "1.5", "3.0")[n], "delivery": delivery}
        )
        out.append((f"{36 + n:02d}-zh", cert, "zh"))
    return out


SCANS = (
    ["Certificate of Completion", "Course Title: Budgeting", "CPE Credits: 4.0"],
    ["Institute of Management Accountants", "Program: Ethics Update", "June 5, 2026"],
    ["Attendance letter", "Pacific Finance Conference", "attended on 2026-03-17"],
)


def main() -> None:
    _fonts()
    OUT.mkdir(exist_ok=True)
    for index, (name, cert, layout) in enumerate(cases()):
        lines = [line for line in LAYOUTS[layout](cert, index % 3 == 1) if line]
        font = "WQY" if layout == "zh" else FONTS[index % len(FONTS)]
        size = (letter, A4, landscape(letter), landscape(A4))[index % 4]
        heading = {"letter": "", "zh": ""}.get(layout, "Certificate of Completion")
        (OUT / f"{name}.pdf").write_bytes(_page(lines, font, size, heading))
        expected = {"language_hint": cert["lang"], "fields": _expected(cert, layout)}
        (OUT / f"{name}.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n")
    for index, lines in enumerate(SCANS):
        name = f"scan-{index + 1}"
        (OUT / f"{name}.pdf").write_bytes(_scan(lines))
        (OUT / f"{name}.json").write_text(json.dumps({"language_hint": "en", "fields": {}}) + "\n")


if __name__ == "__main__":
    main()
