"""Code tables of hidden dangers (隐患): grade, treatment, source, type and cause, with the codes
of the national data interface (DOMAIN.md §3 [std]). Pure: no Django, no database."""

from __future__ import annotations

from typing import Any

from backend.core.rules import LabelledStrEnum
from compliance.rules.assessment import UnknownChoice


def to_member(enum_cls: type[LabelledStrEnum], value: Any, field: str) -> Any:
    """``enum_cls(value)``; raises ``UnknownChoice`` (code "invalid_choice", ``field``) otherwise."""
    try:
        return enum_cls(value)
    except ValueError:
        raise UnknownChoice(field, value, [m.value for m in enum_cls]) from None


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
