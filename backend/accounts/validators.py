"""Validation of organization identifiers: USCC (GB 32100-2015) and division codes (GB/T 2260)."""

from __future__ import annotations

import re
import unicodedata

from stdnum import exceptions as stdnum_exc
from stdnum.cn import uscc as stdnum_uscc

from backend.accounts.names import name_problem
from backend.core.errors import FieldError

DIVISION_RE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")


def clean_uscc(value: str, *, field: str = "uscc") -> str:
    """Compact, upper-case, checksum-valid 18-char USCC, or FieldError.

    Codes: ``required``, ``invalid_checksum`` (统一社会信用代码校验位错误), ``invalid_format``.
    Source: GB 32100-2015 via python-stdnum ``cn.uscc``.
    """
    raw = unicodedata.normalize("NFKC", value or "").strip().upper()
    if not raw:
        raise FieldError("统一社会信用代码为必填项。", code="required", field=field)
    try:
        return stdnum_uscc.validate(raw)
    except stdnum_exc.InvalidChecksum:
        raise FieldError("统一社会信用代码校验位错误。", code="invalid_checksum", field=field)
    except stdnum_exc.ValidationError:
        raise FieldError("统一社会信用代码格式错误（应为18位）。", code="invalid_format", field=field)


def clean_division_code(value: str, *, field: str = "division_code") -> str:
    """A known 6/9/12-digit division code, or FieldError (``required``, ``invalid_format``, ``unknown_division``)."""
    from backend.accounts.models import Division

    code = unicodedata.normalize("NFKC", value or "").strip()
    if not code:
        raise FieldError("行政区划代码为必填项。", code="required", field=field)
    if not DIVISION_RE.match(code):
        raise FieldError("行政区划代码应为6、9或12位数字。", code="invalid_format", field=field)
    known = code if len(code) <= 9 else code[:9]
    if not Division.objects.filter(code=known).exists():
        raise FieldError(f"未知的行政区划代码：{code}。", code="unknown_division", field=field)
    return code


def clean_name(value: str, *, field: str, lookalike_check: bool = False) -> str:
    """``value`` stripped and NFC-normalised, or FieldError (400, ``field`` named) with a code of
    :func:`backend.accounts.names.name_problem` (BREAKIT D20)."""
    text = unicodedata.normalize("NFC", value or "").strip()
    problem = name_problem(text, lookalike_check=lookalike_check)
    if problem:
        raise FieldError(problem[1], code=problem[0], field=field)
    return text
