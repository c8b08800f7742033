"""A list serializer without DRF's per-row field machinery (issue 18, list pages).

DRF's ``Serializer.to_representation`` walks a generator of fields for every row and resolves
every field's ``source`` through ``rest_framework.fields.get_attribute`` (a loop, a callable check,
exception handling) and, for a foreign key, builds a ``PKOnlyObject``. On a 50-row page of a
55-field model that is 2,750 such resolutions, about 40 % of the request. :class:`PlannedListSerializer`
builds a *field plan* once per page — for every readable field of the child serializer, the getter
and the converter — and applies it to each row:

- a field whose source is one concrete, non-relational model field: ``operator.attrgetter`` of it,
  then the field's own ``to_representation`` (so formats — decimals, dates — are DRF's; an ISO 8601
  datetime is converted to the field's time zone, looked up once per page, and rendered as DRF does);
- a primary-key related field (DRF's pk-only optimisation) of a foreign key: the ``<fk>_id`` value
  as is (DRF answers exactly that pk, or null);
- every other field (method fields, dotted sources, annotations, nested serializers): DRF's own
  ``get_attribute`` / ``to_representation``.

The answer is the same list of dicts DRF gives (same keys, same order, same values; a field that
raises ``SkipField`` is left out the same way). Use it with ``Meta.list_serializer_class``.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable
from typing import Any, cast

from django.db import models
from rest_framework import ISO_8601, relations, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

Getter = Callable[[Any], Any]
Plan = list[tuple[str | None, Getter, Callable[[Any], Any], bool]]


def _identity(value: Any) -> Any:
    return value


def _datetime_converter(field: serializers.DateTimeField) -> Callable[[Any], Any]:
    """DRF's ``DateTimeField.to_representation`` for the ISO 8601 output, with the field's time
    zone looked up once per page instead of per value (naive values: DRF's own path)."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    tz = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if type(field) is not serializers.DateTimeField or output_format != ISO_8601 or tz is None:
        return field.to_representation

    def convert(value: Any) -> Any:
        if not isinstance(value, datetime.datetime) or value.tzinfo is None or value.utcoffset() is None:
            return field.to_representation(value)
        text = value.astimezone(tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return convert


def field_plan(child: serializers.Serializer) -> Plan:
    """``[(key, getter, converter, generic)]`` for the readable fields of ``child``, in order.
    ``generic`` rows use DRF's ``get_attribute`` (``getter``) with its None/PKOnlyObject handling."""
    model = getattr(getattr(child, "Meta", None), "model", None)
    concrete: dict[str, models.Field] = {}
    if model is not None:
        concrete = {f.name: f for f in model._meta.concrete_fields}
    plan: Plan = []
    for field in child._readable_fields:
        attrs = field.source_attrs
        model_field = concrete.get(attrs[0]) if len(attrs) == 1 else None
        if model_field is not None and not model_field.is_relation and not isinstance(
                field, (serializers.SerializerMethodField, serializers.BaseSerializer, relations.RelatedField)):
            convert = (_datetime_converter(field) if isinstance(field, serializers.DateTimeField)
                       else field.to_representation)
            plan.append((field.field_name, operator.attrgetter(model_field.attname), convert, False))
        elif (model_field is not None and model_field.many_to_one and type(field) is relations.PrimaryKeyRelatedField
              and field.use_pk_only_optimization() and field.pk_field is None):
            plan.append((field.field_name, operator.attrgetter(model_field.attname), _identity, False))
        else:
            plan.append((field.field_name, field.get_attribute, field.to_representation, True))
    return plan


class PlannedListSerializer(serializers.ListSerializer):
    """``ListSerializer`` whose rows are rendered by a field plan built once per call (see module)."""

    def to_representation(self, data: Any) -> list[dict[str | None, Any]]:
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        plan = field_plan(cast(serializers.Serializer, self.child))
        out = []
        for instance in rows:
            row: dict[str | None, Any] = {}
            for key, get, convert, generic in plan:
                if generic:
                    try:
                        attribute = get(instance)
                    except SkipField:
                        continue
                    probe = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                    row[key] = None if probe is None else convert(attribute)
                else:
                    value = get(instance)
                    row[key] = None if value is None else convert(value)
            out.append(row)
        return out
