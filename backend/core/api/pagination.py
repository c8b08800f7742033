"""Pagination of every list endpoint (``REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]``)."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination

from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError


class Pagination(pagination.PageNumberPagination):
    """Page-number pagination; ``page_size`` may be asked for, capped at 200 (default 50).

    ``page_size`` must be a positive integer: ``?page_size=false`` or ``0`` is 400 ``invalid`` naming
    ``page_size`` (DRF silently used the default). Above 200 it is capped, as documented."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Any) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) > 0):
            raise FieldError("page_size 须为正整数。", code=CoreErrorCode.INVALID, field=self.page_size_query_param)
        return super().get_page_size(request)
