"""Risk assessment rules (风险分级管控) as data tables plus small pure functions.

Source: DOMAIN.md §2 unless a docstring says otherwise. Each table says how sure we are of it,
using DOMAIN.md's tags: [std] read in the standard or several independent sources; [probable]
one public digest; [config] a default a deployment may override (pass its own table to the
function that takes one). No Django, no database: everything here is importable from a
management command, a Celery task, an importer or a test alike.

Errors are subclasses of the kernel's ``RuleError`` (``backend.core.rules``) carrying an English
``code``, the input ``field`` they concern (when there is one) and a Chinese ``message``, so
``backend.core.errors.from_rule`` maps any of them to a 400 body without parsing prose.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.core.rules import LabelledStrEnum, RuleError

# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class OffScaleValue(RuleError):
    """A score input that is not one of the values of its scale (``code = "off_scale"``).

    ``field`` is the input name ("l", "e", "c", "s", "m"), ``value`` what was given and
    ``allowed`` the scale (tuple of Decimal)."""

    default_code = "off_scale"

    def __init__(self, field: str, value: Any, allowed: Iterable[Decimal]) -> None:
        self.value = value
        self.allowed = tuple(allowed)
        shown = "、".join(str(v) for v in self.allowed)
        super().__init__(f"{field.upper()} 的取值 {value!r} 不在标度上，允许值：{shown}", field=field)


class MissingInput(RuleError):
    """A required score input is absent, None or blank (``code = "required"``)."""

    default_code = "required"

    def __init__(self, field: str) -> None:
        super().__init__(f"缺少 {field.upper()} 的取值", field=field)


class UnknownMethod(RuleError):
    """An assessment method other than those in ``METHODS`` (``code = "unknown_method"``)."""

    default_code = "unknown_method"

    def __init__(self, method: Any) -> None:
        self.value = method
        known = "、".join(METHODS)
        super().__init__(f"未知的风险评价方法 {method!r}，可选：{known}", field="method")


class UnknownChoice(RuleError):
    """A code that is not in the table it must come from (``code = "invalid_choice"``)."""

    default_code = "invalid_choice"

    def __init__(self, field: str, value: Any, allowed: Iterable[str]) -> None:
        self.value = value
        self.allowed = tuple(allowed)
        super().__init__(f"{field} 的取值 {value!r} 无效，可选：{'、'.join(self.allowed)}", field=field)


class UnknownAccidentType(RuleError):
    """A word that is not one of the 20 GB 6441 accident types (``code = "unknown_accident_type"``)."""

    default_code = "unknown_accident_type"

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(f"“{value}”不是 GB 6441 规定的事故类型", field="accident_types")


# --------------------------------------------------------------------------------------------
# Labelled enums
# --------------------------------------------------------------------------------------------


# ``LabelledStrEnum`` (members ``NAME = value, label, *extra``) is the kernel's one labelled enum.


# --------------------------------------------------------------------------------------------
# Risk levels
# --------------------------------------------------------------------------------------------


class RiskLevel(LabelledStrEnum):
    """Four-colour risk level [std], DOMAIN.md §2.

    Attributes: ``label`` (重大/较大/一般/低), ``colour`` (red/orange/yellow/blue) and
    ``national_code`` (1–4, the data-exchange code; 1 is the most severe)."""

    colour: str
    national_code: int

    MAJOR = "major", "重大", "red", 1
    HIGH = "high", "较大", "orange", 2
    MODERATE = "moderate", "一般", "yellow", 3
    LOW = "low", "低", "blue", 4

    def _init_extra(self, colour: str, national_code: int) -> None:
        self.colour = colour
        self.national_code = national_code

    @classmethod
    def from_national(cls, code: int) -> RiskLevel:
        """Level for a national code 1–4; raises ``UnknownChoice`` otherwise."""
        for level in cls:
            if level.national_code == code:
                return level
        raise UnknownChoice("risk_level", code, [str(m.national_code) for m in cls])


def to_risk_level(value: RiskLevel | str) -> RiskLevel:
    """Coerce a level code ("major", …) or member to ``RiskLevel``; raises ``UnknownChoice``."""
    try:
        return RiskLevel(value)
    except ValueError:
        raise UnknownChoice("risk_level", value, [m.value for m in RiskLevel])


def level_rank(level: RiskLevel | str) -> int:
    """Severity rank: major 4, high 3, moderate 2, low 1 (higher is more severe).

    Note it runs opposite to ``national_code``. Raises ``UnknownChoice`` for a non-level."""
    return 5 - to_risk_level(level).national_code


def highest_level(levels: Iterable[RiskLevel | str | None]) -> RiskLevel | None:
    """The most severe of ``levels`` (None and "" entries ignored); None if there are none.

    DOMAIN.md §2: a risk point's four-colour level is the highest level among its risk events."""
    present = [to_risk_level(level) for level in levels if level is not None and level != ""]
    return max(present, key=level_rank, default=None)


