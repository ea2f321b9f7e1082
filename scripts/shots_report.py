"""Reading a screenshots folder's axe results and writing its README (scripts/screenshots.py).

A folder holds the PNGs of tests/browser/test_axe.py, ``axe-<role>-<width>.json`` (one per
role and width, written by tests/browser/axe_report.py), ``pytest-output.txt`` and
``run.json`` (what was run, written by the script). A revision whose test_axe writes no JSON
is read from pytest's output instead: the assertion report names each page with its
violations; a page that has a screenshot and is not in the report passed (a screenshot no
known page key matches is listed as "[<its name>]"). Pure functions
over file contents, so tests/test_screenshots.py needs no browser.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tests.browser.axe_report import shot_name

ROLES = ("signed_out", "member", "staff")
WIDTHS = {"desktop": 1280, "phone": 390}
PIXELS = {px: name for name, px in WIDTHS.items()}
TEST = "test_pages_pass_axe_and_fit_the_screen"

Check = tuple[str, str, str]  # (role, width, page key)


@dataclass(frozen=True)
class Result:
    """One page for one role at one width."""

    violations: int | None  # None: not known (the test stopped before judging it)
    rules: tuple[str, ...] = ()  # "color-contrast (serious)"
    errors: tuple[str, ...] = ()
    screenshot: str | None = None
    source: str = "json"

    @property
    def failed(self) -> bool:
        """Judged, and a violation or an error found."""
        return self.violations is not None and bool(self.violations or self.errors)

    def text(self) -> str:
        """ "2 violations: color-contrast (serious), list (serious); <error>"; a page with
        errors and no violation shows only its errors."""
        if self.violations is None:
            return "; ".join(("not known", *self.errors))
        words = [f"{self.violations} violation{'s' * (self.violations != 1)}"]
        if self.rules:
            words[0] += ": " + ", ".join(self.rules)
        if self.errors and not self.violations:
            words = []
        return "; ".join((*words, *self.errors))


@dataclass
class Run:
    """Everything known about one folder."""

    results: dict[Check, Result] = field(default_factory=dict)
    outcomes: dict[tuple[str, str], str] = field(default_factory=dict)  # passed/failed/error
    notes: list[str] = field(default_factory=list)


# Pages whose answer is a 404 page by design: an unknown address, a revoked verification link.
NOT_FOUND_ON_PURPOSE = re.compile(r"^#404|#revoked$")


def from_json(data: dict[str, Any]) -> dict[Check, Result]:
    """The pages of one axe-<role>-<width>.json."""
    role, width = data["role"], data["width"]
    found = {}
    for page in data["pages"]:
        rules = tuple(f"{r['id']} ({r['impact']})" for r in page["rules"])
        errors = tuple(page["errors"])
        if (
            page.get("status")
            and page["status"] >= 400
            and not NOT_FOUND_ON_PURPOSE.search(page["key"])
        ):
            errors += (f"HTTP {page['status']}",)
        found[(role, width, page["key"])] = Result(
            page["violations"], rules, errors, page.get("screenshot")
        )
    return found


HEADER = re.compile(r"^E(\s+)AssertionError: (\w+) at (\d+)px:\s*$")
PAGE = re.compile(r"^(\S.*) \((https?://\S*)\):$")
RULE = re.compile(r"^([\w-]+) \((\w+)\): ")
OUTCOME = re.compile(rf"^(PASSED|FAILED|ERROR) \S*::{TEST}\[(\w+)-(\w+)\]")


def _result(lines: list[str]) -> Result:
    rules = tuple(f"{m[1]} ({m[2]})" for line in lines if (m := RULE.match(line)))
    errors = tuple(line for line in lines if not RULE.match(line))
    return Result(len(rules), rules, errors, source="pytest output")


def _reports(text: str) -> dict[tuple[str, str], dict[str, list[str]]]:
    """test_axe's assertion messages: "<role> at <px>px:", then each "<key> (<url>):"
    indented by two more spaces and its problems by four."""
    reports: dict[tuple[str, str], dict[str, list[str]]] = {}
    pages: dict[str, list[str]] | None = None
    indent = 0
    for line in text.splitlines():
        if header := HEADER.match(line):
            indent = len(header[1])
            pair = (header[2], PIXELS.get(int(header[3]), header[3] + "px"))
            pages = reports.setdefault(pair, {})
            key = None
            continue
        body = line[1 + indent :] if line.startswith("E") else ""
        if pages is None or not body.startswith("  ") or body.startswith("  " * 3):
            pages = None
        elif not body.startswith("    ") and (page := PAGE.match(body[2:])):
            key = page[1]
            pages[key] = []
        elif key is not None and body.startswith("    "):
            pages[key].append(body[4:])
    return reports


def from_pytest_output(text: str) -> Run:
    """Pages named in test_axe's assertion reports, and each role and width's outcome
    (from the ``-rA`` summary lines): passed, failed (the report lists the pages) or
    stopped (an exception before the report: pages not named are not known)."""
    run = Run()
    reports = _reports(text)
    for (role, width), pages in reports.items():
        for key, lines in pages.items():
            run.results[(role, width, key)] = _result(lines)
    for line in text.splitlines():
        if outcome := OUTCOME.match(line):
            ids = {outcome[2], outcome[3]}
            pair = (next(iter(ids & set(ROLES)), ""), next(iter(ids & set(WIDTHS)), ""))
            passed = outcome[1] == "PASSED"
            run.outcomes[pair] = "passed" if passed else "failed" if pair in reports else "stopped"
    return run


def read_folder(folder: Path) -> Run:
    """A folder's results: its JSON files, else pytest's output and the screenshots."""
    files = sorted(folder.glob("axe-*.json"))
    if files:
        run = Run()
        for path in files:
            run.results.update(from_json(json.loads(path.read_text(encoding="utf-8"))))
        run.outcomes = {(r, w): "json" for r, w, _ in run.results}
    elif (folder / "pytest-output.txt").exists():
        run = from_pytest_output((folder / "pytest-output.txt").read_text(encoding="utf-8"))
        run.notes.append(
            "No axe JSON in this folder (the revision's test does not write it): results "
            "come from pytest's assertion report; a page with a screenshot that the report "
            "does not name had no violation."
        )
    else:
        run = Run(notes=["No results in this folder."])
    info = folder / "run.json"
    if info.exists():
        run.notes.extend(json.loads(info.read_text(encoding="utf-8")).get("notes", []))
    return run


def result(run: Run, shots: set[str], check: Check) -> Result | None:
    """What a run knows of one page: its record; else, for a run read from pytest's
    output, a page with a screenshot whose role and width finished its check passed."""
    role, width, key = check
    shot = shot_name(role, key, width)
    if check in run.results:
        found = run.results[check]
        if found.screenshot is None and shot in shots:
            found = replace(found, screenshot=shot)
        return found
    if shot not in shots:
        return None
    if run.outcomes.get((role, width)) in {"passed", "failed"}:
        return Result(0, screenshot=shot, source="screenshot, not in the report")
    return Result(None, screenshot=shot, errors=("the test stopped before judging",))


def summary(results: Iterable[Result]) -> dict[str, Any]:
    """Counts for a run: checks, checks with a problem, and checks per rule id."""
    results = list(results)
    rules: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for r in results:
        rules.update({rule.split(" (")[0] for rule in r.rules})
        errors.update({re.sub(r"\d+px", "Npx", e.split(":")[0]) for e in r.errors})
    return {
        "checks": len(results),
        "failed": sum(r.failed for r in results),
        "unknown": sum(r.violations is None for r in results),
        "rules": dict(rules.most_common()),
        "errors": dict(errors.most_common()),
    }


def _summary_lines(title: str, counts: dict[str, Any]) -> list[str]:
    lines = [
        f"**{title}**: {counts['checks']} checks (page × role × width), "
        f"{counts['failed']} with a violation or error, {counts['unknown']} not known.",
        "",
    ]
    for name, number in {**counts["rules"], **counts["errors"]}.items():
        lines.append(f"- `{name}`: {number} check{'s' * (number != 1)}")
    return [*lines, ""] if len(lines) > 2 else lines


def _order(check: Check) -> tuple[int, str, int]:
    role, width, key = check
    return (ROLES.index(role) if role in ROLES else 9, key, list(WIDTHS).index(width))


def _link(path: Path | None, base: Path) -> str:
    if path is None:
        return "—"
    rel = os.path.relpath(path, base)
    return f"[{path.name}]({rel.replace(' ', '%20')})"


SHOT = re.compile(r"(signed-out|member|staff)-(.+)-(desktop|phone)\.png")


def _unnamed_shots(run: Run, shots: set[str], checks: Iterable[Check]) -> dict[Check, Result]:
    """For a run read from pytest's output: screenshots of pages no check names (the
    report names only pages with violations), as rows of their own."""
    named = {shot_name(role, key, width) for role, width, key in checks}
    found = {}
    for shot in sorted(shots - named):
        if match := SHOT.fullmatch(shot):
            role, width = match[1].replace("-", "_"), match[3]
            judged = run.outcomes.get((role, width)) in {"passed", "failed"}
            unknown = () if judged else ("the test stopped before judging",)
            found[(role, width, f"[{match[2]}]")] = Result(
                0 if judged else None, errors=unknown, screenshot=shot, source="screenshot only"
            )
    return found


@dataclass
class Table:
    """Every page × role × width of one or two folders, with what each folder knows."""

    folders: dict[str, Path]
    runs: dict[str, Run]
    checks: list[Check]
    cells: dict[str, dict[Check, Result | None]]

    def known(self, name: str) -> list[Result]:
        return [r for r in self.cells[name].values() if r is not None]


def table(after: Path, before: Path | None = None) -> Table:
    folders = {"before": before, "after": after} if before else {"after": after}
    runs = {n: read_folder(f) for n, f in folders.items()}
    shots = {n: {p.name for p in f.glob("*.png")} for n, f in folders.items()}
    checks = {c for run in runs.values() for c in run.results}
    for n, run in runs.items():
        if "json" not in run.outcomes.values():
            run.results.update(_unnamed_shots(run, shots[n], checks))
    ordered = sorted({c for run in runs.values() for c in run.results}, key=_order)
    cells = {n: {c: result(runs[n], shots[n], c) for c in ordered} for n in folders}
    return Table(folders, runs, ordered, cells)


def readme(after: Path, before: Path | None = None) -> str:
    """FOLDER/README.md: a summary and one row per page × role × width, with the axe
    result before and after and both screenshots (before only with a BEFORE folder)."""
    found = table(after, before)
    folders, runs, checks, cells = found.folders, found.runs, found.checks, found.cells
    names = list(folders)
    label = {"before": "Before", "after": "After" if before else "Results"}
    lines = [f"# Screenshots and axe results: {after.name}", ""]
    for n in names:
        lines.append(f"{label[n]}: `{folders[n]}`" + "".join(f" — {t}" for t in runs[n].notes))
        lines.append("")
    for n in names:
        lines.extend(_summary_lines(label[n], summary(found.known(n))))
    head = ["Page", "Role", "Width"] + [f"{label[n]} axe" for n in names]
    head += [f"{label[n]} screenshot" for n in names]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for check in checks:
        role, width, key = check
        row = [f"`{key}`", role, f"{width} {WIDTHS.get(width, '')}"]
        for n in names:
            r = cells[n][check]
            row.append("not checked" if r is None else r.text().replace("|", "\\|"))
        for n in names:
            r = cells[n][check]
            shot = r.screenshot if r and r.screenshot else None
            row.append(_link(folders[n] / shot if shot else None, after))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"
