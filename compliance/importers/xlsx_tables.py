"""Generic, Django-free helpers for reading printed-style Excel tables with openpyxl.

Chinese safety registers and ledgers are laid out for printing, not for machines:
a merged title line, a merged note line, a one- or two-row header whose group cells are
merged across (``风险点`` over 编号/名称/类型/区域位置) while single headers are merged over
both rows, body cells merged vertically over all rows of a block, blank spacer rows, and a
signature footer (``编制：… 审核：… 批准：…``, ``填表人：…``).  :func:`read_sheet` turns
such a sheet into plain rows keyed by header text.

Load workbooks with ``openpyxl.load_workbook(path, data_only=True)`` and *not* in
``read_only`` mode: read-only worksheets do not expose their merged ranges.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from backend.core.spreadsheets import unquote_cell

__all__ = [
    "FOOTER_RE",
    "NONE_TOKENS",
    "RowProblem",
    "SheetRow",
    "find_header_rows",
    "header_key_parts",
    "is_footer_row",
    "apply_mapping",
    "match_columns",
    "normalize",
    "read_header",
    "read_sheet",
    "text_of",
    "to_number",
]


@dataclass(frozen=True)
class SheetRow:
    """One non-blank body row: its 1-based Excel row number and its values keyed by header text.

    Strings are NFKC-normalised and stripped; empty strings become ``None``; merged cells carry
    the value of their range's top-left cell.  Numbers, dates and datetimes are kept as openpyxl
    returned them.
    """

    excel_row: int
    values: dict[str, object]

    def get(self, key: str | None, default: object = None) -> object:
        if key is None:
            return default
        return self.values.get(key, default)


@dataclass(frozen=True)
class RowProblem:
    """Why a row (or a field of it) could not be taken over.

    ``field`` is the logical field name of the parsed record (e.g. ``"inputs.l"``,
    ``"found_date"``), ``code`` a stable machine code (``required``, ``invalid_number``,
    ``invalid_date``, ``invalid_choice``, ``missing_column`` …) and ``message`` a Chinese
    sentence for the user that names the column as written in the file.
    ``excel_row`` is 1-based; 0 means the problem concerns the whole sheet/file.
    """

    excel_row: int
    field: str
    code: str
    message: str
    sheet: str = ""


# Values that mean "nothing here" in Chinese forms (after NFKC: "／" -> "/", "－" -> "-").
NONE_TOKENS: frozenset[str] = frozenset({"", "/", "-", "—", "——", "--"})

# Signature / footer lines: 编制：…  审核：…  批准：…  填表人：…  填表日期：…
FOOTER_RE = re.compile(
    r"^(编制人?|制表人?|填表人?|填报人?|填表日期|填报日期|审核人?|批准人?|审批人?|复核人?|签发人?)\s*[:：]"
)

_WS_RE = re.compile(r"\s+")
_NUM_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PAREN_LETTER_RE = re.compile(r"\(([A-Za-z])\)$")
_BRACKETED_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_TRAILING_LETTER_RE = re.compile(r"^(.*[^\x00-\x7f])([A-Za-z])$")


def normalize(value: object) -> object:
    """NFKC-normalise and strip strings (empty -> ``None``); return other values unchanged.

    The apostrophe our exports put before text that would start a formula
    (:func:`backend.core.spreadsheets.safe_cell`) is dropped, so an export re-imports unchanged."""
    if isinstance(value, str):
        text = unquote_cell(unicodedata.normalize("NFKC", value).strip())
        return text or None
    return value


def text_of(value: object) -> str:
    """A cell value as display text: ``None`` -> ``""``, integral floats without ``.0``."""
    value = normalize(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return str(value)


def to_number(value: object) -> Decimal | None:
    """Parse a cell value as a :class:`~decimal.Decimal`.

    Strings are NFKC-normalised first (full-width ``１３５`` -> ``135``, ``３．５`` -> ``3.5``),
    and may use ``,`` as a thousands separator (``1,860,000``).  ``None``, ``""``, ``/``, ``-``
    and ``—`` mean "no value" and give ``None``.  Anything else (text, booleans, dates, NaN,
    infinity) raises :class:`ValueError`.  Floats go through ``repr`` so ``0.1`` stays ``0.1``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text in NONE_TOKENS:
            return None
        if _THOUSANDS_RE.match(text):
            text = text.replace(",", "")
        if not _NUM_RE.match(text):
            raise ValueError(f"not a number: {value!r}")
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
            raise ValueError(f"not a number: {value!r}") from exc
    raise ValueError(f"not a number: {value!r}")


def _merged_value_map(ws: Any) -> dict[tuple[int, int], object]:
    """(row, col) -> value of the top-left cell, for every cell of every merged range."""
    merged = getattr(ws, "merged_cells", None)
    if merged is None:
        raise TypeError("worksheet has no merged-cell information; load the workbook without read_only=True")
    max_row = ws.max_row
    max_col = ws.max_column
    out: dict[tuple[int, int], object] = {}
    for rng in merged.ranges:
        value = ws.cell(row=rng.min_row, column=rng.min_col).value
        for r in range(rng.min_row, min(rng.max_row, max_row) + 1):
            for c in range(rng.min_col, min(rng.max_col, max_col) + 1):
                out[(r, c)] = value
    return out


