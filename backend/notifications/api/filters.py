"""Filters of the notification list."""

from __future__ import annotations

import django_filters

from backend.core.api.filters import StrictFilterSet
from backend.notifications.models import Notification


class NotificationFilter(StrictFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="未读")

    class Meta:
        model = Notification
        fields = ("kind", "unread")
