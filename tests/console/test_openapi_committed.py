"""The console's typed client is generated from the committed frontend/openapi.json: it must be the live
schema, so an API change without ``npm run gen`` (frontend/README.md) fails here, and ``npm run build``
(vue-tsc over the regenerated schema.d.ts) catches the console code it breaks."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management import call_command


def test_committed_openapi_json_is_the_live_schema(tmp_path):
    live = tmp_path / "openapi.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(live))
    committed = json.loads((settings.BASE_DIR / "frontend" / "openapi.json").read_text(encoding="utf-8"))
    assert committed == json.loads(live.read_text(encoding="utf-8")), (
        "frontend/openapi.json is not the live schema: run `cd frontend && npm run gen` and commit "
        "openapi.json and src/api/schema.d.ts")


def test_the_generated_client_is_from_that_schema():
    schema = (settings.BASE_DIR / "frontend" / "src" / "api" / "schema.d.ts").read_text(encoding="utf-8")
    committed = json.loads((settings.BASE_DIR / "frontend" / "openapi.json").read_text(encoding="utf-8"))
    missing = [path for path in committed["paths"] if f'"{path}": {{' not in schema]
    assert not missing, f"schema.d.ts lacks {missing[:5]}: run `cd frontend && npm run gen`"
