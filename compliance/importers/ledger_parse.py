"""Parse a 隐患排查治理台账 (hidden-danger ledger) workbook into typed rows — no Django, no DB.

Sheet ``隐患排查治理台账`` (one row per hidden danger) and sheet ``重大隐患五落实`` (one row per
major hazard with its five commitments, linked by 台账序号).  Headers are found by text; the
header row is located by its ``序号`` / ``台账序号`` cell.

Dates come the way different clerks typed them (``2026.06.03``, real Excel date cells,
``2026年9月2日``, ``2026/10/13``, ``2026-11-10``, full-width digits, Excel serial numbers);
:func:`parse_date` reads them all.  ``即查即改`` in 整改期限 means the hazard was fixed on the spot:
``immediate=True`` and ``deadline = found_date``.

The rows keep the raw texts; the cell parsers that map them to codes (:func:`parse_grade`,
:func:`parse_type`, :func:`parse_source`, :func:`parse_ledger_state`) live here too and raise
``RuleError`` with an English code naming the field. Deciding overdue is the rules' job
(``compliance.rules.deadlines.is_overdue``), never read from a label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from os import PathLike
from typing import IO, Any

from backend.core.rules import RuleError
from backend.core.time import SHANGHAI
from compliance.importers.vocabulary import (
    LEDGER_FIELDS,
    MAJOR_FIELDS,
    aliases,
    all_headings,
    note_sheet_reason,
)
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
from compliance.rules.deadlines import DateOutOfRange, check_date_in_range
from compliance.rules.hazard_codes import HazardGrade, HazardSource, HazardType
from compliance.rules.hazard_states import HazardState

__all__ = [
    "GRADE_FORMS",
    "IMMEDIATE_MARK",
    "IMMEDIATE_TOKENS",
    "LEDGER_EXPORT_LABELS",
    "LEDGER_SHEET",
    "LEDGER_STATES",
    "MAJOR_SHEET",
    "SOURCE_PREFIXES",
    "InvalidDate",
    "LedgerParse",
    "LedgerRow",
    "MajorRow",
    "RowProblem",
    "is_immediate_mark",
    "parse_date",
    "parse_grade",
    "parse_ledger",
    "parse_ledger_state",
    "parse_source",
    "parse_type",
]

LEDGER_SHEET = "隐患排查治理台账"
MAJOR_SHEET = "重大隐患五落实"

#: The text a ledger writes in 整改期限 for a hazard fixed on the spot (DOMAIN.md §3 treatment
#: ``immediate``; data/README.md §3) — what our export writes.
IMMEDIATE_MARK = "即查即改"
#: Every 整改期限 text read as "fixed on the spot" (the mark and the other forms clerks write).
IMMEDIATE_TOKENS: frozenset[str] = frozenset({IMMEDIATE_MARK, "立查立改", "立即整改", "当场整改"})


def is_immediate_mark(value: object) -> bool:
    """True when a 整改期限 cell says the hazard was fixed on the spot (NFKC, whitespace ignored)."""
    if not isinstance(value, str):
        return False
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)) in IMMEDIATE_TOKENS

_EXCEL_EPOCH = date(1899, 12, 30)  # 1900 date system (serial 1 = 1900-01-01, after the 1900 leap bug)
_MAX_EXCEL_SERIAL = 2958465  # 9999-12-31

_DATE_RE = re.compile(
    r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T ]?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

_LEDGER_ALIASES: dict[str, tuple[str, ...]] = aliases(LEDGER_FIELDS)
_LEDGER_REQUIRED = ("found_date", "description")  # 序号 is optional: the row's place numbers it
_MAJOR_ALIASES: dict[str, tuple[str, ...]] = aliases(MAJOR_FIELDS)
_MAJOR_REQUIRED = ("ledger_seq",)
_HEADINGS = all_headings(LEDGER_FIELDS, MAJOR_FIELDS)

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
    number: str = ""  # 平台编号: the hazard number the platform's own export writes ("" elsewhere)


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
    ledger_sheet: str = LEDGER_SHEET  # the sheet the ledger rows were read from
    layouts: tuple[dict[str, Any], ...] = ()  # per data sheet: header rows, columns, unmapped, skipped rows
    skipped_sheets: dict[str, str] = field(default_factory=dict)  # sheet -> why it is not data
    headers_found: dict[str, tuple[str, ...]] = field(default_factory=dict)  # sheet -> header keys


class InvalidDate(RuleError):
    """A cell that is not a readable calendar date (400 ``invalid_date``, the field named)."""

    default_code = "invalid_date"
    default_message = "不是可识别的日期。"


def parse_date(value: object, *, field: str = "date", epoch: date = _EXCEL_EPOCH) -> date | None:
    """Read a date the way Chinese ledgers write it — the one date parser of the ledger.

    Accepts ``date``/``datetime`` objects (an aware datetime is read in Asia/Shanghai), Excel
    serial numbers (int/float/Decimal, 1900 date system by default — pass ``epoch=date(1904, 1, 1)``
    for 1904 workbooks; a time fraction is dropped) and text such as ``2026.06.03``, ``2026年9月2日``,
    ``2026/10/13``, ``2026/4/30``, ``2026-11-10``, ``20261110``, an optional trailing time, in half-
    or full-width digits. ``None``, ``""``, ``/``, ``-`` give ``None``. Anything else — including
    impossible dates such as ``2026.02.30`` — raises ``InvalidDate`` (code "invalid_date", ``field``).
    Source: data/README.md §3.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value.astimezone(SHANGHAI).date()
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise InvalidDate(f"{field} 的值 {value!r} 不是可识别的日期", field=field)
    if isinstance(value, int | float | Decimal):
        return _from_serial(value, epoch, field)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text in NONE_TOKENS:
            return None
        m = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
        if m is None:
            raise InvalidDate(f"{field} 的值 {value!r} 不是可识别的日期", field=field)
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise InvalidDate(f"{field} 的值 {value!r} 不是有效日期", field=field) from None
    raise InvalidDate(f"{field} 的值 {value!r} 不是可识别的日期", field=field)


