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
    """One criterion of a major-hazard checklist: its number, its text, and where it stands.

    ``article``: the article and item of the source (``第十一条第（三）项``; blank for the 2017 list,
    whose items are numbered (一)…(二十) in one list). ``scope``: the group it applies to
    (``general``, ``dust`` 粉尘防爆, ``ammonia`` 涉氨制冷, ``confined_space`` 有限空间, blank = all).
    ``verbatim``: ``True`` when the text is the source's wording, ``False`` when it is a paraphrase
    of the item's content (re-check against the official text before relying on its wording)."""

    no: int
    text: str
    article: str = ""
    scope: str = ""
    verbatim: bool = True


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
    in_force: str = ""
    note: str = ""
    #: False when items of the source are not recorded here (their text could not be checked; ``note``
    #: names them) — judge those against the official text.
    complete: bool = True

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

#: 应急管理部令第10号《工贸企业重大事故隐患判定标准》(in force 2023-05-15; 第十五条: replaces the 2017
#: 工贸 list, 安监总管四〔2017〕129号). Numbers are stable: article × 100 + item (第十一条第（三）项 → 1103).
#: Articles (第一条–第十五条, checked against 《国务院公报》2023年第19号 as quoted in public copies):
#: 第三条 all 工贸; 第四条 冶金、第五条 有色、第六条 建材、第七条 机械、第八条 轻工、第九条 纺织、第十条 烟草
#: (each only for its sector; 商贸 has no sector article); 第十一条 存在粉尘爆炸危险的、第十二条 使用液氨制冷
#: 的、第十三条 存在硫化氢、一氧化碳等中毒风险的有限空间作业的工贸企业; 第十四条 a reading rule (``note``).
#: ``verbatim`` True: the item's words as printed (public copies of the official text, traditional
#: characters converted); False: a paraphrase of its content, or an item whose end could not be read —
#: re-check against the official text before relying on its wording. Items whose text could not be
#: read at all are not invented: the article's checklist says which are missing (``complete``/``note``).
_ARTICLE_NAMES = {3: "第三条", 4: "第四条", 5: "第五条", 6: "第六条", 7: "第七条", 8: "第八条", 9: "第九条",
                  10: "第十条", 11: "第十一条", 12: "第十二条", 13: "第十三条"}
_ITEM_NAMES = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五")
_INDUSTRIAL_2023_ITEMS: tuple[tuple[int, int, str, str, bool], ...] = (
    # (article, item, scope, text, verbatim)
    (3, 1, "general", "未对承包单位、承租单位的安全生产工作统一协调、管理，或者未定期进行安全检查的。", True),
    (3, 2, "general", "特种作业人员未按照规定经专门的安全作业培训并取得相应资格，上岗作业的。", True),
    (3, 3, "general", "金属冶炼企业主要负责人、安全生产管理人员未按照规定经考核合格的。", True),
    (11, 1, "dust", "粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内，或者粉尘爆炸危险场所内设有员工宿舍、"
                    "会议室、办公室、休息室等人员聚集场所的。", True),
    (11, 2, "dust", "不同类别的可燃性粉尘、可燃性粉尘与可燃气体等易加剧爆炸危险的介质共用一套除尘系统，或者不同建"
                    "（构）筑物、不同防火分区共用一套除尘系统、除尘系统互联互通的。", True),
    (11, 3, "dust", "干式除尘系统未采取泄爆、惰化、抑爆等任一种爆炸防控措施的。", True),
    (11, 4, "dust", "铝镁等金属粉尘除尘系统采用正压除尘方式，或者其他可燃性粉尘除尘系统采用正压吹送粉尘时，未采取"
                    "火花探测消除等防范点燃源措施的。", True),
    (11, 5, "dust", "除尘系统采用重力沉降室除尘，或者采用干式巷道式构筑物作为除尘风道的。", True),
    (11, 6, "dust", "铝镁等金属粉尘、木质粉尘的干式除尘系统未设置锁气卸灰装置的。", True),
    (11, 7, "dust", "除尘器、收尘仓等划分为20区的粉尘爆炸危险场所电气设备不符合防爆要求的。", True),
    (11, 8, "dust", "粉碎、研磨、造粒等易产生机械点燃源的工艺设备前，未设置铁、石等杂物去除装置，或者木制品加工企业"
                    "与砂光机连接的风管未设置火花探测消除装置的。", True),
    (11, 9, "dust", "遇湿自燃金属粉尘收集、堆放、储存场所未采取通风等防止氢气积聚的措施，或者干式收集、堆放、储存"
                    "场所未采取防水、防潮措施的。", False),
    (11, 10, "dust", "未落实粉尘清理制度，作业现场积尘严重的。", False),
    (12, 1, "ammonia", "包装、分割、产品整理场所的空调系统采用氨直接蒸发制冷的。", True),
    (12, 2, "ammonia", "快速冻结装置未设置在单独的作业间内，或者快速冻结装置作业间内作业人员数量超过9人的。", True),
    (13, 1, "confined_space", "未对有限空间进行辨识、建立安全管理台账，并且未设置明显的安全警示标志的。", True),
    (13, 2, "confined_space", "未落实有限空间作业审批，或者未执行“先通风、再检测、后作业”要求，或者未设置监护人员的。",
     False),
)

