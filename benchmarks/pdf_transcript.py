"""Time the tagged PDF transcript (cpe.pdf.transcript): a typical transcript (20 entries)
and a long one (300 entries), in Latin script and in Chinese, rendered in memory (no
database, no HTTP), and print the median and worst milliseconds of each.

    .venv/bin/python benchmarks/pdf_transcript.py [--runs 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imaportal.settings.test")

import django

django.setup()

from django.utils import translation  # noqa: E402

from cpe.models import TranscriptEntry  # noqa: E402
from cpe.pdf.summary import StatusSummary, SummaryYear  # noqa: E402
from cpe.pdf.transcript import transcript_pdf  # noqa: E402
from cpe.selectors import year_totals  # noqa: E402
from members.models import Member, User  # noqa: E402

D = Decimal
SUMMARY = StatusSummary(
    status="Active",
    next_step="You have met the requirement for 2026.",
    carried_in=D("7.0"),
    pending=D("2.5"),
    years=tuple(SummaryYear(y, D("30"), D("34"), D("4")) for y in range(2021, 2027)),
)


def entries(member: Member, count: int, title: str) -> list[TranscriptEntry]:
    return [
        TranscriptEntry(
            member=member,
            source="self",
            activity_type="short_course",
            title=f"{title} {i}",
            provider="Institute of Management Accountants",
            completed_on=dt.date(2026 - i % 6, 1 + i % 12, 1 + i % 28),
            credit_hours=D("2.5"),
            review_status="approved",
            ethics=i % 9 == 0,
        )
        for i in range(count)
    ]


def time_one(member: Member, count: int, title: str, runs: int) -> tuple[float, float, int, int]:
    groups = year_totals(entries(member, count, title))
    timings = []
    pdf = b""
    for _ in range(runs):
        start = time.perf_counter()
        pdf = transcript_pdf(
            member=member,
            summary=SUMMARY,
            groups=groups,
            year=None,
            generated_on=dt.date.today(),
            verification_url="https://portal.ima.example/v/" + "Q" * 43 + "/",
        )
        timings.append((time.perf_counter() - start) * 1000)
    pages = len(re.findall(rb"/Type /Page\b(?!s)", pdf))
    return statistics.median(timings), max(timings), len(pdf), pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    cases = [
        ("en", "Zoë Łukasz", "Budgeting and forecasting for managers, part"),
        ("zh-hant", "王小明", "管理會計師的預算與預測課程 第"),
    ]
    print(f"{'language':<9} {'entries':>7} {'median ms':>10} {'worst ms':>9} {'KiB':>6} pages")
    for language, name, title in cases:
        first, last = name.split(" ", 1) if " " in name else (name, "")
        member = Member(
            user=User(email="m@example.org", first_name=first, last_name=last),
            member_number="20001234",
            certified_on=dt.date(2019, 5, 1),
        )
        with translation.override(language):
            time_one(member, 5, title, 1)  # fonts loaded once per process
            for count in (20, 300):
                median, worst, size, pages = time_one(member, count, title, args.runs)
                print(
                    f"{language:<9} {count:>7} {median:>10.1f} {worst:>9.1f}"
                    f" {size / 1024:>6.0f} {pages:>5}"
                )


if __name__ == "__main__":
    main()
