"""Per-type serializers of a permit's own fields (``facts`` in the API, the detail model in the DB).

Each permit type has its own serializer with explicit fields; the rule modules then decide the
level, validity and gates from these values. The JSON shape is the one of
samples/permits_sample.json (``facts``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from special_ops.models import BlindingDetail
from special_ops.rules.approvals import APPROVAL_RAISE_SITUATIONS
from special_ops.rules.calendar import DAY_TYPE_ALIASES
from special_ops.rules.levels import HEIGHT_HAZARD_FACTORS
from special_ops.rules.types import PermitType


def _text(max_length: int = 100, **kw: Any) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, **kw)


def _opt_text(max_length: int = 100) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, allow_null=True, default="")


class _Facts(serializers.Serializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Optional texts sent as null are stored blank.
        return {k: ("" if v is None and isinstance(self.fields[k], serializers.CharField) else v) for k, v in attrs.items()}


class HotWorkFacts(_Facts):
    """动火: method and the level-deciding facts (GB 30871-2022 §5.2; DOMAIN.md §4)."""

    method = _text(50)
    in_fire_explosion_area = serializers.BooleanField()
    on_running_equipment = serializers.BooleanField()
    inside_major_hazard_tank_dike = serializers.BooleanField()
    on_pipe_rack = serializers.BooleanField()
    day_type = serializers.ChoiceField(choices=sorted(DAY_TYPE_ALIASES), required=False, allow_blank=True, default="")
    night = serializers.BooleanField(required=False, default=False)
    continuous_gas_monitoring = serializers.BooleanField(required=False, default=False)
    confined_space_name = _opt_text(100)
    #: Outdoor work and the wind force (Beaufort): outdoor at ≥ 5 is refused unless ``production_need``
    #: with ``production_need_reason`` (then raised one level) — GB 30871-2022 §5.2.15.
    outdoor = serializers.BooleanField(required=False, default=False)
    wind_force = serializers.IntegerField(min_value=0, max_value=17, required=False, allow_null=True, default=None)
    production_need = serializers.BooleanField(required=False, default=False)
    production_need_reason = _opt_text(200)
    #: The enterprise's 其他特殊情况 (its reason); non-blank raises the level one step — §5.1.1.
    special_situation = _opt_text(200)
    #: §5.1.4 ¶2: a stopped, emptied, purged, tested and isolated unit — 二级, approved by the named
    #: production or safety head.
    isolated_unit = serializers.BooleanField(required=False, default=False)
    isolated_unit_approver = _opt_text(50)


class ConfinedSpaceFacts(_Facts):
    """受限空间: space and original medium."""

    space_name = _text(100)
    original_medium = _text(100)
    oxygen_enriched_declared = serializers.BooleanField(required=False, default=False)
    entrants = serializers.IntegerField(min_value=1, max_value=100, required=False, allow_null=True, default=None)


class BlindingFacts(_Facts):
    """盲板抽堵: action (堵 ``blind`` / 抽 ``unblind``), pipeline, medium, temperature (℃), pressure
    (MPa), plate material/size/number."""

    #: 堵/抽 or the codes; the model's choices are the one table.
    ACTIONS = {**{a.label: a.value for a in BlindingDetail.Action}, **{a.value: a.value for a in BlindingDetail.Action}}

    action = serializers.ChoiceField(choices=list(ACTIONS))
    pipeline_id = _text(50)
    plate_no = _text(50)
    medium = _text(50)
    temperature_c = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=-273, max_value=2000)
    pressure_mpa = serializers.DecimalField(max_digits=7, decimal_places=3, min_value=-1, max_value=1000)
    plate_material = _text(50)
    plate_size = _text(50)
    diagram_no = _opt_text(50)
    in_fire_explosion_area = serializers.BooleanField(required=False, default=False)
    portable_gas_monitor = serializers.BooleanField(required=False, default=False)

    def validate_action(self, value: str) -> str:
        return self.ACTIONS[value]


class HeightFacts(_Facts):
    """高处: height (m) and hazard-factor codes (GB/T 3608; rules.levels.HEIGHT_HAZARD_FACTORS)."""

    height_m = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)
    hazard_factors = serializers.ListField(child=serializers.ChoiceField(choices=list(HEIGHT_HAZARD_FACTORS)),
                                           required=False, default=list, max_length=len(HEIGHT_HAZARD_FACTORS))
    ambient_mean_temp_c = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=-60, max_value=60,
                                                   required=False, allow_null=True, default=None)
    wind_force = serializers.IntegerField(min_value=0, max_value=17, required=False, allow_null=True, default=None)
    #: Temperature of the water the workers touch (℃); ≤ 12 ℃ is the ``cold_water`` factor (§8.1.2).
    water_temp_c = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=-5, max_value=100,
                                            required=False, allow_null=True, default=None)
    #: Table B.2 situations that raise the approver (rules.approvals.APPROVAL_RAISE_SITUATIONS).
    approval_situations = serializers.ListField(child=serializers.ChoiceField(choices=list(APPROVAL_RAISE_SITUATIONS)),
                                                required=False, default=list, max_length=len(APPROVAL_RAISE_SITUATIONS))


class LiftingFacts(_Facts):
    """吊装: load (t), crane, lift plan, rigger and signaller."""

    load_t = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, max_value=100000)
    crane = _opt_text(100)
    lift_plan_no = _opt_text(50)
    rigger = _opt_text(50)
    signaller = _opt_text(50)
    #: Table B.2 situations that raise the approver (rules.approvals.APPROVAL_RAISE_SITUATIONS).
    approval_situations = serializers.ListField(child=serializers.ChoiceField(choices=list(APPROVAL_RAISE_SITUATIONS)),
                                                required=False, default=list, max_length=len(APPROVAL_RAISE_SITUATIONS))


class TempPowerFacts(_Facts):
    """临时用电: connection point, power (kW), voltage (V)."""

    connection_point = _text(100)
    power_kw = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, max_value=100000)
    voltage_v = serializers.IntegerField(min_value=1, max_value=1_000_000)
    in_fire_explosion_area = serializers.BooleanField(required=False, default=False)
    equipment = _opt_text(200)
    #: GB 30871-2022 §10.8: ≤ 15 days; ≤ 30 days in a declared special case (with its reason); feeding
    #: hot work or a confined-space entry (that permit's number): that permit's window.
    special_case = serializers.BooleanField(required=False, default=False)
    special_case_reason = _opt_text(200)
    feeds_permit_no = _opt_text(40)


class ExcavationFacts(_Facts):
    """动土: depth (m) and area (m²)."""

    depth_m = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)
    area_m2 = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, max_value=1_000_000)
    method = _opt_text(50)
    buried_services = _opt_text(200)


class RoadClosureFacts(_Facts):
    """断路: reason and road section."""

    road_section = _text(200)
    reason = _text(200)
    departments = serializers.ListField(child=_text(50), required=False, default=list, max_length=20)
    detour = _opt_text(200)


FACTS_SERIALIZERS: dict[str, type[_Facts]] = {
    PermitType.HOT_WORK: HotWorkFacts,
    PermitType.CONFINED_SPACE: ConfinedSpaceFacts,
    PermitType.BLINDING: BlindingFacts,
    PermitType.HEIGHT: HeightFacts,
    PermitType.LIFTING: LiftingFacts,
    PermitType.TEMP_POWER: TempPowerFacts,
    PermitType.EXCAVATION: ExcavationFacts,
    PermitType.ROAD_CLOSURE: RoadClosureFacts,
}


#: ``facts`` in the OpenAPI schema: a oneOf of the eight per-type shapes (every field with its unit in
#: the description and its allowed values), so a client can build the form from the schema; the
#: permit's ``type`` says which one applies.
FACTS_SCHEMA = PolymorphicProxySerializer(
    component_name="PermitFacts",
    serializers={ptype: cls for ptype, cls in FACTS_SERIALIZERS.items()},
    resource_type_field_name=None,
)


@extend_schema_field(FACTS_SCHEMA)
class FactsField(serializers.DictField):
    """The per-type ``facts`` object (validated by the type's serializer in the parent's validate)."""