#: The sector articles 第四条–第十条 (each a checklist of its own, for that sector's enterprises only):
#: ``(checklist code, article, sector scope, title, complete, note, items)``; items ``(item, text, verbatim)``.
_SECTOR_ARTICLES: tuple[tuple[str, int, str, str, bool, str, tuple[tuple[int, str, bool], ...]], ...] = (
    ("ind-2023-metallurgy", 4, "metallurgy", "冶金企业", False,
     "第四条（冶金企业）仅收录第（一）至（四）项；第（四）项后半句未能核对原文（标为释义）；其余各项未能核对原文，"
     "未收录，判定时请对照原文。",
     ((1, "会议室、活动室、休息室、操作室、交接班室、更衣室（含澡堂）等6类人员聚集场所，以及钢铁水罐冷（热）修工位"
          "设置在铁水、钢水、液渣吊运跨的地坪区域内的。", True),
      (2, "生产期间冶炼、精炼和铸造生产区域的事故坑、炉下渣坑，以及熔融金属泄漏和喷溅影响范围内的炉前平台、炉基区域、"
          "厂房内吊运和地面运输通道等6类区域存在积水的。", True),
      (3, "炼钢连铸流程未设置事故钢水罐、中间罐漏钢坑（槽）、中间罐溢流坑（槽）、漏钢回转溜槽，或者模铸流程未设置"
          "事故钢水罐（坑、槽）的。", True),
      (4, "转炉、电弧炉、AOD炉、LF炉、RH炉、VOD炉等炼钢炉的水冷元件未设置出水温度、进出水流量差等监测报警装置，"
          "或者监测报警装置未与炉体倾动、氧（副）枪自动提升、电极自动断电和升起等联锁的。", False))),
    ("ind-2023-nonferrous", 5, "nonferrous", "有色企业", False,
     "第五条（有色企业）各项未能核对原文，未收录；判定时请对照原文。", ()),
    ("ind-2023-building", 6, "building_materials", "建材企业", True, "第六条（建材企业）共八项，均为原文。",
     ((1, "煤磨袋式收尘器、煤粉仓未设置温度和固定式一氧化碳浓度监测报警装置，或者未设置气体灭火装置的。", True),
      (2, "筒型储库人工清库作业未落实清库方案中防止高处坠落、坍塌等安全措施的。", True),
      (3, "水泥企业电石渣原料筒型储库未设置固定式可燃气体浓度监测报警装置，或者监测报警装置未与事故通风装置联锁的。",
       True),
      (4, "进入筒型储库、焙烧窑、预热器旋风筒、分解炉、竖炉、篦冷机、磨机、破碎机前，未对可能意外启动的设备和涌入的"
          "物料、高温气体、有毒有害气体等采取隔离措施，或者未落实防止高处坠落、坍塌等安全措施的。", True),
      (5, "采用预混燃烧方式的燃气窑炉（热发生炉煤气窑炉除外）的燃气总管未设置管道压力监测报警装置，或者监测报警装置"
          "未与紧急自动切断装置联锁的。", True),
      (6, "制氢站、氮氢保护气体配气间、燃气配气间等3类场所未设置固定式可燃气体浓度监测报警装置的。", True),
      (7, "电熔制品电炉的水冷设备失效的。", True),
      (8, "玻璃窑炉、玻璃锡槽等设备未设置水冷和风冷保护系统的监测报警装置的。", True))),
    ("ind-2023-machinery", 7, "machinery", "机械企业", False,
     "第七条（机械企业）仅收录第（一）、（二）项；其余各项未能核对原文，未收录，判定时请对照原文。",
     ((1, "会议室、活动室、休息室、更衣室、交接班室等5类人员聚集场所设置在熔融金属吊运跨或者浇注跨的地坪区域内的。",
       True),
      (2, "铸造用熔炼炉、精炼炉、保温炉未设置紧急排放和应急储存设施的。", True))),
    ("ind-2023-light", 8, "light_industry", "轻工企业", False,
     "第八条（轻工企业）各项未能核对原文，未收录；判定时请对照原文。", ()),
    ("ind-2023-textile", 9, "textile", "纺织企业", False,
     "第九条（纺织企业）各项未能核对原文，未收录；判定时请对照原文。", ()),
    ("ind-2023-tobacco", 10, "tobacco", "烟草企业", True, "第十条（烟草企业）两项，均为原文。",
     ((1, "熏蒸作业场所未配备磷化氢气体浓度监测报警仪器，或者未配备防毒面具，或者熏蒸杀虫作业前未确认无关人员全部撤离"
          "熏蒸作业场所的。", True),
      (2, "使用液态二氧化碳制造膨胀烟丝的生产线和场所未设置固定式二氧化碳浓度监测报警装置，或者监测报警装置未与事故"
          "通风设施联锁的。", True))),
)

