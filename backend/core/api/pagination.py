"""Pagination of every list endpoint (``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``).

Built for a province's tables (issue 18): the count is exact up to :data:`COUNT_CAP` rows and the
planner's estimate above it (PostgreSQL; ``count_exact: false`` then), so no page counts a million
rows; a deep page of a queryset with joins or annotations fetches its ids first and then only its
rows, so the rows skipped by the offset are read from the index alone (no subquery or join
evaluated for them); a page past the end is a coded 404, answered from the page's (empty) id
fetch before any count is computed.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError

#: Up to this many matching rows the count is exact; above it, the planner's estimate (PostgreSQL).
COUNT_CAP = 10_000


def planner_estimate(queryset: QuerySet) -> int | None:
    """The row estimate of ``queryset`` from PostgreSQL's planner (``EXPLAIN``, no execution), or
    None on a database without one (SQLite)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """``(count, exact)``: the exact number of rows of ``queryset`` when at most ``cap`` (one
    ``COUNT`` over at most ``cap + 1`` ids), else the planner's estimate (never below ``cap + 1``)
    with ``exact`` False. Without a planner estimate (SQLite) the count is always exact."""
    capped = queryset.order_by().values("pk")[: cap + 1].count()
    if capped <= cap:
        return capped, True
    estimate = planner_estimate(queryset)
    if estimate is None:
        return queryset.order_by().count(), True
    return max(estimate, cap + 1), False


class Pagination(pagination.PageNumberPagination):
    """Page-number pagination; ``page_size`` may be asked for, capped at 200 (default 50).

    Answer: ``{count, count_exact, next, previous, results}``. ``count`` is exact (``count_exact:
    true``) up to 10,000 matching rows; above that it is PostgreSQL's planner estimate
    (``count_exact: false``) and ``next`` is null exactly on the last page. ``?page=last`` needs an
    exact count (else 400 ``invalid`` naming ``page``).

    ``page_size`` must be a positive integer: ``?page_size=false`` or ``0`` is 400 ``invalid`` naming
    ``page_size`` (DRF silently used the default). Above 200 it is capped, as documented. A page
    that is not a positive integer, or past the last one, is 404 ``not_found``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    display_page_controls = False

    def get_page_size(self, request: Any) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) > 0):
            raise FieldError("page_size 须为正整数。", code=CoreErrorCode.INVALID, field=self.page_size_query_param)
        return super().get_page_size(request)

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list | None:
        if not isinstance(queryset, QuerySet):
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        size = self.get_page_size(request)
        if not size:
            return None
        raw = request.query_params.get(self.page_query_param, "1")
        counted = False
        if raw in self.last_page_strings:
            self.count, self.count_exact = capped_count(queryset)
            counted = True
            if not self.count_exact:
                raise FieldError("结果数为估计值，不能直接跳到最后一页；请反向排序后取第 1 页。",
                                 code=CoreErrorCode.INVALID, field=self.page_query_param)
            number = max(1, math.ceil(self.count / size))
        elif raw.isascii() and raw.isdigit() and 0 < int(raw) <= 10**9:
            number = int(raw)
        else:
            raise NotFound("页码无效。")
        rows = self._page_rows(queryset, number, size)
        if not rows and number > 1:  # past the end: answered before any count is computed
            raise NotFound("页码超出范围。")
        if not counted:
            self.count, self.count_exact = capped_count(queryset)
        self.number, self.has_next = number, len(rows) > size
        return rows[:size]

    @staticmethod
    def _page_rows(queryset: QuerySet, number: int, size: int) -> list:
        """The rows of page ``number`` plus one more (or its id) when there is a next page."""
        offset = (number - 1) * size
        query = queryset.query
        if offset == 0 or query.distinct or not (query.annotations or query.select_related):
            rows = list(queryset[offset: offset + size + 1])
        else:  # deferred join: the skipped rows are read as ids only, then the page's rows (joins, subqueries) by id
            ids = list(queryset.values_list("pk", flat=True)[offset: offset + size + 1])
            by_id = {row.pk: row for row in queryset.order_by().filter(pk__in=ids[:size])}
            rows = [by_id[i] for i in ids[:size] if i in by_id] + ids[size:]
        return rows

    def get_next_link(self) -> str | None:
        if not hasattr(self, "number"):
            return super().get_next_link()
        if not self.has_next or self.request is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self) -> str | None:
        if not hasattr(self, "number"):
            return super().get_previous_link()
        if self.number == 1 or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data: Any) -> Response:
        if not hasattr(self, "number"):
            return super().get_paginated_response(data)
        return Response({"count": self.count, "count_exact": self.count_exact, "next": self.get_next_link(),
                         "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count"]["description"] = (
            "匹配的条数：不超过 10000 时为精确值；超过时为数据库估计值（见 count_exact）。")
        out["properties"]["count_exact"] = {
            "type": "boolean", "example": True,
            "description": "count 是否为精确值（false：超过 10000 条，count 为 PostgreSQL 估计值；最后一页的 next 为 null）。"}
        out["required"] = ["count", "count_exact", "results"]
        return out
