"""Pagination of every list endpoint (``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``)."""

from __future__ import annotations

from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    """Page-number pagination; ``page_size`` may be asked for, capped at 200 (default 50)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
