"""Gas-test (气体分析) rules: limits, evaluation of one sample, the start gate and re-test timing.

Sources: GB 30871-2022 §5.2.x/§5.3.x and DOMAIN.md §4 "Gas tests" [std unless marked];
GBZ 2.1-2019 (occupational exposure limits) converted to ppm at 25 °C, 101.3 kPa.

A *reading* is one sample, shaped like the JSON ``gas_tests`` entries::

    {"sampled_at": "2026-12-08T08:15:00+08:00",      # ISO 8601 with offset, or an aware datetime
     "o2_pct_vol": 20.6,                               # %vol, optional for some types
     "flammable": [{"medium": "甲烷", "lel_pct_vol": 5.0, "reading_pct_vol": 0.05}],
     "toxic": [{"gas": "硫化氢", "formula": "H2S", "reading_ppm": 1.0}]}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from special_ops.error_codes import PermitErrorCode as E

from .errors import InvalidInput, RuleError
from .levels import HotWorkLevel, PermitLevel, height_hazard_factors_from_facts
from .types import PermitType
from .windows import require_aware, to_local

_T = PermitType

# --------------------------------------------------------------------------- toxic limits

#: Molar volume of an ideal gas at 25 °C and 101.325 kPa (L/mol): ppm = mg/m³ × 24.45 / M.
MOLAR_VOLUME_25C = 24.45


def mg_m3_to_ppm(mg_m3: float, molar_mass_g_mol: float) -> float:
    """Convert a concentration from mg/m³ to ppm (µmol/mol) at 25 °C: ``mg_m3 × 24.45 / M``."""
    return mg_m3 * MOLAR_VOLUME_25C / molar_mass_g_mol


@dataclass(frozen=True)
class ToxicLimit:
    """Occupational exposure limit of one substance (GBZ 2.1-2019 表1).

    Attributes:
        formula: chemical formula, the lookup key (``H2S``).
        name: Chinese name (``硫化氢``).
        molar_mass: g/mol, for the mg/m³ → ppm conversion.
        limit_type: ``MAC`` (最高容许浓度) where the standard sets one, else ``PC-TWA``.
        limit_mg_m3: the MAC or PC-TWA value, mg/m³ — the pass limit for a spot reading.
        stel_mg_m3: PC-STEL, mg/m³, for reference (None where the standard has none).
        certainty: ``std`` or ``probable`` in the DOMAIN.md sense.
    """

    formula: str
    name: str
    molar_mass: float
    limit_type: str
    limit_mg_m3: float
    stel_mg_m3: float | None = None
    certainty: str = "probable"

    @property
    def limit_ppm(self) -> float:
        """Pass limit in ppm at 25 °C, rounded to 0.1 ppm like the published conversions
        (H2S 10 mg/m³ → 7.2 ppm) and typical detector resolution."""
        return round(mg_m3_to_ppm(self.limit_mg_m3, self.molar_mass), 1)


def _limits(*rows: ToxicLimit) -> dict[str, ToxicLimit]:
    return {row.formula.upper(): row for row in rows}


#: formula (upper-case) → limit. H2S, CO and NH3 are confirmed by data README §5 [std]; the others are
#: GBZ 2.1-2019 values as commonly quoted, not re-read here [probable]. CO is the 非高原 value.
TOXIC_LIMITS: dict[str, ToxicLimit] = _limits(
    ToxicLimit("H2S", "硫化氢", 34.08, "MAC", 10, None, "std"),
    ToxicLimit("CO", "一氧化碳", 28.01, "PC-TWA", 20, 30, "std"),
    ToxicLimit("NH3", "氨", 17.03, "PC-TWA", 20, 30, "std"),
    ToxicLimit("Cl2", "氯", 70.90, "MAC", 1),
    ToxicLimit("HCN", "氰化氢", 27.03, "MAC", 1),
    ToxicLimit("SO2", "二氧化硫", 64.07, "PC-TWA", 5, 10),
    ToxicLimit("NO2", "二氧化氮", 46.01, "PC-TWA", 5, 10),
    ToxicLimit("C6H6", "苯", 78.11, "PC-TWA", 6, 10),
    ToxicLimit("C7H8", "甲苯", 92.14, "PC-TWA", 50, 100),
    ToxicLimit("CH3OH", "甲醇", 32.04, "PC-TWA", 25, 50),
    ToxicLimit("C4H8O2", "乙酸乙酯", 88.11, "PC-TWA", 200, 300),
)


def toxic_limit(substance: str) -> ToxicLimit | None:
    """Limit for a formula (``H2S``, case-insensitive) or Chinese name (``硫化氢``); None if unknown."""
    key = substance.strip()
    return TOXIC_LIMITS.get(key.upper()) or next((r for r in TOXIC_LIMITS.values() if r.name == key), None)


# --------------------------------------------------------------------------- flammables and oxygen

#: Flammable pass limits (%vol) by the medium's LEL: LEL ≥ 4 %vol → ≤ 0.5; LEL < 4 → ≤ 0.2 [probable].
FLAMMABLE_LEL_SPLIT_PCT = 4.0
FLAMMABLE_LIMIT_HIGH_LEL_PCT = 0.5
FLAMMABLE_LIMIT_LOW_LEL_PCT = 0.2


def flammable_limit(lel_pct_vol: float | None) -> float:
    """Highest passing flammable reading (%vol) for a medium with lower explosive limit ``lel_pct_vol``.

    ``lel ≥ 4`` → 0.5 %vol; ``lel < 4`` → 0.2 %vol; unknown LEL (None) → 0.2 (the stricter) [config].
    GB 30871-2022 hot-work gas analysis; DOMAIN.md §4 [probable].
    """
    if lel_pct_vol is not None and lel_pct_vol >= FLAMMABLE_LEL_SPLIT_PCT:
        return FLAMMABLE_LIMIT_HIGH_LEL_PCT
    return FLAMMABLE_LIMIT_LOW_LEL_PCT


@dataclass(frozen=True)
class OxygenRule:
    """O2 window (%vol, both edges inclusive); None = no bound on that side.

    ``max_enriched_pct`` replaces ``max_pct`` when oxygen enrichment is declared.
    ``required``: a sample without ``o2_pct_vol`` fails with ``o2_missing``.
    """

    min_pct: float | None
    max_pct: float | None
    max_enriched_pct: float | None
    required: bool

    def upper(self, enriched: bool) -> float | None:
        """Upper bound in force."""
        return self.max_enriched_pct if enriched and self.max_enriched_pct is not None else self.max_pct


@dataclass(frozen=True)
class GasCheckRule:
    """What a sample of this permit type is checked for: the O2 rule (None = O2 not judged) and
    whether at least one flammable reading is required. Toxic readings present are always judged."""

    oxygen: OxygenRule | None
    flammable_required: bool


#: Per permit type. Confined space: O2 19.5–21.0 (≤ 23.5 where declared enriched) [std].
#: Hot work [config, decided here]: DOMAIN.md sets no O2 window for hot work, so O2 is judged only
#: when recorded, and only against oxygen enrichment (> 23.5 %vol feeds the fire); hot work inside a
#: confined space is covered by the linked confined-space permit's own test.
#: Height (only tested with the toxic/low-O2 factor): O2 ≥ 19.5 [std]. Temporary electricity in a
#: fire-explosion area: flammables [std]. Other types: only what is recorded (toxics).
GAS_CHECKS: dict[PermitType, GasCheckRule] = {
    _T.CONFINED_SPACE: GasCheckRule(OxygenRule(19.5, 21.0, 23.5, required=True), flammable_required=True),
    _T.HOT_WORK: GasCheckRule(OxygenRule(None, 23.5, 23.5, required=False), flammable_required=True),
    _T.HEIGHT: GasCheckRule(OxygenRule(19.5, None, None, required=False), flammable_required=False),
    _T.TEMP_POWER: GasCheckRule(None, flammable_required=True),
    _T.BLINDING: GasCheckRule(None, flammable_required=False),
    _T.LIFTING: GasCheckRule(None, flammable_required=False),
    _T.EXCAVATION: GasCheckRule(None, flammable_required=False),
    _T.ROAD_CLOSURE: GasCheckRule(None, flammable_required=False),
}

#: Failure codes a sample can produce (the first one is the code of GasTestFailed).
GAS_FAILURE_CODES: dict[str, str] = {
    E.O2_MISSING: "未记录氧含量",
    E.O2_OUT_OF_RANGE: "氧含量超出允许范围",
    E.FLAMMABLE_MISSING: "未检测可燃气体",
    E.FLAMMABLE_OVER_LIMIT: "可燃气体浓度超标",
    E.TOXIC_OVER_LIMIT: "有毒气体浓度超过职业接触限值",
    E.TOXIC_LIMIT_UNKNOWN: "有毒气体无职业接触限值可判定",
}


class GasFailure(NamedTuple):
    """One failed check of a sample: (code from ``GAS_FAILURE_CODES``, Chinese message)."""

    code: str
    message: str


@dataclass(frozen=True)
class GasVerdict:
    """Result of :func:`evaluate_gas_test`: ``passed`` and the failures in check order (O2,
    flammables, toxics)."""

    passed: bool
    failures: tuple[GasFailure, ...] = ()


def _number(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{name}必须是数值。", code=E.GAS_READING_INVALID, field=name, value=value)
    return float(value)


def _check_oxygen(rule: OxygenRule | None, reading: Mapping[str, Any], enriched: bool) -> list[GasFailure]:
    if rule is None:
        return []
    o2 = _number(reading.get("o2_pct_vol"), "o2_pct_vol")
    if o2 is None:
        return [GasFailure(E.O2_MISSING, "气体分析未记录氧含量。")] if rule.required else []
    low, high = rule.min_pct, rule.upper(enriched)
    if (low is not None and o2 < low) or (high is not None and o2 > high):
        band = f"{low if low is not None else '—'}–{high if high is not None else '—'} %vol"
        return [GasFailure(E.O2_OUT_OF_RANGE, f"氧含量 {o2:g} %vol 不在允许范围 {band} 内。")]
    return []


def _check_flammables(required: bool, entries: list[Mapping[str, Any]]) -> list[GasFailure]:
    if not entries:
        return [GasFailure(E.FLAMMABLE_MISSING, "气体分析未检测可燃气体。")] if required else []
    failures = []
    for entry in entries:
        value = _number(entry.get("reading_pct_vol"), "reading_pct_vol")
        medium = entry.get("medium") or "可燃气体"
        limit = flammable_limit(_number(entry.get("lel_pct_vol"), "lel_pct_vol"))
        if value is None:
            failures.append(GasFailure(E.FLAMMABLE_MISSING, f"{medium}未记录 %vol 读数。"))
        elif value > limit:
            failures.append(
                GasFailure(E.FLAMMABLE_OVER_LIMIT, f"{medium} {value:g} %vol 超过 {limit:g} %vol。")
            )
    return failures


def _toxic_limit_ppm(entry: Mapping[str, Any]) -> float | None:
    for key in ("formula", "gas"):
        if entry.get(key) and (row := toxic_limit(str(entry[key]))):
            return row.limit_ppm
    # Not in the table: fall back to the limit written on the sample, if any.
    return _number(entry.get("oel_ppm_approx"), "oel_ppm_approx")


def _check_toxics(entries: list[Mapping[str, Any]]) -> list[GasFailure]:
    failures = []
    for entry in entries:
        name = entry.get("gas") or entry.get("formula") or "有毒气体"
        value = _number(entry.get("reading_ppm"), "reading_ppm")
        limit = _toxic_limit_ppm(entry)
        if limit is None:
            failures.append(GasFailure(E.TOXIC_LIMIT_UNKNOWN, f"{name}无职业接触限值，无法判定。"))
        elif value is None or value > limit:
            shown = "未记录" if value is None else f"{value:g} ppm"
            failures.append(GasFailure(E.TOXIC_OVER_LIMIT, f"{name} {shown}，限值 {limit:g} ppm。"))
    return failures


def evaluate_gas_test(
    permit_type: PermitType | str, reading: Mapping[str, Any], oxygen_enriched_declared: bool = False
) -> GasVerdict:
    """Judge one sample against the rules of ``GAS_CHECKS[permit_type]``.

    Checks, in order: O2 (inclusive window), every flammable entry (``reading_pct_vol`` ≤
    ``flammable_limit(lel_pct_vol)``), every toxic entry (``reading_ppm`` ≤ ``TOXIC_LIMITS`` limit in
    ppm; a substance not in the table uses the sample's ``oel_ppm_approx``, else fails
    ``toxic_limit_unknown``). ``oxygen_enriched_declared`` lifts the O2 ceiling to 23.5 %vol.
    GB 30871-2022; DOMAIN.md §4 "Gas tests" [std/probable].

    Returns:
        GasVerdict(passed, failures=((code, message), …)).

    Raises:
        ValueError: unknown permit type.
        InvalidInput (``gas_reading_invalid``): a reading value is not a number.
    """
    rule = GAS_CHECKS[PermitType(permit_type)]
    failures = [
        *_check_oxygen(rule.oxygen, reading, oxygen_enriched_declared),
        *_check_flammables(rule.flammable_required, list(reading.get("flammable") or ())),
        *_check_toxics(list(reading.get("toxic") or ())),
    ]
    return GasVerdict(passed=not failures, failures=tuple(failures))


#: The toxic pass criterion printed on the form (each substance's limit: ``TOXIC_LIMITS``).
TOXIC_CRITERION = "≤ 职业接触限值（GBZ 2.1）"


def _pct(value: float) -> str:
    return f"{value:g}"


def gas_criteria(permit_type: PermitType | str, oxygen_enriched_declared: bool = False) -> dict[str, str]:
    """The 合格标准 row of the printed gas-analysis table: what :func:`evaluate_gas_test` passes, in
    words, per column — ``{"o2": …, "flammable": …, "toxic": …}`` (GB 30871-2022 附录A forms; the
    limits of ``GAS_CHECKS``, :func:`flammable_limit` and ``TOXIC_LIMITS``).

    >>> gas_criteria("confined_space")["o2"]
    '19.5–21 %vol'
    >>> gas_criteria("lifting")["o2"]
    '不判定'

    Raises:
        ValueError: unknown permit type.
    """
    rule = GAS_CHECKS[PermitType(permit_type)]
    o2 = "不判定"
    if rule.oxygen is not None:
        low, high = rule.oxygen.min_pct, rule.oxygen.upper(oxygen_enriched_declared)
        if low is not None and high is not None:
            o2 = f"{_pct(low)}–{_pct(high)} %vol"
        elif high is not None:
            o2 = f"≤ {_pct(high)} %vol（记录时判定）" if not rule.oxygen.required else f"≤ {_pct(high)} %vol"
        elif low is not None:
            o2 = f"≥ {_pct(low)} %vol"
    flammable = (f"爆炸下限 ≥ {_pct(FLAMMABLE_LEL_SPLIT_PCT)} %vol 的介质 ≤ {_pct(FLAMMABLE_LIMIT_HIGH_LEL_PCT)} %vol，"
                 f"< {_pct(FLAMMABLE_LEL_SPLIT_PCT)} %vol 的 ≤ {_pct(FLAMMABLE_LIMIT_LOW_LEL_PCT)} %vol")
    if not rule.flammable_required:
        flammable += "（检测时判定）"
    return {"o2": o2, "flammable": flammable, "toxic": TOXIC_CRITERION}


# --------------------------------------------------------------------------- timing

#: When a permit type needs a passing gas test before start/resume:
#: ``always``; ``in_fire_explosion_area`` (facts flag); ``toxic_or_low_oxygen_factor`` (height hazard
#: factor); ``never`` (blinding uses portable monitoring where toxic, not a gate). DOMAIN.md §4.
GAS_TEST_REQUIRED: dict[PermitType, str] = {
    _T.HOT_WORK: "always",
    _T.CONFINED_SPACE: "always",
    _T.TEMP_POWER: "in_fire_explosion_area",
    _T.HEIGHT: "toxic_or_low_oxygen_factor",
    _T.BLINDING: "never",
    _T.LIFTING: "never",
    _T.EXCAVATION: "never",
    _T.ROAD_CLOSURE: "never",
}

#: The latest sample at or before the start must be at most this old [std for hot work and confined
#: space; applied to the other gas-gated types too, config].
FRESHNESS = timedelta(minutes=30)

#: Work interrupted longer than this needs a new test before it resumes. Hot work 特级/一级 30 min,
#: 二级 60 min [std]; confined space 60 min [probable]. Keys: (type, level or None).
INTERRUPTION_LIMIT: dict[tuple[PermitType, PermitLevel | None], timedelta] = {
    (_T.HOT_WORK, HotWorkLevel.SPECIAL): timedelta(minutes=30),
    (_T.HOT_WORK, HotWorkLevel.FIRST): timedelta(minutes=30),
    (_T.HOT_WORK, HotWorkLevel.SECOND): timedelta(minutes=60),
    (_T.CONFINED_SPACE, None): timedelta(minutes=60),
}

#: While work goes on, a new reading is due at least this often: confined space every 2 h while
#: occupied [probable].
MONITORING_INTERVAL: dict[PermitType, timedelta] = {_T.CONFINED_SPACE: timedelta(hours=2)}

#: (type, level) that must have continuous gas monitoring declared (``facts.continuous_gas_monitoring``):
#: 特级 hot work [std].
CONTINUOUS_MONITORING: frozenset[tuple[PermitType, PermitLevel | None]] = frozenset(
    {(_T.HOT_WORK, HotWorkLevel.SPECIAL)}
)


class GasTestMissing(RuleError):
    """No sample at or before the start. Code ``gas_test_missing``. DOMAIN.md §4."""

    default_code = E.GAS_TEST_MISSING
    default_message = "作业前未进行气体分析。"


class GasTestStale(RuleError):
    """The latest sample is older than ``FRESHNESS`` at the start. Code ``gas_test_stale``;
    ``details`` = {age_minutes, max_minutes, sampled_at}. DOMAIN.md §4."""

    default_code = E.GAS_TEST_STALE
    default_message = "气体分析已超过 30 分钟，需重新取样分析。"


class GasTestFailed(RuleError):
    """The latest sample fails. Code = the first failure's code (one of ``GAS_FAILURE_CODES``, e.g.
    ``o2_out_of_range``); ``details["failures"]`` lists every (code, message). DOMAIN.md §4."""

    default_code = E.GAS_TEST_FAILED
    default_message = "气体分析不合格。"


class GasMonitoringMissing(RuleError):
    """特级 hot work without declared continuous gas monitoring. Code
    ``gas_continuous_monitoring_missing``. GB 30871-2022 (特级动火连续检测) [std]."""

    default_code = E.GAS_CONTINUOUS_MONITORING_MISSING
    default_message = "特级动火作业应采取连续气体检测。"


def gas_test_required(permit_type: PermitType | str, facts: Mapping[str, Any]) -> bool:
    """True when a passing, fresh gas test gates the start of this permit (``GAS_TEST_REQUIRED``).

    Args:
        facts: the JSON ``facts`` (``in_fire_explosion_area``; height ``hazard_factors`` …).
    """
    condition = GAS_TEST_REQUIRED[PermitType(permit_type)]
    if condition == "in_fire_explosion_area":
        return facts.get("in_fire_explosion_area") is True
    if condition == "toxic_or_low_oxygen_factor":
        return "toxic_or_low_oxygen" in height_hazard_factors_from_facts(facts)
    return condition == "always"


def sampled_at(test: Mapping[str, Any]) -> datetime:
    """The aware ``sampled_at`` of a sample (ISO 8601 string or datetime).

    Raises:
        InvalidInput (``gas_reading_invalid``): missing or unparseable; NaiveDatetime if no offset.
    """
    value = test.get("sampled_at")
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime):
        raise InvalidInput("取样时间缺失或格式错误。", code=E.GAS_READING_INVALID, field="sampled_at")
    return require_aware(value, "取样时间", field="sampled_at")


def latest_test_before(tests: Iterable[Mapping[str, Any]], at: datetime) -> Mapping[str, Any] | None:
    """The latest sample taken at or before ``at`` (ties: the later one in ``tests``), or None.

    Raises:
        NaiveDatetime, InvalidInput (``gas_reading_invalid``).
    """
    require_aware(at)
    best: Mapping[str, Any] | None = None
    for test in tests:
        when = sampled_at(test)
        if when <= at and (best is None or when >= sampled_at(best)):
            best = test
    return best


def check_start_gas(
    permit_type: PermitType | str,
    level: PermitLevel | None,
    tests: Iterable[Mapping[str, Any]],
    start_at: datetime,
    facts: Mapping[str, Any],
) -> GasVerdict | None:
    """Gate a start (or a resume: pass the resume time as ``start_at``) on the gas tests.

    Args:
        permit_type, level: the permit and the level it is managed at (None for levelless types).
        tests: samples (see module docstring); only those at or before ``start_at`` count.
        start_at: aware datetime of ignition/entry/start.
        facts: JSON ``facts`` (``oxygen_enriched_declared``, ``continuous_gas_monitoring`` …).

    Returns:
        the passing verdict, or None when this permit needs no gas test.

    Raises:
        GasTestMissing (``gas_test_missing``), GasTestStale (``gas_test_stale``: older than
        30 min; exactly 30 min passes), GasTestFailed (first failure code, e.g. ``o2_out_of_range``),
        GasMonitoringMissing (``gas_continuous_monitoring_missing``). DOMAIN.md §4 [std].
    """
    permit_type = PermitType(permit_type)
    if not gas_test_required(permit_type, facts):
        return None
    latest = latest_test_before(tests, start_at)
    if latest is None:
        raise GasTestMissing(f"{permit_type.label}开始前没有气体分析记录。")
    age = start_at - sampled_at(latest)
    if age > FRESHNESS:
        minutes = round(age.total_seconds() / 60, 1)
        raise GasTestStale(
            f"最近一次气体分析（{to_local(sampled_at(latest)):%m-%d %H:%M} 取样）距本次开始作业"
            f"（{to_local(start_at):%m-%d %H:%M}）已 {minutes:g} 分钟，超过 {FRESHNESS.total_seconds() / 60:g} 分钟，"
            "须在开始前 30 分钟内重新取样分析。",
            age_minutes=minutes,
            max_minutes=FRESHNESS.total_seconds() / 60,
            sampled_at=sampled_at(latest).isoformat(),
        )
    verdict = evaluate_gas_test(permit_type, latest, facts.get("oxygen_enriched_declared") is True)
    if not verdict.passed:
        first = verdict.failures[0]
        raise GasTestFailed(first.message, code=first.code, failures=[tuple(f) for f in verdict.failures])
    if (permit_type, level) in CONTINUOUS_MONITORING and facts.get("continuous_gas_monitoring") is not True:
        raise GasMonitoringMissing()
    return verdict


def retest_due(
    permit_type: PermitType | str,
    level: PermitLevel | None,
    last_test_at: datetime,
    now: datetime,
    *,
    paused_at: datetime | None = None,
) -> bool:
    """Whether a new sample is due now — for the sweep that suspends live permits and for resume.

    * Work paused (``paused_at`` given): due when the interruption, counted from the later of
      ``paused_at`` and ``last_test_at``, exceeds ``INTERRUPTION_LIMIT`` (hot work 特级/一级 30 min,
      二级 60 min; confined space 60 min). Exactly the limit is not due.
    * Work going on: due when ``MONITORING_INTERVAL`` applies (confined space, 2 h) and has passed
      since ``last_test_at``.
    Types/levels with neither rule are never due. DOMAIN.md §4 [std/probable].

    Raises:
        NaiveDatetime (``naive_datetime``).
    """
    permit_type = PermitType(permit_type)
    for value in (last_test_at, now, *([paused_at] if paused_at else [])):
        require_aware(value)
    if paused_at is not None:
        limit = INTERRUPTION_LIMIT.get((permit_type, level))
        return limit is not None and now - max(paused_at, last_test_at) > limit
    interval = MONITORING_INTERVAL.get(permit_type)
    return interval is not None and now - last_test_at > interval
