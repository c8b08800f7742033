"""One state-machine shape for every entity: a transition table with roles, one ``check()``.

Each entity (hazard, permit, inspection, whistleblower report, report job, extension, enterprise
review) declares ``MACHINE = StateMachine("hazard", {"confirm": Transition({...}, "confirmed",
roles={...}), …})`` in its rules module and calls ``MACHINE.check(action, state, role)`` in its
service. Views derive their ``action_roles`` from the same table
(:func:`backend.core.api.permissions.roles_from`), so each decision has one role table.

A wrong state is always :class:`InvalidTransition` — code ``invalid_transition``, HTTP 409 — also
when a race is lost (the row, once locked, is no longer in a source state). Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from backend.core.rules import RuleError


@dataclass(frozen=True)
class Transition:
    """One row of a transition table.

    ``sources``: the states the action may be taken from; ``target``: the state it leads to;
    ``roles``: the roles allowed to act (None: any role — the service checks something else, e.g.
    the signer named on a permit). Iterables are frozen on construction.
    """

    sources: frozenset[str]
    target: str
    roles: frozenset[str] | None = None

    def __init__(self, sources: Iterable[str], target: str, roles: Iterable[str] | None = None) -> None:
        object.__setattr__(self, "sources", frozenset(sources))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "roles", None if roles is None else frozenset(roles))


class InvalidTransition(RuleError):
    """The action does not apply to the object's current state (409 ``invalid_transition``).

    ``details``: ``{"action": …, "state": …}``."""

    default_code = "invalid_transition"
    default_message = "当前状态不允许此操作，请刷新后重试。"
    default_field = "state"
    status = 409


class RoleNotAllowed(RuleError):
    """The caller's role may not take the action (403 ``role_not_allowed``).

    ``details``: ``{"action": …, "role": …}``."""

    default_code = "role_not_allowed"
    default_message = "当前角色无权执行此操作。"
    default_field = "role"
    status = 403


class UnknownAction(RuleError):
    """An action that is not in the table (400 ``invalid_choice``, field ``action``)."""

    default_code = "invalid_choice"
    default_message = "未知的操作。"
    default_field = "action"


@dataclass(frozen=True)
class StateMachine:
    """A named transition table ``{action: Transition}`` with optional Chinese labels.

    ``labels`` maps state values to Chinese names and ``action_labels`` action names to Chinese
    verbs; both are only used in messages (a missing label shows the raw value).
    """

    name: str
    transitions: Mapping[str, Transition]
    labels: Mapping[str, str] = field(default_factory=dict)
    action_labels: Mapping[str, str] = field(default_factory=dict)

    def __init__(self, name: str, transitions: Mapping[str, Transition], *, labels: Mapping[str, str] | None = None,
                 action_labels: Mapping[str, str] | None = None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "transitions", dict(transitions))
        object.__setattr__(self, "labels", dict(labels or {}))
        object.__setattr__(self, "action_labels", dict(action_labels or {}))

    def __hash__(self) -> int:
        return hash(self.name)

    def transition(self, action: str) -> Transition:
        """The row of ``action``. Raises :class:`UnknownAction`."""
        try:
            return self.transitions[action]
        except KeyError:
            raise UnknownAction(f"未知的操作“{action}”。", action=str(action)) from None

    def check(self, action: str, state: str, role: str | None = None) -> str:
        """The state ``action`` leads to from ``state`` when taken by ``role``.

        ``role`` None skips the role check (a system actor, or a step the service authorizes
        otherwise). The role is checked first, like the API's permission layer.

        Raises:
            UnknownAction: ``action`` is not in the table (400 ``invalid_choice``).
            RoleNotAllowed: ``role`` is not among the action's roles (403 ``role_not_allowed``).
            InvalidTransition: ``state`` is not a source of the action (409 ``invalid_transition``).
        """
        t = self.transition(action)
        if role is not None and t.roles is not None and role not in t.roles:
            raise RoleNotAllowed(f"当前角色无权执行“{self.action_label(action)}”。", action=str(action), role=str(role))
        if state not in t.sources:
            raise InvalidTransition(
                f"“{self.label(state)}”状态不能执行“{self.action_label(action)}”。", action=str(action), state=str(state)
            )
        return t.target

    def can(self, action: str, state: str, role: str | None = None) -> bool:
        """True when :meth:`check` would pass (an unknown action is False)."""
        try:
            self.check(action, state, role)
        except RuleError:
            return False
        return True

    def roles_for(self, action: str) -> frozenset[str] | None:
        """The roles allowed to take ``action`` (None: any role). Raises :class:`UnknownAction`."""
        return self.transition(action).roles

    def actions_from(self, state: str) -> list[str]:
        """Actions that may be taken from ``state``, in table order."""
        return [a for a, t in self.transitions.items() if state in t.sources]

    def sources_of(self, action: str) -> frozenset[str]:
        """The source states of ``action`` (what a guarded UPDATE filters on)."""
        return self.transition(action).sources

    def states(self) -> frozenset[str]:
        """Every state the table mentions."""
        out: set[str] = set()
        for t in self.transitions.values():
            out |= t.sources
            out.add(t.target)
        return frozenset(out)

    def label(self, state: str) -> str:
        return self.labels.get(state, getattr(state, "label", None) or str(state))

    def action_label(self, action: str) -> str:
        return self.action_labels.get(action, str(action))

    def as_table(self) -> list[dict[str, Any]]:
        """The table as data (docs, tests): ``[{"action", "sources", "target", "roles"}]``, sorted."""
        return [
            {"action": a, "sources": sorted(t.sources), "target": t.target,
             "roles": None if t.roles is None else sorted(t.roles)}
            for a, t in self.transitions.items()
        ]
