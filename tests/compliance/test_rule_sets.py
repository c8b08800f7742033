"""Enterprise kind decides the rule set (issue 14 points 11–12): classification from the industry,
the regulator's override (service + API + audit), the 令第10号 工贸 checklist beside the 2017 list,
and a hazard judged only against the checklists of its enterprise."""

from __future__ import annotations

import pytest

from backend.accounts.rules import SECTOR_CHECKLISTS, classify_industry, classify_sector, rule_set_of
from backend.audit.models import Event
from compliance.rules.major_hazard import MAJOR_HAZARD_CHECKLISTS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
HAZ = "/api/v1/hazards/"
ENT = "/api/v1/enterprises/"
CHECKLISTS = "/api/v1/checklists/"


def errors(r):
    return [(e["code"], e["attr"]) for e in r.json()["errors"]]


@pytest.mark.parametrize(("industry", "kind"), [
    ("危险化学品生产", "hazchem"), ("危险化学品经营(带储存)", "hazchem"), ("危险化学品经营（带储存）", "hazchem"),
    ("化工", "hazchem"), ("医药制造", "hazchem"), ("危险化学品经营(不带储存)", ""),
    ("工贸-机械", "industrial"), ("工贸-食品", "industrial"), ("工贸-轻工", "industrial"), ("工贸-纺织", "industrial"),
    ("建材", "industrial"), ("冶金", "industrial"), ("有色金属冶炼", "industrial"), ("烟草", "industrial"),
    ("商贸", "industrial"), ("", ""), ("建筑施工", ""), ("矿山", ""),
])
def test_the_industry_gives_the_kind(industry, kind):
    assert classify_industry(industry) == kind


