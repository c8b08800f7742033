"""The 四色风险分布图 of an enterprise: its plant layout image (厂区平面图) and the risk zones drawn on
it (polygons in the image's pixel coordinates), each holding risk points (a point in one zone)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PlantLayout(models.Model):
    """The enterprise's plant layout (one per enterprise): a PNG/JPEG, or a PDF's first page
    rasterised to PNG; stored through Django's storage API without metadata."""

    class Source(models.TextChoices):
        PNG = "png", "PNG 图片"
        JPEG = "jpeg", "JPEG 图片"
        PDF = "pdf", "PDF（首页转为图片）"

    enterprise = models.OneToOneField("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                      related_name="plant_layout")
    file = models.FileField("平面图文件", max_length=200)
    content_type = models.CharField("文件类型", max_length=40)
    width = models.PositiveIntegerField("宽（像素）")
    height = models.PositiveIntegerField("高（像素）")
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    source = models.CharField("来源格式", max_length=8, choices=Source.choices)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    class Meta:
        verbose_name = "厂区平面图"
        verbose_name_plural = "厂区平面图"

    def __str__(self) -> str:
        return f"平面图 {self.enterprise_id} {self.width}×{self.height}"


class RiskZone(models.Model):
    """A zone (区域) of the 四色图: ``polygon`` is ``[[x, y], …]`` in the plan image's pixels (origin top
    left; validated by compliance.rules.polygons), ``polygon_wgs84`` optionally ``[[lon, lat], …]``.
    Its colour is the highest level of its points (computed on read)."""

    enterprise = models.ForeignKey("accounts.Enterprise", verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="risk_zones")
    name = models.CharField("区域名称", max_length=100)
    polygon = models.JSONField("边界（平面图像素坐标）")
    polygon_wgs84 = models.JSONField("边界（WGS-84 经纬度）", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    points = models.ManyToManyField("compliance.RiskPoint", through="RiskZonePoint", verbose_name="风险点",
                                    related_name="zones", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "风险区域"
        verbose_name_plural = "风险区域"
        ordering = ("enterprise", "name")
        constraints = [models.UniqueConstraint(fields=("enterprise", "name"), name="riskzone_name_per_enterprise")]

    def __str__(self) -> str:
        return self.name


class RiskZonePoint(models.Model):
    """A risk point placed in a zone: unique per point (a point is in at most one zone)."""

    zone = models.ForeignKey(RiskZone, verbose_name="区域", on_delete=models.CASCADE, related_name="memberships")
    point = models.OneToOneField("compliance.RiskPoint", verbose_name="风险点", on_delete=models.CASCADE,
                                 related_name="zone_membership")

    class Meta:
        verbose_name = "区域风险点"
        verbose_name_plural = "区域风险点"

    def __str__(self) -> str:
        return f"{self.zone_id}:{self.point_id}"
