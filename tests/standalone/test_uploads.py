"""One photo pipeline (backend/core/uploads.py): real decode (D17), pixel budget (D12), metadata stripped."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backend.core.errors import FieldError, PayloadTooLarge
from backend.core.uploads import store_image


def jpeg_with_metadata(size=(400, 300), orientation=6) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation  # rotate 90° clockwise to display
    exif[0x010F] = "SecretCam Inc."
    exif[0x8825] = {1: "N", 2: (36.0, 58.0, 12.5)}  # GPS
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buf, "JPEG", exif=exif.tobytes(), comment=b"owner: zhang san")
    return buf.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A 1-bit PNG of width × height zero pixels, built by hand (Pillow would need the pixels in memory)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def up(data: bytes, name="p.bin") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_names() -> list[str]:
    root = default_storage.location
    import os

    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs] if os.path.isdir(root) else []


def test_jpeg_loses_exif_gps_and_comment_but_keeps_its_orientation():
    stored = store_image(up(jpeg_with_metadata()), prefix="t", max_bytes=10 * 2**20)
    assert stored.content_type == "image/jpeg" and stored.name.startswith("t/") and stored.name.endswith(".jpg")
    body = default_storage.open(stored.name).read()
    assert b"SecretCam" not in body and b"zhang san" not in body and b"Exif" not in body
    with Image.open(io.BytesIO(body)) as img:
        assert img.size == (300, 400) == (stored.width, stored.height)  # turned upright, then the tag dropped
        assert not img.getexif()
    assert stored.size == len(body)
    import hashlib

    assert stored.sha256 == hashlib.sha256(body).hexdigest()


def test_png_text_chunks_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "zhang san, 13800000000")
    buf = io.BytesIO()
    Image.new("RGBA", (8, 8), (1, 2, 3, 4)).save(buf, "PNG", pnginfo=info)
    stored = store_image(up(buf.getvalue()), prefix="t", max_bytes=2**20, types=("png",))
    body = default_storage.open(stored.name).read()
    assert b"13800000000" not in body and stored.content_type == "image/png"
    with Image.open(io.BytesIO(body)) as img:
        assert img.getpixel((0, 0)) == (1, 2, 3, 4)


def test_heic_is_stored_as_jpeg():
    import pillow_heif

    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 10, 10)).save(buf, "HEIF")
    stored = store_image(up(buf.getvalue(), "IMG_0001.HEIC"), prefix="t", max_bytes=2**20)
    assert (stored.content_type, stored.name[-4:], stored.width, stored.height) == ("image/jpeg", ".jpg", 64, 48)


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + b"MZ\x90\x00" + b"\x00" * 500,     # D17: PNG magic bytes in front of a PE file
    b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>",
    b"GIF89a" + b"\x00" * 100,                                 # a real type, not an allowed one
    b"%!PS-Adobe-3.0 EPSF-3.0\n",                              # never handed to Ghostscript
])
def test_magic_bytes_alone_are_not_an_image(data):
    with pytest.raises(FieldError) as e:
        store_image(up(data), prefix="t", max_bytes=2**20)
    assert e.value.code in ("unsupported_file_type", "invalid_image")
    assert e.value.field == "file"
    assert stored_names() == []


def test_truncated_jpeg_is_invalid_image():
    import weasyprint  # noqa: F401  (sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process)

    data = jpeg_with_metadata((800, 600))
    with pytest.raises(FieldError) as e:
        store_image(up(data[: len(data) // 2]), prefix="t", max_bytes=2**20, field="photos")
    assert (e.value.code, e.value.field) == ("invalid_image", "photos")
    assert stored_names() == []


@pytest.mark.parametrize(("width", "height"), [(20000, 20000), (12000, 12000), (6000, 5000)])
def test_too_many_pixels_is_413_from_the_header_alone(width, height):
    data = png_bomb(width, height)
    assert len(data) < 2**20
    start = time.monotonic()
    with pytest.raises(PayloadTooLarge) as e:
        store_image(up(data), prefix="t", max_bytes=5 * 2**20, field="photos")
    assert (e.value.code, e.value.field, e.value.status_code) == ("image_too_large", "photos", 413)
    assert time.monotonic() - start < 1.0  # refused before any pixel is decoded
    assert stored_names() == []


def test_the_pixel_budget_is_a_setting(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100
    with pytest.raises(PayloadTooLarge):
        store_image(up(png_bomb(11, 10)), prefix="t", max_bytes=2**20)
    assert store_image(up(png_bomb(10, 10)), prefix="t", max_bytes=2**20).width == 10


def test_over_max_bytes_is_413_file_too_large():
    with pytest.raises(PayloadTooLarge) as e:
        store_image(up(jpeg_with_metadata() + b"\x00" * 2048), prefix="t", max_bytes=1024)
    assert (e.value.code, e.value.field) == ("file_too_large", "file")