def test_every_sample_enterprise_is_classified():
    import csv

    from tests.helpers.samples import ENTERPRISES_CSV

    with open(ENTERPRISES_CSV, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    column = next(c for c in rows[0] if "行业" in c or c == "industry")
    assert rows and all(classify_industry(r[column]) in {"hazchem", "industrial"} for r in rows)


def test_the_enterprise_shows_its_rule_set(api, orgs):
    body = api(orgs.officer).get(f"{ENT}{orgs.owner.pk}/").json()
    assert body["kind"] == "hazchem" and body["kind_override"] == ""
    assert body["rule_set"]["checklists"] == ["chem-2017"] and "GB 30871-2022" in body["rule_set"]["name"]
    assert body["rule_set"]["major_hazards"] == "安监总管三〔2017〕121号"


def test_the_regulator_admin_sets_the_kind_with_a_reason_and_it_is_audited(api, orgs):
    url = f"{ENT}{orgs.owner.pk}/kind/"
    r = api(orgs.reg_admin).post(url, {"kind": "industrial", "reason": "主营机械加工，不涉及危化品生产"}, format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["kind"] == "industrial" and body["kind_override"] == "industrial"
    # the owner's industry names no 工贸 sector: the general list and every sector article (第四条–第十条)
    assert body["rule_set"]["checklists"] == ["industrial-2023", *SECTOR_CHECKLISTS]
    assert body["rule_set"]["major_hazards"] == "应急管理部令第10号"
    assert body["rule_set"]["permits"] == "GB 30871-2022（参照执行）"
    event = Event.objects.filter(action="enterprise.set_kind", object_id=str(orgs.owner.pk)).get()
    assert event.changes["kind"] == ["hazchem", "industrial"] and event.reason.startswith("主营机械加工")
    assert event.regulator_id == orgs.gaoqing.pk
    # "" returns to the industry's kind
    r = api(orgs.reg_admin).post(url, {"kind": "", "reason": "恢复按行业"}, format="json")
    assert r.json()["kind"] == "hazchem" and r.json()["kind_override"] == ""


def test_setting_the_kind_is_refused_with_codes(api, orgs):
    url = f"{ENT}{orgs.owner.pk}/kind/"
    r = api(orgs.reg_admin).post(url, {"kind": "mining", "reason": "x"}, format="json")
    assert r.status_code == 400 and errors(r) == [("invalid_choice", "kind")]
    r = api(orgs.reg_admin).post(url, {"kind": "industrial", "reason": ""}, format="json")
    assert r.status_code == 400 and errors(r)[0][1] == "reason"
    r = api(orgs.reg_admin).post(url, {"kind": "industrial", "reason": "   "}, format="json")
    assert r.status_code == 400 and errors(r) == [("blank", "reason")]
    r = api(orgs.inspector).post(url, {"kind": "industrial", "reason": "x"}, format="json")
    assert r.status_code == 403 and errors(r)[0][0] == "not_regulator_admin"
    for user in (orgs.admin, orgs.principal):  # the enterprise cannot choose its own rules
        r = api(user).post(url, {"kind": "industrial", "reason": "x"}, format="json")
        assert r.status_code == 403
    r = api(orgs.other_reg_admin).post(url, {"kind": "industrial", "reason": "x"}, format="json")
    assert r.status_code == 404
    orgs.owner.refresh_from_db()
    assert orgs.owner.kind_override == "" and not Event.objects.filter(action="enterprise.set_kind").exists()


# --- 12: the 工贸 checklist -------------------------------------------------------------------------
def test_the_industrial_checklist_holds_the_general_dust_ammonia_and_confined_space_items():
    cl = MAJOR_HAZARD_CHECKLISTS["industrial-2023"]
    assert cl.source == "应急管理部令第10号" and cl.in_force == "2023-05-15"
    by_scope: dict[str, list[int]] = {}
    for item in cl.items:
        by_scope.setdefault(item.scope, []).append(item.no)
        assert item.article and item.text
    assert by_scope == {"general": [301, 302, 303], "dust": list(range(1101, 1111)),
                        "ammonia": [1201, 1202], "confined_space": [1301, 1302]}
    assert cl.item(1103).article == "第十一条第（三）项"
    assert cl.item(1110).article == "第十一条第（十）项"
    assert "泄爆、惰化、抑爆" in cl.item(1103).text and cl.item(1103).verbatim
    assert cl.item(1202).verbatim and "作业人员数量超过9人" in cl.item(1202).text  # 第十二条 read in the text
    assert not cl.item(1302).verbatim  # paraphrases say so


def _industrial(orgs):
    orgs.owner.industry = "工贸-机械"
    orgs.owner.save(update_fields=["industry"])


def test_an_industrial_plant_is_refused_the_chem_2017_list_naming_the_rule_set(api, orgs, file_hazard):
    _industrial(orgs)
    h = file_hazard()
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/", {"checklist": "chem-2017", "items": [12]}, format="json")
    assert r.status_code == 400 and errors(r) == [("checklist_not_applicable", "checklist")]
    detail = r.json()["errors"][0]["detail"]
    assert "安监总管三〔2017〕121号" in detail and "工贸" in detail and "应急管理部令第10号" in detail
    h.refresh_from_db()
    assert h.grade == "general" and h.checklist_code == ""


def test_an_industrial_plant_is_judged_major_by_a_dust_item(api, orgs, file_hazard):
    _industrial(orgs)
    h = file_hazard(title="除尘系统采用重力沉降室")
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/", {"checklist": "industrial-2023", "items": [1105]},
                               format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["grade"] == "major" and body["checklist_code"] == "industrial-2023" and body["checklist_items"] == [1105]
    assert body["major_basis"] == "应急管理部令第10号第十一条第（五）项"
    event = Event.objects.filter(action="hazard.tick_checklist", object_id=str(h.pk)).get()
    assert event.payload["rule_set"] == "industrial"
    # an item number of the other list (or a hole in this one) names the field
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/", {"checklist": "industrial-2023", "items": [11]},
                               format="json")
    assert r.status_code == 400 and errors(r) == [("unknown_item", "items")]


def test_a_chemical_plant_is_refused_the_industrial_list(api, orgs, file_hazard):
    h = file_hazard()
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/", {"checklist": "industrial-2023", "items": [1101]},
                               format="json")
    assert r.status_code == 400 and errors(r) == [("checklist_not_applicable", "checklist")]
    assert "GB 30871-2022" in r.json()["errors"][0]["detail"]


def test_an_unclassified_enterprise_may_use_either_list(api, orgs, file_hazard):
    orgs.owner.industry = "建筑施工"
    orgs.owner.save(update_fields=["industry"])
    h = file_hazard()
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/", {"checklist": "industrial-2023", "items": [302]},
                               format="json")
    assert r.status_code == 200 and r.json()["grade"] == "major"


def test_the_regulators_kind_decides_over_the_industry(api, orgs, file_hazard):
    api(orgs.reg_admin).post(f"{ENT}{orgs.owner.pk}/kind/", {"kind": "industrial", "reason": "实际为机械加工"},
                             format="json")
    h = file_hazard()
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/", {"checklist": "chem-2017", "items": [1]}, format="json")
    assert r.status_code == 400 and errors(r)[0][0] == "checklist_not_applicable"