def _from_serial(value: int | float | Decimal, epoch: date, field: str) -> date:
    number = float(value)
    if number != number or not 1 <= number <= _MAX_EXCEL_SERIAL:
        raise InvalidDate(f"{field} 的 Excel 日期序号 {value!r} 超出范围", field=field)
    days = int(number)  # a fractional part is the time of day
    if epoch == _EXCEL_EPOCH and days == 60:
        raise InvalidDate(f"{field} 的 Excel 日期序号 60（不存在的 1900-02-29）不是有效日期", field=field)
    if epoch == _EXCEL_EPOCH and days < 61:
        days += 1  # Excel's fictitious 1900-02-29 is serial 60; serials before it are off by one
    return epoch + timedelta(days=days)


def parse_ledger(
    source: str | PathLike[str] | IO[bytes], *, mapping: dict[str, Any] | None = None
) -> LedgerParse:
    """Read the ledger sheet and, when present, the major-hazard sheet (.xlsx/.xls/.csv).

    The ledger sheet is the one named 隐患排查治理台账, else the first whose header has 排查日期
    and 隐患描述 (under any of their headings, :mod:`compliance.importers.vocabulary`); the
    major-hazard sheet is 重大隐患五落实 or the one with a 台账序号 column. ``mapping``
    (``{"sheet": …, "columns": {field: header}}``) overrides detected columns."""
    wb = open_workbook(source)
    try:
        problems: list[RowProblem] = []
        layouts: list[dict[str, Any]] = []
        skipped: dict[str, str] = {}
        headers_found: dict[str, tuple[str, ...]] = {}
        candidates = []
        for ws in wb.worksheets:
            note = note_sheet_reason(ws.title)
            if note:
                skipped[ws.title] = f"说明/标准工作表（{note}），不是数据"
                continue
            found = find_header_rows(ws, markers=("序号", "台账序号"), headings=_HEADINGS)
            if found is None:
                skipped[ws.title] = "找不到表头（前 15 行中没有可识别的列名）"
                continue
            keys = read_header(ws, found[0])
            headers_found[ws.title] = tuple(k for k in keys if k)
            candidates.append((ws, found, keys))

        def pick(name: str, fields: tuple[str, ...], aliases_: dict[str, tuple[str, ...]], exclude: Any = None) -> Any:
            named = [c for c in candidates if c[0].title == name and c[0] is not exclude]
            if named:
                return named[0]
            for c in candidates:
                if c[0] is exclude:
                    continue
                cols = _columns_for(c[0], c[2], aliases_, mapping)
                if all(f in cols for f in fields):
                    return c
            return None

        ledger = pick(LEDGER_SHEET, _LEDGER_REQUIRED, _LEDGER_ALIASES)
        rows: list[LedgerRow] = []
        ledger_name = LEDGER_SHEET
        if ledger is None:
            seen = "；".join([f"{n}（表头：{'、'.join(h[:12])}）" for n, h in headers_found.items()]
                            + [f"{n}（{why}）" for n, why in skipped.items()]) or "无工作表"
            problems.append(RowProblem(0, "", "missing_sheet",
                                       f"找不到隐患台账工作表（需含排查日期、隐患描述列）；看到的工作表：{seen}", ""))
        else:
            ledger_name = ledger[0].title
            rows = _parse_ledger_sheet(ledger[0], problems, ledger[1], ledger[2], mapping, layouts)

        majors: list[MajorRow] = []
        major = pick(MAJOR_SHEET, _MAJOR_REQUIRED, _MAJOR_ALIASES, exclude=ledger[0] if ledger else None)
        if major is not None:
            known = {r.seq for r in rows}
            majors = _parse_major_sheet(major[0], known if ledger is not None else None, problems,
                                        major[1], major[2], mapping, layouts)
        used = {ledger[0].title if ledger else None, major[0].title if major else None}
        for ws, _found, _keys in candidates:
            if ws.title not in used:
                skipped[ws.title] = "表头不是隐患台账或重大隐患五落实（缺排查日期/隐患描述或台账序号列）"
        return LedgerParse(rows=tuple(rows), majors=tuple(majors), problems=tuple(problems), ledger_sheet=ledger_name,
                           layouts=tuple(layouts), skipped_sheets=skipped, headers_found=headers_found)
    finally:
        wb.close()


