"""Approval chains, standard safety measures and certified trades per permit type.

Sources: DOMAIN.md §4 "Approval chain" [probable; approver role per level is config], "Roles"
(trades that need a certificate) [std]; GB 30871-2022 §5.x safety measures (the checklists below are
the common core of the standard's per-type requirements, worded for the form) [probable].

Role mapping [config]: the platform's enterprise roles are ``admin``, ``safety_officer``,
``principal`` and ``employee`` (backend.accounts). Steps signed by a unit (work leader, owning unit,
user unit, power-supply unit, shift leader, countersigning departments other than safety/fire,
completion acceptance) map to ``employee`` — the person is named on the step; the safety
department, fire and the reviewer map to ``safety_officer``; the enterprise leader maps to
``principal``. ``admin`` manages the platform and signs no step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from special_ops.error_codes import PermitErrorCode as E

from .errors import RuleError
from .levels import HeightLevel, HotWorkLevel, LiftingLevel, PermitLevel
from .types import PermitType

_T = PermitType

ROLE_ADMIN = "admin"
ROLE_SAFETY_OFFICER = "safety_officer"
ROLE_PRINCIPAL = "principal"
ROLE_EMPLOYEE = "employee"
#: Enterprise roles a step may require (mirrors backend.accounts ENTERPRISE_ROLES).
ENTERPRISE_ROLES: frozenset[str] = frozenset({ROLE_ADMIN, ROLE_SAFETY_OFFICER, ROLE_PRINCIPAL, ROLE_EMPLOYEE})

#: Step phases: signed before ``approve`` (the last ``approval`` step moves the permit to approved),
#: checked on site before start, or signed at completion acceptance.
PHASE_APPROVAL = "approval"
PHASE_PRE_START = "pre_start"
PHASE_ACCEPTANCE = "acceptance"


@dataclass(frozen=True)
class ApprovalStep:
    """One signature on the permit: ``code`` (English), ``name`` (Chinese), ``role`` (enterprise role
    that may sign), ``phase`` (``approval`` / ``pre_start`` / ``acceptance``)."""

    code: str
    name: str
    role: str
    phase: str = PHASE_APPROVAL


def _s(code: str, name: str, role: str, phase: str = PHASE_APPROVAL) -> ApprovalStep:
    return ApprovalStep(code, name, role, phase)


_WORK_LEADER = _s("work_leader", "作业负责人确认", ROLE_EMPLOYEE)
_OWNING_UNIT = _s("owning_unit", "所在单位意见", ROLE_EMPLOYEE)
_ACCEPTANCE = _s("acceptance", "完工验收", ROLE_EMPLOYEE, PHASE_ACCEPTANCE)
_SAFETY_DEPT = _s("safety_department", "安全管理部门意见", ROLE_SAFETY_OFFICER)
_APPROVER = _s("approver", "审批部门审批", ROLE_SAFETY_OFFICER)
#: Step appended by ``extra_level`` (risk point 重大/较大) [config].
PRINCIPAL_APPROVAL = _s("principal_approval", "企业负责人审批（风险点重大/较大，审批升级）", ROLE_PRINCIPAL)

_HOT_WORK_APPROVER = {
    HotWorkLevel.SPECIAL: _s("approver", "审批：企业主管领导（特级）", ROLE_PRINCIPAL),
    HotWorkLevel.FIRST: _s("approver", "审批：安全管理部门（一级）", ROLE_SAFETY_OFFICER),
    HotWorkLevel.SECOND: _s("approver", "审批：所在单位（二级）", ROLE_EMPLOYEE),
}


def _hot_work_chain(level: HotWorkLevel) -> tuple[ApprovalStep, ...]:
    return (
        _WORK_LEADER,
        _OWNING_UNIT,
        _SAFETY_DEPT,
        _HOT_WORK_APPROVER[level],
        _s("shift_leader_check", "动火前岗位当班班长验票", ROLE_EMPLOYEE, PHASE_PRE_START),
        _ACCEPTANCE,
    )


#: GB 30871-2022 Table B.1 (作业分级审批): the approver of a height or lifting permit by level [std].
#: Table B.1 says 参照执行, so an enterprise may set its own (``PermitApproverSetting``); these are the
#: defaults. Role mapping [config]: 所在基层单位 → ``employee`` (named on the step), 所在单位专业部门 →
#: ``safety_officer``, 主管厂长或总工程师 → ``principal``.
APPROVER_CLAUSE = "GB 30871-2022 表B.1"
_BASIC_UNIT = ("所在基层单位", ROLE_EMPLOYEE)
_SPECIALIST = ("所在单位专业部门", ROLE_SAFETY_OFFICER)
_PLANT_HEAD = ("主管厂长或总工程师", ROLE_PRINCIPAL)
APPROVER_BY_LEVEL: dict[tuple[PermitType, PermitLevel], tuple[str, str]] = {
    (_T.HEIGHT, HeightLevel.I): _BASIC_UNIT,
    (_T.HEIGHT, HeightLevel.II): _SPECIALIST,
    (_T.HEIGHT, HeightLevel.III): _SPECIALIST,
    (_T.HEIGHT, HeightLevel.IV): _PLANT_HEAD,
    (_T.LIFTING, LiftingLevel.THIRD): _SPECIALIST,
    (_T.LIFTING, LiftingLevel.SECOND): _SPECIALIST,
    (_T.LIFTING, LiftingLevel.FIRST): _PLANT_HEAD,
}

#: Situations that raise the approver of a height or lifting permit to the next level's approver
#: (GB 30871-2022 Table B.2, as issue 14 reads it) [std]: code → Chinese text. Declared in
#: ``facts.approval_situations``.
APPROVAL_RAISE_SITUATIONS: dict[str, str] = {
    "near_flammable_or_rotating": "在易燃易爆、转动设备附近作业",
    "night": "夜间作业",
    "rain": "雨天作业",
    "snow": "雪天作业",
    "live_electrical": "带电作业",
    "suspended": "悬空作业",
    "abnormal_temperature": "异温作业",
}
APPROVAL_RAISE_CLAUSE = "GB 30871-2022 表B.2"


def _approver_step(name: str, role: str, level: PermitLevel, raised: bool = False) -> ApprovalStep:
    suffix = f"{level.label}，按表B.2提级" if raised else level.label
    return _s("approver", f"审批：{name}（{suffix}）", role)


def approver_for(
    permit_type: PermitType | str, level: PermitLevel | None, situations: Iterable[str] = (),
    overrides: Mapping[str, tuple[str, str]] | None = None,
) -> ApprovalStep | None:
    """The approver step of a height or lifting permit (Table B.1), raised to the next stricter
    level's approver when any Table B.2 situation applies; ``None`` for other types.

    Args:
        permit_type, level: the type and the level the permit is managed at.
        situations: codes of ``APPROVAL_RAISE_SITUATIONS`` (unknown codes are the serializer's 400).
        overrides: the enterprise's table, level code → (approver name, role); missing levels use
            ``APPROVER_BY_LEVEL``.
    """
    ptype = PermitType(permit_type)
    if level is None or (ptype, level) not in APPROVER_BY_LEVEL:
        return None
    order = sorted((lvl for (t, lvl) in APPROVER_BY_LEVEL if t is ptype), key=lambda lvl: lvl.rank)
    raised = any(code in APPROVAL_RAISE_SITUATIONS for code in situations)
    target = order[min(order.index(level) + 1, len(order) - 1)] if raised else level
    name, role = (overrides or {}).get(target.value) or APPROVER_BY_LEVEL[(ptype, target)]
    return _approver_step(name, role, level, raised)


def isolated_unit_approver(approver_name: str) -> ApprovalStep:
    """The approver of hot work on a stopped, isolated unit managed as 二级: the production or safety
    head named on the permit (GB 30871-2022 §5.1.4 ¶2) [std]; role ``principal`` [config]."""
    return _s("approver", f"审批：{approver_name.strip()}（生产或安全负责人，停车隔离装置按二级管理）", ROLE_PRINCIPAL)


def _reviewed_chain(permit_type: PermitType, level: PermitLevel) -> tuple[ApprovalStep, ...]:
    name, role = APPROVER_BY_LEVEL[(permit_type, level)]
    return (
        _WORK_LEADER,
        _OWNING_UNIT,
        _s("reviewer", "审核部门审核", ROLE_SAFETY_OFFICER),
        _approver_step(name, role, level),
        _ACCEPTANCE,
    )


#: Excavation countersigns: 水、电、汽、工艺、设备、消防、安全管理 (GB 30871-2022 A.7 form, Table B.1) [std];
#: steam (汽) was missing before issue 14.
_COUNTERSIGNS = (
    _s("countersign_water", "会签：供水", ROLE_EMPLOYEE),
    _s("countersign_power", "会签：供电", ROLE_EMPLOYEE),
    _s("countersign_steam", "会签：供汽", ROLE_EMPLOYEE),
    _s("countersign_process", "会签：工艺", ROLE_EMPLOYEE),
    _s("countersign_equipment", "会签：设备", ROLE_EMPLOYEE),
    _s("countersign_fire", "会签：消防", ROLE_SAFETY_OFFICER),
    _s("countersign_safety", "会签：安全", ROLE_SAFETY_OFFICER),
)

#: (type, level or None) → ordered steps. DOMAIN.md §4 "Approval chain" [probable/config].
APPROVAL_CHAINS: dict[tuple[PermitType, PermitLevel | None], tuple[ApprovalStep, ...]] = {
    **{(_T.HOT_WORK, level): _hot_work_chain(level) for level in HotWorkLevel},
    **{(_T.HEIGHT, level): _reviewed_chain(_T.HEIGHT, level) for level in HeightLevel},
    **{(_T.LIFTING, level): _reviewed_chain(_T.LIFTING, level) for level in LiftingLevel},
    (_T.TEMP_POWER, None): (
        _WORK_LEADER,
        _s("user_unit", "用电单位意见", ROLE_EMPLOYEE),
        _s("power_supply_unit", "配送电单位审批", ROLE_EMPLOYEE),
        _ACCEPTANCE,
    ),
    (_T.EXCAVATION, None): (_WORK_LEADER, _OWNING_UNIT, *_COUNTERSIGNS, _APPROVER, _ACCEPTANCE),
    (_T.ROAD_CLOSURE, None): (
        _WORK_LEADER,
        _OWNING_UNIT,
        _s("fire_and_safety", "消防、安全管理部门意见", ROLE_SAFETY_OFFICER),
        _APPROVER,
        _ACCEPTANCE,
    ),
    (_T.CONFINED_SPACE, None): (_WORK_LEADER, _OWNING_UNIT, _ACCEPTANCE),
    (_T.BLINDING, None): (_WORK_LEADER, _OWNING_UNIT, _ACCEPTANCE),
}


def approval_chain(
    permit_type: PermitType | str, level: PermitLevel | None, extra_level: bool = False,
    approver: ApprovalStep | None = None,
) -> tuple[ApprovalStep, ...]:
    """Ordered signature steps of a permit.

    Args:
        permit_type: type; level: the level the permit is managed at (None for levelless types).
        extra_level: the risk point is 重大 or 较大 — approval is raised one level by inserting
            ``PRINCIPAL_APPROVAL`` after the last ``approval``-phase step, unless a principal already
            approves (特级 hot work), in which case the chain is unchanged [config].
        approver: replaces the ``approver`` step (the enterprise's Table B.1 setting or the Table B.2
            raise, :func:`approver_for`); None keeps the default.

    Returns:
        tuple of ApprovalStep; the last step with phase ``approval`` is the final approval.

    Raises:
        ValueError: unknown type. KeyError: level missing/unexpected for the type.
        DOMAIN.md §4 "Approval chain", "Conflict checks" (risk-point raise) [probable/config].
    """
    chain = APPROVAL_CHAINS[(PermitType(permit_type), level)]
    if approver is not None:
        chain = tuple(approver if step.code == "approver" else step for step in chain)
    approvals = [i for i, step in enumerate(chain) if step.phase == PHASE_APPROVAL]
    if not extra_level or any(chain[i].role == ROLE_PRINCIPAL for i in approvals):
        return chain
    cut = approvals[-1] + 1
    return (*chain[:cut], PRINCIPAL_APPROVAL, *chain[cut:])


def final_approval_step(chain: Iterable[ApprovalStep]) -> ApprovalStep:
    """The step whose signature moves the permit to ``approved`` (last ``approval``-phase step).

    Raises:
        ValueError: the chain has no approval step.
    """
    approvals = [step for step in chain if step.phase == PHASE_APPROVAL]
    if not approvals:
        raise ValueError("chain has no approval step")
    return approvals[-1]


# --------------------------------------------------------------------------- safety measures


@dataclass(frozen=True)
class SafetyMeasure:
    """A standard measure on the permit: ``code`` (English), Chinese ``text`` and ``mandatory`` — a
    measure the standard requires of every job of the type, which cannot be marked 不涉及 (not
    applicable); every other measure is confirmed or marked 不涉及 by a named person (the form's
    是否涉及 column, GB 30871-2022 附录A)."""

    code: str
    text: str
    mandatory: bool = False


def _m(*rows: tuple[str, str]) -> tuple[SafetyMeasure, ...]:
    return tuple(SafetyMeasure(code, text, code in MANDATORY_MEASURES) for code, text in rows)


#: Measures the platform treats as mandatory for every job of the type (never 不涉及), each with the
#: clause it rests on. Checked in issue 14 against public copies of GB 30871-2022: the appendix A forms
#: give every measure line a 是否涉及 column and mark none as mandatory, so the list comes from the body
#: clauses, not the forms. Read in the text [std]: §5.2.1 (动火: 作业前应清除动火现场及周围的易燃物品，或
#: 采取其他有效安全防火措施，并配备消防器材 — clearing is "or other effective measures", kept as the line
#: the confirmer signs). The rest could not be read here and stay [probable] (the per-type requirements
#: of §6 受限空间, §7 盲板抽堵, §8 高处, §9 吊装, §10 临时用电, §11 动土, §12 断路).
MANDATORY_MEASURE_BASIS: dict[str, str] = {
    "hw_clear_combustibles": "GB 30871-2022 §5.2.1 [std]",
    "hw_fire_equipment": "GB 30871-2022 §5.2.1 [std]",
    "cs_ventilate": "GB 30871-2022 §6 [probable]",
    "cs_gas_test": "GB 30871-2022 §6 [probable]",
    "cs_rescue": "GB 30871-2022 §6 [probable]",
    "cs_entry_log": "GB 30871-2022 §6 [probable]",
    "mb_diagram": "GB 30871-2022 §7 [probable]",
    "mb_plate_spec": "GB 30871-2022 §7 [probable]",
    "gc_harness": "GB 30871-2022 §8 [probable]",
    "dz_equipment_check": "GB 30871-2022 §9 [probable]",
    "dz_cordon": "GB 30871-2022 §9 [probable]",
    "dz_no_one_under_load": "GB 30871-2022 §9 [probable]",
    "ld_electrician": "GB 30871-2022 §10 [probable]",
    "ld_rcd": "GB 30871-2022 §10 [probable]",
    "ld_grounding": "GB 30871-2022 §10 [probable]",
    "dt_buried_services": "GB 30871-2022 §11 [probable]",
    "dt_cordon": "GB 30871-2022 §11 [probable]",
    "dl_notice": "GB 30871-2022 §12 [probable]",
    "dl_barriers": "GB 30871-2022 §12 [probable]",
}
MANDATORY_MEASURES: frozenset[str] = frozenset(MANDATORY_MEASURE_BASIS)


#: type → standard measures (GB 30871-2022 §5.x, common core) [probable]. A deployment may add
#: site-specific measures; these are the minimum checklist each permit shows.
SAFETY_MEASURES: dict[PermitType, tuple[SafetyMeasure, ...]] = {
    _T.HOT_WORK: _m(
        ("hw_isolate", "动火设备、管线已与生产系统可靠隔离（加盲板或拆除管线），不以关阀代替"),
        ("hw_purge", "设备、管线已清洗、置换、吹扫，气体分析合格"),
        ("hw_clear_combustibles", "动火点周围可燃物已清除，下水井、地漏、地沟、电缆沟已封严"),
        ("hw_fire_equipment", "现场已配备灭火器、消防水带或蒸汽带"),
        ("hw_spark_prevention", "高处动火已采取防火花飞溅措施"),
        ("hw_cylinders", "氧气瓶与乙炔瓶间距不小于 5 m，二者与动火点间距不小于 10 m，乙炔瓶直立并防倾倒"),
    ),
    _T.CONFINED_SPACE: _m(
        ("cs_isolate", "与受限空间连通的管道已加盲板隔离，不以关阀代替"),
        ("cs_lockout", "搅拌器等转动设备已切断电源，上锁挂牌"),
        ("cs_ventilate", "已清洗置换并强制通风，严禁向受限空间通纯氧"),
        ("cs_gas_test", "进入前 30 min 内气体分析合格，作业中定时检测"),
        ("cs_lighting", "照明电压不大于 36 V，潮湿狭小场所不大于 12 V"),
        ("cs_rescue", "出入口畅通，配备正压式空气呼吸器、安全绳等救援器材"),
        ("cs_entry_log", "出入口登记进出人员和工器具"),
    ),
    _T.BLINDING: _m(
        ("mb_diagram", "按盲板位置图作业，盲板已编号、挂牌"),
        ("mb_depressurise", "管道已泄压，介质温度、压力符合作业要求"),
        ("mb_plate_spec", "盲板及垫片材质、规格符合要求"),
        ("mb_ppe", "有毒介质场所佩戴呼吸器并携带便携式气体检测报警仪"),
        ("mb_antistatic", "火灾爆炸危险场所使用防爆工具，穿防静电工作服"),
        ("mb_one_job_per_line", "同一管道上不同时进行两处及以上盲板抽堵作业"),
    ),
    _T.HEIGHT: _m(
        ("gc_harness", "作业人员佩戴安全帽、系挂安全带（高挂低用）"),
        ("gc_platform", "脚手架、作业平台验收合格"),
        ("gc_falling_objects", "工具材料有防坠落措施，严禁上下抛掷"),
        ("gc_edge_protection", "临边、洞口设防护栏杆或安全网"),
        ("gc_weather", "五级以上大风、暴雨、雷电等恶劣天气停止露天高处作业"),
        ("gc_cordon", "作业下方设警戒区并有专人监护"),
    ),
    _T.LIFTING: _m(
        ("dz_plan", "一级、二级吊装已编制吊装方案并经审批"),
        ("dz_equipment_check", "起重机械、吊具、索具检查合格"),
        ("dz_cordon", "吊装区域设警戒线，专人监护"),
        ("dz_signals", "指挥信号统一，司机、指挥持证上岗"),
        ("dz_no_one_under_load", "吊物下方及吊臂回转范围内严禁站人"),
        ("dz_weather", "大雪、暴雨、大雾、六级以上大风等恶劣天气停止露天吊装"),
    ),
    _T.TEMP_POWER: _m(
        ("ld_electrician", "接线、拆线由持证电工作业"),
        ("ld_rcd", "配电箱设漏电保护器，一机一闸一保护"),
        ("ld_explosion_proof", "火灾爆炸危险场所使用防爆电气设备"),
        ("ld_cable", "临时线路架空或有防护，不拖地、不浸水"),
        ("ld_grounding", "用电设备金属外壳可靠接地"),
        ("ld_gas_test", "火灾爆炸危险场所接电前气体分析合格"),
    ),
    _T.EXCAVATION: _m(
        ("dt_buried_services", "地下电缆、管道、光缆等已查明并标识"),
        ("dt_support", "按规定放坡或支护，防止坍塌"),
        ("dt_cordon", "作业区设围栏和警示标志，夜间设警示灯"),
        ("dt_spoil", "挖出物距坑边不小于 1 m，堆高不大于 1.5 m"),
        ("dt_access", "设置人员上下通道"),
        ("dt_confined", "可能存在有毒有害气体的坑、槽按受限空间作业管理"),
    ),
    _T.ROAD_CLOSURE: _m(
        ("dl_notice", "已通知相关部门并公布绕行路线"),
        ("dl_barriers", "断路两端设路障和警示标志，夜间设警示灯"),
        ("dl_fire_lane", "消防通道保持畅通或已落实替代通道"),
        ("dl_restore", "作业结束后清理现场、恢复交通"),
    ),
}


# --------------------------------------------------------------------------- certified trades


@dataclass(frozen=True)
class Trade:
    """A trade whose workers must carry a certificate: ``code``, Chinese ``name``, accepted
    ``aliases`` (as written on forms), and the ``certificate`` it needs."""

    code: str
    name: str
    aliases: tuple[str, ...]
    certificate: str


#: code → trade (DOMAIN.md §4 Roles: welder, electrician, crane operator, rigger, signaller) [std];
#: aliases include the spellings of the sample data (起重司机, 起重指挥). 司索工 carries the
#: enterprise training certificate in the sample [config].
CERTIFIED_TRADES: dict[str, Trade] = {
    t.code: t
    for t in (
        Trade(
            "welder",
            "焊工",
            ("电焊工", "气焊工", "焊割工", "气割工"),
            "特种作业操作证（熔化焊接与热切割作业）",
        ),
        Trade("electrician", "电工", ("低压电工", "高压电工", "维修电工"), "特种作业操作证（电工作业）"),
        Trade(
            "crane_operator", "起重机司机", ("起重司机", "吊车司机"), "特种设备作业人员证（Q2 起重机司机）"
        ),
        Trade("rigger", "司索工", ("司索",), "司索作业培训合格证"),
        Trade(
            "signaller", "信号工", ("起重指挥", "起重机指挥", "指挥"), "特种设备作业人员证（Q1 起重机指挥）"
        ),
    )
}


def certified_trade(trade_name: str | None) -> Trade | None:
    """The certified trade for a name or alias as written on a form (blanks ignored), else None."""
    name = (trade_name or "").strip()
    return next((t for t in CERTIFIED_TRADES.values() if name == t.name or name in t.aliases), None)


@dataclass(frozen=True)
class MissingCertificate:
    """A worker whose trade needs a certificate but whose ``cert_no`` is empty."""

    name: str
    trade: str
    certificate: str


def missing_certificates(workers: Iterable[Mapping[str, Any]]) -> list[MissingCertificate]:
    """Workers (JSON ``workers`` shape: ``name``, ``trade``, ``cert_no``) lacking a required
    certificate number, in input order. DOMAIN.md §4 Roles [std]. Raises nothing."""
    missing = []
    for worker in workers:
        trade = certified_trade(worker.get("trade"))
        if trade and not str(worker.get("cert_no") or "").strip():
            missing.append(MissingCertificate(str(worker.get("name") or ""), trade.name, trade.certificate))
    return missing


class CertificateMissing(RuleError):
    """A worker of a certified trade has no certificate number. Code ``certificate_missing``;
    ``details["workers"]`` = [{name, trade, certificate}]. DOMAIN.md §4 Roles [std]."""

    default_code = E.CERTIFICATE_MISSING
    default_message = "特种作业人员未登记证书编号。"
    default_field = "workers"


def check_certificates(workers: Iterable[Mapping[str, Any]]) -> None:
    """Refuse a permit whose certified workers lack certificate numbers.

    Raises:
        CertificateMissing (``certificate_missing``).
    """
    missing = missing_certificates(workers)
    if missing:
        names = "、".join(f"{m.name}（{m.trade}）" for m in missing)
        raise CertificateMissing(
            f"以下人员需持证上岗但未登记证书编号：{names}。",
            workers=[{"name": m.name, "trade": m.trade, "certificate": m.certificate} for m in missing],
        )
