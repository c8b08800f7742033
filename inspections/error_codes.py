"""Error codes and audit actions of the regulator side, as enums (values are the API's codes and
the audit log's action names, unchanged).

Codes of the kernel (``not_found``, ``regulator_only``, ``role_not_allowed``, ``read_only``,
``invalid_transition``, ``file_too_large`` …: :class:`backend.core.error_codes.CoreErrorCode`) are
not repeated here; these are the ones inspections, draws, conflicts of interest and whistleblower
intake raise themselves. Registered for the OpenAPI description's code table.
"""

from __future__ import annotations

from enum import StrEnum

from backend.core.error_codes import ErrorCodeEnum, register_codes


@register_codes
class InspectionErrorCode(ErrorCodeEnum):
    REQUIRED = "required", "缺少必填项（字段见 attr）", 400
    DOES_NOT_EXIST = "does_not_exist", "引用的对象不存在或不在管辖范围内（字段见 attr）", 400
    # inspections and follow-ups
    TOO_FEW_INSPECTORS = "too_few_inspectors", "执法检查须至少两名执法人员", 400
    NOT_INSPECTOR = "not_inspector", "须为本部门的监管执法人员", 400
    NOT_ASSIGNED = "not_assigned", "仅本次检查的执法人员可执行此操作", 403
    UNKNOWN_ITEM = "unknown_item", "检查表中没有该检查项", 400
    ITEMS_MISSING = "items_missing", "检查项尚未全部记录结果", 400
    INVALID_DEADLINE = "invalid_deadline", "整改期限不能早于今天", 400
    NOT_STARTED = "inspection_not_started", "检查尚未开始，尚无检查记录", 409
    # conflicts of interest (回避)
    NOT_SELF = "not_self", "执法人员只能登记本人的回避事项", 403
    DUPLICATE = "duplicate", "已登记该回避事项", 409
    # 双随机 draws
    INVALID_N = "invalid_n", "抽取数量无效", 400
    INVALID_SEED = "invalid_seed", "随机种子无效", 400
    SEED_NOT_ALLOWED = "seed_not_allowed", "随机种子由系统生成，不能指定", 400
    INVALID_FILTER = "invalid_filter", "抽取的筛选条件无效", 400
    DUPLICATE_CANDIDATES = "duplicate_candidates", "候选企业重复", 400
    TOO_FEW_CANDIDATES = "too_few_candidates", "候选企业少于抽取数量", 400
    INVALID_WEIGHTS = "invalid_weights", "抽取权重无效", 400
    INSUFFICIENT_INSPECTORS = "insufficient_inspectors", "可抽取的执法人员不足（已排除回避人员）", 400
    ALREADY_PUBLISHED = "already_published", "该抽查结果已公开", 409
    # whistleblower intake (吹哨人)
    DIVISION_REQUIRED = "division_required", "未找到被举报单位，须填写行政区划代码", 400
    UNKNOWN_DIVISION = "unknown_division", "行政区划代码无效或该区域无监管部门受理", 400
    TOO_MANY_PHOTOS = "too_many_photos", "举报照片过多", 400
    ENTERPRISE_REQUIRED = "enterprise_required", "须先在受理时指定被举报企业", 400


class InspectionEvent(StrEnum):
    """Audit actions of inspections and conflicts of interest."""

    PLAN = "inspection.plan"
    START = "inspection.start"
    RECORD_RESULTS = "inspection.record_results"
    FINDING_ADD = "inspection.finding_add"
    CLOSE = "inspection.close"
    FOLLOW_UP = "inspection.follow_up"
    CONFLICT_DECLARE = "inspection.conflict_declare"


class DrawEvent(StrEnum):
    """Audit actions of 双随机 draws."""

    CREATE = "draw.create"
    PUBLISH = "draw.publish"


class WhistleblowerEvent(StrEnum):
    """Audit actions of whistleblower reports (one per transition of ``WHISTLEBLOWER_MACHINE``, plus receipt)."""

    RECEIVE = "whistleblower.receive"
    ACCEPT = "whistleblower.accept"
    REJECT = "whistleblower.reject"
    OPEN_INSPECTION = "whistleblower.open_inspection"
    CREATE_HAZARD = "whistleblower.create_hazard"
