"""Conflict checks between permits, over plain snapshots (no database).

DOMAIN.md §4 "Conflict checks": one guardian watches one job at a time [std]; never two open
blinding permits on the same pipeline at once [std]; no hot work within 30 m of an active blinding
job in a fire-explosion area [probable]; hot work inside a confined space requires both permits,
linked [std]. Only permits in ``CONFLICT_STATES`` (submitted, approved, in_progress, suspended) count;
drafts, completed and closed permits (accepted, rejected, cancelled, expired) never conflict.
Windows are half-open (``windows.overlaps``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from special_ops.error_codes import PermitErrorCode as E

from .errors import RuleError
from .types import CONFLICT_STATES, PermitState, PermitType
from .windows import overlaps

#: Minimum distance (m) between hot work and an active blinding job in a fire-explosion area [probable].
HOT_WORK_BLINDING_MIN_DISTANCE_M = 30.0
#: Mean Earth radius (m), IUGG.
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class PermitSnapshot:
    """What the conflict checks need to know about one permit.

    Attributes:
        id: any unique key (database id); number: permit number (``DH-20261201-01``).
        type, state: ``PermitType`` / ``PermitState`` (or their string values).
        start, end: aware datetimes, half-open planned window.
        guardian: stable identity of the guardian (person id or certificate number), or None.
        pipeline: pipeline id of a blinding job (``PL-M-101``), else None.
        location: free text for messages. lon, lat: WGS-84 degrees, or None.
        fire_explosion_area: the job is inside a fire/explosion hazardous area.
        area_name: named area/unit used when coordinates are missing (e.g. risk-point name).
        confined_space_name: the confined space the job is in (confined-space permits, and hot work
            done inside a confined space), else None.
        related_numbers: numbers of the related permits recorded on this one.
    """

    id: object
    number: str
    type: PermitType | str
    state: PermitState | str
    start: datetime
    end: datetime
    guardian: str | None = None
    pipeline: str | None = None
    location: str = ""
    lon: float | None = None
    lat: float | None = None
    fire_explosion_area: bool = False
    area_name: str | None = None
    confined_space_name: str | None = None
    related_numbers: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Conflict:
    """A conflict with an existing permit: stable ``code``, the other permit's number (None when the
    conflict is a missing permit), Chinese ``message``."""

    code: str
    other_number: str | None
    message: str


class PermitConflict(RuleError):
    """The new permit conflicts with open permits (HTTP 409). Code = the first conflict's code
    (``guardian_overlap``, ``blinding_same_pipeline_overlap``, ``hot_work_near_blinding``,
    ``hot_work_confined_space_unlinked``); ``details["conflicts"]`` lists all."""

    default_code = E.PERMIT_CONFLICT
    default_message = "与现有作业票冲突。"
    status = 409


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres between two WGS-84 points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def _concurrent(new: PermitSnapshot, others: Iterable[PermitSnapshot]) -> list[PermitSnapshot]:
    """Others that count: a conflict state, not ``new`` itself, window overlapping ``new``'s."""
    return [
        o
        for o in others
        if PermitState(o.state) in CONFLICT_STATES
        and o.id != new.id
        and o.number != new.number
        and overlaps(new.start, new.end, o.start, o.end)
    ]


def _is(snapshot: PermitSnapshot, permit_type: PermitType) -> bool:
    return PermitType(snapshot.type) is permit_type


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip() and a.strip() == b.strip())


def _window(p: PermitSnapshot) -> str:
    return f"{p.start.isoformat(timespec='minutes')}–{p.end.isoformat(timespec='minutes')}"


def guardian_conflicts(new: PermitSnapshot, others: Iterable[PermitSnapshot]) -> list[Conflict]:
    """Overlapping open permits with the same guardian → ``guardian_overlap`` [std]."""
    return [
        Conflict(
            E.GUARDIAN_OVERLAP,
            o.number,
            f"监护人已在作业票 {o.number}（{_window(o)}）担任监护，同一时间只能监护一处作业。",
        )
        for o in _concurrent(new, others)
        if _same(new.guardian, o.guardian)
    ]


def blinding_pipeline_conflicts(new: PermitSnapshot, others: Iterable[PermitSnapshot]) -> list[Conflict]:
    """Two open, overlapping blinding permits on the same pipeline → ``blinding_same_pipeline_overlap``
    [std]. (One permit covers one plate; 堵 and 抽 of a plate are separate permits.)"""
    if not _is(new, PermitType.BLINDING):
        return []
    return [
        Conflict(
            E.BLINDING_SAME_PIPELINE_OVERLAP,
            o.number,
            f"管道 {new.pipeline} 已有盲板抽堵作业票 {o.number}（{_window(o)}），同一管道不得同时进行两处盲板抽堵作业。",
        )
        for o in _concurrent(new, others)
        if _is(o, PermitType.BLINDING) and _same(new.pipeline, o.pipeline)
    ]


