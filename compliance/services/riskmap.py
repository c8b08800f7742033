"""Writes of the 四色风险分布图: the plant layout image and the risk zones drawn on it.

Every write checks the caller (a manager of the enterprise: admin, safety officer, principal),
runs in one transaction and appends an audit event. Zones are validated by
:mod:`compliance.rules.polygons` against the uploaded plan's size; a risk point is in at most one
zone (409 ``point_in_other_zone`` naming the other zone). The plan is stored through
:mod:`backend.core.uploads` (decoded, pixel-bounded, re-encoded without metadata, Django storage);
a PDF's first page is rasterised with poppler's ``pdftoppm`` first.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from backend.accounts.models import Enterprise
from backend.audit.services import audit_record
from backend.core.actors import Actor, actor_of, require_enterprise_member
from backend.core.errors import Conflict, FieldError, PayloadTooLarge, from_rule
from backend.core.rules import RuleError
from backend.core.uploads import decode_image, store_image
from compliance.error_codes import RiskMapErrorCode as Code
from compliance.error_codes import RiskMapEvent
from compliance.models import PlantLayout, RiskPoint, RiskZone, RiskZonePoint
from compliance.rules import polygons
from compliance.rules.hazard_states import MANAGERS

#: Largest plan upload (bytes): a scanned A1 plan as PDF or PNG fits.
LAYOUT_MAX_BYTES = 20 * 1024 * 1024
#: Pixel budget of a plan (width × height): 40 Mpx, e.g. 8000 × 5000.
LAYOUT_MAX_PIXELS = 40_000_000
#: A PDF page is rasterised so that its longer side is this many pixels.
PDF_RASTER_PX = 3000
#: Seconds pdftoppm may take on one page.
PDF_TIMEOUT_S = 30
_NOT_FOUND = "风险区域不存在。"


def _manager(actor: Actor, enterprise_id: int) -> None:
    require_enterprise_member(actor, enterprise_id, MANAGERS, not_found=_NOT_FOUND)


# --- the plan --------------------------------------------------------------------------------
def pdf_first_page_png(data: bytes) -> bytes:
    """The first page of a PDF as PNG bytes (longer side :data:`PDF_RASTER_PX` px), by ``pdftoppm``.
    Raises FieldError 400 ``pdf_unreadable`` (field ``file``) when poppler cannot render it."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        try:
            subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(PDF_RASTER_PX),
                            str(src), str(Path(tmp) / "page")], check=True, capture_output=True, timeout=PDF_TIMEOUT_S)
            return (Path(tmp) / "page.png").read_bytes()
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError, OSError):
            raise FieldError("PDF 无法读取或没有页面。", code=Code.PDF_UNREADABLE, field="file") from None


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return PlantLayout.Source.PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PlantLayout.Source.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return PlantLayout.Source.JPEG
    return ""


