"""Writes of the regulator side (DOMAIN.md §5): 双随机 draws and conflicts of interest,
inspections (checklist results, findings → hazards, close), follow-ups (复查), supervision
(挂牌督办) and sign-off, and whistleblower intake and triage (吹哨人).

Every service is keyword-only and atomic, checks the actor's regulator membership and role,
locks the row it transitions (``SELECT … FOR UPDATE``; a wrong source state is a coded 409) and
appends an audit event (``inspection.*``, ``draw.*``, ``whistleblower.*``) in the same transaction.
A foreign object (another regulator's inspection, an enterprise outside the jurisdiction) is 404.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import uuid
from datetime import date
from typing import Any

import filetype
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Division, Enterprise, Membership, Regulator, Role, User
from backend.accounts.selectors import regulators_covering
from backend.audit.services import audit_record
from backend.core.clock import local_today
from backend.core.errors import Conflict, FieldError, Forbidden, NotFound, PayloadTooLarge
from compliance.models import Hazard
from compliance.rules.hazards import HazardGrade, HazardSource
from compliance.services import hazards as hazard_svc
from compliance.services import supervision
from inspections import checklists
from inspections.draw import DrawError
from inspections.draw import draw as run_draw
from inspections.filters import EnterpriseAuditFilter
from inspections.models import (
    ConflictOfInterest,
    Draw,
    Finding,
    FollowUp,
    Inspection,
    InspectionTemplate,
    ItemResult,
    WhistleblowerPhoto,
    WhistleblowerReport,
)
from inspections.selectors import candidate_weights, jurisdiction_enterprises

#: Whistleblower photos [config]: at most 5, each at most 5 MB, of these sniffed types (re-encoded
#: without metadata, so EXIF GPS/camera serials never reach storage).
WB_MAX_PHOTOS = 5
WB_PHOTO_MAX_BYTES = 5 * 1024 * 1024
WB_PHOTO_TYPES = {"image/jpeg": ("jpg", "JPEG"), "image/png": ("png", "PNG"), "image/webp": ("webp", "WEBP")}
#: Largest N of one draw [config].
MAX_DRAW = 500


# --- helpers --------------------------------------------------------------------------------


def regulator_membership(actor: Any, *roles: str) -> Membership:
    """The actor's regulator membership; 403 ``regulator_only`` / ``role_not_allowed``."""
    try:
        m = actor.membership
    except (Membership.DoesNotExist, AttributeError):
        m = None
    if m is None or m.regulator_id is None:
        raise Forbidden("仅监管部门用户可执行此操作。", code="regulator_only")
    if roles and m.role not in roles:
        raise Forbidden(f"角色「{Role(m.role).label}」无权执行此操作。", code="role_not_allowed")
    return m


def _covered_enterprise(m: Membership, enterprise: Enterprise | int, field: str = "enterprise") -> Enterprise:
    pk = getattr(enterprise, "pk", enterprise)
    ent = jurisdiction_enterprises(m.regulator).filter(pk=pk).first()
    if ent is None:
        raise FieldError("企业不存在或不在管辖范围内。", code="does_not_exist", field=field)
    return ent


def _inspectors(regulator: Regulator, users: list[User | int], field: str = "inspectors") -> list[User]:
    """≥ 2 distinct users, each an inspector of ``regulator``; 400 naming ``field`` otherwise."""
    ids = sorted({getattr(u, "pk", u) for u in users})
    if len(ids) < 2:
        raise FieldError("执法检查须至少两名执法人员。", code="too_few_inspectors", field=field)
    found = list(User.objects.filter(pk__in=ids, membership__regulator=regulator, membership__role=Role.INSPECTOR))
    if len(found) != len(ids):
        raise FieldError("执法人员须为本部门的监管执法人员。", code="not_inspector", field=field)
    return found


