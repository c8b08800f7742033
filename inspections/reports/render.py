"""Rendering a report snapshot into its three files: JSON (canonical), XLSX (openpyxl) and PDF
(Django template → WeasyPrint, Noto Sans CJK SC). Pure functions of the snapshot: no queries.

Charts are HTML/CSS bars in the template; the maps of section 二 are SVG built here (the jurisdiction's
enterprises over the shipped county outline; an enterprise's zones over its plan image, which the
caller passes in — the one file read outside the snapshot). The QR code (``qrcode``, SVG) carries
the verification URL of the report's JSON hash; the PDF prints that hash and the report id (a file
cannot contain its own hash; the PDF itself is verified by its stored ``sha256_pdf``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import math
from typing import Any

from django.template.loader import render_to_string

from backend.core.fonts import FONT_HINT, FontMissing, cjk_font_families
from backend.core.qr import qr_data_uri  # noqa: F401 (re-exported: the reports' QR helper lives in the kernel)
from backend.core.spreadsheets import safe_row


def require_cjk_font() -> None:
    """Raise :class:`FontMissing` (with the fix) unless a CJK font is installed (backend/core/fonts.py)."""
    if not cjk_font_families():
        raise FontMissing(FONT_HINT)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def render_json(document: dict) -> bytes:
    """Canonical JSON (sorted keys, UTF-8, 2-space indent, trailing newline)."""
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def _bar_scale(values: list[int]) -> float:
    top = max([v for v in values if v] or [1])
    return 100.0 / top


#: Most cells of the four-colour chart; above it each cell stands for several risk points.
MAX_CELLS = 120


def four_colour(levels: list[dict]) -> dict:
    """The four-colour chart of the risk points by level: one cell per point (red, orange, yellow,
    blue in that order), or one per ``unit`` points when there are more than :data:`MAX_CELLS`."""
    total = sum(lv["count"] for lv in levels)
    unit = max(1, -(-total // MAX_CELLS))
    cells = [{"colour": lv["colour"], "label": lv["colour_label"]}
             for lv in levels for _ in range(-(-lv["count"] // unit))]
    return {"cells": cells, "unit": unit}


#: Fill colours of the four risk colours (and grey: not assessed) in drawn maps.
FILL = {"red": "#d9342b", "orange": "#f08c00", "yellow": "#f5d90a", "blue": "#2f6fd6", "grey": "#9e9e9e"}
#: The jurisdiction map's drawing box (mm): full text width, at most this tall.
MAP_WIDTH_MM, MAP_MAX_HEIGHT_MM = 170.0, 150.0
#: Map levels in the legend and the per-town table, most severe first (None = 未评定).
MAP_LEVELS = (("major", "red", "重大"), ("high", "orange", "较大"), ("moderate", "yellow", "一般"),
              ("low", "blue", "低"), (None, "grey", "未评定"))


def _outer_rings(features: list[dict]) -> list[list[list[float]]]:
    rings = []
    for f in features:
        geom = f.get("geometry") or {}
        polygons = [geom.get("coordinates")] if geom.get("type") == "Polygon" else geom.get("coordinates") or []
        rings += [p[0] for p in polygons if p]
    return rings


def jurisdiction_map(rows: list[dict], outline: list[dict]) -> dict | None:
    """The jurisdiction's enterprises as points over the county outline, as an SVG (mm units): each
    located enterprise (``lon``/``lat``) a dot in its map colour with its rank beside it; ``None``
    when no enterprise has coordinates (the report then prints a per-town table instead).

    Projection: equirectangular, longitudes scaled by cos(mean latitude) — fine at county scale.
    Returns ``{"svg": data URI, "width", "height" (mm), "located", "unlocated": [names]}``.
    """
    located = [r for r in rows if r.get("lon") is not None and r.get("lat") is not None]
    if not located:
        return None
    rings = _outer_rings(outline)
    xs = [r["lon"] for r in located] + [x for ring in rings for x, _ in ring]
    ys = [r["lat"] for r in located] + [y for ring in rings for _, y in ring]
    pad_x, pad_y = max((max(xs) - min(xs)) * 0.04, 0.005), max((max(ys) - min(ys)) * 0.04, 0.005)
    x0, x1, y0, y1 = min(xs) - pad_x, max(xs) + pad_x, min(ys) - pad_y, max(ys) + pad_y
    kx = math.cos(math.radians((y0 + y1) / 2))
    scale = min(MAP_WIDTH_MM / ((x1 - x0) * kx), MAP_MAX_HEIGHT_MM / (y1 - y0))
    width, height = (x1 - x0) * kx * scale, (y1 - y0) * scale

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - x0) * kx * scale, (y1 - lat) * scale

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.1f}mm" height="{height:.1f}mm" '
             f'viewBox="0 0 {width:.2f} {height:.2f}">']
    for ring in rings:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x:.2f},{y:.2f}" for i, (x, y) in enumerate(xy(a, b) for a, b in ring))
        parts.append(f'<path d="{d} Z" fill="#f4f4f4" stroke="#777" stroke-width="0.35"/>')
    for r in sorted(located, key=lambda r: -r["rank"]):  # the worst drawn last, on top
        x, y = xy(r["lon"], r["lat"])
        parts.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="1.8" fill="{FILL.get(r["map_colour"], FILL["grey"])}" '
                     f'stroke="#222" stroke-width="0.25"/>')
        parts.append(f'<text x="{x + 2.2:.2f}" y="{y + 1.0:.2f}" font-size="2.8" '
                     f'font-family="DejaVu Sans, sans-serif" fill="#222">{r["rank"]}</text>')
    parts.append("</svg>")
    svg = "".join(parts).encode("utf-8")
    return {"svg": "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
            "width": round(width, 1), "height": round(height, 1), "located": len(located),
            "unlocated": [r["name"] for r in rows if r.get("lon") is None or r.get("lat") is None]}


#: The plant-layout map's drawing box (mm).
PLAN_WIDTH_MM, PLAN_MAX_HEIGHT_MM = 170.0, 125.0


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def zone_map(zone_map: dict, plan_image: bytes | None) -> dict:
    """The 四色风险分布图 of an enterprise report: the plan image (when given, PNG/JPEG bytes) with an
    SVG overlay in the plan's pixel frame — each zone filled in its colour (translucent), outlined,
    named at its centroid, a zone holding a 重大危险源 outlined black and dashed and marked
    ★重大危险源. Returns ``{"plan": data URI or None, "overlay": data URI, "width", "height"}`` (mm)."""
    w, h = zone_map["width"], zone_map["height"]
    scale = min(PLAN_WIDTH_MM / w, PLAN_MAX_HEIGHT_MM / h)
    unit = max(w, h) / 100.0  # 1 % of the plan's longer side, in plan pixels
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w * scale:.1f}mm" height="{h * scale:.1f}mm" '
             f'viewBox="0 0 {w} {h}">']
    if plan_image is None:
        parts.append(f'<rect x="0" y="0" width="{w}" height="{h}" fill="#fafafa" stroke="#999" stroke-width="{unit * 0.2:.2f}"/>')
    for z in zone_map["zones"]:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in z["polygon"])
        fill = z.get("colour_hex") or FILL["grey"]
        parts.append(f'<polygon points="{pts}" fill="{fill}" fill-opacity="0.42" stroke="{fill}" '
                     f'stroke-width="{unit * 0.35:.2f}"/>')
        if z.get("has_major_hazard_source"):
            parts.append(f'<polygon points="{pts}" fill="none" stroke="#000" stroke-width="{unit * 0.6:.2f}" '
                         f'stroke-dasharray="{unit * 1.5:.1f},{unit:.1f}"/>')
        cx, cy = z["centroid"]
        label = _xml(z["name"])
        parts.append(f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="{unit * 3.2:.1f}" text-anchor="middle" '
                     f'font-family="Noto Sans CJK SC, sans-serif" font-weight="bold" fill="#111">{label}</text>')
        if z.get("has_major_hazard_source"):
            parts.append(f'<text x="{cx:.1f}" y="{cy + unit * 4:.1f}" font-size="{unit * 2.6:.1f}" text-anchor="middle" '
                         f'font-family="Noto Sans CJK SC, sans-serif" fill="#000">★重大危险源</text>')
    parts.append("</svg>")
    overlay = "data:image/svg+xml;base64," + base64.b64encode("".join(parts).encode("utf-8")).decode("ascii")
    plan = None
    if plan_image is not None:
        mime = "image/png" if plan_image.startswith(b"\x89PNG") else "image/jpeg"
        plan = f"data:{mime};base64," + base64.b64encode(plan_image).decode("ascii")
    return {"plan": plan, "overlay": overlay, "width": round(w * scale, 1), "height": round(h * scale, 1)}


def town_colour_table(towns: list[dict]) -> list[dict]:
    """Per town: how many enterprises are at each map level (the fallback of the map)."""
    return [{"name": t["name"], "count": t["count"],
             "by_level": [sum(1 for r in t["enterprises"] if r.get("map_level") == code) for code, _c, _l in MAP_LEVELS]}
            for t in towns]


def template_context(document: dict, *, sha256_json: str, verify_url: str,
                     plan_image: bytes | None = None) -> dict[str, Any]:
    """What the HTML template reads: the snapshot plus chart widths (percent of the bar area), the
    maps of section 二 (``plan_image``: the enterprise's plan, drawn under its frozen zones)."""
    data = document["data"]
    levels = data["risk_points"]["by_level"]
    total_points = sum(lv["count"] for lv in levels) or 1
    monthly = data["hazards"]["monthly"]
    k = _bar_scale([m[key] for m in monthly for key in ("found", "fixed", "overdue")])
    jmap = towns = None
    if "towns" in data.get("enterprises", {}):
        from inspections.boundaries import SOURCE, boundary_features

        outline = boundary_features(document["report"]["subject"].get("jurisdiction") or "")
        jmap = jurisdiction_map(data["enterprises"]["rows"], outline)
        if jmap is not None:
            jmap["source"] = f"{SOURCE['name']}（{SOURCE['licence']}），{SOURCE['accuracy']}" if outline else ""
        towns = town_colour_table(data["enterprises"]["towns"])
    zmap = zone_map(data["zone_map"], plan_image) if data.get("zone_map") else None
    return {
        "zmap": zmap,
        "jmap": jmap,
        "town_colours": towns,
        "map_levels": MAP_LEVELS,
        "four_colour": four_colour(levels),
        "doc": document,
        "report": document["report"],
        "data": data,
        "is_jurisdiction": document["report"]["kind"] == "jurisdiction",
        "level_bars": [{**lv, "width": round(100.0 * lv["count"] / total_points, 2)} for lv in levels],
        "monthly_bars": [
            {**m, "w_found": round(m["found"] * k, 2), "w_fixed": round(m["fixed"] * k, 2), "w_overdue": round(m["overdue"] * k, 2),
             "w_rate": m["rectification_rate"] or 0}
            for m in monthly
        ],
        "sha256_json": sha256_json,
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url),
    }


