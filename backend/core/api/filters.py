"""Filtering and ordering of every list endpoint: unknown filters and orderings are coded 400s.

``StableOrderingFilter`` is the global ordering backend (``REST_FRAMEWORK``); every FilterSet
derives from :class:`StrictFilterSet`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from rest_framework import filters
from rest_framework.request import Request

from backend.core.errors import FieldError


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that refuses unknown filter parameters (400 ``unknown_filter``, the parameter
    named) instead of ignoring them."""

    #: Parameters that are not filters but are allowed in a list query.
    RESERVED = frozenset({"page", "page_size", "ordering", "format"})

    def is_valid(self) -> bool:
        unknown = sorted(set(self.data.keys()) - set(self.filters) - self.RESERVED)
        if unknown:
            raise FieldError(f"未知的筛选参数：{unknown[0]}。", code="unknown_filter", field=unknown[0])
        return super().is_valid()


class StableOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` over the view's ``ordering_fields``, always with ``id`` as the tie-breaker;
    an ordering field that is not offered is a 400 ``invalid_ordering``."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        ordering = self.get_ordering(request, queryset, view) or list(queryset.query.order_by) or []
        ordering = list(ordering)
        if not any(o.lstrip("-") in ("id", "pk") for o in ordering):
            ordering.append("id")
        return queryset.order_by(*ordering)

    def remove_invalid_fields(self, queryset: QuerySet, fields: Any, view: Any, request: Request) -> list[str]:
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if len(valid) != len([f for f in fields if f]):
            bad = next(f for f in fields if f and f not in valid)
            raise FieldError(f"不支持按“{bad}”排序。", code="invalid_ordering", field=self.ordering_param)
        return valid

