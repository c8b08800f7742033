"""``facts`` typed per permit type in the OpenAPI schema: a oneOf of the eight shapes, each field with
its range and allowed values, so a client can build the form from the schema."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from special_ops.rules.levels import HEIGHT_HAZARD_FACTORS


@pytest.fixture(scope="module")
def schemas():
    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def test_facts_is_a_oneof_of_the_eight_types(schemas):
    refs = [s["$ref"].rsplit("/", 1)[1] for s in schemas["PermitFactsRequest"]["oneOf"]]
    assert refs == ["HotWorkFactsRequest", "ConfinedSpaceFactsRequest", "BlindingFactsRequest", "HeightFactsRequest",
                    "LiftingFactsRequest", "TempPowerFactsRequest", "ExcavationFactsRequest", "RoadClosureFactsRequest"]
    for body in ("PermitInRequest", "AssessInRequest", "PatchedPermitInRequest"):
        assert schemas[body]["properties"]["facts"]["$ref"].endswith("/PermitFactsRequest")


def test_fields_carry_ranges_and_allowed_values(schemas):
    hot = schemas["HotWorkFactsRequest"]
    assert hot["properties"]["wind_force"]["maximum"] == 17 and "outdoor" in hot["properties"]
    assert set(hot["required"]) >= {"method", "in_fire_explosion_area", "on_running_equipment"}
    height = schemas["HeightFactsRequest"]["properties"]
    item = height["hazard_factors"]["items"]
    enum = schemas[item["$ref"].rsplit("/", 1)[1]]["enum"] if "$ref" in item else item["enum"]
    assert set(enum) == set(HEIGHT_HAZARD_FACTORS) and "water_temp_c" in height
