"""Certificates read to prefill Add Transcript (issue 18): the text layer of a PDF and the
fields it states. Stores nothing."""

from __future__ import annotations

from cpe.prefill.messages import reading_message
from cpe.prefill.pdf import text_of_pdf
from cpe.prefill.reader import Prefill, read_certificate

__all__ = ["Prefill", "read_certificate", "reading_message", "text_of_pdf"]
