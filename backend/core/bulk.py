"""``bulk_insert``: many rows of one model in a few multi-row INSERTs, for bulk imports.

The same rows Django's ``QuerySet.bulk_create`` writes (every concrete field's ``pre_save`` and
``get_db_prep_save``, so JSON, dates, decimals and foreign keys are stored exactly as the ORM stores
them; primary keys set on the objects from ``RETURNING``, on PostgreSQL and SQLite ≥ 3.35), without the
per-value cost of the query compiler: a plain column is passed through, only fields whose database
value differs from the Python one (JSON, date/time, decimal) are converted. No signals (as
``bulk_create``); ``auto_now``/``auto_now_add`` fields are filled by their ``pre_save``. About 2× faster
than ``bulk_create`` for the 35-column hazard rows of a ledger import (``python -m bench import``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models

#: Field classes whose Python value is the database value on every backend (no conversion needed).
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BigIntegerField,
          models.PositiveIntegerField, models.BooleanField, models.SmallIntegerField, models.PositiveSmallIntegerField)


def _plain(field: models.Field) -> bool:
    return (type(field) in _PLAIN or isinstance(field, models.ForeignKey)) and not getattr(field, "auto_now", False)


def bulk_insert(objs: Sequence[models.Model], *, batch_size: int = 500, using: str = "default") -> None:
    """INSERT ``objs`` (unsaved instances of one model), ``batch_size`` rows per statement, and set their
    primary keys. Call inside the caller's transaction."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[using]
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    plain = [_plain(f) for f in fields]
    attnames = [f.attname for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {quote(str(pk.column))}"
    def values(obj: models.Model) -> list[Any]:
        return [getattr(obj, attname) if is_plain else field.get_db_prep_save(field.pre_save(obj, True), connection)
                for field, is_plain, attname in zip(fields, plain, attnames, strict=True)]

    def done(obj: models.Model, new_pk: Any) -> None:
        setattr(obj, pk.attname, new_pk)
        obj._state.adding = False
        obj._state.db = using

    insert = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            chunk = objs[start:start + batch_size]
            if connection.vendor == "postgresql":
                # one short statement, pipelined by psycopg's executemany: a multi-row statement this long
                # is too long for psycopg's query cache and is re-parsed, in Python, on every execute
                raw = cursor.cursor
                raw.executemany(insert + row_sql + returning, [values(obj) for obj in chunk], returning=True)
                for obj in chunk:
                    row = raw.fetchone()
                    done(obj, row[0])
                    raw.nextset()
                continue
            params = [v for obj in chunk for v in values(obj)]
            cursor.execute(insert + ", ".join([row_sql] * len(chunk)) + returning, params)
            for obj, (new_pk,) in zip(chunk, cursor.fetchall(), strict=True):
                done(obj, new_pk)