@transaction.atomic
def plant_layout_upload(*, actor: Actor | Any, enterprise: Enterprise, upload: Any) -> PlantLayout:
    """Store the enterprise's plant layout (厂区平面图), replacing the previous one.

    ``upload``: PNG, JPEG or PDF (first page rasterised), ≤ :data:`LAYOUT_MAX_BYTES` (413
    ``file_too_large``), ≤ :data:`LAYOUT_MAX_PIXELS` px (413 ``image_too_large``); anything else 400
    ``unsupported_file_type``; a broken PDF 400 ``pdf_unreadable``; a broken image 400
    ``invalid_image`` (all naming ``file``). Managers only (403), other enterprises 404. Zones
    drawn on a previous plan are kept (their coordinates are the plan's pixels: upload a plan of
    the same size and orientation, or redraw)."""
    actor = actor_of(actor)
    _manager(actor, enterprise.pk)
    size = getattr(upload, "size", None) or 0
    if size > LAYOUT_MAX_BYTES:
        raise PayloadTooLarge(f"文件不能超过 {LAYOUT_MAX_BYTES // (1024 * 1024)} MB。", code="file_too_large", field="file")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = _sniff(head)
    if not kind:
        raise FieldError("平面图须为 PNG、JPEG 图片或 PDF 文件。", code=Code.UNSUPPORTED_FILE_TYPE, field="file")
    prefix = f"plant-layouts/{enterprise.pk}"
    if kind == PlantLayout.Source.PDF:
        png = pdf_first_page_png(upload.read(LAYOUT_MAX_BYTES + 1))
        body, content_type, ext, width, height = decode_image(png, types=("png",), max_pixels=LAYOUT_MAX_PIXELS,
                                                              field="file")
        name = default_storage.save(f"{prefix}/{uuid.uuid4().hex}.{ext}", ContentFile(body))
        stored = (name, content_type, len(body), hashlib.sha256(body).hexdigest(), width, height)
    else:
        f = store_image(upload, prefix=prefix, max_bytes=LAYOUT_MAX_BYTES, types=("png", "jpeg"), field="file",
                        max_pixels=LAYOUT_MAX_PIXELS)
        stored = (f.name, f.content_type, f.size, f.sha256, f.width, f.height)
    name, content_type, nbytes, digest, width, height = stored
    old = PlantLayout.objects.select_for_update().filter(enterprise=enterprise).first()
    values = {"file": name, "content_type": content_type, "size": nbytes, "sha256": digest, "width": width,
              "height": height, "source": kind, "original_name": str(getattr(upload, "name", ""))[:200],
              "uploaded_by": actor.user}
    if old is None:
        layout = PlantLayout.objects.create(enterprise=enterprise, **values)
    else:
        previous = old.file.name or ""
        for k, v in values.items():
            setattr(old, k, v)
        old.save()
        layout = old
        if previous and previous != name:
            transaction.on_commit(lambda: default_storage.delete(previous))
    audit_record(actor=actor.user, action=RiskMapEvent.LAYOUT_UPLOAD, obj=layout, enterprise=enterprise,
                 payload={"width": width, "height": height, "source": kind, "sha256": digest})
    return layout


def _plan_size(enterprise_id: int) -> tuple[int | None, int | None]:
    row = PlantLayout.objects.filter(enterprise_id=enterprise_id).values_list("width", "height").first()
    return (row[0], row[1]) if row else (None, None)


# --- zones -----------------------------------------------------------------------------------
def _clean_zone(enterprise_id: int, values: dict[str, Any], zone: RiskZone | None) -> dict[str, Any]:
    data: dict[str, Any] = {}
    try:
        if "polygon" in values:
            width, height = _plan_size(enterprise_id)
            data["polygon"] = polygons.check_polygon(values["polygon"], width=width, height=height)
        if "polygon_wgs84" in values:
            data["polygon_wgs84"] = polygons.check_wgs84(values["polygon_wgs84"])
    except RuleError as exc:
        raise from_rule(exc) from exc
    for key in ("name", "note"):
        if key in values:
            data[key] = values[key].strip() if isinstance(values[key], str) else values[key]
    if "name" in data:
        clash = RiskZone.objects.filter(enterprise_id=enterprise_id, name=data["name"])
        if zone is not None:
            clash = clash.exclude(pk=zone.pk)
        if clash.exists():
            raise FieldError("本企业已有同名区域。", code=Code.DUPLICATE, field="name")
    return data


