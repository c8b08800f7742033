"""BREAKIT D23 at its source: the schema documents what the API really answers.

- every operation documents its error answers (400/401/403/404/409/413/429 as applicable), with the
  one drf-standardized-errors body (``ErrorResponse``), from ``backend.core.api.openapi.AutoSchema``;
- no request body requires a read-only field (``COMPONENT_SPLIT_REQUEST``);
- read-only choice fields on ``blank=True`` model fields allow ``""``, empty links are nullable;
- bare-array actions are documented as arrays, the paginated summary as paginated (with
  ``division_code``);
- ``?page_size=false`` is a 400 naming ``page_size``, not silently the default.
"""

from __future__ import annotations

import pytest

from tests.factories.compliance import HazardFactory

pytestmark = pytest.mark.django_db


METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _refs(node, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        if "$ref" in node:
            out.add(node["$ref"].rsplit("/", 1)[-1])
        for value in node.values():
            _refs(value, out)
    elif isinstance(node, list):
        for value in node:
            _refs(value, out)
    return out


def test_every_operation_documents_its_error_answers(schema):
    checked = 0
    for path, method, op in operations(schema):
        codes = set(op["responses"])
        where = f"{method.upper()} {path}"
        assert {"405", "500"} <= codes, where
        if op.get("security") != [{}]:  # authenticated
            assert {"401", "403"} <= codes, where
        if method in ("post", "put", "patch"):
            assert {"409", "413"} <= codes, where
        if method == "delete":
            assert "409" in codes, where
        if "{id}" in path:
            assert "404" in codes, where
        if any(p["in"] == "query" for p in op.get("parameters", [])) or "requestBody" in op:
            assert "400" in codes, where
        for code, response in op["responses"].items():
            if int(code) >= 400:
                assert _refs(response, set()) == {"ErrorResponse"}, (where, code)
        checked += 1
    assert checked > 100
    body = schema["components"]["schemas"]["ErrorResponse"]
    assert set(body["properties"]) == {"type", "errors", "details"} and set(body["required"]) == {"type", "errors"}
    item = schema["components"]["schemas"][_refs(body["properties"]["errors"], set()).pop()]
    assert set(item["required"]) == {"code", "detail", "attr"} and item["properties"]["attr"]["nullable"] is True


def test_login_documents_its_throttle(schema):
    assert "429" in schema["paths"]["/api/v1/auth/login/"]["post"]["responses"]


def test_no_request_body_requires_a_read_only_field(schema):
    components = schema["components"]["schemas"]
    names: set[str] = set()
    for _, _, op in operations(schema):
        _refs(op.get("requestBody", {}), names)
    todo = list(names)
    while todo:  # nested components of request bodies too
        for ref in _refs(components.get(todo.pop(), {}), set()) - names:
            names.add(ref)
            todo.append(ref)
    bad = {name: [k for k, v in components[name].get("properties", {}).items()
                  if v.get("readOnly") and k in components[name].get("required", [])] for name in names}
    assert {name: fields for name, fields in bad.items() if fields} == {}
    assert len(names) > 50


def test_read_only_fields_document_blank_and_null(schema):
    components = schema["components"]["schemas"]
    for name, field in (("Hazard", "cause"), ("PermitOut", "level_computed"), ("PermitListOut", "level_computed")):
        assert {"$ref": "#/components/schemas/BlankEnum"} in components[name]["properties"][field]["oneOf"], name
    for name, field in (("Hazard", "risk_point_code"), ("PermitOut", "risk_point_code"), ("Finding", "hazard_number"),
                        ("Finding", "hazard_state"), ("Membership", "enterprise_name"), ("Membership", "regulator_name")):
        assert components[name]["properties"][field]["nullable"] is True, (name, field)


def test_bare_arrays_and_paginated_lists_are_documented_as_they_answer(schema):
    for path in ("/api/v1/hazards/{id}/photos/", "/api/v1/hazards/{id}/extensions/", "/api/v1/hazards/{id}/events/",
                 "/api/v1/permits/{id}/gas-tests/"):
        body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array", path
    summary = schema["paths"]["/api/v1/audit/enterprises/summary/"]["get"]["responses"]["200"]
    page = schema["components"]["schemas"][_refs(summary, set()).pop()]
    assert {"count", "results"} <= set(page["properties"])
    item = schema["components"]["schemas"][_refs(page["properties"]["results"], set()).pop()]
    assert "division_code" in item["required"]


def test_photos_answer_the_documented_bare_array(api, orgs):
    h = HazardFactory(enterprise=orgs.owner)
    r = api(orgs.officer).get(f"/api/v1/hazards/{h.pk}/photos/")
    assert r.status_code == 200 and r.json() == []


@pytest.mark.parametrize("value", ["false", "0", "-1", "1.5", "", "２"])
def test_a_bad_page_size_is_400_naming_it(api, orgs, value):
    r = api(orgs.officer).get("/api/v1/hazards/", {"page_size": value})
    assert r.status_code == 400
    assert r.json()["errors"][0]["code"] == "invalid" and r.json()["errors"][0]["attr"] == "page_size"


def test_a_good_page_size_is_used_and_capped(api, orgs):
    HazardFactory.create_batch(3, enterprise=orgs.owner)
    assert len(api(orgs.officer).get("/api/v1/hazards/", {"page_size": "2"}).json()["results"]) == 2
    assert api(orgs.officer).get("/api/v1/hazards/", {"page_size": "5000"}).status_code == 200
