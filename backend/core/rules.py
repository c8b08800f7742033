"""The vocabulary of pure domain rules: one error class and one labelled-enum base for every app.

Pure Python, no Django import, so rule modules (``compliance/rules``, ``special_ops/rules``,
``inspections`` draws and checklists) stay importable and testable without a database. The API
layer maps any :class:`RuleError` with :func:`backend.core.errors.from_rule` (and the DRF exception
handler does so for one that escapes a view), so a rule never has to know about HTTP beyond its
``status`` hint.
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar


class RuleError(Exception):
    """A domain rule refused the input.

    Attributes:
        code: stable English machine code (``snake_case``) that clients and tests compare;
            ``default_code`` unless the raiser passes ``code=``.
        message: Chinese explanation for people; ``default_message`` unless given.
        field: the input to blame (``"level_declared"``, ``"state"``), or None.
        details: extra JSON-friendly facts (levels, minutes, the failing items …).

    ``status`` is the HTTP status the API answers with: 400 (bad input), 403 (role), 409 (state),
    413 (size). Raise it message-first: ``RuleError("……", code="x", field="y", limit=3)``.
    """

    default_code: ClassVar[str] = "rule_error"
    default_message: ClassVar[str] = "不符合业务规则。"
    default_field: ClassVar[str | None] = None
    status: ClassVar[int] = 400

    def __init__(self, message: str | None = None, *, code: str | None = None, field: str | None = None,
                 **details: Any) -> None:
        self.code: str = code or self.default_code
        self.message: str = message or self.default_message
        self.field: str | None = field if field is not None else self.default_field
        self.details: dict[str, Any] = details
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, field={self.field!r}, message={self.message!r})"

    def as_dict(self) -> dict[str, Any]:
        """``{"code", "message", "field", "details"}`` — the shape rows of an import report carry."""
        return {"code": self.code, "message": self.message, "field": self.field, "details": self.details}


class LabelledStrEnum(enum.StrEnum):
    """A ``StrEnum`` whose members are declared as ``NAME = value, label, *extra``.

    ``label`` is the Chinese name shown to people; ``extra`` is stored by each subclass's
    ``_init_extra`` (which must accept exactly the extras its members declare). ``choices()``
    gives ``[(value, label), ...]`` for model fields, filters and serializers.

    >>> class Colour(LabelledStrEnum):
    ...     RED = "red", "红"
    >>> Colour.RED == "red", Colour.RED.label, Colour.choices()
    (True, '红', [('red', '红')])
    """

    _label: str

    # ``*args`` rather than ``label, *extra``: type checkers read ``__new__`` as the signature of a
    # by-value lookup too, and ``PermitType("hot_work")`` passes the value alone.
    def __new__(cls, value: str, *args: Any) -> LabelledStrEnum:
        if not args:
            raise TypeError(f"{cls.__name__}: declare members as NAME = value, label, *extra")
        label, *extra = args
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = str(label)
        member._init_extra(*extra)
        return member

    @property
    def label(self) -> str:
        """The Chinese name shown to people."""
        return self._label

    def _init_extra(self, *extra: Any) -> None:
        if extra:
            raise TypeError(f"{type(self).__name__} takes no extra attributes")

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``[(value, label), …]`` in declaration order."""
        return [(m.value, m.label) for m in cls]

    @classmethod
    def labels(cls) -> dict[str, str]:
        """``{value: label}`` for every member."""
        return {m.value: m.label for m in cls}
