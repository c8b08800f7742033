"""Tests for compliance.rules.assessment (DOMAIN.md §2, data/README.md §2). Pure: no Django, no DB."""

from __future__ import annotations

import ast
import math
from decimal import Decimal
from itertools import product
from pathlib import Path

import pytest

from compliance.rules import assessment as rules
from compliance.rules.assessment import (
    ACCIDENT_TYPE_CODES,
    ACCIDENT_TYPES,
    CLASSIFY1_BY_CATEGORY,
    DEFAULT_CONTROL_LEVEL_BY_RISK,
    DIRECT_MAJOR_REASONS,
    LEC_BANDS,
    LEC_C_SCALE,
    LEC_E_SCALE,
    LEC_L_SCALE,
    LS_BANDS,
    LS_L_SCALE,
    LS_S_SCALE,
    MEASURE_CLASSIFY1,
    MES_BANDS,
    MES_E_SCALE,
    MES_M_SCALE,
    MES_S_SCALE,
    METHODS,
    Assessment,
    Band,
    ControlLevel,
    MeasureCategory,
    MissingInput,
    OffScaleValue,
    RiskLevel,
    RuleError,
    UnknownAccidentType,
    UnknownChoice,
    UnknownMethod,
    apply_direct_major,
    assess,
    assess_lec,
    assess_ls,
    assess_mes,
    band_level,
    control_levels_for,
    highest_level,
    level_rank,
    parse_accident_types,
    parse_control_level,
    parse_written_level,
)

D = Decimal
MAJOR, HIGH, MODERATE, LOW = RiskLevel.MAJOR, RiskLevel.HIGH, RiskLevel.MODERATE, RiskLevel.LOW


def _products(*scales: tuple[Decimal, ...]) -> set[Decimal]:
    return {math.prod(combo, start=D(1)) for combo in product(*scales)}


# ----------------------------------------------------------------------------- purity


def test_module_imports_nothing_from_django():
    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"django", "rest_framework"}}


# ----------------------------------------------------------------------------- levels


@pytest.mark.parametrize(
    ("level", "value", "label", "colour", "code"),
    [
        (MAJOR, "major", "重大", "red", 1),
        (HIGH, "high", "较大", "orange", 2),
        (MODERATE, "moderate", "一般", "yellow", 3),
        (LOW, "low", "低", "blue", 4),
    ],
)
def test_risk_level_table(level, value, label, colour, code):
    assert level == value
    assert str(level) == value
    assert RiskLevel(value) is level
    assert (level.label, level.colour, level.national_code) == (label, colour, code)
    assert RiskLevel.from_national(code) is level


def test_risk_level_order_and_choices():
    assert list(RiskLevel) == [MAJOR, HIGH, MODERATE, LOW]
    assert RiskLevel.choices() == [("major", "重大"), ("high", "较大"), ("moderate", "一般"), ("low", "低")]


def test_risk_level_from_unknown_national_code():
    with pytest.raises(UnknownChoice):
        RiskLevel.from_national(5)


def test_level_rank_orders_by_severity():
    assert [level_rank(level) for level in RiskLevel] == [4, 3, 2, 1]
    assert level_rank("high") == 3


def test_level_rank_rejects_non_level():
    with pytest.raises(UnknownChoice) as exc:
        level_rank("severe")
    assert exc.value.code == "invalid_choice"


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([], None),
        ([None], None),
        ([LOW], LOW),
        ([LOW, MODERATE, LOW], MODERATE),
        (["moderate", "high", "low"], HIGH),
        ([LOW, MAJOR, HIGH], MAJOR),
        ([None, LOW, None], LOW),
        (["", "moderate", ""], MODERATE),
        ([""], None),
    ],
)
def test_highest_level(levels, expected):
    assert highest_level(levels) == expected


def test_scale_meanings_cover_every_scale_value():
    meanings = rules.SCALE_MEANINGS
    assert tuple(meanings["lec"]["l"]) == LEC_L_SCALE
    assert tuple(meanings["lec"]["e"]) == LEC_E_SCALE
    assert tuple(meanings["lec"]["c"]) == LEC_C_SCALE
    assert tuple(meanings["mes"]["m"]) == MES_M_SCALE


def test_highest_level_accepts_generator():
    assert highest_level(level for level in (LOW, HIGH)) is HIGH


# ----------------------------------------------------------------------------- LEC scales


