"""Parse a 隐患排查治理台账 (hidden-danger ledger) workbook into typed rows — no Django, no DB.

Sheet ``隐患排查治理台账`` (one row per hidden danger) and sheet ``重大隐患五落实`` (one row per
major hazard with its five commitments, linked by 台账序号).  Headers are found by text; the
header row is located by its ``序号`` / ``台账序号`` cell.

Dates come the way different clerks typed them (``2026.06.03``, real Excel date cells,
``2026年9月2日``, ``2026/10/13``, ``2026-11-10``, full-width digits, Excel serial numbers);
:func:`parse_date` reads them all.  ``即查即改`` in 整改期限 means the hazard was fixed on the spot:
``immediate=True`` and ``deadline = found_date``.

Mapping texts to codes (隐患级别, 隐患类别, 排查类型, 状态) and deciding overdue is the import
service's job; this module keeps the raw texts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from os import PathLike
from typing import IO, Any

import openpyxl

from compliance.importers.xlsx_tables import (
    NONE_TOKENS,
    RowProblem,
    SheetRow,
    find_header_rows,
    match_columns,
    read_header,
    read_sheet,
    text_of,
    to_number,
)

__all__ = [
    "IMMEDIATE_TOKENS",
    "LEDGER_SHEET",
    "MAJOR_SHEET",
    "LedgerParse",
    "LedgerRow",
    "MajorRow",
    "RowProblem",
    "parse_date",
    "parse_ledger",
]

LEDGER_SHEET = "隐患排查治理台账"
MAJOR_SHEET = "重大隐患五落实"

# 整改期限 texts meaning "fixed on the spot" (DOMAIN.md §3 treatment `immediate`).
IMMEDIATE_TOKENS: frozenset[str] = frozenset({"即查即改", "立查立改", "立即整改", "当场整改"})

_EXCEL_EPOCH = date(1899, 12, 30)  # 1900 date system (serial 1 = 1900-01-01, after the 1900 leap bug)
_MAX_EXCEL_SERIAL = 2958465  # 9999-12-31

_DATE_RE = re.compile(
    r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

_LEDGER_ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号",),
    "found_date": ("排查日期", "发现日期", "检查日期", "排查时间"),
    "source_text": ("排查类型", "排查方式", "隐患来源"),
    "location": ("隐患部位", "隐患位置", "所在部位", "部位"),
    "description": ("隐患描述", "隐患内容", "存在问题", "隐患名称"),
    "grade_text": ("隐患级别", "隐患等级"),
    "type_text": ("隐患类别", "隐患类型"),
    "measures": ("整改措施",),
    "responsible": ("整改责任人", "责任人"),
    "funds_yuan": ("整改资金(元)", "整改资金", "资金(元)"),
    "deadline": ("整改期限", "整改时限", "限期"),
    "completed_date": ("整改完成日期", "完成日期", "整改完成时间"),
    "acceptor": ("验收人",),
    "accepted_date": ("验收日期", "验收时间"),
    "state_text": ("状态", "整改状态", "治理状态"),
}
_LEDGER_REQUIRED = ("seq", "found_date", "description")

_MAJOR_ALIASES: dict[str, tuple[str, ...]] = {
    "ledger_seq": ("台账序号",),
    "name": ("隐患名称", "隐患描述"),
    "basis": ("判定依据",),
    "measures": ("治理措施", "整改措施"),
    "responsible": ("责任人", "治理责任人"),
    "funds_yuan": ("治理资金(元)", "治理资金", "资金(元)"),
    "deadline": ("治理时限", "治理期限", "整改期限"),
    "contingency_plan": ("应急预案及防范措施", "应急预案", "防范措施"),
    "supervised_text": ("挂牌督办", "是否挂牌督办"),
    "state_text": ("治理状态", "状态"),
}
_MAJOR_REQUIRED = ("ledger_seq",)

_NO_TOKENS = frozenset({"否", "无", "不", "未", "未挂牌", "未督办", "N", "NO", "FALSE", "0", "×"})
_YES_TOKENS = frozenset({"是", "有", "Y", "YES", "TRUE", "1", "√"})

_LABELS = {
    "seq": "序号",
    "found_date": "排查日期",
    "description": "隐患描述",
    "ledger_seq": "台账序号",
}


@dataclass(frozen=True)
class LedgerRow:
    excel_row: int
    seq: int
    found_date: date
    source_text: str  # 排查类型, e.g. "专业排查(电气)" (NFKC: full-width brackets -> ASCII)
    location: str  # 隐患部位
    description: str  # 隐患描述
    grade_text: str  # 隐患级别: 一般隐患 / 重大隐患
    type_text: str  # 隐患类别, with or without trailing 类
    measures: str  # 整改措施
    responsible: str  # 整改责任人
    funds_yuan: Decimal | None
    deadline: date | None  # = found_date when immediate
    immediate: bool  # 整改期限 said 即查即改
    completed_date: date | None
    acceptor: str
    accepted_date: date | None
    state_text: str  # 已整改 / 待验收 / 整改中 / 逾期未整改 (the label; overdue is computed later)


@dataclass(frozen=True)
class MajorRow:
    excel_row: int
    ledger_seq: int  # 台账序号 -> LedgerRow.seq
    name: str  # 隐患名称
    basis: str  # 判定依据
    measures: str  # 治理措施
    responsible: str
    funds_yuan: Decimal | None
    deadline: date | None  # 治理时限
    contingency_plan: str  # 应急预案及防范措施
    supervised: bool  # 挂牌督办 ("否" -> False, "县应急管理局挂牌督办" -> True)
    supervised_text: str  # the cell as written (names the supervising authority)
    state_text: str  # 治理状态


@dataclass(frozen=True)
class LedgerParse:
    rows: tuple[LedgerRow, ...]
    majors: tuple[MajorRow, ...]
    problems: tuple[RowProblem, ...]


def parse_date(value: object, *, epoch: date = _EXCEL_EPOCH) -> date | None:
    """Read a date the way Chinese ledgers write it.

    Accepts ``date``/``datetime`` objects, Excel serial numbers (int/float/Decimal, 1900 date
    system by default; pass ``epoch=date(1904, 1, 1)`` for 1904 workbooks) and text such as
    ``2026.06.03``, ``2026年9月2日``, ``2026/10/13``, ``2026-11-10``, ``20261110``, an optional
    trailing time, in half- or full-width digits.  ``None``, ``""``, ``/``, ``-`` give ``None``.
    Anything else — including impossible dates such as ``2026.02.30`` — raises ``ValueError``.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float | Decimal):
        return _from_serial(value, epoch)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text in NONE_TOKENS:
            return None
        m = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
        if m is None:
            raise ValueError(f"not a date: {value!r}")
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            raise ValueError(f"not a valid date: {value!r}") from exc
    raise ValueError(f"not a date: {value!r}")


