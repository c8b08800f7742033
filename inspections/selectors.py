"""Reads of the regulator side: jurisdiction scoping, the jurisdiction enterprise filter (shared
by the jurisdiction read API and the 双随机 draw's candidates) and the per-enterprise summary.

The summary is computed by the database: one correlated COUNT subquery per figure, all in the
SELECT of the enterprise query, so summarising a whole jurisdiction is one query however many
enterprises it holds (plus the pagination count). Every enterprise filter is an EXISTS subquery,
so a filtered list stays one query too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_filters
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from backend.accounts.models import Enterprise, Regulator
from backend.core.api import StrictFilterSet
from backend.core.errors import FieldError
from compliance.models import Hazard, RiskPoint
from compliance.models.register import LEVEL_CHOICES
from compliance.rules.assessment import RiskLevel
from compliance.rules.hazard_codes import HazardGrade
from compliance.rules.hazard_states import TERMINAL_STATES, HazardState
from compliance.selectors import hazard_overdue_q
from inspections.error_codes import InspectionErrorCode as Code
from inspections.rules.draw import RISK_WEIGHTS, weight_for
from special_ops.models import WorkPermit
from special_ops.selectors import permits_live_q

_TERMINAL = [s.value for s in TERMINAL_STATES]
RISK_LEVELS = [lv.value for lv in RiskLevel]
HAZARD_STATES = [s.value for s in HazardState]


def jurisdiction_enterprises(regulator: Regulator) -> QuerySet[Enterprise]:
    """Enterprises whose division code starts with the regulator's jurisdiction."""
    return Enterprise.objects.filter(division_code__startswith=regulator.jurisdiction)


class JurisdictionEnterpriseFilter(StrictFilterSet):
    """``town`` (division-code prefix, 6–12 digits), ``industry`` (contains), ``risk_level`` (has a
    risk point at one of the levels), ``overdue`` (has an overdue hazard), ``major`` (has an open
    major hazard), ``supervised`` (has an open hazard under 挂牌督办), ``q`` (name/USCC), ``status``.

    The jurisdiction read API's enterprise filter and the 双随机 draw's candidate filter: the JSON
    a draw stores is the query string the list accepts."""

    q = django_filters.CharFilter(method="filter_q", max_length=100, label="名称/信用代码搜索")
    town = django_filters.CharFilter(field_name="division_code", lookup_expr="startswith", max_length=12,
                                     label="乡镇（区划代码前缀）")
    industry = django_filters.CharFilter(field_name="industry", lookup_expr="icontains", max_length=50)
    risk_level = django_filters.MultipleChoiceFilter(choices=LEVEL_CHOICES, method="filter_risk_level", label="风险等级")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="有逾期隐患")
    major = django_filters.BooleanFilter(method="filter_major", label="有未销号重大隐患")
    supervised = django_filters.BooleanFilter(method="filter_supervised", label="有挂牌督办隐患")
    status = django_filters.ChoiceFilter(choices=Enterprise.Status.choices)

    class Meta:
        model = Enterprise
        fields = ("town", "industry", "status")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(uscc__icontains=value))

    def filter_risk_level(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(Exists(RiskPoint.objects.filter(enterprise=OuterRef("pk"), level__in=value)))

    @staticmethod
    def _flag(qs, value, sub):
        return qs.filter(Exists(sub)) if value else qs.filter(~Exists(sub))

    def filter_overdue(self, qs, name, value):
        return self._flag(qs, value, Hazard.objects.filter(hazard_overdue_q(), enterprise=OuterRef("pk")))

    def filter_major(self, qs, name, value):
        sub = Hazard.objects.filter(enterprise=OuterRef("pk"), grade=HazardGrade.MAJOR.value).exclude(state__in=_TERMINAL)
        return self._flag(qs, value, sub)

    def filter_supervised(self, qs, name, value):
        sub = Hazard.objects.filter(enterprise=OuterRef("pk"), supervised=True).exclude(state__in=_TERMINAL)
        return self._flag(qs, value, sub)


def draw_candidates(regulator: Regulator, filter: dict[str, Any]) -> list[int]:
    """Sorted ids of the regulator's approved enterprises matching a draw's stored ``filter`` (the
    :class:`JurisdictionEnterpriseFilter` parameters, scalar values only; ``status`` is ignored:
    candidates are always approved). 400 ``invalid_filter`` (field ``filter``) for a list/page
    parameter, a nested value, an unknown filter or an invalid value."""
    base = jurisdiction_enterprises(regulator).filter(status=Enterprise.Status.APPROVED)
    not_filters = sorted(set(filter) & JurisdictionEnterpriseFilter.RESERVED)  # page, ordering, …
    if not_filters or any(isinstance(v, dict | list) for v in filter.values()):
        raise FieldError(f"筛选条件无效：{not_filters[0] if not_filters else '值须为文本或数字'}",
                         code=Code.INVALID_FILTER, field="filter")
    fs = JurisdictionEnterpriseFilter(data={k: v for k, v in filter.items() if k != "status"}, queryset=base)
    try:
        valid = fs.is_valid()
    except FieldError as exc:
        raise FieldError(f"筛选条件无效：{exc.detail}", code=Code.INVALID_FILTER, field="filter") from exc
    if not valid:
        raise FieldError(f"筛选条件无效：{next(iter(fs.errors))}", code=Code.INVALID_FILTER, field="filter")
    return sorted(fs.qs.values_list("pk", flat=True))


def _count(qs: QuerySet) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``qs`` (already filtered on ``enterprise=OuterRef("pk")``)."""
    sub = qs.order_by().values("enterprise").annotate(c=Count("pk")).values("c")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


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
    ann["permits_live"] = _count(WorkPermit.objects.filter(permits_live_q(now), enterprise=ref))
    return qs.annotate(**ann)


def summary_of(ent: Enterprise) -> dict:
    """The summary dict of an enterprise annotated by :func:`enterprises_with_summary`."""
    return {
        "risk_points_by_level": {lv: getattr(ent, f"rp_{lv}") for lv in RISK_LEVELS},
        "hazards_by_state": {st: getattr(ent, f"hz_{st}") for st in HAZARD_STATES},
        "hazards_overdue": getattr(ent, "hz_overdue"),  # noqa: B009 — annotations, unknown to the type checker
        "major_hazards_open": getattr(ent, "hz_open_major"),  # noqa: B009
        "permits_live": getattr(ent, "permits_live"),  # noqa: B009
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
