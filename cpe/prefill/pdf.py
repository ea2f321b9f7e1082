"""The text layer of a PDF, with pypdf."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader

log = logging.getLogger(__name__)
MAX_PAGES = 5


def text_of_pdf(data: bytes) -> str:
    """The text of the first pages of ``data``; "" when it has none (a scan) or cannot be read."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = reader.pages[:MAX_PAGES]
        return "\n".join((page.extract_text() or "") for page in pages).strip()
    except Exception as error:
        # Any exception: a malformed upload must answer "nothing read", never a 500, and
        # pypdf raises many kinds on broken files (PdfReadError, NotImplementedError for an
        # unknown encoding, AttributeError...; found by mutating the corpus's PDFs).
        log.info("prefill: the PDF could not be read (%s)", type(error).__name__)
        return ""
