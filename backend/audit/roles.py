"""PostgreSQL roles: the application cannot get around the audit trail (issue 12, BREAKIT D6).

Two roles (README "Database roles"):

- the **owner** (``shuangfang_owner``; the superuser ``postgres`` on a development machine) owns the
  schema and runs ``manage.py migrate`` (and ``flush``). It is never the application's connection.
- the **application** role (``DATABASE_APP_ROLE``, e.g. ``shuangfang_app``): LOGIN, NOSUPERUSER,
  NOCREATEDB, NOCREATEROLE, owns nothing. After every ``migrate`` (post_migrate, :func:`grant_app_role`)
  it holds SELECT/INSERT/UPDATE/DELETE on the tables and USAGE on the sequences, except:
  ``audit_event`` SELECT and INSERT only, ``audit_auditchain`` SELECT, INSERT and UPDATE (the head).

So, connected as the application: ``DELETE``/``UPDATE``/``TRUNCATE`` on ``audit_event`` are refused
(permission denied, before the trigger), ``ALTER TABLE … DISABLE TRIGGER`` is refused (not the owner)
and ``SET session_replication_role`` is refused (not a superuser). The web processes and the workers
connect with ``DATABASE_URL`` naming the application role; migrations run with the owner's URL.

Create the roles once, as a superuser::

    CREATE ROLE shuangfang_owner LOGIN PASSWORD '…';
    CREATE ROLE shuangfang_app LOGIN PASSWORD '…' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    CREATE DATABASE shuangfang OWNER shuangfang_owner;
    -- then: DATABASE_URL=postgres://shuangfang_owner:…@host/shuangfang DATABASE_APP_ROLE=shuangfang_app manage.py migrate
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

#: Tables the application may not change freely: table → the only privileges it keeps.
RESTRICTED = {
    "audit_event": ("SELECT", "INSERT"),
    "audit_auditchain": ("SELECT", "INSERT", "UPDATE"),
}


def app_role() -> str:
    return getattr(settings, "DATABASE_APP_ROLE", "") or ""


def grant_statements(role: str) -> list[str]:
    """The GRANT/REVOKE statements that give ``role`` exactly the application's privileges."""
    r = '"' + role.replace('"', '""') + '"'
    out = [
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {r}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {r}",
        # tables and sequences the owner creates later (the next migrations) get the same by default
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {r}",
    ]
    for table, keep in RESTRICTED.items():
        out.append(f"REVOKE ALL ON {table} FROM {r}")
        out.append(f"GRANT {', '.join(keep)} ON {table} TO {r}")
    return out


def grant_app_role(connection: Any, role: str | None = None) -> bool:
    """Apply :func:`grant_statements` on ``connection`` (PostgreSQL, as the owner). False when there is
    nothing to do (another database, no ``DATABASE_APP_ROLE``, or the connection *is* that role)."""
    role = role if role is not None else app_role()
    if connection.vendor != "postgresql" or not role:
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT current_user, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s)", [role])
        current, exists = cur.fetchone()
        if current == role:
            return False
        if not exists:
            raise RuntimeError(f"DATABASE_APP_ROLE={role!r} does not exist: create it first (backend/audit/roles.py)")
        for sql in grant_statements(role):
            cur.execute(sql)
    return True


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    if grant_app_role(connections[using]):
        logger.info("granted the application role %s its privileges", app_role())


@contextlib.contextmanager
def as_owner(connection: Any) -> Iterator[None]:
    """Run the block on ``connection`` as the owner role, when the connection is the application's
    and the owner's credentials are known (``settings_dict["OWNER_USER"]``/``["OWNER_PASSWORD"]``, set
    where both are configured: the test suite). Otherwise the block runs as the connection is.
    Used by ``flush``, which only the owner may do."""
    sd = connection.settings_dict
    owner = sd.get("OWNER_USER")
    if not owner or owner == sd.get("USER") or connection.in_atomic_block:
        yield
        return
    app = (sd.get("USER"), sd.get("PASSWORD"))
    connection.close()
    sd["USER"], sd["PASSWORD"] = owner, sd.get("OWNER_PASSWORD", "")
    try:
        yield
    finally:
        connection.close()
        sd["USER"], sd["PASSWORD"] = app
