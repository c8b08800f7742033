"""special_ops.rules.levels: hot-work, height and lifting levels; declared-level checks."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from special_ops.rules.errors import InvalidInput
from special_ops.rules.levels import (
    HEIGHT_HAZARD_FACTORS,
    DeclaredLevelTooLow,
    HeightLevel,
    HotWorkLevel,
    LiftingLevel,
    NoPermitNeeded,
    UnknownLevel,
    check_declared_level,
    height_hazard_factors_from_facts,
    height_level,
    height_level_from_facts,
    hot_work_base_level,
    hot_work_level,
    is_lower,
    lifting_level,
    lifting_permit_optional,
    parse_declared_level,
    stricter,
)
from special_ops.rules.types import PermitType

SH = ZoneInfo("Asia/Shanghai")
FACTOR = "low_temperature"


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def hot_facts(**overrides: Any) -> dict[str, Any]:
    facts = {
        "in_fire_explosion_area": False,
        "on_running_equipment": False,
        "inside_major_hazard_tank_dike": False,
        "on_pipe_rack": False,
    }
    facts.update(overrides)
    return facts


# --------------------------------------------------------------------------- height


@pytest.mark.parametrize(
    ("height_m", "factors", "expected"),
    [
        (2.0, [], HeightLevel.I),
        (2.0, [FACTOR], HeightLevel.II),
        (5.0, [], HeightLevel.I),
        (5.0, [FACTOR], HeightLevel.II),
        (5.01, [], HeightLevel.II),
        (5.01, [FACTOR], HeightLevel.III),
        (15.0, [], HeightLevel.II),
        (15.0, [FACTOR], HeightLevel.III),
        (15.01, [], HeightLevel.III),
        (15.01, [FACTOR], HeightLevel.IV),
        (30.0, [], HeightLevel.III),
        (30.0, [FACTOR], HeightLevel.IV),
        (30.01, [], HeightLevel.IV),
        (30.01, [FACTOR], HeightLevel.IV),  # capped
        (120, ["strong_wind", "rescue"], HeightLevel.IV),
    ],
)
def test_height_band_edges(height_m: float, factors: list[str], expected: HeightLevel) -> None:
    assert height_level(height_m, factors) is expected


@pytest.mark.parametrize("height_m", [1.9, 1.99, 0])
@pytest.mark.parametrize("factors", [[], [FACTOR]])
def test_height_below_2m_needs_no_permit(height_m: float, factors: list[str]) -> None:
    with pytest.raises(NoPermitNeeded) as exc:
        height_level(height_m, factors)
    assert exc.value.code == "height_below_2m_no_permit"
    assert "2 m" in exc.value.message


def test_several_factors_raise_one_band_only() -> None:
    assert height_level(3, ["strong_wind", "slippery", "poor_light"]) is HeightLevel.II


@pytest.mark.parametrize("bad", [-1, math.nan, None, "8", True])
def test_height_invalid_value(bad: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        height_level(bad)
    assert exc.value.code == "invalid_height_m"


def test_unknown_hazard_factor_rejected() -> None:
    with pytest.raises(InvalidInput) as exc:
        height_level(8, ["cold"])
    assert exc.value.code == "height_hazard_factor_unknown"


def test_hazard_factor_table() -> None:
    assert set(HEIGHT_HAZARD_FACTORS) == {
        "strong_wind",
        "low_temperature",
        "cold_water",
        "near_live_parts",
        "slippery",
        "poor_light",
        "toxic_or_low_oxygen",
        "narrow_footing",
        "rescue",
    }  # the nine of GB 30871-2022 §8.1.2
    assert all(HEIGHT_HAZARD_FACTORS.values())


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"hazard_factors": [], "ambient_mean_temp_c": 5}, ["low_temperature"]),
        ({"hazard_factors": [], "ambient_mean_temp_c": 5.1}, []),
        ({"hazard_factors": ["low_temperature"], "ambient_mean_temp_c": 2}, ["low_temperature"]),
        ({"wind_force": 5}, ["strong_wind"]),
        ({"wind_force": 4}, []),
        ({"o2_pct_vol": 19.4}, ["toxic_or_low_oxygen"]),
        ({"o2_pct_vol": 19.5}, []),
        ({"hazard_factors": ["slippery"]}, ["slippery"]),
    ],
)
def test_height_factors_from_facts(facts: dict[str, Any], expected: list[str]) -> None:
    assert height_hazard_factors_from_facts(facts) == expected


def test_height_level_from_facts_like_sample() -> None:
    assert (
        height_level_from_facts({"height_m": 8.0, "hazard_factors": [], "ambient_mean_temp_c": 2})
        is HeightLevel.III
    )
    assert (
        height_level_from_facts({"height_m": 6.0, "hazard_factors": [], "ambient_mean_temp_c": 10})
        is HeightLevel.II
    )


def test_height_level_labels_and_codes() -> None:
    assert [lvl.value for lvl in HeightLevel] == ["I", "II", "III", "IV"]
    assert [lvl.label for lvl in HeightLevel] == ["Ⅰ级", "Ⅱ级", "Ⅲ级", "Ⅳ级"]
    assert [lvl.national_code for lvl in HeightLevel] == [1, 2, 3, 4]


# --------------------------------------------------------------------------- lifting


@pytest.mark.parametrize(
    ("load_t", "expected"),
    [
        (10, LiftingLevel.THIRD),
        (39.9, LiftingLevel.THIRD),
        (40, LiftingLevel.SECOND),
        (100, LiftingLevel.SECOND),
        (100.1, LiftingLevel.FIRST),
        (500, LiftingLevel.FIRST),
    ],
)
def test_lifting_band_edges(load_t: float, expected: LiftingLevel) -> None:
    assert lifting_level(load_t) is expected


@pytest.mark.parametrize("load_t", [9.9, 0])
def test_lifting_below_10t_may_be_filed_as_third_level(load_t: float) -> None:
    """GB 30871-2022 Table B.1 note 3: 可不办理 — optional, so a filed permit is 三级, not refused."""
    assert lifting_level(load_t) is LiftingLevel.THIRD
    assert lifting_permit_optional(load_t)
    assert not lifting_permit_optional(10)


def test_lifting_invalid_load() -> None:
    with pytest.raises(InvalidInput) as exc:
        lifting_level(-5)
    assert exc.value.code == "invalid_load_t"


def test_lifting_labels_do_not_collide_with_hot_work() -> None:
    # StrEnum members "first" of both enums are equal strings; their metadata must still differ.
    assert LiftingLevel.FIRST.national_code == 1
    assert HotWorkLevel.FIRST.national_code == 2
    assert LiftingLevel.FIRST.label == "一级"
    assert HotWorkLevel.SPECIAL.label == "特级"
    assert LiftingLevel.FIRST.rank > LiftingLevel.SECOND.rank > LiftingLevel.THIRD.rank


# --------------------------------------------------------------------------- hot work base level


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (hot_facts(), HotWorkLevel.SECOND),
        (hot_facts(on_running_equipment=True), HotWorkLevel.SECOND),  # running, but not in a fire area
        (hot_facts(in_fire_explosion_area=True), HotWorkLevel.FIRST),
        (hot_facts(on_pipe_rack=True), HotWorkLevel.FIRST),
        (hot_facts(in_fire_explosion_area=True, on_running_equipment=True), HotWorkLevel.SPECIAL),
        (hot_facts(inside_major_hazard_tank_dike=True), HotWorkLevel.SPECIAL),
        (hot_facts(in_fire_explosion_area=True, inside_major_hazard_tank_dike=True), HotWorkLevel.SPECIAL),
    ],
)
def test_hot_work_base_level(facts: dict[str, Any], expected: HotWorkLevel) -> None:
    assert hot_work_base_level(facts)[0] is expected


def test_hot_work_base_reasons() -> None:
    assert hot_work_base_level(hot_facts(on_pipe_rack=True))[1] == ["pipe_rack"]
    assert hot_work_base_level(hot_facts(inside_major_hazard_tank_dike=True))[1] == ["major_hazard_tank_dike"]


@pytest.mark.parametrize("missing", ["in_fire_explosion_area", "on_pipe_rack"])
def test_hot_work_missing_fact_is_not_read_as_false(missing: str) -> None:
    facts = hot_facts()
    del facts[missing]
    with pytest.raises(InvalidInput) as exc:
        hot_work_base_level(facts)
    assert exc.value.code == "hot_work_fact_missing"
    assert exc.value.details["missing"] == [missing]


def test_hot_work_level_codes() -> None:
    assert [(lvl.value, lvl.label, lvl.national_code) for lvl in HotWorkLevel] == [
        ("special", "特级", 1),
        ("first", "一级", 2),
        ("second", "二级", 3),
    ]


# --------------------------------------------------------------------------- hot work raise


def test_second_level_on_new_year_2027_becomes_first() -> None:
    level, reasons = hot_work_level(hot_facts(), at(2027, 1, 1, 9), at(2027, 1, 1, 15))
    assert level is HotWorkLevel.FIRST
    assert "holiday" in reasons


def test_second_level_on_tiaoxiu_working_weekend_stays_second() -> None:
    weekend_workdays = [
        d
        for d in chinese_calendar.get_workdays(date(2026, 9, 1), date(2026, 10, 31), include_weekends=True)
        if d.weekday() >= 5
    ]
    d = weekend_workdays[0]
    level, reasons = hot_work_level(
        hot_facts(), at(d.year, d.month, d.day, 9), at(d.year, d.month, d.day, 15)
    )
    assert level is HotWorkLevel.SECOND
    assert reasons == []


def test_second_level_on_plain_sunday_becomes_first() -> None:
    sunday = date(2026, 11, 29)
    assert sunday.weekday() == 6
    level, reasons = hot_work_level(hot_facts(), at(2026, 11, 29, 9), at(2026, 11, 29, 15))
    assert level is HotWorkLevel.FIRST
    assert reasons == ["rest_day"]


def test_weekday_daytime_stays_second() -> None:
    assert hot_work_level(hot_facts(), at(2026, 12, 1, 8, 30), at(2026, 12, 1, 16, 30)) == (
        HotWorkLevel.SECOND,
        [],
    )


def test_window_ending_at_22_is_not_night() -> None:
    assert hot_work_level(hot_facts(), at(2026, 12, 1, 16), at(2026, 12, 1, 22))[0] is HotWorkLevel.SECOND


def test_night_raises() -> None:
    level, reasons = hot_work_level(hot_facts(), at(2026, 12, 1, 21), at(2026, 12, 1, 23))
    assert level is HotWorkLevel.FIRST
    assert reasons == ["night"]


def test_any_day_touched_counts() -> None:
    # Friday 14:00 → Saturday 10:00: touches a rest day (and the night).
    level, reasons = hot_work_level(hot_facts(), at(2026, 11, 27, 14), at(2026, 11, 28, 10))
    assert level is HotWorkLevel.FIRST
    assert reasons == ["rest_day", "night"]


def test_several_raise_reasons_raise_one_level_only() -> None:
    level, reasons = hot_work_level(hot_facts(), at(2027, 1, 1, 20), at(2027, 1, 1, 23))
    assert level is HotWorkLevel.FIRST
    assert set(reasons) == {"holiday", "night"}


def test_first_on_holiday_becomes_special_and_special_stays() -> None:
    window = (at(2026, 10, 1, 9), at(2026, 10, 1, 12))
    assert hot_work_level(hot_facts(in_fire_explosion_area=True), *window)[0] is HotWorkLevel.SPECIAL
    assert hot_work_level(hot_facts(inside_major_hazard_tank_dike=True), *window)[0] is HotWorkLevel.SPECIAL


def test_declared_night_or_holiday_raises_even_if_clock_says_day() -> None:
    window = (at(2026, 12, 1, 9), at(2026, 12, 1, 12))
    assert hot_work_level(hot_facts(night=True), *window) == (HotWorkLevel.FIRST, ["night"])
    assert hot_work_level(hot_facts(day_type="public_holiday"), *window) == (HotWorkLevel.FIRST, ["holiday"])
    assert hot_work_level(hot_facts(day_type="workday", night=False), *window) == (HotWorkLevel.SECOND, [])


def test_unknown_declared_day_type() -> None:
    with pytest.raises(InvalidInput):
        hot_work_level(hot_facts(day_type="festival"), at(2026, 12, 1, 9), at(2026, 12, 1, 12))


# --------------------------------------------------------------------------- declared levels


@pytest.mark.parametrize(
    ("permit_type", "text", "expected"),
    [
        ("hot_work", "特级", HotWorkLevel.SPECIAL),
        ("hot_work", "一级", HotWorkLevel.FIRST),
        ("hot_work", " 二级 ", HotWorkLevel.SECOND),
        ("hot_work", "second", HotWorkLevel.SECOND),
        ("hot_work", "SPECIAL", HotWorkLevel.SPECIAL),
        ("hot_work", 1, HotWorkLevel.SPECIAL),
        ("height", "Ⅲ", HeightLevel.III),
        ("height", "Ⅳ级", HeightLevel.IV),
        ("height", "III", HeightLevel.III),
        ("height", "ii", HeightLevel.II),
        ("height", "Ⅰ", HeightLevel.I),
        ("height", 4, HeightLevel.IV),
        ("lifting", "三级", LiftingLevel.THIRD),
        ("lifting", "一级", LiftingLevel.FIRST),
        ("lifting", "third", LiftingLevel.THIRD),
    ],
)
def test_parse_declared_level(permit_type: str, text: str | int, expected: Any) -> None:
    assert parse_declared_level(permit_type, text) is expected


@pytest.mark.parametrize("text", [None, "", "  "])
def test_parse_blank_level_is_none(text: str | None) -> None:
    assert parse_declared_level("hot_work", text) is None
    assert parse_declared_level("confined_space", text) is None


@pytest.mark.parametrize(
    ("permit_type", "text"),
    [
        ("hot_work", "三级"),
        ("hot_work", "Ⅲ"),
        ("hot_work", "3"),
        ("height", "特级"),
        ("lifting", "IV"),
        ("confined_space", "一级"),
    ],
)
def test_parse_unknown_level(permit_type: str, text: str) -> None:
    with pytest.raises(UnknownLevel) as exc:
        parse_declared_level(permit_type, text)
    assert exc.value.code == "level_unknown"


def test_is_lower_and_stricter() -> None:
    assert is_lower(HotWorkLevel.SECOND, HotWorkLevel.FIRST)
    assert not is_lower(HotWorkLevel.SPECIAL, HotWorkLevel.FIRST)
    assert is_lower(HeightLevel.II, HeightLevel.III)
    assert is_lower(LiftingLevel.THIRD, LiftingLevel.SECOND)
    assert stricter(HotWorkLevel.SECOND, HotWorkLevel.FIRST) is HotWorkLevel.FIRST
    assert stricter(None, HeightLevel.II) is HeightLevel.II
    with pytest.raises(TypeError):
        is_lower(HotWorkLevel.FIRST, LiftingLevel.FIRST)


@pytest.mark.parametrize(
    ("permit_type", "declared", "computed", "code"),
    [
        (PermitType.HOT_WORK, HotWorkLevel.SECOND, HotWorkLevel.FIRST, "hot_work_level_below_computed"),
        (PermitType.HEIGHT, HeightLevel.II, HeightLevel.III, "height_level_below_computed"),
        (PermitType.LIFTING, LiftingLevel.THIRD, LiftingLevel.SECOND, "lifting_level_below_computed"),
    ],
)
def test_lower_declared_level_rejected(
    permit_type: PermitType, declared: Any, computed: Any, code: str
) -> None:
    with pytest.raises(DeclaredLevelTooLow) as exc:
        check_declared_level(permit_type, declared, computed)
    assert exc.value.code == code
    assert exc.value.details == {"declared": declared.value, "computed": computed.value, "reasons": []}


def test_lower_declared_level_message_names_level_and_reasons() -> None:
    with pytest.raises(DeclaredLevelTooLow) as exc:
        check_declared_level("hot_work", HotWorkLevel.SECOND, HotWorkLevel.FIRST, ["holiday", "night"])
    assert "“一级”" in exc.value.message and "节假日" in exc.value.message and "夜间" in exc.value.message
    assert exc.value.details["reasons"] == ["holiday", "night"]


def test_equal_higher_or_missing_declared_level_passes() -> None:
    check_declared_level("hot_work", HotWorkLevel.FIRST, HotWorkLevel.FIRST)
    check_declared_level("hot_work", HotWorkLevel.SPECIAL, HotWorkLevel.FIRST)
    check_declared_level("height", None, HeightLevel.IV)
    check_declared_level("confined_space", None, None)