def test_lec_scales_are_exactly_the_domain_values():
    assert LEC_L_SCALE == (D("10"), D("6"), D("3"), D("1"), D("0.5"), D("0.2"), D("0.1"))
    assert LEC_E_SCALE == (D("10"), D("6"), D("3"), D("2"), D("1"), D("0.5"))
    assert LEC_C_SCALE == (D("100"), D("40"), D("15"), D("7"), D("3"), D("1"))
    assert all(isinstance(v, Decimal) for v in (*LEC_L_SCALE, *LEC_E_SCALE, *LEC_C_SCALE))


@pytest.mark.parametrize("l_value", LEC_L_SCALE)
def test_lec_every_l_value_accepted(l_value):
    assert assess_lec(l_value, 1, 1).score == l_value


@pytest.mark.parametrize("e_value", LEC_E_SCALE)
def test_lec_every_e_value_accepted(e_value):
    assert assess_lec(1, e_value, 1).score == e_value


@pytest.mark.parametrize("c_value", LEC_C_SCALE)
def test_lec_every_c_value_accepted(c_value):
    assert assess_lec(1, 1, c_value).score == c_value


@pytest.mark.parametrize(
    "l_value",
    [0.1, "0.1", D("0.1"), 0.2, 0.5, "0.5", 10, "10", 10.0, D("10.00"), "３", " 6 "],
)
def test_lec_accepts_int_float_str_decimal(l_value):
    result = assess_lec(l_value, 10, 100)
    assert result.score == D(str(l_value).strip().replace("３", "3")) * 1000


def test_lec_float_point_one_is_normalised_exactly():
    # 0.1 as a binary float is 0.1000000000000000055…; it must be read as Decimal("0.1").
    assert assess_lec(0.1, 0.5, 1).score == D("0.05")
    assert assess_lec(0.1, 10, 100).score == D("100")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"l": 2, "e": 1, "c": 1}, "l"),
        ({"l": 0.3, "e": 1, "c": 1}, "l"),
        ({"l": 0, "e": 1, "c": 1}, "l"),
        ({"l": -1, "e": 1, "c": 1}, "l"),
        ({"l": 100, "e": 1, "c": 1}, "l"),
        ({"l": 1, "e": 4, "c": 1}, "e"),
        ({"l": 1, "e": 0.2, "c": 1}, "e"),
        ({"l": 1, "e": 100, "c": 1}, "e"),
        ({"l": 1, "e": 1, "c": 10}, "c"),
        ({"l": 1, "e": 1, "c": 0.5}, "c"),
        ({"l": 1, "e": 1, "c": 6}, "c"),
        ({"l": "abc", "e": 1, "c": 1}, "l"),
        ({"l": True, "e": 1, "c": 1}, "l"),
        ({"l": float("nan"), "e": 1, "c": 1}, "l"),
        ({"l": "Infinity", "e": 1, "c": 1}, "l"),
        ({"l": 1, "e": [1], "c": 1}, "e"),
        ({"l": 0.30000000000000004, "e": 1, "c": 1}, "l"),
    ],
)
def test_lec_off_scale_rejected_with_field(kwargs, field):
    with pytest.raises(OffScaleValue) as exc:
        assess_lec(**kwargs)
    err = exc.value
    assert isinstance(err, RuleError)
    assert err.field == field
    assert err.code == "off_scale"
    assert err.value is kwargs[field]
    assert err.allowed == {"l": LEC_L_SCALE, "e": LEC_E_SCALE, "c": LEC_C_SCALE}[field]
    assert err.message


# ----------------------------------------------------------------------------- LEC bands


def test_lec_bands_table():
    assert LEC_BANDS == (
        Band(MAJOR, D(320), inclusive=False),
        Band(HIGH, D(160), inclusive=False),
        Band(MODERATE, D(70), inclusive=False),
        Band(LOW, None),
    )


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (D("0.05"), LOW),
        (D("70"), LOW),
        (D("70.01"), MODERATE),
        (D("160"), MODERATE),
        (D("160.01"), HIGH),
        (D("320"), HIGH),
        (D("320.01"), MAJOR),
        (D("100000"), MAJOR),
    ],
)
def test_lec_band_edges_exact(score, level):
    # Upper bound inclusive: D = 70 is low, D = 160 moderate, D = 320 high.
    assert band_level(score, LEC_BANDS) is level