def _filled_rows(
    ws: Any, min_row: int, max_row: int, merged: dict[tuple[int, int], object]
) -> list[tuple[int, list[object]]]:
    """Raw rows ``min_row..max_row`` with merged values filled in and strings normalised."""
    out: list[tuple[int, list[object]]] = []
    if max_row < min_row:
        return out
    ncols = ws.max_column
    for offset, raw in enumerate(
        ws.iter_rows(min_row=min_row, max_row=max_row, max_col=ncols, values_only=True)
    ):
        r = min_row + offset
        values = list(raw) + [None] * (ncols - len(raw))
        for c in range(1, ncols + 1):
            if (r, c) in merged:
                values[c - 1] = merged[(r, c)]
        out.append((r, [normalize(v) for v in values]))
    return out


def _header_text(value: object) -> str | None:
    value = normalize(value)
    if value is None:
        return None
    # Header cells are often wrapped ("整改资金\n(元)") or spaced ("序  号"): drop all whitespace.
    text = _WS_RE.sub("", text_of(value))
    return text or None


def read_header(ws: Any, header_rows: tuple[int, ...]) -> list[str | None]:
    """Column keys (index 0 = column A) from one or more header rows.

    Merged header cells are filled first, so a group cell merged across (``风险点`` over four
    columns) yields ``"风险点/编号"`` … and a single header merged over both rows yields just
    ``"序号"``.  Whitespace inside header text is removed.  Columns without any header text get
    ``None``; a repeated key gets a ``#2``, ``#3`` … suffix.
    """
    merged = _merged_value_map(ws)
    ncols = ws.max_column
    rows = [
        _filled_rows(ws, r, r, merged)[0][1] if r <= ws.max_row else [None] * ncols
        for r in sorted(header_rows)
    ]
    keys: list[str | None] = []
    seen: dict[str, int] = {}
    for c in range(ncols):
        parts: list[str] = []
        for row in rows:
            text = _header_text(row[c])
            if text is None or (parts and parts[-1] == text):
                continue
            parts.append(text)
        if not parts:
            keys.append(None)
            continue
        key = "/".join(parts)
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys


def is_footer_row(values: list[object]) -> bool:
    """A signature line: every distinct non-empty value is text starting like ``编制：``."""
    distinct = {v for v in values if v is not None}
    return bool(distinct) and all(isinstance(v, str) and FOOTER_RE.match(v) for v in distinct)


