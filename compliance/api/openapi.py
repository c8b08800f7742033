"""Schema-only helpers for drf-spectacular (no runtime effect)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.BINARY)
class BinaryFileField(serializers.FileField):
    """A ``FileField`` documented as ``string/binary`` (an upload part), not as a URL."""


def binary_response(media_type: str, description: str) -> OpenApiResponse:
    """A file download: the body is the raw bytes of ``media_type``."""
    return OpenApiResponse(response=OpenApiTypes.BINARY, description=f"{description}（{media_type}）")
