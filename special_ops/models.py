"""Electronic permits for the eight special operations of GB 30871-2022 (DOMAIN.md §4).

A :class:`WorkPermit` holds the common fields of every permit; each type's own fields live in a
one-to-one detail model (``HotWorkDetail`` … ``RoadClosureDetail``), validated by a per-type
serializer and the pure rule modules in :mod:`special_ops.rules`. People on a permit are names with
an optional link to an enterprise member (contractors have no accounts); signatures (approvals,
measure confirmations, briefing) are by users. Permits are never deleted (cancel instead); every
transition writes an audit event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from special_ops.rules.levels import HeightLevel, HotWorkLevel, LiftingLevel
from special_ops.rules.types import CONFLICT_STATES, PermitState, PermitType

TYPE_CHOICES = PermitType.choices()
STATE_CHOICES = PermitState.choices()
#: Every level code of every type (hot work and lifting share ``first``/``second``, same labels).
LEVEL_CHOICES = list(dict(HotWorkLevel.choices() + LiftingLevel.choices() + HeightLevel.choices()).items())
USER = settings.AUTH_USER_MODEL


#: The states in which a permit takes part in conflict checks, in enum order (the partial index's condition).
CONFLICT_STATE_VALUES = [s.value for s in PermitState if s in CONFLICT_STATES]


class WorkPermit(models.Model):
    """One special-operation permit (作业票) of an enterprise."""

    class UnitKind(models.TextChoices):
        INTERNAL = "internal", "本单位"
        CONTRACTOR = "contractor", "承包商"

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT, related_name="permits")
    number = models.CharField("作业票编号", max_length=40)
    type = models.CharField("作业类型", max_length=20, choices=TYPE_CHOICES, db_index=True)
    state = models.CharField("状态", max_length=12, choices=STATE_CHOICES, default=PermitState.DRAFT, db_index=True)
    level_declared = models.CharField("申报级别", max_length=8, choices=LEVEL_CHOICES, blank=True)
    level_computed = models.CharField("计算级别", max_length=8, choices=LEVEL_CHOICES, blank=True)
    level = models.CharField("管理级别", max_length=8, choices=LEVEL_CHOICES, blank=True)
    level_reasons = models.JSONField("级别依据", default=list, blank=True)
    extra_approval = models.BooleanField("风险点重大/较大，审批升级", default=False)
    #: The approver step fixed at submit (Table B.1 per level, the enterprise's setting, the Table B.2
    #: raise): {code, name, role}; empty for the types whose approver does not depend on the level.
    approver_step = models.JSONField("审批人（表B.1/B.2）", default=dict, blank=True)

    applicant_name = models.CharField("申请人", max_length=50)
    applicant_user = models.ForeignKey(USER, verbose_name="申请人账号", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    applicant_unit = models.CharField("申请单位", max_length=100)
    work_unit = models.CharField("作业单位", max_length=100)
    work_unit_kind = models.CharField("作业单位类别", max_length=12, choices=UnitKind.choices, default=UnitKind.INTERNAL)
    #: 检维修作业 (maintenance work), declared by the applicant; regulators filter on it (``maintenance``).
    is_maintenance = models.BooleanField("检维修作业", default=False)
    #: When the 作业前报告 went to the regulator (on approval; :mod:`special_ops.rules.prework`).
    prework_reported_at = models.DateTimeField("作业前报告时间", null=True, blank=True, db_index=True)
    prework_reasons = models.JSONField("作业前报告原因", default=list, blank=True)
    work_content = models.TextField("作业内容")
    location = models.CharField("作业地点", max_length=200)
    lon = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    risk_point = models.ForeignKey("compliance.RiskPoint", verbose_name="风险点", null=True, blank=True, on_delete=models.PROTECT, related_name="permits")
    planned_start = models.DateTimeField("计划开始", db_index=True)
    planned_end = models.DateTimeField("计划结束", db_index=True)
    related_numbers = models.JSONField("关联作业票编号", default=list, blank=True)
    risk_identification = models.TextField("危害辨识", blank=True)

    work_leader_name = models.CharField("作业负责人", max_length=50)
    work_leader_phone = models.CharField("作业负责人电话", max_length=20, blank=True)
    work_leader_user = models.ForeignKey(USER, verbose_name="作业负责人账号", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    guardian_name = models.CharField("监护人", max_length=50)
    guardian_cert_no = models.CharField("监护人证书编号", max_length=50, blank=True)
    guardian_user = models.ForeignKey(USER, verbose_name="监护人账号", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    gas_analyst_name = models.CharField("气体分析人", max_length=50, blank=True)

    briefer_name = models.CharField("安全交底人", max_length=50, blank=True)
    briefer_user = models.ForeignKey(USER, verbose_name="交底人账号", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    briefed_names = models.JSONField("接受交底人", default=list, blank=True)
    briefed_at = models.DateTimeField("交底时间", null=True, blank=True)

    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    suspended_at = models.DateTimeField("暂停时间", null=True, blank=True)
    suspend_reason = models.CharField("暂停原因", max_length=200, blank=True)
    completed_at = models.DateTimeField("完工时间", null=True, blank=True)
    accepted_at = models.DateTimeField("验收时间", null=True, blank=True)
    closed_reason = models.CharField("驳回/取消原因", max_length=200, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "特殊作业票"
        verbose_name_plural = "特殊作业票"
        ordering = ("-planned_start", "id")
        constraints = [models.UniqueConstraint(fields=("enterprise", "number"), name="permit_number_per_enterprise")]
        indexes = [
            # the list's default order (-planned_start, id) per enterprise (issue 18)
            models.Index(fields=("enterprise", "-planned_start", "id"), name="permit_ent_start_idx"),
            # the conflict check's window over the filed, unfinished permits (rules.types.CONFLICT_STATES):
            # planned_end > new start, planned_start < new end, within one enterprise
            models.Index(fields=("enterprise", "planned_end", "planned_start"), name="permit_open_window_idx",
                         condition=Q(state__in=CONFLICT_STATE_VALUES)),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_type_display()}"


class PermitWorker(models.Model):
    """A worker on the permit (作业人), with the certificate where the trade needs one."""

    permit = models.ForeignKey(WorkPermit, verbose_name="作业票", on_delete=models.CASCADE, related_name="workers")
    name = models.CharField("姓名", max_length=50)
    trade = models.CharField("工种", max_length=50, blank=True)
    cert_type = models.CharField("证书类型", max_length=100, blank=True)
    cert_no = models.CharField("证书编号", max_length=50, blank=True)
    user = models.ForeignKey(USER, verbose_name="账号", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "作业人员"
        verbose_name_plural = "作业人员"
        ordering = ("permit", "id")


class GasTest(models.Model):
    """One gas analysis sample (气体分析) with its computed verdict.

    ``flammable``: [{medium, lel_pct_vol, reading_pct_vol, reading_pct_lel}] (%vol);
    ``toxic``: [{gas, formula, reading_ppm, oel_ppm_approx}] (ppm) — shapes checked by the serializer.
    """

    permit = models.ForeignKey(WorkPermit, verbose_name="作业票", on_delete=models.CASCADE, related_name="gas_tests")
    sampled_at = models.DateTimeField("取样时间")
    sample_point = models.CharField("取样点", max_length=200)
    analyst_name = models.CharField("分析人", max_length=50)
    analyst_user = models.ForeignKey(USER, verbose_name="分析人账号", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    o2_pct_vol = models.DecimalField("氧含量 %vol", max_digits=5, decimal_places=2, null=True, blank=True)
    flammable = models.JSONField("可燃气体", default=list, blank=True)
    toxic = models.JSONField("有毒气体", default=list, blank=True)
    passed = models.BooleanField("合格")
    failures = models.JSONField("不合格项", default=list, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name="录入人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "气体分析"
        verbose_name_plural = "气体分析"
        ordering = ("permit", "sampled_at", "id")


class PermitApproval(models.Model):
    """A signed step of the permit's approval chain (rules.approvals). Voided, never deleted, when a
    change after approval resets the signatures."""

    permit = models.ForeignKey(WorkPermit, verbose_name="作业票", on_delete=models.CASCADE, related_name="approvals")
    step = models.CharField("步骤", max_length=40)
    step_name = models.CharField("步骤名称", max_length=100)
    role = models.CharField("签署角色", max_length=20)
    signer = models.ForeignKey(USER, verbose_name="签署人", on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField("签署人姓名", max_length=50)
    opinion = models.CharField("意见", max_length=500, blank=True)
    signed_at = models.DateTimeField("签署时间")
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "审批签字"
        verbose_name_plural = "审批签字"
        ordering = ("permit", "signed_at", "id")
        constraints = [
            models.UniqueConstraint(fields=("permit", "step"), condition=Q(voided_at__isnull=True), name="permit_step_signed_once")
        ]


class PermitMeasureCheck(models.Model):
    """One safety measure (rules.approvals.SAFETY_MEASURES) confirmed on site."""

    permit = models.ForeignKey(WorkPermit, verbose_name="作业票", on_delete=models.CASCADE, related_name="measure_checks")
    measure_code = models.CharField("措施编码", max_length=40)
    measure_text = models.CharField("安全措施", max_length=200)
    #: 是否涉及: False = marked 不涉及 (not applicable) by ``confirmed_by`` at ``confirmed_at``.
    applicable = models.BooleanField("是否涉及", default=True)
    confirmed_by = models.ForeignKey(USER, verbose_name="确认人", on_delete=models.PROTECT, related_name="+")
    confirmed_by_name = models.CharField("确认人姓名", max_length=50)
    confirmed_at = models.DateTimeField("确认时间")
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "安全措施确认"
        verbose_name_plural = "安全措施确认"
        ordering = ("permit", "id")
        constraints = [
            models.UniqueConstraint(fields=("permit", "measure_code"), condition=Q(voided_at__isnull=True), name="permit_measure_once")
        ]


# --- per-type details ----------------------------------------------------------------------------
class _Detail(models.Model):
    permit = models.OneToOneField(WorkPermit, verbose_name="作业票", on_delete=models.CASCADE, primary_key=True,
                                  related_name="%(class)s")

    class Meta:
        abstract = True


class HotWorkDetail(_Detail):
    """动火作业: method and the facts that decide the level (GB 30871-2022 §5.2)."""

    method = models.CharField("动火方式", max_length=50)
    in_fire_explosion_area = models.BooleanField("在火灾爆炸危险场所")
    on_running_equipment = models.BooleanField("在运行设备/管道上")
    inside_major_hazard_tank_dike = models.BooleanField("在重大危险源罐区防火堤内")
    on_pipe_rack = models.BooleanField("在管廊上")
    day_type = models.CharField("申报日期类型", max_length=20, blank=True)
    night = models.BooleanField("夜间作业", default=False)
    continuous_gas_monitoring = models.BooleanField("连续气体检测", default=False)
    confined_space_name = models.CharField("所在受限空间", max_length=100, blank=True)
    outdoor = models.BooleanField("露天作业", default=False)
    wind_force = models.PositiveSmallIntegerField("风力（级）", null=True, blank=True)
    production_need = models.BooleanField("因生产确需（五级风以上露天动火）", default=False)
    production_need_reason = models.CharField("生产确需理由", max_length=200, blank=True)
    special_situation = models.CharField("其他特殊情况（升级管理理由）", max_length=200, blank=True)
    isolated_unit = models.BooleanField("装置已停车、倒空、置换、分析合格并隔离（按二级管理）", default=False)
    isolated_unit_approver = models.CharField("批准按二级管理的生产或安全负责人", max_length=50, blank=True)

    class Meta:
        verbose_name = "动火作业信息"
        verbose_name_plural = verbose_name


class ConfinedSpaceDetail(_Detail):
    """受限空间作业: space and its original medium."""

    space_name = models.CharField("受限空间名称", max_length=100)
    original_medium = models.CharField("原有介质", max_length=100)
    oxygen_enriched_declared = models.BooleanField("申报富氧环境", default=False)
    entrants = models.PositiveIntegerField("进入人数", null=True, blank=True)

    class Meta:
        verbose_name = "受限空间作业信息"
        verbose_name_plural = verbose_name


class BlindingDetail(_Detail):
    """盲板抽堵作业: one plate on one pipeline."""

    class Action(models.TextChoices):
        BLIND = "blind", "堵"
        UNBLIND = "unblind", "抽"

    action = models.CharField("作业类别", max_length=8, choices=Action.choices)
    pipeline_id = models.CharField("管道编号", max_length=50)
    plate_no = models.CharField("盲板编号", max_length=50)
    medium = models.CharField("介质", max_length=50)
    temperature_c = models.DecimalField("温度 ℃", max_digits=7, decimal_places=2)
    pressure_mpa = models.DecimalField("压力 MPa", max_digits=7, decimal_places=3)
    plate_material = models.CharField("盲板材质", max_length=50)
    plate_size = models.CharField("盲板规格", max_length=50)
    diagram_no = models.CharField("盲板位置图编号", max_length=50, blank=True)
    in_fire_explosion_area = models.BooleanField("在火灾爆炸危险场所", default=False)
    portable_gas_monitor = models.BooleanField("携带便携式气体检测仪", default=False)

    class Meta:
        verbose_name = "盲板抽堵作业信息"
        verbose_name_plural = verbose_name


class HeightDetail(_Detail):
    """高处作业: height and hazard factors (GB/T 3608)."""

    height_m = models.DecimalField("作业高度 m", max_digits=6, decimal_places=2)
    hazard_factors = models.JSONField("危险因素（编码列表）", default=list, blank=True)
    ambient_mean_temp_c = models.DecimalField("平均气温 ℃", max_digits=5, decimal_places=1, null=True, blank=True)
    wind_force = models.PositiveSmallIntegerField("风力（级）", null=True, blank=True)
    water_temp_c = models.DecimalField("接触水温 ℃", max_digits=5, decimal_places=1, null=True, blank=True)
    approval_situations = models.JSONField("审批提级情形（表B.2）", default=list, blank=True)

    class Meta:
        verbose_name = "高处作业信息"
        verbose_name_plural = verbose_name


class LiftingDetail(_Detail):
    """吊装作业: load, crane, rigger and signaller."""

    load_t = models.DecimalField("吊装质量 t", max_digits=8, decimal_places=2)
    crane = models.CharField("起重机械", max_length=100, blank=True)
    lift_plan_no = models.CharField("吊装方案编号", max_length=50, blank=True)
    rigger = models.CharField("司索人", max_length=50, blank=True)
    signaller = models.CharField("指挥人", max_length=50, blank=True)
    approval_situations = models.JSONField("审批提级情形（表B.2）", default=list, blank=True)

    class Meta:
        verbose_name = "吊装作业信息"
        verbose_name_plural = verbose_name


class TempPowerDetail(_Detail):
    """临时用电作业: connection point, power, voltage."""

    connection_point = models.CharField("电源接入点", max_length=100)
    power_kw = models.DecimalField("工作功率 kW", max_digits=8, decimal_places=2)
    voltage_v = models.PositiveIntegerField("工作电压 V")
    in_fire_explosion_area = models.BooleanField("在火灾爆炸危险场所", default=False)
    equipment = models.CharField("用电设备", max_length=200, blank=True)
    special_case = models.BooleanField("特殊情况（有效期至 30 天）", default=False)
    special_case_reason = models.CharField("特殊情况理由", max_length=200, blank=True)
    feeds_permit_no = models.CharField("所供电的动火/受限空间作业票编号", max_length=40, blank=True)

    class Meta:
        verbose_name = "临时用电作业信息"
        verbose_name_plural = verbose_name


class ExcavationDetail(_Detail):
    """动土作业: depth and area."""

    depth_m = models.DecimalField("深度 m", max_digits=6, decimal_places=2)
    area_m2 = models.DecimalField("面积 m²", max_digits=8, decimal_places=2)
    method = models.CharField("作业方式", max_length=50, blank=True)
    buried_services = models.CharField("地下设施情况", max_length=200, blank=True)

    class Meta:
        verbose_name = "动土作业信息"
        verbose_name_plural = verbose_name


class RoadClosureDetail(_Detail):
    """断路作业: reason and road section."""

    road_section = models.CharField("断路地段", max_length=200)
    reason = models.CharField("断路原因", max_length=200)
    departments = models.JSONField("相关部门", default=list, blank=True)
    detour = models.CharField("绕行方案", max_length=200, blank=True)

    class Meta:
        verbose_name = "断路作业信息"
        verbose_name_plural = verbose_name


class PermitApproverSetting(models.Model):
    """An enterprise's own approver for a height or lifting level (GB 30871-2022 Table B.1 says 参照执行;
    without a row the table's default applies, rules.approvals.APPROVER_BY_LEVEL)."""

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.CASCADE,
                                   related_name="permit_approver_settings")
    type = models.CharField("作业类型", max_length=20, choices=[(PermitType.HEIGHT.value, PermitType.HEIGHT.label),
                                                            (PermitType.LIFTING.value, PermitType.LIFTING.label)])
    level = models.CharField("作业级别", max_length=8, choices=LEVEL_CHOICES)
    approver_name = models.CharField("审批人（部门/职务）", max_length=50)
    role = models.CharField("签署角色", max_length=20, choices=[("employee", "职工"), ("safety_officer", "安全管理员"),
                                                           ("principal", "主要负责人")])

    class Meta:
        verbose_name = "作业分级审批设置"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=("enterprise", "type", "level"), name="permit_approver_once")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.get_level_display()}：{self.approver_name}"


