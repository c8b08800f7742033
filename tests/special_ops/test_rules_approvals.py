"""special_ops.rules.approvals: chains, safety measures, certified trades."""

from __future__ import annotations

import pytest

from special_ops.rules.approvals import (
    APPROVAL_CHAINS,
    CERTIFIED_TRADES,
    ENTERPRISE_ROLES,
    PRINCIPAL_APPROVAL,
    SAFETY_MEASURES,
    CertificateMissing,
    approval_chain,
    certified_trade,
    check_certificates,
    final_approval_step,
    missing_certificates,
)
from special_ops.rules.levels import LEVELS_BY_TYPE, HeightLevel, HotWorkLevel, LiftingLevel
from special_ops.rules.types import PermitType


def codes(chain: tuple) -> list[str]:
    return [step.code for step in chain]


def test_every_type_and_level_has_a_chain_with_known_roles() -> None:
    for permit_type in PermitType:
        levels = list(LEVELS_BY_TYPE[permit_type]) if permit_type in LEVELS_BY_TYPE else [None]
        for level in levels:
            chain = APPROVAL_CHAINS[(permit_type, level)]
            assert chain[0].code == "work_leader"
            assert chain[-1].code == "acceptance"
            assert {step.role for step in chain} <= ENTERPRISE_ROLES - {"admin"}
            assert all(step.name for step in chain)


@pytest.mark.parametrize(
    ("level", "role"),
    [
        (HotWorkLevel.SPECIAL, "principal"),
        (HotWorkLevel.FIRST, "safety_officer"),
        (HotWorkLevel.SECOND, "employee"),
    ],
)
def test_hot_work_approver_by_level(level: HotWorkLevel, role: str) -> None:
    chain = approval_chain("hot_work", level)
    assert codes(chain) == [
        "work_leader",
        "owning_unit",
        "safety_department",
        "approver",
        "shift_leader_check",
        "acceptance",
    ]
    assert final_approval_step(chain).role == role


def test_other_chains_follow_domain_md() -> None:
    assert codes(approval_chain("height", HeightLevel.II)) == [
        "work_leader",
        "owning_unit",
        "reviewer",
        "approver",
        "acceptance",
    ]
    assert codes(approval_chain("lifting", LiftingLevel.FIRST)) == codes(
        approval_chain("height", HeightLevel.I)
    )
    assert codes(approval_chain("temp_power", None)) == [
        "work_leader",
        "user_unit",
        "power_supply_unit",
        "acceptance",
    ]
    assert codes(approval_chain("confined_space", None)) == ["work_leader", "owning_unit", "acceptance"]
    assert codes(approval_chain("blinding", None)) == ["work_leader", "owning_unit", "acceptance"]
    excavation = codes(approval_chain("excavation", None))
    assert [c for c in excavation if c.startswith("countersign_")] == [
        "countersign_water",
        "countersign_power",
        "countersign_steam",
        "countersign_process",
        "countersign_equipment",
        "countersign_fire",
        "countersign_safety",
    ]
    assert codes(approval_chain("road_closure", None)) == [
        "work_leader",
        "owning_unit",
        "fire_and_safety",
        "approver",
        "acceptance",
    ]


def test_extra_level_inserts_principal_after_last_approval() -> None:
    chain = approval_chain("hot_work", HotWorkLevel.SECOND, extra_level=True)
    assert codes(chain)[3:6] == ["approver", "principal_approval", "shift_leader_check"]
    assert final_approval_step(chain) == PRINCIPAL_APPROVAL
    assert codes(approval_chain("blinding", None, extra_level=True)) == [
        "work_leader",
        "owning_unit",
        "principal_approval",
        "acceptance",
    ]


def test_extra_level_leaves_a_principal_approved_chain_alone() -> None:
    base = approval_chain("hot_work", HotWorkLevel.SPECIAL)
    assert approval_chain("hot_work", HotWorkLevel.SPECIAL, extra_level=True) == base


def test_final_approval_step_needs_one() -> None:
    with pytest.raises(ValueError, match="no approval step"):
        final_approval_step(())


def test_safety_measures_per_type() -> None:
    assert set(SAFETY_MEASURES) == set(PermitType)
    all_codes = [m.code for measures in SAFETY_MEASURES.values() for m in measures]
    assert len(all_codes) == len(set(all_codes)), "measure codes are unique"
    for measures in SAFETY_MEASURES.values():
        assert len(measures) >= 4
        assert all(m.text for m in measures)


@pytest.mark.parametrize(
    ("trade", "code"),
    [
        ("焊工", "welder"),
        ("电工", "electrician"),
        ("起重司机", "crane_operator"),
        ("起重机司机", "crane_operator"),
        ("司索工", "rigger"),
        ("起重指挥", "signaller"),
        ("信号工", "signaller"),
    ],
)
def test_certified_trades(trade: str, code: str) -> None:
    found = certified_trade(trade)
    assert found is not None
    assert found.code == code
    assert found is CERTIFIED_TRADES[code]


@pytest.mark.parametrize("trade", ["检修工", "操作工", "保管员", None, ""])
def test_uncertified_trades(trade: str | None) -> None:
    assert certified_trade(trade) is None


def test_missing_certificates() -> None:
    workers = [
        {"name": "宋立平", "trade": "焊工", "cert_no": "TZ-HJ-0317"},
        {"name": "彭晓东", "trade": "检修工", "cert_no": None},
        {"name": "张三", "trade": "电工", "cert_no": " "},
        {"name": "李四", "trade": "起重指挥"},
    ]
    missing = missing_certificates(workers)
    assert [(m.name, m.trade) for m in missing] == [("张三", "电工"), ("李四", "信号工")]
    with pytest.raises(CertificateMissing) as exc:
        check_certificates(workers)
    assert exc.value.code == "certificate_missing"
    assert len(exc.value.details["workers"]) == 2
    check_certificates(workers[:2])
