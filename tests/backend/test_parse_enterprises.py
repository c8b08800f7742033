"""Pure parsing of enterprises.csv (no Django, no DB): expected figures from shared/data/README.md §1.

Line numbers count the header as line 1, as README's defect table does (高青县佳禾… is on line 9,
高青县丰润饲料… on line 14 of the file)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from backend.accounts.csv_parse import (
    CsvHeaderError,
    EnterpriseRow,
    RejectedRow,
    parse_enterprises_csv,
)
from tests.helpers.samples import ENTERPRISES_CSV

CSV_PATH = ENTERPRISES_CSV

# README §5: the nine town codes of 高青县
TOWNS = frozenset(
    {
        "370322001",
        "370322002",
        "370322101",
        "370322102",
        "370322103",
        "370322104",
        "370322105",
        "370322106",
        "370322108",
    }
)

HEADER = "企业名称,统一社会信用代码,行政区划代码,所属行业,地址,法定代表人,主要负责人,安全管理员,联系电话,重大危险源数量,经度,纬度"
GOOD = "高青澄源化工有限公司,91370322564206426R,370322102,危险化学品生产,某路1号,韩德茂,韩德茂,刘晓燕,13800000001,1,117.754300,37.074900"


@pytest.fixture(scope="module")
def results():
    return parse_enterprises_csv(CSV_PATH, TOWNS)


def test_file_shape_matches_readme():
    raw = CSV_PATH.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 17  # header + 16 rows
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert "高青县佳禾包装材料有限公司" in lines[9 - 1]
    assert "高青县丰润饲料有限公司" in lines[14 - 1]


def test_fourteen_good_two_rejected(results):
    good = [r for r in results if isinstance(r, EnterpriseRow)]
    rejected = [r for r in results if isinstance(r, RejectedRow)]
    assert len(results) == 16
    assert len(good) == 14
    assert [r.line for r in results] == list(range(2, 18))
    assert [(r.line, r.name, r.field, r.code, r.message) for r in rejected] == [
        (9, "高青县佳禾包装材料有限公司", "uscc", "invalid_checksum", "统一社会信用代码校验位错误"),
        (14, "高青县丰润饲料有限公司", "division_code", "required", "行政区划代码为必填项"),
    ]
    assert all(len(r.errors) == 1 for r in rejected)
    assert rejected[0].errors[0].column == "统一社会信用代码"
    assert rejected[0].raw["统一社会信用代码"] == "91370322MA3CP88880"


def test_first_row_fields(results):
    first = results[0]
    assert first == EnterpriseRow(
        line=2,
        name="高青澄源化工有限公司",
        uscc="91370322564206426R",
        division_code="370322102",
        industry="危险化学品生产",
        address="淄博市高青县高城镇工业园纬三路17号",
        legal_rep="韩德茂",
        principal="韩德茂",
        safety_officer="刘晓燕",
        phone="13800000001",
        major_hazard_sources=1,
        lon=Decimal("117.754300"),
        lat=Decimal("37.074900"),
    )


def test_all_good_rows_are_in_gaoqing(results):
    good = [r for r in results if isinstance(r, EnterpriseRow)]
    assert all(r.division_code.startswith("370322") for r in good)
    assert all(len(r.uscc) == 18 for r in good)
    assert sum(r.major_hazard_sources for r in good) == 4
    assert all(isinstance(r.lon, Decimal) and isinstance(r.lat, Decimal) for r in good)


def test_callable_known_codes_and_file_objects():
    data = CSV_PATH.read_bytes()
    from_bytes = parse_enterprises_csv(io.BytesIO(data), lambda code: code.startswith("370322"))
    from_text = parse_enterprises_csv(io.StringIO(data.decode("utf-8-sig"), newline=""), TOWNS)
    assert from_bytes == from_text == parse_enterprises_csv(str(CSV_PATH), TOWNS)


def test_unknown_division_with_other_town_list():
    results = parse_enterprises_csv(CSV_PATH, TOWNS - {"370322108"})
    rejected = {r.line: r.code for r in results if isinstance(r, RejectedRow)}
    assert rejected == {9: "invalid_checksum", 12: "unknown_division", 14: "required"}


def _parse(*rows: str, known=TOWNS):
    text = "\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n"
    return parse_enterprises_csv(io.BytesIO(text.encode("utf-8")), known)


@pytest.mark.parametrize(
    ("row", "field", "code"),
    [
        (GOOD.replace("91370322564206426R", "9137032256420642"), "uscc", "invalid_format"),
        (GOOD.replace("91370322564206426R", "91370322564206426!"), "uscc", "invalid_format"),
        (
            GOOD.replace("91370322564206426R", "91370322564206426S"),
            "uscc",
            "invalid_format",
        ),  # S not in alphabet
        (GOOD.replace("91370322564206426R", "91370322564206426T"), "uscc", "invalid_checksum"),
        (GOOD.replace("91370322564206426R", ""), "uscc", "required"),
        (GOOD.replace("370322102", "370399999"), "division_code", "unknown_division"),
        (GOOD.replace("370322102", "37032210"), "division_code", "invalid_format"),
        (GOOD.replace("高青澄源化工有限公司", ""), "name", "required"),
        (GOOD.replace(",1,117", ",-1,117"), "major_hazard_sources", "invalid_number"),
        (GOOD.replace(",1,117", ",1.5,117"), "major_hazard_sources", "invalid_number"),
        (GOOD.replace(",1,117", ",,117"), "major_hazard_sources", "required"),
        (GOOD.replace("117.754300,37.074900", "37.074900,117.754300"), "lon", "out_of_range"),
        (GOOD.replace("117.754300", "东经117"), "lon", "invalid_number"),
        (GOOD.replace("37.074900", ""), "lat", "required"),
        (GOOD + ",extra", "", "extra_columns"),
    ],
)
def test_row_errors(row, field, code):
    (result,) = _parse(row)
    assert isinstance(result, RejectedRow)
    assert (result.line, result.field, result.code) == (2, field, code)
    assert result.message


def test_normalisation_and_optional_coordinates():
    row = GOOD.replace("91370322564206426R", "９１３７０３２２５６４２０６４２６ｒ").replace(
        "117.754300,37.074900", ","
    )
    (result,) = _parse(row)
    assert isinstance(result, EnterpriseRow)
    assert result.uscc == "91370322564206426R"
    assert (result.lon, result.lat) == (None, None)


def test_village_code_accepted_via_town_prefix():
    (result,) = _parse(GOOD.replace("370322102", "370322102201"))
    assert isinstance(result, EnterpriseRow)
    assert result.division_code == "370322102201"


def test_duplicate_uscc_and_line_numbers_with_blank_and_quoted_lines():
    quoted = GOOD.replace("某路1号", '"某路1号,\r\n2楼"').replace("91370322564206426R", "91370322MA302F4182")
    results = _parse(GOOD, "", quoted, GOOD)
    assert [(r.line, type(r).__name__) for r in results] == [
        (2, "EnterpriseRow"),
        (4, "EnterpriseRow"),
        (6, "RejectedRow"),
    ]
    assert results[1].address == "某路1号,\r\n2楼".strip()
    assert (results[2].code, results[2].message) == ("duplicate", "统一社会信用代码与第2行重复")


def test_gb18030_fallback():
    text = "\r\n".join([HEADER, GOOD]) + "\r\n"
    (result,) = parse_enterprises_csv(io.BytesIO(text.encode("gb18030")), TOWNS)
    assert isinstance(result, EnterpriseRow)
    assert result.name == "高青澄源化工有限公司"


def test_missing_required_column():
    with pytest.raises(CsvHeaderError, match="行政区划代码"):
        parse_enterprises_csv(io.StringIO("企业名称,统一社会信用代码\r\n甲,91370322564206426R\r\n"), TOWNS)
    with pytest.raises(CsvHeaderError):
        parse_enterprises_csv(io.BytesIO(b""), TOWNS)
