"""The prefill reader over the certificate corpus: per-field precision and recall.

Precision counts a filled field right only when it equals the expectation; recall is the
share of expected fields filled right. A wrong value is worse than none, so precision must
reach 0.98 and recall 0.9 for every field."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from cpe.prefill import read_certificate, text_of_pdf

CORPUS = Path(__file__).resolve().parent / "corpus"
FIELDS = (
    "title",
    "provider",
    "completed_on",
    "activity_type",
    "minutes",
    "recommended_hours",
    "ethics",
)


def score() -> dict[str, tuple[int, int, int]]:
    """(right, filled, expected) for each field over the corpus."""
    right: Counter[str] = Counter()
    filled: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    for pdf in sorted(CORPUS.glob("*.pdf")):
        truth = json.loads(pdf.with_suffix(".json").read_text())
        got = read_certificate(text_of_pdf(pdf.read_bytes()), truth["language_hint"]).fields
        for name in FIELDS:
            want = truth["fields"].get(name)
            expected[name] += want is not None
            filled[name] += name in got
            right[name] += name in got and got[name] == want
    return {name: (right[name], filled[name], expected[name]) for name in FIELDS}


def table(figures: dict[str, tuple[int, int, int]]) -> str:
    rows = [
        "| field | expected | filled | right | precision | recall |",
        "|---|---|---|---|---|---|",
    ]
    for name, (right, filled, expected) in figures.items():
        precision = right / filled if filled else 1.0
        recall = right / expected if expected else 1.0
        rows.append(
            f"| {name} | {expected} | {filled} | {right} | {precision:.3f} | {recall:.3f} |"
        )
    return "\n".join(rows)


def test_corpus_is_large_and_varied() -> None:
    pdfs = sorted(CORPUS.glob("*.pdf"))
    assert len([p for p in pdfs if not p.name.startswith("scan")]) >= 30
    assert len([p for p in pdfs if p.name.startswith("scan")]) >= 3


def test_scans_have_no_text_layer() -> None:
    for pdf in sorted(CORPUS.glob("scan-*.pdf")):
        assert text_of_pdf(pdf.read_bytes()) == ""


def test_precision_and_recall_per_field() -> None:
    figures = score()
    print("\n" + table(figures))
    for name, (right, filled, expected) in figures.items():
        assert filled == 0 or right / filled >= 0.98, (name, right, filled)
        assert expected == 0 or right / expected >= 0.9, (name, right, expected)
