"""Factories of the platform: organizations, users with a membership per role, notifications."""

from __future__ import annotations

import factory
from stdnum.cn import uscc as stdnum_uscc

from backend.accounts.models import Enterprise, Membership, Regulator, Role, User
from backend.notifications.models import Channel, Notification

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
    """An approved enterprise in 高青县 (division ``370322102``) with a valid USCC."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试化工有限公司{n}")
    uscc = factory.Sequence(make_uscc)
    division_code = "370322102"
    industry = "危险化学品生产"
    status = Enterprise.Status.APPROVED


class RegulatorFactory(factory.django.DjangoModelFactory):
    """A regulator of 高青县 (jurisdiction prefix ``370322``) unless told otherwise."""

    class Meta:
        model = Regulator

    name = factory.Sequence(lambda n: f"应急管理局{n}")
    jurisdiction = "370322"


class UserFactory(factory.django.DjangoModelFactory):
    """A user without a membership (password ``pass-12345``)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-12345")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A user's membership: an enterprise safety officer by default; ``regulator=…`` with
    ``role=Role.INSPECTOR``/``Role.ADMIN`` for the regulator side (the DB checks the pairing)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    regulator = None
    role = Role.SAFETY_OFFICER

    class Params:
        on_regulator = factory.Trait(enterprise=None, regulator=factory.SubFactory(RegulatorFactory),
                                     role=Role.INSPECTOR)


def member(org: Enterprise | Regulator, role: str = Role.SAFETY_OFFICER, **kwargs) -> User:
    """A new user (``kwargs`` → :class:`UserFactory`) with ``role`` in ``org``; returns the user."""
    user = UserFactory(**kwargs)
    key = "enterprise" if isinstance(org, Enterprise) else "regulator"
    MembershipFactory(user=user, role=role, **({"enterprise": org} if key == "enterprise"
                                               else {"enterprise": None, "regulator": org}))
    user.save()
    return user


class NotificationFactory(factory.django.DjangoModelFactory):
    """An in-app notification to a user (``recipient_user``); give ``recipient_enterprise`` or
    ``recipient_regulator`` instead for an organization inbox row."""

    class Meta:
        model = Notification

    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    channel = Channel.IN_APP
    kind = "test"
    title = factory.Sequence(lambda n: f"通知{n}")
    recipient_user = factory.SubFactory(UserFactory)
