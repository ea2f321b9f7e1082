"""What test_axe finds on each page, kept per page: axe's violations (rule id and impact),
problems of the page itself (wider than a phone screen, did not load), the HTTP status
and, with ``SCREENSHOTS=<folder>``, the page's full-page PNG and an
``axe-<role>-<width>.json`` with every page checked (scripts/screenshots.py reads it)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

PHONE = 390


def slug(key: str) -> str:
    """A file name for a page: "transcript/<int:entry_id>/edit/" -> "transcript entry_id edit"."""
    key = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"\1", key)
    key = re.sub(r"<\w+:(\w+)>", r"\1", key)
    return key.replace("#", " ").strip("/^$ ") or "home"


def shot_name(role: str, key: str, width: str) -> str:
    """The screenshot's file name: "member-transcript-entry_id-edit-phone.png"."""
    name = re.sub(r"[^a-z0-9]+", "-", f"{role} {slug(key)}".lower()).strip("-")
    return f"{name}-{width}.png"


class Checks:
    """Visits pages with one browser page and remembers what each one showed."""

    def __init__(self, page: Any, axe: Any, role: str, width: str, shots: str | None) -> None:
        self.page, self.axe, self.role, self.width, self.shots = page, axe, role, width, shots
        self.pages: list[dict[str, Any]] = []
        self.violations: dict[str, list[str]] = {}
        self.status: int | None = None
        page.on("response", self._response)

    def _response(self, response: Any) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.status = response.status

    def visit(self, key: str, go: Callable[[], Any], *, retry: bool = True) -> bool:
        """Go to a page (``go`` navigates) and check it; a page that does not load (twice,
        with ``retry``: a failed page's error page can cut into the next navigation) is
        recorded as an error of that page. True when the page was checked."""
        for attempt in range(2 if retry else 1):
            self.status = None
            try:
                go()
                break
            except Exception as error:  # recorded; the test reports it
                if attempt or not retry:
                    self.failed(key, error)
                    return False
                self.page.wait_for_timeout(500)
        self.check(key)
        return True

    def failed(self, key: str, error: BaseException) -> None:
        text = f"did not load: {type(error).__name__}: {str(error).splitlines()[0][:300]}"
        self.pages.append(self._record(key, [], [text], shot=None))
        self.violations[f"{key} ({self.page.url})"] = [text]

    def check(self, key: str) -> None:
        self.page.wait_for_load_state("load")
        results = self.axe.run(self.page).response["violations"]
        found = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in results
        ]
        errors = []
        if self.page.viewport_size["width"] <= PHONE:
            wide = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if wide > 0:
                errors.append(f"page overflows the phone screen by {wide}px")
        if found or errors:
            self.violations[f"{key} ({self.page.url})"] = found + errors
        shot = None
        if self.shots:
            shot = shot_name(self.role, key, self.width)
            Path(self.shots).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(self.shots) / shot), full_page=True)
        self.pages.append(self._record(key, results, errors, shot))

    def _record(self, key: str, results: list[Any], errors: list[str], shot: str | None):
        rules = [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in results]
        return {
            "key": key,
            "url": self.page.url,
            "status": self.status,
            "violations": len(rules),
            "rules": rules,
            "errors": errors,
            "screenshot": shot,
        }

    def write(self) -> None:
        """axe-<role>-<width>.json in the screenshots folder (only with SCREENSHOTS)."""
        if not self.shots:
            return
        folder = Path(self.shots)
        folder.mkdir(parents=True, exist_ok=True)
        data = {"role": self.role, "width": self.width, "pages": self.pages}
        text = json.dumps(data, indent=1, ensure_ascii=False)
        (folder / f"axe-{self.role}-{self.width}.json").write_text(text, encoding="utf-8")