def test_lec_reachable_products_near_edges():
    products = _products(LEC_L_SCALE, LEC_E_SCALE, LEC_C_SCALE)
    assert D(70) in products
    # 160 and 320 are not products of the scales, so assess_lec tests use the nearest ones.
    assert D(160) not in products
    assert D(320) not in products
    assert max(p for p in products if p < 70) == D(63)
    assert min(p for p in products if p > 70) == D(75)
    assert max(p for p in products if p < 160) == D(150)
    assert min(p for p in products if p > 160) == D(180)
    assert max(p for p in products if p < 320) == D(300)
    assert min(p for p in products if p > 320) == D(360)


@pytest.mark.parametrize(
    ("lec", "score", "level"),
    [
        ((1, 1, 1), D("1"), LOW),
        ((0.5, 3, 15), D("22.5"), LOW),  # the register's one LEC row with L = 0.5
        ((3, 3, 7), D("63"), LOW),
        ((10, 1, 7), D("70"), LOW),  # exactly 70: low
        ((10, 0.5, 15), D("75"), MODERATE),  # nearest product above 70
        ((10, 1, 15), D("150"), MODERATE),  # nearest below 160 (160 unreachable)
        ((10, 6, 3), D("180"), HIGH),  # nearest above 160
        ((3, 6, 15), D("270"), HIGH),
        ((10, 10, 3), D("300"), HIGH),  # nearest below 320 (320 unreachable)
        ((3, 3, 40), D("360"), MAJOR),  # nearest above 320
        ((10, 10, 100), D("10000"), MAJOR),
    ],
)
def test_assess_lec_levels(lec, score, level):
    result = assess_lec(*lec)
    assert result == Assessment(score=score, level=level)
    assert isinstance(result.score, Decimal)


def test_assessment_is_frozen():
    result = assess_lec(1, 1, 1)
    with pytest.raises(AttributeError):
        result.level = MAJOR  # type: ignore[misc]


def test_assess_lec_custom_bands():
    strict = (Band(MAJOR, D(100)), Band(LOW, None))
    assert assess_lec(10, 1, 15, bands=strict).level is MAJOR


# ----------------------------------------------------------------------------- LS


def test_ls_scales():
    assert LS_L_SCALE == LS_S_SCALE == tuple(D(v) for v in range(1, 6))


@pytest.mark.parametrize("value", range(1, 6))
def test_ls_every_value_accepted(value):
    assert assess_ls(value, 1).score == value
    assert assess_ls(1, value).score == value


@pytest.mark.parametrize(
    ("ls", "score", "level"),
    [
        ((1, 1), 1, LOW),
        ((2, 4), 8, LOW),
        ((3, 3), 9, MODERATE),
        ((3, 4), 12, MODERATE),
        ((5, 3), 15, HIGH),
        ((4, 4), 16, HIGH),
        ((4, 5), 20, MAJOR),
        ((5, 5), 25, MAJOR),
    ],
)
def test_assess_ls_band_edges(ls, score, level):
    assert assess_ls(*ls) == Assessment(D(score), level)


def test_ls_products_have_no_gaps_inside_bands():
    # 13, 14, 17–19 and 21–24 are not products of 1–5 × 1–5, so the bands are contiguous in use.
    assert sorted(_products(LS_L_SCALE, LS_S_SCALE)) == [
        D(v) for v in (1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25)
    ]


@pytest.mark.parametrize(
    ("ls", "field"),
    [((0, 1), "l"), ((6, 1), "l"), ((2.5, 1), "l"), ((1, 0), "s"), ((1, 6), "s"), ((1, "x"), "s")],
)
def test_ls_off_scale(ls, field):
    with pytest.raises(OffScaleValue) as exc:
        assess_ls(*ls)
    assert exc.value.field == field


def test_ls_alternative_bands_can_be_passed():
    alternative = (Band(MAJOR, D(17)), Band(HIGH, D(11)), Band(MODERATE, D(5)), Band(LOW, None))
    assert assess_ls(4, 4, bands=alternative).level is HIGH
    assert assess_ls(4, 5, bands=alternative).level is MAJOR
    assert assess_ls(1, 4, bands=alternative).level is LOW


# ----------------------------------------------------------------------------- MES


def test_mes_scales():
    assert MES_M_SCALE == (D(1), D(3), D(5))
    assert MES_E_SCALE == LEC_E_SCALE
    assert MES_S_SCALE == (D(1), D(2), D(4), D(8), D(10))


@pytest.mark.parametrize("m", MES_M_SCALE)
def test_mes_every_m_accepted(m):
    assert assess_mes(m, 1, 1).score == m


