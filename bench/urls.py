"""The product's URLs plus ``/bench/ceiling/``: a DRF view that touches no database (no
authentication, no throttle, a fixed 50-row body), the ceiling the throughput of the API's lists
is read against."""

from django.urls import path
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.urls import urlpatterns as product_urlpatterns

_ROWS = [{"id": i, "number": f"YH-2026-{i:05d}", "title": "隐患", "state": "rectifying"} for i in range(50)]


class CeilingView(APIView):
    """DRF request → response, no database."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list = []

    def get(self, request):
        return Response({"count": 50, "count_exact": True, "next": None, "previous": None, "results": _ROWS})


urlpatterns = [path("bench/ceiling/", CeilingView.as_view()), *product_urlpatterns]
