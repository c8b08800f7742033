from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backend.accounts"
    label = "accounts"
    verbose_name = "组织与用户"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from knox.models import get_token_model

        from backend.accounts.auth import delete_expired_tokens_on_login

        post_save.connect(delete_expired_tokens_on_login, sender=get_token_model(),
                          dispatch_uid="accounts.delete_expired_tokens_on_login")
