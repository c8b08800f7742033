"""special_ops.rules.gas: limits, evaluation of one sample, the start gate, re-test timing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from special_ops.rules.errors import InvalidInput, NaiveDatetime
from special_ops.rules.gas import (
    FRESHNESS,
    GAS_FAILURE_CODES,
    GAS_TEST_REQUIRED,
    INTERRUPTION_LIMIT,
    TOXIC_LIMITS,
    GasMonitoringMissing,
    GasTestFailed,
    GasTestMissing,
    GasTestStale,
    check_start_gas,
    evaluate_gas_test,
    flammable_limit,
    gas_test_required,
    latest_test_before,
    mg_m3_to_ppm,
    retest_due,
    toxic_limit,
)
from special_ops.rules.levels import HotWorkLevel
from special_ops.rules.types import PermitType

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 12, 8, 9, 0, tzinfo=SH)


def sample(
    minutes_before: float = 15,
    o2: float | None = 20.9,
    flammable: list[dict[str, Any]] | None = None,
    toxic: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    reading: dict[str, Any] = {
        "sampled_at": (START - timedelta(minutes=minutes_before)).isoformat(),
        "flammable": [{"medium": "甲烷", "lel_pct_vol": 5.0, "reading_pct_vol": 0.05}]
        if flammable is None
        else flammable,
        "toxic": toxic or [],
    }
    if o2 is not None:
        reading["o2_pct_vol"] = o2
    return reading


def codes(verdict: Any) -> list[str]:
    return [f.code for f in verdict.failures]


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize(("formula", "ppm"), [("H2S", 7.2), ("CO", 17.5), ("NH3", 28.7)])
def test_readme_limits_in_ppm(formula: str, ppm: float) -> None:
    assert TOXIC_LIMITS[formula.upper()].limit_ppm == ppm


def test_every_limit_is_computed_from_molar_mass() -> None:
    for row in TOXIC_LIMITS.values():
        assert row.limit_ppm == round(row.limit_mg_m3 * 24.45 / row.molar_mass, 1)
        assert row.limit_type in {"MAC", "PC-TWA"}
        assert row.name


def test_conversion_formula() -> None:
    assert mg_m3_to_ppm(10, 34.08) == pytest.approx(7.174, abs=1e-3)


def test_toxic_limit_lookup_by_formula_or_name() -> None:
    assert toxic_limit("h2s") is TOXIC_LIMITS["H2S"]
    assert toxic_limit("硫化氢") is TOXIC_LIMITS["H2S"]
    assert toxic_limit("甲醇") is TOXIC_LIMITS["CH3OH"]
    assert toxic_limit("unobtainium") is None


@pytest.mark.parametrize(("lel", "limit"), [(4.0, 0.5), (6.0, 0.5), (3.99, 0.2), (2.0, 0.2), (None, 0.2)])
def test_flammable_limit(lel: float | None, limit: float) -> None:
    assert flammable_limit(lel) == limit


# --------------------------------------------------------------------------- oxygen


@pytest.mark.parametrize(
    ("o2", "enriched", "passed"),
    [
        (19.5, False, True),
        (19.4, False, False),
        (21.0, False, True),
        (21.1, False, False),
        (23.5, False, False),
        (23.5, True, True),
        (23.6, True, False),
        (19.4, True, False),
    ],
)
def test_confined_space_oxygen_window(o2: float, enriched: bool, passed: bool) -> None:
    verdict = evaluate_gas_test("confined_space", sample(o2=o2), oxygen_enriched_declared=enriched)
    assert verdict.passed is passed
    if not passed:
        assert codes(verdict) == ["o2_out_of_range"]


def test_confined_space_needs_oxygen() -> None:
    assert codes(evaluate_gas_test("confined_space", sample(o2=None))) == ["o2_missing"]


def test_hot_work_oxygen_only_judged_against_enrichment() -> None:
    assert evaluate_gas_test("hot_work", sample(o2=None)).passed
    assert evaluate_gas_test("hot_work", sample(o2=19.0)).passed
    assert evaluate_gas_test("hot_work", sample(o2=23.5)).passed
    assert codes(evaluate_gas_test("hot_work", sample(o2=23.6))) == ["o2_out_of_range"]


# --------------------------------------------------------------------------- flammables and toxics


@pytest.mark.parametrize(
    ("lel", "value", "passed"),
    [(5.0, 0.5, True), (5.0, 0.51, False), (2.0, 0.2, True), (2.0, 0.21, False), (2.0, 0.05, True)],
)
def test_flammable_reading(lel: float, value: float, passed: bool) -> None:
    entry = [{"medium": "x", "lel_pct_vol": lel, "reading_pct_vol": value}]
    verdict = evaluate_gas_test("hot_work", sample(flammable=entry))
    assert verdict.passed is passed
    if not passed:
        assert codes(verdict) == ["flammable_over_limit"]


def test_hot_work_needs_a_flammable_reading() -> None:
    assert codes(evaluate_gas_test("hot_work", sample(flammable=[]))) == ["flammable_missing"]
    entry = [{"medium": "甲醇", "lel_pct_vol": 6.0, "reading_pct_vol": None}]
    assert codes(evaluate_gas_test("hot_work", sample(flammable=entry))) == ["flammable_missing"]


@pytest.mark.parametrize(("ppm", "passed"), [(7.2, True), (7.3, False), (1.0, True)])
def test_h2s_against_mac(ppm: float, passed: bool) -> None:
    toxic = [{"gas": "硫化氢", "formula": "H2S", "reading_ppm": ppm}]
    verdict = evaluate_gas_test("confined_space", sample(toxic=toxic))
    assert verdict.passed is passed
    if not passed:
        assert codes(verdict) == ["toxic_over_limit"]


def test_unknown_toxic_uses_written_limit_else_fails() -> None:
    written = [{"gas": "某气体", "formula": "XY", "reading_ppm": 3, "oel_ppm_approx": 5}]
    assert evaluate_gas_test("confined_space", sample(toxic=written)).passed
    unknown = [{"gas": "某气体", "formula": "XY", "reading_ppm": 0.1}]
    assert codes(evaluate_gas_test("confined_space", sample(toxic=unknown))) == ["toxic_limit_unknown"]


def test_table_limit_wins_over_written_limit() -> None:
    toxic = [{"gas": "硫化氢", "formula": "H2S", "reading_ppm": 8, "oel_ppm_approx": 10}]
    assert codes(evaluate_gas_test("confined_space", sample(toxic=toxic))) == ["toxic_over_limit"]


def test_failures_are_reported_in_order() -> None:
    verdict = evaluate_gas_test(
        "confined_space",
        sample(
            o2=18.0,
            flammable=[{"medium": "甲烷", "lel_pct_vol": 5.0, "reading_pct_vol": 1.0}],
            toxic=[{"formula": "CO", "reading_ppm": 50}],
        ),
    )
    assert not verdict.passed
    assert codes(verdict) == ["o2_out_of_range", "flammable_over_limit", "toxic_over_limit"]
    assert all(code in GAS_FAILURE_CODES for code in codes(verdict))
    code, message = verdict.failures[0]
    assert code == "o2_out_of_range"
    assert "18" in message


def test_non_numeric_reading_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as exc:
        evaluate_gas_test("confined_space", sample(o2="20.9"))  # type: ignore[arg-type]
    assert exc.value.code == "gas_reading_invalid"


# --------------------------------------------------------------------------- when a test is required


def test_gas_test_required_table() -> None:
    assert gas_test_required("hot_work", {})
    assert gas_test_required("confined_space", {})
    assert gas_test_required("temp_power", {"in_fire_explosion_area": True})
    assert not gas_test_required("temp_power", {"in_fire_explosion_area": False})
    assert gas_test_required("height", {"hazard_factors": ["toxic_or_low_oxygen"]})
    assert not gas_test_required("height", {"hazard_factors": ["low_temperature"]})
    for permit_type in ("blinding", "lifting", "excavation", "road_closure"):
        assert not gas_test_required(permit_type, {"in_fire_explosion_area": True})
    assert set(GAS_TEST_REQUIRED) == set(PermitType)


# --------------------------------------------------------------------------- start gate


def test_thirty_minutes_exactly_is_fresh() -> None:
    assert FRESHNESS == timedelta(minutes=30)
    verdict = check_start_gas("hot_work", HotWorkLevel.SECOND, [sample(minutes_before=30)], START, {})
    assert verdict is not None
    assert verdict.passed


def test_thirty_one_minutes_is_stale() -> None:
    with pytest.raises(GasTestStale) as exc:
        check_start_gas("hot_work", HotWorkLevel.SECOND, [sample(minutes_before=31)], START, {})
    assert exc.value.code == "gas_test_stale"
    assert exc.value.details["age_minutes"] == 31


def test_confined_space_freshness_too() -> None:
    facts = {"oxygen_enriched_declared": False}
    assert check_start_gas("confined_space", None, [sample(minutes_before=30)], START, facts)
    with pytest.raises(GasTestStale):
        check_start_gas("confined_space", None, [sample(minutes_before=31)], START, facts)


def test_no_test_is_missing() -> None:
    with pytest.raises(GasTestMissing) as exc:
        check_start_gas("confined_space", None, [], START, {})
    assert exc.value.code == "gas_test_missing"


def test_test_after_start_does_not_count() -> None:
    with pytest.raises(GasTestMissing):
        check_start_gas("hot_work", HotWorkLevel.SECOND, [sample(minutes_before=-5)], START, {})


def test_latest_test_before_picks_latest_not_after() -> None:
    older, newer, later = sample(40), sample(10), sample(-10)
    assert latest_test_before([newer, later, older], START) is newer
    assert latest_test_before([later], START) is None
    assert latest_test_before([sample(0)], START)["sampled_at"] == START.isoformat()


def test_fresh_test_after_a_stale_one_passes() -> None:
    assert check_start_gas("hot_work", HotWorkLevel.FIRST, [sample(45), sample(5)], START, {})


def test_only_latest_sample_is_judged() -> None:
    bad_then_good = [sample(20, o2=19.0), sample(5, o2=20.8)]
    assert check_start_gas("confined_space", None, bad_then_good, START, {})
    good_then_bad = [sample(20, o2=20.8), sample(5, o2=19.0)]
    with pytest.raises(GasTestFailed) as exc:
        check_start_gas("confined_space", None, good_then_bad, START, {})
    assert exc.value.code == "o2_out_of_range"
    assert exc.value.details["failures"][0][0] == "o2_out_of_range"


def test_enriched_declaration_read_from_facts() -> None:
    tests = [sample(10, o2=23.0)]
    with pytest.raises(GasTestFailed):
        check_start_gas("confined_space", None, tests, START, {"oxygen_enriched_declared": False})
    assert check_start_gas("confined_space", None, tests, START, {"oxygen_enriched_declared": True})


def test_not_required_returns_none() -> None:
    assert check_start_gas("lifting", None, [], START, {}) is None
    assert check_start_gas("temp_power", None, [], START, {"in_fire_explosion_area": False}) is None


def test_special_hot_work_needs_continuous_monitoring() -> None:
    with pytest.raises(GasMonitoringMissing) as exc:
        check_start_gas(
            "hot_work", HotWorkLevel.SPECIAL, [sample(10)], START, {"continuous_gas_monitoring": False}
        )
    assert exc.value.code == "gas_continuous_monitoring_missing"
    assert check_start_gas(
        "hot_work", HotWorkLevel.SPECIAL, [sample(10)], START, {"continuous_gas_monitoring": True}
    )
    assert check_start_gas("hot_work", HotWorkLevel.FIRST, [sample(10)], START, {})


def test_naive_sample_time_rejected() -> None:
    with pytest.raises(NaiveDatetime):
        check_start_gas("hot_work", HotWorkLevel.SECOND, [{"sampled_at": "2026-12-08T08:50:00"}], START, {})


def test_garbled_sample_time_rejected() -> None:
    with pytest.raises(InvalidInput) as exc:
        latest_test_before([{"sampled_at": "yesterday"}], START)
    assert exc.value.code == "gas_reading_invalid"


# --------------------------------------------------------------------------- re-test timing


@pytest.mark.parametrize(
    ("permit_type", "level", "minutes", "due"),
    [
        ("hot_work", HotWorkLevel.SPECIAL, 30, False),
        ("hot_work", HotWorkLevel.SPECIAL, 31, True),
        ("hot_work", HotWorkLevel.FIRST, 30, False),
        ("hot_work", HotWorkLevel.FIRST, 31, True),
        ("hot_work", HotWorkLevel.SECOND, 60, False),
        ("hot_work", HotWorkLevel.SECOND, 61, True),
        ("confined_space", None, 60, False),
        ("confined_space", None, 61, True),
        ("lifting", None, 600, False),
    ],
)
def test_retest_after_interruption(permit_type: str, level: Any, minutes: int, due: bool) -> None:
    last_test, paused = START, START + timedelta(hours=1)
    now = paused + timedelta(minutes=minutes)
    assert retest_due(permit_type, level, last_test, now, paused_at=paused) is due


def test_interruption_counts_from_a_test_taken_during_the_pause() -> None:
    paused = START
    last_test = START + timedelta(minutes=40)
    assert not retest_due(
        "hot_work", HotWorkLevel.FIRST, last_test, last_test + timedelta(minutes=30), paused_at=paused
    )


def test_interruption_limits_table() -> None:
    assert INTERRUPTION_LIMIT[(PermitType.HOT_WORK, HotWorkLevel.SECOND)] == timedelta(minutes=60)
    assert INTERRUPTION_LIMIT[(PermitType.CONFINED_SPACE, None)] == timedelta(minutes=60)


def test_confined_space_periodic_reading_while_occupied() -> None:
    assert not retest_due("confined_space", None, START, START + timedelta(hours=2))
    assert retest_due("confined_space", None, START, START + timedelta(hours=2, minutes=1))
    # Hot work in progress (no pause) has no periodic sweep.
    assert not retest_due("hot_work", HotWorkLevel.SECOND, START, START + timedelta(hours=5))


def test_retest_due_rejects_naive() -> None:
    with pytest.raises(NaiveDatetime):
        retest_due("confined_space", None, START, datetime(2026, 12, 8, 12, 0))  # noqa: DTZ001
