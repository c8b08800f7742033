"""Pagination and ordering used by every list endpoint (referenced from REST_FRAMEWORK settings)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import filters, pagination
from rest_framework.request import Request


class Pagination(pagination.PageNumberPagination):
    """Page-number pagination; ``page_size`` may be asked for, capped at 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class StableOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` over the view's ``ordering_fields``, always with ``id`` as the tie-breaker."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        ordering = self.get_ordering(request, queryset, view) or list(queryset.query.order_by) or []
        ordering = list(ordering)
        if not any(o.lstrip("-") in ("id", "pk") for o in ordering):
            ordering.append("id")
        return queryset.order_by(*ordering)

    def remove_invalid_fields(self, queryset, fields, view, request):
        """An ordering on a field that is not offered is a coded 400, never silently ignored."""
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if len(valid) != len([f for f in fields if f]):
            from backend.core.errors import FieldError

            bad = next(f for f in fields if f and f not in valid)
            raise FieldError(f"不支持按“{bad}”排序。", code="invalid_ordering", field=self.ordering_param)
        return valid
