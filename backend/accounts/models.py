"""Organizations (enterprises, regulators), users and their memberships with roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from backend.accounts.rules import RuleSet, rule_set_of


class User(AbstractUser):
    """A person using the platform. Belongs to at most one organization through :class:`Membership`."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("电话", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username


class Division(models.Model):
    """An administrative division (GB/T 2260 / 统计用区划代码): 2, 4, 6, 9 or 12 digits."""

    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Regulator(models.Model):
    """A supervising authority (e.g. 高青县应急管理局); sees enterprises whose division code starts with ``jurisdiction``."""

    name = models.CharField("名称", max_length=100, unique=True)
    jurisdiction = models.CharField("管辖区划代码前缀", max_length=12)
    parent = models.ForeignKey("self", verbose_name="上级监管部门", null=True, blank=True, on_delete=models.PROTECT)
    email = models.EmailField("通知邮箱", blank=True)
    webhook_url = models.URLField("对接系统 Webhook", blank=True)
    webhook_secret = models.CharField("Webhook 签名密钥", max_length=128, blank=True)

    class Meta:
        verbose_name = "监管部门"
        verbose_name_plural = "监管部门"
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    """An enterprise (生产经营单位), identified by its 18-char USCC (GB 32100-2015)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "已驳回"
        SUSPENDED = "suspended", "已停用"

    name = models.CharField("企业名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    division_code = models.CharField("行政区划代码", max_length=12, db_index=True)
    industry = models.CharField("所属行业", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    lon = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    legal_rep = models.CharField("法定代表人", max_length=50, blank=True)
    principal = models.CharField("主要负责人", max_length=50, blank=True)
    safety_director = models.CharField("安全管理负责人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    major_hazard_sources = models.PositiveIntegerField("重大危险源数量", default=0)
    class Kind(models.TextChoices):
        """企业类别 (the rule set: :data:`backend.accounts.rules.RULE_SETS`)."""

        HAZCHEM = "hazchem", "危险化学品/化工/医药"
        INDUSTRIAL = "industrial", "工贸"

    #: Set by the regulator (``POST /enterprises/{id}/kind/``); blank = follow ``industry``.
    kind_override = models.CharField("企业类别（监管部门确定）", max_length=12, choices=Kind.choices, blank=True)
    kind_reason = models.CharField("类别确定理由", max_length=200, blank=True)

    class AccidentStandard(models.TextChoices):
        """事故类型标准 of the enterprise's exports (``compliance.rules.accident_types``)."""

        GB6441_1986 = "gb6441-1986", "GB 6441-1986"
        GB6441_2025 = "gb6441-2025", "GB 6441-2025"

    #: The accident-type standard the enterprise's register exports use (the register accepts either's
    #: names); set by its managers (``POST /accident-types/standard/``).
    accident_standard = models.CharField("事故类型标准", max_length=12, choices=AccidentStandard.choices,
                                         default=AccidentStandard.GB6441_1986)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField("审核意见", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name

    @property
    def rule_set(self) -> RuleSet:
        """The :class:`backend.accounts.rules.RuleSet` that applies (regulator's kind, else the industry's)."""
        return rule_set_of(self.kind_override, self.industry)

    @property
    def kind(self) -> str:
        """``hazchem`` / ``industrial`` / ``""`` (未分类)."""
        return self.rule_set.kind


class Role(models.TextChoices):
    """Roles of a membership. Enterprise: admin, safety_officer, principal, employee; regulator: admin, inspector."""

    ADMIN = "admin", "管理员"
    SAFETY_OFFICER = "safety_officer", "安全管理员"
    PRINCIPAL = "principal", "主要负责人"
    EMPLOYEE = "employee", "职工"
    INSPECTOR = "inspector", "监管执法人员"


ENTERPRISE_ROLES = frozenset({Role.ADMIN, Role.SAFETY_OFFICER, Role.PRINCIPAL, Role.EMPLOYEE})


class Membership(models.Model):
    """A user's place in exactly one organization (enterprise or regulator), with a role."""

    user = models.OneToOneField(User, verbose_name="用户", on_delete=models.CASCADE, related_name="membership")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    regulator = models.ForeignKey(
        Regulator, verbose_name="监管部门", null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    department = models.CharField("部门", max_length=50, blank=True)

    class Meta:
        verbose_name = "组织成员"
        verbose_name_plural = "组织成员"
        constraints = [
            models.CheckConstraint(
                name="membership_one_org",
                condition=(Q(enterprise__isnull=False, regulator__isnull=True) | Q(enterprise__isnull=True, regulator__isnull=False)),
            ),
            models.CheckConstraint(
                name="membership_regulator_roles",
                condition=Q(regulator__isnull=True) | Q(role__in=["admin", "inspector"]),
            ),
            models.CheckConstraint(
                name="membership_enterprise_roles",
                condition=Q(enterprise__isnull=True) | Q(role__in=["admin", "safety_officer", "principal", "employee"]),
            ),
        ]

    def __str__(self) -> str:
        org = self.enterprise or self.regulator
        return f"{self.user} @ {org} ({self.get_role_display()})"