@pytest.mark.parametrize("e", MES_E_SCALE)
def test_mes_every_e_accepted(e):
    assert assess_mes(1, e, 1).score == e


@pytest.mark.parametrize("s", MES_S_SCALE)
def test_mes_every_s_accepted(s):
    assert assess_mes(1, 1, s).score == s


@pytest.mark.parametrize(
    ("mes", "field"),
    [
        ((2, 1, 1), "m"),
        ((0, 1, 1), "m"),
        ((1, 7, 1), "e"),
        ((1, 0.1, 1), "e"),
        ((1, 1, 3), "s"),
        ((1, 1, 5), "s"),
    ],
)
def test_mes_off_scale(mes, field):
    with pytest.raises(OffScaleValue) as exc:
        assess_mes(*mes)
    assert exc.value.field == field


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (D("49"), LOW),
        (D("49.99"), LOW),
        (D("50"), MODERATE),
        (D("89"), MODERATE),
        (D("90"), HIGH),
        (D("179"), HIGH),
        (D("180"), MAJOR),
    ],
)
def test_mes_band_edges_exact(score, level):
    assert band_level(score, MES_BANDS) is level


def test_mes_reachable_products_near_edges():
    products = _products(MES_M_SCALE, MES_E_SCALE, MES_S_SCALE)
    assert {D(50), D(90), D(180)} <= products
    # 49, 89 and 179 are unreachable; the nearest products below the edges are 48, 80, 150.
    assert not {D(49), D(89), D(179)} & products
    assert max(p for p in products if p < 50) == D(48)
    assert max(p for p in products if p < 90) == D(80)
    assert max(p for p in products if p < 180) == D(150)


@pytest.mark.parametrize(
    ("mes", "score", "level"),
    [
        ((1, 6, 8), 48, LOW),  # nearest below 50 (49 unreachable)
        ((5, 10, 1), 50, MODERATE),
        ((1, 10, 8), 80, MODERATE),  # nearest below 90 (89 unreachable)
        ((3, 3, 10), 90, HIGH),
        ((5, 3, 10), 150, HIGH),  # nearest below 180 (179 unreachable)
        ((3, 6, 10), 180, MAJOR),
        ((5, 10, 10), 500, MAJOR),
        ((1, 0.5, 1), D("0.5"), LOW),
    ],
)
def test_assess_mes_levels(mes, score, level):
    assert assess_mes(*mes) == Assessment(D(score), level)


# ----------------------------------------------------------------------------- dispatch


@pytest.mark.parametrize(
    ("method", "inputs", "expected"),
    [
        ("lec", {"l": 3, "e": 6, "c": 15}, Assessment(D(270), HIGH)),
        ("LEC", {"l": "0.5", "e": "3", "c": "15"}, Assessment(D("22.5"), LOW)),
        (" ls ", {"l": 4, "s": 5}, Assessment(D(20), MAJOR)),
        ("mes", {"m": 3, "e": 6, "s": 10}, Assessment(D(180), MAJOR)),
        ("lec", {"l": 1, "e": 1, "c": 1, "note": "ignored"}, Assessment(D(1), LOW)),
    ],
)
def test_assess_dispatch(method, inputs, expected):
    assert assess(method, inputs) == expected


def test_methods_table():
    assert set(METHODS) == {"lec", "ls", "mes"}
    assert tuple(METHODS["lec"].scales) == ("l", "e", "c")
    assert tuple(METHODS["ls"].scales) == ("l", "s")
    assert tuple(METHODS["mes"].scales) == ("m", "e", "s")
    assert METHODS["lec"].bands is LEC_BANDS
    assert METHODS["ls"].bands is LS_BANDS
    assert METHODS["mes"].bands is MES_BANDS


@pytest.mark.parametrize("method", ["jha", "", "lecd", None, 3])
def test_assess_unknown_method(method):
    with pytest.raises(UnknownMethod) as exc:
        assess(method, {"l": 1, "e": 1, "c": 1})
    assert exc.value.field == "method"
    assert exc.value.code == "unknown_method"


@pytest.mark.parametrize(
    ("method", "inputs", "field"),
    [
        ("lec", {"e": 1, "c": 1}, "l"),
        ("lec", {"l": 1, "e": None, "c": 1}, "e"),
        ("lec", {"l": 1, "e": 1, "c": "  "}, "c"),
        ("ls", {"l": 1}, "s"),
        ("mes", {"e": 1, "s": 1}, "m"),
        ("lec", {"L": 1, "E": 1, "C": 1}, "l"),
    ],
)
def test_assess_missing_input_is_required(method, inputs, field):
    with pytest.raises(MissingInput) as exc:
        assess(method, inputs)
    assert exc.value.code == "required"
    assert exc.value.field == field


