"""Major-hazard judgement (重大事故隐患判定): versioned checklists of the official criteria; any
ticked item makes a hazard major (DOMAIN.md §3). Pure: no Django, no database."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from backend.core.rules import RuleError
from compliance.rules.assessment import UnknownChoice


@dataclass(frozen=True)
class ChecklistItem:
    """One criterion of a major-hazard checklist: its number in the document and its text."""

    no: int
    text: str


#: Short alias used in the design notes.
Item = ChecklistItem


@dataclass(frozen=True)
class Checklist:
    """A versioned set of official criteria: any ticked item makes a hazard major."""

    code: str
    title: str
    source: str
    version: str
    items: tuple[ChecklistItem, ...]

    def item(self, no: int) -> ChecklistItem | None:
        return next((item for item in self.items if item.no == no), None)


_CHEM_2017_ITEMS = (
    "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格。",
    "特种作业人员未持证上岗。",
    "涉及“两重点一重大”的生产装置、储存设施外部安全防护距离不符合国家标准要求。",
    "涉及重点监管危险化工工艺的装置未实现自动化控制，系统未实现紧急停车功能，装备的自动化控制系统、"
    "紧急停车系统未投入使用。",
    "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的一级、"
    "二级重大危险源的危险化学品罐区未配备独立的安全仪表系统。",
    "全压力式液化烃储罐未按国家标准设置注水措施。",
    "液化烃、液氨、液氯等易燃易爆、有毒有害液化气体的充装未使用万向管道充装系统。",
    "光气、氯气等剧毒气体及硫化氢气体管道穿越除厂区（包括化工园区、工业园区）外的公共区域。",
    "地区架空电力线路穿越生产区且不符合国家标准要求。",
    "在役化工装置未经正规设计且未进行安全设计诊断。",
    "使用淘汰落后安全技术工艺、设备目录列出的工艺、设备。",
    "涉及可燃和有毒有害气体泄漏的场所未按国家标准设置检测报警装置，爆炸危险场所未按国家标准安装使用防爆电气设备。",
    "控制室或机柜间面向具有火灾、爆炸危险性装置一侧不满足国家标准关于防火防爆的要求。",
    "化工生产装置未按国家标准要求设置双重电源供电，自动化控制系统未设置不间断电源。",
    "安全阀、爆破片等安全附件未正常投用。",
    "未建立与岗位相匹配的全员安全生产责任制或者未制定实施生产安全事故隐患排查治理制度。",
    "未制定操作规程和工艺控制指标。",
    "未按照国家标准制定动火、进入受限空间等特殊作业管理制度，或者制度未有效执行。",
    "新开发的危险化学品生产工艺未经小试、中试、工业化试验直接进行工业化生产；国内首次使用的化工工艺未经过"
    "省级人民政府有关部门组织的安全可靠性论证；新建装置未制定试生产方案投料开车；精细化工企业未按规范性文件"
    "要求开展反应安全风险评估。",
    "未按国家标准分区分类储存危险化学品，超量、超品种储存危险化学品，相互禁配物质混放混存。",
)

#: Major-hazard judgement checklists by code. "chem-2017": 安监总管三〔2017〕121号 [std];
#: items 1–14 checked against a published reprint, 15–20 written from the document as
#: remembered — re-check against the official text. The 工贸 2023 list (应急管理部令第10号)
#: is to be added as a second rule set.
MAJOR_HAZARD_CHECKLISTS: Mapping[str, Checklist] = {
    "chem-2017": Checklist(
        code="chem-2017",
        title="化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
        source="安监总管三〔2017〕121号",
        version="2017（试行）",
        items=tuple(ChecklistItem(no, text) for no, text in enumerate(_CHEM_2017_ITEMS, start=1)),
    ),
}


class UnknownChecklistItem(RuleError):
    """An item number that is not in the checklist (``code = "unknown_item"``, field ``items``)."""

    default_code = "unknown_item"
    default_field = "items"


def _item_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        return int(text) if text.isdigit() else None
    return None


def judge_major(
    checklist_code: str, ticked_item_numbers: Iterable[int | str]
) -> tuple[bool, tuple[ChecklistItem, ...]]:
    """Judge a hazard against a checklist: ``(is_major, ticked items sorted by number)``.

    Any ticked item makes the hazard major; none ticked → ``(False, ())``. Duplicates are
    ignored. Raises ``UnknownChoice`` (field "checklist") for an unknown checklist and
    ``UnknownChecklistItem`` (field "items") for a number not in it. Source: DOMAIN.md §3."""
    checklist = MAJOR_HAZARD_CHECKLISTS.get(checklist_code)
    if checklist is None:
        raise UnknownChoice("checklist", checklist_code, MAJOR_HAZARD_CHECKLISTS)
    found: dict[int, ChecklistItem] = {}
    for raw in ticked_item_numbers:
        number = _item_number(raw)
        item = checklist.item(number) if number is not None else None
        if item is None:
            raise UnknownChecklistItem(f"{checklist.title}中没有第 {raw!r} 项", field="items")
        found[item.no] = item
    items = tuple(found[no] for no in sorted(found))
    return bool(items), items