def _near(a: PermitSnapshot, b: PermitSnapshot) -> bool:
    """Within 30 m when both have coordinates; otherwise the same named area. Unknown location on
    either side without a shared area name is not near [config]."""
    if a.lon is not None and a.lat is not None and b.lon is not None and b.lat is not None:
        return haversine_m(a.lon, a.lat, b.lon, b.lat) <= HOT_WORK_BLINDING_MIN_DISTANCE_M
    return _same(a.area_name, b.area_name)


def hot_work_near_blinding(new: PermitSnapshot, others: Iterable[PermitSnapshot]) -> list[Conflict]:
    """Hot work overlapping an open blinding job that is in a fire-explosion area and near it (≤ 30 m,
    or same named area) → ``hot_work_near_blinding``; checked from either side [probable]."""
    if _is(new, PermitType.HOT_WORK):
        pairs = [(new, o) for o in _concurrent(new, others) if _is(o, PermitType.BLINDING)]
    elif _is(new, PermitType.BLINDING):
        pairs = [(o, new) for o in _concurrent(new, others) if _is(o, PermitType.HOT_WORK)]
    else:
        return []
    return [
        Conflict(
            E.HOT_WORK_NEAR_BLINDING,
            (blind if hot is new else hot).number,
            f"动火作业 {hot.number} 与火灾爆炸危险场所内的盲板抽堵作业 {blind.number} 同时进行且相距不足 30 m。",
        )
        for hot, blind in pairs
        if blind.fire_explosion_area and _near(hot, blind)
    ]


def _linked(a: PermitSnapshot, b: PermitSnapshot) -> bool:
    return b.number in a.related_numbers or a.number in b.related_numbers


def _in_space(p: PermitSnapshot, space: str | None) -> bool:
    return _same(p.confined_space_name, space)


def hot_work_in_confined_space_unlinked(
    new: PermitSnapshot, others: Iterable[PermitSnapshot]
) -> list[Conflict]:
    """Hot work inside a confined space needs an overlapping confined-space permit for the same
    space, and the two must be linked (either records the other's number) [std].

    * New hot work with ``confined_space_name``: no linked overlapping confined-space permit for that
      space → one ``hot_work_confined_space_unlinked`` (other_number = an unlinked candidate or None).
    * New confined-space permit: each overlapping hot work in the same space not linked to it →
      one conflict per hot work.
    """
    if _is(new, PermitType.HOT_WORK) and new.confined_space_name:
        spaces = [
            o
            for o in _concurrent(new, others)
            if _is(o, PermitType.CONFINED_SPACE) and _in_space(o, new.confined_space_name)
        ]
        if any(_linked(new, o) for o in spaces):
            return []
        other = spaces[0].number if spaces else None
        hint = f"请关联受限空间作业票 {other}" if other else "须先办理该受限空间的作业票并相互关联"
        return [
            Conflict(
                E.HOT_WORK_CONFINED_SPACE_UNLINKED,
                other,
                f"受限空间“{new.confined_space_name}”内动火，{hint}。",
            )
        ]
    if _is(new, PermitType.CONFINED_SPACE) and new.confined_space_name:
        return [
            Conflict(
                E.HOT_WORK_CONFINED_SPACE_UNLINKED,
                o.number,
                f"受限空间“{new.confined_space_name}”内有动火作业 {o.number}，两张作业票须相互关联。",
            )
            for o in _concurrent(new, others)
            if _is(o, PermitType.HOT_WORK) and _in_space(o, new.confined_space_name) and not _linked(new, o)
        ]
    return []


#: All checks, in the order their conflicts are reported.
CONFLICT_CHECKS: Sequence[Callable[[PermitSnapshot, Iterable[PermitSnapshot]], list[Conflict]]] = (
    guardian_conflicts,
    blinding_pipeline_conflicts,
    hot_work_near_blinding,
    hot_work_in_confined_space_unlinked,
)


def check_conflicts(new: PermitSnapshot, others: Iterable[PermitSnapshot]) -> list[Conflict]:
    """Run every check in ``CONFLICT_CHECKS``; returns all conflicts (empty list = none).

    Raises:
        NaiveDatetime (``naive_datetime``): a snapshot window is naive. ValueError: bad type/state.
    """
    others = list(others)
    return [conflict for check in CONFLICT_CHECKS for conflict in check(new, others)]


def assert_no_conflicts(new: PermitSnapshot, others: Iterable[PermitSnapshot]) -> None:
    """Raise when :func:`check_conflicts` finds anything.

    Raises:
        PermitConflict (code = first conflict's code; ``details["conflicts"]`` = all as dicts).
    """
    conflicts = check_conflicts(new, others)
    if conflicts:
        raise PermitConflict(
            conflicts[0].message,
            code=conflicts[0].code,
            conflicts=[
                {"code": c.code, "other_number": c.other_number, "message": c.message} for c in conflicts
            ],
        )
