"""双随机 draws through the API: admin-only, stored snapshots, verify identical, recusal, plans inspections."""

from __future__ import annotations

from datetime import date, timedelta

from inspections.models import ConflictOfInterest, Draw, Inspection
from inspections.rules.draw import draw as pure_draw
from tests.factories import RiskPointFactory

URL = "/api/v1/draws/"


def _body(**extra):
    return {"n": 2, "planned_on": date.today() + timedelta(days=7)} | extra


def test_admin_draws_and_verify_identical(orgs, api, gaoqing_enterprises):
    resp = api(orgs.reg_admin).post(URL, _body(), format="json")
    assert resp.status_code == 201, resp.json()
    d = resp.json()
    jurisdiction = sorted([orgs.owner.pk, *(e.pk for e in gaoqing_enterprises)])
    assert d["candidates"] == jurisdiction and orgs.outsider.pk not in d["candidates"]
    assert d["roster"] == sorted([orgs.inspector.pk, orgs.inspector2.pk])
    assert len(d["result"]) == 2
    assert d["result"] == pure_draw(int(d["seed"]), jurisdiction, None, d["roster"], [], 2)
    # one planned (drawn) inspection per result row, with the drawn inspectors
    insps = Inspection.objects.filter(draw_id=d["id"])
    assert insps.count() == 2
    for row in d["result"]:
        insp = insps.get(enterprise_id=row["enterprise"])
        assert insp.kind == "drawn" and insp.state == "planned"
        assert sorted(insp.inspectors.values_list("pk", flat=True)) == sorted(row["inspectors"])
    resp = api(orgs.inspector).post(f"{URL}{d['id']}/verify/")
    assert resp.status_code == 200 and resp.json()["identical"] is True
    # a tampered result is detected
    Draw.objects.filter(pk=d["id"]).update(result=list(reversed(d["result"])))
    assert api(orgs.inspector).post(f"{URL}{d['id']}/verify/").json()["identical"] is False


def test_default_seed_is_random_64_bit(orgs, api, gaoqing_enterprises):
    d = api(orgs.reg_admin).post(URL, _body(), format="json").json()
    assert 0 <= int(d["seed"]) < 2**64
    assert api(orgs.reg_admin).post(f"{URL}{d['id']}/verify/").json()["identical"] is True


def test_same_seed_same_candidates_same_draw(orgs, api, gaoqing_enterprises):
    from inspections.services.draws import draw_create

    planned = date.today() + timedelta(days=7)
    a = draw_create(actor=orgs.reg_admin, n=2, planned_on=planned, seed=7)
    b = draw_create(actor=orgs.reg_admin, n=2, planned_on=planned, seed=7)
    assert a.result == b.result and a.candidates == b.candidates


def test_the_caller_cannot_choose_the_seed(orgs, api, gaoqing_enterprises):
    resp = api(orgs.reg_admin).post(URL, _body(seed=7), format="json")
    assert resp.status_code == 400
    assert (resp.json()["errors"][0]["attr"], resp.json()["errors"][0]["code"]) == ("seed", "seed_not_allowed")
    assert Draw.objects.count() == 0


def test_recused_inspector_never_drawn(orgs, api, gaoqing_enterprises):
    from tests.factories import member

    member(orgs.gaoqing, "inspector")
    resp = api(orgs.inspector).post("/api/v1/conflicts-of-interest/", {
        "inspector": orgs.inspector.pk, "enterprise": orgs.owner.pk, "reason": "近亲属任该企业主要负责人"})
    assert resp.status_code == 201, resp.json()
    # an inspector may not declare for someone else; another regulator cannot see it
    assert api(orgs.inspector).post("/api/v1/conflicts-of-interest/", {
        "inspector": orgs.inspector2.pk, "enterprise": orgs.owner.pk, "reason": "x"}).status_code == 403
    assert api(orgs.other_reg_admin).get("/api/v1/conflicts-of-interest/").json()["results"] == []
    n = 1 + len(gaoqing_enterprises)
    for _ in range(25):
        d = api(orgs.reg_admin).post(URL, _body(n=n), format="json").json()
        assert d["conflicts"] == [[orgs.inspector.pk, orgs.owner.pk]]
        row = next(r for r in d["result"] if r["enterprise"] == orgs.owner.pk)
        assert orgs.inspector.pk not in row["inspectors"]
    assert ConflictOfInterest.objects.count() == 1


def test_fewer_than_two_eligible_inspectors_is_400(orgs, api):
    api(orgs.reg_admin).post("/api/v1/conflicts-of-interest/", {
        "inspector": orgs.inspector.pk, "enterprise": orgs.owner.pk, "reason": "曾任职"}, format="json")
    resp = api(orgs.reg_admin).post(URL, _body(n=1, filter={"q": orgs.owner.name}), format="json")
    assert resp.status_code == 400
    assert resp.json()["errors"][0]["code"] == "insufficient_inspectors"
    assert Draw.objects.count() == 0 and Inspection.objects.count() == 0


def test_filter_and_weighting(orgs, api, gaoqing_enterprises):
    RiskPointFactory(enterprise=gaoqing_enterprises[0], level="major")
    d = api(orgs.reg_admin).post(URL, _body(n=1, filter={"town": "370322104"}), format="json").json()
    assert d["candidates"] == [gaoqing_enterprises[1].pk]
    d = api(orgs.reg_admin).post(URL, _body(n=2, weighted=True), format="json").json()
    weights = dict(zip(d["candidates"], d["weights"], strict=True))
    assert weights[gaoqing_enterprises[0].pk] == 4 and weights[orgs.owner.pk] == 1
    assert api(orgs.reg_admin).post(f"{URL}{d['id']}/verify/").json()["identical"] is True
    resp = api(orgs.reg_admin).post(URL, _body(filter={"nope": "1"}), format="json")
    assert resp.status_code == 400 and resp.json()["errors"][0]["attr"] == "filter"
    resp = api(orgs.reg_admin).post(URL, _body(n=50), format="json")
    assert resp.status_code == 400 and resp.json()["errors"][0]["code"] == "too_few_candidates"


def test_permissions_and_isolation(orgs, api, gaoqing_enterprises):
    assert api(orgs.inspector).post(URL, _body(), format="json").status_code == 403
    assert api(orgs.officer).post(URL, _body(), format="json").status_code == 403
    assert api(orgs.officer).get(URL).status_code == 403
    assert api().post(URL, _body(), format="json").status_code == 401
    d = api(orgs.reg_admin).post(URL, _body(), format="json").json()
    assert api(orgs.other_reg_admin).get(f"{URL}{d['id']}/").status_code == 404
    assert api(orgs.other_reg_admin).post(f"{URL}{d['id']}/verify/").status_code == 404
    assert api(orgs.inspector).get(f"{URL}{d['id']}/").status_code == 200
    assert api(orgs.reg_admin).delete(f"{URL}{d['id']}/").status_code == 405


def test_filter_takes_only_candidate_filters(orgs, api, gaoqing_enterprises):
    for bad in ({"page": "1"}, {"ordering": "zzz"}, {"q": {"a": 1}}):
        resp = api(orgs.reg_admin).post(URL, _body(filter=bad), format="json")
        assert resp.status_code == 400, bad
        assert resp.json()["errors"][0]["code"] == "invalid_filter"
    assert Draw.objects.count() == 0
