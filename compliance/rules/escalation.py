"""The escalation ladder of overdue rectifications (DOMAIN.md §5 "Escalation ladder" [config]).

Pure table + functions, no database. Defaults:

====================  =========================  ================================================
step                  due at                      notifies
====================  =========================  ================================================
``reminder``          deadline − 1 day            the responsible person (else the safety officers)
``overdue``           deadline                    department head and safety department
                                                  (the enterprise's safety officers and admins)
``principal``         deadline + 3 days           the enterprise principal(s)
``regulator``         deadline + 7 days;          the regulator(s) covering the enterprise
                      a major hazard at once
====================  =========================  ================================================

``deadline`` is the hazard's ``deadline_at`` (end of the deadline day, Asia/Shanghai). A
deployment overrides offsets with the Django setting ``ESCALATION_LADDER``, a mapping from step
code to an offset in hours (negative = before the deadline), e.g. ``{"principal": 48}``; a step
mapped to ``None`` is switched off. Unknown step codes raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

REMINDER = "reminder"
OVERDUE = "overdue"
PRINCIPAL = "principal"
REGULATOR = "regulator"

#: Audiences a step notifies (resolved to people by the service).
AUDIENCE_RESPONSIBLE = "responsible"
AUDIENCE_MANAGERS = "managers"
AUDIENCE_PRINCIPALS = "principals"
AUDIENCE_REGULATOR = "regulator"


@dataclass(frozen=True)
class LadderStep:
    """One rung: ``code`` (English, stored), ``label`` (Chinese), ``offset`` from ``deadline_at``
    (negative = before), ``audience`` and whether a major hazard reaches it at once."""

    code: str
    label: str
    offset: timedelta
    audience: str
    major_immediate: bool = False

    def due_at(self, deadline_at: datetime | None) -> datetime | None:
        """When the step falls due by the deadline (``deadline_at + offset``); None without a deadline."""
        return None if deadline_at is None else deadline_at + self.offset


DEFAULT_LADDER: tuple[LadderStep, ...] = (
    LadderStep(REMINDER, "整改期限前一天提醒", timedelta(days=-1), AUDIENCE_RESPONSIBLE),
    LadderStep(OVERDUE, "隐患整改逾期", timedelta(0), AUDIENCE_MANAGERS),
    LadderStep(PRINCIPAL, "隐患逾期3天，通报主要负责人", timedelta(days=3), AUDIENCE_PRINCIPALS),
    LadderStep(REGULATOR, "隐患逾期7天，报告监管部门", timedelta(days=7), AUDIENCE_REGULATOR, major_immediate=True),
)
STEP_CODES: tuple[str, ...] = tuple(s.code for s in DEFAULT_LADDER)


def build_ladder(override: Mapping[str, Any] | None = None,
                 base: Iterable[LadderStep] = DEFAULT_LADDER) -> tuple[LadderStep, ...]:
    """The ladder with ``override`` applied: ``{code: hours | None}``; order stays the base order.

    Raises ``ValueError`` for an unknown step code or a non-numeric offset."""
    steps = list(base)
    if not override:
        return tuple(steps)
    known = {s.code for s in steps}
    unknown = sorted(set(override) - known)
    if unknown:
        raise ValueError(f"ESCALATION_LADDER: unknown step(s) {unknown}; known: {sorted(known)}")
    out: list[LadderStep] = []
    for s in steps:
        if s.code not in override:
            out.append(s)
            continue
        hours = override[s.code]
        if hours is None:
            continue
        if isinstance(hours, bool) or not isinstance(hours, int | float):
            raise ValueError(f"ESCALATION_LADDER[{s.code!r}] must be a number of hours or None, got {hours!r}")
        out.append(replace(s, offset=timedelta(hours=hours)))
    return tuple(out)


def is_due(step: LadderStep, deadline_at: datetime | None, now: datetime, *, major: bool = False) -> bool:
    """Whether ``step`` is due at ``now`` for a hazard with ``deadline_at`` (aware) and grade."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if major and step.major_immediate:
        return True
    return deadline_at is not None and deadline_at + step.offset <= now


def due_steps(deadline_at: datetime | None, now: datetime, *, major: bool = False,
              done: Iterable[str] = (), ladder: Iterable[LadderStep] = DEFAULT_LADDER) -> list[LadderStep]:
    """Steps due at ``now`` and not in ``done``, in ladder order (an 8-days-overdue hazard swept for
    the first time gets every step at once, reminder first)."""
    finished = set(done)
    return [s for s in ladder if s.code not in finished and is_due(s, deadline_at, now, major=major)]


def cutoff(step: LadderStep, now: datetime) -> datetime:
    """The latest ``deadline_at`` for which ``step`` is due at ``now`` (``deadline_at <= cutoff``)."""
    return now - step.offset
