"""The CJK fallback font of the PDF transcript: where Chinese characters come from.

reportlab embeds TrueType outlines only, not the CFF outlines of Noto Sans CJK / Source Han
Sans, which is what the PyPI packages that bundle a CJK font ship; the one PyPI package
found with TrueType Noto Sans SC/TC ships variable fonts whose default instance, the one
reportlab would embed, is Thin (weight 100), in a 30 MB wheel. So the transcript uses
WenQuanYi Micro Hei (Apache 2.0 or GPLv3 with the font exception), a regular-weight
TrueType collection with Simplified and Traditional Chinese: Debian's
``fonts-wqy-microhei`` installs it, and ``.ci/run`` and the Dockerfile install that package.
``IMAPORTAL_CJK_FONT`` may name another TrueType font (``.ttf``, or ``.ttc`` whose first face
is used) instead. Without any, the transcript is still made, in Vera alone: Latin text is
unchanged and characters Vera lacks show as missing glyphs.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFError, TTFont  # type: ignore[import-untyped]

NAME = "IMACJK"
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
logger = logging.getLogger(__name__)
_missing_logged = False


def font_path() -> Path | None:
    """The first CJK font file there is: ``IMAPORTAL_CJK_FONT``, then the known places."""
    configured = os.environ.get("IMAPORTAL_CJK_FONT")
    for candidate in ((configured,) if configured else ()) + CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    return None


def register() -> str | None:
    """The registered name of the CJK font, loading it once; ``None`` when there is none."""
    global _missing_logged
    if NAME in pdfmetrics.getRegisteredFontNames():
        return NAME
    path = font_path()
    if path is None:
        if not _missing_logged:
            logger.warning("No CJK font found: Chinese text in PDFs will not render.")
            _missing_logged = True
        return None
    try:
        pdfmetrics.registerFont(TTFont(NAME, str(path), subfontIndex=0))
    except TTFError:
        logger.exception("The CJK font %s could not be loaded.", path)
        return None
    return NAME
