"""The fonts of the PDF transcript and how a line of text is measured, drawn and wrapped.

Bitstream Vera ships inside reportlab: unlike the PDF standard fonts it covers Central
European names (Ł, Č, ş) and needs no font installed on the server. Characters Vera lacks
(Chinese names and titles) are drawn in a CJK fallback font, one run of characters at a time,
when such a font is found (``cpe.pdf.cjk``); both are embedded as subsets.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import reportlab  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

from cpe.pdf import cjk

REGULAR = "IMAVera"
BOLD = "IMAVera-Bold"
_TOKENS = re.compile(r"\s+|\S+")


def _register() -> None:
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont(REGULAR, os.path.join(folder, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, os.path.join(folder, "VeraBd.ttf")))


@dataclass(frozen=True)
class Style:
    """How a piece of text is set: bold or not, size and line height in points."""

    size: float = 8.5
    bold: bool = False
    leading: float = 11.0

    @property
    def font(self) -> str:
        return BOLD if self.bold else REGULAR


class Typesetter:
    """Measures, draws and wraps text, each character in the first font that has it.
    Widths and wrapped lines are remembered: a transcript repeats its providers, types and
    dates on every row."""

    def __init__(self) -> None:
        _register()
        self._glyphs = {name: pdfmetrics.getFont(name).face.charToGlyph for name in (REGULAR, BOLD)}
        self._fallback: str | None = None
        self._fallback_looked_up = False
        self._widths: dict[tuple[str, Style], float] = {}
        self._wrapped: dict[tuple[str, float, Style], list[str]] = {}

    @property
    def fallback(self) -> str | None:
        """The CJK font's name, loaded the first time a character needs it (loading the
        5 MB collection takes about half a second, once per process)."""
        if not self._fallback_looked_up:
            self._fallback_looked_up = True
            self._fallback = cjk.register()
            if self._fallback:
                self._glyphs[self._fallback] = pdfmetrics.getFont(self._fallback).face.charToGlyph
        return self._fallback

    def runs(self, text: str, style: Style) -> list[tuple[str, str]]:
        """``text`` cut into ``(font name, characters)`` runs."""
        main = self._glyphs[style.font]
        if all(ord(char) in main for char in text):
            return [(style.font, text)] if text else []
        fallback = self.fallback
        if fallback is None:
            return [(style.font, text)]
        other = self._glyphs[fallback]
        result: list[tuple[str, str]] = []
        for char in text:
            code = ord(char)
            font = fallback if code not in main and code in other else style.font
            if result and result[-1][0] == font:
                result[-1] = (font, result[-1][1] + char)
            else:
                result.append((font, char))
        return result

    def width(self, text: str, style: Style) -> float:
        key = (text, style)
        if key not in self._widths:
            self._widths[key] = float(
                sum(
                    pdfmetrics.stringWidth(part, font, style.size)
                    for font, part in self.runs(text, style)
                )
            )
        return self._widths[key]

    def draw(self, canvas: Any, x: float, y: float, text: str, style: Style) -> None:
        """``text`` on one line from ``(x, y)``, in the canvas's current fill colour."""
        for font, part in self.runs(text, style):
            canvas.setFont(font, style.size)
            canvas.drawString(x, y, part)
            x += pdfmetrics.stringWidth(part, font, style.size)

    def draw_right(self, canvas: Any, right: float, y: float, text: str, style: Style) -> None:
        self.draw(canvas, right - self.width(text, style), y, text, style)

    def wrap(self, text: str, width: float, style: Style) -> list[str]:
        """``text`` as lines no wider than ``width``, broken at spaces, and inside a word
        (or a run of Chinese, which has no spaces) only where the word alone is too wide."""
        key = (text, width, style)
        if key not in self._wrapped:
            self._wrapped[key] = self._wrap(text, width, style)
        return self._wrapped[key]

    def _wrap(self, text: str, width: float, style: Style) -> list[str]:
        lines: list[str] = []
        line, used = "", 0.0
        for token in _TOKENS.findall(text):
            size = self.width(token, style)
            if used + size <= width:
                line, used = line + token, used + size
                continue
            if line.strip():
                lines.append(line.rstrip())
            line, used = "", 0.0
            if token.isspace():
                continue
            for char in token:
                size = self.width(char, style)
                if line and used + size > width:
                    lines.append(line)
                    line, used = "", 0.0
                line, used = line + char, used + size
        if line.strip() or not lines:
            lines.append(line.rstrip())
        return lines