#: Scopes of the 工贸 lists (the groups of items) and their labels.
CHECKLIST_SCOPES = {"general": "管理类（所有工贸企业）", "dust": "存在粉尘爆炸危险的工贸企业",
                    "ammonia": "使用液氨制冷的工贸企业", "confined_space": "存在中毒风险的有限空间作业",
                    "metallurgy": "冶金企业", "nonferrous": "有色企业", "building_materials": "建材企业",
                    "machinery": "机械企业", "light_industry": "轻工企业", "textile": "纺织企业", "tobacco": "烟草企业"}


def _article(article: int, item: int) -> str:
    return f"{_ARTICLE_NAMES[article]}第（{_ITEM_NAMES[item - 1]}）项"


_ORDER10 = "应急管理部令第10号"
_TITLE10 = "工贸企业重大事故隐患判定标准"
_NOTE14 = ("第十四条：本标准所列情形中直接关系生产安全的监控、报警、防护等设施、设备、装置，应当保证正常运行、使用，"
           "失效或者无效均判定为重大事故隐患。")

#: Major-hazard judgement checklists by code. "chem-2017": 安监总管三〔2017〕121号 [std], all 20
#: items word for word (checked in issue 14). "industrial-2023": 令第10号 第三条 and 第十一至十三条 (every
#: 工贸 enterprise); "ind-2023-<sector>": that sector's article (above). Which apply to an
#: enterprise: its rule set (``backend.accounts.rules.rule_set_of``).
MAJOR_HAZARD_CHECKLISTS: Mapping[str, Checklist] = {
    "chem-2017": Checklist(
        code="chem-2017",
        title="化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）",
        source="安监总管三〔2017〕121号",
        version="2017（试行）",
        items=tuple(ChecklistItem(no, text) for no, text in enumerate(_CHEM_2017_ITEMS, start=1)),
    ),
    "industrial-2023": Checklist(
        code="industrial-2023",
        title=_TITLE10,
        source=_ORDER10,
        version="2023",
        items=tuple(ChecklistItem(article * 100 + item, text, article=_article(article, item), scope=scope,
                                  verbatim=verbatim)
                    for article, item, scope, text, verbatim in _INDUSTRIAL_2023_ITEMS),
        in_force="2023-05-15",
        note=_NOTE14 + "本清单为第三条（所有工贸企业）和第十一至十三条（粉尘防爆、涉氨制冷、有限空间）；行业类第四条至"
                       "第十条按企业所属行业另列。",
    ),
    **{code: Checklist(
        code=code,
        title=f"{_TITLE10}（{_ARTICLE_NAMES[article]} {title}）",
        source=_ORDER10,
        version="2023",
        items=tuple(ChecklistItem(article * 100 + item, text, article=_article(article, item), scope=scope,
                                  verbatim=verbatim) for item, text, verbatim in items),
        in_force="2023-05-15",
        note=f"{note}{_NOTE14}",
        complete=complete,
    ) for code, article, scope, title, complete, note, items in _SECTOR_ARTICLES},
}


class UnknownChecklistItem(RuleError):
    """An item number that is not in the checklist (``code = "unknown_item"``, field ``items``)."""

    default_code = "unknown_item"
    default_field = "items"


class ChecklistNotApplicable(RuleError):
    """A checklist that does not apply to the hazard's enterprise (``code = "checklist_not_applicable"``,
    field ``checklist``); the message names the checklist and the rule set that applied."""

    default_code = "checklist_not_applicable"
    default_field = "checklist"


def check_applicable(checklist_code: str, applicable: Iterable[str], rule_set_name: str) -> None:
    """Raise :class:`ChecklistNotApplicable` unless ``checklist_code`` is among ``applicable`` (the
    codes of the enterprise's rule set). An unknown code is left to :func:`judge_major`."""
    applicable = tuple(applicable)
    checklist = MAJOR_HAZARD_CHECKLISTS.get(checklist_code)
    if checklist is None or checklist_code in applicable:
        return
    names = "、".join(f"{MAJOR_HAZARD_CHECKLISTS[c].source}（{c}）" for c in applicable if c in MAJOR_HAZARD_CHECKLISTS)
    raise ChecklistNotApplicable(
        f"《{checklist.title}》（{checklist.source}，{checklist_code}）不适用于该企业：适用{rule_set_name}，"
        f"应按{names}判定。", field="checklist")


def basis_of(checklist: Checklist, numbers: Iterable[int]) -> str:
    """The 判定依据 text of ticked item numbers: ``安监总管三〔2017〕121号第12项`` for the 2017 list,
    ``应急管理部令第10号第十一条第（三）项`` where items carry their article."""
    parts = []
    for no in numbers:
        item = checklist.item(no)
        parts.append(f"{checklist.source}{item.article}" if item is not None and item.article
                     else f"{checklist.source}第{no}项")
    return "；".join(parts)


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
