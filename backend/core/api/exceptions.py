"""The API's exception handler: drf-standardized-errors' body, plus rule errors mapped by
:func:`backend.core.errors.from_rule` (set as ``DRF_STANDARDIZED_ERRORS["EXCEPTION_HANDLER_CLASS"]``)."""

from __future__ import annotations

from drf_standardized_errors.handler import ExceptionHandler as _StandardExceptionHandler

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
