"""Coded errors raised by services and mapped to the API's single error body.

Every error carries an English machine ``code``, a Chinese ``detail`` and, where one input is to
blame, the ``field``. drf-standardized-errors renders them as
``{"type": "...", "errors": [{"code": ..., "detail": ..., "attr": field}]}``.

Pure rules raise :class:`backend.core.rules.RuleError`; :func:`from_rule` is the one mapper onto
these API errors (services: ``except RuleError as e: raise from_rule(e) from e``), and
:class:`backend.core.api.exceptions.ExceptionHandler` applies it to a ``RuleError`` that escapes a view, so a rule error is
never a 500.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status

from backend.core.rules import RuleError


class DomainError(exceptions.APIException):
    """A rule of the domain refused the request (HTTP 400 unless a subclass says otherwise)."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_code = "domain_error"
    default_detail = "请求不符合业务规则。"

    def __init__(self, detail: str | None = None, *, code: str | None = None, field: str | None = None):
        self.field = field
        #: Facts of the rule error this was mapped from (:func:`from_rule`); not rendered.
        self.details: dict[str, Any] = {}
        #: Facts rendered as the body's ``details`` object (JSON-ready), e.g. the permit rule set that
        #: refused the request: ``{"rule_set": {kind, label, name, permits, confined_space}}``.
        self.public_details: dict[str, Any] = {}
        code = code or self.default_code
        detail = detail or self.default_detail
        if field:
            # A field-level error becomes a validation error naming the field.
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


#: HTTP status of a rule error → the API error class that answers with it.
_BY_STATUS: dict[int, type[DomainError]] = {
    status.HTTP_400_BAD_REQUEST: FieldError,
    status.HTTP_403_FORBIDDEN: Forbidden,
    status.HTTP_404_NOT_FOUND: NotFound,
    status.HTTP_409_CONFLICT: Conflict,
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: PayloadTooLarge,
}


def from_rule(exc: RuleError, *, field: str | None = None) -> DomainError:
    """The API error for a pure rule error — the one rule→API mapper.

    Status from ``exc.status`` (400/403/404/409/413; anything else answers 400), ``code`` =
    ``exc.code``, ``detail`` = ``exc.message``, the blamed input = ``field`` or ``exc.field``
    (a 400 without a field is a plain domain error). ``exc.details`` rides along as ``.details``
    for callers (not rendered). Usage: ``except RuleError as e: raise from_rule(e) from e``.
    """
    cls = _BY_STATUS.get(exc.status, FieldError)
    blamed = field or exc.field
    if cls is FieldError and not blamed:
        cls = DomainError
    err = cls(exc.message, code=exc.code, field=blamed)
    err.details = dict(exc.details)
    return err

