from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "backend.notifications"
    label = "notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        """Install the after-commit hooks named in ``NOTIFICATION_ON_ENQUEUE_HOOKS`` (dotted paths;
        the worker's dispatch kick). Settings are the composition root, so the platform layer never
        imports the worker."""
        from django.conf import settings
        from django.utils.module_loading import import_string

        from backend.notifications.services import ON_ENQUEUE_HOOKS

        for path in settings.NOTIFICATION_ON_ENQUEUE_HOOKS:
            hook = import_string(path)
            if hook not in ON_ENQUEUE_HOOKS:
                ON_ENQUEUE_HOOKS.append(hook)
