"""Hidden-danger rules (隐患排查治理) as data tables plus small pure functions.

Source: DOMAIN.md §3 unless a docstring says otherwise; ledger parsing follows data/README.md §3.
Tags as in DOMAIN.md: [std] standard or several sources, [probable] one digest, [config] a
default a deployment may override (functions take the table as an optional argument).
No Django, no database. Errors are ``RuleError`` (a ``ValueError``) with an English ``code``,
the ``field`` concerned and a Chinese ``message``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from compliance.rules.assessment import LabelledStrEnum, RuleError, UnknownChoice

#: Local time zone of every deadline and report (DOMAIN.md §3, §6).
SHANGHAI = ZoneInfo("Asia/Shanghai")


# --------------------------------------------------------------------------------------------
# Code tables
# --------------------------------------------------------------------------------------------


class NationalCoded(LabelledStrEnum):
    """A labelled enum whose members also carry the national interface code ``national_code``."""

    national_code: int

    def _init_extra(self, national_code: int) -> None:
        self.national_code = national_code

    @classmethod
    def from_national(cls, code: int) -> NationalCoded:
        """The first member with national ``code``; raises ``UnknownChoice``."""
        for member in cls:
            if member.national_code == code:
                return member
        raise UnknownChoice(cls.__name__, code, sorted({str(m.national_code) for m in cls}))


class HazardGrade(NationalCoded):
    """隐患级别 [std] (national ``dangerLevel``): general 0, major 1."""

    GENERAL = "general", "一般", 0
    MAJOR = "major", "重大", 1


class HazardTreatment(LabelledStrEnum):
    """治理方式 [std] (national ``dangerManageType``): fixed on the spot, or by a mandatory deadline."""

    IMMEDIATE = "immediate", "即查即改"
    DEADLINE = "deadline", "限期整改"


class HazardSource(NationalCoded):
    """隐患来源 (national ``dangerSrc``) [std] 1–10, plus three platform sources exported as
    10 (other): employee report, inspector finding, whistleblower."""

    DAILY = "daily", "日常排查", 1
    COMPREHENSIVE = "comprehensive", "综合性排查", 2
    SPECIALIST = "specialist", "专业性排查", 3
    SEASONAL = "seasonal", "季节性排查", 4
    KEY_PERIOD = "key_period", "重点时段及节假日前排查", 5
    ACCIDENT_ANALOGY = "accident_analogy", "事故类比排查", 6
    RESUMPTION = "resumption", "复产复工前排查", 7
    OUTSIDE_EXPERT = "outside_expert", "外聘专家诊断式排查", 8
    MEASURE_FAILED = "measure_failed", "管控措施失效", 9
    OTHER = "other", "其他", 10
    EMPLOYEE_REPORT = "employee_report", "职工报告", 10
    INSPECTOR = "inspector", "监管检查", 10
    WHISTLEBLOWER = "whistleblower", "吹哨人举报", 10


class HazardType(NationalCoded):
    """隐患类别 [std] (national ``hazardDangerType``) 1–8."""

    SAFETY = "safety", "安全", 1
    PROCESS = "process", "工艺", 2
    ELECTRICAL = "electrical", "电气", 3
    INSTRUMENT = "instrument", "仪表", 4
    FIRE = "fire", "消防", 5
    LAYOUT = "layout", "总图", 6
    EQUIPMENT = "equipment", "设备", 7
    OTHER = "other", "其他", 8


class HazardCause(NationalCoded):
    """隐患原因 [std] 1–3."""

    UNSAFE_ACT = "unsafe_act", "人的不安全行为", 1
    UNSAFE_CONDITION = "unsafe_condition", "物的不安全状态", 2
    MANAGEMENT_DEFECT = "management_defect", "管理缺陷", 3


class HazardState(LabelledStrEnum):
    """Our hazard lifecycle (DOMAIN.md §3). ``national_code`` is the national ``dangerState``
    for export (rectifying 0, pending_acceptance 1, accepted/closed 9) or None where the
    national scheme has no state (reported, confirmed, rejected)."""

    national_code: int | None

    REPORTED = "reported", "已上报", None
    CONFIRMED = "confirmed", "已确认", None
    RECTIFYING = "rectifying", "整改中", 0
    PENDING_ACCEPTANCE = "pending_acceptance", "待验收", 1
    ACCEPTED = "accepted", "已验收", 9
    CLOSED = "closed", "已销号", 9
    REJECTED = "rejected", "已驳回", None

    def _init_extra(self, national_code: int | None) -> None:
        self.national_code = national_code


#: Not yet fixed and verified. ``accepted`` (verified, awaiting 销号) is neither open nor terminal.
OPEN_STATES: frozenset[HazardState] = frozenset(
    {
        HazardState.REPORTED,
        HazardState.CONFIRMED,
        HazardState.RECTIFYING,
        HazardState.PENDING_ACCEPTANCE,
    }
)
#: No transition leaves these.
TERMINAL_STATES: frozenset[HazardState] = frozenset({HazardState.CLOSED, HazardState.REJECTED})
#: States in which a past deadline does not make a hazard overdue: pending_acceptance and later,
#: and rejected (DOMAIN.md §3 "Deadline semantics").
NOT_OVERDUE_STATES: frozenset[HazardState] = frozenset(
    {
        HazardState.PENDING_ACCEPTANCE,
        HazardState.ACCEPTED,
        HazardState.CLOSED,
        HazardState.REJECTED,
    }
)


def _coerce(enum_cls: type[LabelledStrEnum], value: Any, field: str) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        raise UnknownChoice(field, value, [m.value for m in enum_cls])


# --------------------------------------------------------------------------------------------
# Transitions
# --------------------------------------------------------------------------------------------


class EnterpriseRole(LabelledStrEnum):
    """Roles of enterprise users that act on hazards."""

    ADMIN = "admin", "企业管理员"
    SAFETY_OFFICER = "safety_officer", "安全管理员"
    PRINCIPAL = "principal", "主要负责人"
    EMPLOYEE = "employee", "职工"


class Transition(NamedTuple):
    """One row of ``TRANSITIONS``: allowed source states, target state, roles allowed to act."""

    from_states: frozenset[HazardState]
    to_state: HazardState
    allowed_roles: frozenset[EnterpriseRole]


_MANAGERS = frozenset({EnterpriseRole.ADMIN, EnterpriseRole.SAFETY_OFFICER, EnterpriseRole.PRINCIPAL})
_EVERYONE = _MANAGERS | {EnterpriseRole.EMPLOYEE}

#: The hazard state machine, action → (from_states, to_state, allowed_roles). DOMAIN.md §3;
#: roles [config]: managers grade, accept and close; whoever fixes may start and submit.
TRANSITIONS: Mapping[str, Transition] = {
    "confirm": Transition(frozenset({HazardState.REPORTED}), HazardState.CONFIRMED, _MANAGERS),
    "reject": Transition(frozenset({HazardState.REPORTED}), HazardState.REJECTED, _MANAGERS),
    "start_rectification": Transition(frozenset({HazardState.CONFIRMED}), HazardState.RECTIFYING, _EVERYONE),
    "submit_for_acceptance": Transition(
        frozenset({HazardState.RECTIFYING}),
        HazardState.PENDING_ACCEPTANCE,
        _EVERYONE,
    ),
    "accept": Transition(frozenset({HazardState.PENDING_ACCEPTANCE}), HazardState.ACCEPTED, _MANAGERS),
    "fail_acceptance": Transition(
        frozenset({HazardState.PENDING_ACCEPTANCE}),
        HazardState.RECTIFYING,
        _MANAGERS,
    ),
    "close": Transition(frozenset({HazardState.ACCEPTED}), HazardState.CLOSED, _MANAGERS),
}

#: Actions that must record why (DOMAIN.md §3: rejection and failed acceptance carry a reason).
REASON_REQUIRED_ACTIONS: frozenset[str] = frozenset({"reject", "fail_acceptance"})

#: Narrower roles for an action on a given grade: a major hazard is accepted by the enterprise
#: principal (DOMAIN.md §3; data/README.md §3, 序号 16).
ROLE_OVERRIDES_BY_GRADE: Mapping[tuple[str, HazardGrade], frozenset[EnterpriseRole]] = {
    ("accept", HazardGrade.MAJOR): frozenset({EnterpriseRole.PRINCIPAL}),
}


class InvalidTransition(RuleError):
    """The action does not apply to the hazard's current state (``code = "invalid_transition"``)."""

    code = "invalid_transition"


