"""Machine codes of the compliance API's errors and the names of its audit events.

Raise with the member (``code=HazardErrorCode.DEADLINE_LOCKED``): a ``StrEnum`` member is its
string, so bodies and comparisons are the values clients already compare. Values are unchanged
from the inline strings they replace, except where two copies disagreed (see the module notes of
:mod:`compliance.rules.hazard_states`): ``five_commitments_incomplete`` (the rule's code) replaces
the service's ``five_commitments_missing``, and every wrong state is ``invalid_transition`` (409)
instead of ``state_conflict``. Registered with :mod:`backend.core.error_codes`, so the OpenAPI
description lists them. Pure: no Django.
"""

from __future__ import annotations

from enum import StrEnum

from backend.core.error_codes import ErrorCodeEnum, register_codes


@register_codes
class HazardErrorCode(ErrorCodeEnum):
    """Errors of ``/api/v1/hazards/``, ``/hazard-extensions/``, ``/hazard-photos/`` and ``/hazard-supervision/``."""

    INVALID_TRANSITION = "invalid_transition", "隐患当前状态不允许此操作（含并发下状态已变）", 409
    ROLE_NOT_ALLOWED = "role_not_allowed", "当前角色无权执行此操作", 403
    PRINCIPAL_REQUIRED = "principal_required", "重大隐患须由企业主要负责人验收", 403
    NOT_RESPONSIBLE = "not_responsible", "只有整改责任人可以执行此操作", 403
    ACCEPTOR_IS_RECTIFIER = "acceptor_is_rectifier", "验收人不能是整改人", 403
    FIVE_COMMITMENTS_INCOMPLETE = "five_commitments_incomplete", "重大隐患“五落实”未完成（字段为第一项缺少的）", 400
    REGULATOR_SIGNOFF_REQUIRED = "regulator_signoff_required", "挂牌督办的隐患须经监管部门确认后方可销号", 409
    REQUIRED = "required", "必填项缺失（理由、整改期限等）", 400
    FUTURE_DATE = "future_date", "排查日期不能晚于今天", 400
    DATE_OUT_OF_RANGE = "date_out_of_range", "日期早于允许的最早日期（2000-01-01）", 400
    INVALID_DEADLINE = "invalid_deadline", "整改期限早于排查日期或不晚于原期限", 400
    DEADLINE_TOO_FAR = "deadline_too_far", "整改期限超过五年", 400
    DEADLINE_LOCKED = "deadline_locked", "整改期限已确定，须通过延期申请调整", 400
    NEGATIVE_FUNDS = "invalid", "整改资金不能为负数", 400
    DOES_NOT_EXIST = "does_not_exist", "引用的对象不存在或不属于本企业", 400
    MISMATCH = "mismatch", "管控措施不属于该风险点", 400
    OUTSIDE_JURISDICTION = "outside_jurisdiction", "企业不在本部门管辖范围内", 403
    UNKNOWN_ITEM = "unknown_item", "判定标准中没有该条款", 400
    INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key", "幂等键格式错误，或请求头与 client_key 不一致", 400
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused", "该幂等键已用于内容不同的另一次上报（请换新键）", 409
    CHECKLIST_MISMATCH = "checklist_mismatch", "该隐患已按其他判定标准判定", 400
    CHECKLIST_NOT_APPLICABLE = "checklist_not_applicable", "判定标准不适用于该企业（按企业类别确定的规则集）", 400
    EXTENSION_PENDING = "extension_pending", "已有待审批的延期申请", 409
    EXTENSION_CAP_REACHED = "extension_cap_reached", "延期次数已达上限", 409
    APPROVER_IS_REQUESTER = "approver_is_requester", "审批人不能是申请人", 403
    EXTENSION_DECIDED_BY_ENTERPRISE = "extension_decided_by_enterprise", "一般隐患的延期由企业审批，监管部门不审批", 403
    NOT_MAJOR = "not_major", "仅重大隐患可挂牌督办", 400
    ALREADY_SUPERVISED = "already_supervised", "该隐患已挂牌督办", 409
    NOT_SUPERVISED = "not_supervised", "该隐患未挂牌督办", 409
    NOT_SUPERVISOR = "not_supervisor", "仅督办部门可确认销号", 403
    ALREADY_SIGNED_OFF = "already_signed_off", "监管部门已确认销号", 409
    UNSUPPORTED_FILE_TYPE = "unsupported_file_type", "不支持的文件类型", 400
    FILE_MISSING = "file_missing", "照片文件不存在", 404


