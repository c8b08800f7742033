"""Database triggers that make audit events append-only (reject UPDATE and DELETE).

PostgreSQL: a plpgsql function raising an exception, fired BEFORE UPDATE OR DELETE per row.
SQLite: BEFORE UPDATE / BEFORE DELETE triggers calling RAISE(ABORT). TRUNCATE (PostgreSQL) is an
operator's act and not blocked, so ``manage.py flush`` still works; on SQLite ``flush`` is wrapped
by this app's own ``flush`` command, which drops and re-creates the triggers around it.
"""

from __future__ import annotations

TABLE = "audit_event"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events are append-only (% rejected)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON {TABLE};
CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
POSTGRES_DROP = f"DROP TRIGGER IF EXISTS audit_event_no_update_delete ON {TABLE};"

SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE rejected)'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only (DELETE rejected)'); END;""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update;", "DROP TRIGGER IF EXISTS audit_event_no_delete;"]


def install(connection) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(POSTGRES_CREATE)
        elif connection.vendor == "sqlite":
            for sql in SQLITE_CREATE:
                cur.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(POSTGRES_DROP)
        elif connection.vendor == "sqlite":
            for sql in SQLITE_DROP:
                cur.execute(sql)
