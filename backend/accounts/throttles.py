"""Login and registration limits, shared by the API login and the admin login (BREAKIT D1, D2, D7).

Two limits apply to every login attempt, counted before the password is checked:

- per identity (scope ``login``, ``LOGIN_RATE``, default 10/minute): keyed on
  :func:`~backend.accounts.names.login_identity`, the normalised username, so ``" officer"``,
  ``"officer "`` and ``"ＯＦＦＩＣＥＲ"`` share the limit of ``officer``;
- per client address (scope ``login_ip``, ``LOGIN_IP_RATE``, default 30/minute), whatever the usernames.

Counters live in the cache through :mod:`backend.core.throttling` (a local fallback when Redis is down).
"""

from __future__ import annotations

from typing import Any

from backend.accounts.names import login_identity
from backend.core.throttling import AddressRateThrottle, FailSafeRateThrottle, submitted


class LoginIdentityThrottle(FailSafeRateThrottle):
    """Per normalised username (the field ``username`` of a JSON or form body)."""

    scope = "login"

    def ident(self, request: Any) -> str | None:
        return "user:" + login_identity(submitted(request, "username"))


class LoginAddressThrottle(AddressRateThrottle):
    """Per client address, over all usernames."""

    scope = "login_ip"


LOGIN_THROTTLES = (LoginIdentityThrottle, LoginAddressThrottle)


def login_refused(request: Any) -> float | None:
    """Count one login attempt against every login limit; None when allowed, else the seconds to wait."""
    waits = [t.wait() or 1.0 for t in (cls() for cls in LOGIN_THROTTLES) if not t.allow_request(request, None)]
    return max(waits) if waits else None


class RegisterThrottle(AddressRateThrottle):
    """Self-registration: 30 per hour per client address."""

    scope = "register"
    rate = "30/hour"
