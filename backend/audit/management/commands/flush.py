"""``flush`` that keeps working with append-only audit triggers (SQLite's flush uses DELETE)."""

from __future__ import annotations

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from backend.audit import triggers


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or "default"]
        triggers.uninstall(connection)
        try:
            return super().handle(**options)
        finally:
            triggers.install(connection)
