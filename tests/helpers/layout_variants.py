"""Layout variants of the canonical sample register and ledger (issue 13 tests).

:func:`register_table` / :func:`ledger_tables` read the canonical files into plain logical tables
(merged cells filled, headers as their leaf names) with openpyxl only — independent of the product's
readers.  :func:`write_register` / :func:`write_ledger` write such tables back the way other
enterprises lay them out, as chosen by a :class:`Layout`: file format (xlsx / xls / csv), sheet
names, 0–3 title rows, one- or two-row headers with merged group cells, heading wordings, column
order, extra columns, optional columns left out, points merged vertically or repeated, the point
kind column left out (kind from the sheet name or the method), formulas without cached values,
level texts as roman numerals / colours / 一级…, full-width digits, dates as serials or other text
formats, accident types with bracketed consequences, notes sheets, blank and footer rows.

The heading wordings below are written here on purpose, not taken from the product's vocabulary,
so the tests do not check the vocabulary against itself.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

from tests.helpers.samples import LEDGER_XLSX, REGISTER_XLSX

FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

#: Register leaf headings → other wordings seen in registers (a few per column).
REGISTER_WORDINGS: dict[str, tuple[str, ...]] = {
    "序号": ("序 号", "序号"),
    "编号": ("风险点编号", "风险点编码"),
    "名称": ("风险点名称", "作业活动名称"),
    "类型": ("风险点类型", "风险点类别"),
    "区域位置": ("所在区域位置", "所属区域"),
    "作业步骤": ("工作步骤", "作业步骤"),
    "检查项目": ("检查项目", "检查项目名称"),
    "标准": ("检查标准", "标准要求"),
    "危险源或潜在事件": ("危险源或潜在事件(人、物、作业环境、管理)", "主要危险有害因素"),
    "不符合标准情况及后果": ("不符合标准的情况及后果", "不符合标准情况及后果"),
    "可能导致的事故类型": ("可能发生的事故类型", "事故类型"),
    "L": ("可能性(L)", "事故发生的可能性L", "L值", "可能性"),
    "E": ("暴露频率(E)", "暴露于危险环境的频繁程度E", "E值"),
    "C": ("后果(C)", "发生事故产生的后果C", "C值"),
    "D": ("风险值(D)", "D值", "危险性D"),
    "S": ("严重性(S)", "后果严重性S", "S值"),
    "R": ("风险值(R)", "R值", "风险度R"),
    "风险等级": ("风险级别", "评价级别", "风险分级"),
    "工程技术措施": ("工程技术", "技术措施"),
    "管理措施": ("管理", "管理措施"),
    "培训教育措施": ("培训教育", "教育培训措施"),
    "个体防护措施": ("个体防护", "个人防护措施"),
    "应急处置措施": ("应急处置", "应急措施"),
    "管控层级": ("管控级别", "管控层级"),
    "责任单位": ("责任部门", "管控责任单位"),
    "责任人": ("管控责任人", "责任人"),
}

LEDGER_WORDINGS: dict[str, tuple[str, ...]] = {
    "序号": ("序 号", "序号"),
    "排查日期": ("发现日期", "检查日期"),
    "排查类型": ("排查方式", "隐患来源"),
    "隐患部位": ("隐患位置", "隐患地点"),
    "隐患描述": ("隐患内容", "存在问题"),
    "隐患级别": ("隐患等级", "隐患级别"),
    "隐患类别": ("隐患类型", "隐患类别"),
    "整改措施": ("整改措施", "整改方案"),
    "整改责任人": ("治理责任人", "整改责任人"),
    "整改资金(元)": ("整改资金", "投入资金(元)"),
    "整改期限": ("整改时限", "治理期限"),
    "整改完成日期": ("完成日期", "实际完成日期"),
    "验收人": ("验收人", "验收责任人"),
    "验收日期": ("验收时间", "验收日期"),
    "状态": ("整改状态", "治理状态"),
}

_GROUPS = {"风险点": ("编号", "名称", "类型", "区域位置"),
           "风险评价": ("L", "E", "C", "D", "S", "R", "风险等级"),
           "管控措施": ("工程技术措施", "管理措施", "培训教育措施", "个体防护措施", "应急处置措施")}
_GROUP_OF = {leaf: g for g, leaves in _GROUPS.items() for leaf in leaves}
_ONE_ROW = {"编号": "风险点编号", "名称": "风险点名称", "类型": "风险点类型"}
_POINT_COLS = ("编号", "名称", "类型", "区域位置")

#: Written level texts of the sample → level; and the other ways of writing each level.
LEVEL_OF = {"重大风险": "major", "红": "major", "较大风险": "high", "橙": "high", "一般风险": "moderate",
            "黄": "moderate", "3级": "moderate", "低风险": "low", "蓝": "low", "4级": "low"}
LEVEL_FORMS = {
    "roman": {"major": "Ⅰ级", "high": "Ⅱ级", "moderate": "Ⅲ级", "low": "Ⅳ级"},
    "colour": {"major": "红色", "high": "橙色", "moderate": "黄色", "low": "蓝色"},
    "chinese": {"major": "一级", "high": "二级", "moderate": "三级", "low": "四级"},
}


@dataclass(frozen=True)
class Table:
    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Layout:
    """One way of laying out the same data (see the module docstring)."""

    name: str
    fmt: str = "xlsx"  # xlsx | xls | csv
    title_rows: int = 2
    two_row_header: bool = True
    wording: int | None = None  # index into *_WORDINGS (modulo), None = canonical headings
    shuffle_seed: int | None = None  # permute the columns
    extra_columns: bool = False
    drop: tuple[str, ...] = ()  # optional columns left out (序号, 编号, 备注 …)
    merge_points: bool = True
    sheet_names: dict[str, str] = field(default_factory=dict)
    drop_kind: bool = False  # no 类型 column on the activity sheet (kind from the sheet name / method)
    formulas: bool = False  # D/R as formulas without a cached value (xlsx only)
    level_form: str | None = None  # roman | colour | chinese
    full_width: bool = False
    bracket_accidents: bool = False
    notes_sheet: bool = False
    blank_rows: bool = False
    footer: bool = True
    date_style: str | None = None  # serial | dotted | chinese | iso (ledger dates)


def _filled(ws: Any) -> list[list[Any]]:
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        v = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                grid[r - 1][c - 1] = v
    return grid


def _table(ws: Any, header_rows: tuple[int, ...], first: int) -> Table:
    grid = _filled(ws)
    headers = []
    for c in range(len(grid[0])):
        texts = [grid[r - 1][c] for r in header_rows if grid[r - 1][c] is not None]
        headers.append(str(texts[-1]))
    rows = []
    for row in grid[first - 1:]:
        if all(v is None for v in row):
            continue
        if isinstance(row[0], str) and row[0].startswith(("编制", "填表")):
            break
        rows.append(tuple(row))
    return Table(ws.title, tuple(headers), tuple(rows))


def register_table() -> list[Table]:
    wb = openpyxl.load_workbook(REGISTER_XLSX)
    return [_table(ws, (3, 4), 5) for ws in wb.worksheets]


def ledger_tables() -> list[Table]:
    wb = openpyxl.load_workbook(LEDGER_XLSX)
    return [_table(wb.worksheets[0], (3,), 4), _table(wb.worksheets[1], (_major_header_row(wb.worksheets[1]),),
                                                        _major_header_row(wb.worksheets[1]) + 1)]


def _major_header_row(ws: Any) -> int:
    for r in range(1, 10):
        if ws.cell(r, 1).value == "台账序号" or "台账序号" in [c.value for c in ws[r]]:
            return r
    raise AssertionError("no 台账序号 header")


# --- transformations --------------------------------------------------------------------------


def _transform(table: Table, layout: Layout, wordings: dict[str, tuple[str, ...]],
               is_register: bool) -> tuple[Table, list[int], list[str]]:
    headers = list(table.headers)
    rows = [list(r) for r in table.rows]
    keep = [i for i, h in enumerate(headers)
            if h not in layout.drop and not (layout.drop_kind and table.name == "作业活动" and h == "类型")]
    if layout.extra_columns:
        headers += ["备注", "照片", "评估日期"]
        rows = [r + ["无", None, "2026-03-18"] for r in rows]
        keep += [len(headers) - 3, len(headers) - 2, len(headers) - 1]
    for r in rows:
        for i, h in enumerate(headers):
            v = r[i]
            if h == "可能导致的事故类型" and layout.bracket_accidents and isinstance(v, str):
                r[i] = "、".join(f"{t}（可能造成人员伤亡）" for t in v.split("、"))
            elif h == "风险等级" and layout.level_form and v in LEVEL_OF:
                r[i] = LEVEL_FORMS[layout.level_form][LEVEL_OF[v]]
            elif h in ("L", "E", "C", "S", "整改资金(元)") and layout.full_width and isinstance(v, int | float):
                r[i] = (str(int(v)) if float(v).is_integer() else str(v)).translate(FULL_WIDTH)
            elif layout.date_style and (isinstance(v, datetime | date) or (
                    isinstance(v, str) and h in ("排查日期", "整改期限", "整改完成日期", "验收日期", "治理时限"))):
                r[i] = _date_as(v, layout.date_style)
    if layout.shuffle_seed is not None:
        rnd = random.Random(layout.shuffle_seed)
        rnd.shuffle(keep)
    out_headers = []
    for i in keep:
        h = headers[i]
        if layout.wording is not None and h in wordings:
            forms = wordings[h]
            h = forms[layout.wording % len(forms)]
        out_headers.append(h)
    return Table(table.name, tuple(out_headers), tuple(tuple(r[i] for i in keep) for r in rows)), keep, headers


def _date_as(value: Any, style: str) -> Any:
    if isinstance(value, str):
        parsed = _parse_text_date(value)
        if parsed is None:
            return value  # 即查即改 and other non-date texts stay as written
        value = parsed
    d = value.date() if isinstance(value, datetime) else value
    if style == "serial":
        return (d - date(1899, 12, 30)).days
    if style == "dotted":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    if style == "chinese":
        return f"{d.year}年{d.month}月{d.day}日"
    return d.isoformat()


def _parse_text_date(text: str) -> date | None:
    import re

    m = re.match(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})日?$", text.strip())
    return date(int(m[1]), int(m[2]), int(m[3])) if m else None


# --- writers ----------------------------------------------------------------------------------


class _Sheet:
    """Cell writes and merges, replayed into openpyxl or xlwt."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.cells: dict[tuple[int, int], Any] = {}
        self.merges: list[tuple[int, int, int, int]] = []  # r1, c1, r2, c2 (1-based, inclusive)

    def put(self, r: int, c: int, v: Any) -> None:
        self.cells[(r, c)] = v

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))


