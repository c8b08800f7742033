"""In-app notifications: list what is addressed to me or my organization, mark as read."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.actors import Actor
from backend.core.api import TenantScopedViewSet
from backend.notifications.api.filters import NotificationFilter
from backend.notifications.api.serializers import NotificationSerializer
from backend.notifications.models import Notification
from backend.notifications.selectors import notifications_visible_to
from backend.notifications.services import notification_mark_read


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantScopedViewSet):
    """Notifications for the caller: addressed to the user, or in-app to the caller's organization."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = NotificationFilter
    ordering_fields = ("id", "created_at")
    ordering = ("-id",)

    def scoped(self, queryset: QuerySet, actor: Actor) -> QuerySet:
        return notifications_visible_to(actor, queryset)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        n = notification_mark_read(notification=self.get_object())
        return Response(NotificationSerializer(n).data)
