from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "inspections.reports"
    label = "reports"
    verbose_name = "双报告"

    def ready(self) -> None:
        from inspections.reports import checks  # noqa: F401  (registers the CJK font system check)
