"""“我的待办” (issue 15 §1): what the caller must do now, in one read — hidden dangers to confirm,
rectify, accept or close, permit steps to sign (approval, pre-start check, completion acceptance),
and investigation tasks due today.

It combines compliance and special_ops, so it lives here (layers: compliance ← special_ops). Who
must act comes from the same rules as ``allowed_actions`` (compliance.rules.hazard_states,
special_ops.rules.allowed). Reads only; a constant number of queries (one per kind) whatever the
number of rows; each kind is capped at :data:`TODO_LIMIT` items (``counts`` gives the totals).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from backend.core.actors import Actor
from backend.core.time import local_today
from compliance import selectors as compliance_selectors
from compliance.due import tasks_due_on_q
from compliance.rules.hazard_states import MANAGERS, HazardState
from compliance.rules.hazard_states import allowed_actions as hazard_allowed_actions
from special_ops import selectors
from special_ops.rules.types import PermitState

#: At most this many items of each kind (the newest deadlines first are the ones that matter).
TODO_LIMIT = 50

#: kind → (Chinese label, the action it asks for). Hazards: the transition to post; permits:
#: ``approve`` with ``step`` or ``accept``; tasks: ``record``.
TODO_KINDS: dict[str, tuple[str, str]] = {
    "hazard_confirm": ("隐患待确认", "confirm"),
    "hazard_rectify": ("隐患待整改", "start_rectification"),
    "hazard_submit": ("整改待提交验收", "submit_for_acceptance"),
    "hazard_accept": ("隐患待验收", "accept"),
    "hazard_close": ("隐患待销号", "close"),
    "permit_sign": ("作业票待签署", "approve"),
    "permit_accept": ("作业票待完工验收", "accept"),
    "task_due": ("今日排查任务", "record"),
}
#: The hazard action that makes a hazard a to-do of each kind.
_HAZARD_KIND_OF_ACTION = {TODO_KINDS[k][1]: k for k in
                          ("hazard_confirm", "hazard_rectify", "hazard_submit", "hazard_accept", "hazard_close")}


@dataclass(frozen=True)
class Todo:
    """One to-do: ``kind`` (:data:`TODO_KINDS`), the object (``object_type``, ``object_id``, its
    ``number`` and ``title``), ``due`` (deadline or window end, None when it has none), ``overdue``,
    ``action`` (what to post), ``step`` (the permit step to sign), ``link`` (the API path of the object)."""

    kind: str
    kind_display: str
    object_type: str
    object_id: int
    number: str
    title: str
    due: datetime | None
    overdue: bool
    action: str
    step: str | None
    link: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _todo(kind: str, object_type: str, pk: int, number: str, title: str, due: datetime | None, overdue: bool,
          link: str, step: str | None = None) -> Todo:
    label, action = TODO_KINDS[kind]
    return Todo(kind, label, object_type, pk, number, title, due, overdue, action, step, link)


def _hazard_todos(actor: Actor) -> list[Todo]:
    states = [HazardState.CONFIRMED, HazardState.RECTIFYING]
    mine = Q(responsible_person_id=actor.user_id, state__in=states)
    if actor.role in MANAGERS:
        mine |= Q(state__in=[HazardState.REPORTED, HazardState.PENDING_ACCEPTANCE, HazardState.ACCEPTED])
    rows = (compliance_selectors.hazards_annotated().filter(mine, enterprise_id=actor.enterprise_id)
            .order_by("deadline_at", "id"))
    out: list[Todo] = []
    for h in rows:
        uid = actor.user_id
        actions = hazard_allowed_actions(h.state, h.grade, actor.role, responsible=h.responsible_person_id == uid,
                                         rectifier=h.rectified_by_id == uid)
        kind = next((_HAZARD_KIND_OF_ACTION[a] for a in actions if a in _HAZARD_KIND_OF_ACTION), None)
        if kind is not None:
            out.append(_todo(kind, "hazard", h.pk, h.number, h.title, h.deadline_at, bool(h.overdue),
                             f"/api/v1/hazards/{h.pk}/"))
    return out


def _permit_todos(actor: Actor) -> list[Todo]:
    rows = (selectors.permit_list_queryset()
            .filter(enterprise_id=actor.enterprise_id,
                    state__in=[PermitState.SUBMITTED, PermitState.APPROVED, PermitState.COMPLETED])
            .order_by("planned_start", "id"))
    out: list[Todo] = []
    now = timezone.now()
    for p in rows:
        actions, step = selectors.permit_allowed(p, actor)
        title = f"{p.get_type_display()}：{p.work_content}"[:200]
        if step is not None:
            out.append(_todo("permit_sign", "permit", p.pk, p.number, title, p.planned_start, p.planned_start < now,
                             f"/api/v1/permits/{p.pk}/", step))
        elif "accept" in actions:
            out.append(_todo("permit_accept", "permit", p.pk, p.number, title, None, False,
                             f"/api/v1/permits/{p.pk}/"))
    return out


def _task_todos(actor: Actor) -> list[Todo]:
    name = (actor.user.full_name or actor.user.username).strip() if actor.user is not None else ""
    mine = Q(measure__responsible_person=name)
    if actor.role in MANAGERS:
        mine |= Q(measure__responsible_person="")
    rows = (compliance_selectors.tasks_annotated().filter(tasks_due_on_q(local_today()), mine,
                                                          enterprise_id=actor.enterprise_id)
            .order_by("due_end", "id"))
    return [_todo("task_due", "investigation_task", t.pk, t.risk_point.code,
                  f"{t.risk_point.name}：{t.measure.text}"[:200], t.due_end, bool(t.overdue),
                  f"/api/v1/investigation-tasks/{t.pk}/") for t in rows]


def todos_of(actor: Actor) -> dict[str, Any]:
    """``{"items": [Todo…], "counts": {kind: n}, "total": n}`` for an enterprise member: items sorted
    by due (none last), each kind capped at :data:`TODO_LIMIT`.

    Hazards: ``hazard_confirm`` (managers, reported), ``hazard_rectify``/``hazard_submit`` (the
    responsible person; an employee only their own), ``hazard_accept`` (managers, the principal for a
    major hazard, never the rectifier), ``hazard_close`` (managers). Permits: ``permit_sign`` — the
    step the caller may sign now (``step``), ``permit_accept`` — completion acceptance. Tasks:
    ``task_due`` — pending checks whose window overlaps today whose measure names the caller as
    responsible (managers also get the measures naming nobody)."""
    groups: dict[str, list[Todo]] = {k: [] for k in TODO_KINDS}
    for todo in (*_hazard_todos(actor), *_permit_todos(actor), *_task_todos(actor)):
        groups[todo.kind].append(todo)
    counts = {k: len(v) for k, v in groups.items()}
    far = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    items = sorted((t for v in groups.values() for t in v[:TODO_LIMIT]), key=lambda t: (t.due or far, t.kind, t.object_id))
    return {"items": [t.as_dict() for t in items], "counts": counts, "total": sum(counts.values())}
