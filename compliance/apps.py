from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "风险分级管控与隐患排查治理"

    def ready(self) -> None:
        """Install the import-job hooks named in ``IMPORT_JOB_HOOKS`` (dotted paths; the worker's
        ``enqueue_import_job``). Settings are the composition root: compliance never imports the worker."""
        from django.conf import settings
        from django.utils.module_loading import import_string

        from compliance.services.import_jobs import ON_JOB_HOOKS

        for path in getattr(settings, "IMPORT_JOB_HOOKS", ()):
            hook = import_string(path)
            if hook not in ON_JOB_HOOKS:
                ON_JOB_HOOKS.append(hook)