def _set_points(zone: RiskZone, points: list[RiskPoint]) -> list[int]:
    """Make ``points`` the zone's points; 400 ``does_not_exist`` for another enterprise's point, 409
    ``point_in_other_zone`` for a point already in another zone. Returns the point ids, sorted."""
    ids = sorted({p.pk for p in points})
    foreign = [p for p in points if p.enterprise_id != zone.enterprise_id]
    if foreign:
        raise FieldError("风险点不存在。", code="does_not_exist", field="points")
    taken = (RiskZonePoint.objects.filter(point_id__in=ids).exclude(zone=zone).select_related("zone", "point").first())
    if taken is not None:
        raise Conflict(f"风险点“{taken.point.name}”已在区域“{taken.zone.name}”中，请先从该区域移出。",
                       code=Code.POINT_IN_OTHER_ZONE)
    RiskZonePoint.objects.filter(zone=zone).exclude(point_id__in=ids).delete()
    have = set(RiskZonePoint.objects.filter(zone=zone).values_list("point_id", flat=True))
    try:
        with transaction.atomic():
            RiskZonePoint.objects.bulk_create([RiskZonePoint(zone=zone, point_id=i) for i in ids if i not in have])
    except IntegrityError:  # a concurrent write placed one of them elsewhere
        raise Conflict("风险点已被放入另一区域，请刷新后重试。", code=Code.POINT_IN_OTHER_ZONE) from None
    return ids


@transaction.atomic
def risk_zone_create(*, actor: Actor | Any, enterprise: Enterprise, name: str, polygon: Any,
                     polygon_wgs84: Any = None, note: str = "", points: list[RiskPoint] | None = None) -> RiskZone:
    """Draw a zone on the enterprise's plan with its risk points. 400s: the polygon codes of
    :func:`compliance.rules.polygons.check_polygon` (field ``polygon``/``polygon_wgs84``),
    ``duplicate`` (``name``), ``does_not_exist`` (``points``); 409 ``point_in_other_zone``."""
    actor = actor_of(actor)
    _manager(actor, enterprise.pk)
    data = _clean_zone(enterprise.pk, {"name": name, "polygon": polygon, "polygon_wgs84": polygon_wgs84, "note": note},
                       None)
    try:
        with transaction.atomic():
            zone = RiskZone.objects.create(enterprise=enterprise, **data)
    except IntegrityError:
        raise FieldError("本企业已有同名区域。", code=Code.DUPLICATE, field="name") from None
    ids = _set_points(zone, points or [])
    audit_record(actor=actor.user, action=RiskMapEvent.ZONE_CREATE, obj=zone, enterprise=enterprise,
                 changes={**{k: [None, v] for k, v in data.items()}, "points": [None, ids]})
    return zone


@transaction.atomic
def risk_zone_update(*, actor: Actor | Any, zone: RiskZone, points: list[RiskPoint] | None = None,
                     **values: Any) -> RiskZone:
    """Change a zone's name, polygon, WGS-84 polygon, note and (when ``points`` is given) its points;
    the errors of :func:`risk_zone_create`."""
    actor = actor_of(actor)
    zone = RiskZone.objects.select_for_update().get(pk=zone.pk)
    _manager(actor, zone.enterprise_id)
    data = _clean_zone(zone.enterprise_id, {k: v for k, v in values.items()
                                            if k in ("name", "polygon", "polygon_wgs84", "note")}, zone)
    changes = {k: [getattr(zone, k), v] for k, v in data.items() if getattr(zone, k) != v}
    for k, v in data.items():
        setattr(zone, k, v)
    if changes:
        zone.save()
    if points is not None:
        before = sorted(zone.memberships.values_list("point_id", flat=True))
        after = _set_points(zone, points)
        if before != after:
            changes["points"] = [before, after]
    if changes:
        audit_record(actor=actor.user, action=RiskMapEvent.ZONE_UPDATE, obj=zone, enterprise=zone.enterprise_id,
                     changes=changes)
    return zone


@transaction.atomic
def risk_zone_delete(*, actor: Actor | Any, zone: RiskZone) -> None:
    """Delete a zone (its points stay in the register, unplaced); audited with its name and polygon."""
    actor = actor_of(actor)
    _manager(actor, zone.enterprise_id)
    audit_record(actor=actor.user, action=RiskMapEvent.ZONE_DELETE, obj=zone, enterprise=zone.enterprise_id,
                 payload={"name": zone.name, "polygon": zone.polygon,
                          "points": sorted(zone.memberships.values_list("point_id", flat=True))})
    zone.delete()
