"""backend.core.rules / states / time / error_codes: the pure kernel every app codes against."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from backend.core.error_codes import (
    CoreErrorCode,
    ErrorCodeEnum,
    code_table,
    code_table_markdown,
    register_codes,
)
from backend.core.rules import LabelledStrEnum, RuleError
from backend.core.states import InvalidTransition, RoleNotAllowed, StateMachine, Transition, UnknownAction
from backend.core.time import SHANGHAI, NaiveDatetime, aware, end_of_day, local_today


class Colour(LabelledStrEnum):
    RED = "red", "红"
    BLUE = "blue", "蓝"


class Graded(LabelledStrEnum):
    HIGH = "high", "高", 1

    def _init_extra(self, rank: int) -> None:
        self.rank = rank


def test_labelled_enum_is_its_value_with_a_label_and_extras():
    assert Colour.RED == "red" and Colour("blue") is Colour.BLUE
    assert Colour.RED.label == "红"
    assert Colour.choices() == [("red", "红"), ("blue", "蓝")]
    assert Colour.labels() == {"red": "红", "blue": "蓝"}
    assert Graded.HIGH.rank == 1
    with pytest.raises(TypeError):
        class Bad(LabelledStrEnum):  # extras not declared by _init_extra
            X = "x", "叉", 3


def test_rule_error_defaults_and_both_call_styles():
    e = RuleError()
    assert (e.code, e.message, e.field, e.details, e.status) == ("rule_error", "不符合业务规则。", None, {}, 400)
    e = RuleError("坏了", field="l", code="off_scale")  # compliance style
    assert (e.code, e.field, str(e)) == ("off_scale", "l", "坏了")
    e = RuleError(code="validity_exceeded", max_hours=8)  # special_ops style
    assert e.code == "validity_exceeded" and e.details == {"max_hours": 8}
    assert e.as_dict()["details"] == {"max_hours": 8}

    class Sub(RuleError):
        default_code, default_field, status = "x_code", "x", 409

    assert (Sub().code, Sub().field, Sub.status, Sub(field="y").field) == ("x_code", "x", 409, "y")


MACHINE = StateMachine(
    "thing",
    {
        "submit": Transition({"draft"}, "submitted"),
        "approve": Transition({"submitted"}, "approved", roles={"admin"}),
        "cancel": Transition(["draft", "submitted"], "cancelled", roles=("admin", "officer")),
    },
    labels={"draft": "草稿", "approved": "已批准"},
    action_labels={"approve": "批准"},
)


def test_state_machine_check_returns_target_or_one_coded_error():
    assert MACHINE.check("submit", "draft") == "submitted"
    assert MACHINE.check("approve", "submitted", "admin") == "approved"
    assert MACHINE.check("approve", "submitted") == "approved"  # no role: role not checked
    with pytest.raises(InvalidTransition) as exc:
        MACHINE.check("approve", "approved", "admin")
    assert (exc.value.code, exc.value.status, exc.value.field) == ("invalid_transition", 409, "state")
    assert exc.value.details == {"action": "approve", "state": "approved"}
    assert "已批准" in exc.value.message and "批准" in exc.value.message
    with pytest.raises(RoleNotAllowed) as exc:
        MACHINE.check("approve", "approved", "officer")  # role is checked before state
    assert (exc.value.code, exc.value.status, exc.value.field) == ("role_not_allowed", 403, "role")
    with pytest.raises(UnknownAction) as exc:
        MACHINE.check("explode", "draft")
    assert (exc.value.code, exc.value.field) == ("invalid_choice", "action")


def test_state_machine_queries():
    assert MACHINE.roles_for("submit") is None
    assert MACHINE.roles_for("cancel") == frozenset({"admin", "officer"})
    assert MACHINE.actions_from("draft") == ["submit", "cancel"]
    assert MACHINE.actions_from("approved") == []
    assert MACHINE.sources_of("cancel") == frozenset({"draft", "submitted"})
    assert MACHINE.states() == {"draft", "submitted", "approved", "cancelled"}
    assert MACHINE.can("submit", "draft") and not MACHINE.can("submit", "submitted")
    assert MACHINE.as_table()[2] == {"action": "cancel", "sources": ["draft", "submitted"], "target": "cancelled",
                                     "roles": ["admin", "officer"]}


def test_state_machine_accepts_str_enum_states():
    class S(LabelledStrEnum):
        A = "a", "甲"
        B = "b", "乙"

    m = StateMachine("s", {"go": Transition({S.A}, S.B)})
    assert m.check("go", "a") == S.B
    with pytest.raises(InvalidTransition) as exc:
        m.check("go", S.B)
    assert "乙" in exc.value.message  # the enum's own label when the machine has none


def test_time_helpers():
    assert SHANGHAI.key == "Asia/Shanghai"
    # 16:30 UTC is already the next day in Shanghai.
    assert local_today(datetime(2026, 12, 1, 16, 30, tzinfo=UTC)) == date(2026, 12, 2)
    assert local_today(datetime(2026, 12, 1, 15, 59, tzinfo=UTC)) == date(2026, 12, 1)
    end = end_of_day(date(2026, 12, 1))
    assert end.isoformat() == "2026-12-01T23:59:59.999999+08:00"
    assert end + timedelta(microseconds=1) == datetime(2026, 12, 2, tzinfo=SHANGHAI)
    with pytest.raises(TypeError):
        end_of_day(datetime(2026, 12, 1, tzinfo=SHANGHAI))
    moment = datetime(2026, 12, 1, 8, tzinfo=SHANGHAI)
    assert aware(moment, "at") is moment
    with pytest.raises(NaiveDatetime) as exc:
        aware(datetime(2026, 12, 1, 8), "planned_start")
    assert (exc.value.code, exc.value.field, exc.value.status) == ("naive_datetime", "planned_start", 400)
    with pytest.raises(NaiveDatetime):
        local_today(datetime(2026, 12, 1, 8))


@pytest.mark.django_db
def test_local_today_follows_the_frozen_clock(time_machine):
    time_machine.move_to(datetime(2026, 12, 31, 16, 1, tzinfo=UTC), tick=False)
    assert local_today() == date(2027, 1, 1)


def test_error_code_registry(monkeypatch):
    # the demo codes live in a copy of the registry: the API's error table (and the committed OpenAPI
    # description the console is generated from) never sees them in later tests
    from backend.core import error_codes

    monkeypatch.setattr(error_codes, "_REGISTRY", {k: list(v) for k, v in error_codes._REGISTRY.items()})
    monkeypatch.setattr(error_codes, "_ENUMS", dict(error_codes._ENUMS))

    @register_codes
    class DemoErrorCode(ErrorCodeEnum):
        DEMO_BROKEN = "demo_broken", "演示坏了", 409
        DEMO_BAD = "demo_bad", "演示不对"

    assert DemoErrorCode.DEMO_BROKEN == "demo_broken" and DemoErrorCode.DEMO_BAD.status == 400
    assert register_codes(DemoErrorCode) is DemoErrorCode  # idempotent
    rows = {r["code"]: r for r in code_table()}
    assert rows["demo_broken"]["statuses"] == [409] and rows["demo_broken"]["meaning"] == "演示坏了"
    assert rows["demo_bad"]["statuses"] == [400]
    assert rows["invalid_transition"]["statuses"] == [CoreErrorCode.INVALID_TRANSITION.status] == [409]
    assert "| `demo_broken` | 409 | 演示坏了 |" in code_table_markdown()
