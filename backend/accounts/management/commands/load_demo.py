"""``manage.py load_demo``: the sample data and demo accounts, idempotently (run by ``make run``).

Loads ``enterprises.csv`` and the sample enterprise's risk register from ``samples/``
in the repository, creates the 高青县 regulator and one demo account per role, then whatever
later apps contribute (hazard ledger, permits, inspections, reports) when they are installed.
"""

from __future__ import annotations

import importlib
import inspect

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from backend.accounts.importers import enterprises_import
from backend.accounts.models import Enterprise, Membership, Regulator, Role, User

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
#: Later apps' demo loaders, called in order when importable: ``fn(enterprise=, users=, regulator=, stdout=)``
#: (keyword arguments a loader does not declare are not passed).
EXTENSIONS = [
    ("compliance.demo", "load"),
    ("special_ops.demo", "load_demo_permits"),
    ("inspections.demo", "load"),
    ("inspections.reports.demo", "load"),
]


def demo_superuser() -> User | None:
    """The admin account ``demo``, only when ``DEMO_ADMIN_PASSWORD`` is set (≥ 12 characters); None otherwise.

    The demo's published password never opens the admin: without the variable no superuser is
    created, and a ``demo`` superuser left by an older demo with the published password is given an
    unusable password (BREAKIT D2).
    """
    import os

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
        from compliance.services.register_import import register_import

        report = register_import(actor=users["officer"], enterprise=enterprise, source=str(data / "风险分级管控清单_示例化工.xlsx"))
        for line in report.lines():
            self.stdout.write("  " + line)
        for module_name, fn_name in EXTENSIONS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            self.stdout.write(f"== {module_name}")
            fn = getattr(module, fn_name)
            kwargs = {"enterprise": enterprise, "users": users, "regulator": regulator, "stdout": self.stdout}
            params = inspect.signature(fn).parameters
            result = fn(**{k: v for k, v in kwargs.items() if k in params})
            if result is not None and "stdout" not in params:
                self.stdout.write(f"  {result}")
        self.stdout.write(self.style.SUCCESS(
            f"demo ready: accounts {', '.join(sorted({u.username for u in users.values()}))} (password {DEMO_PASSWORD}); "
            + ("admin: demo / $DEMO_ADMIN_PASSWORD" if admin else "admin: none (set DEMO_ADMIN_PASSWORD, ≥ 12 characters)")))
