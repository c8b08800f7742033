"""The enterprise 工作台 (issue 15 §1): the figures of the dashboard, each with the list query that
reproduces it, so the console links every number to its filtered list.

Each figure is ``{"count", "link": {"path", "params", "query"}}``: ``GET <path>?<query>`` as the same
user lists exactly the rows counted (``count`` of the paginated answer). Constant queries: one
aggregate over the hazards, one over the risk points, one count of tasks, one of permits.
Definitions: open hazards (未销号隐患) are those not yet closed (销号) nor rejected — reported /
confirmed / rectifying / pending acceptance / accepted (compliance.selectors.hazard_unclosed_q, the
same Q the regulator's risk map counts); overdue is compliance.selectors.hazard_overdue_q;
tasks due today are compliance.due.tasks_due_on_q; live permits special_ops.selectors.permits_live_q
(the list's ``?live=true``: approved / in progress / suspended, window not over, started or starting
within 24 h). 整改率 of the month = hazards found this month (Asia/Shanghai, rejected reports left out)
now accepted or closed ÷ hazards found this month, in percent with one decimal (None when none
was found) — the 双报告's rule (inspections.reports.content), for the running month.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils import timezone

from backend.accounts.models import Enterprise
from backend.core.time import local_today
from compliance.due import tasks_due_on_q
from compliance.models import Hazard, InvestigationTask, RiskPoint
from compliance.rules.assessment import RiskLevel
from compliance.rules.colours import LEVELS_BY_SEVERITY, UNASSESSED, level_colour
from compliance.rules.hazard_codes import HazardGrade
from compliance.rules.hazard_states import HazardState
from compliance.selectors import UNCLOSED_STATE_VALUES, hazard_overdue_q, hazard_unclosed_q
from special_ops.models import WorkPermit
from special_ops.selectors import permits_live_q

_OPEN = list(UNCLOSED_STATE_VALUES)  # table order
_FIXED = [HazardState.ACCEPTED.value, HazardState.CLOSED.value]
_NOT_REJECTED = [s.value for s in HazardState if s is not HazardState.REJECTED]


def link(path: str, **params: Any) -> dict[str, Any]:
    """``{"path", "params", "query"}``: the list and the filter parameters (lists repeat the key)."""
    clean = {k: v for k, v in params.items() if v is not None}
    return {"path": path, "params": clean, "query": urlencode(clean, doseq=True)}


def _figure(count: int, path: str, **params: Any) -> dict[str, Any]:
    return {"count": count, "link": link(path, **params)}


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` in percent with one decimal; None when ``whole`` is 0."""
    return round(100.0 * part / whole, 1) if whole else None


def month_bounds(today: date) -> tuple[date, date]:
    """First and last day of ``today``'s month."""
    first = today.replace(day=1)
    nxt = first.replace(year=first.year + 1, month=1) if first.month == 12 else first.replace(month=first.month + 1)
    return first, date.fromordinal(nxt.toordinal() - 1)


def dashboard_of(enterprise: Enterprise, now: datetime | None = None) -> dict[str, Any]:
    """The dashboard of ``enterprise`` at ``now`` (default: the current instant); see the module
    docstring for every definition. Shape: ``risk_points`` (by level, most severe first, then
    unassessed), ``hazards_open_by_state``, ``hazards_open``, ``hazards_overdue``, ``hazards_major_open``,
    ``tasks_due_today``, ``permits_live``, ``rectification`` (month, rate, found, fixed, rule)."""
    now = now or timezone.now()
    today = local_today(now)
    first, last = month_bounds(today)
    month = Q(found_on__gte=first, found_on__lte=last) & ~Q(state=HazardState.REJECTED)
    h = Hazard.objects.filter(enterprise=enterprise).order_by().aggregate(
        **{f"s_{s}": Count("id", filter=Q(state=s)) for s in _OPEN},
        overdue=Count("id", filter=hazard_overdue_q(now)),
        major_open=Count("id", filter=Q(grade=HazardGrade.MAJOR) & hazard_unclosed_q()),
        found=Count("id", filter=month),
        fixed=Count("id", filter=month & Q(state__in=_FIXED)),
    )
    levels = dict(RiskPoint.objects.filter(enterprise=enterprise).order_by().values_list("level")
                  .annotate(n=Count("id")).values_list("level", "n"))
    tasks = InvestigationTask.objects.filter(tasks_due_on_q(today), enterprise=enterprise).count()
    live = WorkPermit.objects.filter(permits_live_q(now), enterprise=enterprise).count()

    points = []
    for lv in LEVELS_BY_SEVERITY:
        colour, colour_label, hex_ = level_colour(lv.value)
        points.append({"level": lv.value, "label": lv.label, "colour": colour, "colour_label": colour_label,
                       "colour_hex": hex_, **_figure(levels.get(lv.value, 0), "/api/v1/risk-points/", level=lv.value)})
    unassessed = sum(n for lv, n in levels.items() if lv not in {m.value for m in RiskLevel})
    points.append({"level": "", "label": UNASSESSED[1], "colour": UNASSESSED[0], "colour_label": UNASSESSED[1],
                   "colour_hex": UNASSESSED[2], "count": unassessed, "link": None})
    hz = "/api/v1/hazards/"
    by_state = [{"state": s, "label": HazardState(s).label, **_figure(h[f"s_{s}"], hz, state=s)} for s in _OPEN]
    found_range = {"found_after": first.isoformat(), "found_before": last.isoformat()}
    return {
        "as_of": now,
        "risk_points": points,
        "hazards_open_by_state": by_state,
        "hazards_open": _figure(sum(h[f"s_{s}"] for s in _OPEN), hz, state=_OPEN),
        "hazards_overdue": _figure(h["overdue"], hz, overdue="true"),
        "hazards_major_open": _figure(h["major_open"], hz, grade=HazardGrade.MAJOR.value, state=_OPEN),
        "tasks_due_today": _figure(tasks, "/api/v1/investigation-tasks/", due_on=today.isoformat()),
        "permits_live": _figure(live, "/api/v1/permits/", live="true"),
        "rectification": {
            "month": f"{today:%Y-%m}", "rate": rate(h["fixed"], h["found"]),
            "found": _figure(h["found"], hz, state=_NOT_REJECTED, **found_range),
            "fixed": _figure(h["fixed"], hz, state=_FIXED, **found_range),
            "rule": "整改率 = 本月发现（不含驳回）且已验收或销号的隐患数 ÷ 本月发现的隐患数 × 100%（保留一位小数；本月无发现时为空）",
        },
    }
