"""Flowing tagged content down Letter pages: headings, paragraphs and tables that split
across pages with their header row repeated, a running footer on every page.

Each piece of text is drawn inside its structure element's marked content; rules,
backgrounds, the footer and the repeated header rows are artifacts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import LETTER  # type: ignore[import-untyped]
from reportlab.lib.units import inch  # type: ignore[import-untyped]

from cpe.pdf.fonts import Style, Typesetter
from cpe.pdf.tagged import Element, TaggedDocument

NAVY = colors.HexColor("#1F3A5F")
RULE = colors.HexColor("#B8C2CF")
STRIPE = colors.HexColor("#F2F5F8")
GREY = colors.HexColor("#4A5868")
MARGIN = 0.75 * inch
LEFT = MARGIN + 6
WIDTH = LETTER[0] - 2 * LEFT  # 492 points
TOP = LETTER[1] - 0.7 * inch
BOTTOM = 0.85 * inch
PAD = 3.5  # cell padding


@dataclass(frozen=True)
class Column:
    """A table column: its header text, width in points, numbers set flush right, and
    whether its cells head their rows (``TH`` with row scope, as the year of a ledger)."""

    header: str
    width: float
    numeric: bool = False
    row_header: bool = False


@dataclass(frozen=True)
class Row:
    """A table row: its cells' text, and whether it is a total (bold on a stripe)."""

    cells: Sequence[str]
    total: bool = False


