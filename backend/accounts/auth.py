"""Token authentication of the API: knox tokens, with the header checked before any lookup.

A malformed ``Authorization: Token …`` header (bytes that are not ASCII, a NUL or other control
character, a token that is not the hex knox issues, or of the wrong length) answers 401
``authentication_failed`` instead of reaching the database (BREAKIT D9: ``Token \\xff\\xfe`` was a
UnicodeDecodeError, ``Token ab\\x00cd`` a PostgreSQL error, both 500).
"""

from __future__ import annotations

import re

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

#: knox tokens: optional TOKEN_PREFIX, then lowercase hex (``CONSTANTS.TOKEN_KEY_LENGTH`` of it is the key).
_HEX = re.compile(r"[0-9a-f]+")


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's ``TokenAuthentication`` that refuses a malformed token with 401 (see the module)."""

    def authenticate_credentials(self, token: bytes):
        try:
            text = token.decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌格式无效。", code="authentication_failed")
        prefix = knox_settings.TOKEN_PREFIX or ""
        body = text[len(prefix):] if prefix and text.startswith(prefix) else text
        if len(body) < CONSTANTS.TOKEN_KEY_LENGTH or len(body) > 512 or not _HEX.fullmatch(body):
            raise exceptions.AuthenticationFailed("令牌格式无效。", code="authentication_failed")
        return super().authenticate_credentials(token)



class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of knox tokens for this subclass (drf-spectacular matches exact classes)."""

    target_class = "backend.accounts.auth.TokenAuthentication"
