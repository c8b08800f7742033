from django.apps import AppConfig


class SpecialOpsConfig(AppConfig):
    name = "special_ops"
    verbose_name = "特殊作业"