# --- GET /checklists/ ------------------------------------------------------------------------------
def test_checklists_lists_the_applicable_ones_with_items(api, orgs):
    body = api(orgs.employee).get(CHECKLISTS).json()
    assert body["enterprise"] == orgs.owner.pk and body["rule_set"]["kind"] == "hazchem"
    assert [c["code"] for c in body["checklists"]] == ["chem-2017"] and len(body["checklists"][0]["items"]) == 20
    _industrial(orgs)
    body = api(orgs.employee).get(CHECKLISTS).json()
    assert [c["code"] for c in body["checklists"]] == ["industrial-2023", "ind-2023-machinery"]
    assert body["rule_set"]["sector"] == "machinery" and body["rule_set"]["sector_label"] == "机械"
    item = next(i for i in body["checklists"][0]["items"] if i["no"] == 1201)
    assert item["scope"] == "ammonia" and item["verbatim"] is True and item["scope_label"] == "使用液氨制冷的工贸企业"
    item = next(i for i in body["checklists"][0]["items"] if i["no"] == 1302)
    assert item["scope"] == "confined_space" and item["verbatim"] is False


def test_checklists_for_a_regulator(api, orgs):
    body = api(orgs.inspector).get(CHECKLISTS, {"enterprise": orgs.owner.pk}).json()
    assert [c["code"] for c in body["checklists"]] == ["chem-2017"]
    body = api(orgs.inspector).get(CHECKLISTS).json()
    assert body["enterprise"] is None
    assert {c["code"] for c in body["checklists"]} == {"chem-2017", "industrial-2023", *SECTOR_CHECKLISTS}


def test_checklists_tenancy_and_bad_input(api, orgs):
    assert api(orgs.other_inspector).get(CHECKLISTS, {"enterprise": orgs.owner.pk}).status_code == 404
    assert api(orgs.outsider_officer).get(CHECKLISTS, {"enterprise": orgs.owner.pk}).status_code == 404
    assert api(orgs.inspector).get(CHECKLISTS, {"enterprise": 987654321}).status_code == 404
    r = api(orgs.inspector).get(CHECKLISTS, {"enterprise": "abc"})
    assert r.status_code == 400 and errors(r) == [("invalid", "enterprise")]
    r = api(orgs.officer).get(CHECKLISTS, {"kind": "x"})
    assert r.status_code == 400 and errors(r) == [("unknown_filter", "kind")]
    assert api(None).get(CHECKLISTS).status_code == 401


# --- 令第10号 sector articles (第四条–第十条): each only for its sector ---------------------------------
@pytest.mark.parametrize(("industry", "sector"), [
    ("工贸-冶金", "metallurgy"), ("钢铁", "metallurgy"), ("黑色金属冶炼和压延加工业", "metallurgy"),
    ("有色金属冶炼", "nonferrous"), ("铝加工", "nonferrous"), ("建材", "building_materials"), ("水泥制造", "building_materials"),
    ("工贸-机械", "machinery"), ("金属制品", "machinery"), ("工贸-食品", "light_industry"), ("造纸", "light_industry"),
    ("工贸-纺织", "textile"), ("印染", "textile"), ("烟草", "tobacco"), ("卷烟制造", "tobacco"), ("商贸", "commerce"),
    ("工贸", ""), ("酒店", ""), ("", ""),
])
def test_the_industry_gives_the_sector(industry, sector):
    assert classify_sector(industry) == sector


def test_a_sector_gets_the_general_list_and_its_own_article_only():
    assert rule_set_of("", "工贸-机械").checklists == ("industrial-2023", "ind-2023-machinery")
    assert rule_set_of("", "水泥制造").checklists == ("industrial-2023", "ind-2023-building")
    assert rule_set_of("", "烟草").checklists == ("industrial-2023", "ind-2023-tobacco")
    assert rule_set_of("", "商贸").checklists == ("industrial-2023",)  # 令第10号 has no 商贸 article
    assert rule_set_of("", "工贸").checklists == ("industrial-2023", *SECTOR_CHECKLISTS)  # sector unknown
    assert rule_set_of("", "化工").checklists == ("chem-2017",)  # sectors are 工贸 only
    assert rule_set_of("", "工贸-机械").name.startswith("工贸（机械）规则")


