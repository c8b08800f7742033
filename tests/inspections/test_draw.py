"""The pure 双随机 draw: deterministic, recusal-respecting, coded errors."""

from __future__ import annotations

from collections import Counter

import pytest

from inspections.rules.draw import DrawError, draw, weight_for

CANDIDATES = [11, 3, 7, 25, 19, 4, 40, 8]
ROSTER = [101, 102, 103, 104]


def test_same_seed_same_result():
    a = draw(12345, CANDIDATES, None, ROSTER, [], 4)
    b = draw(12345, CANDIDATES, None, ROSTER, [], 4)
    assert a == b
    assert len(a) == 4
    assert len({row["enterprise"] for row in a}) == 4
    for row in a:
        assert len(set(row["inspectors"])) == 2
        assert set(row["inspectors"]) <= set(ROSTER)


def test_input_order_does_not_matter():
    a = draw(99, CANDIDATES, None, ROSTER, [(101, 3)], 3)
    b = draw(99, list(reversed(CANDIDATES)), None, list(reversed(ROSTER)), [(101, 3)], 3)
    assert a == b


def test_weighted_is_deterministic_and_order_independent():
    weights = [weight_for(lv) for lv in ("major", "low", None, "high", "moderate", "low", "major", "")]
    a = draw(7, CANDIDATES, weights, ROSTER, [], 5)
    pairs = list(zip(CANDIDATES, weights, strict=True))[::-1]
    b = draw(7, [p[0] for p in pairs], [p[1] for p in pairs], ROSTER, [], 5)
    assert a == b


def test_different_seeds_differ_somewhere():
    results = {tuple(r["enterprise"] for r in draw(s, CANDIDATES, None, ROSTER, [], 3)) for s in range(30)}
    assert len(results) > 1


def test_recused_inspector_never_drawn_for_that_enterprise():
    conflicts = [(101, 3), (102, 3), (104, 25)]
    for seed in range(500):
        for row in draw(seed, CANDIDATES, None, ROSTER, conflicts, len(CANDIDATES)):
            if row["enterprise"] == 3:
                assert set(row["inspectors"]) == {103, 104}
            if row["enterprise"] == 25:
                assert 104 not in row["inspectors"]


def test_weighting_favours_high_risk():
    weights = [10 if c == 40 else 1 for c in CANDIDATES]
    counts = Counter(draw(s, CANDIDATES, weights, ROSTER, [], 1)[0]["enterprise"] for s in range(400))
    assert counts[40] > 150  # expected ~235 of 400


def test_fewer_than_two_eligible_inspectors():
    with pytest.raises(DrawError) as exc:
        draw(1, [5], None, [101, 102], [(101, 5)], 1)
    assert exc.value.code == "insufficient_inspectors"
    assert exc.value.details["enterprise"] == 5


@pytest.mark.parametrize(
    ("n", "weights", "code"),
    [(0, None, "invalid_n"), (9, None, "too_few_candidates"), (2, [1, 2], "invalid_weights"),
     (2, [1, 1, 1, 0, 1, 1, 1, 1], "invalid_weights")],
)
def test_bad_input_coded(n, weights, code):
    with pytest.raises(DrawError) as exc:
        draw(1, CANDIDATES, weights, ROSTER, [], n)
    assert exc.value.code == code
