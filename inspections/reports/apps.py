from django.apps import AppConfig


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