def _columns_for(ws: Any, keys: list[str | None], aliases_: dict[str, tuple[str, ...]],
                 mapping: dict[str, Any] | None) -> dict[str, str]:
    columns = match_columns(keys, aliases_)
    if mapping and mapping.get("sheet") in (None, "", ws.title):
        vocab = LEDGER_FIELDS if aliases_ is _LEDGER_ALIASES else MAJOR_FIELDS
        overrides = {k: v for k, v in (mapping.get("columns") or {}).items() if _known(k, vocab)}
        columns = apply_mapping(columns, keys, overrides, vocab, strict=bool(mapping.get("sheet")))
    return columns


def _known(name: str, vocab: Any) -> bool:
    return name in vocab or any(name == h for syns in vocab.values() for h, _ in syns)


def _locate(
    ws: Any, found: tuple[tuple[int, ...], int], keys: list[str | None], aliases_: dict[str, tuple[str, ...]],
    required: tuple[str, ...], problems: list[RowProblem], mapping: dict[str, Any] | None,
    layouts: list[dict[str, Any]],
) -> tuple[list[SheetRow], dict[str, str]] | None:
    header_rows, first_data_row = found
    columns = _columns_for(ws, keys, aliases_, mapping)
    headers = [k for k in keys if k]
    missing = [f for f in required if f not in columns]
    for f in missing:
        problems.append(
            RowProblem(header_rows[0], f, "missing_column",
                       f"找不到列：{_LABELS.get(f, f)}（找到的表头：{'、'.join(headers)}）", ws.title)
        )
    if missing:
        return None
    skipped_rows: list[tuple[int, str]] = []
    sheet_rows = read_sheet(ws, header_rows, first_data_row, skipped=skipped_rows)
    used = set(columns.values())
    layouts.append({"sheet": ws.title, "header_rows": list(header_rows), "columns": dict(columns),
                    "unmapped_headers": [h for h in headers if h not in used],
                    "skipped_rows": [{"row": r, "reason": why} for r, why in skipped_rows]})
    return sheet_rows, columns


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
            value = parse_date(raw, field=f)
            check_date_in_range(value, f)
        except DateOutOfRange as exc:
            self.problem(f, exc.code, f"{self.header(f)}超出允许范围（不早于{exc.details['earliest']}）：{text_of(raw)}")
            return None
        except RuleError:
            self.problem(f, "invalid_date", f"{self.header(f)}不是有效日期：{text_of(raw)}")
            return None
        if value is None and required:
            self.problem(f, "required", f"{self.header(f)}为必填项")
        return value