# --------------------------------------------------------------------------------------------
# Scales, bands and methods
# --------------------------------------------------------------------------------------------


def _scale(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


#: LEC likelihood L [std], from "expected" (10) down to "practically impossible" (0.1).
LEC_L_SCALE: tuple[Decimal, ...] = _scale("10", "6", "3", "1", "0.5", "0.2", "0.1")
#: LEC exposure E [std]: 10 continuous … 0.5 very rare.
LEC_E_SCALE: tuple[Decimal, ...] = _scale("10", "6", "3", "2", "1", "0.5")
#: LEC consequence C [std]: 100 ≥10 deaths … 1 first aid.
LEC_C_SCALE: tuple[Decimal, ...] = _scale("100", "40", "15", "7", "3", "1")

#: LS likelihood and severity: integers 1–5 each [config, DB37/T 2882 as recalled].
LS_L_SCALE: tuple[Decimal, ...] = _scale("1", "2", "3", "4", "5")
LS_S_SCALE: tuple[Decimal, ...] = _scale("1", "2", "3", "4", "5")

#: MES: M is the state of control measures (1 effective, 3 mitigating only, 5 none);
#: E is LEC's exposure scale; S the severity [config].
MES_M_SCALE: tuple[Decimal, ...] = _scale("1", "3", "5")
MES_E_SCALE: tuple[Decimal, ...] = LEC_E_SCALE
MES_S_SCALE: tuple[Decimal, ...] = _scale("1", "2", "4", "8", "10")

#: What each LEC / MES-M value means, for pick lists and printed registers (DOMAIN.md §2).
SCALE_MEANINGS: Mapping[str, Mapping[str, Mapping[Decimal, str]]] = {
    "lec": {
        "l": {
            Decimal("10"): "完全可以预料",
            Decimal("6"): "相当可能",
            Decimal("3"): "可能，但不经常",
            Decimal("1"): "可能性小，完全意外",
            Decimal("0.5"): "很不可能，可以设想",
            Decimal("0.2"): "极不可能",
            Decimal("0.1"): "实际不可能",
        },
        "e": {
            Decimal("10"): "连续暴露",
            Decimal("6"): "每天工作时间内暴露",
            Decimal("3"): "每周一次或偶然暴露",
            Decimal("2"): "每月一次暴露",
            Decimal("1"): "每年几次暴露",
            Decimal("0.5"): "非常罕见地暴露",
        },
        "c": {
            Decimal("100"): "大灾难，10人及以上死亡",
            Decimal("40"): "灾难，数人死亡",
            Decimal("15"): "非常严重，一人死亡",
            Decimal("7"): "严重，重伤",
            Decimal("3"): "重大，致残",
            Decimal("1"): "引人注目，需要救护",
        },
    },
    "mes": {
        "m": {
            Decimal("1"): "控制措施有效",
            Decimal("3"): "仅有减轻后果的措施",
            Decimal("5"): "无控制措施",
        },
    },
}


@dataclass(frozen=True)
class Band:
    """One band of a banding table: scores above ``floor`` (or at it, when ``inclusive``)
    get ``level``. ``floor=None`` is the catch-all lowest band."""

    level: RiskLevel
    floor: Decimal | None
    inclusive: bool = True

    def contains(self, score: Decimal) -> bool:
        if self.floor is None:
            return True
        return score >= self.floor if self.inclusive else score > self.floor


#: LEC bands [std], classic Graham–Kinney, upper bound inclusive: D > 320 major;
#: 160 < D ≤ 320 high; 70 < D ≤ 160 moderate; D ≤ 70 low (so D = 70 is low).
LEC_BANDS: tuple[Band, ...] = (
    Band(RiskLevel.MAJOR, Decimal(320), inclusive=False),
    Band(RiskLevel.HIGH, Decimal(160), inclusive=False),
    Band(RiskLevel.MODERATE, Decimal(70), inclusive=False),
    Band(RiskLevel.LOW, None),
)

#: LS bands [config, DB37/T 2882 as recalled]: R 20–25 major; 15–16 high; 9–12 moderate;
#: 1–8 low. (Another public implementation uses 17–25 / 11–16 / 5–10 / 1–4.)
LS_BANDS: tuple[Band, ...] = (
    Band(RiskLevel.MAJOR, Decimal(20)),
    Band(RiskLevel.HIGH, Decimal(15)),
    Band(RiskLevel.MODERATE, Decimal(9)),
    Band(RiskLevel.LOW, None),
)

#: MES bands [config]: R ≥ 180 major; 90 ≤ R < 180 high; 50 ≤ R < 90 moderate; R < 50 low.
MES_BANDS: tuple[Band, ...] = (
    Band(RiskLevel.MAJOR, Decimal(180)),
    Band(RiskLevel.HIGH, Decimal(90)),
    Band(RiskLevel.MODERATE, Decimal(50)),
    Band(RiskLevel.LOW, None),
)


@dataclass(frozen=True)
class Method:
    """An assessment method: its inputs (in formula order) with their scales, and its bands.
    The score is the product of the inputs."""

    code: str
    label: str
    formula: str
    scales: Mapping[str, tuple[Decimal, ...]]
    bands: tuple[Band, ...]


#: The assessment methods by code (DOMAIN.md §2).
METHODS: Mapping[str, Method] = {
    "lec": Method(
        "lec",
        "作业条件危险性分析法（LEC）",
        "D = L × E × C",
        {"l": LEC_L_SCALE, "e": LEC_E_SCALE, "c": LEC_C_SCALE},
        LEC_BANDS,
    ),
    "ls": Method(
        "ls",
        "风险矩阵分析法（LS）",
        "R = L × S",
        {"l": LS_L_SCALE, "s": LS_S_SCALE},
        LS_BANDS,
    ),
    "mes": Method(
        "mes",
        "MES评价法",
        "R = M × E × S",
        {"m": MES_M_SCALE, "e": MES_E_SCALE, "s": MES_S_SCALE},
        MES_BANDS,
    ),
}


@dataclass(frozen=True)
class Assessment:
    """Result of an assessment: ``score`` (D or R, a Decimal product of scale values) and
    the ``level`` its band gives."""

    score: Decimal
    level: RiskLevel


def band_level(score: Decimal | int | str, bands: Iterable[Band]) -> RiskLevel:
    """The level of the first band (most severe first) that contains ``score``.

    ``bands`` must end with a catch-all band (``floor=None``); raises ``ValueError`` if no
    band matches. ``score`` may be a Decimal, int or numeric string."""
    value = Decimal(score) if not isinstance(score, Decimal) else score
    for band in bands:
        if band.contains(value):
            return band.level
    raise ValueError(f"no band contains score {value}")


def _to_decimal(value: Any) -> Decimal | None:
    """Decimal for an int/float/str/Decimal input, or None if it is not a finite number.

    Floats go through ``str()`` so 0.1 becomes Decimal("0.1"), not its binary expansion;
    strings are NFKC-normalised first (full-width ``３`` typed into registers)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        try:
            number = Decimal(unicodedata.normalize("NFKC", value).strip())
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def on_scale(field: str, value: Any, scale: Iterable[Decimal]) -> Decimal:
    """The scale value equal to ``value`` (compared as Decimal), e.g. ``on_scale("l", 0.5,
    LEC_L_SCALE) == Decimal("0.5")``. Raises ``OffScaleValue(field, value, scale)``."""
    allowed = tuple(scale)
    number = _to_decimal(value)
    if number is not None:
        for candidate in allowed:
            if candidate == number:
                return candidate
    raise OffScaleValue(field, value, allowed)


def _assess(method: Method, inputs: Mapping[str, Any], bands: Iterable[Band] | None) -> Assessment:
    score = Decimal(1)
    for field, scale in method.scales.items():
        score *= on_scale(field, inputs[field], scale)
    return Assessment(score=score, level=band_level(score, method.bands if bands is None else bands))


def assess_lec(l: Any, e: Any, c: Any, *, bands: Iterable[Band] | None = None) -> Assessment:  # noqa: E741
    """LEC (作业条件危险性分析): D = L × E × C, banded by ``LEC_BANDS`` [std].

    Inputs: int/float/str/Decimal on ``LEC_L_SCALE`` / ``LEC_E_SCALE`` / ``LEC_C_SCALE``.
    Returns ``Assessment(score=D, level)``; e.g. (0.5, 3, 15) → D 22.5, low.
    Raises ``OffScaleValue`` with ``field`` "l", "e" or "c". Source: DOMAIN.md §2, Graham–Kinney."""
    return _assess(METHODS["lec"], {"l": l, "e": e, "c": c}, bands)


def assess_ls(l: Any, s: Any, *, bands: Iterable[Band] | None = None) -> Assessment:  # noqa: E741
    """LS (风险矩阵): R = L × S with L, S integers 1–5, banded by ``LS_BANDS`` [config].

    Raises ``OffScaleValue`` with ``field`` "l" or "s". Source: DOMAIN.md §2 (DB37/T 2882 as recalled)."""
    return _assess(METHODS["ls"], {"l": l, "s": s}, bands)


def assess_mes(m: Any, e: Any, s: Any, *, bands: Iterable[Band] | None = None) -> Assessment:
    """MES: R = M × E × S (M ∈ {1,3,5}, E as LEC, S ∈ {1,2,4,8,10}), banded by ``MES_BANDS``
    [config]. Raises ``OffScaleValue`` with ``field`` "m", "e" or "s". Source: DOMAIN.md §2."""
    return _assess(METHODS["mes"], {"m": m, "e": e, "s": s}, bands)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not unicodedata.normalize("NFKC", value).strip())


def assess(method: str, inputs: Mapping[str, Any], *, bands: Iterable[Band] | None = None) -> Assessment:
    """Assess with ``method`` ("lec", "ls" or "mes", case-insensitive) and ``inputs`` keyed by
    the lower-case field names of ``METHODS[method].scales`` (extra keys are ignored).

    Raises ``UnknownMethod`` (field "method"), ``MissingInput`` (code "required") for an
    absent, None or blank input, and ``OffScaleValue`` for a value not on its scale.
    ``bands`` overrides the method's default bands (a deployment's own table)."""
    spec = METHODS.get(method.strip().lower()) if isinstance(method, str) else None
    if spec is None:
        raise UnknownMethod(method)
    for field in spec.scales:
        if _is_blank(inputs.get(field)):
            raise MissingInput(field)
    return _assess(spec, inputs, bands)


def band_text(score_name: str, level: RiskLevel, bands: Iterable[Band]) -> str:
    """The range of ``level``'s band written out, e.g. ``"160 < D ≤ 320"``, ``"R ≥ 20"`` or
    ``"D ≤ 70"`` (``score_name`` is the formula's letter). Source: the band tables above."""
    ordered = tuple(bands)
    for i, band in enumerate(ordered):
        if band.level != level:
            continue
        upper = ordered[i - 1].floor if i > 0 else None
        upper_op = "<" if i > 0 and ordered[i - 1].inclusive else "≤"
        if band.floor is None:
            return f"{score_name} {upper_op} {upper}" if upper is not None else score_name
        low_op = "≤" if band.inclusive else "<"
        if upper is None:
            return f"{score_name} {'≥' if band.inclusive else '>'} {band.floor}"
        return f"{band.floor} {low_op} {score_name} {upper_op} {upper}"
    return score_name


def assessment_reasons(method: str, inputs: Mapping[str, Any], result: Assessment,
                       direct_major_reason: str | None = None) -> list[str]:
    """Why an assessment came out as it did, in Chinese, one line each: the product
    (``"D = L × E × C = 6 × 6 × 7 = 252"``), the band (``"160 < D ≤ 320 → 较大"``) and, when
    ``direct_major_reason`` is one of ``DIRECT_MAJOR_REASONS``, the direct-重大 line.
    ``inputs`` are the values ``assess`` accepted. Source: DOMAIN.md §2."""
    spec = METHODS[method.strip().lower()]
    letter = spec.formula.split("=")[0].strip()
    values = " × ".join(f"{on_scale(k, inputs[k], spec.scales[k]).normalize():f}" for k in spec.scales)
    lines = [f"{spec.formula} = {values} = {result.score.normalize():f}",
             f"{band_text(letter, result.level, spec.bands)} → {result.level.label}"]
    if direct_major_reason:
        lines.append(f"直接判定重大：{DIRECT_MAJOR_REASONS[direct_major_reason]}")
    return lines


# --------------------------------------------------------------------------------------------
# Direct 重大 without scoring
# --------------------------------------------------------------------------------------------

#: Conditions that make a risk 重大 whatever its score [config, DB37/T 2882 as recalled].
DIRECT_MAJOR_REASONS: Mapping[str, str] = {
    "law_breach": "违反法律法规或强制性标准",
    "past_accident": "发生过死亡/重伤事故且条件未消除",
    "major_hazard_source": "含重大危险源",
    "crowded_site": "≥10人在火灾爆炸中毒风险场所作业",
}


def apply_direct_major(level: RiskLevel | str, reason_code: str | None) -> RiskLevel:
    """The level after the direct-重大 rule: ``MAJOR`` when ``reason_code`` is one of
    ``DIRECT_MAJOR_REASONS``, otherwise ``level`` unchanged (None or "" means no reason).

    Raises ``UnknownChoice`` (field "direct_major_reason") for an unknown reason code.
    Source: DOMAIN.md §2 [config]."""
    current = to_risk_level(level)
    if reason_code is None or reason_code == "":
        return current
    if reason_code not in DIRECT_MAJOR_REASONS:
        raise UnknownChoice("direct_major_reason", reason_code, DIRECT_MAJOR_REASONS)
    return RiskLevel.MAJOR


# --------------------------------------------------------------------------------------------
# Control levels
# --------------------------------------------------------------------------------------------


class ControlLevel(LabelledStrEnum):
    """管控层级, declared from the top down (DOMAIN.md §1, §2)."""

    COMPANY = "company", "公司级"
    DEPARTMENT = "department", "车间级"
    TEAM = "team", "班组级"
    POST = "post", "岗位级"


#: Default control level of a risk [config], DOMAIN.md §2.
DEFAULT_CONTROL_LEVEL_BY_RISK: Mapping[RiskLevel, ControlLevel] = {
    RiskLevel.MAJOR: ControlLevel.COMPANY,
    RiskLevel.HIGH: ControlLevel.DEPARTMENT,
    RiskLevel.MODERATE: ControlLevel.TEAM,
    RiskLevel.LOW: ControlLevel.POST,
}


def control_levels_for(
    level: RiskLevel | ControlLevel | str,
    mapping: Mapping[RiskLevel, ControlLevel] = DEFAULT_CONTROL_LEVEL_BY_RISK,
) -> tuple[ControlLevel, ...]:
    """Every control level that controls a risk: its own and every level below, top down.

    ``level`` is a risk level (its own control level comes from ``mapping``) or a control
    level itself, e.g. ``control_levels_for("high") == (DEPARTMENT, TEAM, POST)``.
    Raises ``UnknownChoice`` for anything else. Source: DOMAIN.md §2 [config]."""
    if isinstance(level, ControlLevel) or level in ControlLevel._value2member_map_:
        own = ControlLevel(level)
    else:
        own = mapping[to_risk_level(level)]
    order = list(ControlLevel)
    return tuple(order[order.index(own) :])


def parse_control_level(text: str | None) -> ControlLevel | None:
    """Control level for a register cell (公司级/车间级/班组级/岗位级, or the code), else None."""
    if not isinstance(text, str):
        return None
    key = unicodedata.normalize("NFKC", text).strip()
    for level in ControlLevel:
        if key in (level.label, level.value):
            return level
    return None


# --------------------------------------------------------------------------------------------
# Written levels in registers
# --------------------------------------------------------------------------------------------

#: Every written form of a level found in registers (data/README.md §2), keyed after
#: normalisation (NFKC, whitespace removed, casefolded: Ⅲ级 → "iii级").
WRITTEN_LEVEL_FORMS: Mapping[str, RiskLevel] = {
    form.casefold(): level
    for level, forms in {
        RiskLevel.MAJOR: ("重大风险", "重大", "红", "红色", "1级", "一级", "I级"),
        RiskLevel.HIGH: ("较大风险", "较大", "橙", "橙色", "2级", "二级", "II级"),
        RiskLevel.MODERATE: ("一般风险", "一般", "黄", "黄色", "3级", "三级", "III级"),
        RiskLevel.LOW: ("低风险", "低", "蓝", "蓝色", "4级", "四级", "IV级"),
    }.items()
    for form in (*forms, level.value)
}

_WHITESPACE = re.compile(r"\s+")


def parse_written_level(text: str | None) -> RiskLevel | None:
    """The level a register cell writes (重大风险, 红, 红色, 1级, 一级, Ⅰ级, I级, … 蓝色, 低风险,
    or the code "major" …), or None when the text is not a known form.

    NFKC first (full-width digits, Ⅲ → III), then whitespace removed and case folded.
    Source: data/README.md §2."""
    if not isinstance(text, str):
        return None
    key = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return WRITTEN_LEVEL_FORMS.get(key)


# --------------------------------------------------------------------------------------------
# Control-measure categories
# --------------------------------------------------------------------------------------------


class MeasureCategory(LabelledStrEnum):
    """Our five control-measure categories [probable], the register's five measure columns."""

    ENGINEERING = "engineering", "工程技术"
    MANAGEMENT = "management", "管理"
    TRAINING = "training", "培训教育"
    PPE = "ppe", "个体防护"
    EMERGENCY = "emergency", "应急处置"


#: National data interface ``classify1`` codes for measures (DOMAIN.md §2).
MEASURE_CLASSIFY1: Mapping[int, str] = {
    1: "工程技术",
    2: "维护保养",
    3: "操作行为",
    4: "应急措施",
}

#: Our category → national classify1 for export [config]. The national scheme files PPE
#: under 应急措施 and people's qualifications / operating records under 操作行为 (as
#: recalled); 维护保养 has no counterpart column in registers, so nothing maps to it by default.
CLASSIFY1_BY_CATEGORY: Mapping[MeasureCategory, int] = {
    MeasureCategory.ENGINEERING: 1,
    MeasureCategory.MANAGEMENT: 3,
    MeasureCategory.TRAINING: 3,
    MeasureCategory.PPE: 4,
    MeasureCategory.EMERGENCY: 4,
}


# --------------------------------------------------------------------------------------------
# GB 6441 accident types
# --------------------------------------------------------------------------------------------

#: The 20 accident types of GB 6441-1986 in their standard order, code → name [std].
ACCIDENT_TYPES: Mapping[int, str] = dict(
    enumerate(
        (
            "物体打击",
            "车辆伤害",
            "机械伤害",
            "起重伤害",
            "触电",
            "淹溺",
            "灼烫",
            "火灾",
            "高处坠落",
            "坍塌",
            "冒顶片帮",
            "透水",
            "放炮",
            "火药爆炸",
            "瓦斯爆炸",
            "锅炉爆炸",
            "容器爆炸",
            "其它爆炸",
            "中毒和窒息",
            "其它伤害",
        ),
        start=1,
    )
)

#: name → code, the inverse of ``ACCIDENT_TYPES``.
ACCIDENT_TYPE_CODES: Mapping[str, int] = {name: code for code, name in ACCIDENT_TYPES.items()}

#: Variant spellings accepted for a type (其他 and 其它 are used interchangeably).
ACCIDENT_TYPE_ALIASES: Mapping[str, str] = {
    "其他爆炸": "其它爆炸",
    "其他伤害": "其它伤害",
}

_ACCIDENT_SEPARATORS = re.compile(r"[、,，/;；\s]+")


def parse_accident_types(text: str | None) -> list[str]:
    """Canonical GB 6441 names from a cell such as "火灾、其他爆炸" → ["火灾", "其它爆炸"].

    NFKC first; splits on 、 , ， / ; ； and whitespace; drops duplicates keeping order;
    None or blank gives []. Raises ``UnknownAccidentType`` (``.value``) for any other word.
    Source: GB 6441-1986, data/README.md §2."""
    if text is None:
        return []
    names: list[str] = []
    for word in _ACCIDENT_SEPARATORS.split(unicodedata.normalize("NFKC", text)):
        if not word:
            continue
        name = ACCIDENT_TYPE_ALIASES.get(word, word)
        if name not in ACCIDENT_TYPE_CODES:
            raise UnknownAccidentType(word)
        if name not in names:
            names.append(name)
    return names
