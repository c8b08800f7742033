"""Input validation of workflow endpoints: one call instead of a per-view ``_input``/``_body``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


def validated(serializer_cls: type[serializers.Serializer], data: Any, **context: Any) -> dict[str, Any]:
    """``serializer_cls(data=data, context=context)``'s validated data.

    Raises the serializer's ``ValidationError`` (400, every bad field named) otherwise."""
    s = serializer_cls(data=data, context=context)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)