def _parse_ledger_sheet(ws: Any, problems: list[RowProblem], found: Any, keys: list[str | None],
                        mapping: dict[str, Any] | None, layouts: list[dict[str, Any]]) -> list[LedgerRow]:
    located = _locate(ws, found, keys, _LEDGER_ALIASES, _LEDGER_REQUIRED, problems, mapping, layouts)
    if located is None:
        return []
    sheet_rows, columns = located
    rows: list[LedgerRow] = []
    seen: dict[int, int] = {}
    for ordinal, sr in enumerate(sheet_rows, start=1):
        rd = _RowReader(sr, columns, ws.title)
        seq = rd.integer("seq", required=True) if "seq" in columns else ordinal
        if seq is not None and seq in seen:
            rd.problem("seq", "duplicate", f"序号{seq}与第{seen[seq]}行重复")
        found = rd.day("found_date", required=True)
        description = rd.text("description", required=True)

        immediate = is_immediate_mark(rd.raw("deadline"))
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
        number = rd.text("number")
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
                number=number,
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


def _parse_major_sheet(ws: Any, known_seqs: set[int] | None, problems: list[RowProblem], found: Any,
                       keys: list[str | None], mapping: dict[str, Any] | None,
                       layouts: list[dict[str, Any]]) -> list[MajorRow]:
    located = _locate(ws, found, keys, _MAJOR_ALIASES, _MAJOR_REQUIRED, problems, mapping, layouts)
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


# --- cell parsers: ledger texts → codes (data/README.md §3) ------------------------------------


def _ledger_error(field: str, value: Any, what: str, code: str) -> RuleError:
    return RuleError(f"{field} 的值 {value!r} 不是可识别的{what}", field=field, code=code)


def _clean(value: Any) -> str | None:
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else None


#: Written grades → grade (隐患级别 column).
GRADE_FORMS: Mapping[str, HazardGrade] = {
    # the national interface codes the grade 0 (一般) / 1 (重大) (data/README.md §3)
    **{form: HazardGrade.GENERAL for form in ("一般隐患", "一般事故隐患", "一般", "general", "0")},
    **{form: HazardGrade.MAJOR for form in ("重大隐患", "重大事故隐患", "重大", "major", "1")},
}


def parse_grade(text: Any) -> HazardGrade:
    """Grade from "一般隐患" / "重大隐患" (also 一般/重大, …事故隐患, or the code).
    Raises ``RuleError`` (code "invalid_grade", field "grade"). Source: data/README.md §3."""
    grade = GRADE_FORMS.get(_clean(text) or "")
    if grade is None:
        raise _ledger_error("grade", text, "隐患级别", "invalid_grade")
    return grade


def parse_type(text: Any) -> HazardType:
    """Type from its Chinese name with or without a trailing 类 ("安全", "安全类", 其他/其它)
    or the code. Raises ``RuleError`` (code "invalid_type", field "type"). data/README.md §3."""
    cleaned = (_clean(text) or "").removesuffix("类").replace("其它", "其他")
    for hazard_type in HazardType:
        if cleaned in (hazard_type.label, hazard_type.value):
            return hazard_type
    raise _ledger_error("type", text, "隐患类别", "invalid_type")


