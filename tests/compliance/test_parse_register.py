"""Pure parsing of the risk register (no Django): expected figures from shared/data/README.md §2."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from compliance.importers.register_parse import RegisterParse, parse_register
from compliance.importers.xlsx_tables import SheetRow, find_header_rows, read_sheet, to_number
from tests.helpers.samples import REGISTER_XLSX

D = Decimal




REGISTER = REGISTER_XLSX


@pytest.fixture(scope="module")
def register() -> RegisterParse:
    return parse_register(REGISTER)


def _rows_by_excel(sheet):
    return {r.excel_row: r for r in sheet.rows}


# --- test-only level bands (DOMAIN.md §2), used to check that the *parsed inputs* reproduce the
# --- README's expected level counts.  The real rules live in the rules module, not here.
def _lec_level(d: Decimal) -> str:
    if d > 320:
        return "重大"
    if d > 160:
        return "较大"
    if d > 70:
        return "一般"
    return "低"


def _ls_level(r: Decimal) -> str:
    if r >= 20:
        return "重大"
    if r >= 15:
        return "较大"
    if r >= 9:
        return "一般"
    return "低"


_WRITTEN = {
    "重大风险": "重大",
    "红": "重大",
    "较大风险": "较大",
    "橙": "较大",
    "一般风险": "一般",
    "黄": "一般",
    "3级": "一般",
    "低风险": "低",
    "蓝": "低",
    "4级": "低",
}
_RANK = {"重大": 0, "较大": 1, "一般": 2, "低": 3}


def test_sample_register_is_in_the_repository():
    assert REGISTER.is_file()
    assert REGISTER.parent == Path(__file__).resolve().parents[2] / "samples"


def test_sheets_and_methods(register):
    assert [(s.name, s.method) for s in register.sheets] == [("作业活动", "lec"), ("设备设施", "ls")]
    assert register.skipped_sheets == ()
    for sheet in register.sheets:
        assert sheet.problems == ()
        assert sheet.header_rows == (3, 4)


def test_activity_sheet_counts(register):
    sheet = register.sheet("作业活动")
    assert len(sheet.rows) == 45
    points = dict.fromkeys((r.point_code, r.point_name) for r in sheet.rows)
    assert len(points) == 12
    assert list(points)[0] == ("ZY-01", "动火作业")
    assert list(points)[-1] == ("ZY-12", "叉车搬运作业")
    assert {r.point_kind for r in sheet.rows} == {"activity"}
    assert [r.seq for r in sheet.rows] == list(range(1, 46))
    assert all(set(r.inputs) == {"l", "e", "c"} for r in sheet.rows)
    assert all(r.standard == "" for r in sheet.rows)


def test_equipment_sheet_counts(register):
    sheet = register.sheet("设备设施")
    assert len(sheet.rows) == 37
    points = dict.fromkeys((r.point_code, r.point_name, r.point_kind) for r in sheet.rows)
    assert len(points) == 13
    kinds = Counter(kind for _, _, kind in points)
    assert kinds == {"equipment": 8, "place": 5}
    assert ("SB-01", "储罐区", "place") in points
    assert [r.seq for r in sheet.rows] == list(range(1, 38))
    assert all(set(r.inputs) == {"l", "s"} for r in sheet.rows)
    first = sheet.rows[0]
    assert first.step == "储罐本体"
    assert first.standard.startswith("罐体无变形")
    assert first.event.startswith("罐壁腐蚀穿孔")
    assert first.location.startswith("厂区东北部")


def test_full_width_numbers_parse(register):
    act = _rows_by_excel(register.sheet("作业活动"))
    assert act[24].inputs == {"l": D(3), "e": D(3), "c": D(15)}
    assert act[24].written_score == D(135)
    assert act[49].inputs == {"l": D(3), "e": D(6), "c": D(7)}
    assert act[49].written_score == D(126)
    eq = _rows_by_excel(register.sheet("设备设施"))
    assert eq[30].inputs == {"l": D(2), "s": D(5)}
    assert eq[30].written_score == D(10)


def test_merged_lec_cells_fill_down(register):
    act = _rows_by_excel(register.sheet("作业活动"))
    for r in (18, 19):
        assert act[r].inputs == {"l": D(3), "e": D(2), "c": D(15)}
        assert act[r].written_score == D(90)
    for r in (42, 43):
        assert act[r].inputs == {"l": D(3), "e": D(3), "c": D(3)}
        assert act[r].written_score == D(27)


def test_merged_point_cells_fill_down(register):
    act = _rows_by_excel(register.sheet("作业活动"))
    assert {act[r].point_code for r in range(5, 10)} == {"ZY-01"}
    assert act[9].location == "生产装置区、罐区及厂区各动火点"
    eq = _rows_by_excel(register.sheet("设备设施"))
    assert {(eq[r].point_code, eq[r].point_kind) for r in (40, 41)} == {("SB-13", "equipment")}


def test_blank_spacer_title_and_footer_skipped(register):
    act = register.sheet("作业活动")
    assert [r.excel_row for r in act.rows] == [*range(5, 27), *range(28, 51)]
    eq = register.sheet("设备设施")
    assert [r.excel_row for r in eq.rows] == list(range(5, 42))
    texts = [r.point_code + r.event for s in register.sheets for r in s.rows]
    assert not any("编制" in t or "批准" in t for t in texts)


def test_row_29_keeps_written_values(register):
    row = _rows_by_excel(register.sheet("作业活动"))[29]
    assert row.inputs == {"l": D(3), "e": D(6), "c": D(15)}
    assert row.written_score == D(90)
    assert row.written_level_text == "一般风险"


def test_half_point_l_and_other_fields(register):
    act = _rows_by_excel(register.sheet("作业活动"))
    row = act[17]
    assert row.inputs["l"] == D("0.5")
    assert row.written_score == D("22.5")
    first = act[5]
    assert first.point_kind == "activity"
    assert first.step == "作业前危害辨识及办票"
    assert first.accident_types_text == "火灾、其它爆炸"
    assert first.accident_types == ("火灾", "其它爆炸")
    assert first.control_level_text == "车间级"
    assert (first.department, first.responsible) == ("设备动力部", "孙国庆")
    assert set(first.measures) == {"engineering", "management", "training", "ppe", "emergency"}
    # "/" means no measure
    assert "engineering" not in act[9].measures
    assert act[9].measures["management"].startswith("监护人确认现场无余火")


def test_written_level_texts_are_raw(register):
    texts = {r.written_level_text for s in register.sheets for r in s.rows}
    assert texts == set(_WRITTEN)
    assert {r.control_level_text for s in register.sheets for r in s.rows} == {
        "公司级",
        "车间级",
        "班组级",
        "岗位级",
    }


def test_accident_types_include_rare_ones(register):
    types = {t for s in register.sheets for r in s.rows for t in r.accident_types}
    assert {"淹溺", "锅炉爆炸", "中毒和窒息"} <= types


@pytest.mark.parametrize(
    ("sheet_name", "expected_levels", "expected_flagged", "colours"),
    [
        (
            "作业活动",
            {"重大": 2, "较大": 4, "一般": 18, "低": 21},
            1,
            {
                "ZY-01": "重大",
                "ZY-02": "重大",
                "ZY-03": "一般",
                "ZY-04": "一般",
                "ZY-05": "一般",
                "ZY-06": "一般",
                "ZY-07": "较大",
                "ZY-08": "较大",
                "ZY-09": "一般",
                "ZY-10": "一般",
                "ZY-11": "低",
                "ZY-12": "一般",
            },
        ),
        (
            "设备设施",
            {"重大": 1, "较大": 4, "一般": 14, "低": 18},
            0,
            {
                "SB-01": "重大",
                "SB-02": "较大",
                "SB-03": "低",
                "SB-04": "低",
                "SB-05": "一般",
                "SB-06": "低",
                "SB-07": "一般",
                "SB-08": "较大",
                "SB-09": "较大",
                "SB-10": "低",
                "SB-11": "较大",
                "SB-12": "一般",
                "SB-13": "低",
            },
        ),
    ],
)
def test_parsed_inputs_reproduce_readme_levels(
    register, sheet_name, expected_levels, expected_flagged, colours
):
    """Cross-check: the parsed numbers give exactly the README's level counts and point colours."""
    sheet = register.sheet(sheet_name)
    levels, flagged, colour = Counter(), 0, {}
    for r in sheet.rows:
        if sheet.method == "lec":
            score = r.inputs["l"] * r.inputs["e"] * r.inputs["c"]
            level = _lec_level(score)
        else:
            score = r.inputs["l"] * r.inputs["s"]
            level = _ls_level(score)
        levels[level] += 1
        if r.written_score != score or _WRITTEN[r.written_level_text] != level:
            flagged += 1
        prev = colour.get(r.point_code)
        colour[r.point_code] = level if prev is None or _RANK[level] < _RANK[prev] else prev
    assert dict(levels) == expected_levels
    assert flagged == expected_flagged
    assert colour == colours


