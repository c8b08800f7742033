"""Parse an enterprise list CSV (Excel "CSV UTF-8" export) into validated rows — no Django, no DB.

Input: UTF-8 with BOM, CRLF, comma separated, one header row (GB18030 is accepted as a fallback
for files saved as plain "CSV" by Chinese Excel).  Columns are found by header text:
企业名称, 统一社会信用代码, 行政区划代码, 所属行业, 地址, 法定代表人, 主要负责人, 安全管理员,
联系电话, 重大危险源数量, 经度, 纬度.

Every data record becomes either an :class:`EnterpriseRow` or a :class:`RejectedRow`, in file
order.  ``line`` is the physical line on which the record starts, counting the header as line 1
(so the first data record is line 2) — the numbers a user sees in a text editor.

Deliberately standalone (stdlib, python-stdnum and the pure name rule of ``backend.accounts.names``): the platform layer must not depend on
``compliance``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from os import PathLike
from pathlib import Path
from typing import IO, Any

from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc as stdnum_uscc

from backend.accounts.names import name_problem

__all__ = [
    "CHINA_LAT_RANGE",
    "CHINA_LON_RANGE",
    "COLUMNS",
    "CsvHeaderError",
    "EnterpriseRow",
    "FieldError",
    "RejectedRow",
    "parse_enterprises_csv",
]

# EnterpriseRow field -> CSV header text
COLUMNS: dict[str, str] = {
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "division_code": "行政区划代码",
    "industry": "所属行业",
    "address": "地址",
    "legal_rep": "法定代表人",
    "principal": "主要负责人",
    "safety_officer": "安全管理员",
    "phone": "联系电话",
    "major_hazard_sources": "重大危险源数量",
    "lon": "经度",
    "lat": "纬度",
}
_REQUIRED_COLUMNS = ("name", "uscc", "division_code")

# Bounding box of China (incl. islands), WGS-84 decimal degrees: a plausibility check only.
CHINA_LON_RANGE = (Decimal("73.4"), Decimal("135.1"))
CHINA_LAT_RANGE = (Decimal("3.8"), Decimal("53.6"))

_DIVISION_RE = re.compile(r"^\d{6}(?:\d{3}(?:\d{3})?)?$")  # GB/T 2260: 6, 9 or 12 digits
_DECIMAL_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class FieldError:
    field: str  # EnterpriseRow field name, e.g. "uscc"
    column: str  # CSV header, e.g. "统一社会信用代码"
    code: str  # required / invalid_format / invalid_checksum / unknown_division / out_of_range / …
    message: str


@dataclass(frozen=True)
class EnterpriseRow:
    line: int
    name: str
    uscc: str  # compact, upper case, checksum-valid
    division_code: str
    industry: str
    address: str
    legal_rep: str
    principal: str
    safety_officer: str
    phone: str
    major_hazard_sources: int
    lon: Decimal | None
    lat: Decimal | None


@dataclass(frozen=True)
class RejectedRow:
    """A record that must not be imported.  ``field``/``code``/``message`` are the first error;
    ``errors`` holds all of them; ``raw`` is the record as read (header -> stripped text)."""

    line: int
    name: str
    field: str
    code: str
    message: str
    errors: tuple[FieldError, ...]
    raw: dict[str, str]


class CsvHeaderError(ValueError):
    """The file as a whole cannot be read (empty, a required column missing, or a record the csv
    module refuses: a field over ``csv.field_size_limit()``, 131,072 characters — BREAKIT D16)."""


KnownDivisions = Collection[str] | Callable[[str], bool]


def parse_enterprises_csv(
    source: str | PathLike[str] | IO[bytes] | IO[str],
    known_division_codes: KnownDivisions,
) -> list[EnterpriseRow | RejectedRow]:
    """Validate every record of the enterprise CSV.

    ``known_division_codes`` is a set of valid 行政区划代码 or a predicate ``code -> bool``; a
    12-digit (village) code is also accepted when its 9-digit town prefix is known, as in
    ``backend.accounts.validators.clean_division_code``.
    Raises :class:`CsvHeaderError` if the header lacks 企业名称, 统一社会信用代码 or 行政区划代码.
    """
    is_known = known_division_codes if callable(known_division_codes) else known_division_codes.__contains__
    reader = csv.reader(io.StringIO(_read_text(source), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvHeaderError("CSV 文件为空") from None
    except csv.Error as exc:
        raise CsvHeaderError(f"第{reader.line_num}行无法解析：{_csv_reason(exc)}") from None
    header_names = [_clean(h).replace(" ", "") for h in header]
    index: dict[str, int] = {}
    for fld, col in COLUMNS.items():
        if col in header_names:
            index[fld] = header_names.index(col)
    missing = [COLUMNS[f] for f in _REQUIRED_COLUMNS if f not in index]
    if missing:
        raise CsvHeaderError(f"缺少列：{'、'.join(missing)}")

    results: list[EnterpriseRow | RejectedRow] = []
    first_line_of: dict[str, int] = {}
    next_line = reader.line_num + 1
    for record in _records(reader):
        line, next_line = next_line, reader.line_num + 1
        values = [_clean(v) for v in record]
        if not any(values):
            continue  # blank line
        raw = {header_names[i] if i < len(header_names) else f"#{i + 1}": v for i, v in enumerate(values)}
        result = _validate(line, values, index, len(header_names), is_known, first_line_of, raw)
        if isinstance(result, EnterpriseRow):
            first_line_of.setdefault(result.uscc, line)
        results.append(result)
    return results


def _records(reader: Any) -> Iterator[list[str]]:
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvHeaderError(f"第{reader.line_num}行无法解析：{_csv_reason(exc)}") from None


def _csv_reason(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"字段超过 {csv.field_size_limit()} 个字符"
    return str(exc)


def _read_text(source: str | PathLike[str] | IO[bytes] | IO[str]) -> str:
    if hasattr(source, "read"):
        data = source.read()
    else:
        data = Path(source).read_bytes()
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _clean(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def _validate(
    line: int,
    values: list[str],
    index: dict[str, int],
    n_columns: int,
    is_known: Callable[[str], bool],
    first_line_of: dict[str, int],
    raw: dict[str, str],
) -> EnterpriseRow | RejectedRow:
    errors: list[FieldError] = []

    def get(fld: str) -> str:
        i = index.get(fld)
        return values[i] if i is not None and i < len(values) else ""

    def error(fld: str, code: str, message: str) -> None:
        errors.append(FieldError(fld, COLUMNS.get(fld, fld), code, message))

    if len(values) > n_columns and any(values[n_columns:]):
        error("", "extra_columns", f"本行有{len(values)}列，多于表头的{n_columns}列（可能含未加引号的逗号）")

    name = get("name")
    if not name:
        error("name", "required", "企业名称为必填项")
    elif problem := name_problem(name, lookalike_check=True):
        error("name", *problem)

    uscc = _validate_uscc(get("uscc"), error)
    if uscc and uscc in first_line_of:
        error("uscc", "duplicate", f"统一社会信用代码与第{first_line_of[uscc]}行重复")

    division = get("division_code").replace(" ", "")
    if not division:
        error("division_code", "required", "行政区划代码为必填项")
    elif not _DIVISION_RE.match(division):
        error("division_code", "invalid_format", f"行政区划代码格式错误（应为6、9或12位数字）：{division}")
    elif not (is_known(division) or (len(division) == 12 and is_known(division[:9]))):
        error("division_code", "unknown_division", f"行政区划代码不存在或不在管辖范围内：{division}")

    hazards = _validate_hazard_count(get("major_hazard_sources"), error)
    lon = _coordinate("lon", get("lon"), CHINA_LON_RANGE, error)
    lat = _coordinate("lat", get("lat"), CHINA_LAT_RANGE, error)
    if (lon is None) != (lat is None) and not any(e.field in ("lon", "lat") for e in errors):
        missing = "lat" if lat is None else "lon"
        error(missing, "required", "经度和纬度须同时填写")

    if errors:
        first = errors[0]
        return RejectedRow(line, name, first.field, first.code, first.message, tuple(errors), raw)
    assert uscc is not None
    assert hazards is not None
    return EnterpriseRow(
        line=line,
        name=name,
        uscc=uscc,
        division_code=division,
        industry=get("industry"),
        address=get("address"),
        legal_rep=get("legal_rep"),
        principal=get("principal"),
        safety_officer=get("safety_officer"),
        phone=get("phone"),
        major_hazard_sources=hazards,
        lon=lon,
        lat=lat,
    )


def _validate_uscc(value: str, error: Callable[[str, str, str], None]) -> str | None:
    if not value:
        error("uscc", "required", "统一社会信用代码为必填项")
        return None
    try:
        return stdnum_uscc.validate(value)
    except stdnum_exceptions.InvalidChecksum:
        error("uscc", "invalid_checksum", "统一社会信用代码校验位错误")
    except stdnum_exceptions.ValidationError:  # InvalidLength, InvalidFormat
        error("uscc", "invalid_format", f"统一社会信用代码格式错误（应为18位数字或大写字母）：{value}")
    return None


def _validate_hazard_count(value: str, error: Callable[[str, str, str], None]) -> int | None:
    if not value:
        error("major_hazard_sources", "required", "重大危险源数量为必填项（没有请填0）")
        return None
    number = _decimal(value)
    if number is None or number != number.to_integral_value() or number < 0:
        error("major_hazard_sources", "invalid_number", f"重大危险源数量应为不小于0的整数：{value}")
        return None
    return int(number)


def _coordinate(
    fld: str, value: str, bounds: tuple[Decimal, Decimal], error: Callable[[str, str, str], None]
) -> Decimal | None:
    if not value:
        return None
    label = COLUMNS[fld]
    number = _decimal(value)
    if number is None:
        error(fld, "invalid_number", f"{label}不是有效数字：{value}")
        return None
    if not bounds[0] <= number <= bounds[1]:
        error(
            fld, "out_of_range", f"{label}超出中国范围（{bounds[0]}–{bounds[1]}，经纬度是否填反？）：{value}"
        )
        return None
    return number


def _decimal(value: str) -> Decimal | None:
    if not _DECIMAL_RE.match(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None
