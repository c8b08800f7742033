"""Pure parsing of the hidden-danger ledger (no Django): expected figures from shared/data/README.md §3."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from compliance.importers.ledger_parse import InvalidDate, LedgerParse, parse_date, parse_ledger
from tests.helpers.samples import LEDGER_XLSX

LEDGER = LEDGER_XLSX
REFERENCE_DAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def ledger() -> LedgerParse:
    return parse_ledger(LEDGER)


@pytest.fixture(scope="module")
def by_seq(ledger):
    return {r.seq: r for r in ledger.rows}


def test_seventy_rows_no_problems(ledger):
    assert ledger.problems == ()
    assert len(ledger.rows) == 70
    assert [r.seq for r in ledger.rows] == list(range(1, 71))
    assert [r.excel_row for r in ledger.rows] == list(range(4, 74))


def test_every_date_parses(ledger):
    wb = openpyxl.load_workbook(LEDGER, data_only=True)
    ws = wb["隐患排查治理台账"]
    for r in ledger.rows:
        assert isinstance(r.found_date, date)
        assert date(2026, 6, 1) <= r.found_date <= date(2026, 11, 28)
        assert r.deadline is not None
        assert r.deadline >= r.found_date
        # a non-empty cell in a date column must have become a date
        assert (r.completed_date is None) == (ws.cell(r.excel_row, 12).value is None)
        assert (r.accepted_date is None) == (ws.cell(r.excel_row, 14).value is None)
        if r.completed_date:
            assert r.completed_date >= r.found_date
        if r.accepted_date:
            assert r.completed_date is not None
            assert r.accepted_date >= r.completed_date


@pytest.mark.parametrize(
    ("seq", "found", "deadline", "completed", "accepted"),
    [
        (1, date(2026, 6, 3), date(2026, 6, 18), date(2026, 6, 13), date(2026, 6, 14)),  # dotted text
        (15, date(2026, 7, 10), date(2026, 7, 13), date(2026, 7, 12), date(2026, 7, 14)),  # Excel dates
        (
            18,
            date(2026, 7, 21),
            date(2026, 7, 24),
            date(2026, 7, 22),
            date(2026, 7, 23),
        ),  # dotted among Excel
        (29, date(2026, 8, 24), date(2026, 9, 23), date(2026, 9, 21), date(2026, 9, 21)),  # 年月日
        (
            36,
            date(2026, 9, 15),
            date(2026, 9, 20),
            date(2026, 9, 20),
            date(2026, 9, 21),
        ),  # Excel among 年月日
        (44, date(2026, 10, 13), date(2026, 10, 23), date(2026, 10, 16), date(2026, 10, 16)),  # slashes
        (48, date(2026, 10, 20), date(2026, 10, 25), date(2026, 10, 22), date(2026, 10, 23)),
        (59, date(2026, 11, 13), date(2026, 11, 28), date(2026, 11, 28), date(2026, 11, 28)),  # ISO
        (66, date(2026, 11, 24), date(2026, 12, 9), date(2026, 11, 28), date(2026, 11, 28)),
    ],
)
def test_date_formats(by_seq, seq, found, deadline, completed, accepted):
    r = by_seq[seq]
    assert (r.found_date, r.deadline, r.completed_date, r.accepted_date) == (
        found,
        deadline,
        completed,
        accepted,
    )


def test_immediate_rows(ledger):
    immediate = [r for r in ledger.rows if r.immediate]
    assert [r.seq for r in immediate] == [11, 20, 24, 43]
    for r in immediate:
        assert r.deadline == r.found_date == r.completed_date == r.accepted_date
        assert r.state_text == "已整改"


def test_state_counts(ledger):
    assert Counter(r.state_text for r in ledger.rows) == {
        "已整改": 51,
        "整改中": 10,
        "逾期未整改": 5,
        "待验收": 4,
    }
    pending = sorted(r.seq for r in ledger.rows if r.state_text == "待验收")
    assert pending == [51, 57, 60, 67]
    rectifying = sorted(r.seq for r in ledger.rows if r.state_text in ("整改中", "逾期未整改"))
    assert rectifying == [37, 45, 46, 49, 52, 54, 56, 58, 61, 62, 63, 65, 68, 69, 70]
    for r in ledger.rows:
        if r.state_text == "已整改":
            assert r.acceptor
            assert r.accepted_date
            assert r.completed_date
        else:
            assert not r.acceptor
            assert r.accepted_date is None


def test_parsed_deadlines_reproduce_overdue_figures(ledger):
    """Cross-check with README: overdue = deadline day over (end of day) and not yet pending/accepted."""
    open_rows = [r for r in ledger.rows if r.state_text in ("整改中", "逾期未整改")]
    overdue = sorted(r.seq for r in open_rows if r.deadline < REFERENCE_DAY)
    assert overdue == [37, 46, 49, 52, 54, 56, 58]
    stale = sorted(r.seq for r in open_rows if r.deadline < REFERENCE_DAY and r.state_text == "整改中")
    assert stale == [54, 58]
    assert [r.seq for r in open_rows if r.deadline == REFERENCE_DAY] == [65]
    pending_past = sorted(
        r.seq for r in ledger.rows if r.state_text == "待验收" and r.deadline < REFERENCE_DAY
    )
    assert pending_past == [51, 57, 60, 67]


def test_text_fields(by_seq, ledger):
    r = by_seq[3]
    assert r.source_text == "专业排查(电气)"  # NFKC: full-width brackets become ASCII
    assert r.location == "高压配电室"
    assert r.grade_text == "一般隐患"
    assert r.type_text == "电气"
    assert r.responsible == "徐长青"
    assert r.funds_yuan == Decimal(220)
    assert by_seq[45].funds_yuan == Decimal(1860000)
    assert by_seq[5].funds_yuan == Decimal(0)
    assert {r.type_text for r in ledger.rows} >= {"安全类", "设备类", "电气类", "其他", "总图"}
    assert sorted(r.seq for r in ledger.rows if r.grade_text == "重大隐患") == [16, 45]
    assert {r.grade_text for r in ledger.rows} == {"一般隐患", "重大隐患"}


def test_major_hazards(ledger, by_seq):
    assert [m.ledger_seq for m in ledger.majors] == [16, 45]
    m16, m45 = ledger.majors
    assert m16.supervised is False
    assert m16.supervised_text == "否"
    assert m45.supervised is True
    assert m45.supervised_text == "县应急管理局挂牌督办"
    assert m16.state_text == "已整改销号"
    assert m45.state_text == "治理中"
    assert m45.deadline == date(2027, 4, 30) == by_seq[45].deadline
    assert m16.deadline == date(2026, 7, 31) == by_seq[16].deadline
    assert m45.funds_yuan == Decimal(1860000)
    assert m45.responsible == "韩德茂"
    assert "第十三项" in m45.basis
    assert "第十二项" in m16.basis
    assert m45.measures
    assert m45.contingency_plan
    assert m45.name.startswith("中心控制室")
    assert by_seq[16].acceptor == "韩德茂"  # closed by the principal


# --- parse_date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026.06.03",
        "2026.6.3",
        "2026年6月3日",
        "2026 年 6 月 3 日",
        "2026/6/3",
        "2026/06/03",
        "2026-06-03",
        "20260603",
        "２０２６．０６．０３",
        "２０２６年６月３日",
        "2026-06-03 00:00:00",
        "2026-06-03T08:30",
        datetime(2026, 6, 3, 14, 5),
        date(2026, 6, 3),
        46176,
        46176.5,
        Decimal(46176),
    ],
)
def test_parse_date_formats(value):
    assert parse_date(value) == date(2026, 6, 3)


@pytest.mark.parametrize("value", [None, "", "/", "  "])
def test_parse_date_empty(value):
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["即查即改", "2026.02.30", "2026-13-01", "明天", "06/03/2026", True, 0, -5])
def test_parse_date_rejects_garbage(value):
    with pytest.raises(InvalidDate):
        parse_date(value)


def test_parse_date_1904_epoch():
    assert parse_date(44714, epoch=date(1904, 1, 1)) == date(2026, 6, 3)


# --- synthetic ledgers -----------------------------------------------------------------------


def _ledger_bytes(rows, major_rows=None) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "隐患排查治理台账"
    ws.append(["某公司隐患排查治理台账"])
    # columns in another order, fewer of them
    ws.append(["排查日期", "序号", "隐患描述", "整改期限", "整改资金(元)", "状态"])
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append(["填表人：张三"])
    if major_rows is not None:
        ws2 = wb.create_sheet("重大隐患五落实")
        ws2.append(["台账序号", "挂牌督办", "治理时限"])
        for row in major_rows:
            ws2.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_synthetic_ledger_problems_and_links():
    parsed = parse_ledger(
        _ledger_bytes(
            [
                ["2026/1/5", 1, "护栏松动", "即查即改", "100元", "已整改"],
                ["2026-01-06", 2, "灭火器过期", "下周", 50, "整改中"],
                ["not a date", 3, "x", "2026.01.20", 0, "整改中"],
                [date(2026, 1, 7), 4, None, "2026.01.20", "abc", "整改中"],
                ["2026.1.8", 5, "ok", None, None, "整改中"],
            ],
            major_rows=[[5, "市应急管理局挂牌督办", "2026/3/1"], [9, "否", None], [1, "待定", None]],
        )
    )
    assert [(r.seq, r.immediate, r.deadline, r.funds_yuan) for r in parsed.rows] == [
        (1, True, date(2026, 1, 5), Decimal(100)),
        (5, False, None, None),
    ]
    problems = {(p.sheet, p.excel_row, p.field, p.code) for p in parsed.problems}
    assert problems == {
        ("隐患排查治理台账", 4, "deadline", "invalid_date"),
        ("隐患排查治理台账", 5, "found_date", "invalid_date"),
        ("隐患排查治理台账", 6, "description", "required"),
        ("隐患排查治理台账", 6, "funds_yuan", "invalid_number"),
        ("重大隐患五落实", 3, "ledger_seq", "unknown_ledger_seq"),
        ("重大隐患五落实", 4, "supervised", "invalid_choice"),
    }
    assert [(m.ledger_seq, m.supervised, m.deadline) for m in parsed.majors] == [(5, True, date(2026, 3, 1))]


def test_missing_required_column_is_reported():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "隐患排查治理台账"
    ws.append(["序号", "隐患描述"])
    ws.append([1, "x"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    parsed = parse_ledger(buf)
    assert parsed.rows == ()
    assert [(p.field, p.code) for p in parsed.problems] == [("found_date", "missing_column")]
