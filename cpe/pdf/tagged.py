"""Tagged PDF with reportlab: the logical structure (PDF/UA style) a screen reader follows.

reportlab draws pages but has no tagging API, so this module adds the three parts of a tagged
PDF itself, through reportlab's own object model (``reportlab.pdfbase.pdfdoc``):

* marked content: what is drawn for a structure element sits between ``/TD <</MCID n>> BDC``
  and ``EMC`` in the page's content stream (``TaggedDocument.marked``), and what only
  decorates the page (rules, backgrounds, running footer, a repeated table header) between
  ``/Artifact <<...>> BDC`` and ``EMC`` (``TaggedDocument.artifact``);
* the structure tree: ``Document`` with ``H1``, ``H2``, ``P``, ``Figure`` (with ``/Alt`` text
  and a layout ``/BBox``), ``Table`` > ``TR`` > ``TH``/``TD`` elements
  (``TaggedDocument.element``), each pointing to its parent, its kids and the marked content
  it owns (``/MCR`` with page and MCID);
* the catalog: ``/MarkInfo <</Marked true>>``, ``/StructTreeRoot`` with its ``/ParentTree``
  (page ``/StructParents`` index → the element of each MCID), ``/Lang``, and
  ``/ViewerPreferences <</DisplayDocTitle true>>`` beside the title and author.

Nothing here knows about transcripts: ``cpe.pdf.transcript`` lays out the page with it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import (  # type: ignore[import-untyped]
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFPage,
    PDFString,
    PDFtrue,
)
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

# Page entries reportlab's PDFPage does not write by itself.
_PAGE_KEYS = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]


@dataclass(eq=False)
class Element:
    """One structure element: its role (``H1``, ``TD``...), parent, attributes, and kids in
    reading order (elements, or marked content as ``(page index, MCID)``); a ``Figure`` has
    its alternative text and its box on the page (left, bottom, right, top in points)."""

    role: str
    parent: Element | None
    attributes: dict[str, Any] = field(default_factory=dict)
    kids: list[Element | tuple[int, int]] = field(default_factory=list)
    alt: str | None = None
    bbox: tuple[float, float, float, float] | None = None


class TaggedDocument:
    """A reportlab canvas that records the structure of what is drawn on it."""

    def __init__(
        self,
        *,
        pagesize: tuple[float, float],
        title: str,
        author: str,
        subject: str,
        lang: str,
        font: str,
    ) -> None:
        """``font``: a registered TrueType font, the canvas's initial one, so the PDF names
        no standard font that it does not embed (reportlab's default is Helvetica)."""
        self.buffer = io.BytesIO()
        self.canvas = Canvas(
            self.buffer, pagesize=pagesize, lang=lang, pageCompression=1, initialFontName=font
        )
        self.canvas.setTitle(title)
        self.canvas.setAuthor(author)
        self.canvas.setSubject(subject)
        self.lang = lang
        self.root = Element("Document", None)
        self._elements: list[Element] = [self.root]
        self._page = 0
        self._mcids: list[list[Element]] = [[]]  # per page: the element of each MCID

    @property
    def page_number(self) -> int:
        """The page being drawn, from 1."""
        return self._page + 1

    def element(
        self,
        role: str,
        parent: Element | None = None,
        *,
        alt: str | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        **attributes: Any,
    ) -> Element:
        """A new element, last kid of ``parent`` (the document when not given); ``attributes``
        become its ``/A`` dictionary (``Scope="Column"`` on a ``TH``); ``alt`` its ``/Alt``
        text and ``bbox`` its layout ``/BBox`` (a ``Figure``)."""
        parent = parent or self.root
        created = Element(role, parent, attributes, alt=alt, bbox=bbox)
        parent.kids.append(created)
        self._elements.append(created)
        return created

    def _emit(self, operator: str) -> None:
        self.canvas._code.append(operator)

    @contextmanager
    def marked(self, element: Element) -> Iterator[None]:
        """What is drawn inside is ``element``'s content (a marked-content sequence)."""
        mcids = self._mcids[self._page]
        mcid = len(mcids)
        mcids.append(element)
        element.kids.append((self._page, mcid))
        self._emit(f"/{element.role} <</MCID {mcid}>> BDC")
        try:
            yield
        finally:
            self._emit("EMC")

    @contextmanager
    def artifact(self, kind: str = "Layout") -> Iterator[None]:
        """What is drawn inside only decorates the page (``Layout`` or ``Pagination``)."""
        self._emit(f"/Artifact <</Type /{kind}>> BDC")
        try:
            yield
        finally:
            self._emit("EMC")

    def new_page(self) -> None:
        """Close the page being drawn and start the next one."""
        self.canvas.showPage()
        self._page += 1
        self._mcids.append([])

    def finish(self) -> bytes:
        """Close the last page, add the structure tree, and return the PDF."""
        self.canvas.showPage()
        doc = self.canvas._doc
        tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        tree_ref = doc.Reference(tree_root)
        dicts = {id(e): PDFDictionary({}) for e in self._elements}
        refs = {key: doc.Reference(value) for key, value in dicts.items()}
        for element in self._elements:
            parent_ref = tree_ref if element.parent is None else refs[id(element.parent)]
            dicts[id(element)].dict.update(self._element_entries(element, parent_ref, refs))
        nums: list[Any] = []
        for index, page in enumerate(doc.Pages.pages):
            page.__NoDefault__ = _PAGE_KEYS
            page.StructParents = index
            page.Tabs = PDFName("S")
            mcids = self._mcids[index] if index < len(self._mcids) else []
            nums += [index, PDFArray([refs[id(e)] for e in mcids])]
        parent_tree = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
        tree_root.dict.update(
            {
                "K": refs[id(self.root)],
                "ParentTree": parent_tree,
                "ParentTreeNextKey": len(nums) // 2,
            }
        )
        catalog = doc.Catalog
        catalog.StructTreeRoot = tree_root
        catalog.MarkInfo = PDFDictionary({"Marked": PDFtrue})
        catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": PDFtrue})
        catalog.Lang = PDFString(self.lang)
        self.canvas.save()
        return self.buffer.getvalue()

    @staticmethod
    def _element_entries(element: Element, parent_ref: Any, refs: dict[int, Any]) -> dict[str, Any]:
        kids: list[Any] = []
        first_page: int | None = None
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(refs[id(kid)])
                continue
            page, mcid = kid
            first_page = page if first_page is None else first_page
            kids.append(
                PDFDictionary({"Type": PDFName("MCR"), "Pg": _page_ref(page), "MCID": mcid})
            )
        entries: dict[str, Any] = {
            "Type": PDFName("StructElem"),
            "S": PDFName(element.role),
            "P": parent_ref,
            "K": PDFArray(kids),
        }
        if first_page is not None:
            entries["Pg"] = _page_ref(first_page)
        if element.attributes:
            entries["A"] = PDFDictionary(
                {"O": PDFName("Table"), **{k: PDFName(v) for k, v in element.attributes.items()}}
            )
        if element.bbox is not None:
            entries["A"] = PDFDictionary(
                {"O": PDFName("Layout"), "BBox": PDFArray([round(v, 2) for v in element.bbox])}
            )
        if element.alt is not None:
            entries["Alt"] = PDFString(element.alt)
        return entries


def _page_ref(index: int) -> Any:
    """reportlab names its pages ``Page1``, ``Page2``..."""
    return PDFObjectReference(f"Page{index + 1}")
