"""QR codes for printed documents (report verification, risk-point labels): one helper."""

from __future__ import annotations

import base64
import io


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI (``qrcode``, error correction M, 2-module border)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
