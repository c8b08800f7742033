"""``flush`` that keeps working with append-only audit triggers and the application role.

SQLite's flush uses DELETE, so the triggers are dropped and re-created around it. On PostgreSQL a
flush (TRUNCATE) is the owner's act: the application role may not truncate ``audit_event``; when the
owner's credentials are known (``backend.audit.roles.as_owner``) the flush runs as the owner.
"""

from __future__ import annotations

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from backend.audit import triggers
from backend.audit.roles import as_owner


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or "default"]
        with as_owner(connection):
            triggers.uninstall(connection)
            try:
                return super().handle(**options)
            finally:
                triggers.install(connection)
