"""安全风险一张图 (the regulator's jurisdiction map): the read behind ``GET /api/v1/audit/risk-map/``.

One row per enterprise of the jurisdiction, annotated in the database with its risk points per
level and its hazard / permit counts (one correlated subquery per figure, as
:func:`inspections.selectors.enterprises_with_summary`), so the whole map is one query however many
enterprises the jurisdiction holds (plus one for the town names). The enterprise's map level is the
highest four-colour level of its risk points (DOMAIN.md §2; ``compliance.rules.assessment.RiskLevel``
with its colour); an enterprise without assessed risk points has no level (colour ``grey``).

Enterprises without coordinates are returned beside the features (``unlocated``), never dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from backend.accounts.models import Division, Enterprise
from backend.accounts.rules import KIND_LABELS
from compliance.models import Hazard, RiskPoint
from compliance.models.register import LEVEL_CHOICES
from compliance.rules.assessment import RiskLevel
from compliance.rules.hazard_codes import HazardGrade
from compliance.selectors import hazard_overdue_q, hazard_unclosed_q
from inspections.selectors import JurisdictionEnterpriseFilter, _count
from special_ops.models import WorkPermit
from special_ops.selectors import permits_live_q

#: Most severe first (重大 → 低).
LEVELS: list[RiskLevel] = list(RiskLevel)
#: Colour of an enterprise without an assessed risk point.
NO_LEVEL_COLOUR = "grey"
#: A town's division code is the first 9 digits (统计用区划代码 乡级).
TOWN_CODE_LENGTH = 9


def map_level(points_by_level: dict[str, int]) -> RiskLevel | None:
    """The highest level with at least one risk point (``{"major": 0, "high": 2, …}`` → HIGH), or None."""
    return next((lv for lv in LEVELS if points_by_level.get(lv.value, 0) > 0), None)


def town_code(division_code: str) -> str | None:
    """The town (乡镇/街道) code of an enterprise's division code, None above town level."""
    return division_code[:TOWN_CODE_LENGTH] if len(division_code) >= TOWN_CODE_LENGTH else None


class RiskMapFilter(JurisdictionEnterpriseFilter):
    """The jurisdiction enterprise filters (``town``, ``industry``, ``overdue``, ``supervised``,
    ``major``, ``risk_level``, ``q``, ``status``) plus ``level`` (the map level: the enterprise's
    *highest* risk-point level is one of these; ``none`` = no assessed risk point), ``live_permits``
    (has a permit in progress or starting within 24 h) and ``kind`` (hazchem / industrial /
    unclassified: the enterprise's rule set, ``backend.accounts.rules``)."""

    level = django_filters.MultipleChoiceFilter(choices=[*LEVEL_CHOICES, ("none", "未评定")], method="filter_level",
                                                label="地图风险等级（最高风险点等级）")
    live_permits = django_filters.BooleanFilter(method="filter_live_permits", label="有进行中或24小时内开始的作业")
    kind = django_filters.ChoiceFilter(choices=[*Enterprise.Kind.choices, ("unclassified", "未分类")],
                                       method="filter_kind", label="企业类别")

    class Meta(JurisdictionEnterpriseFilter.Meta):
        fields = JurisdictionEnterpriseFilter.Meta.fields

    def filter_level(self, qs, name, value):
        if not value:
            return qs
        cond = Q()
        for i, lv in enumerate([*LEVELS, None]):
            if (lv.value if lv else "none") not in value:
                continue
            higher = [h.value for h in LEVELS[:i]]
            c = ~Exists(RiskPoint.objects.filter(enterprise=OuterRef("pk"), level__in=higher)) if higher else Q()
            if lv is not None:
                c &= Exists(RiskPoint.objects.filter(enterprise=OuterRef("pk"), level=lv.value))
            cond |= c
        return qs.filter(cond)

    def filter_live_permits(self, qs, name, value):
        return self._flag(qs, value, WorkPermit.objects.filter(permits_live_q(timezone.now()), enterprise=OuterRef("pk")))

    def filter_kind(self, qs, name, value):
        # The kind rule is Python (NFKC-normalised words of the industry, backend.accounts.rules):
        # the rows are kept here and filtered by :func:`risk_map` after the one fetch.
        return qs


def map_queryset(qs: QuerySet[Enterprise], now: datetime | None = None) -> QuerySet[Enterprise]:
    """``qs`` annotated with ``rp_<level>``, ``hz_open``, ``hz_overdue``, ``hz_open_major``,
    ``hz_supervised`` (open, under 挂牌督办) and ``permits_live`` (integers, from the DB)."""
    now = now or timezone.now()
    ref = OuterRef("pk")
    open_hazards = Hazard.objects.filter(hazard_unclosed_q(), enterprise=ref)
    ann = {f"rp_{lv.value}": _count(RiskPoint.objects.filter(enterprise=ref, level=lv.value)) for lv in LEVELS}
    ann |= {
        "hz_open": _count(open_hazards),
        "hz_overdue": _count(Hazard.objects.filter(hazard_overdue_q(now), enterprise=ref)),
        "hz_open_major": _count(open_hazards.filter(grade=HazardGrade.MAJOR.value)),
        "hz_supervised": _count(open_hazards.filter(supervised=True)),
        "permits_live": _count(WorkPermit.objects.filter(permits_live_q(now), enterprise=ref)),
    }
    return qs.annotate(**ann)


def _properties(ent: Enterprise, towns: dict[str, str]) -> dict[str, Any]:
    by_level = {lv.value: getattr(ent, f"rp_{lv.value}") for lv in LEVELS}
    level = map_level(by_level)
    town = town_code(ent.division_code)
    kind = ent.kind
    return {
        "id": ent.pk, "name": ent.name, "division_code": ent.division_code,
        "town": town, "town_name": towns.get(town or "", ""),
        "industry": ent.industry, "kind": kind or "unclassified", "kind_display": KIND_LABELS[kind],
        "status": ent.status,
        "level": level.value if level else None, "level_display": level.label if level else "未评定",
        "colour": level.colour if level else NO_LEVEL_COLOUR,
        "risk_points_by_level": by_level,
        "counts": {
            "hazards_open": ent.hz_open, "hazards_overdue": ent.hz_overdue,  # type: ignore[attr-defined]
            "major_hazards_open": ent.hz_open_major, "supervised": ent.hz_supervised,  # type: ignore[attr-defined]
            "permits_live": ent.permits_live,  # type: ignore[attr-defined]
        },
    }


def risk_map(qs: QuerySet[Enterprise], *, jurisdiction: str, kind: str | None = None,
             now: datetime | None = None) -> dict[str, Any]:
    """The GeoJSON ``FeatureCollection`` of ``qs`` (already scoped and filtered): one Point feature
    ([lon, lat], WGS-84) per located enterprise, ``unlocated`` (the properties of those without
    coordinates), ``total``. ``kind``: keep only enterprises of that kind (``unclassified`` = "")."""
    towns = dict(Division.objects.filter(code__startswith=jurisdiction).values_list("code", "name"))
    features, unlocated = [], []
    for ent in map_queryset(qs, now):
        if kind and (ent.kind or "unclassified") != kind:
            continue
        props = _properties(ent, towns)
        if ent.lon is None or ent.lat is None:
            unlocated.append(props)
        else:
            features.append({"type": "Feature", "id": ent.pk, "properties": props,
                             "geometry": {"type": "Point", "coordinates": [float(ent.lon), float(ent.lat)]}})
    return {"type": "FeatureCollection", "features": features, "unlocated": unlocated,
            "total": len(features) + len(unlocated)}
