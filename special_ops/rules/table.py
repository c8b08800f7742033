"""Every permit rule as a row — area, rule, value, clause — built from the rule modules' own tables,
so the DOMAIN.md §4 table of rules is generated from the code and cannot drift from it
(``manage.py rules_table``). Pure; clauses are GB 30871-2022 unless a row names another source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from . import approvals, conflicts, gas, levels, validity
from .types import PermitType


@dataclass(frozen=True)
class RuleRow:
    """One rule: ``area`` (permit type or topic, Chinese), ``rule`` (what), ``value`` (as the code
    holds it, in words and units), ``clause`` (where the standard says it; [config] for our reading)."""

    area: str
    rule: str
    value: str
    clause: str


def _span(value: timedelta | None) -> str:
    if value is None:
        return "无上限（按计划时间）"
    hours = value.total_seconds() / 3600
    if hours < 1:
        return f"{value.total_seconds() / 60:g} min"
    return f"{hours / 24:g} 天" if hours >= 24 and hours % 24 == 0 else f"{hours:g} h"


def rule_rows() -> list[RuleRow]:
    """All rows, grouped by area in a stable order."""
    T, L = PermitType, levels
    rows: list[RuleRow] = []
    hw = T.HOT_WORK.label
    for code, text in L.HOT_WORK_REASONS.items():
        effect = "升一级" if code in L.HOT_WORK_RAISE_REASONS else "定级"
        rows.append(RuleRow(hw, f"级别依据 {code}", f"{text}（{effect}）", f"GB 30871-2022 {L.HOT_WORK_REASON_CLAUSES[code]}"))
    rows.append(RuleRow(hw, "露天动火风力上限", f"≥ {L.HOT_WORK_WIND_FORCE_LIMIT} 级禁止；生产确需（申报理由）升一级",
                        "GB 30871-2022 §5.2.15"))
    rows.append(RuleRow(hw, "升级按作业时段判定", f"计划时间 ≤ {_span(L.SINGLE_PERIOD_MAX)} 为一个时段；更长的按首日白班，"
                        "每次开始/恢复作业时再判定", "GB 30871-2022 §5.1.1、§5.1.5 [config 解读]"))
    h = T.HEIGHT.label
    rows.append(RuleRow(h, "办理高处作业票的最低高度", f"{L.HEIGHT_PERMIT_MIN_M:g} m", "GB/T 3608-2008"))
    lower, op = L.HEIGHT_PERMIT_MIN_M, "≤"
    for edge, level in L.HEIGHT_BANDS:
        rows.append(RuleRow(h, f"分级 {level.label}", f"{lower:g} m {op} h ≤ {edge:g} m", "GB/T 3608-2008"))
        lower, op = edge, "<"
    rows.append(RuleRow(h, f"分级 {L.HeightLevel.IV.label}", f"h > {lower:g} m", "GB/T 3608-2008"))
    for code, text in L.HEIGHT_HAZARD_FACTORS.items():
        rows.append(RuleRow(h, f"危险因素 {code}（升一级，至Ⅳ级止）", text, "GB 30871-2022 §8.1.2"))
    rows += [
        RuleRow(h, "low_temperature 阈值", f"平均气温 ≤ {L.LOW_TEMPERATURE_C:g} ℃", "GB 30871-2022 §8.1.2"),
        RuleRow(h, "cold_water 阈值", f"接触水温 ≤ {L.COLD_WATER_C:g} ℃", "GB 30871-2022 §8.1.2"),
        RuleRow(h, "strong_wind 阈值", f"风力 ≥ {L.STRONG_WIND_FORCE} 级", "GB 30871-2022 §8.1.2"),
        RuleRow(h, "toxic_or_low_oxygen 阈值", f"O₂ < {L.LOW_OXYGEN_PCT:g} %vol", "GB 30871-2022 §8.1.2"),
    ]
    lf = T.LIFTING.label
    rows += [
        RuleRow(lf, "一级", f"> {L.LIFTING_SECOND_MAX_T:g} t", "GB 30871-2022 §5.6"),
        RuleRow(lf, "二级", f"{L.LIFTING_SECOND_MIN_T:g} t ≤ m ≤ {L.LIFTING_SECOND_MAX_T:g} t", "GB 30871-2022 §5.6"),
        RuleRow(lf, "三级", f"< {L.LIFTING_SECOND_MIN_T:g} t", "GB 30871-2022 §5.6"),
        RuleRow(lf, "可不办理作业票", f"< {L.LIFTING_PERMIT_OPTIONAL_BELOW_T:g} t（记录风险分析；办理则为三级）",
                "GB 30871-2022 表B.1 注3"),
    ]
    for (ptype, cap_level), cap in validity.MAX_VALIDITY.items():
        rows.append(RuleRow(ptype.label, f"有效期上限{'（' + cap_level.label + '）' if cap_level else ''}", _span(cap),
                            "GB 30871-2022 §10.8" if ptype is T.TEMP_POWER else "GB 30871-2022"))
    rows.append(RuleRow(T.TEMP_POWER.label, "有效期上限（申报特殊情况）", _span(validity.TEMP_POWER_SPECIAL_MAX),
                        "GB 30871-2022 §10.8"))
    rows.append(RuleRow(T.TEMP_POWER.label, "为动火/受限空间作业供电", "有效期为所供作业票的作业时间",
                        "GB 30871-2022 §10.8"))
    for (ptype, approver_level), (name, role) in approvals.APPROVER_BY_LEVEL.items():
        rows.append(RuleRow(ptype.label, f"审批人（{approver_level.label}）", f"{name}（{role}；企业可另行设置）",
                            approvals.APPROVER_CLAUSE))
    for code, text in approvals.APPROVAL_RAISE_SITUATIONS.items():
        rows.append(RuleRow("高处/吊装", f"审批提级情形 {code}", f"{text}：按上一级的审批人", approvals.APPROVAL_RAISE_CLAUSE))
    excavation = approvals.APPROVAL_CHAINS[(T.EXCAVATION, None)]
    rows.append(RuleRow(T.EXCAVATION.label, "会签部门",
                        "、".join(s.name.removeprefix("会签：") for s in excavation if s.code.startswith("countersign_")),
                        "GB 30871-2022 附录A.7、表B.1"))
    rows += [
        RuleRow("气体分析", "取样距作业开始", f"≤ {_span(gas.FRESHNESS)}", "GB 30871-2022"),
        RuleRow("气体分析", "可燃气体合格（爆炸下限 ≥ "
                f"{gas.FLAMMABLE_LEL_SPLIT_PCT:g} %）", f"≤ {gas.FLAMMABLE_LIMIT_HIGH_LEL_PCT:g} %vol", "GB 30871-2022"),
        RuleRow("气体分析", f"可燃气体合格（爆炸下限 < {gas.FLAMMABLE_LEL_SPLIT_PCT:g} %）",
                f"≤ {gas.FLAMMABLE_LIMIT_LOW_LEL_PCT:g} %vol", "GB 30871-2022"),
    ]
    for (ptype, gas_level), limit in gas.INTERRUPTION_LIMIT.items():
        rows.append(RuleRow("气体分析", f"中断后须重新分析（{ptype.label}{gas_level.label if gas_level else ''}）",
                            f"> {_span(limit)}", "GB 30871-2022"))
    oxygen = gas.GAS_CHECKS[T.CONFINED_SPACE].oxygen
    assert oxygen is not None
    rows.append(RuleRow("气体分析", "受限空间氧含量", f"{oxygen.min_pct:g}–{oxygen.max_pct:g} %vol（富氧申报 ≤ "
                        f"{oxygen.max_enriched_pct:g}）", "GB 30871-2022"))
    rows.append(RuleRow("冲突", "火灾爆炸危险场所内盲板抽堵周边禁止动火", f"{conflicts.HOT_WORK_BLINDING_MIN_DISTANCE_M:g} m",
                        "[probable]"))
    return rows


def measure_rows() -> list[RuleRow]:
    """The standard safety measures of each type, mandatory ones marked (不得标记不涉及)."""
    rows = []
    for ptype, measures in approvals.SAFETY_MEASURES.items():
        for m in measures:
            rows.append(RuleRow(ptype.label, f"安全措施 {m.code}", f"{m.text}（{'必须落实，不得标记不涉及' if m.mandatory else '可标记不涉及'}）",
                                approvals.MANDATORY_MEASURE_BASIS[m.code] if m.mandatory else "GB 30871-2022 附录A（是否涉及）"))
    return rows


def markdown(rows: Sequence[Any]) -> str:
    """The rows (anything with ``area``, ``rule``, ``value``, ``clause``) as the DOMAIN.md markdown table."""
    lines = ["| 范围 | 规则 | 取值 | 条款 |", "|---|---|---|---|"]
    lines += [f"| {r.area} | {r.rule} | {r.value} | {r.clause} |" for r in rows]
    return "\n".join(lines) + "\n"


#: Where ``manage.py rules_table --write`` puts the document (relative to the repository root); a test
#: checks the committed file equals :func:`rules_document`.
RULES_DOCUMENT_PATH = "docs/RULES.md"


def rules_document() -> str:
    """Every rule table of the platform as one markdown document (``docs/RULES.md``): the permit rules,
    the safety measures, the rule sets by kind and sector, the major-hazard checklists item by item and
    the GB 6441 accident-type vocabularies with their mapping. Generated — never edited by hand."""
    from compliance.rules import table as compliance_table

    sections: list[tuple[str, Sequence[Any]]] = [
        ("特殊作业规则（GB 30871-2022）", rule_rows()),
        ("特殊作业安全措施（是否涉及；必须落实的不得标记不涉及）", measure_rows()),
        ("企业类别、工贸行业与适用的规则和判定标准", compliance_table.rule_set_rows()),
        ("重大事故隐患判定标准（逐项）", compliance_table.checklist_rows()),
        *compliance_table.extra_sections(),
    ]
    parts = ["# 规则表（由代码生成）", "",
             "本文件由 `python manage.py rules_table --write` 从规则模块的数据表生成，请勿手工编辑；"
             "测试 `tests/special_ops/test_rules_table.py` 校验它与命令输出一致。", ""]
    for title, rows in sections:
        parts += [f"## {title}", "", markdown(rows)]
    return "\n".join(parts)
