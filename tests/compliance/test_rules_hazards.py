"""Tests for the hidden-danger rules (compliance.rules.hazard_codes, hazard_states, deadlines, commitments,
major_hazard, reassessment; DOMAIN.md §3). Pure: no Django, no DB."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from backend.core.rules import RuleError
from compliance.rules import commitments, deadlines, hazard_codes, hazard_states, major_hazard, reassessment
from compliance.rules.assessment import UnknownChoice
from compliance.rules.commitments import FIVE_COMMITMENTS, missing_commitments
from compliance.rules.deadlines import (
    EARLIEST_DATE,
    EXTENSION_CAPS,
    SHANGHAI,
    check_date_in_range,
    deadline_end,
    extension_allowed,
    is_overdue,
)
from compliance.rules.hazard_codes import HazardCause, HazardGrade, HazardSource, HazardTreatment, HazardType
from compliance.rules.hazard_states import (
    MACHINE,
    NOT_OVERDUE_STATES,
    OPEN_STATES,
    REASON_REQUIRED_ACTIONS,
    TERMINAL_STATES,
    TRANSITIONS,
    EnterpriseRole,
    HazardState,
    InvalidTransition,
    RoleNotAllowed,
    allowed_roles,
    check_blockers,
    check_transition,
    transition_blockers,
)
from compliance.rules.major_hazard import (
    MAJOR_HAZARD_CHECKLISTS,
    Checklist,
    ChecklistItem,
    Item,
    UnknownChecklistItem,
    judge_major,
)
from compliance.rules.reassessment import REASSESSMENT_TRIGGER, needs_reassessment

S = HazardState
CST = SHANGHAI


@pytest.mark.parametrize("module", [commitments, deadlines, hazard_codes, hazard_states, major_hazard, reassessment])
def test_module_imports_nothing_from_django(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] in {"django", "rest_framework"}}


# ----------------------------------------------------------------------------- code tables


def test_grade_table():
    assert [(g.value, g.label, g.national_code) for g in HazardGrade] == [
        ("general", "一般", 0),
        ("major", "重大", 1),
    ]
    assert HazardGrade.from_national(1) is HazardGrade.MAJOR


def test_treatment_table():
    assert [(t.value, t.label) for t in HazardTreatment] == [
        ("immediate", "即查即改"),
        ("deadline", "限期整改"),
    ]


def test_source_national_codes():
    national = [s for s in HazardSource if s.value not in {"employee_report", "inspector", "whistleblower"}]
    assert [s.national_code for s in national] == list(range(1, 11))
    assert HazardSource.DAILY.label == "日常排查"
    assert HazardSource.OUTSIDE_EXPERT.national_code == 8


@pytest.mark.parametrize(
    ("source", "label"),
    [
        (HazardSource.EMPLOYEE_REPORT, "职工报告"),
        (HazardSource.INSPECTOR, "监管检查"),
        (HazardSource.WHISTLEBLOWER, "吹哨人举报"),
    ],
)
def test_platform_sources_export_as_other(source, label):
    assert source.label == label
    assert source.national_code == 10 == HazardSource.OTHER.national_code


def test_source_from_national_ten_is_other():
    assert HazardSource.from_national(10) is HazardSource.OTHER
    with pytest.raises(UnknownChoice):
        HazardSource.from_national(11)


def test_type_and_cause_tables():
    assert [(t.label, t.national_code) for t in HazardType] == [
        ("安全", 1),
        ("工艺", 2),
        ("电气", 3),
        ("仪表", 4),
        ("消防", 5),
        ("总图", 6),
        ("设备", 7),
        ("其他", 8),
    ]
    assert [c.national_code for c in HazardCause] == [1, 2, 3]
    assert HazardCause.MANAGEMENT_DEFECT.label == "管理缺陷"


def test_state_table():
    assert [s.value for s in HazardState] == [
        "reported",
        "confirmed",
        "rectifying",
        "pending_acceptance",
        "accepted",
        "closed",
        "rejected",
    ]
    assert {s: s.national_code for s in HazardState if s.national_code is not None} == {
        S.RECTIFYING: 0,
        S.PENDING_ACCEPTANCE: 1,
        S.ACCEPTED: 9,
        S.CLOSED: 9,
    }
    assert all(s.label for s in HazardState)
    assert S.RECTIFYING.label == "整改中"
    assert S.PENDING_ACCEPTANCE.label == "待验收"
    assert HazardState.choices()[0] == ("reported", "已上报")


def test_state_groups():
    assert OPEN_STATES == {S.REPORTED, S.CONFIRMED, S.RECTIFYING, S.PENDING_ACCEPTANCE}
    assert TERMINAL_STATES == {S.CLOSED, S.REJECTED}
    assert NOT_OVERDUE_STATES == {S.PENDING_ACCEPTANCE, S.ACCEPTED, S.CLOSED, S.REJECTED}
    # accepted (verified, awaiting 销号) is the one state that is neither open nor terminal.
    assert set(HazardState) - OPEN_STATES - TERMINAL_STATES == {S.ACCEPTED}
    assert not OPEN_STATES & TERMINAL_STATES


# ----------------------------------------------------------------------------- transitions


def test_transitions_table():
    expected = {
        "confirm": ({S.REPORTED}, S.CONFIRMED),
        "reject": ({S.REPORTED}, S.REJECTED),
        "start_rectification": ({S.CONFIRMED}, S.RECTIFYING),
        "submit_for_acceptance": ({S.RECTIFYING}, S.PENDING_ACCEPTANCE),
        "accept": ({S.PENDING_ACCEPTANCE}, S.ACCEPTED),
        "fail_acceptance": ({S.PENDING_ACCEPTANCE}, S.RECTIFYING),
        "close": ({S.ACCEPTED}, S.CLOSED),
    }
    assert {a: (set(t.sources), t.target) for a, t in TRANSITIONS.items()} == expected
    assert TRANSITIONS is MACHINE.transitions and MACHINE.name == "hazard"
    assert MACHINE.actions_from(S.PENDING_ACCEPTANCE) == ["accept", "fail_acceptance"]


def test_transitions_roles_are_enterprise_roles():
    assert {r.value for r in EnterpriseRole} == {"admin", "safety_officer", "principal", "employee"}
    for transition in TRANSITIONS.values():
        assert transition.roles
        assert transition.roles <= set(EnterpriseRole)
    assert EnterpriseRole.EMPLOYEE not in TRANSITIONS["confirm"].roles
    assert EnterpriseRole.EMPLOYEE in TRANSITIONS["submit_for_acceptance"].roles


def test_no_transition_leaves_a_terminal_state():
    for transition in TRANSITIONS.values():
        assert not transition.sources & TERMINAL_STATES


def test_every_state_is_reachable_from_reported():
    reached, frontier = {S.REPORTED}, [S.REPORTED]
    while frontier:
        state = frontier.pop()
        for transition in TRANSITIONS.values():
            if state in transition.sources and transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(HazardState)


def test_reason_required_actions():
    assert REASON_REQUIRED_ACTIONS == {"reject", "fail_acceptance"}


def test_happy_path_through_check_transition():
    state = S.REPORTED
    for action, role in [
        ("confirm", "safety_officer"),
        ("start_rectification", "employee"),
        ("submit_for_acceptance", "employee"),
        ("fail_acceptance", "safety_officer"),
        ("submit_for_acceptance", "employee"),
        ("accept", "safety_officer"),
        ("close", "admin"),
    ]:
        state = check_transition(action, state, role, grade="general")
    assert state is S.CLOSED


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("confirm", "confirmed"),
        ("accept", "rectifying"),
        ("close", "pending_acceptance"),
        ("reject", "closed"),
        ("start_rectification", "rejected"),
    ],
)
def test_invalid_transition(action, state):
    with pytest.raises(InvalidTransition) as exc:
        check_transition(action, state, "principal")
    assert exc.value.code == "invalid_transition"
    assert exc.value.field == "state"


def test_role_not_allowed():
    with pytest.raises(RoleNotAllowed) as exc:
        check_transition("confirm", "reported", "employee")
    assert exc.value.code == "role_not_allowed"
    assert exc.value.field == "role"


def test_major_hazard_is_accepted_by_principal_only():
    assert allowed_roles("accept", "major") == {EnterpriseRole.PRINCIPAL}
    assert check_transition("accept", S.PENDING_ACCEPTANCE, "principal", grade="major") is S.ACCEPTED
    with pytest.raises(RoleNotAllowed) as exc:
        check_transition("accept", S.PENDING_ACCEPTANCE, "safety_officer", grade=HazardGrade.MAJOR)
    assert exc.value.code == "principal_required" and exc.value.status == 403
    assert check_transition("accept", S.PENDING_ACCEPTANCE, "safety_officer", grade="general") is S.ACCEPTED


@pytest.mark.parametrize(
    ("action", "state", "role", "field"),
    [
        ("fly", "reported", "admin", "action"),
        ("confirm", "lost", "admin", "state"),
        ("confirm", "reported", "ceo", "role"),
    ],
)
def test_check_transition_unknown_inputs(action, state, role, field):
    with pytest.raises(UnknownChoice) as exc:
        check_transition(action, state, role)
    assert exc.value.field == field


def test_blockers_five_commitments_for_major_only():
    assert transition_blockers("start_rectification", grade="major", commitments={}) == [
        "five_commitments_incomplete"
    ]
    assert transition_blockers("start_rectification", grade="major", commitments=COMPLETE_COMMITMENTS) == []
    assert transition_blockers("start_rectification", grade="general") == []


def test_blockers_regulator_signoff_for_supervised_major():
    assert transition_blockers("close", grade="major", regulator_supervised=True) == [
        "regulator_signoff_required"
    ]
    assert (
        transition_blockers("close", grade="major", regulator_supervised=True, regulator_signed_off=True)
        == []
    )
    assert transition_blockers("close", grade="major") == []


def test_blockers_regulator_signoff_for_any_supervised_hazard():
    # 挂牌督办 is ordered for a major hazard; regrading it later does not lift the regulator's order
    # (DOMAIN.md §3: where the regulator ordered it, regulator sign-off). The service always did this;
    # the rule said "major only" and was the copy that lost.
    assert transition_blockers("close", grade="general", regulator_supervised=True) == ["regulator_signoff_required"]
    assert transition_blockers("close", grade="general") == []


def test_check_blockers_raises_the_first_blocker_with_its_field():
    with pytest.raises(RuleError) as exc:
        check_blockers("start_rectification", grade="major", commitments={"measures": "加装阀门"})
    assert exc.value.code == "five_commitments_incomplete" and exc.value.status == 400
    assert exc.value.field == "responsible_person"
    assert exc.value.details["missing"] == ["responsible_person", "funds_yuan", "deadline", "contingency_plan"]
    with pytest.raises(RuleError) as exc:
        check_blockers("close", grade="major", regulator_supervised=True)
    assert exc.value.code == "regulator_signoff_required" and exc.value.status == 409
    check_blockers("close", grade="major", regulator_supervised=True, regulator_signed_off=True)


@pytest.mark.parametrize(("day", "ok"), [(date(1999, 12, 31), False), (date(1, 1, 1), False), (EARLIEST_DATE, True),
                                         (None, True)])
def test_dates_before_2000_are_out_of_range(day, ok):
    if ok:
        check_date_in_range(day, "found_on")
        return
    with pytest.raises(RuleError) as exc:
        check_date_in_range(day, "found_on")
    assert exc.value.code == "date_out_of_range" and exc.value.field == "found_on"


# ----------------------------------------------------------------------------- deadlines


def test_deadline_end_is_end_of_day_shanghai():
    end = deadline_end(date(2026, 12, 1))
    assert end == datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=CST)
    assert end.isoformat() == "2026-12-01T23:59:59.999999+08:00"
    assert end.utcoffset() == timedelta(hours=8)
    assert end.astimezone(UTC) == datetime(2026, 12, 1, 15, 59, 59, 999999, tzinfo=UTC)


def test_deadline_end_rejects_datetime():
    with pytest.raises(TypeError):
        deadline_end(datetime(2026, 12, 1, tzinfo=CST))


DEADLINE = date(2026, 12, 1)


def test_overdue_just_after_midnight():
    assert is_overdue(S.RECTIFYING, DEADLINE, datetime(2026, 12, 2, 0, 0, 1, tzinfo=CST)) is True


def test_not_overdue_late_on_the_deadline_day():
    assert is_overdue(S.RECTIFYING, DEADLINE, datetime(2026, 12, 1, 23, 59, tzinfo=CST)) is False


def test_not_overdue_at_the_last_microsecond():
    assert is_overdue(S.RECTIFYING, DEADLINE, deadline_end(DEADLINE)) is False


def test_not_overdue_when_pending_acceptance():
    assert is_overdue(S.PENDING_ACCEPTANCE, DEADLINE, datetime(2026, 12, 2, 0, 0, 1, tzinfo=CST)) is False


@pytest.mark.parametrize(
    ("state", "overdue"),
    [
        ("reported", True),
        ("confirmed", True),
        ("rectifying", True),
        ("pending_acceptance", False),
        ("accepted", False),
        ("closed", False),
        ("rejected", False),
    ],
)
def test_overdue_by_state(state, overdue):
    assert is_overdue(state, DEADLINE, datetime(2026, 12, 10, tzinfo=CST)) is overdue


def test_overdue_compares_instants_across_zones():
    assert is_overdue(S.RECTIFYING, DEADLINE, datetime(2026, 12, 1, 15, 59, 59, tzinfo=UTC)) is False
    assert is_overdue(S.RECTIFYING, DEADLINE, datetime(2026, 12, 1, 16, 0, 0, tzinfo=UTC)) is True


def test_ledger_deadline_today_is_not_overdue():
    # data/README.md §3, 序号 65: deadline 2026-11-29, reference date 2026-11-29.
    assert is_overdue(S.RECTIFYING, date(2026, 11, 29), datetime(2026, 11, 29, 18, 0, tzinfo=CST)) is False
    assert is_overdue(S.RECTIFYING, date(2026, 11, 28), datetime(2026, 11, 29, 0, 0, tzinfo=CST)) is True


def test_no_deadline_is_never_overdue():
    assert is_overdue(S.RECTIFYING, None, datetime(2030, 1, 1, tzinfo=CST)) is False


def test_overdue_needs_aware_now():
    with pytest.raises(RuleError) as exc:
        is_overdue(S.RECTIFYING, DEADLINE, datetime(2026, 12, 2))
    assert exc.value.code == "naive_datetime"


# ----------------------------------------------------------------------------- five commitments

COMPLETE_COMMITMENTS = {
    "measures": "新建独立抗爆控制室并迁移机柜间",
    "responsible_person": "韩德茂",
    "funds_yuan": Decimal("1860000"),
    "deadline": date(2027, 4, 30),
    "contingency_plan": "控制室在岗人员不超过4人，每月撤离演练",
}


def test_five_commitments_table():
    assert [c.field for c in FIVE_COMMITMENTS] == [
        "measures",
        "responsible_person",
        "funds_yuan",
        "deadline",
        "contingency_plan",
    ]
    assert all(c.label for c in FIVE_COMMITMENTS)


def test_complete_commitments():
    assert missing_commitments(COMPLETE_COMMITMENTS) == []
    assert missing_commitments({**COMPLETE_COMMITMENTS, "funds_yuan": 6800}) == []
    assert missing_commitments({**COMPLETE_COMMITMENTS, "funds_yuan": "1860000"}) == []
    assert missing_commitments({**COMPLETE_COMMITMENTS, "funds_yuan": 0.5}) == []


def test_all_commitments_missing_in_table_order():
    assert missing_commitments({}) == [c.field for c in FIVE_COMMITMENTS]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("measures", ""),
        ("measures", "   "),
        ("measures", None),
        ("responsible_person", "\u3000"),
        ("funds_yuan", 0),
        ("funds_yuan", -5),
        ("funds_yuan", "abc"),
        ("funds_yuan", None),
        ("funds_yuan", True),
        ("funds_yuan", float("nan")),
        ("deadline", None),
        ("contingency_plan", ""),
    ],
)
def test_missing_commitment(field, value):
    assert missing_commitments({**COMPLETE_COMMITMENTS, field: value}) == [field]


# ----------------------------------------------------------------------------- extensions


def test_extension_caps():
    assert EXTENSION_CAPS == {"general": 1, "major": 0}


@pytest.mark.parametrize(
    ("grade", "so_far", "regulator", "allowed"),
    [
        ("general", 0, False, True),
        ("general", 1, False, False),
        ("general", 1, True, False),
        ("major", 0, False, False),
        ("major", 0, True, True),
        ("major", 3, True, True),
        (HazardGrade.GENERAL, 0, False, True),
    ],
)
def test_extension_allowed(grade, so_far, regulator, allowed):
    assert extension_allowed(grade, so_far, regulator) is allowed


def test_extension_caps_override():
    assert extension_allowed("general", 1, caps={"general": 2, "major": 0}) is True


# ----------------------------------------------------------------------------- checklists


def test_chem_2017_checklist_shape():
    checklist = MAJOR_HAZARD_CHECKLISTS["chem-2017"]
    assert isinstance(checklist, Checklist)
    assert checklist.code == "chem-2017"
    assert checklist.source == "安监总管三〔2017〕121号"
    assert checklist.title == "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）"
    assert checklist.version
    assert [item.no for item in checklist.items] == list(range(1, 21))
    assert all(isinstance(item, ChecklistItem) and item.text for item in checklist.items)
    assert Item is ChecklistItem
    assert len({item.text for item in checklist.items}) == 20


def test_chem_2017_items_12_and_13():
    checklist = MAJOR_HAZARD_CHECKLISTS["chem-2017"]
    assert "爆炸危险场所未按国家标准安装使用防爆电气设备" in checklist.item(12).text
    assert (
        "控制室或机柜间面向具有火灾、爆炸危险性装置一侧不满足国家标准关于防火防爆的要求"
        in checklist.item(13).text
    )
    assert "特种作业人员未持证上岗" in checklist.item(2).text


def test_judge_major_none_ticked():
    assert judge_major("chem-2017", []) == (False, ())


def test_judge_major_one_ticked():
    is_major, items = judge_major("chem-2017", [12])
    assert is_major is True
    assert [item.no for item in items] == [12]


def test_judge_major_sorted_and_deduplicated():
    is_major, items = judge_major("chem-2017", [13, "12", 13, "１"])
    assert is_major is True
    assert [item.no for item in items] == [1, 12, 13]


@pytest.mark.parametrize("bad", [0, 21, -1, "x", None, True, 12.0])
def test_judge_major_unknown_item(bad):
    with pytest.raises(UnknownChecklistItem) as exc:
        judge_major("chem-2017", [12, bad])
    assert exc.value.code == "unknown_item"
    assert exc.value.field == "items"


def test_judge_major_unknown_checklist():
    with pytest.raises(UnknownChoice) as exc:
        judge_major("trade-1999", [1])
    assert exc.value.field == "checklist"


# ----------------------------------------------------------------------------- reassessment

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=CST)


def test_reassessment_trigger_default():
    assert REASSESSMENT_TRIGGER == {"count": 3, "window_days": 90}


def test_three_hazards_within_window_trigger():
    assert needs_reassessment([date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 15)], NOW) is True


def test_two_hazards_do_not_trigger():
    assert needs_reassessment([date(2026, 11, 1), date(2026, 10, 1)], NOW) is False


def test_window_edge_is_ninety_calendar_days_including_today():
    first_day = NOW.date() - timedelta(days=89)
    assert needs_reassessment([first_day, date(2026, 11, 1), NOW.date()], NOW) is True
    assert needs_reassessment([first_day - timedelta(days=1), date(2026, 11, 1), NOW.date()], NOW) is False


def test_future_dates_do_not_count():
    assert needs_reassessment([date(2026, 11, 1), date(2026, 11, 2), date(2026, 12, 1)], NOW) is False


def test_reassessment_accepts_aware_datetimes_and_date_now():
    found = [datetime(2026, 11, 28, 20, 0, tzinfo=UTC)] * 3  # 2026-11-29 04:00 in Shanghai
    assert needs_reassessment(found, date(2026, 11, 29)) is True
    assert needs_reassessment(found, date(2026, 11, 28)) is False


def test_reassessment_custom_trigger():
    assert needs_reassessment([date(2026, 11, 1)] * 2, NOW, trigger={"count": 2, "window_days": 30}) is True


def test_reassessment_rejects_naive_datetimes():
    with pytest.raises(RuleError):
        needs_reassessment([datetime(2026, 11, 1)], NOW)


