from django.apps import AppConfig
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def public_base_url_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """``manage.py check --deploy``: production needs ``REPORTS_PUBLIC_BASE_URL`` — the public https
    origin of the verification page the issued reports' QR code points at (``<base>/verify/<sha256>``).
    With DEBUG off outside tests the settings already refuse to start without one; this warns in the
    other cases (a staging run under pytest settings, a local ``.env``)."""
    from django.conf import settings

    from backend.core.origins import public_https_origin_problem

    if settings.DEBUG or public_https_origin_problem(settings.REPORTS_PUBLIC_BASE_URL) is None:
        return []
    return [checks.Warning(
        f"REPORTS_PUBLIC_BASE_URL is {settings.REPORTS_PUBLIC_BASE_URL!r}: issued reports would print a "
        "verification URL and QR code no one outside this machine can open.",
        hint="Set REPORTS_PUBLIC_BASE_URL to the public https:// origin (e.g. https://sf.example.gov.cn).",
        id="reports.W001")]


class ReportsConfig(AppConfig):
    name = "inspections.reports"
    label = "reports"
    verbose_name = "双报告"

    def ready(self) -> None:
        """Install the render hooks named in ``REPORTS_ON_REQUEST_HOOKS`` (dotted paths; the worker's
        ``enqueue_report_render``). Settings are the composition root: reports never import the worker."""
        from django.conf import settings
        from django.utils.module_loading import import_string

        from inspections.reports.services import ON_REQUEST_HOOKS

        for path in settings.REPORTS_ON_REQUEST_HOOKS:
            hook = import_string(path)
            if hook not in ON_REQUEST_HOOKS:
                ON_REQUEST_HOOKS.append(hook)