def _lay_out(table: Table, layout: Layout, orig_headers: list[str], keep: list[int], title: str,
             is_register: bool, method_letters: tuple[str, ...] = ()) -> _Sheet:
    sh = _Sheet(title)
    ncol = len(table.headers)
    r = 1
    for t in range(layout.title_rows):
        sh.put(r, 1, f"{title}（第{t + 1}行标题）" if t else f"高青澄源化工有限公司{title}")
        sh.merge(r, 1, r, ncol)
        r += 1
    leaves = [orig_headers[i] for i in keep]
    two = layout.two_row_header and is_register and layout.fmt != "csv"
    if two:
        c = 0
        while c < ncol:
            group = _GROUP_OF.get(leaves[c])
            if group is None:
                sh.put(r, c + 1, table.headers[c])
                sh.merge(r, c + 1, r + 1, c + 1)
                c += 1
                continue
            end = c
            while end + 1 < ncol and _GROUP_OF.get(leaves[end + 1]) == group:
                end += 1
            sh.put(r, c + 1, group)
            sh.merge(r, c + 1, r, end + 1)
            for k in range(c, end + 1):
                sh.put(r + 1, k + 1, table.headers[k])
            c = end + 1
        r += 2
    else:
        for c, h in enumerate(table.headers):
            leaf = leaves[c]
            sh.put(r, c + 1, _ONE_ROW.get(leaf, h) if h == leaf and is_register else h)
        r += 1
    data_rows: list[tuple[int, Any]] = []  # (excel row, point name) of each data row
    name_at = leaves.index("名称") if "名称" in leaves else None
    for i, row in enumerate(table.rows):
        if layout.blank_rows and i == 5:
            r += 1  # a blank spacer row
        for c, v in enumerate(row):
            leaf = leaves[c]
            if layout.formulas and leaf in ("D", "R") and method_letters:
                cols = [get_column_letter(leaves.index(x) + 1) for x in method_letters if x in leaves]
                v = "=" + "*".join(f"{col}{r}" for col in cols)
            if v is not None:
                sh.put(r, c + 1, v)
        data_rows.append((r, row[name_at] if name_at is not None else None))
        r += 1
    if is_register and layout.merge_points and layout.fmt != "csv" and name_at is not None:
        runs: list[list[int]] = []
        for excel_row, name in data_rows:
            if runs and runs[-1][-1] == excel_row - 1 and data_rows_name(data_rows, runs[-1][0]) == name:
                runs[-1].append(excel_row)
            else:
                runs.append([excel_row])
        for run in runs:
            if len(run) < 2:
                continue
            for leaf in _POINT_COLS:
                if leaf in leaves:
                    c = leaves.index(leaf) + 1
                    sh.merge(run[0], c, run[-1], c)
                    for k in run[1:]:
                        sh.cells.pop((k, c), None)
    if layout.footer:
        sh.put(r + 1, 1, "编制：王海涛    审核：李红    批准：韩德茂" if is_register else "填表人：王海涛  审核人：李红")
    return sh


