"""``manage.py rules_table``: every permit rule with its clause and value, generated from the code's tables."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from special_ops.rules import approvals, levels, validity
from special_ops.rules.table import rule_rows


def _out() -> str:
    buf = StringIO()
    call_command("rules_table", stdout=buf)
    return buf.getvalue()


def test_prints_a_markdown_table_with_clause_per_row():
    lines = _out().splitlines()
    assert lines[0] == "| 范围 | 规则 | 取值 | 条款 |"
    assert len(lines) == len(rule_rows()) + 2
    assert all(line.count("|") == 5 and line.split("|")[4].strip() for line in lines[2:])


def test_rows_come_from_the_rule_tables():
    out = _out()
    assert f"| 高处作业 | cold_water 阈值 | 接触水温 ≤ {levels.COLD_WATER_C:g} ℃ | GB 30871-2022 §8.1.2 |" in out
    assert all(f"危险因素 {code}" in out for code in levels.HEIGHT_HAZARD_FACTORS) and len(levels.HEIGHT_HAZARD_FACTORS) == 9
    assert "| 临时用电作业 | 有效期上限 | 15 天 | GB 30871-2022 §10.8 |" in out
    assert f"{validity.TEMP_POWER_SPECIAL_MAX.days} 天" in out
    assert "| 高处作业 | 审批人（Ⅳ级） | 主管厂长或总工程师" in out and approvals.APPROVER_CLAUSE in out
    assert "供水、供电、供汽、工艺、设备、消防、安全" in out
    assert f"≥ {levels.HOT_WORK_WIND_FORCE_LIMIT} 级禁止" in out and "§5.2.15" in out
    assert "| 气体分析 | 取样距作业开始 | ≤ 30 min |" in out
    assert "| 高处作业 | 分级 Ⅰ级 | 2 m ≤ h ≤ 5 m |" in out and "| 高处作业 | 分级 Ⅱ级 | 5 m < h ≤ 15 m |" in out
