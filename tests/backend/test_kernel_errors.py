"""backend.core.errors.from_rule + the exception handler, and backend.core.actors."""

from __future__ import annotations

import pytest
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from backend.accounts.models import Role
from backend.core.actors import (
    SYSTEM,
    actor_of,
    require_enterprise,
    require_enterprise_member,
    require_regulator,
    require_regulator_over,
)
from backend.core.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    from_rule,
)
from backend.core.rules import RuleError
from backend.core.states import InvalidTransition, RoleNotAllowed


class TooBig(RuleError):
    default_code, status = "photo_too_large", 413


@pytest.mark.parametrize(
    ("exc", "cls", "status", "code", "field"),
    [
        (RuleError("坏", code="off_scale", field="l"), FieldError, 400, "off_scale", "l"),
        (RuleError("坏", code="bad"), DomainError, 400, "bad", None),
        (InvalidTransition("状态不对"), Conflict, 409, "invalid_transition", "state"),
        (RoleNotAllowed(), Forbidden, 403, "role_not_allowed", "role"),
        (TooBig(field="photo"), PayloadTooLarge, 413, "photo_too_large", "photo"),
    ],
)
def test_from_rule_maps_status_code_message_and_field(exc, cls, status, code, field):
    err = from_rule(exc)
    assert type(err) is cls and err.status_code == status and err.code == code and err.field == field
    if field:
        assert err.detail == {field: [exc.message]} and err.detail[field][0].code == code
    else:
        assert str(err.detail) == exc.message


def test_from_rule_field_overrides_and_keeps_details():
    err = from_rule(RuleError("坏", code="level_unknown", field="level", declared="x"), field="level_declared")
    assert err.field == "level_declared" and err.details == {"declared": "x"}


class _Boom(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    exc: Exception = RuleError()

    def get(self, request):
        raise self.exc


@pytest.mark.parametrize(
    ("exc", "status", "attr"),
    [(InvalidTransition("已关闭"), 409, "state"), (RuleError("坏", code="x", field="f"), 400, "f"),
     (RuleError("坏", code="x"), 400, None)],
)
def test_a_rule_error_escaping_a_view_is_the_coded_error_body_never_a_500(exc, status, attr):
    view = type("V", (_Boom,), {"exc": exc}).as_view()
    response = view(APIRequestFactory().get("/x/"))
    assert response.status_code == status
    assert response.data["errors"] == [{"code": exc.code, "detail": exc.message, "attr": attr}]


def test_actor_of_users_requests_and_anonymous(orgs):
    a = actor_of(orgs.officer)
    assert (a.user, a.enterprise_id, a.regulator_id, a.role) == (orgs.officer, orgs.owner.pk, None, Role.SAFETY_OFFICER)
    assert a.is_enterprise and not a.is_regulator and a.enterprise == orgs.owner and a.regulator is None
    assert actor_of(a) is a
    r = actor_of(APIRequestFactory().get("/"))  # a Django request without a user attribute set → anonymous
    assert r.user is None and r.role is None and not r.is_system
    req = APIRequestFactory().get("/")
    req.user = orgs.inspector
    reg = actor_of(req)
    assert reg.is_regulator and reg.regulator == orgs.gaoqing and reg.jurisdiction == "370322"
    assert SYSTEM.is_system and SYSTEM.role is None


def test_actor_of_a_user_without_membership(db, django_user_model):
    u = django_user_model.objects.create_user(username="loner", password="x")
    a = actor_of(u)
    assert a.user == u and a.membership is None and a.enterprise_id is None and not a.is_enterprise


def test_require_enterprise_member(orgs):
    officer = actor_of(orgs.officer)
    require_enterprise_member(officer, orgs.owner.pk)
    require_enterprise_member(officer, orgs.owner.pk, {Role.SAFETY_OFFICER, Role.ADMIN})
    with pytest.raises(NotFound):
        require_enterprise_member(officer, orgs.outsider.pk)
    with pytest.raises(NotFound):
        require_enterprise_member(actor_of(orgs.inspector), orgs.owner.pk)
    with pytest.raises(Forbidden) as exc:
        require_enterprise_member(actor_of(orgs.employee), orgs.owner.pk, {Role.ADMIN})
    assert exc.value.code == "role_not_allowed" and "职工" in str(exc.value.detail)
    assert require_enterprise(officer) == orgs.owner
    with pytest.raises(Forbidden) as exc:
        require_enterprise(actor_of(orgs.inspector))
    assert exc.value.code == "enterprise_only"


def test_require_regulator_over(orgs):
    inspector = actor_of(orgs.inspector)
    require_regulator_over(inspector, orgs.owner)
    require_regulator_over(inspector, "370322102")
    with pytest.raises(NotFound):
        require_regulator_over(inspector, orgs.outsider)
    with pytest.raises(NotFound):
        require_regulator_over(actor_of(orgs.officer), orgs.owner)
    assert require_regulator(inspector, {Role.INSPECTOR}) == orgs.gaoqing
    with pytest.raises(Forbidden) as exc:
        require_regulator(actor_of(orgs.officer))
    assert exc.value.code == "regulator_only"
    with pytest.raises(Forbidden) as exc:
        require_regulator(actor_of(orgs.reg_admin), {Role.INSPECTOR})
    assert exc.value.code == "role_not_allowed"
