"""Reads of the regulator side: jurisdiction scoping and the per-enterprise summary.

The summary is computed by the database: one correlated COUNT subquery per figure, all in the
SELECT of the enterprise query, so summarising a whole jurisdiction is one query however many
enterprises it holds (plus the pagination count).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from backend.accounts.models import Enterprise, Regulator
from compliance.models import Hazard, RiskPoint
from compliance.rules.assessment import RiskLevel
from compliance.rules.hazards import TERMINAL_STATES, HazardGrade, HazardState
from compliance.selectors import hazard_overdue_q
from inspections.draw import RISK_WEIGHTS, weight_for
from special_ops.api.permits import LIVE_HORIZON
from special_ops.models import WorkPermit
from special_ops.rules.types import LIVE_STATES

_TERMINAL = [s.value for s in TERMINAL_STATES]
RISK_LEVELS = [lv.value for lv in RiskLevel]
HAZARD_STATES = [s.value for s in HazardState]


def jurisdiction_enterprises(regulator: Regulator) -> QuerySet[Enterprise]:
    """Enterprises whose division code starts with the regulator's jurisdiction."""
    return Enterprise.objects.filter(division_code__startswith=regulator.jurisdiction)


def _count(qs: QuerySet) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``qs`` (already filtered on ``enterprise=OuterRef("pk")``)."""
    sub = qs.order_by().values("enterprise").annotate(c=Count("pk")).values("c")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def permit_live_q(now: datetime) -> Q:
    """Same condition as the permits API's ``?live=true`` (special_ops.api.permits): approved /
    in progress / suspended, window not over, started or starting within ``LIVE_HORIZON``."""
    return Q(state__in=[s.value for s in LIVE_STATES], planned_end__gt=now, planned_start__lt=now + LIVE_HORIZON)


def enterprises_with_summary(qs: QuerySet[Enterprise], now: datetime | None = None) -> QuerySet[Enterprise]:
    """``qs`` annotated with ``rp_<level>`` (risk points per level), ``hz_<state>`` (hazards per
    state), ``hz_overdue``, ``hz_open_major`` and ``permits_live``: integers, all from the DB."""
    now = now or timezone.now()
    ref = OuterRef("pk")
    ann = {f"rp_{lv}": _count(RiskPoint.objects.filter(enterprise=ref, level=lv)) for lv in RISK_LEVELS}
    ann |= {f"hz_{st}": _count(Hazard.objects.filter(enterprise=ref, state=st)) for st in HAZARD_STATES}
    ann["hz_overdue"] = _count(Hazard.objects.filter(hazard_overdue_q(now), enterprise=ref))
    ann["hz_open_major"] = _count(
        Hazard.objects.filter(enterprise=ref, grade=HazardGrade.MAJOR.value).exclude(state__in=_TERMINAL))
    ann["permits_live"] = _count(WorkPermit.objects.filter(permit_live_q(now), enterprise=ref))
    return qs.annotate(**ann)


def summary_of(ent: Enterprise) -> dict:
    """The summary dict of an enterprise annotated by :func:`enterprises_with_summary`."""
    return {
        "risk_points_by_level": {lv: getattr(ent, f"rp_{lv}") for lv in RISK_LEVELS},
        "hazards_by_state": {st: getattr(ent, f"hz_{st}") for st in HAZARD_STATES},
        "hazards_overdue": ent.hz_overdue,
        "major_hazards_open": ent.hz_open_major,
        "permits_live": ent.permits_live,
    }


def candidate_weights(enterprise_ids: list[int]) -> dict[int, int]:
    """Draw weight of each enterprise from its highest risk-point level (``inspections.draw.RISK_WEIGHTS``)."""
    order = {lv.value: i for i, lv in enumerate(RiskLevel)}  # major first
    best: dict[int, str] = {}
    for ent_id, level in RiskPoint.objects.filter(enterprise_id__in=enterprise_ids).exclude(level="").values_list(
            "enterprise_id", "level").distinct():
        if ent_id not in best or order[level] < order[best[ent_id]]:
            best[ent_id] = level
    return {e: weight_for(best.get(e), RISK_WEIGHTS) for e in enterprise_ids}
