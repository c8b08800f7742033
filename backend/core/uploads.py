"""One pipeline for uploaded photos (hazard photos, whistleblower attachments): decode, bound, strip, store.

:func:`store_image` accepts a file only when Pillow decodes it as one of the allowed formats (magic bytes
alone are not enough: a PNG header in front of an executable is refused), within a pixel budget that also
bounds the CPU and memory one photo may cost, then re-encodes it without EXIF/XMP/text chunks (no GPS
position or device identity is kept; EXIF orientation is applied first so the photo stays upright) and
saves it through Django's storage API (``default_storage``: local disk or S3, settings.STORAGES).

Errors (``backend.core.errors``, each naming ``field``):

- 413 ``file_too_large``: more than ``max_bytes`` bytes;
- 413 ``image_too_large``: more than ``max_pixels`` pixels (width × height; default
  ``settings.UPLOAD_MAX_IMAGE_PIXELS``, 25 Mpx — a phone's 12 Mpx photo or a 24 Mpx camera's fits, a 20000 × 20000
  "decompression bomb" does not and is refused from its header, before any pixel is decoded);
- 400 ``unsupported_file_type`` (or the caller's ``unsupported_code``): not an image of the allowed types;
- 400 ``invalid_image``: the right type but not decodable (truncated, corrupt).

HEIC/HEIF (iPhone photos, pillow-heif) is stored as JPEG, which every browser shows.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import time
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from backend.core.errors import FieldError, NotFound, PayloadTooLarge

log = logging.getLogger(__name__)

#: Default pixel budget of one photo (width × height).
DEFAULT_MAX_PIXELS = 25_000_000

#: Allowed type → (Pillow decoder name, stored content type, stored extension, Pillow encoder name).
IMAGE_TYPES: dict[str, tuple[str, str, str, str]] = {
    "jpeg": ("JPEG", "image/jpeg", "jpg", "JPEG"),
    "png": ("PNG", "image/png", "png", "PNG"),
    "webp": ("WEBP", "image/webp", "webp", "WEBP"),
    "heic": ("HEIF", "image/jpeg", "jpg", "JPEG"),
}
_TYPE_LABELS = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP", "heic": "HEIC"}


@dataclass(frozen=True)
class StoredFile:
    """A file saved through the default storage: its storage ``name``, ``content_type``, ``size`` (bytes),
    ``sha256`` (hex of the stored bytes) and the image's ``width`` × ``height`` in pixels."""

    name: str
    content_type: str
    size: int
    sha256: str
    width: int
    height: int


def _pillow() -> Any:
    from PIL import Image

    if "HEIF" not in Image.OPEN:
        from pillow_heif import register_heif_opener

        register_heif_opener()
    return Image


def _read_capped(upload: Any, max_bytes: int, field: str) -> bytes:
    too_large = PayloadTooLarge(f"文件不能超过 {max_bytes / (1024 * 1024):g} MB。", code="file_too_large", field=field)
    if (getattr(upload, "size", None) or 0) > max_bytes:
        raise too_large
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large
    return data


def _encodable(img: Any, encoder: str) -> Any:
    if encoder == "JPEG":
        return img if img.mode in ("RGB", "L", "CMYK") else img.convert("RGB")
    if encoder == "WEBP":
        return img if img.mode in ("RGB", "RGBA") else img.convert("RGBA" if "A" in img.mode or img.mode == "P" else "RGB")
    return img if img.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16") else img.convert("RGBA")


_strict_lock = threading.Lock()


def _load_strict(img: Any) -> None:
    """``img.load()`` refusing truncated data: WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole
    process at import (it fills the missing part grey), which would accept half an upload."""
    from PIL import ImageFile

    with _strict_lock:
        saved, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            img.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved


def decode_image(data: bytes, *, types: tuple[str, ...], max_pixels: int, field: str,
                 unsupported_code: str = "unsupported_file_type") -> tuple[bytes, str, str, int, int]:
    """Decode ``data`` (one of ``types``) within ``max_pixels`` and re-encode it without metadata.

    Returns ``(body, content_type, extension, width, height)``; raises the module's coded errors."""
    Image = _pillow()
    from PIL import ImageOps, UnidentifiedImageError

    allowed = [IMAGE_TYPES[t][0] for t in types]
    unsupported = FieldError(f"仅支持 {'、'.join(_TYPE_LABELS[t] for t in types)} 格式的图片。",
                             code=unsupported_code, field=field)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own budget is lower
        try:
            img = Image.open(io.BytesIO(data), formats=allowed)
        except Image.DecompressionBombError:
            raise PayloadTooLarge(f"图片像素过多（超过 {max_pixels / 1e6:g} 百万像素）。", code="image_too_large",
                                  field=field)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise unsupported
    with img:
        width, height = img.size
        if width * height > max_pixels:
            raise PayloadTooLarge(f"图片像素过多（{width}×{height}，上限 {max_pixels / 1e6:g} 百万像素）。",
                                  code="image_too_large", field=field)
        kind = next(t for t in types if IMAGE_TYPES[t][0] == img.format)
        _decoder, content_type, ext, encoder = IMAGE_TYPES[kind]
        try:
            img.seek(0)  # an animation keeps its first frame
            _load_strict(img)
            ImageOps.exif_transpose(img, in_place=True)  # the orientation the EXIF we drop would have given
            out = _encodable(img, encoder)
            out.info = {}  # encoders copy some of it (JPEG comment, ICC, PNG dpi/text): keep pixels only
            width, height = out.size
            buf = io.BytesIO()
            options: dict[str, Any] = {"quality": 90} if encoder in ("JPEG", "WEBP") else {}
            out.save(buf, encoder, **options)  # no exif=, pnginfo=, xmp=: nothing but pixels is written
        except (OSError, ValueError, SyntaxError, EOFError, IndexError) as exc:
            log.info("undecodable %s upload: %s", kind, exc)
            raise FieldError("图片已损坏或无法读取。", code="invalid_image", field=field)
    return buf.getvalue(), content_type, ext, width, height


def store_image(upload: Any, *, prefix: str, max_bytes: int, types: tuple[str, ...] = ("jpeg", "png", "webp", "heic"),
                field: str = "file", max_pixels: int | None = None,
                unsupported_code: str = "unsupported_file_type") -> StoredFile:
    """Decode, bound, strip and store one uploaded photo as ``<prefix>/<uuid4 hex>.<ext>``.

    ``upload``: a Django UploadedFile (or any object with ``read``); ``max_bytes``: size cap in bytes;
    ``types``: allowed types among :data:`IMAGE_TYPES`; ``field``: the input named in errors;
    ``max_pixels``: pixel budget (default ``settings.UPLOAD_MAX_IMAGE_PIXELS``). Errors: module docstring.
    Nothing is stored when an error is raised."""
    budget: int = max_pixels or int(getattr(settings, "UPLOAD_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS))
    data = _read_capped(upload, max_bytes, field)
    start = time.monotonic()
    body, content_type, ext, width, height = decode_image(data, types=types, max_pixels=budget, field=field,
                                                          unsupported_code=unsupported_code)
    log.debug("photo %sx%s re-encoded in %.0f ms", width, height, (time.monotonic() - start) * 1000)
    name = default_storage.save(f"{prefix.strip('/')}/{uuid.uuid4().hex}.{ext}", ContentFile(body))
    return StoredFile(name=name, content_type=content_type, size=len(body), sha256=hashlib.sha256(body).hexdigest(),
                      width=width, height=height)


def open_stored(field_file: Any) -> Any:
    """Open a stored file (a model's FieldFile) for streaming; 404 ``file_missing`` when the storage has
    lost it (local disk or S3 alike)."""
    try:
        if not field_file or not field_file.storage.exists(field_file.name):
            raise FileNotFoundError(getattr(field_file, "name", ""))
        return field_file.open("rb")
    except FileNotFoundError:
        raise NotFound("文件不存在。", code="file_missing")