class Layout:
    """Draws from the top of the first page down; ``footer(page)`` gives the running line."""

    def __init__(
        self,
        doc: TaggedDocument,
        footer: Callable[[int], tuple[str, str]],
        typesetter: Typesetter,
    ) -> None:
        self.doc = doc
        self.canvas = doc.canvas
        self.type = typesetter
        self.footer = footer
        self.y = TOP

    # --- pages --------------------------------------------------------------------

    def _draw_footer(self) -> None:
        left, right = self.footer(self.doc.page_number)
        style = Style(size=7.5)
        with self.doc.artifact("Pagination"):
            self.canvas.saveState()
            self.canvas.setStrokeColor(RULE)
            self.canvas.setLineWidth(0.5)
            self.canvas.line(LEFT, 0.6 * inch, LEFT + WIDTH, 0.6 * inch)
            self.canvas.setFillColor(GREY)
            self.type.draw(self.canvas, LEFT, 0.45 * inch, left, style)
            self.type.draw_right(self.canvas, LEFT + WIDTH, 0.45 * inch, right, style)
            self.canvas.restoreState()

    def new_page(self) -> None:
        self._draw_footer()
        self.doc.new_page()
        self.y = TOP

    def finish(self) -> bytes:
        self._draw_footer()
        return self.doc.finish()

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit on this one."""
        if self.y - height < BOTTOM:
            self.new_page()

    # --- text ---------------------------------------------------------------------

    def _lines(
        self,
        lines: Sequence[str],
        x: float,
        style: Style,
        *,
        color: colors.Color,
        right: float | None = None,
    ) -> None:
        """``lines`` from the current ``y`` down (flush right against ``right`` if given)."""
        self.canvas.saveState()
        self.canvas.setFillColor(color)
        y = self.y - style.size
        for line in lines:
            if right is not None:
                self.type.draw_right(self.canvas, right, y, line, style)
            else:
                self.type.draw(self.canvas, x, y, line, style)
            y -= style.leading
        self.canvas.restoreState()

    def text(
        self,
        role: str,
        text: str,
        style: Style,
        *,
        parent: Element | None = None,
        color: colors.Color = colors.black,
        after: float = 4,
        width: float = WIDTH,
    ) -> Element:
        """A heading or paragraph (``role`` ``H1``, ``H2``, ``P``...), wrapped to ``width``
        (the page's, unless something stands beside it)."""
        lines = self.type.wrap(text, width, style)
        self.room(len(lines) * style.leading + (style.leading if role.startswith("H") else 0))
        element = self.doc.element(role, parent)
        with self.doc.marked(element):
            self._lines(lines, LEFT, style, color=color)
        self.y -= len(lines) * style.leading + after
        return element

    def figure(
        self,
        alt: str,
        draw: Callable[[float, float, float], None],
        *,
        size: float,
        top: float,
        parent: Element | None = None,
    ) -> Element:
        """A square ``Figure`` of ``size`` points, flush right with its top at ``top``
        (beside the text there, which leaves it room), drawn by ``draw(x, y, size)`` from
        its lower left corner; ``alt`` says what it shows to whoever cannot see it."""
        x, y = LEFT + WIDTH - size, top - size
        element = self.doc.element("Figure", parent, alt=alt, bbox=(x, y, x + size, top))
        with self.doc.marked(element):
            draw(x, y, size)
        return element

    def rule(self, thickness: float = 2, color: colors.Color = NAVY, after: float = 8) -> None:
        with self.doc.artifact():
            self.canvas.saveState()
            self.canvas.setStrokeColor(color)
            self.canvas.setLineWidth(thickness)
            self.canvas.line(LEFT, self.y, LEFT + WIDTH, self.y)
            self.canvas.restoreState()
        self.y -= thickness + after

    # --- tables -------------------------------------------------------------------

    def table(
        self, columns: Sequence[Column], rows: Sequence[Row], *, parent: Element | None = None
    ) -> Element:
        """A table with a header row of ``TH`` (repeated, as an artifact, at the top of each
        further page it runs onto) and a ``TR`` of ``TD`` per row; a row never splits."""
        table = self.doc.element("Table", parent)
        head = Style(bold=True)
        self.room(2 * (head.leading + 2 * PAD))
        self._row(table, columns, [c.header for c in columns], head, header=True)
        for index, row in enumerate(rows):
            style = Style(bold=row.total)
            height = self._height(columns, row.cells, style)
            if self.y - height < BOTTOM:
                self.new_page()
                with self.doc.artifact("Pagination"):
                    self._row(None, columns, [c.header for c in columns], head, header=True)
            self._row(table, columns, row.cells, style, stripe=row.total, ruled=index > 0)
        self.y -= 10
        return table

    def _height(self, columns: Sequence[Column], cells: Sequence[str], style: Style) -> float:
        lines = max(
            len(self.type.wrap(text, column.width - 2 * PAD, style))
            for column, text in zip(columns, cells, strict=True)
        )
        return lines * style.leading + 2 * PAD

    def _row(
        self,
        table: Element | None,
        columns: Sequence[Column],
        cells: Sequence[str],
        style: Style,
        *,
        header: bool = False,
        stripe: bool = False,
        ruled: bool = False,
    ) -> None:
        """One row at the current ``y``: structure (``TR`` > ``TH``/``TD``) when ``table`` is
        given, else (a repeated header) drawn only."""
        height = self._height(columns, cells, style)
        self._row_background(height, header=header, stripe=stripe, ruled=ruled)
        tr = self.doc.element("TR", table) if table is not None else None
        x = LEFT
        top = self.y
        for column, text in zip(columns, cells, strict=True):
            lines = self.type.wrap(text, column.width - 2 * PAD, style)
            self.y = top - PAD
            color = colors.white if header else colors.black
            right = x + column.width - PAD if column.numeric else None
            if tr is None:
                self._lines(lines, x + PAD, style, color=color, right=right)
            else:
                if header or column.row_header:
                    cell = self.doc.element("TH", tr, Scope="Column" if header else "Row")
                else:
                    cell = self.doc.element("TD", tr)
                with self.doc.marked(cell):
                    self._lines(lines, x + PAD, style, color=color, right=right)
            x += column.width
        self.y = top - height

    def _row_background(self, height: float, *, header: bool, stripe: bool, ruled: bool) -> None:
        fill = NAVY if header else STRIPE if stripe else None
        if fill is None and not ruled:
            return
        with self.doc.artifact():
            self.canvas.saveState()
            if fill is not None:
                self.canvas.setFillColor(fill)
                self.canvas.rect(LEFT, self.y - height, WIDTH, height, stroke=0, fill=1)
            if ruled:
                self.canvas.setStrokeColor(NAVY if stripe else RULE)
                self.canvas.setLineWidth(1 if stripe else 0.4)
                self.canvas.line(LEFT, self.y, LEFT + WIDTH, self.y)
            self.canvas.restoreState()
