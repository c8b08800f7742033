"""``manage.py load_demo``: the sample data and demo accounts, idempotently (run by ``make run``).

Loads ``enterprises.csv`` and the sample enterprise's risk register from ``samples/`` in the
repository, creates the 高青县 regulator and one demo account per role, then calls each app's demo
loader in layer order — ``<app>.demo.load(ctx)`` with one :class:`~backend.core.demo.DemoContext`:
the hazard ledger (compliance), permits (special_ops), a draw and an inspection (inspections), the
dual reports (reports). It lives in the top Django app because it wires every app together.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

import compliance.demo
import inspections.demo
import inspections.reports.demo
import special_ops.demo
from backend.accounts.importers import enterprises_import
from backend.accounts.models import Enterprise, Membership, Regulator, Role, User
from backend.core.demo import DemoContext
from compliance.services.register_import import register_import

SAMPLE_USCC = "91370322564206426R"
DEMO_PASSWORD = "demo-pass-2026"
ENTERPRISE_USERS = [
    ("entadmin", "企业管理员", Role.ADMIN, "安全环保部"),
    ("officer", "刘晓燕", Role.SAFETY_OFFICER, "安全环保部"),
    ("officer2", "王志强", Role.SAFETY_OFFICER, "生产技术部"),
    ("principal", "韩德茂", Role.PRINCIPAL, "总经理办公室"),
    ("employee", "张立新", Role.EMPLOYEE, "酯化车间"),
    ("unitlead", "李卫东", Role.EMPLOYEE, "设备动力部"),
]
REGULATOR_USERS = [
    ("inspector", "李建军", Role.INSPECTOR),
    ("inspector2", "赵丽华", Role.INSPECTOR),
    ("regadmin", "高青县应急局管理员", Role.ADMIN),
]
#: The apps' demo loaders, in layer order (each ``load(ctx: DemoContext) -> None``, idempotent).
LOADERS = [compliance.demo, special_ops.demo, inspections.demo, inspections.reports.demo]


def demo_superuser() -> User | None:
    """The admin account ``demo``, only when ``DEMO_ADMIN_PASSWORD`` is set (≥ 12 characters); None otherwise.

    The demo's published password never opens the admin: without the variable no superuser is
    created, and a ``demo`` superuser left by an older demo with the published password is given an
    unusable password (BREAKIT D2).
    """
    password = os.environ.get("DEMO_ADMIN_PASSWORD", "")
    admin = User.objects.filter(username="demo").first()
    if len(password) < 12:
        if admin is not None and admin.check_password(DEMO_PASSWORD):
            admin.set_unusable_password()
            admin.save(update_fields=["password"])
        return None
    if admin is None:
        return User.objects.create_superuser("demo", "", password, full_name="平台管理员")
    admin.is_superuser = admin.is_staff = True
    admin.set_password(password)
    admin.save()
    return admin


def _user(username: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


class Command(BaseCommand):
    help = "加载示例数据与演示账号（可重复执行）。"

    def handle(self, *args, **options):
        data = settings.SAMPLES_DIR
        regulator, _ = Regulator.objects.get_or_create(name="高青县应急管理局", defaults={"jurisdiction": "370322"})
        self.stdout.write("== enterprises.csv")
        for line in enterprises_import(source=str(data / "enterprises.csv")).lines():
            self.stdout.write("  " + line)
        enterprise = Enterprise.objects.get(uscc=SAMPLE_USCC)
        users: dict[str, User] = {}
        with transaction.atomic():
            for username, name, role, dept in ENTERPRISE_USERS:
                users[username] = u = _user(username, name)
                Membership.objects.get_or_create(user=u, defaults={"enterprise": enterprise, "role": role, "department": dept})
            for username, name, role in REGULATOR_USERS:
                users[username] = u = _user(username, name)
                Membership.objects.get_or_create(user=u, defaults={"regulator": regulator, "role": role})
            # Role-keyed aliases for the apps' demo loaders.
            users.update(safety_officer=users["officer"], admin=users["entadmin"], regulator_admin=users["regadmin"],
                         unit_lead=users["unitlead"])
            admin = demo_superuser()
        self.stdout.write("== 风险分级管控清单_示例化工.xlsx")
        report = register_import(actor=users["officer"], enterprise=enterprise, source=str(data / "风险分级管控清单_示例化工.xlsx"))
        for line in report.lines():
            self.stdout.write("  " + line)
        ctx = DemoContext(enterprise=enterprise, regulator=regulator, users=users, stdout=self.stdout)
        for module in LOADERS:
            self.stdout.write(f"== {module.__name__}")
            module.load(ctx)
        self.stdout.write(self.style.SUCCESS(
            f"demo ready: accounts {', '.join(sorted({u.username for u in users.values()}))} (password {DEMO_PASSWORD}); "
            + ("admin: demo / $DEMO_ADMIN_PASSWORD" if admin else "admin: none (set DEMO_ADMIN_PASSWORD, ≥ 12 characters)")))