@register_codes
class RegisterErrorCode(ErrorCodeEnum):
    """Errors of the risk register (``/risk-points/``, ``/risk-events/``, ``/control-measures/``, import)."""

    OFF_SCALE = "off_scale", "评价取值不在标度上", 400
    REQUIRED = "required", "必填项缺失", 400
    UNKNOWN_METHOD = "unknown_method", "未知的风险评价方法", 400
    UNKNOWN_ACCIDENT_TYPE = "unknown_accident_type", "不是 GB 6441 规定的事故类型", 400
    TOO_MANY_LABELS = "too_many_labels", "一次打印的风险点标签超过 504 枚", 400
    DUPLICATE = "duplicate", "编号已存在", 400
    DOES_NOT_EXIST = "does_not_exist", "引用的对象不存在或不属于本企业", 400
    IMMUTABLE = "immutable", "该字段创建后不能修改（字段见 attr）", 400


@register_codes
class ImportErrorCode(ErrorCodeEnum):
    """Errors of the register and ledger imports (``/risk-register/import/``, ``/hazards/import/``)."""

    INVALID_FILE = "invalid_file", "文件无法读取或不含可导入的工作表", 400
    MISSING_SHEET = "missing_sheet", "找不到工作表", 400
    INVALID_DATE = "invalid_date", "不是可识别的日期", 400
    INVALID_GRADE = "invalid_grade", "无法识别的隐患级别", 400
    INVALID_TYPE = "invalid_type", "无法识别的隐患类别", 400
    INVALID_SOURCE = "invalid_source", "无法识别的排查类型", 400
    INVALID_STATE = "invalid_state", "无法识别的隐患状态", 400
    MISSING_HEADER = "missing_header", "找不到表头（序号列）", 400
    MISSING_COLUMN = "missing_column", "找不到必需的列", 400
    INVALID_NUMBER = "invalid_number", "不是有效数字或金额", 400
    DUPLICATE_SEQ = "duplicate", "序号在表中重复", 400
    UNKNOWN_LEDGER_SEQ = "unknown_ledger_seq", "重大隐患表的台账序号在隐患台账中不存在", 400
    VALUES_DISAGREE = "values_disagree", "登记的风险值或等级与计算值不一致（已按计算值导入，待复核）", 400
    # Workbook limits, checked before the workbook is loaded (compliance.services.common.check_workbook_limits).
    TOO_MANY_ROWS = "too_many_rows", "工作表行数超过导入上限（WORKBOOK_MAX_ROWS）", 413
    TOO_MANY_CELLS = "too_many_cells", "工作簿单元格数超过导入上限（WORKBOOK_MAX_CELLS）", 413
    WORKBOOK_TOO_LARGE = "workbook_too_large", "工作簿解压后超过导入上限（WORKBOOK_MAX_UNPACKED_BYTES）", 413


@register_codes
class InvestigationErrorCode(ErrorCodeEnum):
    """Errors of ``/api/v1/investigation-tasks/``."""

    INVALID_TRANSITION = "invalid_transition", "该任务已记录结果", 409
    INVALID_WINDOW = "invalid_window", "时间窗口无效", 400
    REQUIRED = "required", "发现隐患时须填写隐患名称", 400


class HazardEvent(StrEnum):
    """Audit ``action`` names of hazard events (object ``compliance.hazard``)."""

    REPORT = "hazard.report"
    FILE = "hazard.file"
    ORDER = "hazard.order"
    UPDATE_PLAN = "hazard.update_plan"
    CONFIRM = "hazard.confirm"
    REJECT = "hazard.reject"
    START_RECTIFICATION = "hazard.start_rectification"
    SUBMIT_FOR_ACCEPTANCE = "hazard.submit_for_acceptance"
    ACCEPT = "hazard.accept"
    FAIL_ACCEPTANCE = "hazard.fail_acceptance"
    CLOSE = "hazard.close"
    TICK_CHECKLIST = "hazard.tick_checklist"
    REQUEST_EXTENSION = "hazard.request_extension"
    APPROVE_EXTENSION = "hazard.approve_extension"
    REJECT_EXTENSION = "hazard.reject_extension"
    PHOTO_ADD = "hazard.photo_add"
    SUPERVISE = "hazard.supervise"
    REGULATOR_SIGNOFF = "hazard.regulator_signoff"
    ESCALATE = "hazard.escalate"
    IMPORT = "hazard.import"
    IMPORT_UPDATE = "hazard.import_update"


