"""Moved to :mod:`backend.core.api.openapi` (re-exported here until the importers switch)."""

from backend.core.api.openapi import BinaryFileField, binary_response

__all__ = ["BinaryFileField", "binary_response"]
