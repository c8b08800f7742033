"""The four colours of the risk levels (安全风险四色分布: 红/橙/黄/蓝) for maps, charts and labels.

The level → colour name mapping is :class:`compliance.rules.assessment.RiskLevel` (``colour``); this
table gives each colour its Chinese name and the standard display value (pure red, orange, yellow
and blue, as the 四色图 of the provincial 双重预防 guides draw them) [std]."""

from __future__ import annotations

from collections.abc import Mapping

from compliance.rules.assessment import RiskLevel

#: colour name → (Chinese name, hex RGB).
COLOURS: Mapping[str, tuple[str, str]] = {
    "red": ("红", "#FF0000"),
    "orange": ("橙", "#FFA500"),
    "yellow": ("黄", "#FFFF00"),
    "blue": ("蓝", "#0000FF"),
}
#: A point or zone without an assessed level.
UNASSESSED = ("grey", "未评估", "#9E9E9E")


def level_colour(level: str | None) -> tuple[str, str, str]:
    """``(colour, Chinese colour name, hex)`` of a level value ('major' → ('red', '红', '#FF0000'));
    an empty or unknown level is grey (未评估)."""
    try:
        colour = RiskLevel(level or "").colour
    except ValueError:
        return UNASSESSED
    label, hex_ = COLOURS[colour]
    return colour, label, hex_


#: Levels from the most to the least severe (national code 1 → 4).
LEVELS_BY_SEVERITY: tuple[RiskLevel, ...] = tuple(sorted(RiskLevel, key=lambda lv: lv.national_code))


def highest_level(levels: list[str]) -> str:
    """The most severe of ``levels`` (values), '' when none is assessed (DOMAIN.md §2: a zone or a
    point takes the highest level of its parts)."""
    present = {lv for lv in levels if lv}
    return next((lv.value for lv in LEVELS_BY_SEVERITY if lv.value in present), "")
