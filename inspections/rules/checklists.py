"""Inspection checklist templates (检查表) shipped as data, versioned by ``(code, version)``.

A template is never edited in place: a changed checklist is a new version, so an inspection keeps
pointing at the exact items it was run against. ``template_sync()`` (inspections.services) and the
seed migration create the rows; each item is ``{"code", "text", "basis"}``.

Items follow the dual-prevention duties an enterprise must show (DOMAIN.md §2–§4): the basis column
names the clause [probable]; a deployment may ship further versions.
"""

from __future__ import annotations

from typing import Any

TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "dual-prevention",
        "version": "2025.1",
        "title": "双重预防机制建设运行情况检查表",
        "items": [
            {"code": "DP-01", "text": "建立安全风险分级管控制度，明确各层级管控责任", "basis": "安全生产法 2021 §41"},
            {"code": "DP-02", "text": "风险点辨识全面，风险评估方法（LEC/LS/MES）使用正确", "basis": "DOMAIN.md §2"},
            {"code": "DP-03", "text": "重大/较大风险点有包保责任人并公示四色分布图", "basis": "DOMAIN.md §2"},
            {"code": "DP-04", "text": "管控措施明确到岗位，排查周期合理", "basis": "DOMAIN.md §2"},
            {"code": "DP-05", "text": "隐患排查任务按期完成，记录真实", "basis": "DOMAIN.md §3"},
            {"code": "DP-06", "text": "隐患整改做到“五落实”，按期验收销号", "basis": "安全生产法 2021 §41"},
            {"code": "DP-07", "text": "重大事故隐患及时向监管部门报告", "basis": "安全生产法 2021 §41"},
            {"code": "DP-08", "text": "特殊作业票证审批、气体分析、监护符合 GB 30871-2022", "basis": "GB 30871-2022"},
            {"code": "DP-09", "text": "从业人员熟悉本岗位风险和应急处置措施", "basis": "安全生产法 2021 §44"},
            {"code": "DP-10", "text": "双重预防信息化系统数据与现场一致", "basis": "DOMAIN.md §6"},
        ],
    },
    {
        "code": "follow-up",
        "version": "2025.1",
        "title": "隐患整改复查表",
        "items": [
            {"code": "FU-01", "text": "责令整改事项已按期完成", "basis": "安全生产法 2021 §65"},
            {"code": "FU-02", "text": "整改措施有效，现场无同类隐患", "basis": "安全生产法 2021 §65"},
            {"code": "FU-03", "text": "整改资料（照片、验收记录）齐全", "basis": "DOMAIN.md §3"},
        ],
    },
]

#: The template an inspection uses when none is named.
DEFAULT_TEMPLATE = ("dual-prevention", "2025.1")
FOLLOW_UP_TEMPLATE = ("follow-up", "2025.1")
