"""``--mapping file.json``, the ``--dry-run`` layout lines and the report output of ``import_register`` /
``import_ledger``."""

from __future__ import annotations

import json as _json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from compliance.importers.mapping import InvalidMapping, parse_mapping


def load_mapping(path: Path | None) -> dict[str, Any] | None:
    """The mapping in a JSON file (same shape as the API's ``mapping``); CommandError when bad."""
    if path is None:
        return None
    try:
        return parse_mapping(Path(path).read_bytes())
    except OSError as exc:
        raise CommandError(f"无法读取列映射文件：{exc}") from exc
    except InvalidMapping as exc:
        raise CommandError(str(exc)) from exc


def describe_layout(detected: dict[str, Any]) -> list[str]:
    """Readable lines of ``ImportReport.detected``: sheets used (header rows, mapping, unmapped) and skipped."""
    out = ["预览（未写入任何数据）："]
    for s in detected.get("sheets", []):
        cols = "，".join(f"{f}←{h}" for f, h in s.get("columns", {}).items())
        out.append(f"工作表 {s['sheet']}：表头第{'、'.join(map(str, s.get('header_rows', [])))}行"
                   + (f"，方法 {s['method']}，风险点类型来自 {s.get('kind_from')}" if "method" in s else ""))
        out.append(f"  列映射：{cols}")
        if s.get("unmapped_headers"):
            out.append(f"  未使用的列：{'、'.join(s['unmapped_headers'])}")
        for r in s.get("skipped_rows", []):
            out.append(f"  第{r['row']}行跳过：{r['reason']}")
    for s in detected.get("skipped_sheets", []):
        out.append(f"跳过工作表 {s['sheet']}：{s['reason']}")
    return out


def write_report(stdout: Any, report: Any, *, as_json: bool, dry_run: bool) -> None:
    """Print an ``ImportReport`` to a command's ``stdout``: the whole report as JSON with ``--json``, else the
    detected layout (``--dry-run``) and one line per row."""
    if as_json:
        stdout.write(_json.dumps(report.as_dict(), ensure_ascii=False, indent=1, default=str))
        return
    if dry_run:
        for line in describe_layout(report.detected):
            stdout.write(line)
    for line in report.lines():
        stdout.write(line)
