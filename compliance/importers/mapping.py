"""The explicit column mapping a person gives when layout detection got a column wrong.

Shape (JSON, the same in the API's multipart ``mapping`` field and in ``--mapping file.json``)::

    {"sheet": "作业活动", "columns": {"L": "可能性", "风险点编号": "代码"}}

``sheet`` is optional (every sheet); ``columns`` maps a field — its logical name (``"l"``,
``"found_date"``) or any of its headings in :mod:`compliance.importers.vocabulary` — to the
header text written in the file.  :func:`parse_mapping` checks the shape only; an unknown field or
header is refused by the parser (400 ``invalid_choice`` field ``mapping``).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["InvalidMapping", "parse_mapping", "truthy"]


class InvalidMapping(ValueError):
    """The mapping is not ``{"sheet"?: str, "columns": {str: str}}``."""


def parse_mapping(value: Any) -> dict[str, Any] | None:
    """``None`` for no mapping; the checked dict otherwise (a JSON text or UTF-8 bytes is decoded first;
    other bytes or JSON nested past the parser's depth raise :class:`InvalidMapping`)."""
    if value in (None, "", b""):
        return None
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidMapping("列映射文件须为 UTF-8 编码的 JSON") from exc
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise InvalidMapping(f"列映射不是有效的 JSON：{exc.msg}") from exc
        except RecursionError as exc:  # nesting deeper than the parser's stack: no mapping is that deep
            raise InvalidMapping("列映射的 JSON 嵌套过深") from exc
    if not isinstance(value, dict):
        raise InvalidMapping("列映射须为对象 {\"sheet\": …, \"columns\": {…}}")
    columns = value.get("columns")
    sheet = value.get("sheet")
    if not isinstance(columns, dict) or not columns:
        raise InvalidMapping("列映射须含非空的 columns 对象")
    if sheet is not None and not isinstance(sheet, str):
        raise InvalidMapping("列映射的 sheet 须为工作表名称")
    if not all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in columns.items()):
        raise InvalidMapping("columns 的键和值须为非空文本（字段 → 表头）")
    if set(value) - {"sheet", "columns"}:
        raise InvalidMapping(f"列映射含未知键：{'、'.join(sorted(set(value) - {'sheet', 'columns'}))}")
    return {"sheet": sheet, "columns": dict(columns)}


def truthy(value: Any) -> bool:
    """``?dry_run=1`` / ``true`` / ``yes`` / ``on``."""
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}
