"""``POST /api/v1/enterprises/{id}/location/``: the enterprise's site coordinates (WGS-84), set by
its admin or by a regulator covering it (:func:`backend.accounts.services.enterprise_set_location`)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.accounts import services
from backend.accounts.api.serializers import EnterpriseSerializer
from backend.accounts.csv_parse import CHINA_LAT_RANGE, CHINA_LON_RANGE
from backend.core.api.inputs import validated


class LocationIn(serializers.Serializer):
    """``{lon, lat}``: WGS-84 degrees within China, both given or both null (clears the location)."""

    lon = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True,
                                   help_text=f"经度（WGS-84，度，{CHINA_LON_RANGE[0]}–{CHINA_LON_RANGE[1]}；null 清除）")
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True,
                                   help_text=f"纬度（WGS-84，度，{CHINA_LAT_RANGE[0]}–{CHINA_LAT_RANGE[1]}；null 清除）")


class EnterpriseLocationActions:
    """The ``location`` action of the enterprise viewset (mixin, first base)."""

    @extend_schema(request=LocationIn, responses=EnterpriseSerializer,
                   summary="设置企业坐标（本企业管理员或监管部门；WGS-84）")
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def location(self, request, pk=None):
        """Set or clear the site coordinates shown on the regulator's map. 400 ``required`` /
        ``out_of_range`` / ``invalid`` (field named); 403 ``not_enterprise_admin``;
        404 outside the caller's scope. Audited (``enterprise.set_location``)."""
        ent = self.get_object()  # type: ignore[attr-defined]  # 404 outside the caller's scope
        data = validated(LocationIn, request.data)
        ent = services.enterprise_set_location(actor=self.actor, enterprise_id=ent.pk,  # type: ignore[attr-defined]
                                               lon=data["lon"], lat=data["lat"])
        return Response(EnterpriseSerializer(ent).data)
