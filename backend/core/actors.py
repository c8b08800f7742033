"""Who is acting: one :class:`Actor` (user, membership, organization, role) for every service.

Replaces the per-app lookups of "the caller's membership". A user belongs to exactly one
organization (an enterprise or a regulator, ``Membership``); an :class:`Actor` is built once per
request (:func:`actor_of`) and passed to services as ``actor=``. Celery sweeps and system imports
act as :data:`SYSTEM`.

Authorization helpers raise the API's errors directly: a foreign enterprise or jurisdiction is a
404 (:class:`~backend.core.errors.NotFound`, the object "does not exist" for this caller), a role
that may not act is a 403 ``role_not_allowed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backend.core.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from backend.accounts.models import Enterprise, Membership, Regulator, User


@dataclass(frozen=True)
class Actor:
    """The caller of a service.

    ``user``/``membership`` are None for anonymous callers and for :data:`SYSTEM`; ``role`` is the
    membership's role value (``"admin"``, ``"safety_officer"``, ``"principal"``, ``"employee"``,
    ``"inspector"``).
    """

    user: User | None
    membership: Membership | None
    enterprise_id: int | None
    regulator_id: int | None
    role: str | None
    is_system: bool = False

    @property
    def enterprise(self) -> Enterprise | None:
        """The actor's enterprise (from the membership; cached by Django after the first access)."""
        return self.membership.enterprise if self.membership is not None and self.enterprise_id else None

    @property
    def regulator(self) -> Regulator | None:
        """The actor's regulator (from the membership)."""
        return self.membership.regulator if self.membership is not None and self.regulator_id else None

    @property
    def is_enterprise(self) -> bool:
        return self.enterprise_id is not None

    @property
    def is_regulator(self) -> bool:
        return self.regulator_id is not None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def jurisdiction(self) -> str | None:
        """The regulator's division-code prefix, or None for a non-regulator."""
        reg = self.regulator
        return reg.jurisdiction if reg is not None else None

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None


#: The platform itself (Celery sweeps, imports run by an operator's command): no user, no role.
SYSTEM = Actor(user=None, membership=None, enterprise_id=None, regulator_id=None, role=None, is_system=True)
_ANONYMOUS = Actor(user=None, membership=None, enterprise_id=None, regulator_id=None, role=None)


def actor_of(user_or_request: Any) -> Actor:
    """The :class:`Actor` of a user, a request (its ``.user``) or an Actor (returned as is).

    An anonymous or unattached user (no membership) gives an Actor whose organization and role
    are None (``user`` kept when authenticated). Never raises.
    """
    if isinstance(user_or_request, Actor):
        return user_or_request
    user = user_or_request
    if user is not None and not hasattr(user, "is_authenticated") and hasattr(user, "user"):
        user = user.user  # a request
    if user is None or not getattr(user, "is_authenticated", False):
        return _ANONYMOUS
    from backend.accounts.models import Membership

    try:
        m = user.membership
    except (Membership.DoesNotExist, AttributeError):
        m = None
    if m is None:
        return Actor(user=user, membership=None, enterprise_id=None, regulator_id=None, role=None)
    return Actor(user=user, membership=m, enterprise_id=m.enterprise_id, regulator_id=m.regulator_id, role=m.role)


def role_label(role: str | None) -> str:
    """The Chinese name of a role value (``"employee"`` → 职工); the raw value when unknown."""
    from backend.accounts.models import Role

    if role is None:
        return "无角色"
    try:
        return str(Role(role).label)
    except ValueError:
        return str(role)


def require_role(actor: Actor, roles: Iterable[str]) -> None:
    """403 ``role_not_allowed`` unless the actor's role is in ``roles``."""
    allowed = frozenset(roles)
    if actor.role not in allowed:
        raise Forbidden(f"角色「{role_label(actor.role)}」无权执行此操作。", code="role_not_allowed")


def require_user(actor: Actor) -> User:
    """The person acting (a record's ``requested_by``/``recorded_by``); 403 ``permission_denied`` for
    the system or an anonymous caller, who cannot sign a record."""
    if actor.user is None:
        raise Forbidden("此操作须由登录用户执行。", code="permission_denied")
    return actor.user


def require_enterprise_member(actor: Actor, enterprise_id: int | None, roles: Iterable[str] | None = None, *,
                              not_found: str = "未找到。") -> None:
    """The actor is a member of ``enterprise_id`` (and, if given, holds one of ``roles``).

    Raises:
        NotFound (404 ``not_found``, detail ``not_found``): not a member of that enterprise —
            the object does not exist for this caller.
        Forbidden (403 ``role_not_allowed``): a member whose role is not in ``roles``.
    """
    if actor.enterprise_id is None or enterprise_id is None or actor.enterprise_id != enterprise_id:
        raise NotFound(not_found, code="not_found")
    if roles is not None:
        require_role(actor, roles)


def require_enterprise(actor: Actor) -> Enterprise:
    """The actor's enterprise; 403 ``enterprise_only`` for anyone else."""
    ent = actor.enterprise
    if ent is None:
        raise Forbidden("仅企业用户可执行此操作。", code="enterprise_only")
    return ent


def require_regulator(actor: Actor, roles: Iterable[str] | None = None) -> Regulator:
    """The actor's regulator; 403 ``regulator_only`` for anyone else, ``role_not_allowed`` for a
    role not in ``roles``."""
    reg = actor.regulator
    if reg is None:
        raise Forbidden("仅监管部门用户可执行此操作。", code="regulator_only")
    if roles is not None:
        require_role(actor, roles)
    return reg


def covers(actor: Actor, division_code: str | None) -> bool:
    """True when the actor is a regulator whose jurisdiction prefixes ``division_code``."""
    prefix = actor.jurisdiction
    return prefix is not None and (division_code or "").startswith(prefix)


def require_regulator_over(actor: Actor, enterprise: Any, *, not_found: str = "未找到。") -> None:
    """The actor is a regulator whose jurisdiction covers ``enterprise``.

    ``enterprise``: anything with a ``division_code`` (an Enterprise, a whistleblower report) or the
    code itself. Raises NotFound (404 ``not_found``) otherwise — outside the jurisdiction the object
    does not exist for this caller.
    """
    code = enterprise if isinstance(enterprise, str) or enterprise is None else getattr(enterprise, "division_code", None)
    if not covers(actor, code):
        raise NotFound(not_found, code="not_found")
