"""The style sheets parse: every block is closed (a merge that drops one brace silently
turns every later rule into part of a media query)."""

from pathlib import Path

import pytest

CSS = sorted((Path(__file__).resolve().parents[2] / "static").rglob("*.css"))


@pytest.mark.parametrize("path", CSS, ids=lambda p: p.name)
def test_every_block_is_closed(path: Path) -> None:
    depth = 0
    text = path.read_text()
    in_comment = False
    for i, char in enumerate(text):
        if in_comment:
            in_comment = not (char == "/" and text[i - 1] == "*")
            continue
        if char == "*" and i and text[i - 1] == "/":
            in_comment = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            assert depth >= 0, f"{path.name}: a '}}' closes nothing near character {i}"
    assert depth == 0, f"{path.name}: {depth} block(s) left open"
