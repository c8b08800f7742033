"""JSON rendering: every aware datetime in Asia/Shanghai (TIME_ZONE), however the payload was built.

Serializer fields already render local time; hand-built dicts (history, chains, payloads) would
otherwise render UTC ("Z"). One encoder makes the API speak one time zone.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from rest_framework import renderers
from rest_framework.utils import encoders


class LocalTimeJSONEncoder(encoders.JSONEncoder):
    def default(self, obj: Any) -> Any:
        if isinstance(obj, datetime.datetime) and timezone.is_aware(obj):
            obj = timezone.localtime(obj)
        return super().default(obj)


class JSONRenderer(renderers.JSONRenderer):
    encoder_class = LocalTimeJSONEncoder