class LiftRiskRecord(models.Model):
    """The light record of a lift under 10 t done without a permit (可不办理, GB 30871-2022 Table B.1
    note 3): who recorded which lift, its risk analysis and the measures taken."""

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="lift_risk_records")
    load_t = models.DecimalField("吊装质量 t", max_digits=6, decimal_places=2)
    work_content = models.CharField("作业内容", max_length=200)
    location = models.CharField("作业地点", max_length=200)
    planned_at = models.DateTimeField("作业时间")
    crane = models.CharField("起重机械", max_length=100, blank=True)
    risk_analysis = models.TextField("风险分析")
    measures = models.JSONField("安全措施", default=list)
    recorded_by = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    recorded_by_name = models.CharField("记录人姓名", max_length=50)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "10 t 以下吊装风险分析记录"
        verbose_name_plural = verbose_name
        ordering = ("-planned_at", "id")

    def __str__(self) -> str:
        return f"{self.work_content}（{self.load_t} t）"


#: type → detail model (one-to-one with the permit).
DETAIL_MODELS: dict[str, type[models.Model]] = {
    PermitType.HOT_WORK: HotWorkDetail,
    PermitType.CONFINED_SPACE: ConfinedSpaceDetail,
    PermitType.BLINDING: BlindingDetail,
    PermitType.HEIGHT: HeightDetail,
    PermitType.LIFTING: LiftingDetail,
    PermitType.TEMP_POWER: TempPowerDetail,
    PermitType.EXCAVATION: ExcavationDetail,
    PermitType.ROAD_CLOSURE: RoadClosureDetail,
}


#: reverse accessors of the detail models on WorkPermit (``hotworkdetail`` …), for select_related.
DETAIL_ACCESSORS: tuple[str, ...] = tuple(str(m._meta.model_name) for m in DETAIL_MODELS.values())


def detail_of(permit: WorkPermit) -> models.Model | None:
    """The permit's detail row, or None (uses the select_related cache when loaded)."""
    try:
        return getattr(permit, str(DETAIL_MODELS[permit.type]._meta.model_name))
    except models.ObjectDoesNotExist:
        return None
