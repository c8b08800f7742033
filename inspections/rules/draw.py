"""The 双随机 draw (random enterprises + random inspectors) as one pure, deterministic function.

DOMAIN.md §5 "Random draw": from the candidate enterprises draw N and, for each, two inspectors
from the regulator's roster, never an inspector who declared a conflict of interest with that
enterprise; optionally weighted by risk level. The draw stores its seed and snapshots so anyone
can re-run it and get the same answer — so this module uses nothing but ``random.Random(seed)``
over inputs it first puts in a canonical (sorted) order. No Django, no database, no clock.

Algorithm (documented so it can be re-implemented elsewhere, e.g. by an auditor):

1. ``rng = random.Random(seed)`` (Python's Mersenne Twister seeded with the integer ``seed``).
2. Candidates are sorted by enterprise id (weights travel with their enterprise); the roster is
   sorted by user id.
3. Enterprises, without replacement, N times:
   - unweighted: ``rng.sample(candidates, n)`` (order of the sample is the draw order);
   - weighted (positive integer weights): each pick takes ``r = rng.randrange(total)`` over the sum
     of the remaining weights and walks the remaining candidates in id order until the running sum
     exceeds ``r``; the picked one is removed. Integer arithmetic only, so no float drift.
4. For each drawn enterprise in draw order: the eligible inspectors are the sorted roster minus
   those with a declared conflict for it; fewer than two → ``DrawError("insufficient_inspectors")``;
   else ``rng.sample(eligible, 2)``.
5. Result: ``[{"enterprise": id, "inspectors": [id, id]}, …]`` in draw order.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from typing import TypedDict

from backend.core.rules import RuleError
from inspections.error_codes import InspectionErrorCode as Code

#: Weight of an enterprise by the highest risk level among its risk points [config]; an enterprise
#: with no assessed risk point weighs as ``None`` (like "low"). Higher risk → inspected more often.
RISK_WEIGHTS: Mapping[str | None, int] = {"major": 4, "high": 3, "moderate": 2, "low": 1, None: 1}

#: Inspectors per drawn enterprise (DOMAIN.md §5: "two inspectors").
INSPECTORS_PER_ENTERPRISE = 2


class DrawRow(TypedDict):
    """One drawn enterprise and its two inspectors (ids)."""

    enterprise: int
    inspectors: list[int]


class DrawError(RuleError):
    """A draw that cannot be made (400): English ``code``, the input ``field`` to blame, Chinese
    ``message``, facts in ``details`` (``enterprise`` for ``insufficient_inspectors``)."""

    default_code = "invalid_draw"
    default_message = "无法完成抽取。"


def weight_for(level: str | None, table: Mapping[str | None, int] = RISK_WEIGHTS) -> int:
    """Weight of an enterprise whose highest risk-point level is ``level`` (``""`` counts as None)."""
    return table.get(level or None, table[None])


def draw(
    seed: int,
    candidates: Sequence[int],
    weights: Sequence[int] | None,
    roster: Sequence[int],
    conflicts: Iterable[tuple[int, int] | Sequence[int]],
    n: int,
) -> list[DrawRow]:
    """Draw ``n`` enterprises from ``candidates`` and two inspectors from ``roster`` for each.

    ``seed``: non-negative int. ``candidates``: enterprise ids (distinct). ``weights``: None, or one
    positive int per candidate (same order). ``roster``: inspector user ids (distinct).
    ``conflicts``: pairs ``(inspector_id, enterprise_id)`` that may not be drawn together.
    Returns ``[{"enterprise": int, "inspectors": [int, int]}, …]`` of length ``n``.

    Raises :class:`DrawError`: ``invalid_n`` (n < 1), ``too_few_candidates`` (n > candidates),
    ``invalid_weights`` (wrong length or a weight < 1), ``insufficient_inspectors`` (an enterprise
    with fewer than two eligible inspectors; ``details["enterprise"]`` names it).
    """
    if not isinstance(n, int) or n < 1:
        raise DrawError("抽取数量须为正整数。", code=Code.INVALID_N, field="n")
    if len(set(candidates)) != len(candidates):
        raise DrawError("候选企业重复。", code=Code.DUPLICATE_CANDIDATES, field="candidates")
    if n > len(candidates):
        raise DrawError(f"候选企业只有{len(candidates)}家，少于抽取数量{n}。", code=Code.TOO_FEW_CANDIDATES, field="n")
    if weights is not None:
        if len(weights) != len(candidates):
            raise DrawError("权重数量与候选企业数量不一致。", code=Code.INVALID_WEIGHTS, field="weights")
        if any((not isinstance(w, int)) or w < 1 for w in weights):
            raise DrawError("权重须为正整数。", code=Code.INVALID_WEIGHTS, field="weights")
    rng = random.Random(seed)
    if weights is None:
        pool = sorted(candidates)
        picked = rng.sample(pool, n)
    else:
        pairs = sorted(zip(candidates, weights, strict=True))
        picked = []
        for _ in range(n):
            total = sum(w for _, w in pairs)
            r = rng.randrange(total)
            acc = 0
            for i, (ent, w) in enumerate(pairs):
                acc += w
                if r < acc:
                    picked.append(ent)
                    del pairs[i]
                    break
    blocked = {(int(a), int(b)) for a, b in conflicts}
    sorted_roster = sorted(roster)
    result: list[DrawRow] = []
    for ent in picked:
        eligible = [u for u in sorted_roster if (u, ent) not in blocked]
        if len(eligible) < INSPECTORS_PER_ENTERPRISE:
            raise DrawError(
                f"企业 {ent} 可抽取的执法人员不足{INSPECTORS_PER_ENTERPRISE}名（已排除回避人员）。",
                code=Code.INSUFFICIENT_INSPECTORS, field="roster", enterprise=ent,
            )
        result.append({"enterprise": ent, "inspectors": rng.sample(eligible, INSPECTORS_PER_ENTERPRISE)})
    return result
