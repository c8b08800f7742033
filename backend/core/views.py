"""Fallback views of the API."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse


def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any unmatched URL under /api/: the API's coded 404 body (never an HTML page)."""
    detail = "未找到。" if request.path.endswith("/") else "未找到（API 地址以 / 结尾）。"
    return JsonResponse({"type": "client_error", "errors": [{"code": "not_found", "detail": detail, "attr": None}]},
                        status=404, json_dumps_params={"ensure_ascii": False})