def read_sheet(
    ws: Any,
    header_rows: tuple[int, ...],
    first_data_row: int,
    *,
    last_row: int | None = None,
    skipped: list[tuple[int, str]] | None = None,
) -> list[SheetRow]:
    """Read the body of a printed-style table.

    - every merged range's value is filled into all its cells (header and body, so vertically
      merged 风险点 or L/E/C cells fill down);
    - column keys come from :func:`read_header`;
    - strings are NFKC-normalised and stripped (empty -> ``None``);
    - rows whose keyed cells are all empty are skipped;
    - reading stops at the first footer line (``编制：… 审核：… 批准：…``, ``填表人：…``);
    - a repeated header row (printed page header) is not data.

    When ``skipped`` is given, every non-blank row that is not returned is appended to it as
    ``(excel_row, reason)`` (footer, rows after it, repeated header), so nothing is lost unseen.
    """
    keys = read_header(ws, header_rows)
    merged = _merged_value_map(ws)
    end = ws.max_row if last_row is None else min(last_row, ws.max_row)
    out: list[SheetRow] = []
    header_texts = [_header_text(k) for k in keys]
    footer_at: int | None = None
    for r, values in _filled_rows(ws, first_data_row, end, merged):
        row = {key: values[i] for i, key in enumerate(keys) if key is not None}
        blank = all(v is None for v in row.values())
        if footer_at is not None:
            if skipped is not None and not blank:
                skipped.append((r, f"位于第{footer_at}行签字栏之后"))
            continue
        if is_footer_row(values):
            footer_at = r
            if skipped is not None:
                skipped.append((r, "签字栏（编制/审核/填表人）"))
            continue
        if blank:
            if skipped is not None and any(v is not None for v in values):
                skipped.append((r, "表头以外的列有内容，表内各列为空"))
            continue
        if sum(1 for i, v in enumerate(values) if v is not None and i < len(header_texts)
               and _header_text(v) == header_texts[i]) >= max(2, len([k for k in keys if k]) // 2):
            if skipped is not None:
                skipped.append((r, "重复的表头行（分页表头）"))
            continue
        out.append(SheetRow(excel_row=r, values=row))
    return out


def _is_header_row(values: list[object], markers: tuple[str, ...], headings: frozenset[str] | None) -> bool:
    texts = {t for t in (_header_text(v) for v in values) if t}
    if texts.intersection(markers):
        return True
    if not headings:
        return False
    return sum(1 for t in texts if header_key_parts(t) & headings) >= 3


def find_header_rows(
    ws: Any, markers: tuple[str, ...] = ("序号",), max_scan: int = 15, *, headings: frozenset[str] | None = None
) -> tuple[tuple[int, ...], int] | None:
    """Locate the header: ``((header rows…), first_data_row)`` or ``None`` if not found.

    The header starts at the first row (within ``max_scan``) holding a cell equal to one of
    ``markers`` or — when ``headings`` (the known header vocabulary) is given — at least three
    cells that are known headings (so a header without 序号 is found too).  It spans two or more
    rows when a cell of that row is merged downwards (a single header merged over both rows), or
    when a group cell of that row is merged across and the row below has sub-headers under it.
    """
    merged = _merged_value_map(ws)  # raises TypeError for read-only worksheets
    merged_ranges = list(ws.merged_cells.ranges)
    last = min(max_scan, ws.max_row)
    for r, values in _filled_rows(ws, 1, last, merged):
        if not _is_header_row(values, markers, headings):
            continue
        end = r
        for rng in merged_ranges:
            if rng.min_row == r and rng.max_row > r and rng.max_col - rng.min_col < ws.max_column - 1:
                end = max(end, rng.max_row)
        if end == r:
            for rng in merged_ranges:
                if rng.min_row == rng.max_row == r and rng.max_col > rng.min_col:
                    below = [ws.cell(row=r + 1, column=c).value for c in range(rng.min_col, rng.max_col + 1)]
                    if any(normalize(v) is not None for v in below):
                        end = r + 1
                        break
        end = min(end, r + 3)
        return tuple(range(r, end + 1)), end + 1
    return None


def header_key_parts(key: str) -> set[str]:
    """Forms under which a header key can be matched: whole (without ``/``), last part, letter.

    ``"风险评价/L"`` -> {``"风险评价L"``, ``"L"``}; ``"可能性(L)"`` -> {…, ``"L"``}.
    """
    base = key.split("#", 1)[0]
    parts = base.split("/")
    last = parts[-1]
    forms = {base.replace("/", ""), last}
    m = _PAREN_LETTER_RE.search(last)
    if m:
        forms.add(m.group(1).upper())
    bare = _BRACKETED_RE.sub("", last)  # "整改资金(元)" -> "整改资金", "可能性(L)" -> "可能性"
    if bare:
        forms.add(bare)
        m = _TRAILING_LETTER_RE.match(bare)  # "可能性L" -> "L" and "可能性"; "L值" -> "L"
        if m:
            forms.update((m.group(1), m.group(2).upper()))
        if len(bare) == 2 and bare[0].isascii() and bare[0].isalpha() and bare[1] == "值":
            forms.add(bare[0].upper())
    return forms


def match_columns(keys: list[str | None], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map logical field names to header keys by header *text* (never by position).

    For each field the aliases are tried in order; the first (left-most) unused column whose key
    matches (see :func:`header_key_parts`) wins.  Fields without a match are absent.
    """
    present = [k for k in keys if k is not None]
    forms = {k: header_key_parts(k) for k in present}
    used: set[str] = set()
    out: dict[str, str] = {}
    for field, names in aliases.items():
        for name in names:
            hit = next((k for k in present if k not in used and name in forms[k]), None)
            if hit is not None:
                out[field] = hit
                used.add(hit)
                break
    return out


def apply_mapping(
    columns: dict[str, str],
    keys: list[str | None],
    overrides: dict[str, str],
    vocabulary: Any,
    *,
    strict: bool = True,
    found: set[str] | None = None,
) -> dict[str, str]:
    """Columns after an explicit mapping ``{field: header}`` chosen by a person.

    ``field`` is a logical field name (``"l"``, ``"measure.ppe"``) or one of its headings in
    ``vocabulary`` (``"L"``, ``"可能性"``); ``header`` is the column's header text as written in the
    file (or its last part, ``"L"`` for ``风险评价/L``).  The mapped column is taken away from any
    other field.  Raises ``KeyError`` naming an unknown field or (``strict``) a header not in the
    sheet; with ``strict=False`` such a header is left out and the headers that were found are
    added to ``found`` (so the caller can refuse a header found in no sheet at all)."""
    out = dict(columns)
    present = [k for k in keys if k]
    for name, header in overrides.items():
        field_name = _field_of(str(name), vocabulary)
        if field_name is None:
            raise KeyError(f"未知字段：{name}")
        wanted = _header_text(header) or ""
        hit = next((k for k in present if k.split("#", 1)[0] == wanted), None) or next(
            (k for k in present if wanted in header_key_parts(k)), None)
        if hit is None:
            if strict:
                raise KeyError(f"表头中没有列：{header}")
            continue
        if found is not None:
            found.add(header)
        for f in [f for f, k in out.items() if k == hit]:
            del out[f]
        out[field_name] = hit
    return out


def _field_of(name: str, vocabulary: Any) -> str | None:
    if name in vocabulary:
        return name
    if name.lower() in vocabulary:
        return name.lower()
    text = _header_text(name) or ""
    for field, synonyms in vocabulary.items():
        if any(text == h for h, _ in synonyms):
            return field
    return None
