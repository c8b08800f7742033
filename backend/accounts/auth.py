"""Token authentication of the API: knox tokens, with the header checked before any lookup.

A malformed ``Authorization: Token …`` header (bytes that are not ASCII, a NUL or other control
character, a token that is not the hex knox issues, or of the wrong length) answers 401
``authentication_failed`` instead of reaching the database (BREAKIT D9: ``Token \\xff\\xfe`` was a
UnicodeDecodeError, ``Token ab\\x00cd`` a PostgreSQL error, both 500).
"""

from __future__ import annotations

import re
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

#: knox tokens: optional TOKEN_PREFIX, then lowercase hex (``CONSTANTS.TOKEN_KEY_LENGTH`` of it is the key).
_HEX = re.compile(r"[0-9a-f]+")


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's ``TokenAuthentication`` that refuses a malformed token with 401 (see the module), in
    one query: the token with its user, membership and organization (``select_related``), so the
    caller's Actor needs no further query. An expired token is deleted and refused, as knox does;
    the user's *other* expired tokens are deleted when a new token is issued (login), not on every request
    (knox's per-request sweep was one more query each time, issue 18)."""

    def authenticate_credentials(self, token: bytes):
        try:
            text = token.decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌格式无效。", code="authentication_failed")
        prefix = knox_settings.TOKEN_PREFIX or ""
        body = text[len(prefix):] if prefix and text.startswith(prefix) else text
        if len(body) < CONSTANTS.TOKEN_KEY_LENGTH or len(body) > 512 or not _HEX.fullmatch(body):
            raise exceptions.AuthenticationFailed("令牌格式无效。", code="authentication_failed")
        candidates = get_token_model().objects.filter(token_key=text[:CONSTANTS.TOKEN_KEY_LENGTH]).select_related(
            "user", "user__membership", "user__membership__enterprise", "user__membership__regulator")
        digest = hash_token(text)
        for auth_token in candidates:
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                username = auth_token.user.get_username()
                auth_token.delete()
                token_expired.send(sender=self.__class__, username=username, source="auth_token")
                continue
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))



class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of knox tokens for this subclass (drf-spectacular matches exact classes)."""

    target_class = "backend.accounts.auth.TokenAuthentication"


def delete_expired_tokens_on_login(sender, instance, created: bool, **kwargs) -> None:
    """``post_save`` of a knox token: when a token is issued (login), delete its user's expired
    tokens — the sweep knox did on every authenticated request (:class:`TokenAuthentication`)."""
    if created:
        sender.objects.filter(user_id=instance.user_id, expiry__lt=timezone.now()).delete()
