"""Permit levels computed from declared facts: hot work, work at height, lifting.

Sources: GB 30871-2022 §5.2 (hot-work levels) and DOMAIN.md §4 [probable]; GB/T 3608-2008 via
GB 30871-2022 §5.5 (height bands and hazard factors) [std]; GB 30871-2022 §5.6 (lifting bands, the
10 t threshold) [std]. The platform computes the level and rejects a lower declared level; a higher
declared level is allowed (stricter) — DOMAIN.md §4.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, cast

from backend.core.rules import LabelledStrEnum
from special_ops.error_codes import PermitErrorCode as E

from .calendar import NIGHT_START, DayType, is_night, parse_day_type, window_day_types, window_has_night
from .errors import InvalidInput, RuleError
from .types import PermitType
from .windows import LOCAL_TZ, require_window, to_local


class NoPermitNeeded(RuleError):
    """The operation is below the permit threshold; filing a permit is refused (HTTP 400).

    Codes: ``height_below_2m_no_permit`` (height < 2 m, GB/T 3608), ``lifting_below_10t_no_permit`` (no longer raised: under 10 t the permit is optional and filed as 三级)
    (load < 10 t, GB 30871-2022 §5.6: risk analysis only). DOMAIN.md §4; data README §5 (P15).
    """

    default_code = E.NO_PERMIT_NEEDED
    default_message = "该作业未达到办理作业票的条件。"


class DeclaredLevelTooLow(RuleError):
    """The declared level is lower than the computed one. Code ``<type>_level_below_computed``
    (``hot_work_level_below_computed``, ``height_level_below_computed``,
    ``lifting_level_below_computed``); ``details`` has ``declared`` and ``computed`` (API codes).
    DOMAIN.md §4 "rejects a lower declared level"."""

    default_code = E.DECLARED_LEVEL_TOO_LOW
    default_message = "申报的作业级别低于按事实计算的级别。"
    default_field = "level_declared"


class UnknownLevel(InvalidInput):
    """A declared level text that is not a level of that permit type. Code ``level_unknown``."""

    default_code = E.LEVEL_UNKNOWN
    default_message = "无法识别的作业级别。"
    default_field = "level_declared"


# --------------------------------------------------------------------------- level enums


class _Level(LabelledStrEnum):
    """Common shape: value = API code; ``label`` Chinese; ``national_code``; ``rank`` (higher =
    stricter management). Members: ``NAME = code, label, national_code, rank``."""

    national_code: int
    rank: int

    def _init_extra(self, national_code: int, rank: int) -> None:
        self.national_code = national_code
        self.rank = rank


class HotWorkLevel(_Level):
    """Hot-work level: 特级 ``special`` (code 1) > 一级 ``first`` (2) > 二级 ``second`` (3). [std codes]"""

    SPECIAL = "special", "特级", 1, 3
    FIRST = "first", "一级", 2, 2
    SECOND = "second", "二级", 3, 1


class HeightLevel(_Level):
    """Height level Ⅰ–Ⅳ (API ``I``…``IV``, codes 1–4); Ⅳ is the strictest. GB/T 3608 [std]."""

    I = "I", "Ⅰ级", 1, 1  # noqa: E741 - the standard's own name for the band
    II = "II", "Ⅱ级", 2, 2
    III = "III", "Ⅲ级", 3, 3
    IV = "IV", "Ⅳ级", 4, 4


class LiftingLevel(_Level):
    """Lifting level: 一级 ``first`` (> 100 t) > 二级 ``second`` (40–100 t) > 三级 ``third`` (< 40 t)."""

    FIRST = "first", "一级", 1, 3
    SECOND = "second", "二级", 2, 2
    THIRD = "third", "三级", 3, 1


PermitLevel = HotWorkLevel | HeightLevel | LiftingLevel

#: Which level enum a permit type uses; types absent here have no level.
LEVELS_BY_TYPE: dict[PermitType, type[_Level]] = {
    PermitType.HOT_WORK: HotWorkLevel,
    PermitType.HEIGHT: HeightLevel,
    PermitType.LIFTING: LiftingLevel,
}


# --------------------------------------------------------------------------- hot work

#: Reason codes returned by :func:`hot_work_level`, with Chinese text for the permit form and refusals.
HOT_WORK_REASONS: dict[str, str] = {
    "running_equipment_in_fire_explosion_area": "在火灾爆炸危险场所内的生产运行设备、管道上动火",
    "major_hazard_tank_dike": "在重大危险源罐区防火堤内动火",
    "fire_explosion_area": "在火灾爆炸危险场所内动火",
    "pipe_rack": "在管廊（管架）上动火",
    "holiday": "节假日作业，升级管理",
    "rest_day": "公休日作业，升级管理",
    "night": "夜间作业（22:00–06:00），升级管理",
    "strong_wind": "五级风以上（含五级）露天动火，因生产确需，升级管理",
    "special_situation": "企业认定的其他特殊情况，升级管理",
    "isolated_unit": "生产装置已停车、倒空、清洗、置换、分析合格并可靠隔离，经生产或安全负责人批准按二级管理",
}

#: Clause of each reason (GB 30871-2022) [std], for refusals and ``manage.py rules_table``.
HOT_WORK_REASON_CLAUSES: dict[str, str] = {
    "running_equipment_in_fire_explosion_area": "§5.1.2", "major_hazard_tank_dike": "§5.1.2",
    "fire_explosion_area": "§5.1.3", "pipe_rack": "§5.1.3", "holiday": "§5.1.1", "rest_day": "§5.1.1",
    "night": "§5.1.1", "strong_wind": "§5.2.15", "special_situation": "§5.1.1", "isolated_unit": "§5.1.4",
}

#: Reasons that raise the base level by one (特级 stays 特级) — one raise however many apply, as the
#: standard writes 升级管理 once (GB 30871-2022 §5.1.1, §5.2.15) [std].
HOT_WORK_RAISE_REASONS: frozenset[str] = frozenset({"holiday", "rest_day", "night", "strong_wind", "special_situation"})

#: Outdoor hot work at or above this wind force (Beaufort) is refused, or — where production requires
#: it, declared with a reason — raised one level (GB 30871-2022 §5.2.15: 五级风以上（含五级）天气，原则上
#: 禁止露天动火作业；因生产确需动火，动火作业应升级管理) [std].
HOT_WORK_WIND_FORCE_LIMIT = 5


class HotWorkInStrongWind(RuleError):
    """Outdoor hot work at wind force ≥ 5 without a declared production need (GB 30871-2022 §5.2.15).
    Code ``hot_work_strong_wind``, field ``facts.wind_force``; ``details`` = {wind_force}."""

    default_code = E.HOT_WORK_STRONG_WIND
    default_message = "五级风以上（含五级）天气禁止露天动火作业。"
    default_field = "facts.wind_force"


_HOT_WORK_LOCATION_FACTS = (
    "in_fire_explosion_area",
    "on_running_equipment",
    "inside_major_hazard_tank_dike",
    "on_pipe_rack",
)


def _require_bool_facts(facts: Mapping[str, Any], keys: Iterable[str]) -> dict[str, bool]:
    missing = [k for k in keys if not isinstance(facts.get(k), bool)]
    if missing:
        raise InvalidInput(
            f"动火事实缺失或不是是/否值：{', '.join(missing)}。",
            code=E.HOT_WORK_FACT_MISSING,
            missing=missing,
        )
    return {k: facts[k] for k in keys}


def hot_work_base_level(facts: Mapping[str, Any]) -> tuple[HotWorkLevel, list[str]]:
    """Hot-work level from the place alone, before the holiday/night raise.

    Args:
        facts: mapping with bools ``in_fire_explosion_area``, ``on_running_equipment``,
            ``inside_major_hazard_tank_dike``, ``on_pipe_rack`` (the JSON ``facts`` shape).

    Returns:
        (level, reason codes from ``HOT_WORK_REASONS``). 特级: running equipment/pipes in a
        fire-explosion area, or inside the dike of a major-hazard tank farm; 一级: elsewhere in a
        fire-explosion area, or on a pipe rack; 二级 otherwise. GB 30871-2022 §5.1.2–§5.1.4.
        A unit stopped, emptied, cleaned, purged, tested and reliably isolated (``isolated_unit``) is
        managed as 二级 with the approval of the production or safety head named in
        ``isolated_unit_approver`` (§5.1.4 ¶2) [std]; the raises (night, holiday …) still apply.

    Raises:
        InvalidInput (``hot_work_fact_missing``): a fact is absent or not a bool — missing facts are
            never read as "no", which would under-rate the job; ``isolated_unit_approver_required``.
    """
    f = _require_bool_facts(facts, _HOT_WORK_LOCATION_FACTS)
    if facts.get("isolated_unit") is True:
        if not str(facts.get("isolated_unit_approver") or "").strip():
            raise InvalidInput("停车隔离装置按二级管理，须写明批准的生产或安全负责人。",
                               code=E.ISOLATED_UNIT_APPROVER_REQUIRED, field="facts.isolated_unit_approver")
        return HotWorkLevel.SECOND, ["isolated_unit"]
    special = []
    if f["in_fire_explosion_area"] and f["on_running_equipment"]:
        special.append("running_equipment_in_fire_explosion_area")
    if f["inside_major_hazard_tank_dike"]:
        special.append("major_hazard_tank_dike")
    if special:
        return HotWorkLevel.SPECIAL, special
    first = [
        code
        for key, code in (("in_fire_explosion_area", "fire_explosion_area"), ("on_pipe_rack", "pipe_rack"))
        if f[key]
    ]
    return (HotWorkLevel.FIRST, first) if first else (HotWorkLevel.SECOND, [])


def _wind_and_special_reasons(facts: Mapping[str, Any]) -> list[str]:
    """``strong_wind`` (outdoor, wind ≥ 5, production need declared with a reason) and
    ``special_situation`` (the enterprise's 其他特殊情况, a non-blank reason). Raises
    HotWorkInStrongWind, InvalidInput ``production_need_reason_required``."""
    reasons = []
    wind = facts.get("wind_force")
    if facts.get("outdoor") is True and isinstance(wind, int | float) and not isinstance(wind, bool) \
            and wind >= HOT_WORK_WIND_FORCE_LIMIT:
        if facts.get("production_need") is not True:
            raise HotWorkInStrongWind(
                f"风力 {wind:g} 级：五级风以上（含五级）天气禁止露天动火作业（GB 30871-2022 §5.2.15）；"
                "因生产确需动火的，申报“生产确需”并说明理由，按升级后的级别办理。",
                wind_force=wind,
            )
        if not str(facts.get("production_need_reason") or "").strip():
            raise InvalidInput("因生产确需在五级风以上露天动火，须说明理由。", code=E.PRODUCTION_NEED_REASON_REQUIRED,
                               field="facts.production_need_reason")
        reasons.append("strong_wind")
    if str(facts.get("special_situation") or "").strip():
        reasons.append("special_situation")
    return reasons


def period_raise_reasons(start: datetime, end: datetime) -> list[str]:
    """``holiday``, ``rest_day``, ``night`` of one work period [start, end) (Asia/Shanghai): any local
    day it touches that is a holiday / rest day (``calendar.day_type``), any instant in 22:00–06:00.
    Raises NaiveDatetime / InvalidWindow."""
    found = set(window_day_types(start, end).values())
    reasons = [r for r, t in (("holiday", DayType.HOLIDAY), ("rest_day", DayType.REST_DAY)) if t in found]
    if window_has_night(start, end):
        reasons.append("night")
    return reasons


#: A planned window up to this long is one work period (one shift worked through): every night, rest
#: day and holiday it touches raises the level. Reading of GB 30871-2022 §5.1.1 with §5.1.5 [config].
SINGLE_PERIOD_MAX = timedelta(hours=24)


def first_work_period(planned_start: datetime, planned_end: datetime) -> tuple[datetime, datetime]:
    """The work period a permit is filed for: the whole window when it is at most 24 h; for a longer
    window (二级, up to 72 h) the first day's work, from the planned start to the earlier of the
    planned end and that day's 22:00 (the night band). A start at night is a night period.

    **Reading** (GB 30871-2022 §5.1.1 upgrade on holidays, rest days and at night, with §5.1.5 the
    二级 permit's 72 h): the upgrade is judged per work period — each start or resume of work, the shift
    actually worked — not over the whole validity window, so a three-day daytime 二级 job stays 二级;
    a start or resume at night, on a rest day or a holiday needs the upgraded level (a new permit at
    that level), checked by :func:`check_work_period`. Raises NaiveDatetime / InvalidWindow.
    """
    require_window(planned_start, planned_end)
    if planned_end - planned_start <= SINGLE_PERIOD_MAX:
        return planned_start, planned_end
    local = to_local(planned_start)
    if is_night(local):
        return planned_start, planned_start + timedelta(minutes=1)
    night = datetime.combine(local.date(), NIGHT_START, tzinfo=LOCAL_TZ)
    return planned_start, min(planned_end, night)


def hot_work_raise_reasons(
    facts: Mapping[str, Any], planned_start: datetime, planned_end: datetime
) -> list[str]:
    """Reasons to raise the hot-work level: ``holiday``, ``rest_day``, ``night`` (of the first work
    period, :func:`first_work_period`), then ``strong_wind`` and ``special_situation`` (declared
    facts); deduplicated, in that order.

    A declared ``facts.day_type`` (holiday/rest day) or ``facts.night == True`` also raises (the
    stricter of declared and computed). GB 30871-2022 §5.1.1, §5.2.15 [std].

    Raises:
        NaiveDatetime / InvalidWindow (``naive_datetime`` / ``invalid_window``).
        InvalidInput (``invalid_input``): ``facts.day_type`` has an unknown spelling;
            ``production_need_reason_required``.
        HotWorkInStrongWind (``hot_work_strong_wind``): outdoor, wind ≥ 5, no production need.
    """
    reasons = period_raise_reasons(*first_work_period(planned_start, planned_end))
    declared = facts.get("day_type")
    if declared:
        try:
            kind = parse_day_type(str(declared))
        except ValueError as exc:
            raise InvalidInput(str(exc), field="day_type") from None
        code = {DayType.HOLIDAY: "holiday", DayType.REST_DAY: "rest_day"}.get(kind)
        if code and code not in reasons:
            reasons.append(code)
    if facts.get("night") is True and "night" not in reasons:
        reasons.append("night")
    order = ("holiday", "rest_day", "night")
    reasons.sort(key=order.index)
    return reasons + _wind_and_special_reasons(facts)


_RAISED = {
    HotWorkLevel.SECOND: HotWorkLevel.FIRST,
    HotWorkLevel.FIRST: HotWorkLevel.SPECIAL,
    HotWorkLevel.SPECIAL: HotWorkLevel.SPECIAL,
}


def hot_work_level(
    facts: Mapping[str, Any], planned_start: datetime, planned_end: datetime
) -> tuple[HotWorkLevel, list[str]]:
    """Computed hot-work level: the base level, raised ONE level if any raise reason applies (the
    first work period touches a holiday, a rest day or the night; outdoor wind ≥ 5 with a declared
    production need; an enterprise-declared special situation); 特级 stays 特级.

    Args:
        facts: the JSON ``facts`` of a hot-work permit (see :func:`hot_work_base_level`).
        planned_start, planned_end: aware datetimes, half-open window.

    Returns:
        (level, reason codes) — base reasons followed by raise reasons (see ``HOT_WORK_REASONS``).
        GB 30871-2022 §5.1.1–§5.1.3, §5.2.15 [std].

    Raises:
        InvalidInput (``hot_work_fact_missing``, ``production_need_reason_required``), NaiveDatetime,
        InvalidWindow, HotWorkInStrongWind (``hot_work_strong_wind``).
    """
    level, reasons = hot_work_base_level(facts)
    raise_reasons = hot_work_raise_reasons(facts, planned_start, planned_end)
    if raise_reasons:
        level = _RAISED[level]
    return level, reasons + raise_reasons


class UpgradeRequired(RuleError):
    """Work would start or resume in a period that needs a higher level than the permit's (night,
    rest day, holiday — GB 30871-2022 §5.1.1, judged per work period). Code
    ``hot_work_upgrade_required``; ``details`` = {level, required, reasons}."""

    default_code = E.HOT_WORK_UPGRADE_REQUIRED
    default_message = "该作业时段须升级管理。"


def check_work_period(
    facts: Mapping[str, Any], managed: HotWorkLevel, at: datetime, action: str = "开始作业"
) -> None:
    """The per-work-period upgrade check at a start or resume of hot work at instant ``at``: the level
    the period starting now needs (the base level raised when ``at`` is at night, on a rest day or a
    holiday, or for the declared wind/special-situation facts) must not exceed the permit's level.
    See :func:`first_work_period` for the reading (GB 30871-2022 §5.1.1 with §5.1.5).

    Raises:
        UpgradeRequired (``hot_work_upgrade_required``): the message names the level needed, the
            permit's level and the reasons (夜间, 节假日 …), and says a permit at that level is needed.
    """
    base, _ = hot_work_base_level(facts)
    reasons = period_raise_reasons(at, at + timedelta(minutes=1)) + _wind_and_special_reasons(facts)
    required = _RAISED[base] if reasons else base
    if required.rank <= managed.rank:
        return
    raise UpgradeRequired(
        f"{action}时段须升级管理（{reason_texts(reasons)}）：动火须按{required.label}管理，本作业票为"
        f"{managed.label}。请按{required.label}重新办理动火作业票（GB 30871-2022 §5.1.1）。",
        level=managed.value, required=required.value, reasons=reasons,
    )


def reason_texts(codes: Iterable[str]) -> str:
    """The Chinese texts of reason codes joined with “；” (unknown codes as given), for messages."""
    return "；".join(HOT_WORK_REASONS.get(c, c) for c in codes)


# --------------------------------------------------------------------------- height

#: The nine hazard factors that raise a height job one band (GB 30871-2022 §8.1.2, after GB/T 3608-2008
#: §4.2) [std]. code → Chinese description. ``cold_water`` was missing before issue 14.
HEIGHT_HAZARD_FACTORS: dict[str, str] = {
    "strong_wind": "阵风风力五级（风速 8.0 m/s）及以上",
    "low_temperature": "平均气温等于或低于 5 ℃ 的作业环境",
    "cold_water": "接触冷水温度等于或低于 12 ℃ 的作业",
    "near_live_parts": "接近或接触带电体",
    "slippery": "作业面湿滑（雨雪、冰冻、油污等）",
    "poor_light": "光线不足或能见度差",
    "toxic_or_low_oxygen": "存在有毒有害气体或氧含量低于 19.5 %",
    "narrow_footing": "立足处宽度小于 500 mm",
    "rescue": "抢救突然发生的各种灾害事故",
}

#: Ambient mean temperature at or below which ``low_temperature`` applies (°C) [std].
LOW_TEMPERATURE_C = 5.0
#: Temperature of water the workers are in contact with at or below which ``cold_water`` applies (°C)
#: [std GB 30871-2022 §8.1.2 c)].
COLD_WATER_C = 12.0
#: Wind force (Beaufort) at or above which ``strong_wind`` applies [std].
STRONG_WIND_FORCE = 5
#: O2 below this (%vol) is ``toxic_or_low_oxygen`` [std].
LOW_OXYGEN_PCT = 19.5

#: Upper band edges (m, inclusive) → level without hazard factors; above the last edge: Ⅳ.
#: GB/T 3608: 2–5 m Ⅰ, >5–15 Ⅱ, >15–30 Ⅲ, >30 Ⅳ [std].
HEIGHT_BANDS: tuple[tuple[float, HeightLevel], ...] = (
    (5.0, HeightLevel.I),
    (15.0, HeightLevel.II),
    (30.0, HeightLevel.III),
)
#: Height below which no height permit exists (m) [std].
HEIGHT_PERMIT_MIN_M = 2.0

_HEIGHT_ORDER = (HeightLevel.I, HeightLevel.II, HeightLevel.III, HeightLevel.IV)


def _require_number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise InvalidInput(f"{name}必须是非负数。", code=f"invalid_{name}", field=name, value=value)
    return float(value)


def height_level(height_m: float | None, hazard_factors: Iterable[str] = ()) -> HeightLevel:
    """Height level from the working height (m) and hazard-factor codes.

    2 ≤ h ≤ 5 Ⅰ; 5 < h ≤ 15 Ⅱ; 15 < h ≤ 30 Ⅲ; h > 30 Ⅳ; any factor from ``HEIGHT_HAZARD_FACTORS``
    one band higher, capped at Ⅳ. GB/T 3608-2008; DOMAIN.md §4 [std].

    Raises:
        NoPermitNeeded (``height_below_2m_no_permit``): h < 2 m.
        InvalidInput (``invalid_height_m``): negative, NaN or non-numeric height.
        InvalidInput (``height_hazard_factor_unknown``): a factor code not in the table.
    """
    h = _require_number(height_m, "height_m")
    factors = list(hazard_factors)
    unknown = [f for f in factors if f not in HEIGHT_HAZARD_FACTORS]
    if unknown:
        raise InvalidInput(
            f"未知的高处作业危险因素：{', '.join(map(str, unknown))}。", code=E.HEIGHT_HAZARD_FACTOR_UNKNOWN,
            field="hazard_factors",
        )
    if h < HEIGHT_PERMIT_MIN_M:
        raise NoPermitNeeded(
            f"作业高度 {h:g} m 低于 2 m，不属于高处作业，无需也不能办理高处作业票。",
            code=E.HEIGHT_BELOW_2M_NO_PERMIT,
            field="height_m",
            height_m=h,
        )
    base = next((lvl for edge, lvl in HEIGHT_BANDS if h <= edge), HeightLevel.IV)
    index = _HEIGHT_ORDER.index(base) + (1 if factors else 0)
    return _HEIGHT_ORDER[min(index, len(_HEIGHT_ORDER) - 1)]


def height_hazard_factors_from_facts(facts: Mapping[str, Any]) -> list[str]:
    """Hazard-factor codes of a height job: the declared ``facts.hazard_factors`` plus those implied
    by measured facts — ``ambient_mean_temp_c`` ≤ 5 → ``low_temperature``, ``water_temp_c`` ≤ 12 →
    ``cold_water``, ``wind_force`` ≥ 5 → ``strong_wind``, ``o2_pct_vol`` < 19.5 → ``toxic_or_low_oxygen``.
    Order kept, no duplicates. GB 30871-2022 §8.1.2; GB/T 3608-2008 [std]."""
    factors = list(dict.fromkeys(facts.get("hazard_factors") or ()))
    implied: tuple[tuple[str, Callable[[float], bool], str], ...] = (
        ("ambient_mean_temp_c", lambda v: v <= LOW_TEMPERATURE_C, "low_temperature"),
        ("water_temp_c", lambda v: v <= COLD_WATER_C, "cold_water"),
        ("wind_force", lambda v: v >= STRONG_WIND_FORCE, "strong_wind"),
        ("o2_pct_vol", lambda v: v < LOW_OXYGEN_PCT, "toxic_or_low_oxygen"),
    )
    for key, test, code in implied:
        value = facts.get(key)
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and test(value)
            and code not in factors
        ):
            factors.append(code)
    return factors


def height_level_from_facts(facts: Mapping[str, Any]) -> HeightLevel:
    """:func:`height_level` for the JSON ``facts`` shape (``height_m``, ``hazard_factors`` …).

    Raises: as :func:`height_level`; ``invalid_height_m`` when ``height_m`` is missing.
    """
    return height_level(facts.get("height_m"), height_hazard_factors_from_facts(facts))


# --------------------------------------------------------------------------- lifting

#: Below this load (t) the enterprise *may* skip the lifting permit with a recorded risk analysis
#: (可不办理, GB 30871-2022 Table B.1 note 3) [std]. A permit it does file for such a lift is 三级: the
#: standard allows skipping, it never forbids filing.
LIFTING_PERMIT_OPTIONAL_BELOW_T = 10.0
#: 二级 covers 40 t … 100 t inclusive; 一级 is strictly over 100 t [std].
LIFTING_SECOND_MIN_T = 40.0
LIFTING_SECOND_MAX_T = 100.0


def lifting_level(load_t: float | None) -> LiftingLevel:
    """Lifting level from the load (t): > 100 一级; 40–100 二级 (both edges); < 40 三级.

    Loads under 10 t are 三级 too: the permit is optional there (可不办理 with a recorded risk analysis,
    GB 30871-2022 Table B.1 note 3), so a permit that is filed is accepted, never refused.
    GB 30871-2022 §5.6; DOMAIN.md §4 [std].

    Raises:
        InvalidInput (``invalid_load_t``): negative, NaN or non-numeric load.
    """
    m = _require_number(load_t, "load_t")
    if m > LIFTING_SECOND_MAX_T:
        return LiftingLevel.FIRST
    return LiftingLevel.SECOND if m >= LIFTING_SECOND_MIN_T else LiftingLevel.THIRD


def lifting_permit_optional(load_t: float | None) -> bool:
    """True when a lift of ``load_t`` t may be done without a permit (< 10 t, GB 30871-2022 Table B.1
    note 3): the enterprise records a risk analysis instead. Raises as :func:`lifting_level`."""
    return _require_number(load_t, "load_t") < LIFTING_PERMIT_OPTIONAL_BELOW_T


# --------------------------------------------------------------------------- declared levels


def _level_lookup(level_cls: type[_Level]) -> dict[str, _Level]:
    table: dict[str, _Level] = {}
    for level in level_cls:
        norm_label = unicodedata.normalize("NFKC", level.label).removesuffix("级")
        table.update({level.value.upper(): level, norm_label.upper(): level})
    if level_cls is HotWorkLevel:
        table.update({"特": HotWorkLevel.SPECIAL, "一": HotWorkLevel.FIRST, "二": HotWorkLevel.SECOND})
    if level_cls is HeightLevel:
        table.update({"一": HeightLevel.I, "二": HeightLevel.II, "三": HeightLevel.III, "四": HeightLevel.IV})
    return table


def parse_declared_level(permit_type: PermitType | str, text: str | int | None) -> PermitLevel | None:
    """Parse a declared level as written on forms or sent by the API.

    Accepts: API codes (``special``/``first``/``second``, ``I``…``IV``, ``first``/``second``/``third``),
    Chinese labels with or without 级 (特级, 一级, 二级, 三级, Ⅰ/Ⅲ级, full-width Roman numerals via NFKC),
    plain Roman ``III``; and national codes as ``int`` only (for hot work 1 = 特级, 3 = 二级 — a
    digit string is refused because "3" reads as 三级). Case and surrounding blanks are ignored.

    Returns:
        the level enum of the type, or ``None`` for ``None``/blank text.

    Raises:
        UnknownLevel (``level_unknown``): unparseable text, or any text for a type without levels.
    """
    permit_type = PermitType(permit_type)
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    level_cls = LEVELS_BY_TYPE.get(permit_type)
    if level_cls is None:
        level = None
    elif isinstance(text, int) and not isinstance(text, bool):
        level = next((lvl for lvl in level_cls if lvl.national_code == text), None)
    else:
        key = unicodedata.normalize("NFKC", str(text)).strip().removesuffix("级").strip().upper()
        level = _level_lookup(level_cls).get(key)
    if level is None:
        raise UnknownLevel(
            f"“{text}”不是{permit_type.label}的级别。", permit_type=permit_type.value, declared=str(text)
        )
    return cast(PermitLevel, level)


def level_enum_of(permit_type: PermitType | str, code: str) -> PermitLevel | None:
    """The level enum member for a stored API code ('' → None)."""
    level_cls = LEVELS_BY_TYPE.get(PermitType(permit_type))
    return cast(PermitLevel, level_cls(code)) if level_cls and code else None


def is_lower(declared: PermitLevel, computed: PermitLevel) -> bool:
    """True when ``declared`` is less strict than ``computed`` (same level enum).

    Raises:
        TypeError: the two levels belong to different types.
    """
    if type(declared) is not type(computed):
        raise TypeError(f"cannot compare {type(declared).__name__} with {type(computed).__name__}")
    return declared.rank < computed.rank


def stricter(a: PermitLevel | None, b: PermitLevel | None) -> PermitLevel | None:
    """The stricter of two levels of the same type (``None`` ignored) — the level to manage by."""
    if a is None or b is None:
        return a or b
    return b if is_lower(a, b) else a


def check_declared_level(
    permit_type: PermitType | str, declared: PermitLevel | None, computed: PermitLevel | None,
    reasons: Iterable[str] = (),
) -> None:
    """Refuse a declared level lower than the computed one; equal or higher passes; no declared level
    passes (the computed level is then used). DOMAIN.md §4 [probable/std per type].

    Raises:
        DeclaredLevelTooLow (``<type>_level_below_computed``, e.g. ``hot_work_level_below_computed``):
            ``details`` = {declared, computed, reasons} as API codes; the message names the computed
            level and the reasons (夜间, 节假日, 大风 …, ``HOT_WORK_REASONS``).
        TypeError: levels of different types.
    """
    if declared is None or computed is None or not is_lower(declared, computed):
        return
    permit_type = PermitType(permit_type)
    reasons = list(reasons)
    why = f"（依据：{reason_texts(reasons)}）" if reasons else ""
    raise DeclaredLevelTooLow(
        f"申报级别“{declared.label}”低于按作业事实计算的级别“{computed.label}”{why}，请按{computed.label}办理。",
        code=f"{permit_type.value}_level_below_computed",
        declared=declared.value,
        computed=computed.value,
        reasons=reasons,
    )