def test_the_sector_articles_are_numbered_by_article_and_item_and_say_what_is_missing():
    building = MAJOR_HAZARD_CHECKLISTS["ind-2023-building"]
    assert building.complete and [i.no for i in building.items] == list(range(601, 609))
    assert building.item(603).article == "第六条第（三）项" and "电石渣" in building.item(603).text
    assert all(i.verbatim and i.scope == "building_materials" for i in building.items)
    tobacco = MAJOR_HAZARD_CHECKLISTS["ind-2023-tobacco"]
    assert [i.no for i in tobacco.items] == [1001, 1002] and "磷化氢" in tobacco.item(1001).text
    metallurgy = MAJOR_HAZARD_CHECKLISTS["ind-2023-metallurgy"]
    assert not metallurgy.complete and "第（一）至（四）项" in metallurgy.note and not metallurgy.item(404).verbatim
    for code in ("ind-2023-nonferrous", "ind-2023-light", "ind-2023-textile"):
        cl = MAJOR_HAZARD_CHECKLISTS[code]
        assert cl.items == () and not cl.complete and "未能核对原文" in cl.note  # never invented
    for code in SECTOR_CHECKLISTS:
        assert "第十四条" in MAJOR_HAZARD_CHECKLISTS[code].note


def _sector(orgs, industry):
    orgs.owner.industry = industry
    orgs.owner.save(update_fields=["industry"])


def test_a_machinery_plant_is_judged_by_its_article_and_refused_another_sectors(api, orgs, file_hazard):
    _sector(orgs, "工贸-机械")
    h = file_hazard(title="休息室设在浇注跨地坪区域内")
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/",
                               {"checklist": "ind-2023-metallurgy", "items": [401]}, format="json")
    assert r.status_code == 400 and errors(r) == [("checklist_not_applicable", "checklist")]
    detail = r.json()["errors"][0]["detail"]
    assert "第四条 冶金企业" in detail and "工贸（机械）规则" in detail and "ind-2023-machinery" in detail
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/",
                               {"checklist": "ind-2023-machinery", "items": [701]}, format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["grade"] == "major" and body["major_basis"] == "应急管理部令第10号第七条第（一）项"
    # an item of the building-materials article is not in the machinery article
    h2 = file_hazard(title="另一隐患")
    r = api(orgs.officer).post(f"{HAZ}{h2.pk}/tick-checklist/",
                               {"checklist": "ind-2023-machinery", "items": [601]}, format="json")
    assert r.status_code == 400 and errors(r) == [("unknown_item", "items")]


def test_a_dust_plant_of_any_sector_is_judged_major_by_a_dust_item(api, orgs, file_hazard):
    _sector(orgs, "工贸-木制品加工（轻工）")
    h = file_hazard(title="干式除尘系统未采取泄爆、惰化、抑爆措施")
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/", {"checklist": "industrial-2023", "items": [1103]},
                               format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["grade"] == "major" and r.json()["major_basis"] == "应急管理部令第10号第十一条第（三）项"


def test_a_commerce_enterprise_has_no_sector_article(api, orgs, file_hazard):
    _sector(orgs, "商贸")
    body = api(orgs.employee).get(CHECKLISTS).json()
    assert [c["code"] for c in body["checklists"]] == ["industrial-2023"] and body["rule_set"]["sector"] == "commerce"
    h = file_hazard()
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/",
                               {"checklist": "ind-2023-tobacco", "items": [1001]}, format="json")
    assert r.status_code == 400 and errors(r) == [("checklist_not_applicable", "checklist")]


def test_an_article_whose_items_are_not_recorded_lists_empty_and_judges_nothing(api, orgs, file_hazard):
    _sector(orgs, "有色金属冶炼")
    body = api(orgs.employee).get(CHECKLISTS).json()
    assert [c["code"] for c in body["checklists"]] == ["industrial-2023", "ind-2023-nonferrous"]
    nonferrous = body["checklists"][1]
    assert nonferrous["items"] == [] and nonferrous["complete"] is False and "未能核对原文" in nonferrous["note"]
    assert body["checklists"][0]["complete"] is True
    h = file_hazard()
    r = api(orgs.officer).post(f"{HAZ}{h.pk}/tick-checklist/",
                               {"checklist": "ind-2023-nonferrous", "items": [501]}, format="json")
    assert r.status_code == 400 and errors(r) == [("unknown_item", "items")]


def test_every_checklist_code_fits_the_hazards_field():
    from compliance.models import Hazard

    limit = Hazard._meta.get_field("checklist_code").max_length
    assert all(len(code) <= limit for code in MAJOR_HAZARD_CHECKLISTS)
