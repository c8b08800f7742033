"""Issue 13: any register or ledger layout imports to the same result as the canonical sample.

The variants are written by :mod:`tests.helpers.layout_variants` from the canonical files in
``samples/`` (≥ 30 workbooks over every class of layout difference, combinations included); each is
imported into a fresh enterprise and compared with the canonical import: same points, kinds,
colours, event scores, levels, flags and accident types; same hazards, states, grades, deadlines,
treatments and overdue set on the reference day.
"""

from __future__ import annotations

import io
import json
import random
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from backend.core.errors import FieldError
from backend.core.time import SHANGHAI
from backend.notifications.models import Notification
from compliance.importers.ledger_parse import parse_ledger
from compliance.importers.register_parse import parse_register
from compliance.models import Hazard, RiskEvent, RiskPoint
from compliance.rules.deadlines import is_overdue
from compliance.services.ledger_import import ledger_import
from compliance.services.register_import import register_import
from tests.factories.accounts import EnterpriseFactory
from tests.helpers.layout_variants import Layout, write_ledger, write_register
from tests.helpers.samples import LEDGER_XLSX, REGISTER_XLSX

REF_NOW = datetime(2026, 11, 29, 12, 0, tzinfo=SHANGHAI)
RENAMED = {"作业活动": "作业活动风险分级管控清单", "设备设施": "表2 设备设施清单"}

REGISTER_LAYOUTS = [
    Layout("r-no-title", title_rows=0),
    Layout("r-one-title", title_rows=1),
    Layout("r-three-titles", title_rows=3),
    Layout("r-one-row-header", two_row_header=False),
    Layout("r-wording-0", wording=0),
    Layout("r-wording-1", wording=1),
    Layout("r-wording-2", wording=2, two_row_header=False),
    Layout("r-wording-3", wording=3),
    Layout("r-shuffled", shuffle_seed=7),
    Layout("r-shuffled-one-row", shuffle_seed=11, two_row_header=False),
    Layout("r-extra-columns", extra_columns=True),
    Layout("r-no-seq", drop=("序号",)),
    Layout("r-no-code", drop=("编号",)),
    Layout("r-repeated-points", merge_points=False),
    Layout("r-renamed-sheets", sheet_names=RENAMED),
    Layout("r-kind-from-sheet-name", drop_kind=True, sheet_names=RENAMED),
    Layout("r-kind-from-method", drop_kind=True, sheet_names={"作业活动": "Sheet1"}),
    Layout("r-formulas", formulas=True),
    Layout("r-roman-levels", level_form="roman"),
    Layout("r-colour-levels", level_form="colour"),
    Layout("r-chinese-levels", level_form="chinese"),
    Layout("r-full-width", full_width=True),
    Layout("r-bracketed-accidents", bracket_accidents=True),
    Layout("r-notes-sheet", notes_sheet=True, blank_rows=True),
    Layout("r-no-footer", footer=False, blank_rows=True),
    Layout("r-xls", fmt="xls"),
    Layout("r-xls-combined", fmt="xls", title_rows=1, wording=1, shuffle_seed=3, merge_points=False),
    Layout("r-csv", fmt="csv", title_rows=0),
    Layout("r-csv-gb", fmt="csv", title_rows=1, wording=0, shuffle_seed=5),
    Layout("r-combined", title_rows=3, wording=2, shuffle_seed=13, extra_columns=True, drop=("序号",),
           merge_points=False, sheet_names=RENAMED, drop_kind=True, formulas=True, level_form="roman",
           full_width=True, bracket_accidents=True, notes_sheet=True),
]

