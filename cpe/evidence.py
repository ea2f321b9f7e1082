"""The evidence-file rule: PDF, PNG or JPEG by content (not by name), at most 10 MB."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from imaportal.formatting import decimal

SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


class EvidenceRefused(ValueError):
    pass


def evidence_type(*, head: bytes, size: int, max_bytes: int) -> tuple[str, str]:
    """The (content type, extension) of a file whose first bytes are ``head``."""
    if size == 0:
        raise EvidenceRefused(_("The evidence file is empty."))
    if size > max_bytes:
        megabytes = Decimal(size) / 1_048_576
        raise EvidenceRefused(
            _("The evidence file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": decimal(megabytes.quantize(Decimal("0.1"))),
                "limit": decimal((Decimal(max_bytes) / 1_048_576).quantize(Decimal("1"))),
            }
        )
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    raise EvidenceRefused(
        _("The evidence must be a PDF, PNG or JPEG file; this file's content is none of them.")
    )