def _template(code_version: tuple[str, str] | InspectionTemplate | None) -> InspectionTemplate:
    if isinstance(code_version, InspectionTemplate):
        return code_version
    code, version = code_version or checklists.DEFAULT_TEMPLATE
    template_sync()
    try:
        return InspectionTemplate.objects.get(code=code, version=version)
    except InspectionTemplate.DoesNotExist:
        raise FieldError("检查表不存在。", code="does_not_exist", field="template")


def _record(actor: Any, obj: Any, action: str, *, enterprise: Any = None, regulator: Any = None, **kw: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, enterprise=enterprise, regulator=regulator, **kw)


def _lock_inspection(inspection: Inspection | int) -> Inspection:
    return Inspection.objects.select_for_update(of=("self",)).select_related("enterprise", "template").get(
        pk=getattr(inspection, "pk", inspection))


def _assigned(actor: Any, inspection: Inspection) -> None:
    if not inspection.inspectors.filter(pk=actor.pk).exists():
        raise Forbidden("仅本次检查的执法人员可执行此操作。", code="not_assigned")


def _hazard_at(*, actor: Any, enterprise: Enterprise, source: HazardSource, **values: Any) -> Hazard:
    """File a confirmed hazard at ``enterprise`` on the regulator's order (compliance ``hazard_order``)."""
    return hazard_svc.hazard_order(actor=actor, enterprise=enterprise, source=source.value, **values)


# --- templates and conflicts ----------------------------------------------------------------
def template_sync() -> int:
    """Create the checklist versions shipped in :mod:`inspections.checklists` that are missing;
    returns how many were created. Existing versions are never changed."""
    created = 0
    for t in checklists.TEMPLATES:
        _, new = InspectionTemplate.objects.get_or_create(code=t["code"], version=t["version"],
                                                          defaults={"title": t["title"], "items": t["items"]})
        created += new
    return created


@transaction.atomic
def conflict_declare(*, actor: Any, inspector: User, enterprise: Enterprise, reason: str) -> ConflictOfInterest:
    """Declare that ``inspector`` must not inspect ``enterprise`` (回避). An inspector declares
    their own; a regulator admin anyone's of the roster. 400 when not an inspector of the
    regulator or the enterprise is outside the jurisdiction; 409 ``duplicate`` when declared."""
    m = regulator_membership(actor, Role.ADMIN, Role.INSPECTOR)
    if m.role == Role.INSPECTOR and inspector.pk != actor.pk:
        raise Forbidden("执法人员只能登记本人的回避事项。", code="not_self")
    if not Membership.objects.filter(user=inspector, regulator=m.regulator, role=Role.INSPECTOR).exists():
        raise FieldError("须为本部门的监管执法人员。", code="not_inspector", field="inspector")
    ent = _covered_enterprise(m, enterprise)
    if not (reason or "").strip():
        raise FieldError("须说明回避原因。", code="required", field="reason")
    if ConflictOfInterest.objects.filter(inspector=inspector, enterprise=ent).exists():
        raise Conflict("已登记该回避事项。", code="duplicate")
    c = ConflictOfInterest.objects.create(regulator=m.regulator, inspector=inspector, enterprise=ent, reason=reason,
                                          declared_by=actor)
    _record(actor, c, "inspection.conflict_declare", regulator=m.regulator, reason=reason,
            payload={"inspector": inspector.pk, "enterprise": ent.pk})
    return c


# --- draws ----------------------------------------------------------------------------------
def draw_rerun(draw: Draw) -> list[dict]:
    """Re-run ``draw`` from its stored seed and snapshots (pure; no write)."""
    return run_draw(int(draw.seed), draw.candidates, draw.weights, draw.roster,
                    [tuple(p) for p in draw.conflicts], draw.n)


