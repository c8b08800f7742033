"""The console's typed client is generated from the committed frontend/openapi.json: it must be the live
schema, so an API change without ``npm run gen`` (frontend/README.md) fails here, and ``npm run build``
(vue-tsc over the regenerated schema.d.ts) catches the console code it breaks."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management import call_command

#: The bounds Django gives an integer field from the database backend (SQLite 64-bit, PostgreSQL 32-bit
#: for a PositiveIntegerField): the schema generated on either is the same API.
_BACKEND_BOUNDS = {2**31 - 1, 2**63 - 1, -(2**31), -(2**63)}


def backend_neutral(node: Any) -> Any:
    """The schema without the integer bounds (and int64 format) that only the database backend decides."""
    if isinstance(node, dict):
        out = {k: backend_neutral(v) for k, v in node.items()
               if not (k in ("maximum", "minimum") and v in _BACKEND_BOUNDS)}
        dropped = any(k in node and k not in out for k in ("maximum", "minimum"))
        if dropped and out.get("format") == "int64":
            out.pop("format")
        return out
    if isinstance(node, list):
        return [backend_neutral(v) for v in node]
    return node


def test_committed_openapi_json_is_the_live_schema(tmp_path):
    live = tmp_path / "openapi.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(live))
    committed = json.loads((settings.BASE_DIR / "frontend" / "openapi.json").read_text(encoding="utf-8"))
    assert backend_neutral(committed) == backend_neutral(json.loads(live.read_text(encoding="utf-8"))), (
        "frontend/openapi.json is not the live schema: run `cd frontend && npm run gen` and commit "
        "openapi.json and src/api/schema.d.ts")


def test_the_generated_client_is_from_that_schema():
    schema = (settings.BASE_DIR / "frontend" / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")
    committed = json.loads((settings.BASE_DIR / "frontend" / "openapi.json").read_text(encoding="utf-8"))
    missing = [path for path in committed["paths"] if f'"{path}": {{' not in schema]
    assert not missing, f"schema.d.ts lacks {missing[:5]}: run `cd frontend && npm run gen`"
