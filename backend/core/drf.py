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
