"""Issue 13 §1 and §4: accident types with their consequences, and export → import round trips.

An accident-type cell such as 「物体打击（人员受伤）」 is stored as the GB 6441 names (``accident_types``)
and the text written beside them (``accident_consequence``); the register export writes both back
into the one cell and the importer reads them to the same values.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from compliance.models import RiskEvent
from compliance.register_export import register_export_xlsx
from compliance.services.register_import import register_import
from tests.factories.accounts import EnterpriseFactory
from tests.helpers.layout_variants import Layout, write_register

pytestmark = pytest.mark.django_db


def _register_with_accidents(tmp_path, cells: dict[str, str]):
    (path,) = write_register(Layout("accidents", title_rows=0), tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["设备设施"]
    for ref, text in cells.items():
        ws[ref] = text
    wb.save(path)
    return path




def test_bracketed_consequences_are_kept_beside_the_standard_names(tmp_path):
    path = _register_with_accidents(tmp_path, {"I3": "物体打击（人员受伤）", "I4": "火灾(财产损失)、中毒和窒息（人员伤亡）",
                                               "I5": "触电、灼烫"})
    ent = EnterpriseFactory()
    report = register_import(actor=None, enterprise=ent, source=str(path))
    assert report.counts["rejected"] == 0, report.lines()
    by_row = {r.row: r.object_id for r in report.rows if r.sheet == "设备设施"}
    got = {n: RiskEvent.objects.values_list("accident_types", "accident_consequence").get(pk=by_row[n])
           for n in (3, 4, 5)}
    assert got == {3: (["物体打击"], "人员受伤"), 4: (["火灾", "中毒和窒息"], "财产损失；人员伤亡"),
                   5: (["触电", "灼烫"], "")}
    # exported in one cell and read back unchanged, into the same enterprise and into another
    body = register_export_xlsx(ent).read()
    cells = {c.value for ws in openpyxl.load_workbook(io.BytesIO(body)) for row in ws.iter_rows() for c in row}
    assert "物体打击（人员受伤）" in cells and "火灾、中毒和窒息（财产损失；人员伤亡）" in cells
    again = register_import(actor=None, enterprise=ent, source=io.BytesIO(body))
    assert again.counts["created"] == again.counts["updated"] == 0, [(r.ref, r.changed) for r in again.rows if r.outcome == 'updated']
    other = EnterpriseFactory()
    register_import(actor=None, enterprise=other, source=io.BytesIO(body))

    def pairs(e):
        return sorted(RiskEvent.objects.filter(enterprise=e).values_list("description", "accident_types",
                                                                           "accident_consequence"))
    assert pairs(other) == pairs(ent)


def test_the_consequence_is_served_and_editable(api, orgs, tmp_path):
    path = _register_with_accidents(tmp_path, {"I3": "物体打击（人员受伤）"})
    report = register_import(actor=orgs.officer, enterprise=orgs.owner, source=str(path))
    pk = next(r.object_id for r in report.rows if r.sheet == "设备设施" and r.row == 3)
    r = api(orgs.officer).get(f"/api/v1/risk-events/{pk}/")
    assert (r.json()["accident_types"], r.json()["accident_consequence"]) == (["物体打击"], "人员受伤")
    r = api(orgs.officer).patch(f"/api/v1/risk-events/{pk}/", {"accident_consequence": "人员重伤"}, format="json")
    assert r.status_code == 200 and r.json()["accident_consequence"] == "人员重伤"