def test_assess_off_scale_names_field():
    with pytest.raises(OffScaleValue) as exc:
        assess("mes", {"m": 1, "e": 1, "s": 3})
    assert exc.value.field == "s"


def test_assess_accepts_band_override():
    assert assess("ls", {"l": 3, "s": 3}, bands=(Band(HIGH, D(9)), Band(LOW, None))).level is HIGH


def test_band_level_without_catch_all_raises():
    with pytest.raises(ValueError, match="no band"):
        band_level(D(1), (Band(MAJOR, D(100)),))


# ----------------------------------------------------------------------------- direct major


def test_direct_major_reasons_table():
    assert DIRECT_MAJOR_REASONS == {
        "law_breach": "违反法律法规或强制性标准",
        "past_accident": "发生过死亡/重伤事故且条件未消除",
        "major_hazard_source": "含重大危险源",
        "crowded_site": "≥10人在火灾爆炸中毒风险场所作业",
    }


@pytest.mark.parametrize("reason", list(DIRECT_MAJOR_REASONS))
@pytest.mark.parametrize("level", list(RiskLevel))
def test_direct_major_forces_major(reason, level):
    assert apply_direct_major(level, reason) is MAJOR


@pytest.mark.parametrize("level", list(RiskLevel))
@pytest.mark.parametrize("reason", [None, ""])
def test_direct_major_without_reason_keeps_level(level, reason):
    assert apply_direct_major(level, reason) is level


def test_direct_major_accepts_string_level():
    assert apply_direct_major("low", None) is LOW


def test_direct_major_unknown_reason():
    with pytest.raises(UnknownChoice) as exc:
        apply_direct_major(LOW, "bad_vibes")
    assert exc.value.field == "direct_major_reason"


# ----------------------------------------------------------------------------- control levels


def test_control_level_table():
    assert [(c.value, c.label) for c in ControlLevel] == [
        ("company", "公司级"),
        ("department", "车间级"),
        ("team", "班组级"),
        ("post", "岗位级"),
    ]
    assert DEFAULT_CONTROL_LEVEL_BY_RISK == {
        MAJOR: ControlLevel.COMPANY,
        HIGH: ControlLevel.DEPARTMENT,
        MODERATE: ControlLevel.TEAM,
        LOW: ControlLevel.POST,
    }


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (MAJOR, ("company", "department", "team", "post")),
        (HIGH, ("department", "team", "post")),
        ("moderate", ("team", "post")),
        (LOW, ("post",)),
        (ControlLevel.DEPARTMENT, ("department", "team", "post")),
        ("team", ("team", "post")),
    ],
)
def test_control_levels_for(level, expected):
    assert control_levels_for(level) == tuple(ControlLevel(v) for v in expected)


def test_control_levels_for_custom_mapping():
    mapping = {**DEFAULT_CONTROL_LEVEL_BY_RISK, HIGH: ControlLevel.COMPANY}
    assert control_levels_for(HIGH, mapping)[0] is ControlLevel.COMPANY


def test_control_levels_for_unknown():
    with pytest.raises(UnknownChoice):
        control_levels_for("extreme")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("公司级", "company"),
        (" 车间级 ", "department"),
        ("班组级", "team"),
        ("岗位级", "post"),
        ("post", "post"),
        ("厂级", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_control_level(text, expected):
    assert parse_control_level(text) == (ControlLevel(expected) if expected else None)


# ----------------------------------------------------------------------------- written levels

WRITTEN_FORMS = {
    MAJOR: ["重大风险", "重大", "红", "红色", "1级", "一级", "Ⅰ级", "I级", "１级", "major"],
    HIGH: ["较大风险", "较大", "橙", "橙色", "2级", "二级", "Ⅱ级", "II级", "２级", "high"],
    MODERATE: ["一般风险", "一般", "黄", "黄色", "3级", "三级", "Ⅲ级", "III级", "３级", "moderate"],
    LOW: ["低风险", "低", "蓝", "蓝色", "4级", "四级", "Ⅳ级", "IV级", "４级", "low"],
}


@pytest.mark.parametrize(
    ("text", "level"),
    [(text, level) for level, forms in WRITTEN_FORMS.items() for text in forms],
)
def test_parse_written_level_every_form(text, level):
    assert parse_written_level(text) is level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        (" 红色 ", MAJOR),
        ("\u3000较大风险\u3000", HIGH),
        ("3 级", MODERATE),
        ("iv级", LOW),
        ("ⅳ级", LOW),
        ("Ⅲ 级", MODERATE),
    ],
)
def test_parse_written_level_normalises(text, level):
    assert parse_written_level(text) is level


