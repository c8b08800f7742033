"""The compliance rule tables as rows — area, rule, value, clause — for the generated rules document
(``manage.py rules_table --document`` → ``docs/RULES.md``): which rule set and checklists each kind
of enterprise and 工贸 sector gets, and every item of every major-hazard checklist. Built from the
tables themselves (:mod:`backend.accounts.rules`, :mod:`compliance.rules.major_hazard`). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.rules import KIND_INDUSTRIAL, RULE_SETS, SECTORS, rule_set_of
from compliance.rules import accident_types as at
from compliance.rules.major_hazard import CHECKLIST_SCOPES, MAJOR_HAZARD_CHECKLISTS


@dataclass(frozen=True)
class RuleRow:
    """One rule: ``area``, ``rule``, ``value`` (as the code holds it), ``clause`` (the source)."""

    area: str
    rule: str
    value: str
    clause: str


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def rule_set_rows() -> list[RuleRow]:
    """Kind (and 工贸 sector) → rule set and checklists. Source: GB 30871-2022 §1; 令第10号第二条."""
    rows = []
    for kind, rule_set in RULE_SETS.items():
        rows.append(RuleRow("企业类别", rule_set.label, f"{rule_set.name}；判定标准 {'、'.join(rule_set.checklists)}",
                            "GB 30871-2022 §1" if kind != KIND_INDUSTRIAL else "应急管理部令第10号第二条"))
    for sector in SECTORS:
        rule_set = rule_set_of(KIND_INDUSTRIAL, sector.label)
        rows.append(RuleRow("工贸行业", f"{sector.label}（行业词：{'、'.join(sector.words)}）",
                            f"判定标准 {'、'.join(rule_set.checklists)}",
                            f"应急管理部令第10号{sector.article or '第二条（无行业条款）'} [config 行业词]"))
    return rows


def checklist_rows() -> list[RuleRow]:
    """Every item of every checklist (number, article, text, 原文/释义), and the items not recorded."""
    rows = []
    for checklist in MAJOR_HAZARD_CHECKLISTS.values():
        area = f"{checklist.code}"
        for item in checklist.items:
            scope = CHECKLIST_SCOPES.get(item.scope, "")
            where = item.article or f"第{item.no}项"
            rows.append(RuleRow(area, f"{item.no} {where}{'（' + scope + '）' if scope else ''}",
                                f"{_cell(item.text)}（{'原文' if item.verbatim else '释义'}）", checklist.source))
        if not checklist.complete:
            rows.append(RuleRow(area, "未收录条款", _cell(checklist.note.split("第十四条")[0]), checklist.source))
    return rows


def accident_type_rows() -> list[RuleRow]:
    """Both GB 6441 vocabularies (2025 names marked [unconfirmed] where public sources disagree) and
    the mapping table with its basis (:mod:`compliance.rules.accident_types`)."""
    rows = [RuleRow("GB 6441-1986", f"{code:02d}", name, "GB 6441-1986 [std]")
            for code, name in at.ACCIDENT_TYPES.items()]
    rows += [RuleRow("GB 6441-2025", "类别（代码未收录）", t.name if t.confirmed else f"{t.name} [unconfirmed]",
                     f"GB 6441-2025（{t.note}）") for t in at.GB6441_2025_TYPES]
    rows += [RuleRow("GB 6441 对应", f"{at.SHORT_LABELS[m.source]} {m.name}", m.target, m.basis) for m in at.MAPPINGS]
    return rows


def extra_sections() -> list[tuple[str, list[RuleRow]]]:
    """Further compliance tables of the document (title, rows)."""
    return [("事故类型（GB 6441-1986 与 GB 6441-2025）及对应关系", accident_type_rows())]
