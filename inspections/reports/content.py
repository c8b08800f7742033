"""The figures of a 双报告 (DOMAIN.md §5), computed in the database.

:func:`report_data` returns the JSON-ready snapshot a report is rendered from. The same query
functions serve one enterprise and a whole jurisdiction (the enterprise filter is a subquery), so
the number of queries is constant whatever the number of enterprises (about a dozen).

Period semantics (dates are Asia/Shanghai calendar days, both ends inclusive):

- ``as_of`` = the end of the period (00:00 of the day after ``period_end``), or now if earlier —
  a report of the running month describes today, not the future.
- **found**: hazards with ``found_on`` in the period (rejected reports of hazards are not hazards
  and are left out everywhere).
- **fixed**: hazards now accepted or closed whose acceptance date (``accepted_on``) is in the period.
- **overdue**: a stock, not a flow — hazards overdue at ``as_of``: ``deadline_at`` (end of the
  deadline day) before ``as_of`` and not yet submitted for acceptance by then (still reported /
  confirmed / rectifying, or finished only after ``as_of`` by ``completed_on``/``accepted_on``).
  At ``as_of`` = now this is exactly :func:`compliance.selectors.hazard_overdue_q`.
- **open**: hazards found by ``as_of`` and not yet accepted or closed.
- **rectification rate** (整改率) = hazards found in the period and accepted/closed by ``as_of`` ÷
  hazards found in the period, in percent with one decimal; None when nothing was found. It never
  exceeds 100 %. **closed** (本期销号, = ``fixed``) counts every hazard accepted in the period,
  whatever month it was found in — the figure that once gave "109.1 %" when divided by the found.
- **partial**: the period is not over at generation (``as_of`` < its end): every table is labelled
  截至 <as_of>（统计期未结束）and the report cannot be issued until the period ends.
- **appendix**: the hazards open at ``as_of`` (found by then, not accepted/closed), overdue and
  major ones first, with number, grade, state, found date and deadline (at most
  :data:`APPENDIX_LIMIT` rows; ``appendix_total`` says how many there are).
- **enterprise table** (jurisdiction): per enterprise risk points by level, hazards found / fixed
  (本期销号) / overdue, open majors, permits, rate; ranked (overdue, open majors, rate), with each
  town (乡镇, the first 9 digits of the division code) as a subtotal row.
  Each row also freezes the enterprise's coordinates (``lon``/``lat``, WGS-84, None when not
  registered) and its map level (the highest level of its risk points, ``map_level``/``map_colour``,
  grey when none is assessed — the 安全风险一张图's rule, :func:`inspections.riskmap.map_level`).
- **enforcement** (jurisdiction): the regulator's inspections planned in the period (of which
  closed, 双随机, 复查), findings recorded, orders (责令限期整改: findings with a deadline), 复查
  records, 挂牌督办 open majors, draws made.
- **funds**: sum of ``funds_yuan`` of the hazards *fixed* in the period (yuan, string with 2 decimals).
- **risk points by level**: the register now; the change is against the ``by_level`` of the
  previous done report of the same subject (None when there is none).
- **investigation tasks**: tasks whose window ends in the period (``due``), of which ``done``;
  ``overdue`` = pending with the window ended by ``as_of``. **包保** tasks are those of risk points
  holding a major hazard source (``is_major_hazard_source``).
- **permits**: permits planned to start in the period, drafts excluded, by type and level.
- **zone map** (enterprise): the 四色风险分布图 as it stands at generation (:func:`zone_map_section`);
  None while no plan or zone is registered.
- **monthly**: the last (up to) six calendar months ending with the period's last month:
  found and fixed in each month, and overdue at each month's end (or now).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from backend.accounts.models import Enterprise, Regulator
from backend.core.time import SHANGHAI
from compliance.models import Hazard, InvestigationTask, RiskPoint
from compliance.rules.assessment import RiskLevel
from compliance.rules.hazard_codes import HazardGrade, HazardSource, HazardType
from compliance.rules.hazard_states import HazardState
from special_ops.models import LEVEL_CHOICES, WorkPermit
from special_ops.rules.types import PermitState, PermitType

SCHEMA = "shuangfang.dual-report/1"
#: Rows of the worst-offender table of a jurisdiction report.
WORST_LIMIT = 10
#: Months in the monthly chart.
MONTHS = 6
#: Rows of the hazard appendix.
APPENDIX_LIMIT = 500

_WORKING = [HazardState.REPORTED.value, HazardState.CONFIRMED.value, HazardState.RECTIFYING.value]
_FINISHED = [HazardState.PENDING_ACCEPTANCE.value, HazardState.ACCEPTED.value, HazardState.CLOSED.value]
_FIXED = [HazardState.ACCEPTED.value, HazardState.CLOSED.value]
_PERMIT_LEVEL_LABELS = dict(LEVEL_CHOICES)
_COLOURS = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝"}


def day_start(day: date) -> datetime:
    """00:00 of ``day`` in Asia/Shanghai, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _local(t: datetime) -> date:
    return timezone.localtime(t, SHANGHAI).date()


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` in percent with one decimal; None when ``whole`` is 0."""
    return round(100.0 * part / whole, 1) if whole else None


def _money(value: Decimal | None) -> str:
    return f"{(value or Decimal('0')):.2f}"


# --------------------------------------------------------------------------------------------
# Conditions (a ``prefix`` lets the same condition run from Enterprise through ``hazards__``)
# --------------------------------------------------------------------------------------------


def _p(prefix: str, **kwargs: Any) -> Q:
    return Q(**{f"{prefix}{k}": v for k, v in kwargs.items()})


def overdue_at_q(t: datetime, prefix: str = "") -> Q:
    """Hazards overdue at instant ``t`` (see the module docstring)."""
    d = _local(t)
    return (
        _p(prefix, deadline_at__lt=t, found_on__lte=d)
        & (
            _p(prefix, state__in=_WORKING)
            | _p(prefix, state__in=_FINISHED, completed_on__gt=d)
            | _p(prefix, state__in=_FINISHED, completed_on__isnull=True, accepted_on__gt=d)
        )
    )


def found_q(start: date, end: date, prefix: str = "") -> Q:
    return _p(prefix, found_on__gte=start, found_on__lte=end)


def fixed_q(start: date, end: date, prefix: str = "") -> Q:
    return _p(prefix, state__in=_FIXED, accepted_on__gte=start, accepted_on__lte=end)


def open_major_q(t: datetime, prefix: str = "") -> Q:
    return _p(prefix, grade=HazardGrade.MAJOR.value, found_on__lte=_local(t)) & ~_p(
        prefix, state__in=[*_FIXED, HazardState.REJECTED.value]
    )


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


class Scope:
    """Which enterprises a report covers: one, or the approved enterprises of a jurisdiction."""

    def __init__(self, *, enterprise: Enterprise | None = None, regulator: Regulator | None = None):
        if (enterprise is None) == (regulator is None):
            raise ValueError("exactly one of enterprise, regulator")
        self.enterprise = enterprise
        self.regulator = regulator

    def enterprises(self) -> QuerySet[Enterprise]:
        if self.enterprise is not None:
            return Enterprise.objects.filter(pk=self.enterprise.pk)
        assert self.regulator is not None  # one of the two (__init__)
        return Enterprise.objects.filter(
            status=Enterprise.Status.APPROVED, division_code__startswith=self.regulator.jurisdiction
        )

    def q(self, path: str = "enterprise") -> Q:
        """Filter for a model reaching its enterprise by ``path`` (one query: a subselect)."""
        if self.enterprise is not None:
            return Q(**{f"{path}_id": self.enterprise.pk})
        return Q(**{f"{path}_id__in": Subquery(self.enterprises().values("pk"))})


def risk_points_section(scope: Scope, previous: dict | None) -> dict:
    rows = dict(
        RiskPoint.objects.filter(scope.q()).order_by().values("level").annotate(n=Count("id")).values_list("level", "n")
    )
    majors = RiskPoint.objects.filter(scope.q(), is_major_hazard_source=True).count()
    prev = {row["level"]: row["count"] for row in (previous or {}).get("by_level", [])} if previous else None
    by_level = []
    for lv in RiskLevel:
        n = rows.get(lv.value, 0)
        before = prev.get(lv.value, 0) if prev is not None else None
        by_level.append({"level": lv.value, "label": lv.label, "colour": lv.colour, "colour_label": _COLOURS[lv.colour], "count": n,
                         "previous": before, "change": None if before is None else n - before})
    unassessed = rows.get("", 0)
    return {
        "total": sum(rows.values()),
        "unassessed": unassessed,
        "major_hazard_sources": majors,
        "by_level": by_level,
        "has_previous": prev is not None,
    }


def tasks_section(scope: Scope, start_at: datetime, end_at: datetime, as_of: datetime) -> tuple[dict, dict]:
    """(investigation tasks, 包保 tasks) — one aggregate query."""
    due = Q(due_end__gt=start_at, due_end__lte=end_at)
    done = due & Q(state=InvestigationTask.State.DONE)
    overdue = due & Q(state=InvestigationTask.State.PENDING, due_end__lte=as_of)
    mhs = Q(risk_point__is_major_hazard_source=True)
    agg = InvestigationTask.objects.filter(scope.q()).aggregate(
        due=Count("id", filter=due), done=Count("id", filter=done), overdue=Count("id", filter=overdue),
        mhs_due=Count("id", filter=due & mhs), mhs_done=Count("id", filter=done & mhs),
        mhs_overdue=Count("id", filter=overdue & mhs),
    )
    inv = {"due": agg["due"], "done": agg["done"], "overdue": agg["overdue"], "completion_rate": rate(agg["done"], agg["due"])}
    bb = {"due": agg["mhs_due"], "done": agg["mhs_done"], "overdue": agg["mhs_overdue"],
          "completion_rate": rate(agg["mhs_done"], agg["mhs_due"])}
    return inv, bb


def _hazard_counters(start: date, end: date, as_of: datetime) -> dict[str, Count | Sum]:
    found = found_q(start, end)
    return {
        "found": Count("id", filter=found),
        "fixed": Count("id", filter=fixed_q(start, end)),
        "overdue": Count("id", filter=overdue_at_q(as_of)),
        "found_fixed": Count("id", filter=found & Q(state__in=_FIXED, accepted_on__lte=_local(as_of))),
    }


def hazards_section(scope: Scope, start: date, end: date, as_of: datetime) -> dict:
    """Totals, breakdowns by grade / source / type, and the monthly series (5 queries)."""
    base = Hazard.objects.filter(scope.q()).exclude(state=HazardState.REJECTED.value).order_by()
    counters = _hazard_counters(start, end, as_of)
    totals = base.aggregate(
        **counters,
        open=Count("id", filter=Q(found_on__lte=_local(as_of)) & ~Q(state__in=_FIXED)),
        funds=Sum("funds_yuan", filter=fixed_q(start, end)),
        funds_found=Sum("funds_yuan", filter=found_q(start, end)),
    )

    def breakdown(field: str, enum_cls: Any) -> list[dict]:
        got = {row[field]: row for row in base.values(field).annotate(**counters)}
        out = []
        for member in enum_cls:
            row = got.get(member.value, {})
            out.append({"code": member.value, "label": member.label, "found": row.get("found", 0),
                        "fixed": row.get("fixed", 0), "overdue": row.get("overdue", 0)})
        return out

    return {
        "found": totals["found"],
        "fixed": totals["fixed"],
        "found_fixed": totals["found_fixed"],
        "closed": totals["fixed"],
        "overdue": totals["overdue"],
        "open": totals["open"],
        "rectification_rate": rate(totals["found_fixed"], totals["found"]),
        "funds_yuan": _money(totals["funds"]),
        "funds_planned_yuan": _money(totals["funds_found"]),
        "by_grade": breakdown("grade", HazardGrade),
        "by_source": [r for r in breakdown("source", HazardSource) if r["found"] or r["fixed"] or r["overdue"]],
        "by_type": breakdown("hazard_type", HazardType),
        "monthly": monthly_series(base, end, as_of),
    }


def _months_ending(end: date, n: int) -> list[tuple[date, date]]:
    months = []
    y, m = end.year, end.month
    for _ in range(n):
        first = date(y, m, 1)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        months.append((first, nxt - timedelta(days=1)))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return months[::-1]


def monthly_series(base: QuerySet[Hazard], end: date, as_of: datetime) -> list[dict]:
    """Found / fixed / overdue-at-month-end for the last ``MONTHS`` months (one query)."""
    months = _months_ending(end, MONTHS)
    aggs: dict[str, Count] = {}
    for i, (first, last) in enumerate(months):
        at = min(day_start(last + timedelta(days=1)), as_of)
        aggs[f"f{i}"] = Count("id", filter=found_q(first, last))
        aggs[f"x{i}"] = Count("id", filter=fixed_q(first, last))
        aggs[f"ff{i}"] = Count("id", filter=found_q(first, last) & Q(state__in=_FIXED, accepted_on__lte=_local(as_of)))
        aggs[f"o{i}"] = Count("id", filter=overdue_at_q(at))
    got = base.aggregate(**aggs)
    return [
        {"month": f"{first:%Y-%m}", "found": got[f"f{i}"], "fixed": got[f"x{i}"], "overdue": got[f"o{i}"],
         "found_fixed": got[f"ff{i}"], "rectification_rate": rate(got[f"ff{i}"], got[f"f{i}"])}
        for i, (first, _last) in enumerate(months)
    ]


def major_hazards_section(scope: Scope, as_of: datetime) -> list[dict]:
    """Each open major hazard with its five commitments (DOMAIN.md §3)."""
    rows = (
        Hazard.objects.filter(scope.q(), open_major_q(as_of))
        .select_related("enterprise", "supervised_by")
        .order_by("enterprise_id", "found_on", "id")
    )
    out = []
    for h in rows:
        out.append({
            "enterprise": h.enterprise.name,
            "number": h.number,
            "title": h.title,
            "location": h.location,
            "found_on": h.found_on.isoformat(),
            "state": h.state,
            "state_label": HazardState(h.state).label,
            "overdue": bool(h.deadline_at and h.deadline_at < as_of and h.state in _WORKING),
            "basis": h.major_basis,
            "commitments": {
                "measures": h.measures,
                "responsible_person": h.responsible_name or (str(h.responsible_person) if h.responsible_person_id else ""),
                "funds_yuan": _money(h.funds_yuan) if h.funds_yuan is not None else "",
                "deadline": h.deadline.isoformat() if h.deadline else "",
                "contingency_plan": h.contingency_plan,
            },
            "supervised": h.supervised,
            "supervised_by": h.supervised_by.name if h.supervised_by is not None else h.supervision_note,
        })
    return out


def permits_section(scope: Scope, start_at: datetime, end_at: datetime) -> dict:
    rows = (
        WorkPermit.objects.filter(scope.q(), planned_start__gte=start_at, planned_start__lt=end_at)
        .exclude(state=PermitState.DRAFT.value)
        .order_by()
        .values("type", "level")
        .annotate(n=Count("id"))
    )
    counts = {(r["type"], r["level"]): r["n"] for r in rows}
    by_type = []
    for t in PermitType:
        levels = sorted(((lv, n) for (tt, lv), n in counts.items() if tt == t.value), key=lambda x: x[0])
        by_type.append({
            "type": t.value, "label": t.label, "count": sum(n for _lv, n in levels),
            "levels": [{"level": lv, "label": _PERMIT_LEVEL_LABELS.get(lv, "未定级"), "count": n} for lv, n in levels],
        })
    return {"total": sum(counts.values()), "by_type": by_type}


def worst_enterprises(scope: Scope, as_of: datetime) -> list[dict]:
    """The jurisdiction's enterprises with the most overdue and open major hazards (one query)."""
    rows = (
        scope.enterprises()
        .annotate(
            overdue=Count("hazards", filter=overdue_at_q(as_of, "hazards__")),
            open_major=Count("hazards", filter=open_major_q(as_of, "hazards__")),
        )
        .filter(Q(overdue__gt=0) | Q(open_major__gt=0))
        .order_by("-overdue", "-open_major", "id")
        .values("id", "name", "uscc", "division_code", "overdue", "open_major")[:WORST_LIMIT]
    )
    return [dict(r) for r in rows]


def appendix_section(scope: Scope, as_of: datetime) -> tuple[list[dict], int]:
    """The hazards open at ``as_of``: overdue first, then major, then by enterprise and number."""
    d = _local(as_of)
    qs = (
        Hazard.objects.filter(scope.q(), found_on__lte=d)
        .exclude(state__in=[*_FIXED, HazardState.REJECTED.value])
        .select_related("enterprise")
        .order_by("enterprise_id", "number", "id")
    )
    total = qs.count()
    rows = []
    for h in qs[:APPENDIX_LIMIT]:
        rows.append({
            "enterprise": h.enterprise.name, "number": h.number, "title": h.title,
            "grade": h.grade, "grade_label": HazardGrade(h.grade).label, "major": h.grade == HazardGrade.MAJOR.value,
            "state_label": HazardState(h.state).label, "found_on": h.found_on.isoformat(),
            "deadline": h.deadline.isoformat() if h.deadline else "",
            "overdue": bool(h.deadline_at and h.deadline_at < as_of and h.state in _WORKING),
        })
    rows.sort(key=lambda r: (not r["overdue"], not r["major"]))
    return rows, total


def _town(code: str) -> str:
    return (code or "")[:9]


def enterprise_table(scope: Scope, start: date, end: date, start_at: datetime, end_at: datetime,
                     as_of: datetime) -> dict:
    """Per-enterprise figures of a jurisdiction, ranked, with towns as subtotals (4 queries)."""
    from backend.accounts.models import Division

    ents = list(scope.enterprises().order_by("division_code", "id")
                .values("id", "name", "uscc", "division_code", "lon", "lat"))
    counters = _hazard_counters(start, end, as_of)
    hz: dict[int, dict[str, Any]] = {r["enterprise_id"]: dict(r) for r in Hazard.objects.filter(scope.q()).exclude(state=HazardState.REJECTED.value)
          .order_by().values("enterprise_id").annotate(**counters, open_major=Count("id", filter=open_major_q(as_of)))}
    rp: dict[int, dict[str, int]] = {}
    for point in RiskPoint.objects.filter(scope.q()).order_by().values("enterprise_id", "level").annotate(n=Count("id")):
        rp.setdefault(point["enterprise_id"], {})[point["level"]] = point["n"]
    pm = dict(WorkPermit.objects.filter(scope.q(), planned_start__gte=start_at, planned_start__lt=end_at)
              .exclude(state=PermitState.DRAFT.value).order_by().values("enterprise_id").annotate(n=Count("id"))
              .values_list("enterprise_id", "n"))
    keys = ("found", "fixed", "overdue", "found_fixed", "open_major", "permits")
    rows: list[dict[str, Any]] = []
    for e in ents:
        h: dict[str, Any] = hz.get(e["id"], {})
        levels = {lv.value: rp.get(e["id"], {}).get(lv.value, 0) for lv in RiskLevel}
        top = next((lv for lv in RiskLevel if levels[lv.value] > 0), None)  # as inspections.riskmap.map_level
        row: dict[str, Any] = {**e, "town": _town(e["division_code"]), "levels": levels, "permits": pm.get(e["id"], 0),
               **{k: h.get(k, 0) for k in keys[:5]},
               "lon": float(e["lon"]) if e["lon"] is not None else None,
               "lat": float(e["lat"]) if e["lat"] is not None else None,
               "map_level": top.value if top else None, "map_colour": top.colour if top else "grey"}
        row["rate"] = rate(row["found_fixed"], row["found"])
        rows.append(row)
    ranked = sorted(rows, key=lambda r: (-r["overdue"], -r["open_major"], r["rate"] if r["rate"] is not None else 101, r["id"]))
    for i, r in enumerate(ranked, 1):
        r["rank"] = i
    names = dict(Division.objects.filter(code__in={r["town"] for r in rows}).values_list("code", "name"))
    towns = []
    for code in sorted({r["town"] for r in rows}):
        members = [r for r in rows if r["town"] == code]
        sub: dict[str, Any] = {k: sum(r[k] for r in members) for k in keys}
        sub["levels"] = {lv.value: sum(r["levels"][lv.value] for r in members) for lv in RiskLevel}
        sub["rate"] = rate(sub["found_fixed"], sub["found"])
        towns.append({"code": code, "name": names.get(code, code), "count": len(members), **sub,
                      "enterprises": sorted(members, key=lambda r: r["rank"])})
    return {"rows": ranked, "towns": towns}


def enforcement_section(regulator: Regulator, start: date, end: date, start_at: datetime, end_at: datetime) -> dict:
    """The regulator's enforcement in the period (inspections planned in it; findings, orders and
    复查 recorded in it; draws made in it; 挂牌督办 open majors now) — 5 queries."""
    from inspections.models import Draw, Finding, FollowUp, Inspection

    kinds = Inspection.Kind
    ins = Inspection.objects.filter(regulator=regulator, planned_on__gte=start, planned_on__lte=end).aggregate(
        total=Count("id"), closed=Count("id", filter=Q(state="closed")),
        drawn=Count("id", filter=Q(kind=kinds.DRAWN)), follow_up=Count("id", filter=Q(kind=kinds.FOLLOW_UP)),
    )
    fnd = Finding.objects.filter(inspection__regulator=regulator, created_at__gte=start_at, created_at__lt=end_at).aggregate(
        findings=Count("id"), orders=Count("id", filter=Q(deadline__isnull=False)),
        major=Count("id", filter=Q(severity="major")),
    )
    follow_ups = FollowUp.objects.filter(finding__inspection__regulator=regulator, checked_on__gte=start,
                                         checked_on__lte=end).aggregate(n=Count("id"), fixed=Count("id", filter=Q(fixed=True)))
    supervised = Hazard.objects.filter(Scope(regulator=regulator).q(), open_major_q(end_at), supervised=True).count()
    draws = Draw.objects.filter(regulator=regulator, created_at__gte=start_at, created_at__lt=end_at).count()
    return {"inspections": ins["total"], "inspections_closed": ins["closed"], "inspections_drawn": ins["drawn"],
            "inspections_follow_up": ins["follow_up"], "findings": fnd["findings"], "findings_major": fnd["major"],
            "orders": fnd["orders"], "follow_ups": follow_ups["n"], "follow_ups_fixed": follow_ups["fixed"],
            "supervised": supervised, "draws": draws}


# --------------------------------------------------------------------------------------------
# The snapshot
# --------------------------------------------------------------------------------------------


def period_bounds(period_start: date, period_end: date, now: datetime | None = None) -> tuple[datetime, datetime, datetime]:
    """(start_at, end_at, as_of): the period as half-open instants, and the instant figures are 'as of'."""
    start_at = day_start(period_start)
    end_at = day_start(period_end + timedelta(days=1))
    return start_at, end_at, min(end_at, now or timezone.now())


def zone_map_section(enterprise: Enterprise) -> dict | None:
    """The enterprise's 四色风险分布图 frozen at generation (:func:`compliance.risk_map.risk_map_geojson`):
    the plan's size (px) and sha256, each zone with its polygon (plan pixels), level and colour (the
    highest level of its points), point counts and whether it holds a 重大危险源, and how many risk
    points lie in no zone. None while the enterprise has no plan or no zone (the report then prints
    the four-colour grid of its risk points instead, and says so)."""
    from compliance.models import PlantLayout
    from compliance.risk_map import risk_map_geojson

    layout = PlantLayout.objects.filter(enterprise=enterprise).first()
    if layout is None:
        return None
    fc = risk_map_geojson(enterprise)
    zones = [
        {k: f["properties"][k] for k in ("name", "level", "level_label", "colour", "colour_label", "colour_hex",
                                          "counts", "point_count", "has_major_hazard_source", "centroid")}
        | {"polygon": f["geometry"]["coordinates"][0][:-1]}
        for f in fc["features"] if f["properties"]["kind"] == "zone"
    ]
    if not zones:
        return None
    return {"width": layout.width, "height": layout.height, "layout_sha256": layout.sha256, "zones": zones,
            "points": fc["metadata"]["points"], "unplaced": fc["metadata"]["unplaced"],
            "legend": fc["metadata"]["legend"]}


def report_data(
    *,
    kind: str,
    period_start: date,
    period_end: date,
    enterprise: Enterprise | None = None,
    regulator: Regulator | None = None,
    previous: dict | None = None,
    now: datetime | None = None,
) -> dict:
    """The figures of one report as a JSON-ready dict (no report metadata; see services).

    ``previous`` is the data snapshot of the subject's previous report (for the risk-level change).
    """
    scope = Scope(enterprise=enterprise, regulator=regulator)
    start_at, end_at, as_of = period_bounds(period_start, period_end, now)
    inv, bb = tasks_section(scope, start_at, end_at, as_of)
    appendix, appendix_total = appendix_section(scope, as_of)
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "as_of": timezone.localtime(as_of, SHANGHAI).isoformat(),
        "as_of_label": f"{timezone.localtime(as_of, SHANGHAI):%Y-%m-%d %H:%M}",
        "partial": as_of < end_at,
        "appendix": appendix,
        "appendix_total": appendix_total,
        "risk_points": risk_points_section(scope, (previous or {}).get("risk_points")),
        "investigation": inv,
        "baobao": bb,
        "hazards": hazards_section(scope, period_start, period_end, as_of),
        "major_hazards": major_hazards_section(scope, as_of),
        "permits": permits_section(scope, start_at, end_at),
    }
    if enterprise is not None:
        data["zone_map"] = zone_map_section(enterprise)
    if regulator is not None:
        data["enterprises"] = {"count": scope.enterprises().count(), "worst": worst_enterprises(scope, as_of),
                               **enterprise_table(scope, period_start, period_end, start_at, end_at, as_of)}
        data["enforcement"] = enforcement_section(regulator, period_start, period_end, start_at, end_at)
    return data
