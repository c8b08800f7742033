"""The readable timeline of a hazard: a Chinese label per audit action and a one-line summary of
what an event changed (DOMAIN.md §3 "每一步留痕"). Pure: no Django; the API passes the field labels."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

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
#: Chinese names of the payload keys hazard services write — the one table: a payload key not in it
#: (ids, ``at``, notification counts, storage paths, hashes) is plumbing and is left out of the summary.
PAYLOAD_LABELS: Mapping[str, str] = {
    "number": "编号", "kind": "类别", "checklist": "判定标准", "version": "版本", "rule_set": "规则集",
    "step": "升级环节", "due_at": "到期时间", "new_deadline": "新期限", "old_deadline": "原期限", "items": "条款",
    "approve": "批准", "old": "原期限", "new": "新期限", "source_ref": "导入来源",
}
#: Creation events: summarised as 上报/登记 with the hazard's main fields, not as "修改：".
CREATION_EVENTS: Mapping[str, str] = {
    "hazard.report": "上报", "hazard.file": "登记", "hazard.order": "登记", "hazard.import": "台账导入",
}
#: The fields a creation event names, in this order (those present in its changes).
CREATION_FIELDS = ("title", "location", "grade", "treatment", "found_on", "deadline")
#: At most this many characters of a summary (the full payload stays in ``payload``).
SUMMARY_MAX = 200
#: Times are shown in the enterprise's zone (DOMAIN.md §3 "Deadline semantics": Asia/Shanghai).
SHANGHAI = ZoneInfo("Asia/Shanghai")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _scalar(value: Any, labels: Mapping[str, str]) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
        return f"{when.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    text = str(value)
    if text in labels:
        return labels[text]
    if _DATETIME.match(text):
        try:
            return _scalar(datetime.fromisoformat(text), labels)
        except ValueError:
            return text
    return text


def display_value(value: Any, labels: Mapping[str, str] | None = None) -> str:
    """``value`` as a reader sees it: a datetime (or ISO datetime text) in Asia/Shanghai as
    ``YYYY-MM-DD HH:MM``, a date as ``YYYY-MM-DD``, an enum code by its Chinese label from
    ``labels`` (code → label), booleans 是/否, lists joined with 、, empty as （空）."""
    labels = labels or {}
    if isinstance(value, list | tuple):
        return "、".join(_scalar(v, labels) for v in value)
    return _scalar(value, labels)


def event_summary(action: str, changes: Mapping[str, Any] | None, payload: Mapping[str, Any] | None,
                  field_labels: Mapping[str, str],
                  value_labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """One line for the timeline, all Chinese: a creation event (:data:`CREATION_EVENTS`) as
    ``上报：隐患名称：…；隐患级别：一般隐患…`` with its main fields; any other event as the changed fields
    by their Chinese names (``修改：整改期限、整改责任人``); then the payload's facts whose key has a label
    in :data:`PAYLOAD_LABELS` (others are plumbing, left out), values by :func:`display_value`.
    '' when there is nothing beyond the action itself. ``field_labels``: field name → verbose name
    (a ``<field>_id`` key is looked up as ``<field>``; a key without a label is left out);
    ``value_labels``: key → {enum code → Chinese label}. At most :data:`SUMMARY_MAX` characters."""
    value_labels = value_labels or {}
    changes = changes or {}
    parts: list[str] = []

    def label_of(key: str) -> str | None:
        return field_labels.get(key) or (field_labels.get(key[:-3]) if key.endswith("_id") else None)

    if action in CREATION_EVENTS:
        facts = []
        for key in CREATION_FIELDS:
            if key in changes and label_of(key):
                change = changes[key]
                new = change[-1] if isinstance(change, list | tuple) and change else change
                if new not in (None, ""):
                    facts.append(f"{label_of(key)}：{display_value(new, value_labels.get(key))}")
        parts.append(f"{CREATION_EVENTS[action]}：" + "；".join(facts) if facts else CREATION_EVENTS[action])
    else:
        fields = list(dict.fromkeys(lb for k in changes if (lb := label_of(k))))
        if fields:
            parts.append("修改：" + "、".join(fields))
    payload = payload or {}
    for key, name in PAYLOAD_LABELS.items():  # the table's order: stable whatever order the JSON kept
        if key in payload and (action not in CREATION_EVENTS or key == "number"):
            parts.append(f"{name}：{display_value(payload[key], value_labels.get(key))}")
    line = "；".join(parts)
    return line if len(line) <= SUMMARY_MAX else line[: SUMMARY_MAX - 1] + "…"


def event_label(action: str) -> str:
    """The Chinese label of ``action`` (the raw action when unknown)."""
    return EVENT_LABELS.get(action, action)
