"""Whistleblower reports (吹哨人, DOMAIN.md §5): anonymous intake with a tracking code, and the
jurisdiction's triage — accept, reject, open an inspection, or order the enterprise to rectify
(a hazard). States and roles: :data:`inspections.rules.states.WHISTLEBLOWER_MACHINE`.

No IP address or other identity of the reporter is stored; the tracking code only as SHA-256;
photos are re-encoded without metadata (no EXIF location or device serial reaches storage).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from typing import Any

from django.db import transaction

from backend.accounts.models import Division, Enterprise, Regulator, User
from backend.accounts.selectors import regulators_covering
from backend.audit.services import audit_record
from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError, NotFound
from backend.core.time import local_today
from backend.core.uploads import store_image
from compliance.rules.hazard_codes import HazardGrade, HazardSource
from compliance.services import hazards as hazard_services
from inspections.error_codes import InspectionErrorCode as Code
from inspections.error_codes import WhistleblowerEvent
from inspections.models import WhistleblowerPhoto, WhistleblowerReport
from inspections.rules.states import WHISTLEBLOWER_MACHINE
from inspections.services.common import RegulatorActing, check, covered_enterprise, regulator_actor
from inspections.services.inspections import inspection_create

#: Whistleblower photos [config]: at most 5, each at most 5 MB, of these types — decoded, re-encoded
#: without metadata (no EXIF GPS/camera serial reaches storage) and stored by the one upload pipeline.
WB_MAX_PHOTOS = 5
WB_PHOTO_MAX_BYTES = 5 * 1024 * 1024
WB_PHOTO_TYPES = ("jpeg", "png", "webp")

_EVENTS = {"accept": WhistleblowerEvent.ACCEPT, "reject": WhistleblowerEvent.REJECT,
           "open_inspection": WhistleblowerEvent.OPEN_INSPECTION, "create_hazard": WhistleblowerEvent.CREATE_HAZARD}


def code_digest(code: str) -> str:
    """SHA-256 hex of a tracking code: the only form in which it is stored."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


# --- intake ---------------------------------------------------------------------------------
@transaction.atomic
def whistleblower_report_create(*, description: str, enterprise_name: str = "", location: str = "",
                                division_code: str = "", contact: str = "",
                                photos: list[Any] | None = None) -> tuple[WhistleblowerReport, str]:
    """An anonymous report (吹哨人). Returns ``(report, tracking_code)``; the code
    (``secrets.token_urlsafe(12)``, 16 chars) is shown once and only its SHA-256 is stored.

    The jurisdiction comes from the named enterprise when its name matches one exactly, else from
    ``division_code`` (a known county or town code covered by a regulator). 400: ``required``
    (``description``; ``enterprise_name`` or ``location``), ``unknown_division`` /
    ``division_required`` (``division_code``), ``too_many_photos``/``unsupported_file_type``/``invalid_image``
    (``photos``); 413 ``file_too_large``/``image_too_large`` for a photo over the caps (:mod:`backend.core.uploads`). No IP address or other identity is stored; ``contact`` only if given."""
    description = (description or "").strip()
    if not description:
        raise FieldError("须填写举报内容。", code=Code.REQUIRED, field="description")
    enterprise_name, location = (enterprise_name or "").strip(), (location or "").strip()
    if not enterprise_name and not location:
        raise FieldError("须填写被举报单位名称或位置。", code=Code.REQUIRED, field="enterprise_name")
    photos = photos or []
    if len(photos) > WB_MAX_PHOTOS:
        raise FieldError(f"最多上传 {WB_MAX_PHOTOS} 张照片。", code=Code.TOO_MANY_PHOTOS, field="photos")
    ent = Enterprise.objects.filter(name=enterprise_name).first() if enterprise_name else None
    if ent is not None:
        division = ent.division_code
    else:
        division = (division_code or "").strip()
        if not division:
            raise FieldError("未找到该单位，请填写所在行政区划代码。", code=Code.DIVISION_REQUIRED, field="division_code")
        if not (division.isdigit() and len(division) in (6, 9, 12)) or not Division.objects.filter(code=division[:6]).exists():
            raise FieldError("行政区划代码无效。", code=Code.UNKNOWN_DIVISION, field="division_code")
        if not regulators_covering(Enterprise(division_code=division)):
            raise FieldError("该区域暂无监管部门受理。", code=Code.UNKNOWN_DIVISION, field="division_code")
    code = secrets.token_urlsafe(12)
    report = WhistleblowerReport.objects.create(
        code_hash=code_digest(code), enterprise=ent, enterprise_name=enterprise_name[:200], location=location[:200],
        division_code=division, description=description, contact=(contact or "").strip()[:100])
    for upload in photos:
        stored = store_image(upload, prefix="whistleblower", max_bytes=WB_PHOTO_MAX_BYTES, types=WB_PHOTO_TYPES,
                             field="photos")
        WhistleblowerPhoto.objects.create(report=report, file=stored.name, content_type=stored.content_type,
                                          size=stored.size)
    audit_record(actor=None, action=WhistleblowerEvent.RECEIVE, obj=report, actor_label="anonymous",
                 to_state=report.status, payload={"division_code": division, "enterprise": getattr(ent, "pk", None),
                                                  "photos": len(photos)})
    return report, code


