"""Base error of the pure permit rules (GB 30871-2022; DOMAIN.md §4).

Every rule error carries a stable English machine ``code`` (what clients and tests compare), a
Chinese ``message`` for people, the ``field`` to blame (or None), an HTTP ``status`` hint (400;
409 for conflicts and states) and ``details`` (a plain dict of JSON-friendly values). These are the
kernel's :class:`backend.core.rules.RuleError`; the services map them with the one mapper,
:func:`backend.core.errors.from_rule`. This package imports nothing from Django so it can be
tested and reused without a database.
"""

from __future__ import annotations

from backend.core.rules import RuleError as KernelRuleError
from special_ops.error_codes import PermitErrorCode as E


class RuleError(KernelRuleError):
    """A permit rule refused the input (the kernel's :class:`backend.core.rules.RuleError`:
    ``code``, Chinese ``message``, ``field``, JSON-friendly ``details``)."""

    default_message = "不符合特殊作业规则。"


class InvalidInput(RuleError, ValueError):
    """An input has the wrong shape or an impossible value (negative height, missing fact …).

    Codes: ``invalid_input`` by default; callers pass a more precise code where useful.
    """

    default_code = E.INVALID_INPUT
    default_message = "输入数据不完整或不合法。"


class NaiveDatetime(InvalidInput):
    """A datetime without tzinfo reached the rules. Code ``naive_datetime``.

    The rules decide night, day type and freshness in Asia/Shanghai; a naive value is ambiguous.
    """

    default_code = E.NAIVE_DATETIME
    default_message = "时间必须带时区（如 +08:00）。"


class InvalidWindow(InvalidInput):
    """A planned window whose end is not after its start. Code ``invalid_window``.

    DOMAIN.md §4: windows are half-open [start, end), so end ≤ start is an empty window.
    """

    default_code = E.INVALID_WINDOW
    default_message = "作业结束时间必须晚于开始时间。"
    default_field = "planned_end"
