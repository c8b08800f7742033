from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "backend.audit"
    label = "audit"
    verbose_name = "审计追溯"

    def ready(self) -> None:
        from backend.audit.roles import on_post_migrate

        # After every migrate (as the owner): the application role's privileges (backend/audit/roles.py).
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="audit-grant-app-role")
