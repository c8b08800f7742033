"""Machine codes of the permit API's errors and the names of the permit audit events.

Pure (no Django): the rule modules and services raise with these members (a member *is* its string
value, so bodies are unchanged); the OpenAPI description lists them with their HTTP status
(:func:`backend.core.error_codes.register_codes`). Values are the strings clients already compare:
a new code is a new member, an old value never changes. (Saleor ``order/error_codes.py`` style.)
"""

from __future__ import annotations

from enum import StrEnum

from backend.core.error_codes import ErrorCodeEnum, register_codes


@register_codes
class PermitErrorCode(ErrorCodeEnum):
    """Error codes of ``/api/v1/permits/`` and of :mod:`special_ops.rules`: ``code, 含义, HTTP``."""

    # --- state, roles, signatures
    INVALID_TRANSITION = "invalid_transition", "作业票当前状态不允许此操作（含并发下状态已变）", 409
    ROLE_NOT_ALLOWED = "role_not_allowed", "当前角色不能签署该环节或执行该操作", 403
    SEPARATION_OF_DUTIES = "separation_of_duties", "申请人、作业负责人不能审批本作业票", 403
    NOT_WORK_LEADER = "not_work_leader", "作业负责人确认须由作业负责人本人签署", 403
    STEP_ALREADY_SIGNED = "step_already_signed", "该审批环节已由他人签署", 409
    STEP_OUT_OF_ORDER = "step_out_of_order", "未按顺序签署审批环节", 409
    UNKNOWN_STEP = "unknown_step", "作业票没有此审批环节", 400
    PRE_START_CHECK_MISSING = "pre_start_check_missing", "作业前检查（如动火前验票）未签署", 400
    MEASURES_UNCONFIRMED = "measures_unconfirmed", "安全措施尚未逐项确认", 400
    UNKNOWN_MEASURE = "unknown_measure", "未知的安全措施编码", 400
    MEASURE_MANDATORY = "measure_mandatory", "标准规定必须落实的安全措施不能标记为不涉及", 400
    BRIEFING_MISSING = "briefing_missing", "尚未完成安全交底", 400
    BRIEFING_INCOMPLETE = "briefing_incomplete", "作业人员或监护人未接受安全交底", 400
    REQUIRED = "required", "须填写理由", 400
    # --- filing
    DUPLICATE = "duplicate", "作业票编号已存在", 400
    NUMBER_PREFIX = "number_prefix", "作业票编号前缀与作业类型不符", 400
    NOT_A_MEMBER = "not_a_member", "关联的用户不是本企业成员", 400
    DOES_NOT_EXIST = "does_not_exist", "风险点不存在（或不属于本企业）", 400
    IMMUTABLE = "immutable", "作业类型不能修改", 400
    OUTSIDE_WINDOW = "outside_window", "不在作业票的计划作业时间内", 400
    SAMPLED_IN_FUTURE = "sampled_in_future", "取样时间晚于当前时间", 400
    # --- rules.levels / validity / windows / approvals
    INVALID_INPUT = "invalid_input", "输入数据不完整或不合法", 400
    NAIVE_DATETIME = "naive_datetime", "时间必须带时区", 400
    INVALID_WINDOW = "invalid_window", "作业结束时间必须晚于开始时间", 400
    NO_PERMIT_NEEDED = "no_permit_needed", "未达到办理作业票的条件", 400
    HEIGHT_BELOW_2M_NO_PERMIT = "height_below_2m_no_permit", "作业高度低于 2 m，不办理高处作业票", 400
    LIFTING_PERMIT_REQUIRED = "lifting_permit_required", "10 t 及以上吊装须办理吊装作业票，不能以风险分析记录代替", 400
    LIFTING_BELOW_10T_NO_PERMIT = "lifting_below_10t_no_permit", "（已不再使用：10 t 以下吊装可办理三级作业票）", 400
    DECLARED_LEVEL_TOO_LOW = "declared_level_too_low", "申报级别低于计算级别", 400
    HOT_WORK_LEVEL_BELOW_COMPUTED = "hot_work_level_below_computed", "申报的动火级别低于按事实计算的级别", 400
    HEIGHT_LEVEL_BELOW_COMPUTED = "height_level_below_computed", "申报的高处作业级别低于计算级别", 400
    LIFTING_LEVEL_BELOW_COMPUTED = "lifting_level_below_computed", "申报的吊装级别低于计算级别", 400
    LEVEL_UNKNOWN = "level_unknown", "无法识别的作业级别", 400
    HOT_WORK_UPGRADE_REQUIRED = "hot_work_upgrade_required", "开始/恢复作业的时段（夜间、节假日等）须升级管理，须按升级后的级别重新办理", 400
    ISOLATED_UNIT_APPROVER_REQUIRED = "isolated_unit_approver_required", "停车隔离装置按二级管理须写明批准的生产或安全负责人", 400
    HOT_WORK_STRONG_WIND = "hot_work_strong_wind", "五级风以上（含五级）禁止露天动火（未申报生产确需）", 400
    PRODUCTION_NEED_REASON_REQUIRED = "production_need_reason_required", "申报生产确需或特殊情况须说明理由", 400
    HOT_WORK_FACT_MISSING = "hot_work_fact_missing", "缺少决定动火级别的作业事实", 400
    HEIGHT_HAZARD_FACTOR_UNKNOWN = "height_hazard_factor_unknown", "未知的高处作业危险因素", 400
    INVALID_HEIGHT_M = "invalid_height_m", "作业高度必须是非负数", 400
    INVALID_LOAD_T = "invalid_load_t", "吊装质量必须是非负数", 400
    VALIDITY_EXCEEDED = "validity_exceeded", "作业票有效期超过规定上限", 400
    SPECIAL_CASE_REASON_REQUIRED = "special_case_reason_required", "临时用电特殊情况须说明理由", 400
    FED_PERMIT_NOT_FOUND = "fed_permit_not_found", "临时用电所供电的动火/受限空间作业票不存在", 400
    CERTIFICATE_MISSING = "certificate_missing", "特种作业人员未登记证书编号", 400
    # --- rules.gas
    GAS_READING_INVALID = "gas_reading_invalid", "气体分析读数不是数值或取样时间有误", 400
    GAS_TEST_MISSING = "gas_test_missing", "作业前没有气体分析记录", 400
    GAS_TEST_STALE = "gas_test_stale", "气体分析超过 30 分钟，须重新检测", 400
    GAS_TEST_FAILED = "gas_test_failed", "气体分析不合格", 400
    GAS_CONTINUOUS_MONITORING_MISSING = "gas_continuous_monitoring_missing", "特级动火须连续气体监测", 400
    GAS_RETEST_REQUIRED = "gas_retest_required", "中断超时或检测过期，恢复作业前须重新气体分析", 400
    O2_MISSING = "o2_missing", "未记录氧含量", 400
    O2_OUT_OF_RANGE = "o2_out_of_range", "氧含量超出允许范围", 400
    FLAMMABLE_MISSING = "flammable_missing", "未检测可燃气体", 400
    FLAMMABLE_OVER_LIMIT = "flammable_over_limit", "可燃气体浓度超标", 400
    TOXIC_OVER_LIMIT = "toxic_over_limit", "有毒气体浓度超过职业接触限值", 400
    TOXIC_LIMIT_UNKNOWN = "toxic_limit_unknown", "有毒气体无职业接触限值可判定", 400
    # --- rules.conflicts (the message names the other permit)
    PERMIT_CONFLICT = "permit_conflict", "与现有作业票冲突", 409
    GUARDIAN_OVERLAP = "guardian_overlap", "同一监护人同时段监护多项作业", 409
    BLINDING_SAME_PIPELINE_OVERLAP = "blinding_same_pipeline_overlap", "同一管道同时段有两张盲板抽堵作业票", 409
    HOT_WORK_NEAR_BLINDING = "hot_work_near_blinding", "火灾爆炸危险场所内 30 m 内有盲板抽堵作业时动火", 409
    HOT_WORK_CONFINED_SPACE_UNLINKED = "hot_work_confined_space_unlinked", "受限空间内动火须关联受限空间作业票", 409


class PermitEvent(StrEnum):
    """Audit ``action`` names of permit events (backend.audit; values as stored in the chain)."""

    CREATE = "permit.create"
    UPDATE = "permit.update"
    APPROVALS_RESET = "permit.approvals_reset"
    SUBMIT = "permit.submit"
    APPROVE = "permit.approve"
    REJECT = "permit.reject"
    CONFIRM_MEASURES = "permit.confirm_measures"
    BRIEF = "permit.brief"
    START = "permit.start"
    SUSPEND = "permit.suspend"
    RESUME = "permit.resume"
    COMPLETE = "permit.complete"
    ACCEPT = "permit.accept"
    CANCEL = "permit.cancel"
    EXPIRE = "permit.expire"
    GAS_TEST = "permit.gas_test"
