"""``model_update``: the one field-update helper of every service (HackSoft Django-Styleguide's
``model_update``), returning the audit ``changes`` beside the instance.

Replaces the hand-written "for field in data: if getattr(...) != value: setattr(...)" loops of the
services. The changes map is the audit trail's shape (``{field: [old, new]}``, the ``changes`` of
:func:`backend.audit.services.audit_record`), with related objects written as their primary keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def model_update(*, instance: M, data: Mapping[str, Any], fields: Iterable[str] | None = None,
                 save: bool = True) -> tuple[M, dict[str, list[Any]]]:
    """Set the values of ``data`` (restricted to ``fields`` when given) that differ on ``instance``.

    Returns ``(instance, changes)`` with ``changes = {field: [old, new]}`` (model instances as their
    pks) for the fields that changed. When something changed and ``save`` is true, saves only those
    fields (plus ``updated_at`` when the model has an auto-updated one). Nothing changed → no query.
    """
    allowed = None if fields is None else set(fields)
    changes: dict[str, list[Any]] = {}
    for name, new in data.items():
        if allowed is not None and name not in allowed:
            continue
        old = getattr(instance, name)
        if _plain(old) != _plain(new):
            changes[name] = [_plain(old), _plain(new)]
            setattr(instance, name, new)
    if changes and save:
        update_fields = list(changes)
        if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return instance, changes