def _from_serial(value: int | float | Decimal, epoch: date) -> date:
    number = float(value)
    if number != number or not 1 <= number <= _MAX_EXCEL_SERIAL:
        raise ValueError(f"not an Excel date serial: {value!r}")
    days = int(number)  # a fractional part is the time of day
    if epoch == _EXCEL_EPOCH and days < 61:
        days += 1  # Excel's fictitious 1900-02-29 is serial 60; serials before it are off by one
    return epoch + timedelta(days=days)


def parse_ledger(source: str | PathLike[str] | IO[bytes]) -> LedgerParse:
    """Read the ledger sheet and, when present, the major-hazard sheet."""
    wb = openpyxl.load_workbook(source, data_only=True)
    try:
        problems: list[RowProblem] = []
        ledger_ws = _find_sheet(wb, LEDGER_SHEET, ("排查日期", "隐患描述"))
        rows: list[LedgerRow] = []
        if ledger_ws is None:
            problems.append(RowProblem(0, "", "missing_sheet", f"找不到工作表：{LEDGER_SHEET}", ""))
        else:
            rows = _parse_ledger_sheet(ledger_ws, problems)

        majors: list[MajorRow] = []
        major_ws = _find_sheet(wb, MAJOR_SHEET, ("台账序号",))
        if major_ws is not None and major_ws is not ledger_ws:
            known = {r.seq for r in rows}
            majors = _parse_major_sheet(major_ws, known if ledger_ws is not None else None, problems)
        return LedgerParse(rows=tuple(rows), majors=tuple(majors), problems=tuple(problems))
    finally:
        wb.close()


