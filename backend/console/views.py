"""The console's history fallback: ``index.html`` of the built console for every non-API path."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

NOT_BUILT = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>控制台尚未构建</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>控制台尚未构建 (console not built)</h1>
<p>Web 控制台的前端文件不存在：{dist}</p>
<p>请安装 Node.js ≥ 20 后执行 <code>make run</code>，或手动构建：</p>
<pre>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</pre>
<p>API 不受影响：<a href="/api/docs/">/api/docs/</a></p>
</body></html>
"""


@never_cache
@require_safe
def index(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """GET/HEAD any console path → ``CONSOLE_DIST_DIR/index.html`` (200, text/html, not cached), or a
    503 page telling to build the console when it has not been built."""
    page = settings.CONSOLE_DIST_DIR / "index.html"
    try:
        html = page.read_bytes()
    except FileNotFoundError:
        return HttpResponse(NOT_BUILT.format(dist=settings.CONSOLE_DIST_DIR), status=503,
                            content_type="text/html; charset=utf-8")
    return HttpResponse(html, content_type="text/html; charset=utf-8")
