"""Before/after photos of hidden dangers (DOMAIN.md §3 "Photos": JPEG/PNG/HEIC/WebP, 10 MB each,
type checked by content, stored under server-generated names) through the platform's one upload
pipeline :func:`backend.core.uploads.store_image`: decoded within a pixel budget, EXIF/GPS and
every other metadata stripped, stored through Django's storage (local disk or S3)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import transaction

from backend.core.actors import Actor, actor_of
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError, from_rule
from backend.core.rules import RuleError
from backend.core.uploads import store_image
from compliance.error_codes import HazardErrorCode as Code
from compliance.error_codes import HazardEvent
from compliance.models import Hazard, HazardPhoto
from compliance.rules.hazard_states import ACTION_ROLES, PHOTO_STATES, check_state
from compliance.services.common import hazard_member, hazard_record

#: Photo upload cap (DOMAIN.md §3 [config]: 10 MB each) and the accepted types (decoded, not sniffed).
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = ("jpeg", "png", "webp", "heic")

_UNSAFE = re.compile(r"[^\w.\- ()\u4e00-\u9fff]")


def sanitize_filename(name: str) -> str:
    """The base name of an uploaded file, for display only: no path, no control chars, ≤ 100 chars."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", "".join(c for c in name if unicodedata.category(c)[0] != "C")).strip(" .")
    return name[-100:] or "upload"


@transaction.atomic
def hazard_photo_add(*, actor: Actor | Any, hazard: Hazard, kind: str, upload: Any) -> HazardPhoto:
    """Store a before/after photo of ``hazard``.

    ``upload`` is a Django UploadedFile. Over ``PHOTO_MAX_BYTES`` → 413 ``file_too_large``; more
    pixels than the budget → 413 ``image_too_large``; not a decodable JPEG/PNG/WebP/HEIC →
    400 ``unsupported_file_type`` / ``invalid_image`` (field ``file``); a closed or rejected hazard →
    409 ``invalid_transition``. Stored re-encoded without metadata as
    ``hazards/<enterprise_id>/<uuid>.<ext>`` (HEIC as JPEG); the client's name is kept sanitised."""
    actor = actor_of(actor)
    hazard_member(actor, hazard, ACTION_ROLES["photos"])
    if kind not in HazardPhoto.Kind.values:
        raise FieldError("照片类别无效。", code=CoreErrorCode.INVALID_CHOICE, field="kind")
    try:
        check_state("photos", hazard.state, PHOTO_STATES)
    except RuleError as exc:
        raise from_rule(exc) from exc
    stored = store_image(upload, prefix=f"hazards/{hazard.enterprise_id}", max_bytes=PHOTO_MAX_BYTES,
                         types=PHOTO_TYPES, field="file", unsupported_code=Code.UNSUPPORTED_FILE_TYPE)
    photo = HazardPhoto.objects.create(hazard=hazard, kind=kind, file=stored.name, content_type=stored.content_type,
                                       size=stored.size, original_name=sanitize_filename(getattr(upload, "name", "")),
                                       uploaded_by=actor.user)
    hazard_record(actor, hazard, HazardEvent.PHOTO_ADD, payload={"photo_id": photo.pk, "kind": kind, "file": stored.name,
                                                             "sha256": stored.sha256})
    return photo
