"""Filters of the enterprise and member lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from backend.accounts.models import Enterprise, Membership
from backend.core.api.filters import StrictFilterSet


class EnterpriseFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="名称/代码搜索", max_length=100)
    division_code = django_filters.CharFilter(field_name="division_code", lookup_expr="startswith", max_length=12)

    class Meta:
        model = Enterprise
        fields = ("status", "industry", "division_code")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(uscc__icontains=value))


class MemberFilter(StrictFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="姓名/用户名搜索", max_length=50)

    class Meta:
        model = Membership
        fields = ("role", "department")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(user__full_name__icontains=value) | Q(user__username__icontains=value))
