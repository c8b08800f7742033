"""System check: the PDF reports need a CJK font (Debian ``fonts-noto-cjk``).

``manage.py check`` (part of ``make test``), ``runserver`` and the Celery worker (through
:func:`inspections.reports.render.require_cjk_font`) fail loudly when fontconfig finds no font
for Chinese. Set ``REPORTS_REQUIRE_CJK_FONT = False`` to silence it on a machine that never
renders reports.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from inspections.reports.render import cjk_font_families


@register("reports")
def cjk_font_check(app_configs, **kwargs) -> list[Error]:
    if not getattr(settings, "REPORTS_REQUIRE_CJK_FONT", True):
        return []
    if cjk_font_families():
        return []
    return [
        Error(
            "找不到中文（CJK）字体，双报告 PDF 无法渲染。",
            hint="安装 fonts-noto-cjk（bash scripts/system-deps.sh），或在不渲染报告的机器上设置 REPORTS_REQUIRE_CJK_FONT=False。",
            id="reports.E001",
        )
    ]
