"""Filtering and ordering of every list endpoint: unknown filters and orderings are coded 400s.

``StableOrderingFilter`` is the global ordering backend (``REST_FRAMEWORK``); every FilterSet
derives from :class:`StrictFilterSet`; :func:`with_jurisdiction_filters` gives one the jurisdiction
read API's ``enterprise``/``town``/``industry``.
"""

from __future__ import annotations

import datetime as dt
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
        valid = super().is_valid()
        if valid:
            for name, value in self.form.cleaned_data.items():
                for moment in (value.start, value.stop) if isinstance(value, slice) else (value,):
                    _check_utc_offset(moment, name)
        return valid


#: The widest UTC offset a date-time filter takes: PostgreSQL's (±15:59); real zones span −12:00…+14:00.
MAX_UTC_OFFSET = dt.timedelta(hours=15, minutes=59)


def _check_utc_offset(value: Any, field: str) -> None:
    """400 ``invalid_utc_offset`` for a date-time whose offset is beyond ±15:59 (``…T03:01:10+22:18``),
    which PostgreSQL cannot compare with (BREAKIT D14: was a 500)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        offset = value.utcoffset()
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise FieldError("时间的 UTC 偏移超出范围（应在 ±15:59 以内）。", code="invalid_utc_offset", field=field)


def with_jurisdiction_filters(base: type[StrictFilterSet], path: str = "enterprise") -> type[StrictFilterSet]:
    """``base`` (an enterprise-facing FilterSet) plus the jurisdiction read API's filters:
    ``enterprise`` (id, 1…2⁶²), ``town`` (division-code prefix, ≤ 12 characters) and ``industry``
    (substring, ≤ 50 characters), over the ORM path ``path`` from the model to its Enterprise.
    The class is named ``Jurisdiction<base>``."""
    attrs = {
        "enterprise": django_filters.NumberFilter(field_name=f"{path}_id", min_value=1, max_value=2**62),
        "town": django_filters.CharFilter(field_name=f"{path}__division_code", lookup_expr="startswith", max_length=12),
        "industry": django_filters.CharFilter(field_name=f"{path}__industry", lookup_expr="icontains", max_length=50),
        "Meta": type("Meta", (base.Meta,), {}),
    }
    return type(f"Jurisdiction{base.__name__}", (base,), attrs)


class StableOrderingFilter(filters.OrderingFilter):
    """``?ordering=`` over the view's ``ordering_fields``, always with ``id`` as the tie-breaker;
    an ordering field that is not offered is a 400 ``invalid_ordering``."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        ordering: list[Any] = list(self.get_ordering(request, queryset, view) or queryset.query.order_by or [])
        if not any(isinstance(o, str) and o.lstrip("-") in ("id", "pk") for o in ordering):
            ordering.append("id")
        return queryset.order_by(*ordering)

    def remove_invalid_fields(self, queryset: QuerySet, fields: Any, view: Any, request: Request) -> list[str]:
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if len(valid) != len([f for f in fields if f]):
            bad = next(f for f in fields if f and f not in valid)
            raise FieldError(f"不支持按“{bad}”排序。", code="invalid_ordering", field=self.ordering_param)
        return valid

