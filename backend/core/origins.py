"""Whether a configured base URL is a public https origin (stdlib only: the settings module imports it)."""

from __future__ import annotations

from urllib.parse import urlsplit

#: Host names no one outside this machine can reach.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


def public_https_origin_problem(url: str | None) -> str | None:
    """``None`` when ``url`` is an ``https://host[:port]`` origin of a public host (an optional trailing
    ``/``, no path, query or fragment); else what is wrong with it, in words (for the error message).

    >>> public_https_origin_problem("https://sf.example.gov.cn") is None
    True
    >>> public_https_origin_problem("http://localhost:8000")
    'not https'
    """
    if not url:
        return "missing"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError on a bad port
    except ValueError:
        return "not a URL"
    if parts.scheme != "https":
        return "not https"
    if not parts.hostname or parts.hostname in LOCAL_HOSTS:
        return "not a public host"
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return "not an origin (no path, query, fragment or user)"
    return None