LEDGER_LAYOUTS = [
    Layout("l-no-title", title_rows=0),
    Layout("l-three-titles", title_rows=3),
    Layout("l-renamed", sheet_names={"隐患排查治理台账": "2026年隐患台账", "重大隐患五落实": "重大隐患"}),
    Layout("l-sheet1", sheet_names={"隐患排查治理台账": "Sheet1"}),
    Layout("l-wording-0", wording=0),
    Layout("l-wording-1", wording=1),
    Layout("l-shuffled", shuffle_seed=17),
    Layout("l-no-seq", drop=("序号",)),
    Layout("l-extra", extra_columns=True),
    Layout("l-serial-dates", date_style="serial"),
    Layout("l-dotted-dates", date_style="dotted"),
    Layout("l-chinese-dates", date_style="chinese"),
    Layout("l-full-width", full_width=True),
    Layout("l-notes", notes_sheet=True, blank_rows=True),
    Layout("l-xls", fmt="xls"),
    Layout("l-xls-combined", fmt="xls", title_rows=0, wording=1, shuffle_seed=2, date_style="iso"),
    Layout("l-csv", fmt="csv", title_rows=0, date_style="iso"),
    Layout("l-csv-gb", fmt="csv", title_rows=2, wording=0, shuffle_seed=9, date_style="chinese"),
    Layout("l-combined", title_rows=1, wording=1, shuffle_seed=23, drop=("序号",), extra_columns=True,
           date_style="dotted", full_width=True, notes_sheet=True,
           sheet_names={"隐患排查治理台账": "台账"}),
]


def register_snapshot(enterprise) -> dict:
    points = {p.name: (p.kind, p.level) for p in RiskPoint.objects.filter(enterprise=enterprise)}
    events = sorted(
        (e.risk_point.name, e.description, str(e.score.normalize()), e.level, e.flagged, tuple(e.accident_types),
         e.method, e.control_level, e.measures.count())
        for e in RiskEvent.objects.filter(enterprise=enterprise).select_related("risk_point")
    )
    return {"points": points, "events": events}


def ledger_snapshot(enterprise, *, with_major_sheet: bool = True) -> dict:
    out = {}
    for h in Hazard.objects.filter(enterprise=enterprise):
        row = (h.state, h.grade, h.deadline, h.treatment, h.hazard_type, h.source, h.found_on, h.accepted_on,
               h.funds_yuan, is_overdue(h.state, h.deadline, REF_NOW))
        if with_major_sheet:
            row += (h.supervised, h.major_basis)
        out[(h.found_on, h.description)] = row
    return out


_CANONICAL: dict[str, dict] = {}


def canonical(kind: str, **kw) -> dict:
    key = kind + json.dumps(kw)
    if key not in _CANONICAL:
        ent = EnterpriseFactory()
        if kind == "register":
            register_import(actor=None, enterprise=ent, source=str(REGISTER_XLSX))
            _CANONICAL[key] = register_snapshot(ent)
        else:
            ledger_import(actor=None, enterprise=ent, source=str(LEDGER_XLSX))
            _CANONICAL[key] = ledger_snapshot(ent, **kw)
    return _CANONICAL[key]


def test_there_are_at_least_thirty_variant_workbooks():
    assert len(REGISTER_LAYOUTS) + len(LEDGER_LAYOUTS) >= 30
    assert len({v.name for v in REGISTER_LAYOUTS + LEDGER_LAYOUTS}) == len(REGISTER_LAYOUTS + LEDGER_LAYOUTS)


@pytest.mark.parametrize("layout", REGISTER_LAYOUTS, ids=lambda v: v.name)
def test_register_variant_imports_like_the_canonical_file(db, tmp_path, layout):
    expected = canonical("register")
    ent = EnterpriseFactory()
    reports = [register_import(actor=None, enterprise=ent, source=str(p)) for p in write_register(layout, tmp_path)]
    rejected = [(r.ref, [e.message for e in r.errors]) for rep in reports for r in rep.rows if r.outcome == "rejected"]
    assert rejected == []
    assert sum(rep.counts["total"] for rep in reports) == 82
    assert sum(rep.counts["flagged"] for rep in reports) == 1
    assert register_snapshot(ent) == expected


