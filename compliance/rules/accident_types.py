"""Accident types of GB 6441-1986 and GB 6441-2025 side by side, and the mapping between them where one
exists (issue 14 §13). Pure: no Django.

The register accepts either standard's names (:func:`parse_accident_names`); each stored name belongs to
one standard or to both (:func:`standards_of`); the enterprise chooses the standard its exports use
(``Enterprise.accident_standard``) and :func:`names_in` turns stored names into that standard's names
where the table maps them, keeping a name that has no counterpart as it is, marked with its standard.

Sources. GB 6441-1986《企业职工伤亡事故分类》: the 20 types, codes 01–20 [std]. GB 6441-2025《生产安全
事故分类与编码》(replaces GB/T 6441-1986; published 2025-12-31): the official text could not be read
here; its names are taken from public summaries, which disagree on the count (27 or 29) and on some
names. A name named alike by at least two independent summaries is ``confirmed``; the rest are
``unconfirmed`` (``[unconfirmed]`` in the rules document) and the category codes of the 2025 standard
are not encoded at all (none could be confirmed). Re-check against the standard's clause 4 before
relying on an unconfirmed name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from compliance.rules.assessment import ACCIDENT_TYPE_ALIASES, ACCIDENT_TYPES, UnknownAccidentType

GB6441_1986, GB6441_2025 = "gb6441-1986", "gb6441-2025"
STANDARD_LABELS: Mapping[str, str] = {GB6441_1986: "GB 6441-1986《企业职工伤亡事故分类》",
                                      GB6441_2025: "GB 6441-2025《生产安全事故分类与编码》"}
SHORT_LABELS: Mapping[str, str] = {GB6441_1986: "GB 6441-1986", GB6441_2025: "GB 6441-2025"}
#: The standard of an enterprise that chose none (its registers and exports so far).
DEFAULT_STANDARD = GB6441_1986


@dataclass(frozen=True)
class AccidentType2025:
    """One category name of GB 6441-2025 and how sure we are of it (``confirmed``: named alike by at
    least two independent public summaries; otherwise one summary only, or they disagree)."""

    name: str
    confirmed: bool
    note: str = ""


_TWO = "两份以上公开解读一致"
_ONE = "仅一份公开解读列出（另有解读未列或名称不同）"
#: GB 6441-2025 category names (order of the summaries; codes not encoded — not confirmed).
GB6441_2025_TYPES: tuple[AccidentType2025, ...] = (
    AccidentType2025("物体打击", True, _TWO),
    AccidentType2025("厂（场）内车辆致害", True, _TWO + "（由“车辆伤害”拆分）"),
    AccidentType2025("道路（轨道）车辆致害", True, _TWO + "（由“车辆伤害”拆分）"),
    AccidentType2025("机械致害", False, _ONE),
    AccidentType2025("起重致害", False, "一份解读作“起重致害”，另一份作“起重设备致害”“起重物致害”两类"),
    AccidentType2025("起重设备致害", False, "见“起重致害”"),
    AccidentType2025("起重物致害", False, "见“起重致害”"),
    AccidentType2025("触电", True, _TWO),
    AccidentType2025("淹溺", True, _TWO),
    AccidentType2025("灼烫", True, _TWO),
    AccidentType2025("火灾", True, _TWO),
    AccidentType2025("高处坠落", True, _TWO),
    AccidentType2025("跌落", True, _TWO + "（新增）"),
    AccidentType2025("坍塌", True, _TWO),
    AccidentType2025("水害", False, _ONE),
    AccidentType2025("淹没", False, _ONE),
    AccidentType2025("滑坡", True, _TWO + "（新增）"),
    AccidentType2025("泄漏", True, _TWO + "（新增）"),
    AccidentType2025("容器爆炸", False, _ONE),
    AccidentType2025("管道爆炸", False, _ONE),
    AccidentType2025("可燃气体爆炸", True, _TWO + "（由“其它爆炸”细化）"),
    AccidentType2025("可燃液体蒸气爆炸", True, _TWO + "（另有解读作“蒸汽”）"),
    AccidentType2025("粉尘爆炸", True, _TWO),
    AccidentType2025("民用爆炸物品爆炸", True, _TWO),
    AccidentType2025("烟花爆竹爆炸", True, _TWO),
    AccidentType2025("其他可燃固体爆炸", False, "一份解读作“其他可燃固体爆炸”，另一份作“可燃固体爆炸”"),
    AccidentType2025("高温熔融物爆炸", True, _TWO),
    AccidentType2025("中毒", True, _TWO + "（由“中毒和窒息”拆分）"),
    AccidentType2025("窒息", True, _TWO + "（由“中毒和窒息”拆分）"),
    AccidentType2025("其他事故", False, _ONE),
)
GB6441_2025_NAMES: tuple[str, ...] = tuple(t.name for t in GB6441_2025_TYPES)
GB6441_1986_NAMES: tuple[str, ...] = tuple(ACCIDENT_TYPES.values())

#: Variant spellings of 2025 names (half-width brackets, 蒸汽/蒸气; the bracketless forms a spreadsheet
#: cell leaves once its bracketed consequences are taken out).
ALIASES_2025: Mapping[str, str] = {
    "厂(场)内车辆致害": "厂（场）内车辆致害", "道路(轨道)车辆致害": "道路（轨道）车辆致害",
    "厂内车辆致害": "厂（场）内车辆致害", "道路车辆致害": "道路（轨道）车辆致害",
    "可燃液体蒸汽爆炸": "可燃液体蒸气爆炸", "可燃固体爆炸": "其他可燃固体爆炸", "其它事故": "其他事故",
}

_MAP_SOURCE = ("GB 6441-2025 与 GB 6441-1986 名称对应：同名保留；车辆伤害拆分为两类，中毒和窒息拆分为中毒、窒息，"
               "其它爆炸细化为可燃气体、可燃液体蒸气、粉尘、可燃固体、高温熔融物爆炸（公开解读）[probable]")


@dataclass(frozen=True)
class Mapping6441:
    """One row of the mapping table: a name of ``source`` standard → the name of the other standard."""

    source: str
    name: str
    target: str
    basis: str = _MAP_SOURCE


_SAME = ("物体打击", "触电", "淹溺", "灼烫", "火灾", "高处坠落", "坍塌")
#: The mapping table. 1986 → 2025 only where one 1986 type has one 2025 counterpart (the same name);
#: a type split in 2025 (车辆伤害, 中毒和窒息, 其它爆炸) has no single target and is kept. 2025 → 1986 for
#: the confirmed 2025 names that fall in one 1986 type. Names not in the table are kept as they are.
MAPPINGS: tuple[Mapping6441, ...] = (
    *(Mapping6441(GB6441_1986, n, n) for n in _SAME),
    *(Mapping6441(GB6441_2025, n, n) for n in _SAME),
    Mapping6441(GB6441_2025, "厂（场）内车辆致害", "车辆伤害"),
    Mapping6441(GB6441_2025, "道路（轨道）车辆致害", "车辆伤害"),
    Mapping6441(GB6441_2025, "中毒", "中毒和窒息"),
    Mapping6441(GB6441_2025, "窒息", "中毒和窒息"),
    Mapping6441(GB6441_2025, "可燃气体爆炸", "其它爆炸"),
    Mapping6441(GB6441_2025, "可燃液体蒸气爆炸", "其它爆炸"),
    Mapping6441(GB6441_2025, "粉尘爆炸", "其它爆炸"),
    Mapping6441(GB6441_2025, "高温熔融物爆炸", "其它爆炸"),
)
_TO: dict[tuple[str, str], str] = {(m.source, m.name): m.target for m in MAPPINGS}
_NAMES = {GB6441_1986: frozenset(GB6441_1986_NAMES), GB6441_2025: frozenset(GB6441_2025_NAMES)}
_SEPARATORS = re.compile(r"[、,，/;；\s]+")


def canonical_name(word: str) -> str | None:
    """The stored form of a name of either standard (NFKC, aliases), or None when it is neither's."""
    word = unicodedata.normalize("NFKC", word).strip()
    for candidate in (word, ACCIDENT_TYPE_ALIASES.get(word), ALIASES_2025.get(word)):
        if candidate and (candidate in _NAMES[GB6441_1986] or candidate in _NAMES[GB6441_2025]):
            return candidate
    # NFKC turns full-width brackets into half-width ones: look the 2025 name up with them back
    widened = word.replace("(", "（").replace(")", "）")
    return widened if widened in _NAMES[GB6441_2025] else None


