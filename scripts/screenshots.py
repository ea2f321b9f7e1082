"""Screenshots and axe results of every page at desktop (1280 px) and phone (390 px) width.

Usage (from the repository root)::

    .venv/bin/python scripts/screenshots.py [FOLDER] [--role ROLE] [--at REV]
        [--compare BEFORE_FOLDER] [--no-run]

FOLDER defaults to docs/screenshots/. It runs tests/browser/test_axe.py with
``SCREENSHOTS=FOLDER``: the test's live server and its factory data, signed out, as the
member and as staff; every page is saved as ``<role>-<page>-<desktop|phone>.png`` (full
page) and each role and width writes ``axe-<role>-<width>.json`` (every page's axe
violations and errors). pytest's output goes to FOLDER/pytest-output.txt, what was run to
FOLDER/run.json, and FOLDER/README.md gets a table of every page with its axe result and
screenshot.

``--at REV`` runs against another revision: a temporary ``git worktree add --detach`` of REV
(with a symlink to this .venv) runs REV's own test_axe there, then is removed. A revision
without tests/browser/test_axe.py gets this revision's test (and axe_report.py) copied in;
pages its code lacks are then recorded as "did not load". A revision whose test writes no
JSON is read from pytest's assertion report (see scripts/shots_report.py).
``--compare BEFORE_FOLDER`` puts the before results and screenshots beside these in the
README. ``--no-run`` only rebuilds the README from the files already in FOLDER.

Exits non-zero when the run (or, with --no-run, the folder) has a violation or error.
Set TEST_DATABASE_NAME to use a database of your own (as for the tests). The screenshots
are not committed (they are large); docs/screenshots/ is in .gitignore.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import shots_report  # noqa: E402 (needs ROOT on the path when run as a script)

AXE_FILES = ("tests/browser/test_axe.py", "tests/browser/axe_report.py")


def _git(*args: str, cwd: Path = ROOT) -> str:
    command = ["git", *args]
    done = subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True)  # noqa: S603
    return done.stdout.strip()


def _subject(rev: str) -> str:
    subject = _git("log", "-1", "--format=%s", rev)
    return subject if len(subject) <= 80 else subject[:79] + "…"


def _pytest(checkout: Path, folder: Path, role: str | None) -> int:
    """Run test_axe in ``checkout`` with SCREENSHOTS=folder; its output is printed and
    kept in folder/pytest-output.txt."""
    selection = shots_report.TEST + (f" and {role}" if role else "")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA"]
    command += ["tests/browser/test_axe.py", "-k", selection]
    env = {**os.environ, "SCREENSHOTS": str(folder)}
    done = subprocess.run(  # noqa: S603 (fixed argv)
        command, cwd=checkout, env=env, check=False, capture_output=True, text=True
    )
    output = done.stdout + done.stderr
    (folder / "pytest-output.txt").write_text(output, encoding="utf-8")
    print(output[-3000:])
    return done.returncode


def _compile_messages(checkout: Path) -> None:
    """The revision's translations, where its dev.py compiles them (.mo files are not
    committed)."""
    code = "import dev; f = getattr(dev, 'compile_messages', None); f and f()"
    subprocess.run([sys.executable, "-c", code], cwd=checkout, check=False)  # noqa: S603


def run_at(rev: str, folder: Path, role: str | None) -> tuple[int, list[str]]:
    """Run test_axe at another revision in a temporary worktree; (exit code, notes)."""
    sha = _git("rev-parse", "--short", rev)
    notes = [f"Revision {sha} ({_subject(sha)})."]
    base = Path(tempfile.mkdtemp(prefix="imaportal-shots-"))
    checkout = base / "checkout"
    _git("worktree", "add", "--detach", str(checkout), sha)
    try:
        (checkout / ".venv").symlink_to((ROOT / ".venv").resolve())
        if not (checkout / AXE_FILES[0]).exists():
            for name in AXE_FILES:
                shutil.copy2(ROOT / name, checkout / name)
            here = _git("rev-parse", "--short", "HEAD")
            dirty = " with uncommitted changes" if _git("status", "--porcelain") else ""
            notes.append(
                f"{sha} has no tests/browser/test_axe.py: this checkout's test ({here}{dirty})"
                " was copied in; pages that revision lacks did not load."
            )
        _compile_messages(checkout)
        return _pytest(checkout, folder, role), notes
    finally:
        _git("worktree", "remove", "--force", str(checkout))
        shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--role", choices=shots_report.ROLES)
    parser.add_argument("--at", metavar="REV", help="run against this git revision")
    parser.add_argument("--compare", metavar="BEFORE_FOLDER", help="a folder to compare with")
    parser.add_argument("--no-run", action="store_true", help="only rebuild README.md")
    args = parser.parse_args(argv)
    folder = Path(args.folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    code = 0
    if not args.no_run:
        for old in [*folder.glob("*.png"), *folder.glob("axe-*.json")]:
            old.unlink()  # a new run: nothing left over from an earlier one
        if args.at:
            code, notes = run_at(args.at, folder, args.role)
        else:
            code = _pytest(ROOT, folder, args.role)
            sha = _git("rev-parse", "--short", "HEAD")
            dirty = " with uncommitted changes" if _git("status", "--porcelain") else ""
            notes = [f"Revision {sha}{dirty} ({_subject('HEAD')})."]
        info = {"revision": args.at or "HEAD", "role": args.role, "exit": code, "notes": notes}
        (folder / "run.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    before = Path(args.compare).resolve() if args.compare else None
    (folder / "README.md").write_text(shots_report.readme(folder, before), encoding="utf-8")
    counts = shots_report.summary(shots_report.table(folder).known("after"))
    print(f"{len(list(folder.glob('*.png')))} screenshots in {folder}; README.md written")
    print(json.dumps(counts, indent=1))
    return 1 if code or counts["failed"] or counts["unknown"] or not counts["checks"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