@transaction.atomic
def draw_create(*, actor: Any, n: int, planned_on: date, filter: dict[str, Any] | None = None, weighted: bool = False,
                seed: int | None = None, title: str = "", template: tuple[str, str] | None = None) -> Draw:
    """双随机 draw by a regulator admin (DOMAIN.md §5): candidates are the jurisdiction's approved
    enterprises matching ``filter`` (the audit enterprise filters: town, industry, risk_level,
    overdue, major, supervised, q); the roster is the regulator's inspectors; declared conflicts
    are excluded. Stores seed (default ``secrets.randbits(64)``) and sorted snapshots, then
    creates one planned inspection (kind ``drawn``) per result row on ``planned_on``.

    400: ``invalid_filter`` (field ``filter``), ``too_few_candidates``/``invalid_n`` (``n``),
    ``insufficient_inspectors`` (``roster``); 403 for non-admins."""
    m = regulator_membership(actor, Role.ADMIN)
    regulator = m.regulator
    filter = dict(filter or {})
    if not isinstance(n, int) or not 1 <= n <= MAX_DRAW:
        raise FieldError(f"抽取数量须为 1–{MAX_DRAW}。", code="invalid_n", field="n")
    if seed is None:
        seed = secrets.randbits(64)
    if seed < 0 or seed >= 2**64:
        raise FieldError("随机种子须为 0 至 2^64-1 的整数。", code="invalid_seed", field="seed")
    base = jurisdiction_enterprises(regulator).filter(status=Enterprise.Status.APPROVED)
    not_filters = sorted(set(filter) & EnterpriseAuditFilter.RESERVED)  # page, ordering, …: not candidate filters
    if not_filters or any(isinstance(v, dict | list) for v in filter.values()):
        raise FieldError(f"筛选条件无效：{not_filters[0] if not_filters else '值须为文本或数字'}", code="invalid_filter",
                         field="filter")
    fs = EnterpriseAuditFilter(data={k: v for k, v in filter.items() if k != "status"}, queryset=base)
    try:
        valid = fs.is_valid()
    except FieldError as exc:
        raise FieldError(f"筛选条件无效：{exc.detail}", code="invalid_filter", field="filter")
    if not valid:
        first = next(iter(fs.errors))
        raise FieldError(f"筛选条件无效：{first}", code="invalid_filter", field="filter")
    candidates = sorted(fs.qs.values_list("pk", flat=True))
    weights = None
    if weighted:
        wmap = candidate_weights(candidates)
        weights = [wmap[c] for c in candidates]
    roster = sorted(Membership.objects.filter(regulator=regulator, role=Role.INSPECTOR).values_list("user_id", flat=True))
    conflicts = sorted([list(p) for p in ConflictOfInterest.objects.filter(
        inspector_id__in=roster, enterprise_id__in=candidates).values_list("inspector_id", "enterprise_id")])
    try:
        result = run_draw(seed, candidates, weights, roster, [tuple(p) for p in conflicts], n)
    except DrawError as exc:
        raise FieldError(exc.message, code=exc.code, field="n" if exc.field in ("n", "candidates") else exc.field)
    tmpl = _template(template)
    d = Draw.objects.create(regulator=regulator, title=title, filter=filter, n=n, seed=str(seed), weighted=weighted,
                            candidates=candidates, weights=weights, roster=roster, conflicts=conflicts, result=result,
                            planned_on=planned_on, created_by=actor)
    _record(actor, d, "draw.create", regulator=regulator,
            payload={"seed": str(seed), "n": n, "candidates": len(candidates), "result": result})
    for row in result:
        _inspection_new(actor=actor, regulator=regulator, enterprise=Enterprise.objects.get(pk=row["enterprise"]),
                        planned_on=planned_on, inspectors=list(User.objects.filter(pk__in=row["inspectors"])),
                        template=tmpl, kind=Inspection.Kind.DRAWN, draw=d, title=title)
    return d