def render_html(document: dict, *, sha256_json: str, verify_url: str, plan_image: bytes | None = None) -> str:
    return render_to_string("reports/report.html", template_context(document, sha256_json=sha256_json,
                                                                     verify_url=verify_url, plan_image=plan_image))


def render_pdf(document: dict, *, sha256_json: str, verify_url: str, plan_image: bytes | None = None) -> bytes:
    """The PDF (WeasyPrint). Raises :class:`FontMissing` if no CJK font is installed."""
    require_cjk_font()
    from weasyprint import HTML

    for name in ("fontTools", "weasyprint.progress"):  # per-step chatter at INFO
        logging.getLogger(name).setLevel(logging.WARNING)
    html = render_html(document, sha256_json=sha256_json, verify_url=verify_url, plan_image=plan_image)
    return HTML(string=html).write_pdf()


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


def _sheet(wb: Any, title: str, header: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    ws.append(safe_row(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(safe_row(row))  # no formula from enterprise or hazard text, no control characters (D3/D4)
    ws.freeze_panes = "A2"
    for col, name in zip(ws.columns, header, strict=False):
        ws.column_dimensions[col[0].column_letter].width = max(10, min(40, 2 * len(name) + 4))


def render_xlsx(document: dict) -> bytes:
    """The same figures as sheets: 概况, 风险点, 隐患, 月度, 重大隐患, 特殊作业 (+ 风险分区 of an enterprise
    with zones; + 重点企业, 企业一览, 执法 of a jurisdiction; 附件隐患清单)."""
    from openpyxl import Workbook

    report, data = document["report"], document["data"]
    h, rp = data["hazards"], data["risk_points"]
    wb = Workbook()
    wb.remove(wb.active)
    summary = [
        ["报告编号", report["id"]],
        ["报告类型", report["kind_label"]],
        ["对象", report["subject"]["name"]],
        ["统计期", f"{report['period']['start']} 至 {report['period']['end']}"],
        ["数据截至", data["as_of"]],
        ["状态", "已签发" if report.get("status") == "issued" else "草稿"],
        ["统计期未结束（截至数据截止时间）", "是" if data.get("partial") else "否"],
        ["签发时间", report["issued_at"]],
        ["风险点总数", rp["total"]],
        ["重大危险源风险点", rp["major_hazard_sources"]],
        ["应排查任务", data["investigation"]["due"]],
        ["已完成排查任务", data["investigation"]["done"]],
        ["逾期排查任务", data["investigation"]["overdue"]],
        ["包保任务应完成", data["baobao"]["due"]],
        ["包保任务已完成", data["baobao"]["done"]],
        ["发现隐患", h["found"]],
        ["整改验收隐患", h["fixed"]],
        ["本期销号（含此前发现）", h["fixed"]],
        ["本期发现且已整改", h["found_fixed"]],
        ["逾期隐患", h["overdue"]],
        ["未销号隐患", h["open"]],
        ["整改率（%）", h["rectification_rate"]],
        ["整改资金（元）", h["funds_yuan"]],
        ["在治重大隐患", len(data["major_hazards"])],
        ["特殊作业票", data["permits"]["total"]],
    ]
    if "enterprises" in data:
        summary.insert(6, ["辖区企业数", data["enterprises"]["count"]])
    sig = report.get("signatures") or {}
    for key, label in (("compiled_by", "编制人"), ("reviewed_by", "审核人"), ("approved_by", "主要负责人")):
        person = sig.get(key)
        summary.append([label, f"{person['name']}（{person['role']}）" if person else ""])
    summary.append(["存在问题及下步工作", report.get("narrative", "")])
    _sheet(wb, "概况", ["项目", "数值"], summary)
    _sheet(wb, "风险点", ["风险等级", "颜色", "数量", "上期", "变化"],
           [[lv["label"], lv["colour"], lv["count"], lv["previous"], lv["change"]] for lv in rp["by_level"]])
    rows = []
    for dim, key in (("隐患级别", "by_grade"), ("隐患来源", "by_source"), ("隐患类别", "by_type")):
        rows += [[dim, r["label"], r["found"], r["fixed"], r["overdue"]] for r in h[key]]
    _sheet(wb, "隐患", ["维度", "分类", "发现", "整改验收", "逾期"], rows)
    _sheet(wb, "月度", ["月份", "发现", "整改验收", "月末逾期", "整改率（%）"],
           [[m["month"], m["found"], m["fixed"], m["overdue"], m["rectification_rate"]] for m in h["monthly"]])
    _sheet(wb, "重大隐患", ["企业", "隐患编号", "隐患名称", "排查日期", "状态", "治理措施", "责任人", "治理资金（元）", "治理时限",
                        "应急预案及防范措施", "挂牌督办"],
           [[m["enterprise"], m["number"], m["title"], m["found_on"], m["state_label"], m["commitments"]["measures"],
             m["commitments"]["responsible_person"], m["commitments"]["funds_yuan"], m["commitments"]["deadline"],
             m["commitments"]["contingency_plan"], m["supervised_by"] if m["supervised"] else "否"] for m in data["major_hazards"]])
    _sheet(wb, "特殊作业", ["作业类型", "级别", "数量"],
           [[t["label"], lv["label"], lv["count"]] for t in data["permits"]["by_type"] for lv in t["levels"]]
           + [[t["label"], "合计", t["count"]] for t in data["permits"]["by_type"]])
    if data.get("zone_map"):
        _sheet(wb, "风险分区", ["风险区域", "区域等级", "风险点", "重大", "较大", "一般", "低", "重大危险源"],
               [[z["name"], f"{z['level_label']}（{z['colour_label']}）", z["point_count"],
                 *(z["counts"][k] for k in ("major", "high", "moderate", "low")),
                 "是" if z["has_major_hazard_source"] else "否"] for z in data["zone_map"]["zones"]])
    if "enterprises" in data:
        _sheet(wb, "重点企业", ["企业", "统一社会信用代码", "行政区划代码", "逾期隐患", "在治重大隐患"],
               [[w["name"], w["uscc"], w["division_code"], w["overdue"], w["open_major"]] for w in data["enterprises"]["worst"]])
    if "towns" in data.get("enterprises", {}):
        rows = []
        for t in data["enterprises"]["towns"]:
            rows += [[r["rank"], t["name"], r["name"], r["uscc"], *r["levels"].values(), r["found"], r["fixed"], r["overdue"],
                      r["open_major"], r["permits"], r["rate"]] for r in t["enterprises"]]
            rows.append(["", t["name"], f"小计（{t['count']} 家）", "", *t["levels"].values(), t["found"], t["fixed"],
                         t["overdue"], t["open_major"], t["permits"], t["rate"]])
        _sheet(wb, "企业一览", ["排名", "乡镇", "企业", "统一社会信用代码", "重大风险", "较大风险", "一般风险", "低风险", "发现隐患",
                            "本期销号", "逾期隐患", "在治重大隐患", "作业票", "整改率（%）"], rows)
    if "enforcement" in data:
        labels = {"inspections": "执法检查", "inspections_closed": "已结束检查", "inspections_drawn": "双随机抽查",
                  "inspections_follow_up": "复查检查", "findings": "检查发现", "findings_major": "重大发现",
                  "orders": "责令限期整改", "follow_ups": "复查", "follow_ups_fixed": "复查已整改",
                  "supervised": "挂牌督办", "draws": "抽取批次"}
        _sheet(wb, "执法", ["项目", "数量"], [[labels[k], v] for k, v in data["enforcement"].items() if k in labels])
    if "appendix" in data:
        _sheet(wb, "附件隐患清单", ["企业", "隐患编号", "隐患名称", "级别", "状态", "排查日期", "整改期限", "逾期"],
               [[a["enterprise"], a["number"], a["title"], a["grade_label"], a["state_label"], a["found_on"], a["deadline"],
                 "是" if a["overdue"] else "否"] for a in data["appendix"]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