def _find_sheet(wb: Any, name: str, required_headers: tuple[str, ...]) -> Any:
    if name in wb.sheetnames:
        return wb[name]
    for ws in wb.worksheets:
        found = find_header_rows(ws, markers=("序号", "台账序号"))
        if found is None:
            continue
        keys = {k for k in read_header(ws, found[0]) if k}
        if all(h in keys for h in required_headers):
            return ws
    return None


def _locate(
    ws: Any, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...], problems: list[RowProblem]
) -> tuple[list[SheetRow], dict[str, str]] | None:
    found = find_header_rows(ws, markers=("序号", "台账序号"))
    if found is None:
        problems.append(RowProblem(0, "", "missing_header", f"{ws.title}：找不到表头（序号列）", ws.title))
        return None
    header_rows, first_data_row = found
    columns = match_columns(read_header(ws, header_rows), aliases)
    missing = [f for f in required if f not in columns]
    for f in missing:
        problems.append(
            RowProblem(header_rows[0], f, "missing_column", f"找不到列：{_LABELS.get(f, f)}", ws.title)
        )
    if missing:
        return None
    return read_sheet(ws, header_rows, first_data_row), columns


class _RowReader:
    """Typed access to one SheetRow, collecting problems instead of raising."""

    def __init__(self, sr: SheetRow, columns: dict[str, str], sheet: str) -> None:
        self.sr = sr
        self.columns = columns
        self.sheet = sheet
        self.problems: list[RowProblem] = []

    def raw(self, f: str) -> object:
        return self.sr.get(self.columns.get(f))

    def header(self, f: str) -> str:
        return self.columns.get(f, _LABELS.get(f, f))

    def problem(self, f: str, code: str, message: str) -> None:
        self.problems.append(RowProblem(self.sr.excel_row, f, code, message, self.sheet))

    def text(self, f: str, *, required: bool = False) -> str:
        value = text_of(self.raw(f))
        if required and not value:
            self.problem(f, "required", f"{self.header(f)}为必填项")
        return value

    def integer(self, f: str, *, required: bool = False) -> int | None:
        raw = self.raw(f)
        try:
            num = to_number(raw)
        except ValueError:
            num = None
            self.problem(f, "invalid_number", f"{self.header(f)}不是整数：{text_of(raw)}")
            return None
        if num is None:
            if required:
                self.problem(f, "required", f"{self.header(f)}为必填项")
            return None
        if num != num.to_integral_value():
            self.problem(f, "invalid_number", f"{self.header(f)}不是整数：{text_of(raw)}")
            return None
        return int(num)

    def money(self, f: str) -> Decimal | None:
        raw = self.raw(f)
        value = raw.removesuffix("元").strip() if isinstance(raw, str) else raw
        try:
            num = to_number(value)
        except ValueError:
            self.problem(f, "invalid_number", f"{self.header(f)}不是有效金额：{text_of(raw)}")
            return None
        if num is not None and num < 0:
            self.problem(f, "invalid_number", f"{self.header(f)}不能为负数：{text_of(raw)}")
            return None
        return num

    def day(self, f: str, *, required: bool = False) -> date | None:
        raw = self.raw(f)
        try:
            value = parse_date(raw)
        except ValueError:
            self.problem(f, "invalid_date", f"{self.header(f)}不是有效日期：{text_of(raw)}")
            return None
        if value is None and required:
            self.problem(f, "required", f"{self.header(f)}为必填项")
        return value