#: 排查类型 prefixes → source. Longer prefixes are tried first (data/README.md §3 for the ledger
#: forms; the national names and our platform sources are accepted too).
SOURCE_PREFIXES: Mapping[str, HazardSource] = {
    "日常": HazardSource.DAILY,
    "综合": HazardSource.COMPREHENSIVE,
    "专业": HazardSource.SPECIALIST,
    "季节性": HazardSource.SEASONAL,
    "节假日前": HazardSource.KEY_PERIOD,
    "重点时段": HazardSource.KEY_PERIOD,
    "事故类比": HazardSource.ACCIDENT_ANALOGY,
    "节后复工前": HazardSource.RESUMPTION,
    "复产复工前": HazardSource.RESUMPTION,
    "外聘专家诊断": HazardSource.OUTSIDE_EXPERT,
    "管控措施失效": HazardSource.MEASURE_FAILED,
    "职工报告": HazardSource.EMPLOYEE_REPORT,
    "监管检查": HazardSource.INSPECTOR,
    "吹哨人": HazardSource.WHISTLEBLOWER,
}


def parse_source(text: Any) -> HazardSource:
    """Source from a ledger's 排查类型 by prefix: 日常 1, 综合 2, 专业 3 (the bracketed
    discipline is detail), 季节性 4, 节假日前 5, 事故类比 6, 节后复工前 7, 外聘专家诊断 8.
    Raises ``RuleError`` (code "invalid_source", field "source"). Source: data/README.md §3."""
    cleaned = _clean(text) or ""
    for prefix in sorted(SOURCE_PREFIXES, key=len, reverse=True):
        if cleaned.startswith(prefix):
            return SOURCE_PREFIXES[prefix]
    raise _ledger_error("source", text, "排查类型", "invalid_source")


#: Ledger 状态 / 治理状态 text → state; "已整改" depends on whether acceptance is recorded.
LEDGER_STATES: Mapping[str, HazardState] = {
    "已验收": HazardState.ACCEPTED,
    "待验收": HazardState.PENDING_ACCEPTANCE,
    "整改中": HazardState.RECTIFYING,
    "逾期未整改": HazardState.RECTIFYING,
    "治理中": HazardState.RECTIFYING,
    "已销号": HazardState.CLOSED,
    "已整改销号": HazardState.CLOSED,
    # written by our own export for platform states a paper ledger has no word for
    "已上报": HazardState.REPORTED,
    "已确认": HazardState.CONFIRMED,
    "已驳回": HazardState.REJECTED,
}

#: 状态 text our ledger export writes per state (accepted is written 已整改 with its acceptor;
#: an overdue rectifying hazard 逾期未整改). Each label re-imports to the same state.
LEDGER_EXPORT_LABELS: Mapping[HazardState, str] = {
    HazardState.REPORTED: "已上报",
    HazardState.CONFIRMED: "已确认",
    HazardState.RECTIFYING: "整改中",
    HazardState.PENDING_ACCEPTANCE: "待验收",
    HazardState.ACCEPTED: "已整改",
    HazardState.CLOSED: "已销号",
    HazardState.REJECTED: "已驳回",
}


def parse_ledger_state(text: Any, has_acceptance: bool) -> HazardState:
    """Lifecycle state from a ledger 状态 cell.

    已整改 → accepted when the row records an acceptance (验收人/验收日期), otherwise
    pending_acceptance (fixed, not yet verified); 待验收 → pending_acceptance; 整改中 and
    逾期未整改 → rectifying (overdue is computed from the deadline, never read from the label).
    Raises ``RuleError`` (code "invalid_state", field "state"). Source: data/README.md §3."""
    cleaned = _clean(text) or ""
    if cleaned == "已整改":
        return HazardState.ACCEPTED if has_acceptance else HazardState.PENDING_ACCEPTANCE
    state = LEDGER_STATES.get(cleaned)
    if state is None:
        raise _ledger_error("state", text, "隐患状态", "invalid_state")
    return state