@pytest.mark.parametrize("text", ["", "  ", None, "严重", "5级", "Ⅴ级", "中", "红橙", "一般隐患", 3, "III"])
def test_parse_written_level_unknown_is_none(text):
    assert parse_written_level(text) is None


def test_register_written_forms_from_readme():
    # data/README.md §2: the forms the sample register uses.
    expected = {
        "较大风险": HIGH,
        "红": MAJOR,
        "一般风险": MODERATE,
        "低风险": LOW,
        "重大风险": MAJOR,
        "橙": HIGH,
        "蓝": LOW,
        "黄": MODERATE,
        "3级": MODERATE,
        "4级": LOW,
    }
    assert {text: parse_written_level(text) for text in expected} == expected


# ----------------------------------------------------------------------------- measures


def test_measure_categories():
    assert [(c.value, c.label) for c in MeasureCategory] == [
        ("engineering", "工程技术"),
        ("management", "管理"),
        ("training", "培训教育"),
        ("ppe", "个体防护"),
        ("emergency", "应急处置"),
    ]


def test_national_classify1_codes():
    assert MEASURE_CLASSIFY1 == {1: "工程技术", 2: "维护保养", 3: "操作行为", 4: "应急措施"}


def test_every_category_maps_to_a_classify1_code():
    assert set(CLASSIFY1_BY_CATEGORY) == set(MeasureCategory)
    assert set(CLASSIFY1_BY_CATEGORY.values()) <= set(MEASURE_CLASSIFY1)
    assert CLASSIFY1_BY_CATEGORY[MeasureCategory.ENGINEERING] == 1
    assert CLASSIFY1_BY_CATEGORY[MeasureCategory.EMERGENCY] == 4


# ----------------------------------------------------------------------------- accident types

README_TYPES = (
    "物体打击、车辆伤害、机械伤害、起重伤害、触电、淹溺、灼烫、火灾、高处坠落、坍塌、冒顶片帮、透水、放炮、火药爆炸、"
    "瓦斯爆炸、锅炉爆炸、容器爆炸、其它爆炸、中毒和窒息、其它伤害"
)


def test_accident_types_table_is_gb6441_order():
    assert list(ACCIDENT_TYPES) == list(range(1, 21))
    assert list(ACCIDENT_TYPES.values()) == README_TYPES.split("、")
    assert ACCIDENT_TYPE_CODES["中毒和窒息"] == 19
    assert ACCIDENT_TYPE_CODES["物体打击"] == 1


def test_parse_all_twenty_types():
    assert parse_accident_types(README_TYPES) == list(ACCIDENT_TYPES.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("火灾", ["火灾"]),
        ("火灾、其它爆炸", ["火灾", "其它爆炸"]),
        ("火灾,触电", ["火灾", "触电"]),
        ("火灾，触电", ["火灾", "触电"]),
        ("火灾/触电", ["火灾", "触电"]),
        ("火灾／触电", ["火灾", "触电"]),
        ("火灾 触电\n灼烫", ["火灾", "触电", "灼烫"]),
        ("火灾、 、触电、", ["火灾", "触电"]),
        ("其他爆炸、其他伤害", ["其它爆炸", "其它伤害"]),
        ("火灾、火灾、其他爆炸、其它爆炸", ["火灾", "其它爆炸"]),
        ("中毒和窒息、淹溺", ["中毒和窒息", "淹溺"]),
        ("", []),
        ("  ", []),
        (None, []),
    ],
)
def test_parse_accident_types(text, expected):
    assert parse_accident_types(text) == expected


@pytest.mark.parametrize(
    ("text", "bad"), [("爆炸", "爆炸"), ("火灾、中毒", "中毒"), ("火灾、窒息", "窒息"), ("fire", "fire")]
)
def test_parse_accident_types_unknown(text, bad):
    with pytest.raises(UnknownAccidentType) as exc:
        parse_accident_types(text)
    assert exc.value.value == bad
    assert exc.value.code == "unknown_accident_type"
    assert exc.value.field == "accident_types"
