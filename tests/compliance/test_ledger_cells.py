"""Ledger cell parsers (compliance.importers.ledger_parse; data/README.md §3): the one date parser,
the "fixed on the spot" marks and the text → code mappings. Pure: no Django, no DB."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from backend.core.rules import RuleError
from compliance.importers.ledger_parse import (
    IMMEDIATE_MARK,
    IMMEDIATE_TOKENS,
    SOURCE_PREFIXES,
    InvalidDate,
    is_immediate_mark,
    parse_date,
    parse_grade,
    parse_ledger_state,
    parse_source,
    parse_type,
)
from compliance.rules.hazard_codes import HazardGrade, HazardSource
from compliance.rules.hazard_states import HazardState

S = HazardState


# ----------------------------------------------------------------------------- ledger dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026.06.03", date(2026, 6, 3)),  # 序号 1–14
        (datetime(2026, 7, 10, 0, 0), date(2026, 7, 10)),  # 序号 15–28, Excel date cells
        (date(2026, 7, 10), date(2026, 7, 10)),
        ("2026年9月2日", date(2026, 9, 2)),  # 序号 29–42
        ("2026年10月17日", date(2026, 10, 17)),
        ("2026/10/13", date(2026, 10, 13)),  # 序号 43–56
        ("2026/4/30", date(2026, 4, 30)),
        ("2026/11/1", date(2026, 11, 1)),
        ("2026-11-10", date(2026, 11, 10)),  # 序号 57–70
        ("2026-1-5", date(2026, 1, 5)),
        ("２０２６年９月２日", date(2026, 9, 2)),  # full-width digits
        ("２０２６．０６．０３", date(2026, 6, 3)),
        ("２０２６－１１－１０", date(2026, 11, 10)),
        (" 2026.06.03 ", date(2026, 6, 3)),
        ("2026 年 9 月 2 日", date(2026, 9, 2)),
        ("2026年9月2", date(2026, 9, 2)),
        ("2026-11-10 00:00:00", date(2026, 11, 10)),
        ("2026-11-10T08:30", date(2026, 11, 10)),
        (46213, date(2026, 7, 10)),  # Excel serial
        (46213.75, date(2026, 7, 10)),  # serial with a time fraction
        (61, date(1900, 3, 1)),
        (59, date(1900, 2, 28)),
        (1, date(1900, 1, 1)),
        (datetime(2026, 11, 9, 20, 0, tzinfo=UTC), date(2026, 11, 10)),  # aware: read in Shanghai
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["", "   ", None, "/", "-", "—"])
def test_parse_date_blank_is_none(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "即查即改",
        "2026.02.30",
        "2026.13.01",
        "03/06/2026",
        "abc",
        "2026年9月",
        True,
        0,
        -1,
        60,  # Excel's fictitious 1900-02-29
        3_000_000,
        float("nan"),
        float("inf"),
        [2026, 6, 3],
    ],
)
def test_parse_date_rejects(value):
    with pytest.raises(InvalidDate, match=r"\S") as exc:
        parse_date(value, field="deadline")
    assert isinstance(exc.value, RuleError)
    assert exc.value.code == "invalid_date"
    assert exc.value.field == "deadline"


@pytest.mark.parametrize(("value", "expected"), [("20260603", date(2026, 6, 3)), (Decimal("46213"), date(2026, 7, 10))])
def test_parse_date_also_reads_compact_text_and_decimal_serials(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["即查即改", " 即查即改 ", "即 查 即 改", "立查立改", "立即整改", "当场整改", IMMEDIATE_MARK])
def test_immediate_marks(value):
    assert is_immediate_mark(value)


@pytest.mark.parametrize("value", [None, "", "2027/4/30", date(2027, 4, 30), "即查", 0])
def test_not_immediate_marks(value):
    assert not is_immediate_mark(value)


def test_the_export_mark_is_one_of_the_import_tokens():
    assert IMMEDIATE_MARK == "即查即改" and IMMEDIATE_MARK in IMMEDIATE_TOKENS


# ----------------------------------------------------------------------------- ledger codes


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("一般隐患", "general"),
        ("重大隐患", "major"),
        (" 一般 ", "general"),
        ("重大事故隐患", "major"),
        ("major", "major"),
    ],
)
def test_parse_grade(text, grade):
    assert parse_grade(text) is HazardGrade(grade)


@pytest.mark.parametrize("text", ["", None, "较大隐患", "一般风险", 0])
def test_parse_grade_rejects(text):
    with pytest.raises(RuleError) as exc:
        parse_grade(text)
    assert exc.value.code == "invalid_grade"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (name + suffix, code)
        for name, code in [
            ("安全", 1),
            ("工艺", 2),
            ("电气", 3),
            ("仪表", 4),
            ("消防", 5),
            ("总图", 6),
            ("设备", 7),
            ("其他", 8),
        ]
        for suffix in ("", "类")
    ]
    + [("其它", 8), ("其它类", 8), (" 设备类 ", 7), ("electrical", 3)],
)
def test_parse_type(text, code):
    assert parse_type(text).national_code == code


@pytest.mark.parametrize("text", ["", None, "环保", "类", "安全类类"])
def test_parse_type_rejects(text):
    with pytest.raises(RuleError) as exc:
        parse_type(text)
    assert exc.value.code == "invalid_type"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("日常排查", 1),
        ("综合排查", 2),
        ("专业排查（电气）", 3),
        ("专业排查（仪表）", 3),
        ("专业排查(设备)", 3),
        ("季节性排查（汛期）", 4),
        ("季节性排查（冬季）", 4),
        ("节假日前排查", 5),
        ("事故类比排查", 6),
        ("节后复工前排查", 7),
        ("外聘专家诊断", 8),
        ("外聘专家诊断式排查", 8),
        ("管控措施失效", 9),
    ],
)
def test_parse_source_ledger_forms(text, code):
    assert parse_source(text).national_code == code


def test_parse_source_every_prefix_wins_for_itself():
    # Whatever the table holds, each prefix must map to its own source (no shorter prefix shadows it).
    for prefix, source in SOURCE_PREFIXES.items():
        assert parse_source(prefix + "排查") is source


def test_parse_source_platform_sources():
    assert parse_source("职工报告") is HazardSource.EMPLOYEE_REPORT
    assert parse_source("监管检查") is HazardSource.INSPECTOR
    assert parse_source("吹哨人举报") is HazardSource.WHISTLEBLOWER


@pytest.mark.parametrize("text", ["", None, "排查", "随机检查", "节日"])
def test_parse_source_rejects(text):
    with pytest.raises(RuleError) as exc:
        parse_source(text)
    assert exc.value.code == "invalid_source"


@pytest.mark.parametrize(
    ("text", "has_acceptance", "state"),
    [
        ("已整改", True, S.ACCEPTED),
        ("已整改", False, S.PENDING_ACCEPTANCE),
        ("待验收", False, S.PENDING_ACCEPTANCE),
        ("整改中", False, S.RECTIFYING),
        ("逾期未整改", False, S.RECTIFYING),
        (" 整改中 ", False, S.RECTIFYING),
        ("已验收", True, S.ACCEPTED),
        ("已整改销号", True, S.CLOSED),
        ("治理中", False, S.RECTIFYING),
    ],
)
def test_parse_ledger_state(text, has_acceptance, state):
    assert parse_ledger_state(text, has_acceptance) is state


@pytest.mark.parametrize("text", ["", None, "完成", "逾期"])
def test_parse_ledger_state_rejects(text):
    with pytest.raises(RuleError) as exc:
        parse_ledger_state(text, False)
    assert exc.value.code == "invalid_state"
