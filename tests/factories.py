"""factory_boy factories for the platform's core objects."""

from __future__ import annotations

import factory
from stdnum.cn import uscc as stdnum_uscc

from backend.accounts.models import Enterprise, Membership, Regulator, Role, User
from compliance.models import RiskPoint

_ALNUM = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(n: int) -> str:
    """A checksum-valid USCC (GB 32100-2015) for sequence number ``n``."""
    body = "91370322"
    tail, x = "", n + 1000
    for _ in range(9):
        tail = _ALNUM[x % 31] + tail
        x //= 31
    # The embedded organisation code (chars 9-17) has its own check character (GB 11714).
    org = tail[-8:]
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    s = sum(_ALNUM.index(c) * w for c, w in zip(org, weights, strict=True)) if all(c in _ALNUM for c in org) else 0
    chk = 11 - s % 11
    org_chk = {10: "X", 11: "0"}.get(chk, str(chk))
    code = body + org + org_chk
    return code + stdnum_uscc.calc_check_digit(code)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试化工有限公司{n}")
    uscc = factory.Sequence(make_uscc)
    division_code = "370322102"
    industry = "危险化学品生产"
    status = Enterprise.Status.APPROVED


class RegulatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regulator

    name = factory.Sequence(lambda n: f"应急管理局{n}")
    jurisdiction = "370322"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-12345")


def member(org: Enterprise | Regulator, role: str = Role.SAFETY_OFFICER, **kwargs) -> User:
    user = UserFactory(**kwargs)
    key = "enterprise" if isinstance(org, Enterprise) else "regulator"
    Membership.objects.create(user=user, role=role, **{key: org})
    user.save()
    return user


class RiskPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskPoint

    enterprise = factory.SubFactory(EnterpriseFactory)
    code = factory.Sequence(lambda n: f"RP-{n:03d}")
    name = factory.Sequence(lambda n: f"风险点{n}")
    kind = RiskPoint.Kind.ACTIVITY
