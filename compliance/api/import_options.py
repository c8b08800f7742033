"""``?dry_run=1`` and the explicit ``mapping`` of the register and ledger import endpoints."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from backend.core.error_codes import CoreErrorCode
from backend.core.errors import FieldError
from compliance.importers.mapping import InvalidMapping, parse_mapping, truthy

#: The preview switch, documented on both import endpoints.
DRY_RUN_PARAM = OpenApiParameter(
    "dry_run", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False,
    description="1/true：只预览（识别到的工作表、表头行、列映射、逐行结果），不写入任何数据。"
                "multipart 字段 mapping 可带显式列映射 JSON：{\"sheet\": …, \"columns\": {字段: 表头}}。",
)


def import_options(request: Any) -> dict[str, Any]:
    """``{"dry_run": bool, "mapping": dict | None}`` from the query (``dry_run``) and the multipart body
    (``mapping``: JSON text, or an uploaded ``.json`` file). 400 ``invalid_choice`` field ``mapping``
    for a malformed mapping."""
    raw = request.data.get("mapping") if hasattr(request.data, "get") else None
    if hasattr(raw, "read"):
        raw = raw.read()
    try:
        mapping = parse_mapping(raw)
    except InvalidMapping as exc:
        raise FieldError(str(exc), code=CoreErrorCode.INVALID_CHOICE, field="mapping") from exc
    return {"dry_run": truthy(request.query_params.get("dry_run")), "mapping": mapping}
