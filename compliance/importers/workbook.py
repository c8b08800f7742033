"""Open a register or ledger file of any of the formats enterprises send: ``.xlsx``, ``.xls``, ``.csv``.

:func:`open_workbook` always answers an openpyxl ``Workbook`` (not read-only, merged ranges
kept), so the table readers of :mod:`compliance.importers.xlsx_tables` work on all three:

- ``.xlsx`` / ``.xlsm``: ``openpyxl.load_workbook(data_only=True)`` (formula cells give their cached
  value, ``None`` when the file was never recalculated — the importers then compute);
- ``.xls`` (Excel 97–2003): read with xlrd (``formatting_info=True`` for merged ranges), date
  cells turned into ``datetime`` with the workbook's date mode;
- ``.csv``: UTF-8 with or without BOM, else GB18030 (what Chinese Excel saves as "CSV"); the
  delimiter is sniffed among ``,`` ``;`` tab; one sheet named after the file.

The format is taken from the content (zip → xlsx, OLE2 → xls, else text), so a wrongly named
upload still opens. Raises :class:`UnreadableWorkbook` (a ``ValueError``) when it cannot.
"""

from __future__ import annotations

import csv
import io
from os import PathLike
from pathlib import Path
from typing import IO, Any

import openpyxl
from openpyxl.utils import get_column_letter

__all__ = ["UnreadableWorkbook", "open_workbook", "source_name"]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


class UnreadableWorkbook(ValueError):
    """The file is none of xlsx / xls / csv, or is damaged."""


def source_name(source: Any) -> str:
    return Path(str(getattr(source, "name", None) or source)).name


def _read_bytes(source: str | PathLike[str] | IO[bytes]) -> bytes:
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read()
        return data.encode() if isinstance(data, str) else data
    return Path(source).read_bytes()


def open_workbook(source: str | PathLike[str] | IO[bytes]) -> Any:
    """An openpyxl Workbook for an xlsx, xls or csv source (path or binary file)."""
    data = _read_bytes(source)
    name = source_name(source)
    try:
        if data.startswith(_ZIP):
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        if data.startswith(_OLE2):
            return _from_xls(data)
        return _from_csv(data, Path(name).stem or "Sheet1")
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # openpyxl / xlrd raise many types for a damaged file
        raise UnreadableWorkbook(f"{type(exc).__name__}: {exc}") from exc


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableWorkbook("文件既不是 Excel 工作簿，也不是 UTF-8 / GB18030 编码的 CSV") from exc


def _from_csv(data: bytes, title: str) -> Any:
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableWorkbook("文件不是 Excel 工作簿或 CSV 文本")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _sheet_title(title)
    for row in csv.reader(io.StringIO(text, newline=""), dialect):
        ws.append([cell if cell != "" else None for cell in row])
    return wb


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in '[]:*?/\\' else ch for ch in title)[:31]
    return cleaned or "Sheet1"


def _from_xls(data: bytes) -> Any:
    import xlrd  # only needed for Excel 97–2003 files

    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in book.sheets():
        ws = wb.create_sheet(_sheet_title(sh.name))
        for r in range(sh.nrows):
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                value: object
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    continue
                else:
                    value = cell.value
                ws.cell(row=r + 1, column=c + 1, value=value)
        for rlo, rhi, clo, chi in sh.merged_cells:
            if rhi - rlo > 1 or chi - clo > 1:
                ws.merge_cells(f"{get_column_letter(clo + 1)}{rlo + 1}:{get_column_letter(chi)}{rhi}")
    return wb
