"""The CJK font the PDFs need (permits, dual reports): detected with fontconfig, checked at render time.

A missing font is not a system-check error (every management command would stop): ``/readyz`` reports
it (``font``), and a PDF render raises :class:`FontMissing` with the fix — the permit PDF endpoint
answers 503 ``cjk_font_missing``, a report job fails with that text.
"""

from __future__ import annotations

import functools
import subprocess

from rest_framework import status

from backend.core.errors import DomainError

FONT_HINT = "找不到中文（CJK）字体，无法生成 PDF：请安装 fonts-noto-cjk（bash scripts/system-deps.sh）。"


class FontMissing(RuntimeError):
    """No CJK font is installed: Chinese text would render as boxes."""


@functools.lru_cache(maxsize=1)
def cjk_font_families() -> tuple[str, ...]:
    """Font families fontconfig offers for Chinese (``fc-list :lang=zh family``); () if none or no fontconfig."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(sorted({line.strip() for line in out.stdout.splitlines() if line.strip()}))


def require_cjk_font() -> None:
    """Raise :class:`FontMissing` (message: :data:`FONT_HINT`) unless a CJK font is installed."""
    if not cjk_font_families():
        raise FontMissing(FONT_HINT)



class PdfUnavailable(DomainError):
    """A PDF this server cannot render (no CJK font): 503 ``cjk_font_missing``."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "cjk_font_missing"
    default_detail = FONT_HINT


def pdf_unavailable(exc: FontMissing) -> PdfUnavailable:
    """The API error for ``exc`` (a view does ``raise pdf_unavailable(exc) from exc``)."""
    return PdfUnavailable(str(exc) or FONT_HINT)