# --- synthetic registers: other column orders, bad cells ---------------------------------------


def _workbook_bytes(build) -> io.BytesIO:
    wb = openpyxl.Workbook()
    build(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def _synthetic(ws, rows):
    ws.title = "作业活动"
    ws["A1"] = "某公司作业活动风险分级管控清单"
    ws.merge_cells("A1:J1")
    # header on rows 2-3, columns in a different order than the sample file
    heads = ["序号", "风险点", None, "危险源或潜在事件", "风险评价", None, None, None, "风险等级", "管理措施"]
    subs = [None, "名称", "编号", None, "C", "E", "L", "D", None, None]
    for col, (h, s) in enumerate(zip(heads, subs, strict=True), start=1):
        if h:
            ws.cell(2, col, h)
        if s:
            ws.cell(3, col, s)
    for col in (1, 4, 9, 10):
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    ws.merge_cells("B2:C2")
    ws.merge_cells("E2:H2")
    for r, values in enumerate(rows, start=4):
        for c, v in enumerate(values, start=1):
            ws.cell(r, c, v)
    return ws


def test_columns_found_by_header_text_not_position():
    buf = _workbook_bytes(
        lambda ws: _synthetic(
            ws,
            [
                [1, "动火作业", "ZY-01", "焊渣飞溅", 15, 6, 3, 270, "较大风险", "/"],
                [2, "动火作业", "ZY-01", "电焊机漏电", "７", "６", "１", 42, "低风险", "定期检查"],
                [None, None, None, None, None, None, None, None, None, None],
                ["填表人：张三", None, None, None, None, None, None, None, None, None],
                [3, "不应读到", "X", "footer 之后", 1, 1, 1, 1, "低风险", None],
            ],
        )
    )
    parsed = parse_register(buf)
    sheet = parsed.sheet("作业活动")
    assert sheet.method == "lec"
    assert sheet.header_rows == (2, 3)
    assert sheet.problems == ()
    assert [r.excel_row for r in sheet.rows] == [4, 5]
    a, b = sheet.rows
    assert (a.point_code, a.point_name, a.point_kind) == ("ZY-01", "动火作业", "activity")
    assert a.inputs == {"l": D(3), "e": D(6), "c": D(15)}
    assert a.measures == {}
    assert b.inputs == {"l": D(1), "e": D(6), "c": D(7)}
    assert b.measures == {"management": "定期检查"}


def test_unparseable_row_becomes_problem():
    buf = _workbook_bytes(
        lambda ws: _synthetic(
            ws,
            [
                [1, "动火作业", "ZY-01", "焊渣飞溅", 15, "六", 3, 270, "较大风险", None],
                [2, "动火作业", "ZY-01", "漏电", 7, 6, None, "abc", "低风险", None],
                [3, "动火作业", "ZY-01", None, 7, 6, 1, 42, "低风险", None],
                [4, "动火作业", "ZY-01", "好行", 7, 6, 1, 42, "低风险", None],
            ],
        )
    )
    sheet = parse_register(buf).sheet("作业活动")
    assert [r.excel_row for r in sheet.rows] == [7]
    found = {(p.excel_row, p.field, p.code) for p in sheet.problems}
    assert found == {
        (4, "inputs.e", "invalid_number"),
        (5, "inputs.l", "required"),
        (5, "written_score", "invalid_number"),
        (6, "event", "required"),
    }
    assert all(p.sheet == "作业活动" and p.message for p in sheet.problems)


def test_unknown_point_kind_is_a_problem():
    def build(ws):
        _synthetic(ws, [[1, "动火作业", "ZY-01", "焊渣", 15, 6, 3, 270, "较大风险", None, "管道"]])
        ws.cell(2, 11, "类型")
        ws.merge_cells("K2:K3")

    sheet = parse_register(_workbook_bytes(build)).sheet("作业活动")
    assert sheet.rows == ()
    assert [(p.field, p.code) for p in sheet.problems] == [("point_kind", "invalid_choice")]


def test_sheet_without_scores_is_skipped():
    def build(ws):
        ws.title = "说明"
        ws["A1"] = "序号"
        ws["B1"] = "说明"
        ws["A2"] = 1

    parsed = parse_register(_workbook_bytes(build))
    assert parsed.sheets == ()
    assert parsed.skipped_sheets == ("说明",)


# --- xlsx_tables helpers ---------------------------------------------------------------------


def test_read_sheet_two_row_header_keys_and_fill_down():
    wb = openpyxl.load_workbook(REGISTER, data_only=True)
    ws = wb["作业活动"]
    assert find_header_rows(ws) == ((3, 4), 5)
    rows = read_sheet(ws, (3, 4), 5)
    assert len(rows) == 45
    assert isinstance(rows[0], SheetRow)
    assert list(rows[0].values)[:6] == [
        "序号",
        "风险点/编号",
        "风险点/名称",
        "风险点/类型",
        "风险点/区域位置",
        "作业步骤",
    ]
    by_row = {r.excel_row: r.values for r in rows}
    assert by_row[19]["风险评价/L"] == 3
    assert by_row[19]["风险评价/C"] == 15
    assert by_row[24]["风险评价/L"] == "3"  # NFKC of "３"
    assert by_row[5]["危险源或潜在事件"] == "未开展作业危害分析,动火级别判定偏低,安全措施未逐项确认"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("/", None),
        ("／", None),
        ("  ", None),
        (3, D(3)),
        (0.5, D("0.5")),
        (22.5, D("22.5")),
        (3.0, D(3)),
        (D("1.5"), D("1.5")),
        ("１３５", D(135)),
        ("３．５", D("3.5")),
        (" 10 ", D(10)),
        ("1,860,000", D(1860000)),
    ],
)
def test_to_number(value, expected):
    assert to_number(value) == expected


@pytest.mark.parametrize("value", ["abc", "3级", "1,86", True, float("nan"), "NaN", "1/2"])
def test_to_number_rejects_garbage(value):
    with pytest.raises(ValueError):  # noqa: PT011
        to_number(value)