def whistleblower_report_by_code(code: str) -> WhistleblowerReport:
    """The report whose tracking code is ``code``; 404 otherwise (no hint whether it is close)."""
    report = WhistleblowerReport.objects.filter(code_hash=code_digest(code or "")).first()
    if report is None:
        raise NotFound("未找到该举报。", code=CoreErrorCode.NOT_FOUND)
    return report


# --- triage ---------------------------------------------------------------------------------
def _lock(actor: Any, report: WhistleblowerReport, action: str) -> tuple[RegulatorActing, Regulator, WhistleblowerReport]:
    """Lock the report for ``action``: 403 ``regulator_only``/``role_not_allowed`` (the machine's
    roles), 404 outside the jurisdiction, 409 ``invalid_transition`` from a state the action does
    not leave (also a race lost to another triage step)."""
    a = regulator_actor(actor, WHISTLEBLOWER_MACHINE.roles_for(action))
    regulator = a.regulator
    r = WhistleblowerReport.objects.select_for_update().get(pk=report.pk)
    if not r.division_code.startswith(regulator.jurisdiction):
        raise NotFound("举报不存在。", code=CoreErrorCode.NOT_FOUND)
    check(WHISTLEBLOWER_MACHINE, action, r.status)
    return a, regulator, r


def _transition(a: RegulatorActing, regulator: Regulator, r: WhistleblowerReport, action: str, reason: str = "",
                **payload: Any) -> WhistleblowerReport:
    old = r.status
    r.status, r.handled_by = WHISTLEBLOWER_MACHINE.check(action, old), a.user
    if reason:
        r.resolution = reason[:500]
    r.save()
    audit_record(actor=a.user, action=_EVENTS[action], obj=r, regulator=regulator.pk, enterprise=r.enterprise_id,
                 from_state=old, to_state=r.status, reason=reason, payload=payload)
    return r


def _report_enterprise(regulator: Regulator, r: WhistleblowerReport) -> Enterprise:
    if r.enterprise_id is None:
        raise FieldError("请先在受理时指定被举报企业。", code=Code.ENTERPRISE_REQUIRED, field="enterprise")
    return covered_enterprise(regulator, r.enterprise_id)


@transaction.atomic
def whistleblower_report_accept(*, actor: Any, report: WhistleblowerReport, note: str = "",
                                enterprise: Enterprise | int | None = None) -> WhistleblowerReport:
    """received → accepted (受理). ``enterprise`` (in the jurisdiction) may name the enterprise
    concerned when the reporter only gave a location."""
    a, regulator, r = _lock(actor, report, "accept")
    if enterprise is not None:
        r.enterprise = covered_enterprise(regulator, enterprise)
    return _transition(a, regulator, r, "accept", note)


@transaction.atomic
def whistleblower_report_reject(*, actor: Any, report: WhistleblowerReport, reason: str) -> WhistleblowerReport:
    """received|accepted → rejected (不予受理), ``reason`` required."""
    if not (reason or "").strip():
        raise FieldError("须说明不予受理的理由。", code=Code.REQUIRED, field="reason")
    a, regulator, r = _lock(actor, report, "reject")
    return _transition(a, regulator, r, "reject", reason)


@transaction.atomic
def whistleblower_report_open_inspection(*, actor: Any, report: WhistleblowerReport, planned_on: date,
                                         inspectors: list[User | int]) -> WhistleblowerReport:
    """accepted → inspection_opened: plans an inspection of the enterprise concerned."""
    a, regulator, r = _lock(actor, report, "open_inspection")
    ent = _report_enterprise(regulator, r)
    r.inspection = inspection_create(actor=a.actor, enterprise=ent, planned_on=planned_on, inspectors=inspectors,
                                     title=f"举报核查 {r.pk}")
    return _transition(a, regulator, r, "open_inspection", inspection=r.inspection.pk)


@transaction.atomic
def whistleblower_report_create_hazard(*, actor: Any, report: WhistleblowerReport, title: str, deadline: date,
                                       grade: str = HazardGrade.GENERAL.value) -> WhistleblowerReport:
    """accepted → hazard_created: files a hazard at the enterprise concerned (source
    ``whistleblower``) with the ordered ``deadline`` (not before today)."""
    a, regulator, r = _lock(actor, report, "create_hazard")
    ent = _report_enterprise(regulator, r)
    if deadline < local_today():
        raise FieldError("整改期限不能早于今天。", code=Code.INVALID_DEADLINE, field="deadline")
    r.hazard = hazard_services.hazard_order(
        actor=a.user, enterprise=ent, source=HazardSource.WHISTLEBLOWER.value, title=title[:200],
        description=r.description, location=r.location, grade=grade, deadline=deadline, found_on=local_today(),
        source_detail=f"吹哨人举报 {r.pk}")
    return _transition(a, regulator, r, "create_hazard", hazard=r.hazard.pk, hazard_number=r.hazard.number)

