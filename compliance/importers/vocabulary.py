"""The header vocabulary of registers and ledgers — data, not code.

One table per field: every heading under which enterprises, consultants and the national
interface write that column, each with where it comes from.  The parsers take the synonyms in
order (the first form that matches a still-unused column wins), so put the most specific form
first.  Matching is on normalised header text (NFKC, whitespace removed; the bracketed part, a unit
such as ``(元)`` and a trailing score letter ``L``/``(L)`` are also tried alone, see
:func:`compliance.importers.xlsx_tables.header_key_parts`).

Sources:
- ``sample``: the sample register/ledger in ``samples/`` (samples/README.md §2, §3);
- ``DB37/T 2882``: 山东省 安全生产风险分级管控体系通则 register forms (作业活动/设备设施清单);
- ``JHA/SCL``: the common consultant JHA (工作危害分析) and SCL (安全检查表) record forms;
- ``LEC``/``LS``/``MES``: the method's factor names (可能性, 暴露频率, 后果 …, DOMAIN.md §2);
- ``national``: field names of the national 双重预防 data interface (隐患排查治理 uploads);
- ``clerk``: short or colloquial forms seen in hand-made sheets;
- ``platform``: columns only this platform's own exports write (the hazard's 平台编号).
"""

from __future__ import annotations

from collections.abc import Mapping

Synonyms = tuple[tuple[str, str], ...]  # ((heading, source), …), most specific first

REGISTER_FIELDS: Mapping[str, Synonyms] = {
    "seq": (("序号", "sample"), ("编号序号", "clerk"), ("No.", "clerk")),
    "point_code": (("风险点编号", "DB37/T 2882"), ("风险点编码", "national"), ("风险点代码", "clerk"),
                   ("编号", "sample"), ("编码", "clerk")),
    "point_name": (("风险点名称", "DB37/T 2882"), ("风险点", "clerk"), ("名称", "sample"),
                   ("作业活动名称", "JHA/SCL"), ("设备设施名称", "JHA/SCL"), ("场所区域名称", "JHA/SCL")),
    "point_kind": (("风险点类型", "DB37/T 2882"), ("风险点类别", "clerk"), ("类型", "sample"), ("类别", "clerk")),
    "location": (("区域位置", "sample"), ("所在区域位置", "DB37/T 2882"), ("所在位置", "clerk"),
                 ("所属区域", "clerk"), ("位置", "clerk"), ("区域", "clerk")),
    "step": (("作业步骤", "sample"), ("工作步骤", "JHA/SCL"), ("检查项目", "sample"), ("作业内容", "clerk"),
             ("检查项目名称", "JHA/SCL")),
    "standard": (("标准", "sample"), ("检查标准", "JHA/SCL"), ("标准要求", "clerk")),
    "event": (("危险源或潜在事件", "sample"), ("不符合标准情况及后果", "sample"),
              ("危险源或潜在事件(人、物、作业环境、管理)", "JHA/SCL"), ("主要危险有害因素", "clerk"),
              ("危险有害因素", "clerk"), ("风险事件", "national"), ("潜在事件", "clerk"),
              ("不符合标准的情况及后果", "JHA/SCL"), ("危险源", "clerk")),
    "accident_types": (("可能导致的事故类型", "sample"), ("可能发生的事故类型", "DB37/T 2882"),
                       ("可能导致的事故", "clerk"), ("事故类型", "clerk"), ("可能发生的事故类型及后果", "JHA/SCL"),
                       ("事故类型及后果", "clerk")),
    "l": (("L", "sample"), ("可能性", "LEC/LS"), ("事故发生的可能性", "LEC"), ("发生事故的可能性", "LEC"),
          ("可能性大小", "clerk"), ("事件发生的可能性", "LS")),
    "e": (("E", "sample"), ("暴露频率", "LEC"), ("暴露于危险环境的频繁程度", "LEC"), ("频繁程度", "LEC"),
          ("人员暴露频率", "MES")),
    "c": (("C", "sample"), ("后果", "LEC"), ("发生事故产生的后果", "LEC"), ("事故后果", "LEC"),
          ("后果严重程度", "LEC")),
    "m": (("M", "MES"), ("控制措施状态", "MES"), ("控制措施的状态", "MES")),
    "s": (("S", "sample"), ("严重性", "LS"), ("后果严重性", "LS"), ("严重程度", "LS"), ("事故后果严重性", "LS")),
    "d": (("D", "sample"), ("风险值D", "clerk"), ("危险性", "LEC"), ("风险值", "clerk"), ("危险程度", "LEC")),
    "r": (("R", "sample"), ("风险值R", "clerk"), ("风险度", "LS"), ("风险值", "clerk")),
    "level": (("风险等级", "sample"), ("风险级别", "clerk"), ("评价级别", "JHA/SCL"), ("风险分级", "clerk"),
              ("评价等级", "clerk"), ("风险程度", "clerk")),
    "measure.engineering": (("工程技术措施", "sample"), ("工程技术", "DB37/T 2882"), ("技术措施", "clerk"),
                            ("工程控制措施", "clerk")),
    "measure.management": (("管理措施", "sample"), ("管理", "DB37/T 2882"), ("管理控制措施", "clerk")),
    "measure.training": (("培训教育措施", "sample"), ("培训教育", "DB37/T 2882"), ("教育培训措施", "clerk"),
                         ("教育培训", "clerk")),
    "measure.ppe": (("个体防护措施", "sample"), ("个体防护", "DB37/T 2882"), ("个人防护措施", "clerk"),
                    ("个人防护", "clerk"), ("劳动防护用品", "clerk")),
    "measure.emergency": (("应急处置措施", "sample"), ("应急处置", "DB37/T 2882"), ("应急措施", "clerk")),
    "control_level": (("管控层级", "sample"), ("管控级别", "clerk"), ("管控层次", "clerk"), ("管控层级(公司/车间/班组/岗位)", "clerk")),
    "department": (("责任单位", "sample"), ("责任部门", "clerk"), ("管控责任单位", "DB37/T 2882"),
                   ("管控部门", "clerk")),
    "responsible": (("责任人", "sample"), ("管控责任人", "DB37/T 2882"), ("负责人", "clerk")),
}

