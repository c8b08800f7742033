"""Accident types, GB 6441-2025 beside GB 6441-1986 (issue 14 §13): the register accepts either
standard's names, the enterprise chooses the standard of its exports, and the mapping table says
which names correspond (with its basis); 2025 names that could not be confirmed say so."""

from __future__ import annotations

import pytest

from backend.audit.models import Event
from compliance.models import RiskEvent
from compliance.rules import accident_types as at

POINTS = "/api/v1/risk-points/"
EVENTS = "/api/v1/risk-events/"
TYPES = "/api/v1/accident-types/"
STANDARD = "/api/v1/accident-types/standard/"


def errors(r):
    return [(e["code"], e["attr"]) for e in r.json()["errors"]]


# --- the vocabulary table ---------------------------------------------------------------------------
def test_both_vocabularies_and_the_mapping_with_its_basis():
    assert len(at.GB6441_1986_NAMES) == 20 and at.GB6441_1986_NAMES[18] == "中毒和窒息"
    by_name = {t.name: t for t in at.GB6441_2025_TYPES}
    assert by_name["中毒"].confirmed and by_name["窒息"].confirmed and by_name["粉尘爆炸"].confirmed
    assert not by_name["机械致害"].confirmed and not by_name["起重致害"].confirmed  # summaries disagree
    assert all(m.basis and m.source in at.STANDARD_LABELS for m in at.MAPPINGS)
    # a split 1986 type has no single 2025 name: kept, marked with its standard
    assert at.name_in("车辆伤害", at.GB6441_2025) == "车辆伤害（GB 6441-1986）"
    assert at.name_in("厂（场）内车辆致害", at.GB6441_1986) == "车辆伤害"
    assert at.names_in(["中毒", "窒息", "火灾"], at.GB6441_1986) == ["中毒和窒息", "火灾"]
    assert at.names_in(["物体打击", "跌落"], at.GB6441_1986) == ["物体打击", "跌落（GB 6441-2025）"]
    assert at.names_in(["物体打击", "中毒和窒息"], at.GB6441_1986) == ["物体打击", "中毒和窒息"]


@pytest.mark.parametrize(("text", "expected"), [
    ("火灾、中毒", ["火灾", "中毒"]), ("厂(场)内车辆致害", ["厂（场）内车辆致害"]),
    ("厂内车辆致害", ["厂（场）内车辆致害"]), ("可燃液体蒸汽爆炸", ["可燃液体蒸气爆炸"]),
    ("其他爆炸、车辆伤害", ["其它爆炸", "车辆伤害"]), (None, []), ("", []),
])
def test_either_standards_names_are_read(text, expected):
    assert at.parse_accident_names(text) == expected


def test_a_name_of_neither_or_of_the_other_standard_is_refused():
    with pytest.raises(at.UnknownAccidentType) as exc:
        at.parse_accident_names("火灾、外星人入侵")
    assert exc.value.value == "外星人入侵" and exc.value.field == "accident_types"
    with pytest.raises(at.UnknownAccidentType):
        at.parse_accident_names("中毒", at.GB6441_1986)
    assert at.standards_of("火灾") == (at.GB6441_1986, at.GB6441_2025)
    assert at.standards_of("中毒") == (at.GB6441_2025,)


# --- the register accepts either -------------------------------------------------------------------
def _point(api, user):
    r = api(user).post(POINTS, {"code": "ZY-61", "name": "粉碎", "kind": "activity"}, format="json")
    assert r.status_code == 201, r.json()
    return r.json()["id"]


