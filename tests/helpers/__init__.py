"""Helpers the tests import (never import from a conftest)."""
