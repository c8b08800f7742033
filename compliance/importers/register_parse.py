"""Parse a 风险分级管控清单 (risk register) workbook into typed rows — no Django, no database.

Each worksheet whose header has a ``序号`` column and either the LEC scores (L, E, C [, D]) or the
LS scores (L, S [, R]) is read; the method follows from the score headers (作业活动 sheets use
LEC, 设备设施 sheets use LS).  Columns are found by header text, so registers that order or
group their columns differently still parse.  One data row is one risk event (hazard) of its
risk point.

This module only *reads*: it does not check L/E/C/S against their scales, compute D/R, derive
levels or compare with the written level — the import service does that with the rules in
DOMAIN.md §2.  A row that cannot be read (missing key text, non-numeric score, unknown point
type) produces :class:`RowProblem`\\ s instead of a :class:`RegisterRow`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from os import PathLike
from typing import IO, Any, Literal

from compliance.importers.vocabulary import REGISTER_FIELDS, aliases, all_headings, note_sheet_reason
from compliance.importers.workbook import open_workbook
from compliance.importers.xlsx_tables import (
    NONE_TOKENS,
    RowProblem,
    SheetRow,
    apply_mapping,
    find_header_rows,
    match_columns,
    read_header,
    read_sheet,
    text_of,
    to_number,
)

__all__ = [
    "MEASURE_CATEGORIES",
    "POINT_KINDS",
    "RegisterParse",
    "RegisterRow",
    "RowProblem",
    "SheetParse",
    "parse_register",
    "extract_accident_types",
    "split_accident_types",
]

Method = Literal["lec", "ls", "mes"]
PointKind = Literal["activity", "equipment", "place"]

# 类型 column text -> point kind (a trailing 类 is ignored).
POINT_KINDS: dict[str, PointKind] = {
    "作业活动": "activity",
    "作业": "activity",
    "活动": "activity",
    "设备设施": "equipment",
    "设备": "equipment",
    "设施": "equipment",
    "场所区域": "place",
    "场所/区域": "place",
    "场所": "place",
    "区域": "place",
}

# measure key -> header text (DOMAIN.md §2 measure categories)
MEASURE_CATEGORIES: dict[str, str] = {
    "engineering": "工程技术措施",
    "management": "管理措施",
    "training": "培训教育措施",
    "ppe": "个体防护措施",
    "emergency": "应急处置措施",
}

_ALIASES: dict[str, tuple[str, ...]] = aliases(REGISTER_FIELDS)
_HEADINGS = all_headings(REGISTER_FIELDS)

_INPUTS: dict[Method, tuple[str, ...]] = {"lec": ("l", "e", "c"), "ls": ("l", "s"), "mes": ("m", "e", "s")}
_SCORE: dict[Method, str] = {"lec": "d", "ls": "r", "mes": "r"}
#: Point kind when neither a column nor the sheet name gives it: JHA+LEC registers list
#: activities, SCL+LS (and MES) registers list equipment and facilities (DB37/T 2882 forms).
_KIND_BY_METHOD: dict[Method, PointKind] = {"lec": "activity", "ls": "equipment", "mes": "equipment"}
_EMPTY_MEASURE = NONE_TOKENS | {"无"}
_ACCIDENT_SPLIT_RE = re.compile(r"[、,;/\s]+")


@dataclass(frozen=True)
class RegisterRow:
    """One data row = one risk event of a risk point, as written in the register."""

    excel_row: int
    seq: int | None
    point_code: str
    point_name: str
    point_kind: PointKind
    location: str
    step: str  # 作业步骤 (LEC) or 检查项目 (LS)
    standard: str  # 标准 (LS only; "" on LEC sheets)
    event: str  # 危险源或潜在事件 (LEC) or 不符合标准情况及后果 (LS)
    accident_types_text: str  # raw 可能导致的事故类型, e.g. "火灾、其它爆炸"
    inputs: dict[str, Decimal]  # {"l","e","c"} or {"l","s"}
    written_score: Decimal | None  # D or R as written (never trusted, compare later)
    written_level_text: str  # raw 风险等级, e.g. "较大风险", "红", "3级"
    measures: dict[str, str]  # engineering/management/training/ppe/emergency -> text
    control_level_text: str  # 公司级 / 车间级 / 班组级 / 岗位级
    department: str  # 责任单位
    responsible: str  # 责任人

    @property
    def accident_types(self) -> tuple[str, ...]:
        """``accident_types_text`` split on ``、`` (and , ; / whitespace), bracketed consequences
        left out (:func:`extract_accident_types`); not validated."""
        return split_accident_types(extract_accident_types(self.accident_types_text)[0])

    @property
    def accident_names_text(self) -> str:
        """The accident-type names only (``"火灾（人员伤亡）、中毒"`` -> ``"火灾、中毒"``)."""
        return extract_accident_types(self.accident_types_text)[0]

    @property
    def accident_notes(self) -> str:
        """What the cell wrote in brackets beside the names (the consequences), ``；``-joined."""
        return extract_accident_types(self.accident_types_text)[1]


@dataclass(frozen=True)
class SheetParse:
    name: str
    method: Method
    rows: tuple[RegisterRow, ...]
    problems: tuple[RowProblem, ...]
    header_rows: tuple[int, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)  # logical field -> header key used
    headers: tuple[str, ...] = ()  # every header key found (mapped or not)
    kind_from: str = ""  # where the point kind comes from: column / sheet name / method
    skipped_rows: tuple[tuple[int, str], ...] = ()  # (excel row, why it is not data)

    @property
    def unmapped(self) -> tuple[str, ...]:
        used = set(self.columns.values())
        return tuple(h for h in self.headers if h not in used)

    def layout(self) -> dict[str, object]:
        """What detection found, for the preview (``?dry_run=1``)."""
        return {"sheet": self.name, "method": self.method, "kind_from": self.kind_from,
                "header_rows": list(self.header_rows), "columns": dict(self.columns),
                "unmapped_headers": list(self.unmapped),
                "skipped_rows": [{"row": r, "reason": why} for r, why in self.skipped_rows]}


@dataclass(frozen=True)
class RegisterParse:
    sheets: tuple[SheetParse, ...]
    skipped_sheets: tuple[str, ...] = ()  # sheets without a recognisable LEC/LS header
    skipped_reasons: dict[str, str] = field(default_factory=dict)  # sheet name -> why it was skipped

    def sheet(self, name: str) -> SheetParse:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


def split_accident_types(text: str) -> tuple[str, ...]:
    return tuple(t for t in _ACCIDENT_SPLIT_RE.split(text) if t)


_BRACKET_RE = re.compile(r"[(（\[【]([^()（）\[\]【】]*)[)）\]】]")


def extract_accident_types(text: str) -> tuple[str, str]:
    """``(names, notes)`` of an accident-type cell: bracketed consequences are taken out
    (``"火灾(人员伤亡)、其它爆炸（财产损失）"`` -> ``("火灾、其它爆炸", "人员伤亡；财产损失")``) so the
    GB 6441 names can be checked; several names per cell stay ``、``-joined; the same consequence
    written beside several names is kept once (``"火灾（伤亡）、中毒（伤亡）"`` -> ``("火灾、中毒", "伤亡")``)."""
    parts = (p.strip() for m in _BRACKET_RE.findall(text or "") for p in re.split(r"[;；]", m))
    notes = list(dict.fromkeys(p for p in parts if p))
    names = _BRACKET_RE.sub("", text or "")
    return "、".join(split_accident_types(names)), "；".join(notes)


def parse_register(
    source: str | PathLike[str] | IO[bytes], *, mapping: dict[str, Any] | None = None
) -> RegisterParse:
    """Read every LEC/LS/MES sheet of a register file (.xlsx/.xls/.csv; path or binary file).

    ``mapping`` (``{"sheet": name or None, "columns": {field: header}}``) overrides the detected
    column of a field (field = logical name such as ``"l"`` or its first heading such as ``"L"``)
    on that sheet (every sheet when ``sheet`` is missing). Notes/scale sheets (填表说明, 评价准则 …)
    and sheets without a register header are skipped with the reason in ``skipped_reasons``."""
    wb = open_workbook(source)
    try:
        sheets: list[SheetParse] = []
        skipped: list[str] = []
        reasons: dict[str, str] = {}
        mapped: set[str] = set()
        for ws in wb.worksheets:
            note = note_sheet_reason(ws.title)
            parsed = None if note else _parse_sheet(ws, mapping, mapped)
            if isinstance(parsed, SheetParse):
                sheets.append(parsed)
                continue
            skipped.append(ws.title)
            reasons[ws.title] = f"说明/标准工作表（{note}），不是数据" if note else (parsed or "找不到表头")
        if mapping and not mapping.get("sheet"):
            missing = [h for h in (mapping.get("columns") or {}).values() if h not in mapped]
            if missing:
                raise KeyError(f"表头中没有列：{'、'.join(missing)}")
        return RegisterParse(sheets=tuple(sheets), skipped_sheets=tuple(skipped), skipped_reasons=reasons)
    finally:
        wb.close()


def _detect_method(columns: dict[str, str]) -> Method | None:
    if all(k in columns for k in ("m", "e", "s")):
        return "mes"
    has_lec = all(k in columns for k in ("l", "e", "c"))
    has_ls = all(k in columns for k in ("l", "s"))
    if has_lec and not has_ls:
        return "lec"
    if has_ls and not has_lec:
        return "ls"
    return None


def _parse_sheet(ws: Any, mapping: dict[str, Any] | None = None, mapped: set[str] | None = None) -> SheetParse | str:
    found = find_header_rows(ws, headings=_HEADINGS)
    if found is None:
        return "找不到表头（前 15 行中没有可识别的列名）"
    header_rows, first_data_row = found
    keys = read_header(ws, header_rows)
    columns = match_columns(keys, _ALIASES)
    if mapping and mapping.get("sheet") in (None, "", ws.title):
        columns = apply_mapping(columns, keys, mapping.get("columns") or {}, REGISTER_FIELDS,
                                strict=bool(mapping.get("sheet")), found=mapped)
    method = _detect_method(columns)
    if method is None:
        return "表头中没有 L/E/C、L/S 或 M/E/S 评价列（不是风险评价表）"
    score_key = _SCORE[method]
    if score_key not in columns and "d" in columns and score_key == "r":  # "风险值" taken as D on an LS sheet
        columns[score_key] = columns.pop("d")

    name = ws.title
    headers = tuple(k for k in keys if k)
    problems: list[RowProblem] = []
    missing = [f for f in ("event",) if f not in columns]
    if "point_code" not in columns and "point_name" not in columns:
        missing.append("point_code")
    if missing:
        for f in missing:
            problems.append(
                RowProblem(header_rows[0], f, "missing_column", f"找不到列：{_FIELD_LABELS.get(f, f)}", name)
            )
        return SheetParse(name, method, (), tuple(problems), header_rows, columns, headers)

    sheet_kind = _kind_from_text(name)
    if "point_kind" in columns:
        kind_from = "column"
    elif sheet_kind is not None:
        kind_from = "sheet_name"
    else:
        kind_from = "method"
    default_kind = sheet_kind or _KIND_BY_METHOD[method]
    rows: list[RegisterRow] = []
    skipped_rows: list[tuple[int, str]] = []
    for sheet_row in read_sheet(ws, header_rows, first_data_row, skipped=skipped_rows):
        row, row_problems = _parse_row(sheet_row, columns, method, default_kind, name)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    return SheetParse(name, method, tuple(rows), tuple(problems), header_rows, columns, headers, kind_from,
                      tuple(skipped_rows))


_FIELD_LABELS = {
    "event": "危险源或潜在事件 / 不符合标准情况及后果",
    "point_code": "风险点编号 / 名称",
}


def _kind_from_text(text: str) -> PointKind | None:
    key = "".join(text.split()).removesuffix("类")
    if key in POINT_KINDS:
        return POINT_KINDS[key]
    for word, kind in POINT_KINDS.items():  # sheet names such as "作业活动风险分级管控清单", "设备设施清单"
        if len(word) == 4 and word in key:
            return kind
    return None


def _parse_row(
    sr: SheetRow,
    columns: dict[str, str],
    method: Method,
    default_kind: PointKind | None,
    sheet: str,
) -> tuple[RegisterRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def problem(f: str, code: str, message: str) -> None:
        problems.append(RowProblem(sr.excel_row, f, code, message, sheet))

    def text(f: str) -> str:
        return text_of(sr.get(columns.get(f)))

    def number(f: str, out_field: str, required: bool) -> Decimal | None:
        header = columns.get(f, f.upper())
        raw = sr.get(columns.get(f))
        try:
            value = to_number(raw)
        except ValueError:
            problem(out_field, "invalid_number", f"{header}不是有效数字：{text_of(raw)}")
            return None
        if value is None and required:
            problem(out_field, "required", f"{header}为必填项")
        return value

    seq: int | None = None
    raw_seq = sr.get(columns.get("seq"))
    try:
        seq_num = to_number(raw_seq)
    except ValueError:
        seq_num = None
        problem("seq", "invalid_number", f"序号不是整数：{text_of(raw_seq)}")
    if seq_num is not None:
        if seq_num == seq_num.to_integral_value():
            seq = int(seq_num)
        else:
            problem("seq", "invalid_number", f"序号不是整数：{text_of(raw_seq)}")

    point_code = text("point_code")
    point_name = text("point_name")
    if not point_code and not point_name:
        problem("point_code", "required", "风险点编号和名称均为空")

    kind_text = text("point_kind")
    point_kind: PointKind | None
    if kind_text:
        point_kind = _kind_from_text(kind_text)
        if point_kind is None:
            problem(
                "point_kind",
                "invalid_choice",
                f"风险点类型无法识别：{kind_text}（应为作业活动/设备设施/场所区域）",
            )
    else:
        point_kind = default_kind
        if point_kind is None:
            problem("point_kind", "required", "风险点类型为必填项")

    event = text("event")
    if not event:
        problem("event", "required", f"{columns['event']}为必填项")

    inputs: dict[str, Decimal] = {}
    for key in _INPUTS[method]:
        value = number(key, f"inputs.{key}", required=True)
        if value is not None:
            inputs[key] = value
    written_score = number(_SCORE[method], "written_score", required=False)

    measures: dict[str, str] = {}
    for key in MEASURE_CATEGORIES:
        measure_text = text(f"measure.{key}")
        if measure_text and measure_text not in _EMPTY_MEASURE:
            measures[key] = measure_text

    if problems:
        return None, problems
    assert point_kind is not None
    return (
        RegisterRow(
            excel_row=sr.excel_row,
            seq=seq,
            point_code=point_code,
            point_name=point_name,
            point_kind=point_kind,
            location=text("location"),
            step=text("step"),
            standard=text("standard") if method == "ls" else "",
            event=event,
            accident_types_text=text("accident_types"),
            inputs=inputs,
            written_score=written_score,
            written_level_text=text("level"),
            measures=measures,
            control_level_text=text("control_level"),
            department=text("department"),
            responsible=text("responsible"),
        ),
        problems,
    )