# --- inspections ----------------------------------------------------------------------------
def _inspection_new(*, actor: Any, regulator: Regulator, enterprise: Enterprise, planned_on: date, inspectors: list[User],
                    template: InspectionTemplate, kind: str, draw: Draw | None = None,
                    follow_up_of: Inspection | None = None, title: str = "") -> Inspection:
    insp = Inspection.objects.create(regulator=regulator, enterprise=enterprise, planned_on=planned_on, template=template,
                                     kind=kind, draw=draw, follow_up_of=follow_up_of, title=title, created_by=actor)
    insp.inspectors.set(inspectors)
    _record(actor, insp, "inspection.plan", enterprise=enterprise, regulator=regulator,
            to_state=Inspection.State.PLANNED,
            payload={"kind": kind, "draw": getattr(draw, "pk", None), "planned_on": planned_on,
                     "inspectors": sorted(u.pk for u in inspectors), "template": [template.code, template.version]})
    return insp


@transaction.atomic
def inspection_create(*, actor: Any, enterprise: Enterprise | int, planned_on: date, inspectors: list[User | int],
                      template: tuple[str, str] | None = None, title: str = "",
                      follow_up_of: Inspection | None = None) -> Inspection:
    """Plan an inspection (kind ``planned``, or ``follow_up`` when ``follow_up_of`` is given) of an
    enterprise in the actor's jurisdiction by ≥ 2 inspectors of the actor's regulator.

    400 ``too_few_inspectors``/``not_inspector`` (field ``inspectors``), ``does_not_exist``
    (``enterprise``/``template``/``follow_up_of``); 403 for non-regulator users."""
    m = regulator_membership(actor, Role.ADMIN, Role.INSPECTOR)
    ent = _covered_enterprise(m, enterprise)
    users = _inspectors(m.regulator, inspectors)
    kind = Inspection.Kind.PLANNED
    if follow_up_of is not None:
        if follow_up_of.regulator_id != m.regulator_id or follow_up_of.enterprise_id != ent.pk:
            raise FieldError("复查须针对本部门对该企业的检查。", code="does_not_exist", field="follow_up_of")
        kind = Inspection.Kind.FOLLOW_UP
        template = template or checklists.FOLLOW_UP_TEMPLATE
    return _inspection_new(actor=actor, regulator=m.regulator, enterprise=ent, planned_on=planned_on, inspectors=users,
                           template=_template(template), kind=kind, follow_up_of=follow_up_of, title=title)


@transaction.atomic
def inspection_start(*, actor: Any, inspection: Inspection) -> Inspection:
    """planned → in_progress, by one of its inspectors (403 ``not_assigned``; 409 ``state_conflict``)."""
    regulator_membership(actor)
    insp = _lock_inspection(inspection)
    _assigned(actor, insp)
    if insp.state != Inspection.State.PLANNED:
        raise Conflict("检查已开始或已结束。", code="state_conflict")
    insp.state, insp.started_at = Inspection.State.IN_PROGRESS, timezone.now()
    insp.save(update_fields=("state", "started_at"))
    _record(actor, insp, "inspection.start", enterprise=insp.enterprise_id, regulator=insp.regulator_id,
            from_state=Inspection.State.PLANNED, to_state=insp.state)
    return insp


def _in_progress(actor: Any, inspection: Inspection) -> Inspection:
    regulator_membership(actor)
    insp = _lock_inspection(inspection)
    _assigned(actor, insp)
    if insp.state != Inspection.State.IN_PROGRESS:
        raise Conflict("检查不在进行中。", code="state_conflict")
    return insp


