"""作业前报告 (pre-work report to the regulator): which approved permits are reported before work
starts. Pure: no Django.

The county plan asks enterprises to report 动火、有限空间、动土、高处、检维修 and the other special
operations, and 外包施工, before work starts (issue 14 point 14). The decision is a table of
rules — type × level × enterprise kind → report or not — read first match wins, plus two
standing reasons that always report: a permit done by an outside contractor (外包) and a window
touching a public holiday (the rule this platform had before, DOMAIN.md §4 [config]).

Default table (:data:`DEFAULT_TABLE`, configurable with the ``PREWORK_REPORT_TABLE`` setting, a
list of ``{"type": "*"|code, "levels": "*"|[codes], "kinds": "*"|[kinds], "report": bool}``):
every permit "一级 and above" — hot work 特级/一级, lifting 一级, and for height (bands Ⅰ–Ⅳ, Ⅳ
strictest) Ⅲ/Ⅳ, the two bands approved above the 基层单位 (Table B.1) — for every kind of
enterprise; nothing else by the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backend.core.rules import RuleError

ANY = "*"


@dataclass(frozen=True)
class PreworkRule:
    """One row: permits of ``type`` (``*`` any) at one of ``levels`` (``*`` any, including none)
    of an enterprise of one of ``kinds`` (``*`` any; ``hazchem`` / ``industrial`` / ``""``) are
    reported when ``report``."""

    type: str
    levels: tuple[str, ...] | str
    kinds: tuple[str, ...] | str
    report: bool

    def matches(self, permit_type: str, level: str, kind: str) -> bool:
        return ((self.type == ANY or self.type == permit_type)
                and (self.levels == ANY or level in self.levels)
                and (self.kinds == ANY or kind in self.kinds))


DEFAULT_TABLE: tuple[PreworkRule, ...] = (
    PreworkRule("hot_work", ("special", "first"), ANY, True),
    PreworkRule("lifting", ("first",), ANY, True),
    PreworkRule("height", ("III", "IV"), ANY, True),
)

#: Reasons a permit is reported (codes in the report's payload, labels in its body).
REASON_LABELS = {"table": "按报告规则表（类型×级别×企业类别）", "contractor": "外包（承包商）作业",
                 "holiday": "作业时段含法定节假日"}


class InvalidPreworkTable(RuleError):
    """The configured table is malformed (a settings error, raised at first use)."""

    default_code = "invalid_prework_table"


def table_from_config(rows: Iterable[Mapping[str, Any]] | None) -> tuple[PreworkRule, ...]:
    """The table from the ``PREWORK_REPORT_TABLE`` setting; ``None`` → :data:`DEFAULT_TABLE`."""
    if rows is None:
        return DEFAULT_TABLE
    out = []
    for i, row in enumerate(rows):
        try:
            levels, kinds = row.get("levels", ANY), row.get("kinds", ANY)
            out.append(PreworkRule(str(row.get("type", ANY)), levels if levels == ANY else tuple(levels),
                                   kinds if kinds == ANY else tuple(kinds), bool(row["report"])))
        except (KeyError, TypeError, AttributeError) as exc:
            raise InvalidPreworkTable(f"PREWORK_REPORT_TABLE 第 {i + 1} 行格式错误：{exc}") from exc
    return tuple(out)


def prework_reasons(*, permit_type: str, level: str, kind: str, contractor: bool, holiday: bool,
                    table: Iterable[PreworkRule] = DEFAULT_TABLE) -> tuple[str, ...]:
    """Why a permit is reported before work: a tuple of :data:`REASON_LABELS` codes, empty when it
    is not. ``level`` is the permit's management level code ("" for types without one); ``kind`` the
    enterprise's kind. The table's first matching row decides ``table``."""
    reasons = []
    row = next((r for r in table if r.matches(permit_type, level, kind)), None)
    if row is not None and row.report:
        reasons.append("table")
    if contractor:
        reasons.append("contractor")
    if holiday:
        reasons.append("holiday")
    return tuple(reasons)
