"""scripts/screenshots.py's README and results, from fake axe JSON and pytest output (no
browser, no database)."""

from __future__ import annotations

import json
from pathlib import Path

from scripts import shots_report as sr
from tests.browser.axe_report import shot_name


def _page(key, rules=(), errors=(), status=200, role="member", width="phone"):
    return {
        "key": key,
        "url": f"http://localhost:1234/{key}",
        "status": status,
        "violations": len(rules),
        "rules": [{"id": r, "impact": "serious", "nodes": 2} for r in rules],
        "errors": list(errors),
        "screenshot": shot_name(role, key, width),
    }


def _folder(path: Path, pages, role="member", width="phone") -> Path:
    path.mkdir()
    data = {"role": role, "width": width, "pages": pages}
    (path / f"axe-{role}-{width}.json").write_text(json.dumps(data))
    for page in pages:
        (path / page["screenshot"]).write_bytes(b"png")
    return path


REPORT = """\
___________ test_pages_pass_axe_and_fit_the_screen[member-phone] ___________
>       assert violations == {}, f"{role} at {WIDTHS[width]}px:\\n{report}"
E       AssertionError: member at 390px:
E         status/ (http://localhost:41/status/):
E           color-contrast (serious): Elements must meet contrast — .badge; .x y
E           page overflows the phone screen by 12px
E         transcript/<int:entry_id>/ (http://localhost:41/transcript/5/):
E           region (moderate): All page content should be contained by landmarks — p
E       assert {'status/ (...': [...]} == {}
E         Left contains 2 more items:
E         {'status/ (http://localhost:41/status/)': ['color-contrast '
_____________ test_pages_pass_axe_and_fit_the_screen[staff-phone] _____________
>           raise RuntimeError("boom")
E           RuntimeError: boom
=========================== short test summary info ============================
PASSED tests/browser/test_axe.py::test_pages_pass_axe_and_fit_the_screen[member-desktop]
FAILED tests/browser/test_axe.py::test_pages_pass_axe_and_fit_the_screen[member-phone]
FAILED tests/browser/test_axe.py::test_pages_pass_axe_and_fit_the_screen[staff-phone] - R...
"""


def test_json_pages_become_results_with_rule_ids_errors_and_unexpected_statuses():
    data = {
        "role": "staff",
        "width": "desktop",
        "pages": [
            _page("staff/review/", rules=["color-contrast"]),
            _page("accounts/2fa/recovery-codes/", status=404),
            _page("#404", status=404),
            _page("v/<str:token>/#revoked", status=404),
            _page("offerings/", errors=["did not load: TimeoutError: 15000ms"]),
        ],
    }
    found = sr.from_json(data)
    review = found[("staff", "desktop", "staff/review/")]
    assert (review.violations, review.rules, review.failed) == (
        1,
        ("color-contrast (serious)",),
        True,
    )
    assert found[("staff", "desktop", "accounts/2fa/recovery-codes/")].errors == ("HTTP 404",)
    assert not found[("staff", "desktop", "#404")].failed  # the 404 page is meant to be one
    assert not found[("staff", "desktop", "v/<str:token>/#revoked")].failed  # so is a revoked link
    assert found[("staff", "desktop", "offerings/")].text() == (
        "did not load: TimeoutError: 15000ms"
    )


def test_pytest_output_gives_each_reported_page_and_each_role_and_widths_outcome():
    run = sr.from_pytest_output(REPORT)
    status = run.results[("member", "phone", "status/")]
    assert status.violations == 1
    assert status.rules == ("color-contrast (serious)",)
    assert status.errors == ("page overflows the phone screen by 12px",)
    assert run.results[("member", "phone", "transcript/<int:entry_id>/")].rules == (
        "region (moderate)",
    )
    assert len(run.results) == 2  # the "Left contains" diff is not read as pages
    assert run.outcomes == {
        ("member", "desktop"): "passed",
        ("member", "phone"): "failed",
        ("staff", "phone"): "stopped",
    }


def test_a_page_missing_from_the_report_passed_only_if_its_check_finished():
    run = sr.from_pytest_output(REPORT)
    shots = {
        shot_name("member", "dues/", "phone"),
        shot_name("member", "dues/", "desktop"),
        shot_name("staff", "staff/review/", "phone"),
    }
    assert sr.result(run, shots, ("member", "phone", "dues/")).violations == 0
    assert sr.result(run, shots, ("member", "desktop", "dues/")).violations == 0
    assert sr.result(run, shots, ("staff", "phone", "staff/review/")).violations is None
    assert sr.result(run, shots, ("member", "phone", "profile/")) is None  # never visited


def test_summary_counts_checks_failures_and_rules():
    results = [
        sr.Result(2, ("color-contrast (serious)", "region (moderate)")),
        sr.Result(1, ("color-contrast (serious)",), ("page overflows the phone screen by 9px",)),
        sr.Result(0),
        sr.Result(None, errors=("the test stopped before judging",)),
    ]
    counts = sr.summary(results)
    assert counts["checks"] == 4
    assert counts["failed"] == 2
    assert counts["unknown"] == 1
    assert counts["rules"] == {"color-contrast": 2, "region": 1}
    assert counts["errors"]["page overflows the phone screen by Npx"] == 1


def test_readme_compares_every_page_with_both_screenshots(tmp_path):
    after = _folder(tmp_path / "after", [_page("status/"), _page("dues/")])
    before = tmp_path / "before"
    before.mkdir()
    (before / "pytest-output.txt").write_text(REPORT)
    (before / shot_name("member", "status/", "phone")).write_bytes(b"png")
    (before / shot_name("member", "dues/", "phone")).write_bytes(b"png")
    text = sr.readme(after, before)
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == 3  # status/, dues/ and the report's transcript page
    status = next(row for row in rows if row.startswith("| `status/`"))
    assert "1 violation: color-contrast (serious); page overflows" in status
    assert "| 0 violations |" in status
    assert "(../before/member-status-phone.png)" in status
    assert "(member-status-phone.png)" in status
    transcript = next(row for row in rows if "transcript" in row)
    assert "region (moderate)" in transcript
    assert "not checked" in transcript  # no such page in the after run
    assert "results come from pytest's assertion report" in text
    assert "**Before**: 3 checks" in text
    assert "- `color-contrast`: 1 check" in text


def test_readme_of_one_folder_has_one_result_column(tmp_path):
    after = _folder(tmp_path / "after", [_page("status/", rules=["list"])])
    text = sr.readme(after)
    assert "| Page | Role | Width | Results axe | Results screenshot |" in text
    assert "1 violation: list (serious)" in text
    assert "**Results**: 1 checks (page × role × width), 1 with a violation or error" in text


def test_a_folder_without_json_lists_its_screenshots_as_rows(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "pytest-output.txt").write_text(REPORT)
    for name in (
        "member-dues-phone.png",
        "member-status-phone.png",
        "staff-staff-review-phone.png",
    ):
        (folder / name).write_bytes(b"png")
    found = sr.table(folder)
    cells = found.cells["after"]
    assert cells[("member", "phone", "[dues]")].violations == 0  # judged, not in the report
    assert cells[("staff", "phone", "[staff-review]")].violations is None  # the test stopped
    assert ("member", "phone", "[status]") not in cells  # the report's status/ row has it
    assert cells[("member", "phone", "status/")].screenshot == "member-status-phone.png"
    assert sr.summary(found.known("after"))["checks"] == 4