def data_rows_name(data_rows: list[tuple[int, Any]], excel_row: int) -> Any:
    return next(name for r, name in data_rows if r == excel_row)


def _notes_sheet() -> _Sheet:
    sh = _Sheet("填表说明")
    sh.put(1, 1, "填表说明")
    sh.put(2, 1, "1. 风险等级按 LEC / LS 取值标准判定。")
    sh.put(3, 1, "2. L 可能性、E 暴露频率、C 后果严重性。")
    return sh


def _save(sheets: list[_Sheet], fmt: str, path: Path) -> list[Path]:
    if fmt == "csv":
        out = []
        for sh in sheets:
            if sh.title == "填表说明":
                continue
            p = path.with_name(f"{path.stem}_{sh.title}.csv")
            buf = io.StringIO()
            w = csv.writer(buf)
            nrow = max(r for r, _ in sh.cells)
            ncol = max(c for _, c in sh.cells)
            for r in range(1, nrow + 1):
                w.writerow(["" if (v := sh.cells.get((r, c))) is None else _csv_text(v) for c in range(1, ncol + 1)])
            encoding = "gb18030" if sum(map(ord, path.stem)) % 2 else "utf-8-sig"
            p.write_bytes(buf.getvalue().encode(encoding))
            out.append(p)
        return out
    if fmt == "xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        date_style = xlwt.easyxf(num_format_str="yyyy/m/d")
        for sh in sheets:
            ws = book.add_sheet(sh.title)
            merged_cells = set()
            for r1, c1, r2, c2 in sh.merges:
                ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, sh.cells.get((r1, c1)))
                merged_cells |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
            for (r, c), v in sh.cells.items():
                if (r, c) in merged_cells:
                    continue
                if isinstance(v, datetime | date):
                    ws.write(r - 1, c - 1, v, date_style)
                else:
                    ws.write(r - 1, c - 1, v)
        p = path.with_suffix(".xls")
        book.save(str(p))
        return [p]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in sheets:
        ws = wb.create_sheet(sh.title)
        for (r, c), v in sh.cells.items():
            ws.cell(r, c, v)
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    p = path.with_suffix(".xlsx")
    wb.save(p)
    return [p]


