"""The OpenAPI schema documents the real request bodies and responses of the write endpoints:
each transition names its input serializer (not the whole read-only resource), uploads are
multipart with a binary ``file``, and downloads are binary of the right media type."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _op(schema, path: str, method: str = "post") -> dict:
    return schema["paths"][path][method]


def _ref(schema_obj: dict) -> str:
    return schema_obj.get("$ref", "").rsplit("/", 1)[-1]


def _body(schema, path: str, media: str = "application/json") -> str:
    """The request body's component (``…Request``: COMPONENT_SPLIT_REQUEST gives requests their own)."""
    return _ref(_op(schema, path)["requestBody"]["content"][media]["schema"])


def _success(responses: dict) -> set[str]:
    """The documented success codes (the error answers are documented on every operation)."""
    return {code for code in responses if int(code) < 400}


def _component(schema, name: str) -> dict:
    return schema["components"]["schemas"][name]


@pytest.mark.parametrize(("path", "component"), [
    ("/api/v1/hazards/{id}/confirm/", "HazardConfirmIn"),
    ("/api/v1/hazards/{id}/plan/", "HazardPlanIn"),
    ("/api/v1/hazards/{id}/reject/", "HazardReasonIn"),
    ("/api/v1/hazard-extensions/{id}/decide/", "ExtensionDecision"),
    ("/api/v1/investigation-tasks/{id}/record/", "RecordInput"),
    ("/api/v1/permits/", "PermitIn"),
    ("/api/v1/permits/{id}/approve/", "ApproveIn"),
    ("/api/v1/permits/{id}/confirm-measures/", "MeasuresIn"),
    ("/api/v1/permits/{id}/gas-tests/", "GasTestIn"),
    ("/api/v1/draws/", "DrawIn"),
    ("/api/v1/inspections/{id}/findings/", "FindingIn"),
    ("/api/v1/reports/", "ReportRequest"),
])
def test_request_body_is_the_input_serializer(schema, path, component):
    assert _body(schema, path) == component + "Request"
    props = _component(schema, component + "Request")["properties"]
    assert not all(p.get("readOnly") for p in props.values()), f"{component}: every field read-only"


def test_transition_bodies_name_their_fields(schema):
    approve = _component(schema, _body(schema, "/api/v1/permits/{id}/approve/"))
    assert set(approve["properties"]) == {"step", "opinion"}
    assert approve["required"] == ["step"]
    assert set(_component(schema, "HazardPlanInRequest")["properties"]) >= {"measures", "responsible_person", "deadline"}
    measures = _component(schema, "MeasuresInRequest")["properties"]["measures"]
    assert measures["type"] == "array" and measures["items"]["type"] == "string"
    assert "requestBody" not in _op(schema, "/api/v1/hazards/{id}/start-rectification/")
    assert "requestBody" not in _op(schema, "/api/v1/permits/{id}/submit/")


def test_responses_have_their_real_status_and_shape(schema):
    gas = _op(schema, "/api/v1/permits/{id}/gas-tests/")["responses"]
    assert _success(gas) == {"201"} and _ref(gas["201"]["content"]["application/json"]["schema"]) == "GasTestOut"
    approve = _op(schema, "/api/v1/permits/{id}/approve/")["responses"]
    assert _ref(approve["200"]["content"]["application/json"]["schema"]) == "PermitOut"
    created = _op(schema, "/api/v1/public/reports/")["responses"]["201"]["content"]["application/json"]["schema"]
    assert "code" in _component(schema, _ref(created))["properties"]
    assert _success(_op(schema, "/api/v1/reports/")["responses"]) >= {"200", "201"}
    assert _success(_op(schema, "/api/v1/hazards/{id}/request-extension/")["responses"]) == {"201"}


def test_uploads_are_multipart_with_a_binary_file(schema):
    for path, component in [("/api/v1/risk-register/import/", "RegisterUpload"),
                            ("/api/v1/hazards/import/", "LedgerUpload"),
                            ("/api/v1/hazards/{id}/photos/", "PhotoUpload"),
                            ("/api/v1/reports/verify/", "VerifyUpload")]:
        assert _body(schema, path, "multipart/form-data") == component + "Request", path
        file = _component(schema, component + "Request")["properties"]["file"]
        assert file == {**file, "type": "string", "format": "binary"}, path
    assert set(_component(schema, "PhotoUploadRequest")["properties"]) == {"kind", "file"}
    assert _body(schema, "/api/v1/reports/verify/") == "VerifyShaRequest"
    report = _op(schema, "/api/v1/risk-register/import/")["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"counts", "rows"} <= set(_component(schema, _ref(report))["properties"])


def test_downloads_are_binary_of_their_media_type(schema):
    for path, media in [("/api/v1/permits/{id}/pdf/", "application/pdf"),
                        ("/api/v1/reports/{id}/pdf/", "application/pdf"),
                        ("/api/v1/reports/{id}/xlsx/",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]:
        content = _op(schema, path, "get")["responses"]["200"]["content"]
        assert content[media]["schema"] == {"type": "string", "format": "binary"}, path


def test_component_names_and_operation_ids_are_unique(schema):
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values() if isinstance(op, dict)
           and "operationId" in op]
    assert len(ids) == len(set(ids))
    assert not any(i.endswith(("_2", "_3")) for i in ids)


def test_descriptions_do_not_leak_internal_modules(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            desc = op.get("description", "") if isinstance(op, dict) else ""
            assert ":mod:" not in desc and ":func:" not in desc, (method, path)
