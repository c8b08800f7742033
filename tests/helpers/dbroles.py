"""The suite runs as the application's database role (issue 12): PostgreSQL with ``DATABASE_APP_ROLE``.

pytest-django creates and migrates the test database as the configured user (the owner; migrate
grants the application role its privileges, backend/audit/roles.py), then every test runs connected
as ``DATABASE_APP_ROLE`` — so a test that passes here passes without UPDATE/DELETE/TRUNCATE on the
audit events. The owner's credentials stay in ``settings_dict["OWNER_USER"/"OWNER_PASSWORD"]`` for
``flush`` (transactional tests) and :func:`owner_cursor`; teardown drops the database as the owner.
"""

from __future__ import annotations

import contextlib
import os

from django.db import connections


def switch_to_app_role() -> tuple[str, str] | None:
    """Reconnect ``default`` as DATABASE_APP_ROLE; returns the owner's (user, password), or None when
    not applicable (SQLite, or no role configured)."""
    role = os.environ.get("DATABASE_APP_ROLE", "")
    conn = connections["default"]
    if conn.vendor != "postgresql" or not role:
        return None
    sd = conn.settings_dict
    owner = (sd.get("USER") or "", sd.get("PASSWORD") or "")
    conn.close()
    sd["OWNER_USER"], sd["OWNER_PASSWORD"] = owner
    sd["USER"], sd["PASSWORD"] = role, os.environ.get("DATABASE_APP_PASSWORD", "")
    return owner


def switch_back(owner: tuple[str, str] | None) -> None:
    if owner is None:
        return
    conn = connections["default"]
    conn.close()
    sd = conn.settings_dict
    sd["USER"], sd["PASSWORD"] = owner
    sd.pop("OWNER_USER", None)
    sd.pop("OWNER_PASSWORD", None)


@contextlib.contextmanager
def owner_cursor():
    """A cursor connected as the owner (an attacker with the owner's or a superuser's rights), on a
    connection of its own; on SQLite, or without role separation, a cursor of the default connection."""
    conn = connections["default"]
    sd = conn.settings_dict
    if conn.vendor != "postgresql" or not sd.get("OWNER_USER"):
        with conn.cursor() as cur:
            yield cur
        return
    import psycopg

    with psycopg.connect(host=sd.get("HOST") or "127.0.0.1", port=sd.get("PORT") or 5432, dbname=sd["NAME"],
                         user=sd["OWNER_USER"], password=sd.get("OWNER_PASSWORD") or None, autocommit=True) as pg:
        with pg.cursor() as cur:
            yield cur


def as_attacker(*statements: str) -> None:
    """Run SQL with the owner's rights and the append-only triggers off — what the application role
    cannot do — on committed data (use in ``transaction=True`` tests on PostgreSQL)."""
    from backend.audit import triggers

    postgres = connections["default"].vendor == "postgresql"
    with owner_cursor() as cur:
        if postgres:
            cur.execute("ALTER TABLE audit_event DISABLE TRIGGER USER")
        else:
            for sql in triggers.SQLITE_DROP:
                cur.execute(sql)
        try:
            for sql in statements:
                cur.execute(sql)
        finally:
            if postgres:
                cur.execute("ALTER TABLE audit_event ENABLE TRIGGER USER")
            else:
                for sql in triggers.SQLITE_CREATE:
                    cur.execute(sql)
