"""Rate limits that keep working when the shared cache (Redis) is down.

Every throttle of the API derives from :class:`FailSafeRateThrottle` (or uses :data:`fail_safe_cache`):
its counters live in the default cache, and when that cache raises (Redis stopped, connection
refused, timeout) they move to a process-local in-memory cache for ``FALLBACK_SECONDS`` and the
request goes on, so login, registration and anonymous intake answer 200/4xx/429, never a 500
(BREAKIT D7). The local counters are per process: during an outage the limit is per worker
process, still a limit.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

#: After a cache error, the local cache is used for this long before the shared one is tried again.
FALLBACK_SECONDS = 10.0


class FailSafeCache:
    """The ``get``/``set``/``delete``/``clear`` subset of the Django cache API that throttles use,
    over the default cache with a process-local fallback (see the module docstring)."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self.local = LocMemCache("shuangfang-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 20_000}})
        self._down_until = 0.0

    def _shared(self):
        return caches[self.alias]

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self._down_until:
            try:
                return getattr(self._shared(), name)(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 — any backend error: fall back, never fail the request
                self._down_until = time.monotonic() + FALLBACK_SECONDS
                logger.warning("throttle cache %r unavailable (%s: %s); using the local fallback for %.0f s",
                               self.alias, type(exc).__name__, exc, FALLBACK_SECONDS)
        return getattr(self.local, name)(*args, **kwargs)

    def get(self, key: str, default: Any = None) -> Any:
        return self._call("get", key, default)

    def set(self, key: str, value: Any, timeout: Any = None) -> None:
        self._call("set", key, value, timeout)

    def delete(self, key: str) -> Any:
        return self._call("delete", key)

    def clear(self) -> None:
        """Clear the local counters and (when reachable) the shared ones; tests start from zero."""
        self.local.clear()
        self._down_until = 0.0
        self._call("clear")
        self.local.clear()


fail_safe_cache = FailSafeCache()


def hashed(value: str) -> str:
    """SHA-256 hex of ``value`` keyed with SECRET_KEY: no username or client address is stored in clear."""
    return hashlib.sha256((settings.SECRET_KEY + "\x00" + value).encode("utf-8", "surrogatepass")).hexdigest()


class FailSafeRateThrottle(SimpleRateThrottle):
    """A SimpleRateThrottle over :data:`fail_safe_cache`, keyed per client address by default.

    Subclasses set ``scope`` (rate from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``) and may override
    :meth:`ident` to key on something else. Works on DRF requests and on plain Django requests (the
    admin login), since it reads only ``META`` and the submitted form/JSON data."""

    cache = fail_safe_cache  # type: ignore[assignment]  # duck-typed BaseCache (get/set/add)

    def ident(self, request: Any) -> str | None:
        return self.get_ident(request)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        ident = self.ident(request)
        if ident is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": hashed(ident)}


class AddressRateThrottle(FailSafeRateThrottle):
    """Per client address (``NUM_PROXIES`` decides whether X-Forwarded-For is trusted)."""


def submitted(request: Any, name: str) -> str:
    """The submitted value of form/JSON field ``name`` as a string ('' when absent or unreadable)."""
    data = getattr(request, "data", None)
    if data is None:
        data = getattr(request, "POST", {})
    value = data.get(name, "") if hasattr(data, "get") else ""
    return value if isinstance(value, str) else str(value)


class PublicLookupThrottle(AddressRateThrottle):
    """Anonymous look-ups (report verification, a whistleblower report's status by its code): scope
    ``public_lookup`` (``PUBLIC_LOOKUP_RATE``, default 30/minute) per client address (BREAKIT D19)."""

    scope = "public_lookup"
