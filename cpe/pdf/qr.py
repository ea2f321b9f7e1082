"""A QR code drawn as vector rectangles on a reportlab canvas (``segno`` encodes it), so it
stays sharp at any zoom or print resolution and adds no image to the PDF.

Error correction M (15 % of the code may be smudged or folded away), never a Micro QR
(phone cameras do not all read those); the four-module quiet zone around the code is left
blank inside ``size``."""

from __future__ import annotations

from typing import Any

import segno

QUIET_ZONE = 4  # modules of blank border the QR standard asks for


def dark_runs(text: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The code of ``text``: its width in modules (without the quiet zone), and its dark
    modules as horizontal runs ``(row, first column, length)``, row 0 at the top."""
    code = segno.make(text, error="m", micro=False, boost_error=False)
    matrix = code.matrix
    runs: list[tuple[int, int, int]] = []
    for row, line in enumerate(matrix):
        column = 0
        while column < len(line):
            if not line[column]:
                column += 1
                continue
            start = column
            while column < len(line) and line[column]:
                column += 1
            runs.append((row, start, column - start))
    return len(matrix), runs


def draw_qr(canvas: Any, text: str, *, x: float, y: float, size: float) -> None:
    """The QR code of ``text`` in black, in the ``size``-point square whose lower left
    corner is ``(x, y)`` (the quiet zone included)."""
    width, runs = dark_runs(text)
    module = size / (width + 2 * QUIET_ZONE)
    left = x + QUIET_ZONE * module
    top = y + size - QUIET_ZONE * module
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    for row, column, length in runs:
        canvas.rect(
            left + column * module,
            top - (row + 1) * module,
            length * module,
            module,
            stroke=0,
            fill=1,
        )
    canvas.restoreState()
