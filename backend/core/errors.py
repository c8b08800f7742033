"""Coded errors raised by services and mapped to the API's single error body.

Every error carries an English machine ``code``, a Chinese ``detail`` and, where one input is to
blame, the ``field``. drf-standardized-errors renders them as
``{"type": "...", "errors": [{"code": ..., "detail": ..., "attr": field}]}``.
"""

from __future__ import annotations

from rest_framework import exceptions, status


class DomainError(exceptions.APIException):
    """A rule of the domain refused the request (HTTP 400 unless a subclass says otherwise)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "domain_error"
    default_detail = "请求不符合业务规则。"

    def __init__(self, detail: str | None = None, *, code: str | None = None, field: str | None = None):
        self.field = field
        code = code or self.default_code
        detail = detail or self.default_detail
        if field:
            # A field-level error becomes a validation error naming the field.
            self.status_code = self.status_code
            super().__init__({field: [exceptions.ErrorDetail(detail, code)]}, code)
        else:
            super().__init__(detail, code)
        self.code = code


class FieldError(DomainError):
    """Bad value of one input field (400), e.g. an off-scale LEC value."""

    default_code = "invalid"


class Conflict(DomainError):
    """The request conflicts with the current state (409), e.g. a lost race on a transition."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "状态已变更，请刷新后重试。"


class Forbidden(DomainError):
    """The caller's role or organization may not do this (403)."""

    status_code = status.HTTP_403_FORBIDDEN
    default_code = "permission_denied"
    default_detail = "无权执行此操作。"


class NotFound(DomainError):
    """The object does not exist for this caller (404)."""

    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"
    default_detail = "未找到。"


class PayloadTooLarge(DomainError):
    """An upload exceeds its size cap (413)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "file_too_large"
    default_detail = "文件过大。"
