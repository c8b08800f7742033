"""The API's exception handler: drf-standardized-errors' body, plus rule errors mapped by
:func:`backend.core.errors.from_rule` (set as ``DRF_STANDARDIZED_ERRORS["EXCEPTION_HANDLER_CLASS"]``)."""

from __future__ import annotations

from drf_standardized_errors.handler import ExceptionHandler as _StandardExceptionHandler
from rest_framework import exceptions

from backend.core.errors import from_rule
from backend.core.rules import RuleError


class ExceptionHandler(_StandardExceptionHandler):
    """A :class:`~backend.core.rules.RuleError` that escapes a view answers its coded 4xx (never a 500)."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, RuleError):
            return from_rule(exc)
        # Django's request limits (body > DATA_UPLOAD_MAX_MEMORY_SIZE: 413; too many fields/files: 400)
        # and RecursionError answer their coded 4xx, never a 500 (BREAKIT D8; backend/core/parsers.py).
        from backend.core.parsers import request_error

        mapped = request_error(exc)
        if mapped is not None:
            return mapped
        return super().convert_known_exceptions(exc)

    def format_exception(self, exc: exceptions.APIException) -> dict:
        """The standard body, plus ``details`` when the error carries public facts
        (:attr:`backend.core.errors.DomainError.public_details`, e.g. the rule set of a permit refusal)."""
        data = super().format_exception(exc)
        details = getattr(exc, "public_details", None)
        if details:
            data["details"] = details
        return data