@transaction.atomic
def inspection_record_results(*, actor: Any, inspection: Inspection, results: list[dict[str, Any]]) -> list[ItemResult]:
    """Record (or correct) checklist item results ``[{"item_code", "result": pass|fail|na, "note"}]``
    of an inspection in progress. 400 ``unknown_item`` naming ``results``."""
    insp = _in_progress(actor, inspection)
    codes = {i["code"] for i in insp.template.items}
    out, now = [], timezone.now()
    for r in results:
        if r["item_code"] not in codes:
            raise FieldError(f"检查表中没有检查项 {r['item_code']}。", code="unknown_item", field="results")
        obj, _ = ItemResult.objects.update_or_create(
            inspection=insp, item_code=r["item_code"],
            defaults={"result": r["result"], "note": r.get("note", ""), "recorded_by": actor, "recorded_at": now})
        out.append(obj)
    _record(actor, insp, "inspection.record_results", enterprise=insp.enterprise_id, regulator=insp.regulator_id,
            payload={"results": [{"item_code": o.item_code, "result": o.result} for o in out]})
    return out


@transaction.atomic
def finding_add(*, actor: Any, inspection: Inspection, text: str, item_code: str = "", location: str = "",
                severity: str = Finding.Severity.GENERAL, deadline: date | None = None,
                order_rectification: bool = True) -> Finding:
    """Record a finding of an inspection in progress. With ``order_rectification`` (责令限期整改)
    it becomes a confirmed hazard at the enterprise (source ``inspector``, grade = severity,
    treatment ``deadline``) with the ordered ``deadline`` (required, not before today: 400 naming
    ``deadline``); the finding links to it. 400 ``unknown_item`` naming ``item_code``."""
    insp = _in_progress(actor, inspection)
    if item_code and item_code not in {i["code"] for i in insp.template.items}:
        raise FieldError(f"检查表中没有检查项 {item_code}。", code="unknown_item", field="item_code")
    if not (text or "").strip():
        raise FieldError("须填写问题描述。", code="required", field="text")
    hazard = None
    if order_rectification:
        if deadline is None:
            raise FieldError("责令限期整改须给出整改期限。", code="required", field="deadline")
        if deadline < local_today():
            raise FieldError("整改期限不能早于今天。", code="invalid_deadline", field="deadline")
        hazard = _hazard_at(
            actor=actor, enterprise=insp.enterprise, source=HazardSource.INSPECTOR, title=text.strip()[:200],
            description=text, location=location, grade=severity, deadline=deadline, found_on=local_today(),
            source_detail=f"执法检查 {insp.pk}"[:50])
    f = Finding.objects.create(inspection=insp, item_code=item_code, text=text, location=location, severity=severity,
                               deadline=deadline, hazard=hazard, created_by=actor)
    _record(actor, f, "inspection.finding_add", enterprise=insp.enterprise_id, regulator=insp.regulator_id,
            payload={"inspection": insp.pk, "severity": severity, "deadline": deadline,
                     "hazard": getattr(hazard, "pk", None), "hazard_number": getattr(hazard, "number", None)})
    return f


@transaction.atomic
def inspection_close(*, actor: Any, inspection: Inspection, summary: str = "") -> Inspection:
    """in_progress → closed once every checklist item has a result (400 ``items_missing`` naming
    the first missing item code). Its outcome is then published (public results list)."""
    insp = _in_progress(actor, inspection)
    done = set(insp.results.values_list("item_code", flat=True))
    missing = [i["code"] for i in insp.template.items if i["code"] not in done]
    if missing:
        raise FieldError(f"检查项 {missing[0]} 尚未记录结果。", code="items_missing", field="results")
    insp.state, insp.closed_at, insp.summary = Inspection.State.CLOSED, timezone.now(), summary
    insp.save(update_fields=("state", "closed_at", "summary"))
    _record(actor, insp, "inspection.close", enterprise=insp.enterprise_id, regulator=insp.regulator_id,
            from_state=Inspection.State.IN_PROGRESS, to_state=insp.state, reason=summary,
            payload={"findings": insp.findings.count()})
    return insp


