"""Error codes and audit actions of the report jobs (双报告), as enums (values unchanged)."""

from __future__ import annotations

from enum import StrEnum

from backend.core.error_codes import ErrorCodeEnum, register_codes


@register_codes
class ReportErrorCode(ErrorCodeEnum):
    REQUIRED = "required", "缺少必填项（字段见 attr）", 400
    INVALID = "invalid", "输入值不合法（字段见 attr）", 400
    INVALID_CHOICE = "invalid_choice", "取值不在可选范围内", 400
    NOT_ALLOWED = "not_allowed", "该报告类型不接受此参数", 400
    SUBJECT_MISMATCH = "subject_mismatch", "报告对象与类型不符", 400
    AMBIGUOUS_PERIOD = "ambiguous_period", "month 与 period_start/period_end 只能给一种", 400
    PERIOD_TOO_EARLY = "period_too_early", "统计期不能早于 2016 年", 400
    PERIOD_ORDER = "period_order", "统计期起不能晚于统计期止", 400
    PERIOD_TOO_LONG = "period_too_long", "统计期过长", 400
    PERIOD_IN_FUTURE = "period_in_future", "统计期不能从未来开始", 400
    ALREADY_SUPERSEDED = "already_superseded", "该报告已被更正", 409
    REPORT_NOT_READY = "report_not_ready", "报告尚未生成完成", 409
    ALREADY_ISSUED = "already_issued", "报告已签发，不可再编辑或签发（更正请生成更正版）", 409
    PERIOD_NOT_ENDED = "period_not_ended", "统计期尚未结束，报告只能作为草稿（截至当前），期末后方可签发", 409
    INVALID_SHA256 = "invalid_sha256", "SHA-256 须为 64 位十六进制", 400


class ReportEvent(StrEnum):
    """Audit actions of report jobs."""

    REQUEST = "report.request"
    RETRY = "report.retry"
    CORRECT = "report.correct"
    EDIT = "report.edit"
    ISSUE = "report.issue"
    DONE = "report.done"
    FAIL = "report.fail"
