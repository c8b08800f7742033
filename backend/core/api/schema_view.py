"""``GET /api/schema/``: the OpenAPI document, generated once per process and rendering.

Generating the schema walks every view and serializer (about 10 s on the shared 2-core box, 1.2 MB of
JSON) while it changes only with the code, so the rendered bytes are kept in the process for each
combination of the parameters drf-spectacular reads (``format``, ``lang``, ``version``; at most
:data:`MAX_VARIANTS`, an unknown combination beyond that is rendered without being kept).
"""

from __future__ import annotations

from typing import ClassVar

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

#: How many renderings a process keeps (json, yaml × a few languages is far below it).
MAX_VARIANTS = 8


class SchemaView(SpectacularAPIView):
    """:class:`drf_spectacular.views.SpectacularAPIView` with its rendered response kept per process."""

    _rendered: ClassVar[dict[tuple[str, str, str, str], tuple[bytes, dict[str, str]]]] = {}

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        key = (request.accepted_renderer.format, request.GET.get("lang", ""), request.GET.get("version", ""),
               request.GET.get("format", ""))
        hit = self._rendered.get(key)
        if hit is None:
            response = self.finalize_response(request, super().get(request, *args, **kwargs), *args, **kwargs)
            response.render()
            if response.status_code != 200:
                return response
            headers = {h: response[h] for h in ("Content-Type", "Content-Disposition") if h in response}
            hit = (response.content, headers)
            if len(self._rendered) < MAX_VARIANTS:
                self._rendered[key] = hit
        content, headers = hit
        out = HttpResponse(content)
        for name, value in headers.items():
            out[name] = value
        return out
