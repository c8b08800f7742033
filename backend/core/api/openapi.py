"""drf-spectacular helpers: upload/download fields, the import-report body, the error responses of
every operation (:class:`AutoSchema`) and the error-code table in the API description.

Schema-only: nothing here changes a response.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, extend_schema_serializer
from drf_standardized_errors.handler import exception_handler as standardized_errors_handler
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
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


# --- the error responses of every operation ----------------------------------------------------
class ErrorItemSerializer(serializers.Serializer):
    """One error of a response body (drf-standardized-errors)."""

    code = serializers.CharField(help_text="错误码（英文，见 API 说明中的错误码表）")
    detail = serializers.CharField(help_text="说明（中文）")
    attr = serializers.CharField(allow_null=True, help_text="出错的字段（无则为 null）")


@extend_schema_serializer(component_name="ErrorResponse")
class ErrorResponseSerializer(serializers.Serializer):
    """The body of every 4xx/5xx answer: ``{"type": …, "errors": [{"code", "detail", "attr"}]}``, and
    ``details`` (an object) where the refusal names more, e.g. a permit refusal's rule set."""

    type = serializers.ChoiceField(choices=["validation_error", "client_error", "server_error"])
    errors = ErrorItemSerializer(many=True)  # type: ignore[assignment]  # a declared field
    details = serializers.DictField(required=False, help_text="规则拒绝时的附加信息（可无），如作业票的适用规则："
                                                              "{rule_set: {kind, label, name, permits, confined_space}}")


#: Status codes documented on operations (``DRF_STANDARDIZED_ERRORS["ALLOWED_ERROR_STATUS_CODES"]``).
ERROR_STATUS_CODES = ("400", "401", "403", "404", "405", "406", "409", "413", "415", "429", "500")
_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors' schema class, documenting the platform's error answers once, for every
    operation, with one body (:class:`ErrorResponseSerializer`, every code of the error-code table):

    - 400 where a body is parsed or validated, and on every operation with query parameters (filters,
      ``page``/``page_size``, ``format``: a bad value is 400 with the parameter named);
    - 401/403 unless the operation is open to anyone (``AllowAny``); 403 also behind ``IsAuthenticated``
      alone, since roles are checked in the views and services, and on the unsafe methods of an open view
      that checks CSRF itself (``csrf_checked = True``);
    - 404 on paths with an id, on paginated lists (a page past the end); 405/406/415/500 as the library;
    - 409 on every writing method (state-machine conflicts, concurrent edits);
    - 413 on every method with a body (request and upload limits);
    - 429 where the view has a throttle.
    """

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code in responses or self.view.get_exception_handler() is not standardized_errors_handler:
            return False
        if status_code == "400" and any(p["in"] == "query" for p in self._get_parameters()):
            return True
        if status_code == "403":
            if getattr(self.view, "csrf_checked", False) and self.method in _UNSAFE:
                return True  # a CSRF-checked open view (the console's session login): 403 without the token
            return self._should_add_http401_error_response() or super()._should_add_http403_error_response()
        if status_code == "409":
            return self.method in _UNSAFE
        if status_code == "413":
            return self.method in ("POST", "PUT", "PATCH")
        return super()._should_add_error_response(responses, status_code)

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> Any:
        """As drf-spectacular, and a read-only field documents the values it really answers: ``""`` for a
        choice field on a ``blank=True`` model field (DRF drops ``allow_blank`` from read-only fields), and
        ``null`` for a field whose ``default`` is ``None`` (``source="risk_point.code"`` of an empty link)."""
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not getattr(field, "read_only", False) or not isinstance(schema, dict):
            return schema
        nullable = field.default is None and not field.allow_null
        if "enum" in schema:
            if _model_field_blank(field) and "" not in schema["enum"]:
                schema["enum"] = [*schema["enum"], ""]
            if nullable and None not in schema["enum"]:
                schema["enum"] = [*schema["enum"], None]
        elif nullable:
            schema["nullable"] = True
        return schema


def _model_field_blank(field: Any) -> bool:
    """Whether ``field`` (of a ModelSerializer) reads a ``blank=True`` model field."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in (field.source or ""):
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except Exception:  # noqa: BLE001 — not a model field (a property, an annotation): nothing to widen
        return False