class RoleNotAllowed(RuleError):
    """The role may not perform the action (``code = "role_not_allowed"``)."""

    code = "role_not_allowed"


def allowed_roles(action: str, grade: HazardGrade | str | None = None) -> frozenset[EnterpriseRole]:
    """Roles that may perform ``action`` on a hazard of ``grade`` (None: the general rule).
    Raises ``UnknownChoice`` (field "action") for an action not in ``TRANSITIONS``."""
    if action not in TRANSITIONS:
        raise UnknownChoice("action", action, TRANSITIONS)
    if grade is not None:
        override = ROLE_OVERRIDES_BY_GRADE.get((action, _coerce(HazardGrade, grade, "grade")))
        if override is not None:
            return override
    return TRANSITIONS[action].allowed_roles


def check_transition(
    action: str,
    state: HazardState | str,
    role: EnterpriseRole | str,
    *,
    grade: HazardGrade | str | None = None,
) -> HazardState:
    """The state ``action`` leads to from ``state`` when performed by ``role``.

    Raises ``UnknownChoice`` (unknown action/state/role), ``RoleNotAllowed`` (field "role")
    and ``InvalidTransition`` (field "state"). Guards that need more facts (five commitments,
    regulator sign-off) are in ``transition_blockers``. Source: DOMAIN.md §3, STYLE.md."""
    roles = allowed_roles(action, grade)
    current = _coerce(HazardState, state, "state")
    actor = _coerce(EnterpriseRole, role, "role")
    if actor not in roles:
        raise RoleNotAllowed(f"{actor.label}无权执行该操作（{action}）", field="role")
    transition = TRANSITIONS[action]
    if current not in transition.from_states:
        raise InvalidTransition(f"隐患处于“{current.label}”状态，不能执行该操作（{action}）", field="state")
    return transition.to_state