@pytest.mark.django_db
def test_the_register_stores_names_of_either_standard(api, orgs):
    pid = _point(api, orgs.officer)
    body = {"risk_point": pid, "description": "除尘器积尘", "method": "lec", "l": 3, "e": 6, "c": 15,
            "accident_types": ["粉尘爆炸", "厂(场)内车辆致害", "火灾"]}
    r = api(orgs.officer).post(EVENTS, body, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["accident_types"] == ["粉尘爆炸", "厂（场）内车辆致害", "火灾"]
    r = api(orgs.officer).post(EVENTS, body | {"accident_types": ["车辆伤害", "中毒和窒息"]}, format="json")
    assert r.status_code == 201 and r.json()["accident_types"] == ["车辆伤害", "中毒和窒息"]
    # an edit is checked the same way (it was not before)
    pk = r.json()["id"]
    r = api(orgs.officer).patch(f"{EVENTS}{pk}/", {"accident_types": ["外星人入侵"]}, format="json")
    assert r.status_code == 400 and errors(r) == [("unknown_accident_type", "accident_types")]
    assert RiskEvent.objects.get(pk=pk).accident_types == ["车辆伤害", "中毒和窒息"]
    r = api(orgs.officer).patch(f"{EVENTS}{pk}/", {"accident_types": ["中毒", "窒息"]}, format="json")
    assert r.status_code == 200 and RiskEvent.objects.get(pk=pk).accident_types == ["中毒", "窒息"]


# --- the enterprise's choice ------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_vocabulary_endpoint_and_the_enterprises_choice(api, orgs):
    body = api(orgs.employee).get(TYPES).json()
    assert body["standard"] == "gb6441-1986" and len(body["types_1986"]) == 20
    assert {t["name"] for t in body["types_2025"] if not t["confirmed"]} >= {"机械致害", "起重致害"}
    assert any(m["name"] == "中毒" and m["target"] == "中毒和窒息" for m in body["mappings"])
    r = api(orgs.officer).post(STANDARD, {"standard": "gb6441-2025"}, format="json")
    assert r.status_code == 200 and r.json()["standard"] == "gb6441-2025"
    orgs.owner.refresh_from_db()
    assert orgs.owner.accident_standard == "gb6441-2025"
    event = Event.objects.get(action="enterprise.set_accident_standard")
    assert event.changes == {"accident_standard": ["gb6441-1986", "gb6441-2025"]} and event.enterprise_id == orgs.owner.pk
    # the same value again changes nothing and records nothing
    api(orgs.officer).post(STANDARD, {"standard": "gb6441-2025"}, format="json")
    assert Event.objects.filter(action="enterprise.set_accident_standard").count() == 1
    # a regulator reads the reference data (no enterprise choice) and cannot set one
    assert api(orgs.inspector).get(TYPES).json()["standard"] is None


@pytest.mark.django_db
def test_setting_the_standard_is_refused_with_codes(api, orgs):
    r = api(orgs.officer).post(STANDARD, {"standard": "gb6441-2030"}, format="json")
    assert r.status_code == 400 and errors(r) == [("invalid_choice", "standard")]
    r = api(orgs.employee).post(STANDARD, {"standard": "gb6441-2025"}, format="json")
    assert r.status_code == 403 and errors(r)[0][0] == "role_not_allowed"
    r = api(orgs.reg_admin).post(STANDARD, {"standard": "gb6441-2025"}, format="json")
    assert r.status_code == 403 and errors(r)[0][0] == "enterprise_only"
    r = api(orgs.officer).get(TYPES, {"x": "1"})
    assert r.status_code == 400 and errors(r) == [("unknown_filter", "x")]
    assert api(None).get(TYPES).status_code == 401
    orgs.owner.refresh_from_db()
    assert orgs.owner.accident_standard == "gb6441-1986"


# --- exports use the enterprise's choice -------------------------------------------------------------
@pytest.mark.django_db
def test_the_register_export_uses_the_enterprises_standard(api, orgs):
    import io

    import openpyxl

    from compliance.register_export import register_export_xlsx

    pid = _point(api, orgs.officer)
    body = {"risk_point": pid, "description": "除尘器积尘", "method": "lec", "l": 3, "e": 6, "c": 15}
    for names in (["粉尘爆炸", "中毒", "窒息"], ["车辆伤害", "火灾"]):
        assert api(orgs.officer).post(EVENTS, body | {"accident_types": names}, format="json").status_code == 201

    def cells():
        wb = openpyxl.load_workbook(io.BytesIO(register_export_xlsx(orgs.owner).read()))
        ws = wb.worksheets[0]
        column = [c.value for c in ws[1]].index("可能导致的事故类型")
        return [row[column] for row in ws.iter_rows(min_row=2, values_only=True) if row[0] is not None][:2]

    orgs.owner.refresh_from_db()
    assert cells() == ["其它爆炸、中毒和窒息", "车辆伤害、火灾"]  # GB 6441-1986 (the default)
    api(orgs.officer).post(STANDARD, {"standard": "gb6441-2025"}, format="json")
    orgs.owner.refresh_from_db()
    assert cells() == ["粉尘爆炸、中毒、窒息", "车辆伤害（GB 6441-1986）、火灾"]
    # the stored names are unchanged: the choice is the export's only
    assert sorted(e.accident_types[0] for e in RiskEvent.objects.all()) == ["粉尘爆炸", "车辆伤害"]
