"""The registry of the API's machine-readable error codes (documented in the OpenAPI description).

Each app declares its codes once, as an enum in ``<app>/error_codes.py``, and registers it::

    @register_codes
    class HazardErrorCode(ErrorCodeEnum):
        FIVE_COMMITMENTS_INCOMPLETE = "five_commitments_incomplete", "重大隐患“五落实”未完成", 400
        REGULATOR_SIGNOFF_REQUIRED = "regulator_signoff_required", "挂牌督办隐患需监管部门销号", 409

and raises with the member (``code=HazardErrorCode.FIVE_COMMITMENTS_INCOMPLETE``; a ``StrEnum``
member *is* its string value, so bodies and comparisons are unchanged). A member is declared as
``NAME = code, meaning[, http_status]`` (status 400 when omitted). A plain ``StrEnum`` may be
registered too: ``register_codes(MyCodes, status=409, meanings={...})``.

:func:`code_table` gives every registered code with its HTTP status(es) and meaning; the OpenAPI
description renders it (:func:`code_table_markdown`). Pure: no Django.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from backend.core.rules import LabelledStrEnum


class ErrorCodeEnum(LabelledStrEnum):
    """Error codes as ``NAME = "code", "中文含义"[, http_status]``; ``.label`` is the meaning,
    ``.status`` the HTTP status (400 by default)."""

    status: int

    def _init_extra(self, *extra: Any) -> None:
        if len(extra) > 1:
            raise TypeError(f"{type(self).__name__}: NAME = code, meaning[, status]")
        self.status = int(extra[0]) if extra else 400

    @property
    def meaning(self) -> str:
        return self.label


@dataclass(frozen=True)
class CodeEntry:
    """One registered code: ``code`` (English), ``status`` (HTTP), ``meaning`` (Chinese), and the
    enum that declared it (``source``, ``"compliance.error_codes.HazardErrorCode"``)."""

    code: str
    status: int
    meaning: str
    source: str


_REGISTRY: dict[str, list[CodeEntry]] = {}
_ENUMS: dict[str, type[enum.Enum]] = {}

E = TypeVar("E", bound=type[enum.Enum])


def register_codes(enum_cls: E | None = None, *, status: int = 400,
                   meanings: Mapping[str, str] | None = None,
                   statuses: Mapping[str, int] | None = None) -> Any:
    """Register an error-code enum (usable as ``@register_codes`` or ``register_codes(Cls, …)``).

    For an :class:`ErrorCodeEnum` the members carry meaning and status; for a plain ``StrEnum``,
    ``meanings``/``statuses`` (keyed by code value) fill them, ``status`` is the default.
    Registering the same enum twice is a no-op. Returns the enum.
    """

    def _register(cls: E) -> E:
        source = f"{cls.__module__}.{cls.__qualname__}"
        if source in _ENUMS:
            return cls
        _ENUMS[source] = cls
        for member in cls:
            value = str(member.value)
            member_status = getattr(member, "status", None)
            entry = CodeEntry(
                code=value,
                status=int((statuses or {}).get(value, member_status if isinstance(member_status, int) else status)),
                meaning=str((meanings or {}).get(value) or getattr(member, "label", "") or ""),
                source=source,
            )
            _REGISTRY.setdefault(value, []).append(entry)
        return cls

    if enum_cls is None:
        return _register
    return _register(enum_cls)


def registered_enums() -> dict[str, type[enum.Enum]]:
    """``{"module.Class": enum}`` of every registered enum."""
    return dict(_ENUMS)


def is_registered(code: str) -> bool:
    return str(code) in _REGISTRY


def code_table() -> list[dict[str, Any]]:
    """One row per code, sorted: ``{"code", "statuses": [int], "meaning", "sources": [str]}``.

    A code registered by several enums keeps every distinct status and the first non-empty
    meaning (``"；"``-joined when they differ)."""
    rows = []
    for code in sorted(_REGISTRY):
        entries = _REGISTRY[code]
        meanings: list[str] = []
        for e in entries:
            if e.meaning and e.meaning not in meanings:
                meanings.append(e.meaning)
        rows.append({
            "code": code,
            "statuses": sorted({e.status for e in entries}),
            "meaning": "；".join(meanings),
            "sources": [e.source for e in entries],
        })
    return rows


def code_table_markdown() -> str:
    """The table as Markdown (``| code | HTTP | 含义 |``), for the OpenAPI description."""
    lines = ["| code | HTTP | 含义 |", "|---|---|---|"]
    for row in code_table():
        meaning = row["meaning"].replace("|", "\\|")
        lines.append(f"| `{row['code']}` | {'/'.join(str(s) for s in row['statuses'])} | {meaning} |")
    return "\n".join(lines)


@register_codes
class CoreErrorCode(ErrorCodeEnum):
    """Codes raised by the platform kernel (``backend.core``): errors, permissions, filters, states."""

    DOMAIN_ERROR = "domain_error", "请求不符合业务规则", 400
    INVALID = "invalid", "输入值不合法（字段见 attr）", 400
    RULE_ERROR = "rule_error", "不符合业务规则", 400
    CONFLICT = "conflict", "状态已变更，请刷新后重试", 409
    PERMISSION_DENIED = "permission_denied", "无权执行此操作", 403
    NOT_FOUND = "not_found", "对象不存在或不属于调用方的组织", 404
    FILE_TOO_LARGE = "file_too_large", "上传文件过大", 413
    INVALID_TRANSITION = "invalid_transition", "当前状态不允许此操作（含并发下状态已变）", 409
    ROLE_NOT_ALLOWED = "role_not_allowed", "当前角色无权执行此操作", 403
    INVALID_CHOICE = "invalid_choice", "取值不在可选范围内", 400
    NAIVE_DATETIME = "naive_datetime", "时间必须带时区", 400
    UNKNOWN_FILTER = "unknown_filter", "未知的筛选参数", 400
    INVALID_ORDERING = "invalid_ordering", "不支持的排序字段", 400
    ENTERPRISE_ONLY = "enterprise_only", "仅企业用户可执行此操作", 403
    ENTERPRISE_NOT_APPROVED = "enterprise_not_approved", "企业尚未通过审核", 403
    READ_ONLY = "read_only", "监管部门用户对企业数据只读", 403
    REGULATOR_ONLY = "regulator_only", "仅监管部门用户可执行此操作", 403
    # Request parsing (backend.core.parsers) and uploads (backend.core.uploads).
    PARSE_ERROR = "parse_error", "请求体无法解析（JSON 无效、非 UTF-8、空）", 400
    TOO_MANY_FIELDS = "too_many_fields", "表单字段过多", 400
    TOO_MANY_FILES = "too_many_files", "上传文件过多", 400
    TOO_DEEPLY_NESTED = "too_deeply_nested", "请求数据嵌套层级过深", 400
    BAD_REQUEST = "bad_request", "请求格式不被接受", 400
    INVALID_UNICODE = "invalid_unicode", "请求包含无效的 Unicode 字符", 400
    REQUEST_TOO_LARGE = "request_too_large", "请求体超过 DATA_UPLOAD_MAX_MEMORY_SIZE", 413
    INVALID_UTC_OFFSET = "invalid_utc_offset", "时间的 UTC 偏移超出 ±15:59", 400
    IMAGE_TOO_LARGE = "image_too_large", "图片像素过多或文件过大", 413
    INVALID_IMAGE = "invalid_image", "图片已损坏或无法读取", 400
    FILE_MISSING = "file_missing", "文件不存在", 404


@register_codes
class DrfErrorCode(ErrorCodeEnum):
    """Codes Django REST framework itself answers with (authentication, throttling, field validation)."""

    NOT_AUTHENTICATED = "not_authenticated", "未登录（缺少令牌）", 401
    AUTHENTICATION_FAILED = "authentication_failed", "令牌无效或已过期", 401
    THROTTLED = "throttled", "请求过于频繁，请稍后再试", 429
    METHOD_NOT_ALLOWED = "method_not_allowed", "不支持的请求方法", 405
    NOT_ACCEPTABLE = "not_acceptable", "无法提供所请求的响应格式", 406
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", "不支持的请求体格式", 415
    REQUIRED = "required", "必填项缺失", 400
    NULL = "null", "该字段不能为空值", 400
    BLANK = "blank", "该字段不能为空", 400
    MAX_LENGTH = "max_length", "超过最大长度", 400
    MIN_LENGTH = "min_length", "短于最小长度", 400
    MAX_VALUE = "max_value", "超过最大值", 400
    MIN_VALUE = "min_value", "小于最小值", 400
    MAX_DIGITS = "max_digits", "数字位数过多", 400
    MAX_DECIMAL_PLACES = "max_decimal_places", "小数位数过多", 400
    DOES_NOT_EXIST = "does_not_exist", "引用的对象不存在", 400
    INCORRECT_TYPE = "incorrect_type", "类型错误", 400
    NOT_A_LIST = "not_a_list", "应为列表", 400
    EMPTY = "empty", "不能为空列表/空文件", 400
    UNIQUE = "unique", "已存在", 400
