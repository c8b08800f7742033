"""Before/after photos of hidden dangers (DOMAIN.md §3 "Photos": JPEG/PNG/HEIC/WebP, 10 MB each,
type checked by content, stored under server-generated names)."""

from __future__ import annotations

import re
import unicodedata
import uuid
from typing import Any

import filetype
from django.core.files.storage import default_storage
from django.db import transaction

from backend.core.actors import Actor, actor_of
from backend.core.errors import FieldError, PayloadTooLarge, from_rule
from backend.core.rules import RuleError
from compliance.error_codes import HazardErrorCode as Code
from compliance.error_codes import HazardEvent
from compliance.models import Hazard, HazardPhoto
from compliance.rules.hazard_states import ACTION_ROLES, PHOTO_STATES, check_state
from compliance.services.common import hazard_member, hazard_record

#: Photo upload cap (DOMAIN.md §3 [config]: 10 MB each) and the accepted sniffed types.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic", "image/heif": "heic"}

_UNSAFE = re.compile(r"[^\w.\- ()\u4e00-\u9fff]")


def sanitize_filename(name: str) -> str:
    """The base name of an uploaded file, for display only: no path, no control chars, ≤ 100 chars."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", "".join(c for c in name if unicodedata.category(c)[0] != "C")).strip(" .")
    return name[-100:] or "upload"


@transaction.atomic
def hazard_photo_add(*, actor: Actor | Any, hazard: Hazard, kind: str, upload: Any) -> HazardPhoto:
    """Store a before/after photo of ``hazard``.

    ``upload`` is a Django UploadedFile. Over ``PHOTO_MAX_BYTES`` → 413 ``file_too_large``; content
    not JPEG/PNG/WebP/HEIC by its magic bytes → 400 ``unsupported_file_type`` (field ``file``);
    a closed or rejected hazard → 409 ``invalid_transition``. Stored as
    ``hazards/<enterprise_id>/<uuid>.<ext>``; the client's name is kept sanitised."""
    actor = actor_of(actor)
    hazard_member(actor, hazard, ACTION_ROLES["photos"])
    if kind not in HazardPhoto.Kind.values:
        raise FieldError("照片类别无效。", code="invalid_choice", field="kind")
    try:
        check_state("photos", hazard.state, PHOTO_STATES)
    except RuleError as exc:
        raise from_rule(exc) from exc
    if upload.size > PHOTO_MAX_BYTES:
        raise PayloadTooLarge(f"照片不能超过 {PHOTO_MAX_BYTES // (1024 * 1024)} MB。", code="file_too_large", field="file")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind_guess = filetype.guess(head)
    mime = kind_guess.mime if kind_guess else ""
    if mime not in PHOTO_TYPES:
        raise FieldError("仅支持 JPEG、PNG、WebP、HEIC 格式的图片。", code=Code.UNSUPPORTED_FILE_TYPE, field="file")
    name = default_storage.save(f"hazards/{hazard.enterprise_id}/{uuid.uuid4().hex}.{PHOTO_TYPES[mime]}", upload)
    photo = HazardPhoto.objects.create(hazard=hazard, kind=kind, file=name, content_type=mime, size=upload.size,
                                       original_name=sanitize_filename(getattr(upload, "name", "")),
                                       uploaded_by=actor.user)
    hazard_record(actor, hazard, HazardEvent.PHOTO_ADD, payload={"photo_id": photo.pk, "kind": kind, "file": name})
    return photo