@transaction.atomic
def follow_up_record(*, actor: Any, finding: Finding, fixed: bool, note: str = "",
                     inspection: Inspection | None = None) -> FollowUp:
    """Record a follow-up (复查) of a finding by an inspector of the regulator: fixed or not.
    The finding's status follows (fixed / not_fixed); the hazard state at that moment is kept.
    ``inspection``, when given, is the follow-up inspection it was done in (same regulator and
    enterprise, 400 otherwise). 409 ``already_fixed`` once a finding was confirmed fixed."""
    m = regulator_membership(actor, Role.INSPECTOR)
    f = Finding.objects.select_for_update(of=("self",)).select_related("inspection", "hazard").get(pk=finding.pk)
    if f.inspection.regulator_id != m.regulator_id:
        raise NotFound("检查发现不存在。", code="not_found")
    if f.status == Finding.Status.FIXED:
        raise Conflict("该问题已复查确认整改。", code="already_fixed")
    if inspection is not None and (inspection.regulator_id != m.regulator_id
                                   or inspection.enterprise_id != f.inspection.enterprise_id):
        raise FieldError("复查检查须为本部门对该企业的检查。", code="does_not_exist", field="inspection")
    fu = FollowUp.objects.create(finding=f, inspection=inspection, fixed=fixed, note=note, checked_on=local_today(),
                                 hazard_state=f.hazard.state if f.hazard_id else "", recorded_by=actor)
    old, f.status = f.status, Finding.Status.FIXED if fixed else Finding.Status.NOT_FIXED
    f.save(update_fields=("status",))
    _record(actor, f, "inspection.follow_up", enterprise=f.inspection.enterprise_id, regulator=m.regulator_id,
            from_state=old, to_state=f.status, reason=note,
            payload={"follow_up": fu.pk, "hazard": f.hazard_id, "hazard_state": fu.hazard_state})
    return fu


# --- supervision (挂牌督办) ------------------------------------------------------------------
def hazard_put_under_supervision(*, actor: Any, hazard: Hazard, note: str = "") -> Hazard:
    """Put a major hazard under the actor's regulator's supervision (挂牌督办): the guards and
    errors are those of ``compliance.services.supervision.hazard_supervise``."""
    return supervision.hazard_supervise(actor=actor, hazard=hazard, note=note)


def hazard_signoff(*, actor: Any, hazard: Hazard, comment: str = "") -> Hazard:
    """The regulator's sign-off of a supervised hazard after acceptance
    (``compliance.services.supervision.hazard_regulator_signoff``; its errors apply)."""
    return supervision.hazard_regulator_signoff(actor=actor, hazard=hazard, comment=comment)