def transition_blockers(
    action: str,
    *,
    grade: HazardGrade | str,
    commitments: Mapping[str, Any] | None = None,
    regulator_supervised: bool = False,
    regulator_signed_off: bool = False,
) -> list[str]:
    """Codes of the conditions that still block ``action`` on a hazard of ``grade``; [] if none.

    - "five_commitments_incomplete": a major hazard cannot enter rectifying before its five
      commitments are all given (see ``missing_commitments`` for which).
    - "regulator_signoff_required": a major hazard under a regulator's 挂牌督办 order cannot be
      closed without the regulator's sign-off.
    Source: DOMAIN.md §3, 安全生产法 2021 §41."""
    level = _coerce(HazardGrade, grade, "grade")
    blockers: list[str] = []
    if level is HazardGrade.MAJOR:
        if action == "start_rectification" and missing_commitments(commitments or {}):
            blockers.append("five_commitments_incomplete")
        if action == "close" and regulator_supervised and not regulator_signed_off:
            blockers.append("regulator_signoff_required")
    return blockers


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------


def deadline_end(day: date) -> datetime:
    """The instant a date deadline ends: 23:59:59.999999 that day, Asia/Shanghai (aware).

    2026-12-01 → 2026-12-01T23:59:59.999999+08:00. Raises ``TypeError`` for a datetime
    (pass its date deliberately). Source: DOMAIN.md §3 "Deadline semantics"."""
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"deadline_end() takes a date, not {type(day).__name__}")
    return datetime.combine(day, time.max, tzinfo=SHANGHAI)