def _csv_text(v: Any) -> str:
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def write_register(layout: Layout, directory: Path) -> list[Path]:
    """The canonical register in ``layout``; the file(s) written (csv: one per sheet)."""
    sheets = [_notes_sheet()] if layout.notes_sheet else []
    for table in register_table():
        t, keep, orig = _transform(table, layout, REGISTER_WORDINGS, True)
        letters = ("L", "E", "C") if "E" in table.headers else ("L", "S")
        title = layout.sheet_names.get(table.name, table.name)
        sheets.append(_lay_out(t, layout, orig, keep, title, True, letters))
    return _save(sheets, layout.fmt, directory / layout.name)


def write_ledger(layout: Layout, directory: Path) -> list[Path]:
    """The canonical ledger (and its 重大隐患五落实 sheet; not in csv) in ``layout``."""
    ledger, major = ledger_tables()
    sheets = [_notes_sheet()] if layout.notes_sheet else []
    t, keep, orig = _transform(ledger, layout, LEDGER_WORDINGS, False)
    sheets.append(_lay_out(t, layout, orig, keep, layout.sheet_names.get(ledger.name, ledger.name), False))
    if layout.fmt != "csv":
        mt, mkeep, morig = _transform(major, replace(layout, drop=(), extra_columns=False, shuffle_seed=None,
                                                     wording=None), {}, False)
        sheets.append(_lay_out(mt, replace(layout, title_rows=1), morig, mkeep,
                               layout.sheet_names.get(major.name, major.name), False))
    return _save(sheets, layout.fmt, directory / layout.name)
