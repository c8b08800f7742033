"""special_ops.rules.calendar: day types from the maintained calendars, night band, windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from backend.core import workcalendar as wc
from special_ops.rules.calendar import (
    DayType,
    day_type,
    is_day_off,
    is_night,
    parse_day_type,
    window_day_types,
    window_days,
    window_has_night,
)
from special_ops.rules.errors import InvalidWindow, NaiveDatetime

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def tiaoxiu_working_weekends(start: date, end: date) -> list[date]:
    return [d for d in chinese_calendar.get_workdays(start, end, include_weekends=True) if d.weekday() >= 5]


def test_national_day_2026_is_holiday() -> None:
    assert day_type(date(2026, 10, 1)) is DayType.HOLIDAY


def test_tiaoxiu_working_weekend_2026_is_workday() -> None:
    weekends = tiaoxiu_working_weekends(date(2026, 9, 1), date(2026, 10, 31))
    assert weekends, "chinese_calendar should know the National Day 调休 of 2026"
    for d in weekends:
        assert day_type(d) is DayType.WORKDAY, d
    assert date(2026, 9, 20) in weekends  # a Sunday worked for National Day 2026


def test_ordinary_saturday_is_rest_day() -> None:
    saturday = date(2026, 11, 28)
    assert saturday.weekday() == 5
    assert day_type(saturday) is DayType.REST_DAY


def test_ordinary_weekday_is_workday() -> None:
    assert day_type(date(2026, 12, 1)) is DayType.WORKDAY
    assert not is_day_off(date(2026, 12, 1))


def test_2027_new_year_is_holiday() -> None:
    assert day_type(date(2027, 1, 1)) is DayType.HOLIDAY
    assert is_day_off(date(2027, 1, 1))


def test_2027_ordinary_days_via_fallback() -> None:
    assert day_type(date(2027, 1, 4)) is DayType.WORKDAY  # Monday
    assert day_type(date(2027, 1, 9)) is DayType.REST_DAY  # Saturday, no holiday nearby


def test_2027_new_year_is_a_holiday_whichever_source_answers() -> None:
    # chinese_calendar 1.11 stops at 2026, so 2027 goes through the holidays-package fallback;
    # a newer chinese_calendar answers itself. Both paths must say 元旦 is a holiday.
    assert day_type(date(2027, 1, 1)) is DayType.HOLIDAY
    assert wc._day_type_holidays(date(2027, 1, 1)) is DayType.HOLIDAY


def test_fallback_knows_2026_tiaoxiu_workdays() -> None:
    assert wc._day_type_holidays(date(2026, 9, 20)) is DayType.WORKDAY
    assert wc._day_type_holidays(date(2026, 10, 10)) is DayType.WORKDAY


@pytest.mark.parametrize("year", [2025, 2026])
def test_fallback_agrees_with_chinese_calendar_for_covered_years(year: int) -> None:
    d, disagreements = date(year, 1, 1), []
    while d.year == year:
        if wc._day_type_holidays(d) is not wc._day_type_chinese_calendar(d):
            disagreements.append(d)
        d += timedelta(days=1)
    assert disagreements == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("workday", DayType.WORKDAY),
        ("rest_day", DayType.REST_DAY),
        ("public_holiday", DayType.HOLIDAY),
        (" Holiday ", DayType.HOLIDAY),
    ],
)
def test_parse_day_type(text: str, expected: DayType) -> None:
    assert parse_day_type(text) is expected


def test_parse_day_type_unknown() -> None:
    with pytest.raises(ValueError, match="unknown day type"):
        parse_day_type("festival")


def test_day_type_labels() -> None:
    assert DayType.HOLIDAY.label == "节假日"
    assert DayType.REST_DAY == "rest_day"


@pytest.mark.parametrize(
    ("hh", "mm", "night"),
    [
        (21, 59, False),
        (22, 0, True),
        (23, 59, True),
        (0, 0, True),
        (5, 59, True),
        (6, 0, False),
        (12, 0, False),
    ],
)
def test_is_night_band_edges(hh: int, mm: int, night: bool) -> None:
    assert is_night(at(2026, 12, 1, hh, mm)) is night


def test_is_night_converts_to_shanghai() -> None:
    assert is_night(datetime(2026, 12, 1, 14, 0, tzinfo=UTC))  # 22:00 in Shanghai
    assert not is_night(datetime(2026, 12, 1, 13, 59, tzinfo=UTC))


def test_is_night_rejects_naive() -> None:
    with pytest.raises(NaiveDatetime) as exc:
        is_night(datetime(2026, 12, 1, 23, 0))  # noqa: DTZ001 - naive on purpose
    assert exc.value.code == "naive_datetime"


@pytest.mark.parametrize(
    ("start", "end", "night"),
    [
        (at(2026, 12, 1, 8), at(2026, 12, 1, 22), False),  # ends exactly when night begins
        (at(2026, 12, 1, 8), at(2026, 12, 1, 22, 1), True),
        (at(2026, 12, 1, 6), at(2026, 12, 1, 12), False),  # starts exactly when night ends
        (at(2026, 12, 1, 5), at(2026, 12, 1, 7), True),
        (at(2026, 12, 1, 23), at(2026, 12, 2, 1), True),
        (at(2026, 12, 1, 8), at(2026, 12, 3, 8), True),  # multi-day
    ],
)
def test_window_has_night(start: datetime, end: datetime, night: bool) -> None:
    assert window_has_night(start, end) is night


def test_window_days_half_open_at_midnight() -> None:
    assert window_days(at(2026, 12, 1, 8), at(2026, 12, 2, 0)) == [date(2026, 12, 1)]
    assert window_days(at(2026, 12, 1, 8), at(2026, 12, 2, 0, 1)) == [date(2026, 12, 1), date(2026, 12, 2)]


def test_window_days_uses_local_dates() -> None:
    # 2026-11-30 17:00 UTC = 2026-12-01 01:00 Shanghai
    start = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    assert window_days(start, start + timedelta(hours=1)) == [date(2026, 12, 1)]


def test_window_day_types_spanning_new_year_2027() -> None:
    types = window_day_types(at(2026, 12, 31, 8), at(2027, 1, 1, 12))
    assert types == {date(2026, 12, 31): DayType.WORKDAY, date(2027, 1, 1): DayType.HOLIDAY}


def test_empty_window_rejected() -> None:
    with pytest.raises(InvalidWindow) as exc:
        window_days(at(2026, 12, 1, 8), at(2026, 12, 1, 8))
    assert exc.value.code == "invalid_window"
