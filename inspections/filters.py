"""Jurisdiction-level filters over enterprises, shared by the audit API and the 双随机 draw's
candidate filter (the same JSON a draw stores is the query string the audit list accepts).

Every filter is computed in the database (EXISTS subqueries), so the list stays one query.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q

from backend.accounts.models import Enterprise
from backend.core.api import StrictFilterSet
from compliance.models import Hazard, RiskPoint
from compliance.models.register import LEVEL_CHOICES
from compliance.rules.hazards import TERMINAL_STATES, HazardGrade
from compliance.selectors import hazard_overdue_q

_TERMINAL = [s.value for s in TERMINAL_STATES]


class EnterpriseAuditFilter(StrictFilterSet):
    """``town`` (division-code prefix, 6–12 digits), ``industry`` (contains), ``risk_level`` (has a
    risk point at one of the levels), ``overdue`` (has an overdue hazard), ``major`` (has an open
    major hazard), ``supervised`` (has an open hazard under 挂牌督办), ``q`` (name/USCC), ``status``."""

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
