"""Cells written into spreadsheets the platform exports (CSV and XLSX): one sanitiser for every export.

Two problems of user text in a cell, both fixed here:

- **Formula injection** (CSV/XLSX injection, OWASP "CSV Injection"): a text cell starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel, LibreOffice
  and WPS (``=HYPERLINK("http://evil.example/x","点击")`` in a hazard title becomes a live link in
  the regulator's export). :func:`safe_cell` prefixes such text with an apostrophe — the
  spreadsheet convention for "this is text" — so openpyxl writes a string cell, not ``<f>``.
- **Control characters**: XML 1.0 (hence XLSX) cannot hold U+0000–U+0008, U+000B, U+000C and
  U+000E–U+001F; openpyxl raises ``IllegalCharacterError`` and the whole export fails. They are
  removed (tab, line feed and carriage return are kept inside the text).

Numbers, dates and None pass unchanged. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

#: Leading characters that make a spreadsheet read a text cell as a formula.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: Characters XML 1.0 cannot hold (the set openpyxl refuses).
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: control characters removed from text, and
    text that would start a formula prefixed with ``'`` (``"=1+1"`` → ``"'=1+1"``,
    ``"-5"`` → ``"'-5"``). Non-text values are returned unchanged."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS.sub("", value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def unquote_cell(text: str) -> str:
    """The inverse of :func:`safe_cell`'s prefix, for importers reading our own exports back:
    ``"'=1+1"`` → ``"=1+1"``; any other text unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`safe_cell` over a row."""
    return [safe_cell(v) for v in values]


# --- the layout every exported table shares -------------------------------------------------------
#: Text of the signature line under every exported table (填表人 / 审核人 left blank to sign on paper).
FOOTER_TEMPLATE = "填表人：　　　　审核人：　　　　日期：{year}年{month}月{day}日"


def footer_line(day: date) -> list[str]:
    """The 填表人/审核人/日期 row written two rows under an exported table (one cell; the importers
    skip it as a footer). ``day`` is the export date (Asia/Shanghai)."""
    return [FOOTER_TEMPLATE.format(year=day.year, month=day.month, day=day.day)]


def table_start(ws: Any, *, header_row: int) -> None:
    """Freeze everything above and including the header row (``header_row`` is 1-based). Call before
    the first row is written: a write-only sheet writes its view when it starts."""
    ws.freeze_panes = f"A{header_row + 1}"


def table_end(ws: Any, *, header_row: int, columns: int, last_row: int, day: date) -> None:
    """Autofilter over the header and data rows (``A{header_row}:<last column>{last_row}``), then a
    blank row and the :func:`footer_line`. Works on write-only sheets (the filter is written at
    the sheet's end)."""
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(last_row, header_row)}"
    ws.append([])
    ws.append(footer_line(day))