def _parse_ledger_sheet(ws: Any, problems: list[RowProblem]) -> list[LedgerRow]:
    located = _locate(ws, _LEDGER_ALIASES, _LEDGER_REQUIRED, problems)
    if located is None:
        return []
    sheet_rows, columns = located
    rows: list[LedgerRow] = []
    seen: dict[int, int] = {}
    for sr in sheet_rows:
        rd = _RowReader(sr, columns, ws.title)
        seq = rd.integer("seq", required=True)
        if seq is not None and seq in seen:
            rd.problem("seq", "duplicate", f"序号{seq}与第{seen[seq]}行重复")
        found = rd.day("found_date", required=True)
        description = rd.text("description", required=True)

        deadline_raw = rd.raw("deadline")
        immediate = isinstance(deadline_raw, str) and deadline_raw.replace(" ", "") in IMMEDIATE_TOKENS
        deadline = found if immediate else rd.day("deadline")

        source_text = rd.text("source_text")
        location = rd.text("location")
        grade_text = rd.text("grade_text")
        type_text = rd.text("type_text")
        measures = rd.text("measures")
        responsible = rd.text("responsible")
        funds_yuan = rd.money("funds_yuan")
        completed_date = rd.day("completed_date")
        acceptor = rd.text("acceptor")
        accepted_date = rd.day("accepted_date")
        state_text = rd.text("state_text")
        problems.extend(rd.problems)
        if rd.problems:
            continue
        assert seq is not None
        assert found is not None
        seen[seq] = sr.excel_row
        rows.append(
            LedgerRow(
                excel_row=sr.excel_row,
                seq=seq,
                found_date=found,
                source_text=source_text,
                location=location,
                description=description,
                grade_text=grade_text,
                type_text=type_text,
                measures=measures,
                responsible=responsible,
                funds_yuan=funds_yuan,
                deadline=deadline,
                immediate=immediate,
                completed_date=completed_date,
                acceptor=acceptor,
                accepted_date=accepted_date,
                state_text=state_text,
            )
        )
    return rows


def _supervised(text: str) -> bool | None:
    compact = text.replace(" ", "").upper()
    if not compact or compact in NONE_TOKENS or compact in _NO_TOKENS:
        return False
    if compact in _YES_TOKENS:
        return True
    if compact[0] in "否无未不":
        return False
    if "督办" in compact or "挂牌" in compact:
        return True
    return None


def _parse_major_sheet(ws: Any, known_seqs: set[int] | None, problems: list[RowProblem]) -> list[MajorRow]:
    located = _locate(ws, _MAJOR_ALIASES, _MAJOR_REQUIRED, problems)
    if located is None:
        return []
    sheet_rows, columns = located
    majors: list[MajorRow] = []
    for sr in sheet_rows:
        rd = _RowReader(sr, columns, ws.title)
        ledger_seq = rd.integer("ledger_seq", required=True)
        if ledger_seq is not None and known_seqs is not None and ledger_seq not in known_seqs:
            rd.problem("ledger_seq", "unknown_ledger_seq", f"台账序号{ledger_seq}在隐患台账中不存在")
        supervised_text = rd.text("supervised_text")
        supervised = _supervised(supervised_text)
        if supervised is None:
            rd.problem(
                "supervised", "invalid_choice", f"{rd.header('supervised_text')}无法识别：{supervised_text}"
            )
        name = rd.text("name")
        basis = rd.text("basis")
        measures = rd.text("measures")
        responsible = rd.text("responsible")
        funds_yuan = rd.money("funds_yuan")
        deadline = rd.day("deadline")
        contingency_plan = rd.text("contingency_plan")
        state_text = rd.text("state_text")
        problems.extend(rd.problems)
        if rd.problems:
            continue
        assert ledger_seq is not None
        assert supervised is not None
        majors.append(
            MajorRow(
                excel_row=sr.excel_row,
                ledger_seq=ledger_seq,
                name=name,
                basis=basis,
                measures=measures,
                responsible=responsible,
                funds_yuan=funds_yuan,
                deadline=deadline,
                contingency_plan=contingency_plan,
                supervised=supervised,
                supervised_text=supervised_text,
                state_text=state_text,
            )
        )
    return majors
