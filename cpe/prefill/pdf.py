"""The text layer of a PDF, with pypdf."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PyPdfError

log = logging.getLogger(__name__)
MAX_PAGES = 5


def text_of_pdf(data: bytes) -> str:
    """The text of the first pages of ``data``; "" when it has none (a scan) or cannot be read."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = reader.pages[:MAX_PAGES]
        return "\n".join((page.extract_text() or "") for page in pages).strip()
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        log.info("prefill: the PDF could not be read (%s)", type(error).__name__)
        return ""
