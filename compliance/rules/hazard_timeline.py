"""The readable timeline of a hazard: a Chinese label per audit action and a one-line summary of
what an event changed (DOMAIN.md §3 "每一步留痕"). Pure: no Django; the API passes the field labels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Chinese label of each hazard audit action (compliance.error_codes.HazardEvent values).
EVENT_LABELS: Mapping[str, str] = {
    "hazard.report": "职工上报", "hazard.file": "登记隐患", "hazard.order": "监管责令整改",
    "hazard.update_plan": "更新整改方案", "hazard.confirm": "确认隐患", "hazard.reject": "驳回",
    "hazard.start_rectification": "开始整改", "hazard.submit_for_acceptance": "提交验收", "hazard.accept": "验收通过",
    "hazard.fail_acceptance": "验收不通过", "hazard.close": "销号", "hazard.tick_checklist": "判定条款勾选",
    "hazard.request_extension": "申请延期", "hazard.approve_extension": "批准延期", "hazard.reject_extension": "驳回延期",
    "hazard.photo_add": "上传照片", "hazard.supervise": "挂牌督办", "hazard.regulator_signoff": "督办销号确认",
    "hazard.escalate": "逾期升级提醒", "hazard.import": "台账导入", "hazard.import_update": "台账导入更新",
}
#: Payload keys that are plumbing, not facts a reader needs (storage paths, hashes, ids of rows).
_HIDDEN_PAYLOAD = frozenset({"file", "sha256", "photo_id", "content_type", "size"})
#: Chinese names of the payload keys hazard services write (the hazard's own fields come from the model).
PAYLOAD_LABELS: Mapping[str, str] = {
    "number": "编号", "kind": "类别", "checklist": "判定标准", "version": "版本", "rule_set": "规则集",
    "step": "升级环节", "due_at": "到期时间", "new_deadline": "新期限", "old_deadline": "原期限", "items": "条款",
    "extension_id": "延期申请", "approve": "批准", "regulator": "监管部门",
}
#: At most this many characters of a summary (the full payload stays in ``payload``).
SUMMARY_MAX = 200


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value)
    if value is None or value == "":
        return "（空）"
    return str(value)


def event_summary(action: str, changes: Mapping[str, Any] | None, payload: Mapping[str, Any] | None,
                  field_labels: Mapping[str, str]) -> str:
    """One line for the timeline: the changed fields by their Chinese names (``修改：整改期限、整改责任人``)
    and the payload's facts (``kind：rectification``), without storage plumbing; '' when there is
    nothing beyond the action itself. ``field_labels``: field name → verbose name."""
    field_labels = {**PAYLOAD_LABELS, **field_labels}
    parts: list[str] = []
    fields = [field_labels.get(k, k) for k in (changes or {})]
    if fields:
        parts.append("修改：" + "、".join(fields))
    facts = [f"{field_labels.get(k, k)}：{_text(v)}" for k, v in (payload or {}).items() if k not in _HIDDEN_PAYLOAD]
    parts.extend(facts)
    line = "；".join(parts)
    return line if len(line) <= SUMMARY_MAX else line[: SUMMARY_MAX - 1] + "…"


def event_label(action: str) -> str:
    """The Chinese label of ``action`` (the raw action when unknown)."""
    return EVENT_LABELS.get(action, action)