# --- whistleblower (吹哨人) -----------------------------------------------------------------
def code_digest(code: str) -> str:
    """SHA-256 hex of a tracking code: the only form in which it is stored."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _store_photo(upload: Any) -> tuple[str, str, int]:
    size = getattr(upload, "size", None) or 0
    if size > WB_PHOTO_MAX_BYTES:
        raise PayloadTooLarge(f"照片不能超过 {WB_PHOTO_MAX_BYTES // 1024 // 1024} MB。", code="file_too_large", field="photos")
    data = upload.read(WB_PHOTO_MAX_BYTES + 1)
    if len(data) > WB_PHOTO_MAX_BYTES:
        raise PayloadTooLarge(f"照片不能超过 {WB_PHOTO_MAX_BYTES // 1024 // 1024} MB。", code="file_too_large", field="photos")
    kind = filetype.guess(data)
    if kind is None or kind.mime not in WB_PHOTO_TYPES:
        raise FieldError("照片须为 JPEG、PNG 或 WebP 图片。", code="unsupported_type", field="photos")
    ext, fmt = WB_PHOTO_TYPES[kind.mime]
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        img.load()
        buf = io.BytesIO()
        img.save(buf, fmt)  # re-encoded without EXIF/XMP: no location or device identity is kept
    except (UnidentifiedImageError, OSError, ValueError):
        raise FieldError("照片无法读取。", code="invalid_image", field="photos")
    body = buf.getvalue()
    name = default_storage.save(f"whistleblower/{uuid.uuid4().hex}.{ext}", ContentFile(body))
    return name, kind.mime, len(body)


@transaction.atomic
def whistleblower_report_create(*, description: str, enterprise_name: str = "", location: str = "",
                                division_code: str = "", contact: str = "",
                                photos: list[Any] | None = None) -> tuple[WhistleblowerReport, str]:
    """An anonymous report (吹哨人). Returns ``(report, tracking_code)``; the code
    (``secrets.token_urlsafe(12)``, 16 chars) is shown once and only its SHA-256 is stored.

    The jurisdiction comes from the named enterprise when its name matches one exactly, else from
    ``division_code`` (a known county or town code covered by a regulator). 400: ``required``
    (``description``; ``enterprise_name`` or ``location``), ``unknown_division`` /
    ``division_required`` (``division_code``), ``too_many_photos``/``unsupported_type`` (``photos``);
    413 for a photo over the cap. No IP address or other identity is stored; ``contact`` only if given."""
    description = (description or "").strip()
    if not description:
        raise FieldError("须填写举报内容。", code="required", field="description")
    enterprise_name, location = (enterprise_name or "").strip(), (location or "").strip()
    if not enterprise_name and not location:
        raise FieldError("须填写被举报单位名称或位置。", code="required", field="enterprise_name")
    photos = photos or []
    if len(photos) > WB_MAX_PHOTOS:
        raise FieldError(f"最多上传 {WB_MAX_PHOTOS} 张照片。", code="too_many_photos", field="photos")
    ent = Enterprise.objects.filter(name=enterprise_name).first() if enterprise_name else None
    if ent is not None:
        division = ent.division_code
    else:
        division = (division_code or "").strip()
        if not division:
            raise FieldError("未找到该单位，请填写所在行政区划代码。", code="division_required", field="division_code")
        if not (division.isdigit() and len(division) in (6, 9, 12)) or not Division.objects.filter(code=division[:6]).exists():
            raise FieldError("行政区划代码无效。", code="unknown_division", field="division_code")
        if not regulators_covering(Enterprise(division_code=division)):
            raise FieldError("该区域暂无监管部门受理。", code="unknown_division", field="division_code")
    code = secrets.token_urlsafe(12)
    report = WhistleblowerReport.objects.create(
        code_hash=code_digest(code), enterprise=ent, enterprise_name=enterprise_name[:200], location=location[:200],
        division_code=division, description=description, contact=(contact or "").strip()[:100])
    for upload in photos:
        name, mime, size = _store_photo(upload)
        WhistleblowerPhoto.objects.create(report=report, file=name, content_type=mime, size=size)
    audit_record(actor=None, action="whistleblower.receive", obj=report, actor_label="anonymous",
                 to_state=report.status, payload={"division_code": division, "enterprise": getattr(ent, "pk", None),
                                                  "photos": len(photos)})
    return report, code


def whistleblower_report_by_code(code: str) -> WhistleblowerReport:
    """The report whose tracking code is ``code``; 404 otherwise (no hint whether it is close)."""
    report = WhistleblowerReport.objects.filter(code_hash=code_digest(code or "")).first()
    if report is None:
        raise NotFound("未找到该举报。", code="not_found")
    return report


def _lock_report(actor: Any, report: WhistleblowerReport, *from_states: str) -> tuple[Membership, WhistleblowerReport]:
    m = regulator_membership(actor, Role.ADMIN, Role.INSPECTOR)
    r = WhistleblowerReport.objects.select_for_update().get(pk=report.pk)
    if not r.division_code.startswith(m.regulator.jurisdiction):
        raise NotFound("举报不存在。", code="not_found")
    if r.status not in from_states:
        raise Conflict(f"举报当前状态为「{r.get_status_display()}」，不能执行该操作。", code="state_conflict")
    return m, r


def _wb_transition(actor: Any, m: Membership, r: WhistleblowerReport, to: str, action: str, reason: str = "",
                   **payload: Any) -> WhistleblowerReport:
    old, r.status, r.handled_by = r.status, to, actor
    if reason:
        r.resolution = reason[:500]
    r.save()
    audit_record(actor=actor, action=f"whistleblower.{action}", obj=r, regulator=m.regulator_id,
                 enterprise=r.enterprise_id, from_state=old, to_state=to, reason=reason, payload=payload)
    return r


@transaction.atomic
def whistleblower_report_accept(*, actor: Any, report: WhistleblowerReport, note: str = "",
                                enterprise: Enterprise | int | None = None) -> WhistleblowerReport:
    """received → accepted (受理). ``enterprise`` (in the jurisdiction) may name the enterprise
    concerned when the reporter only gave a location."""
    m, r = _lock_report(actor, report, WhistleblowerReport.Status.RECEIVED)
    if enterprise is not None:
        r.enterprise = _covered_enterprise(m, enterprise)
    return _wb_transition(actor, m, r, WhistleblowerReport.Status.ACCEPTED, "accept", note)


@transaction.atomic
def whistleblower_report_reject(*, actor: Any, report: WhistleblowerReport, reason: str) -> WhistleblowerReport:
    """received|accepted → rejected (不予受理), ``reason`` required."""
    if not (reason or "").strip():
        raise FieldError("须说明不予受理的理由。", code="required", field="reason")
    m, r = _lock_report(actor, report, WhistleblowerReport.Status.RECEIVED, WhistleblowerReport.Status.ACCEPTED)
    return _wb_transition(actor, m, r, WhistleblowerReport.Status.REJECTED, "reject", reason)


def _report_enterprise(m: Membership, r: WhistleblowerReport) -> Enterprise:
    if r.enterprise_id is None:
        raise FieldError("请先在受理时指定被举报企业。", code="enterprise_required", field="enterprise")
    return _covered_enterprise(m, r.enterprise_id)


@transaction.atomic
def whistleblower_report_open_inspection(*, actor: Any, report: WhistleblowerReport, planned_on: date,
                                         inspectors: list[User | int]) -> WhistleblowerReport:
    """accepted → inspection_opened: plans an inspection of the enterprise concerned."""
    m, r = _lock_report(actor, report, WhistleblowerReport.Status.ACCEPTED)
    ent = _report_enterprise(m, r)
    r.inspection = inspection_create(actor=actor, enterprise=ent, planned_on=planned_on, inspectors=inspectors,
                                     title=f"举报核查 {r.pk}")
    return _wb_transition(actor, m, r, WhistleblowerReport.Status.INSPECTION_OPENED, "open_inspection",
                          inspection=r.inspection.pk)


@transaction.atomic
def whistleblower_report_create_hazard(*, actor: Any, report: WhistleblowerReport, title: str, deadline: date,
                                       grade: str = HazardGrade.GENERAL.value) -> WhistleblowerReport:
    """accepted → hazard_created: files a hazard at the enterprise concerned (source
    ``whistleblower``) with the ordered ``deadline`` (not before today)."""
    m, r = _lock_report(actor, report, WhistleblowerReport.Status.ACCEPTED)
    ent = _report_enterprise(m, r)
    if deadline < local_today():
        raise FieldError("整改期限不能早于今天。", code="invalid_deadline", field="deadline")
    r.hazard = _hazard_at(actor=actor, enterprise=ent, source=HazardSource.WHISTLEBLOWER, title=title[:200],
                          description=r.description, location=r.location, grade=grade, deadline=deadline,
                          found_on=local_today(), source_detail=f"吹哨人举报 {r.pk}")
    return _wb_transition(actor, m, r, WhistleblowerReport.Status.HAZARD_CREATED, "create_hazard",
                          hazard=r.hazard.pk, hazard_number=r.hazard.number)
