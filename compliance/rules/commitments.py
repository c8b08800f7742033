"""五落实 (the five commitments) of a major hazard: measures, responsible person, funds, deadline,
contingency plan — all required before it may enter rectifying (DOMAIN.md §3; 安全生产法 2021 §41).
Pure: no Django, no database."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple


class Commitment(NamedTuple):
    """One of the five commitments: the field name we store it under and its Chinese label."""

    field: str
    label: str


#: 五落实 of a major hazard, required before it may enter rectifying (DOMAIN.md §3).
FIVE_COMMITMENTS: tuple[Commitment, ...] = (
    Commitment("measures", "治理措施"),
    Commitment("responsible_person", "责任人"),
    Commitment("funds_yuan", "治理资金（元）"),
    Commitment("deadline", "治理时限"),
    Commitment("contingency_plan", "应急预案及防范措施"),
)


def _positive_amount(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    try:
        amount = (
            Decimal(unicodedata.normalize("NFKC", value).strip())
            if isinstance(value, str)
            else Decimal(str(value))
        )
    except (InvalidOperation, TypeError, ValueError):
        return False
    return amount.is_finite() and amount > 0


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(unicodedata.normalize("NFKC", value).strip())
    if isinstance(value, (list, tuple, set, dict)):
        return bool(value)
    return True


def missing_commitments(values: Mapping[str, Any]) -> list[str]:
    """Field names of ``FIVE_COMMITMENTS`` not given in ``values``, in table order.

    Absent, None, blank strings and empty collections are missing; ``funds_yuan`` must also
    be a positive amount (0 yuan means the funds are not committed). Source: DOMAIN.md §3."""
    missing = []
    for commitment in FIVE_COMMITMENTS:
        value = values.get(commitment.field)
        ok = _positive_amount(value) if commitment.field == "funds_yuan" else _present(value)
        if not ok:
            missing.append(commitment.field)
    return missing
