"""Inputs of the regulator's supervision steps (挂牌督办, 督办销号) on a jurisdiction hazard."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="NoteIn")
class SuperviseIn(serializers.Serializer):
    # {note}: the supervision note (≤ 100 characters, optional). No docstring: it would become the
    # component's OpenAPI description, and the component (NoteIn) is kept as it was.
    note = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


@extend_schema_serializer(component_name="CommentIn")
class SignoffIn(serializers.Serializer):
    # {comment}: the regulator's sign-off comment (≤ 500 characters, optional); component CommentIn.
    comment = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