@pytest.mark.parametrize("layout", LEDGER_LAYOUTS, ids=lambda v: v.name)
def test_ledger_variant_imports_like_the_canonical_file(db, tmp_path, layout):
    with_major = layout.fmt != "csv"  # a csv holds one sheet: no 重大隐患五落实
    expected = canonical("ledger", with_major_sheet=with_major)
    ent = EnterpriseFactory()
    (path,) = write_ledger(layout, tmp_path)
    report = ledger_import(actor=None, enterprise=ent, source=str(path))
    assert [r.ref for r in report.rows if r.outcome == "rejected"] == [] and report.errors == []
    assert report.counts["created"] == 70
    got = ledger_snapshot(ent, with_major_sheet=with_major)
    assert got == expected
    overdue = sorted(k for k, v in got.items() if v[9])
    assert len(overdue) == 7


# --- hypothesis-style seeded loop: header permutations x title rows (parser only, no database) ---------


def _register_signature(parsed) -> list:
    return sorted((s.method, r.point_name, r.point_kind, r.event, tuple(sorted(r.inputs.items())),
                   r.written_score, r.accident_types) for s in parsed.sheets for r in s.rows)


@pytest.mark.parametrize("seed", range(12))
def test_seeded_permutations_and_title_rows_parse_the_same(tmp_path, seed):
    rnd = random.Random(seed)
    layout = Layout(f"seed-{seed}", title_rows=rnd.randint(0, 3), shuffle_seed=rnd.randint(0, 10_000),
                    two_row_header=rnd.random() < 0.5, wording=rnd.choice([None, 0, 1, 2, 3]),
                    merge_points=rnd.random() < 0.5, extra_columns=rnd.random() < 0.5)
    base = _register_signature(parse_register(REGISTER_XLSX))
    (path,) = write_register(layout, tmp_path)
    parsed = parse_register(path)
    assert [p for s in parsed.sheets for p in s.problems] == []
    assert _register_signature(parsed) == base
    ledger_layout = replace_layout(layout, f"ledger-{seed}")
    (lpath,) = write_ledger(ledger_layout, tmp_path)
    lp = parse_ledger(lpath)
    canonical_ledger = parse_ledger(LEDGER_XLSX)
    assert lp.problems == ()
    assert [(r.seq, r.found_date, r.deadline, r.state_text) for r in lp.rows] == [
        (r.seq, r.found_date, r.deadline, r.state_text) for r in canonical_ledger.rows]


def replace_layout(layout: Layout, name: str) -> Layout:
    from dataclasses import replace

    return replace(layout, name=name)


# --- no silent loss ---------------------------------------------------------------------------


def test_register_sheet_missing_a_required_column_is_a_400_naming_it(db, tmp_path):
    (path,) = write_register(Layout("no-event", drop=("危险源或潜在事件",)), tmp_path)
    with pytest.raises(FieldError) as err:
        register_import(actor=None, enterprise=EnterpriseFactory(), source=str(path))
    assert err.value.code == "missing_column" and err.value.field == "event"
    assert "危险源或潜在事件" in str(err.value.detail) and "作业步骤" in str(err.value.detail)  # the headers found


def test_ledger_missing_a_required_column_is_a_400_naming_it(db, tmp_path):
    (path,) = write_ledger(Layout("no-date", drop=("排查日期",)), tmp_path)
    with pytest.raises(FieldError) as err:
        ledger_import(actor=None, enterprise=EnterpriseFactory(), source=str(path))
    assert err.value.code in ("missing_column", "invalid_file")
    assert "排查日期" in str(err.value.detail) and "隐患描述" in str(err.value.detail)