def _require_aware(moment: datetime, field: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RuleError(f"{field} 必须带时区", field=field, code="naive_datetime")


def is_overdue(state: HazardState | str, deadline_date: date | None, now: datetime) -> bool:
    """Whether a hazard is overdue at ``now`` (an aware datetime).

    Overdue = ``now`` is after ``deadline_end(deadline_date)`` and the state is not
    pending_acceptance or later, nor rejected (``NOT_OVERDUE_STATES``). No deadline
    (immediate treatment) is never overdue. Raises ``RuleError`` (code "naive_datetime") for a
    naive ``now`` and ``UnknownChoice`` for an unknown state. Source: DOMAIN.md §3."""
    _require_aware(now, "now")
    current = _coerce(HazardState, state, "state")
    if deadline_date is None or current in NOT_OVERDUE_STATES:
        return False
    return now > deadline_end(deadline_date)


# --------------------------------------------------------------------------------------------
# Five commitments and extensions
# --------------------------------------------------------------------------------------------


class Commitment(NamedTuple):
    """One of the five commitments: the field name we store it under and its Chinese label."""

    field: str
    label: str


#: 五落实 of a major hazard, required before it may enter rectifying (DOMAIN.md §3).
FIVE_COMMITMENTS: tuple[Commitment, ...] = (
    Commitment("measures", "治理措施"),
    Commitment("responsible_person", "责任人"),
    Commitment("funds_yuan", "治理资金（元）"),
    Commitment("deadline", "治理时限"),
    Commitment("contingency_plan", "应急预案及防范措施"),
)


def _positive_amount(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    try:
        amount = (
            Decimal(unicodedata.normalize("NFKC", value).strip())
            if isinstance(value, str)
            else Decimal(str(value))
        )
    except (InvalidOperation, TypeError, ValueError):
        return False
    return amount.is_finite() and amount > 0


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(unicodedata.normalize("NFKC", value).strip())
    if isinstance(value, (list, tuple, set, dict)):
        return bool(value)
    return True


def missing_commitments(values: Mapping[str, Any]) -> list[str]:
    """Field names of ``FIVE_COMMITMENTS`` not given in ``values``, in table order.

    Absent, None, blank strings and empty collections are missing; ``funds_yuan`` must also
    be a positive amount (0 yuan means the funds are not committed). Source: DOMAIN.md §3."""
    missing = []
    for commitment in FIVE_COMMITMENTS:
        value = values.get(commitment.field)
        ok = _positive_amount(value) if commitment.field == "funds_yuan" else _present(value)
        if not ok:
            missing.append(commitment.field)
    return missing


#: How many deadline extensions a hazard may have by grade [config]. A major hazard gets none
#: without the regulator's approval (DOMAIN.md §3 "Deadline semantics").
EXTENSION_CAPS: Mapping[str, int] = {"general": 1, "major": 0}


def extension_allowed(
    grade: HazardGrade | str,
    extensions_so_far: int,
    regulator_approved: bool = False,
    *,
    caps: Mapping[str, int] = EXTENSION_CAPS,
) -> bool:
    """Whether one more deadline extension may be granted.

    Allowed while ``extensions_so_far`` is under the grade's cap; beyond it, a major hazard
    may still be extended when the regulator approved it (general hazards may not).
    The approver must differ from the requester — a service check, not decided here.
    Source: DOMAIN.md §3 [config]."""
    level = _coerce(HazardGrade, grade, "grade")
    if extensions_so_far < caps[level.value]:
        return True
    return level is HazardGrade.MAJOR and regulator_approved


# --------------------------------------------------------------------------------------------
# Major-hazard judgement checklists
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    """One criterion of a major-hazard checklist: its number in the document and its text."""

    no: int
    text: str


#: Short alias used in the design notes.
Item = ChecklistItem


@dataclass(frozen=True)
class Checklist:
    """A versioned set of official criteria: any ticked item makes a hazard major."""

    code: str
    title: str
    source: str
    version: str
    items: tuple[ChecklistItem, ...]

    def item(self, no: int) -> ChecklistItem | None:
        return next((item for item in self.items if item.no == no), None)


_CHEM_2017_ITEMS = (
    "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格。",
    "特种作业人员未持证上岗。",
    "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求。",
    "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化控制系统、"
    "紧急停车系统未投入使用。",
    "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的一级、"
    "二级重大危险源的危险化学品罐区未配备独立的安全仪表系统。",
    "全压力式液化烃储罐未按国家标准设置注水措施。",
    "液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装未使用万向管道充装系统。",
    "光气、氯气等剧毒气体及硫化氢气体管道穿越除厂区（包括化工园区、工业园区）外的公共区域。",
    "地区架空电力线路穿越生产区且不符合国家标准要求。",
    "在役化工装置未经正规设计且未进行安全设计诊断。",
    "使用淘汰落后安全技术工艺、设备目录列出的工艺、设备。",
    "涉及可燃和有毒有害气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国家标准安装使用防爆电气设备。",
    "控制室或机柜间面向具有火灾、爆炸危险性装置一侧不满足国家标准关于防火防爆的要求。",
    "化工生产装置未按国家标准要求设置双重电源供电，自动化控制系统未设置不间断电源。",
    "安全阀、爆破片等安全附件未正常投用。",
    "未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度。",
    "未制定操作规程和工艺控制指标。",
    "未按照国家标准制定动火、进入受限空间等特殊作业管理制度，或者制度未有效执行。",
    "新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产；国内首次使用的化工工艺未经过"
    "省级人民政府有关部门组织的安全可靠性论证；新建装置未制定试生产方案投料开车；精细化工企业未按规范性文件"
    "要求开展反应安全风险评估。",
    "未按国家标准分区分类储存危险化学品，超量、超品种储存危险化学品，相互禁配物质混放混存。",
)

#: Major-hazard judgement checklists by code. "chem-2017": 安监总管三〔2017〕121号 [std];
#: items 1–14 checked against a published reprint, 15–20 written from the document as
#: remembered — re-check against the official text. The 工贸 2023 list (应急管理部令第10号)
#: is to be added as a second rule set.
MAJOR_HAZARD_CHECKLISTS: Mapping[str, Checklist] = {
    "chem-2017": Checklist(
        code="chem-2017",
        title="化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
        source="安监总管三〔2017〕121号",
        version="2017（试行）",
        items=tuple(ChecklistItem(no, text) for no, text in enumerate(_CHEM_2017_ITEMS, start=1)),
    ),
}


class UnknownChecklistItem(RuleError):
    """An item number that is not in the checklist (``code = "unknown_item"``)."""

    code = "unknown_item"


def _item_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        return int(text) if text.isdigit() else None
    return None


def judge_major(
    checklist_code: str, ticked_item_numbers: Iterable[int | str]
) -> tuple[bool, tuple[ChecklistItem, ...]]:
    """Judge a hazard against a checklist: ``(is_major, ticked items sorted by number)``.

    Any ticked item makes the hazard major; none ticked → ``(False, ())``. Duplicates are
    ignored. Raises ``UnknownChoice`` (field "checklist") for an unknown checklist and
    ``UnknownChecklistItem`` (field "items") for a number not in it. Source: DOMAIN.md §3."""
    checklist = MAJOR_HAZARD_CHECKLISTS.get(checklist_code)
    if checklist is None:
        raise UnknownChoice("checklist", checklist_code, MAJOR_HAZARD_CHECKLISTS)
    found: dict[int, ChecklistItem] = {}
    for raw in ticked_item_numbers:
        number = _item_number(raw)
        item = checklist.item(number) if number is not None else None
        if item is None:
            raise UnknownChecklistItem(f"{checklist.title}中没有第 {raw!r} 项", field="items")
        found[item.no] = item
    items = tuple(found[no] for no in sorted(found))
    return bool(items), items


# --------------------------------------------------------------------------------------------
# Repeated hazards → reassessment
# --------------------------------------------------------------------------------------------

#: Hazards found ``count`` times within ``window_days`` at the same risk point/measure mean its
#: assessment no longer holds: reassess the risk [config].
REASSESSMENT_TRIGGER: Mapping[str, int] = {"count": 3, "window_days": 90}


def _local_date(value: date, field: str) -> date:
    if isinstance(value, datetime):
        _require_aware(value, field)
        return value.astimezone(SHANGHAI).date()
    return value


def needs_reassessment(
    hazard_found_dates: Iterable[date],
    now: datetime | date,
    *,
    trigger: Mapping[str, int] = REASSESSMENT_TRIGGER,
) -> bool:
    """Whether hazards found at one risk point/measure are frequent enough to reassess it.

    True when at least ``trigger["count"]`` of ``hazard_found_dates`` (dates, or aware
    datetimes read in Asia/Shanghai) fall in the last ``trigger["window_days"]`` calendar
    days up to and including today (the local date of ``now``); future dates do not count.
    Raises ``RuleError`` (code "naive_datetime") for naive datetimes. [config]"""
    today = _local_date(now, "now")
    start = today - timedelta(days=trigger["window_days"] - 1)
    recent = sum(1 for found in hazard_found_dates if start <= _local_date(found, "found") <= today)
    return recent >= trigger["count"]


# --------------------------------------------------------------------------------------------
# Ledger value parsers (data/README.md §3)
# --------------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)  # Excel 1900 date system, serials from 61 (1900-03-01) on
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
_NUMERIC_DATE = re.compile(
    r"^(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_CHINESE_DATE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?$")


def _ledger_error(field: str, value: Any, what: str, code: str) -> RuleError:
    return RuleError(f"{field} 的值 {value!r} 不是可识别的{what}", field=field, code=code)


def _excel_serial_date(serial: float, field: str) -> date:
    if not math.isfinite(serial) or not 1 <= serial <= _EXCEL_MAX_SERIAL or int(serial) == 60:
        raise RuleError(f"{field} 的 Excel 日期序号 {serial!r} 超出范围", field=field, code="invalid_date")
    whole = int(serial)
    # Excel counts a non-existent 1900-02-29 (serial 60); serials before it are one day off.
    epoch = _EXCEL_EPOCH if whole > 60 else _EXCEL_EPOCH + timedelta(days=1)
    return epoch + timedelta(days=whole)


def parse_ledger_date(value: Any, *, field: str = "date") -> date:
    """A calendar date from a ledger cell, however the clerk typed it.

    Accepts ``date``; ``datetime`` (aware ones read in Asia/Shanghai); Excel serial numbers
    (int/float, 1900 date system, time fraction dropped); and text, NFKC-normalised first
    (full-width digits): "2026.06.03", "2026/10/13", "2026/4/30", "2026-11-10" (optionally
    followed by a time), "2026年9月2日". Raises ``RuleError`` (code "invalid_date", ``field``)
    for anything else, including blanks and impossible dates. Source: data/README.md §3."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value.astimezone(SHANGHAI).date()
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial_date(value, field)
    if not isinstance(value, str):
        raise _ledger_error(field, value, "日期", "invalid_date")
    text = unicodedata.normalize("NFKC", value).strip()
    match = _NUMERIC_DATE.match(text) or _CHINESE_DATE.match(re.sub(r"\s+", "", text))
    if match is None:
        raise _ledger_error(field, value, "日期", "invalid_date")
    year, month, day = (int(match[part]) for part in ("y", "m", "d"))
    try:
        return date(year, month, day)
    except ValueError:
        raise RuleError(f"{field} 的值 {value!r} 不是有效日期", field=field, code="invalid_date")


#: The text a ledger writes in 整改期限 for a hazard fixed on the spot (data/README.md §3).
IMMEDIATE_MARK = "即查即改"


def parse_ledger_deadline(value: Any, found: Any) -> tuple[HazardTreatment, date]:
    """Treatment and deadline from a ledger's 整改期限 cell.

    "即查即改" → ``(IMMEDIATE, found date)``; anything else → ``(DEADLINE, parsed date)``.
    ``found`` is the 排查日期 cell (any form ``parse_ledger_date`` takes). Raises ``RuleError``
    (code "invalid_date", field "deadline" or "found"). Source: data/README.md §3."""
    if isinstance(value, str) and unicodedata.normalize("NFKC", value).strip() == IMMEDIATE_MARK:
        return HazardTreatment.IMMEDIATE, parse_ledger_date(found, field="found")
    return HazardTreatment.DEADLINE, parse_ledger_date(value, field="deadline")


def _clean(value: Any) -> str | None:
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else None


#: Written grades → grade (隐患级别 column).
GRADE_FORMS: Mapping[str, HazardGrade] = {
    **{form: HazardGrade.GENERAL for form in ("一般隐患", "一般事故隐患", "一般", "general")},
    **{form: HazardGrade.MAJOR for form in ("重大隐患", "重大事故隐患", "重大", "major")},
}


def parse_grade(text: Any) -> HazardGrade:
    """Grade from "一般隐患" / "重大隐患" (also 一般/重大, …事故隐患, or the code).
    Raises ``RuleError`` (code "invalid_grade", field "grade"). Source: data/README.md §3."""
    grade = GRADE_FORMS.get(_clean(text) or "")
    if grade is None:
        raise _ledger_error("grade", text, "隐患级别", "invalid_grade")
    return grade


def parse_type(text: Any) -> HazardType:
    """Type from its Chinese name with or without a trailing 类 ("安全", "安全类", 其他/其它)
    or the code. Raises ``RuleError`` (code "invalid_type", field "type"). data/README.md §3."""
    cleaned = (_clean(text) or "").removesuffix("类").replace("其它", "其他")
    for hazard_type in HazardType:
        if cleaned in (hazard_type.label, hazard_type.value):
            return hazard_type
    raise _ledger_error("type", text, "隐患类别", "invalid_type")


#: 排查类型 prefixes → source. Longer prefixes are tried first (data/README.md §3 for the ledger
#: forms; the national names and our platform sources are accepted too).
SOURCE_PREFIXES: Mapping[str, HazardSource] = {
    "日常": HazardSource.DAILY,
    "综合": HazardSource.COMPREHENSIVE,
    "专业": HazardSource.SPECIALIST,
    "季节性": HazardSource.SEASONAL,
    "节假日前": HazardSource.KEY_PERIOD,
    "重点时段": HazardSource.KEY_PERIOD,
    "事故类比": HazardSource.ACCIDENT_ANALOGY,
    "节后复工前": HazardSource.RESUMPTION,
    "复产复工前": HazardSource.RESUMPTION,
    "外聘专家诊断": HazardSource.OUTSIDE_EXPERT,
    "管控措施失效": HazardSource.MEASURE_FAILED,
    "职工报告": HazardSource.EMPLOYEE_REPORT,
    "监管检查": HazardSource.INSPECTOR,
    "吹哨人": HazardSource.WHISTLEBLOWER,
}


def parse_source(text: Any) -> HazardSource:
    """Source from a ledger's 排查类型 by prefix: 日常 1, 综合 2, 专业 3 (the bracketed
    discipline is detail), 季节性 4, 节假日前 5, 事故类比 6, 节后复工前 7, 外聘专家诊断 8.
    Raises ``RuleError`` (code "invalid_source", field "source"). Source: data/README.md §3."""
    cleaned = _clean(text) or ""
    for prefix in sorted(SOURCE_PREFIXES, key=len, reverse=True):
        if cleaned.startswith(prefix):
            return SOURCE_PREFIXES[prefix]
    raise _ledger_error("source", text, "排查类型", "invalid_source")


#: Ledger 状态 / 治理状态 text → state; "已整改" depends on whether acceptance is recorded.
LEDGER_STATES: Mapping[str, HazardState] = {
    "已验收": HazardState.ACCEPTED,
    "待验收": HazardState.PENDING_ACCEPTANCE,
    "整改中": HazardState.RECTIFYING,
    "逾期未整改": HazardState.RECTIFYING,
    "治理中": HazardState.RECTIFYING,
    "已销号": HazardState.CLOSED,
    "已整改销号": HazardState.CLOSED,
    # written by our own export for platform states a paper ledger has no word for
    "已上报": HazardState.REPORTED,
    "已确认": HazardState.CONFIRMED,
    "已驳回": HazardState.REJECTED,
}

#: 状态 text our ledger export writes per state (accepted is written 已整改 with its acceptor;
#: an overdue rectifying hazard 逾期未整改). Each label re-imports to the same state.
LEDGER_EXPORT_LABELS: Mapping[HazardState, str] = {
    HazardState.REPORTED: "已上报",
    HazardState.CONFIRMED: "已确认",
    HazardState.RECTIFYING: "整改中",
    HazardState.PENDING_ACCEPTANCE: "待验收",
    HazardState.ACCEPTED: "已整改",
    HazardState.CLOSED: "已销号",
    HazardState.REJECTED: "已驳回",
}


def parse_ledger_state(text: Any, has_acceptance: bool) -> HazardState:
    """Lifecycle state from a ledger 状态 cell.

    已整改 → accepted when the row records an acceptance (验收人/验收日期), otherwise
    pending_acceptance (fixed, not yet verified); 待验收 → pending_acceptance; 整改中 and
    逾期未整改 → rectifying (overdue is computed from the deadline, never read from the label).
    Raises ``RuleError`` (code "invalid_state", field "state"). Source: data/README.md §3."""
    cleaned = _clean(text) or ""
    if cleaned == "已整改":
        return HazardState.ACCEPTED if has_acceptance else HazardState.PENDING_ACCEPTANCE
    state = LEDGER_STATES.get(cleaned)
    if state is None:
        raise _ledger_error("state", text, "隐患状态", "invalid_state")
    return state


# --------------------------------------------------------------------------------------------
# Deadline horizon
# --------------------------------------------------------------------------------------------

#: Latest rectification deadline accepted, in days after the day it is set [config]: a deadline
#: years away is a typing error, and escalation arithmetic must stay within the calendar.
MAX_DEADLINE_HORIZON_DAYS = 5 * 366


def deadline_within_horizon(deadline: date, today: date) -> bool:
    """True when ``deadline`` is at most ``MAX_DEADLINE_HORIZON_DAYS`` after ``today`` [config]."""
    return (deadline - today).days <= MAX_DEADLINE_HORIZON_DAYS