LEDGER_FIELDS: Mapping[str, Synonyms] = {
    "seq": (("序号", "sample"), ("隐患编号", "clerk"), ("编号", "clerk")),
    "found_date": (("排查日期", "sample"), ("发现日期", "clerk"), ("检查日期", "clerk"), ("排查时间", "clerk"),
                   ("登记日期", "national"), ("发现时间", "clerk")),
    "source_text": (("排查类型", "sample"), ("排查方式", "clerk"), ("隐患来源", "national"), ("检查类型", "clerk")),
    "location": (("隐患部位", "sample"), ("隐患位置", "clerk"), ("所在部位", "clerk"), ("隐患地点", "clerk"),
                 ("部位", "clerk")),
    "description": (("隐患描述", "sample"), ("隐患内容", "clerk"), ("存在问题", "clerk"), ("隐患名称", "national"),
                    ("隐患情况", "clerk"), ("存在的问题", "clerk")),
    "grade_text": (("隐患级别", "sample"), ("隐患等级", "national"), ("级别", "clerk")),
    "type_text": (("隐患类别", "sample"), ("隐患类型", "national"), ("类别", "clerk")),
    "measures": (("整改措施", "sample"), ("治理措施", "national"), ("整改方案", "clerk")),
    "responsible": (("整改责任人", "sample"), ("治理责任人", "national"), ("责任人", "clerk")),
    "funds_yuan": (("整改资金(元)", "sample"), ("整改资金", "clerk"), ("治理资金", "national"), ("资金(元)", "clerk"),
                   ("投入资金", "clerk")),
    "deadline": (("整改期限", "sample"), ("整改时限", "clerk"), ("治理期限", "national"), ("限期", "clerk"),
                 ("计划完成日期", "clerk")),
    "completed_date": (("整改完成日期", "sample"), ("完成日期", "clerk"), ("整改完成时间", "clerk"),
                       ("实际完成日期", "clerk")),
    "acceptor": (("验收人", "sample"), ("验收责任人", "national")),
    "accepted_date": (("验收日期", "sample"), ("验收时间", "clerk")),
    "state_text": (("状态", "sample"), ("整改状态", "clerk"), ("治理状态", "national"), ("隐患状态", "clerk")),
    "number": (("平台编号", "platform"), ("平台隐患编号", "platform")),
}

MAJOR_FIELDS: Mapping[str, Synonyms] = {
    "ledger_seq": (("台账序号", "sample"), ("隐患序号", "clerk")),
    "name": (("隐患名称", "sample"), ("隐患描述", "clerk")),
    "basis": (("判定依据", "sample"), ("判定标准", "clerk")),
    "measures": (("治理措施", "sample"), ("整改措施", "clerk")),
    "responsible": (("责任人", "sample"), ("治理责任人", "clerk")),
    "funds_yuan": (("治理资金(元)", "sample"), ("治理资金", "clerk"), ("资金(元)", "clerk")),
    "deadline": (("治理时限", "sample"), ("治理期限", "clerk"), ("整改期限", "clerk")),
    "contingency_plan": (("应急预案及防范措施", "sample"), ("应急预案", "clerk"), ("防范措施", "clerk")),
    "supervised_text": (("挂牌督办", "sample"), ("是否挂牌督办", "clerk")),
    "state_text": (("治理状态", "sample"), ("状态", "clerk")),
}

#: Sheet names (or their start) that hold notes or scales, never data: skipped with this reason.
NOTE_SHEETS: Mapping[str, str] = {
    "填表说明": "填表说明", "说明": "说明", "评价准则": "评价准则", "评价标准": "评价标准", "判定标准": "判定标准",
    "取值标准": "取值标准", "风险矩阵": "风险矩阵", "分级标准": "分级标准", "目录": "目录", "封面": "封面",
    "编制说明": "说明", "附表": "附表说明",
}


def aliases(table: Mapping[str, Synonyms]) -> dict[str, tuple[str, ...]]:
    """``{field: (heading, …)}`` — the headings without their sources, in order."""
    return {f: tuple(h for h, _ in syns) for f, syns in table.items()}


def all_headings(*tables: Mapping[str, Synonyms]) -> frozenset[str]:
    """Every known heading of the given tables (to recognise a header row)."""
    return frozenset(h for t in tables for syns in t.values() for h, _ in syns)


def note_sheet_reason(title: str) -> str | None:
    """Why a sheet named ``title`` is a notes/scale sheet, or None."""
    compact = "".join(title.split())
    for name, reason in NOTE_SHEETS.items():
        if compact.startswith(name) or compact.endswith(name):
            return reason
    return None