def test_workbook_without_a_data_sheet_is_a_400_saying_what_was_seen(db, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "填表说明"
    wb.active["A1"] = "说明"
    other = wb.create_sheet("汇总")
    other.append(["部门", "人数"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    with pytest.raises(FieldError) as err:
        register_import(actor=None, enterprise=EnterpriseFactory(), source=str(path))
    assert err.value.code == "invalid_file" and "填表说明" in str(err.value.detail) and "汇总" in str(err.value.detail)
    with pytest.raises(FieldError) as err:
        ledger_import(actor=None, enterprise=EnterpriseFactory(), source=str(path))
    assert "填表说明" in str(err.value.detail) or "汇总" in str(err.value.detail)


def test_unknown_enumeration_is_rejected_with_the_field_never_dropped(db, tmp_path):
    import openpyxl

    (path,) = write_register(Layout("bad-enum", title_rows=0), tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["设备设施"]
    ws["I3"] = "火灾、天灾"  # 可能导致的事故类型 of the first data row: not a GB 6441 type
    ws["S4"] = "处级"  # 管控层级: unknown
    wb.save(path)
    report = register_import(actor=None, enterprise=EnterpriseFactory(), source=str(path))
    assert report.counts["total"] == 82
    rejected = {r.ref: [e.field for e in r.errors] for r in report.rows if r.outcome == "rejected"}
    assert rejected == {"设备设施!第3行": ["accident_types"], "设备设施!第4行": ["control_level"]}


def test_every_non_data_row_is_listed_with_its_reason(db, tmp_path):
    report = register_import(actor=None, enterprise=EnterpriseFactory(), source=str(REGISTER_XLSX), dry_run=True)
    sheets = {s["sheet"]: s for s in report.detected["sheets"]}
    reasons = {r["row"]: r["reason"] for r in sheets["作业活动"]["skipped_rows"]}
    assert any("签字栏" in why for why in reasons.values())


# --- preview and explicit mapping ---------------------------------------------------------------


def test_dry_run_reports_the_layout_and_writes_nothing(db, tmp_path):
    ent = EnterpriseFactory()
    (path,) = write_register(Layout("preview", wording=1, notes_sheet=True), tmp_path)
    report = register_import(actor=None, enterprise=ent, source=str(path), dry_run=True)
    assert report.dry_run and report.counts["created"] == 82
    assert RiskPoint.objects.filter(enterprise=ent).count() == 0 and RiskEvent.objects.count() == 0
    body = report.as_dict()
    assert body["dry_run"] is True
    sheets = {s["sheet"]: s for s in body["detected"]["sheets"]}
    assert sheets["作业活动"]["method"] == "lec" and sheets["作业活动"]["columns"]["l"]
    assert sheets["作业活动"]["header_rows"] == [3, 4]
    assert {s["sheet"] for s in body["detected"]["skipped_sheets"]} == {"填表说明"}
    ledger = ledger_import(actor=None, enterprise=ent, source=str(LEDGER_XLSX), dry_run=True)
    assert ledger.counts["created"] == 70 and Hazard.objects.filter(enterprise=ent).count() == 0
    assert not Notification.objects.exists()  # the open major hazard is not reported by a preview
    assert ledger.detected["sheets"][0]["columns"]["found_date"] == "排查日期"


def _mangled_register(tmp_path):
    import openpyxl

    (path,) = write_register(Layout("mangled", title_rows=0, two_row_header=False), tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["作业活动"]
    for cell in ws[1]:
        if cell.value == "L":
            cell.value = "甲因子"  # a heading no vocabulary knows
    wb.save(path)
    return path


def test_mangled_header_is_fixed_by_an_explicit_mapping(db, tmp_path):
    path = _mangled_register(tmp_path)
    ent = EnterpriseFactory()
    preview = register_import(actor=None, enterprise=ent, source=str(path), dry_run=True)
    assert "作业活动" in {s["sheet"] for s in preview.detected["skipped_sheets"]}  # no L: not an LEC sheet
    assert "甲因子" not in json.dumps(preview.detected["sheets"], ensure_ascii=False)
    mapping = {"sheet": "作业活动", "columns": {"L": "甲因子"}}
    report = register_import(actor=None, enterprise=ent, source=str(path), mapping=mapping)
    assert report.counts["created"] == 82 and report.counts["rejected"] == 0
    assert register_snapshot(ent) == canonical("register")


def test_mapping_over_the_api_and_the_command_line(api, orgs, tmp_path, capsys):
    path = _mangled_register(tmp_path)
    url = "/api/v1/risk-register/import/"
    with open(path, "rb") as fh:
        f = SimpleUploadedFile("mangled.xlsx", fh.read())
    r = api(orgs.officer).post(f"{url}?dry_run=1", {"file": f, "mapping": json.dumps({"columns": {"L": "甲因子"}})},
                               format="multipart")
    assert r.status_code == 200, r.json()
    assert r.json()["dry_run"] is True and r.json()["counts"]["created"] == 82
    assert RiskEvent.objects.filter(enterprise=orgs.owner).count() == 0
    f.seek(0)
    bad = api(orgs.officer).post(url, {"file": f, "mapping": "{not json"}, format="multipart")
    assert bad.status_code == 400 and bad.json()["field"] == "mapping" if "field" in bad.json() else bad.status_code == 400
    mapping_file = tmp_path / "mapping.json"
    mapping_file.write_text(json.dumps({"sheet": "作业活动", "columns": {"L": "甲因子"}}), encoding="utf-8")
    call_command("import_register", str(path), "--enterprise-uscc", orgs.owner.uscc, "--dry-run",
                 "--mapping", str(mapping_file))
    out = capsys.readouterr().out
    assert "预览" in out and "l←甲因子" in out
    assert RiskEvent.objects.filter(enterprise=orgs.owner).count() == 0
    call_command("import_register", str(path), "--enterprise-uscc", orgs.owner.uscc, "--mapping", str(mapping_file))
    assert RiskEvent.objects.filter(enterprise=orgs.owner).count() == 82


# --- round trip -------------------------------------------------------------------------------


def test_register_export_reimports_to_the_same_register(db):
    import openpyxl

    from compliance.register_export import register_export_xlsx

    ent = EnterpriseFactory()
    register_import(actor=None, enterprise=ent, source=str(REGISTER_XLSX))
    body = register_export_xlsx(ent).read()
    wb = openpyxl.load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ["作业活动", "设备设施", "场所区域"]
    ws = wb["作业活动"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert str(ws.cell(ws.max_row, 1).value).startswith("填表人：")
    again = register_import(actor=None, enterprise=ent, source=io.BytesIO(body))
    assert (again.counts["unchanged"], again.counts["created"], again.counts["flagged"]) == (82, 0, 1), again.lines()
    assert RiskEvent.objects.filter(enterprise=ent).count() == 82
    other = EnterpriseFactory()
    report = register_import(actor=None, enterprise=other, source=io.BytesIO(body))
    assert report.counts["created"] == 82 and report.counts["flagged"] == 1
    assert register_snapshot(other) == canonical("register")


def test_ledger_command_dry_run_prints_the_layout_and_writes_nothing(orgs, tmp_path, capsys):
    (path,) = write_ledger(Layout("cmd", sheet_names={"隐患排查治理台账": "台账"}, wording=0), tmp_path)
    mapping_file = tmp_path / "m.json"
    mapping_file.write_text(json.dumps({"sheet": "台账", "columns": {"found_date": "发现日期"}}), encoding="utf-8")
    call_command("import_ledger", str(path), "--enterprise-uscc", orgs.owner.uscc, "--dry-run",
                 "--mapping", str(mapping_file))
    out = capsys.readouterr().out
    assert "预览" in out and "工作表 台账" in out and "found_date←发现日期" in out and "created=70" in out
    assert Hazard.objects.filter(enterprise=orgs.owner).count() == 0
