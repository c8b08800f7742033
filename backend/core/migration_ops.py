"""Migration operations shared by the apps.

:class:`AddIndexConcurrently` builds an index without locking writes on PostgreSQL (``CREATE INDEX
CONCURRENTLY``: the table stays writable while a million-row index builds) and is a plain
``AddIndex`` elsewhere (SQLite, the embedded default). A migration using it sets ``atomic = False``
(PostgreSQL refuses CONCURRENTLY inside a transaction). Django's own
``django.contrib.postgres.operations.AddIndexConcurrently`` is PostgreSQL-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently as PostgresAddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexConcurrently(PostgresAddIndexConcurrently):
    """``CREATE INDEX CONCURRENTLY`` on PostgreSQL, ``AddIndex`` on any other database."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
