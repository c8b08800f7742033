"""drf-spectacular helpers: upload/download fields, the import-report body, and the error-code
table in the API description.

Schema-only: nothing here changes a response.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from backend.core import error_codes
from backend.core.importing import COUNT_KEYS, Outcome


@extend_schema_field(OpenApiTypes.BINARY)
class BinaryFileField(serializers.FileField):
    """A ``FileField`` documented as ``string/binary`` (an upload part), not as a URL."""


def binary_response(media_type: str, description: str) -> OpenApiResponse:
    """A file download: the body is the raw bytes of ``media_type``."""
    return OpenApiResponse(response=OpenApiTypes.BINARY, description=f"{description}（{media_type}）")


# --- the import report (backend.core.importing.ImportReport.as_dict()) ----------------------------
class ImportIssueSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="错误码（英文）")
    message = serializers.CharField(help_text="说明（中文）")
    field = serializers.CharField(allow_null=True, help_text="出错的列/字段")


class ImportRowSerializer(serializers.Serializer):
    """One input row's outcome (documentation only; ``backend.core.importing.RowResult``)."""

    outcome = serializers.ChoiceField(choices=Outcome.choices())
    ref = serializers.CharField(help_text="行的位置（工作表与 Excel 行号，或 CSV 行号）")
    sheet = serializers.CharField(help_text="工作表名（CSV 为空）")
    row = serializers.IntegerField(allow_null=True, help_text="Excel 行号或 CSV 行号（表头算第 1 行）")
    summary = serializers.CharField(help_text="该行是什么（企业名称、风险点与事件）")
    object_id = serializers.IntegerField(allow_null=True, help_text="新增或更新的对象 id")
    changed = serializers.ListField(child=serializers.CharField(), help_text="更新时改变的字段")
    errors = ImportIssueSerializer(many=True, help_text="拒绝的原因")  # type: ignore[assignment]  # a declared field
    flags = ImportIssueSerializer(many=True, help_text="已导入但需复核的原因")


@extend_schema_serializer(component_name="ImportCounts")
class ImportCountsSerializer(serializers.Serializer):
    """Rows per outcome, rows flagged for review, all rows."""

    locals().update({key: serializers.IntegerField() for key in COUNT_KEYS})


@extend_schema_serializer(component_name="ImportReport")
class ImportReportSerializer(serializers.Serializer):
    """The per-row report of every import (enterprise list, risk register, hazard ledger)."""

    source = serializers.CharField(help_text="上传文件名")  # type: ignore[assignment]  # a declared field
    counts = ImportCountsSerializer()
    rows = ImportRowSerializer(many=True)
    errors = ImportIssueSerializer(many=True, help_text="整个文件的问题")  # type: ignore[assignment]  # a declared field


# --- error codes -------------------------------------------------------------------------------
def discover_error_codes() -> None:
    """Import every installed app's ``error_codes`` module, so each registers its enums."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("error_codes")


def error_codes_description() -> str:
    """The Markdown section listing every registered error code (code, HTTP status, meaning)."""
    discover_error_codes()
    return (
        "## 错误码\n\n每个错误响应体为 `{\"type\": …, \"errors\": [{\"code\", \"detail\", \"attr\"}]}`；"
        "`code` 为下表中的英文码（客户端据此判断，勿解析 `detail` 文本），`attr` 为出错的字段。\n\n"
        + error_codes.code_table_markdown()
    )


def postprocess_error_codes(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: append the error-code table to ``info.description``."""
    info = result.setdefault("info", {})
    info["description"] = (info.get("description", "").rstrip() + "\n\n" + error_codes_description()).lstrip()
    return result