class RegisterEvent(StrEnum):
    """Audit ``action`` names of the risk register."""

    RISK_POINT_CREATE = "risk_point.create"
    RISK_POINT_UPDATE = "risk_point.update"
    RISK_POINT_DELETE = "risk_point.delete"
    RISK_POINT_FLAG_REASSESSMENT = "risk_point.flag_reassessment"
    RISK_EVENT_CREATE = "risk_event.create"
    RISK_EVENT_UPDATE = "risk_event.update"
    RISK_EVENT_DELETE = "risk_event.delete"
    RISK_EVENT_IMPORT_CREATED = "risk_event.import_created"
    RISK_EVENT_IMPORT_UPDATED = "risk_event.import_updated"
    CONTROL_MEASURE_CREATE = "control_measure.create"
    CONTROL_MEASURE_UPDATE = "control_measure.update"
    CONTROL_MEASURE_DELETE = "control_measure.delete"
    ACCIDENT_STANDARD_SET = "enterprise.set_accident_standard"


class InvestigationEvent(StrEnum):
    """Audit ``action`` names of investigation tasks."""

    RECORD = "investigation_task.record"


@register_codes
class CommitmentErrorCode(ErrorCodeEnum):
    """Errors of the daily 安全风险研判与承诺 (``compliance.services.daily_commitment``)."""

    ALREADY_COMMITTED = "already_committed", "当日安全风险研判与承诺已签署", 409
    PRINCIPAL_ONLY = "principal_only", "安全承诺须由企业主要负责人签署", 403


class CommitmentEvent(StrEnum):
    """Audit ``action`` names of the daily commitment."""

    SIGN = "risk_commitment.sign"
    MISSING = "risk_commitment.missing"


class ImportEvent(StrEnum):
    """Audit ``action`` names of import jobs (a big register/ledger upload run by the worker)."""

    JOB_SUBMIT = "import_job.submit"
    JOB_FINISH = "import_job.finish"


@register_codes
class RiskMapErrorCode(ErrorCodeEnum):
    """Errors of ``/api/v1/risk-zones/``, ``/plant-layout/`` and ``/risk-map/`` (四色风险分布图)."""

    POLYGON_INVALID = "polygon_invalid", "区域边界不是 [[x, y], …] 坐标列表", 400
    POLYGON_TOO_FEW_POINTS = "polygon_too_few_points", "区域少于 3 个不同顶点", 400
    POLYGON_TOO_MANY_POINTS = "polygon_too_many_points", "区域顶点超过 500 个", 400
    POLYGON_OUTSIDE_IMAGE = "polygon_outside_image", "区域顶点超出平面图范围", 400
    POLYGON_OUT_OF_RANGE = "polygon_out_of_range", "经纬度超出范围", 400
    POLYGON_DEGENERATE = "polygon_degenerate", "区域顶点共线，没有面积", 400
    POLYGON_SELF_INTERSECTING = "polygon_self_intersecting", "区域边界自相交", 400
    PLANT_LAYOUT_MISSING = "plant_layout_missing", "尚未上传厂区平面图", 400
    POINT_IN_OTHER_ZONE = "point_in_other_zone", "风险点已在另一区域中（一个风险点只属于一个区域）", 409
    DUPLICATE = "duplicate", "本企业已有同名区域", 400
    UNSUPPORTED_FILE_TYPE = "unsupported_file_type", "平面图须为 PNG、JPEG 或 PDF", 400
    PDF_UNREADABLE = "pdf_unreadable", "PDF 无法读取或没有页面", 400


class RiskMapEvent(StrEnum):
    """Audit ``action`` names of the 四色风险分布图."""

    ZONE_CREATE = "risk_zone.create"
    ZONE_UPDATE = "risk_zone.update"
    ZONE_DELETE = "risk_zone.delete"
    LAYOUT_UPLOAD = "plant_layout.upload"