def standards_of(name: str) -> tuple[str, ...]:
    """The standards a stored name belongs to (one, or both for names they share)."""
    return tuple(code for code in (GB6441_1986, GB6441_2025) if name in _NAMES[code])


def parse_accident_names(text: str | None, standard: str | None = None) -> list[str]:
    """Names of a cell (``"火灾、中毒"``) in either standard (``standard`` None) or one of them.

    Splits on 、 , ， / ; ； and whitespace, drops duplicates keeping order; None or blank gives [].
    Raises ``UnknownAccidentType`` (field ``accident_types``) for a word of neither (or not of
    ``standard``). Source: GB 6441-1986; GB 6441-2025 names as recorded above."""
    if text is None:
        return []
    names: list[str] = []
    for word in _SEPARATORS.split(unicodedata.normalize("NFKC", text)):
        if not word:
            continue
        name = canonical_name(word)
        if name is None or (standard is not None and name not in _NAMES[standard]):
            raise UnknownAccidentType(word)
        if name not in names:
            names.append(name)
    return names


def name_in(name: str, standard: str) -> str:
    """``name`` as ``standard`` calls it: itself when it is that standard's, the mapped name where the
    table has one, else the name marked with its own standard (``"车辆伤害（GB 6441-1986）"``)."""
    if name in _NAMES[standard]:
        return name
    own = standards_of(name)
    target = next((_TO[(s, name)] for s in own if (s, name) in _TO), None)
    if target is not None:
        return target
    return f"{name}（{SHORT_LABELS[own[0]]}）" if own else name


def names_in(names: Iterable[str], standard: str) -> list[str]:
    """Stored names in the enterprise's standard (:func:`name_in`), duplicates dropped (中毒 and 窒息
    both become 中毒和窒息 once)."""
    out: list[str] = []
    for name in names:
        mapped = name_in(name, standard)
        if mapped not in out:
            out.append(mapped)
    return out
