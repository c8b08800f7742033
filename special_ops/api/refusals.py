"""Every permit refusal names the rule set that applied (issue 14 §11): the enterprise's rule set
(:func:`backend.accounts.rules.rule_set_of` — GB 30871-2022 for 危化/化工/医药, the 工贸 rule set for
工贸 enterprises) is appended to the Chinese message (``……（适用规则：危险化学品/化工/医药规则（GB 30871-2022））``)
and given in the body as ``details.rule_set`` = ``{kind, label, name, permits, confined_space}``.

Applies to the 400 and 409 answers of the permit endpoints that a rule or service gives (coded domain
errors, and rule errors escaping a view); not to 401/403/404 (who may ask) nor to a request body that
does not parse (serializer validation), nor to a wrong state (``invalid_transition``, the state machine's).
"""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.exceptions import ErrorDetail

from backend.core.errors import DomainError, from_rule
from backend.core.rules import RuleError

#: Codes whose answer is about the permit's state, not the rule set.
STATE_CODES = frozenset({"invalid_transition"})


def rule_set_details(rule_set: Any) -> dict[str, Any]:
    """``{kind, label, name, permits, confined_space}`` of a :class:`backend.accounts.rules.RuleSet`."""
    return {"kind": rule_set.kind, "label": rule_set.label, "name": rule_set.name, "permits": rule_set.permits,
            "confined_space": rule_set.confined_space}


def _with_suffix(detail: Any, suffix: str) -> Any:
    if isinstance(detail, dict):
        return {key: _with_suffix(value, suffix) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_with_suffix(value, suffix) for value in detail]
    if isinstance(detail, ErrorDetail) and suffix not in detail:
        return ErrorDetail(f"{detail}{suffix}", detail.code)
    return detail


def name_rule_set(exc: Exception, rule_set: Any) -> Exception:
    """``exc`` (a rule error mapped first) with the rule set in its message and ``details``, when it is
    a 400/409 refusal (see the module docstring); anything else unchanged."""
    if isinstance(exc, RuleError):
        exc = from_rule(exc)
    if (not isinstance(exc, DomainError) or rule_set is None
            or exc.status_code not in (status.HTTP_400_BAD_REQUEST, status.HTTP_409_CONFLICT)
            or exc.code in STATE_CODES):
        return exc
    exc.detail = _with_suffix(exc.detail, f"（适用规则：{rule_set.name}）")
    exc.public_details = {**exc.public_details, "rule_set": rule_set_details(rule_set)}
    return exc


class NamesRuleSet:
    """View mixin: refusals of this view name the caller's enterprise's rule set (:func:`name_rule_set`)."""

    def handle_exception(self, exc: Exception):
        actor = getattr(self, "actor", None)
        enterprise = getattr(actor, "enterprise", None) if actor is not None else None
        exc = name_rule_set(exc, getattr(enterprise, "rule_set", None))
        return super().handle_exception(exc)  # type: ignore[misc]
