"""Screenshots of every page of the portal at desktop (1280 px) and phone (390 px) width.

Usage (from the repository root, with the test database settings the tests use)::

    .venv/bin/python scripts/screenshots.py [FOLDER] [--role signed_out|member|staff]

FOLDER defaults to docs/screenshots/. It runs tests/browser/test_axe.py with
``SCREENSHOTS=FOLDER``: the test's live server and its factory data (one member with an
entry, purchases, a refund request, an exemption and a retirement request; one staff
reviewer), signed out, as the member and as staff; every page of the test's page list is
saved as ``<role>-<page>-<desktop|phone>.png`` (full page). Take one set before a change
and one after, into two folders, to compare them. The pages' axe results are checked as
usual, so the run also says whether any page has an accessibility violation.

Set TEST_DATABASE_NAME to use a database of your own (as for the tests). The screenshots
are not committed (they are large); docs/screenshots/ is in .gitignore.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--role", choices=["signed_out", "member", "staff"])
    args = parser.parse_args(argv)
    folder = Path(args.folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    selection = "test_pages_pass_axe_and_fit_the_screen"
    if args.role:
        selection += f" and {args.role}"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/browser/test_axe.py",
        "-k",
        selection,
    ]
    env = {**os.environ, "SCREENSHOTS": str(folder)}
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603 (fixed argv)
    shots = sorted(folder.glob("*.png"))
    print(f"{len(shots)} screenshots in {folder}")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
