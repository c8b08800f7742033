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


def _document() -> str:
    buf = StringIO()
    call_command("rules_table", "--document", stdout=buf)
    return buf.getvalue()


def test_the_committed_rules_document_is_the_commands_output():
    """docs/RULES.md is generated (``manage.py rules_table --write``): document and code cannot drift."""
    from pathlib import Path

    from django.conf import settings

    from special_ops.rules.table import RULES_DOCUMENT_PATH

    committed = (Path(settings.BASE_DIR) / RULES_DOCUMENT_PATH).read_text(encoding="utf-8")
    assert committed == _document(), "docs/RULES.md is stale: run `python manage.py rules_table --write`"


def test_the_document_holds_every_table():
    from compliance.rules.major_hazard import MAJOR_HAZARD_CHECKLISTS

    doc = _document()
    assert "## 特殊作业规则（GB 30871-2022）" in doc and _out() in doc
    # the 19 mandatory measures with the clause each rests on
    assert doc.count("必须落实，不得标记不涉及") == len(approvals.MANDATORY_MEASURES) == 19
    assert "| 动火作业 | 安全措施 hw_fire_equipment | 现场已配备灭火器、消防水带或蒸汽带（必须落实，不得标记不涉及） | " \
           "GB 30871-2022 §5.2.1 [std] |" in doc
    # rule sets by kind and sector
    assert "| 工贸行业 | 机械（" in doc and "ind-2023-machinery" in doc and "应急管理部令第10号第七条" in doc
    # every checklist item, with 原文/释义, and the articles whose items are not recorded
    items = sum(len(c.items) for c in MAJOR_HAZARD_CHECKLISTS.values())
    assert doc.count("（原文） |") + doc.count("（释义） |") == items
    assert "| ind-2023-building | 603 第六条第（三）项（建材企业） | 水泥企业电石渣" in doc
    assert "| ind-2023-nonferrous | 未收录条款 | 第五条（有色企业）各项未能核对原文" in doc
    # GB 6441: both vocabularies, unconfirmed 2025 names marked, the mapping with its basis
    assert "| GB 6441-1986 | 19 | 中毒和窒息 | GB 6441-1986 [std] |" in doc
    assert "| 机械致害 [unconfirmed] |" in doc and "| 粉尘爆炸 | GB 6441-2025（" in doc
    assert "| GB 6441 对应 | GB 6441-2025 中毒 | 中毒和窒息 | " in doc


def test_write_puts_the_document_in_the_repository(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    buf = StringIO()
    call_command("rules_table", "--write", stdout=buf)
    assert (tmp_path / "docs" / "RULES.md").read_text(encoding="utf-8") == _document()
    assert "docs/RULES.md" in buf.getvalue()
