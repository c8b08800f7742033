"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from rest_framework import serializers


class ChoiceLabelField(serializers.CharField):
    """The Chinese label of a model choice field, read-only: ``ChoiceLabelField(Hazard, "state")``
    gives what ``get_state_display()`` gives (the stored value itself when it is not a choice), from
    a dict built once — DRF calling ``get_<field>_display`` inspects the method's signature on every
    row, a sixth of a list page's serialization (issue 18). OpenAPI: a read-only string."""

    def __init__(self, model: type[models.Model], field: str, **kwargs: Any) -> None:
        choices = cast(models.Field, model._meta.get_field(field)).flatchoices
        self._labels = {value: str(label) for value, label in choices}
        super().__init__(source=field, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return self._labels.get(value, str(value))
