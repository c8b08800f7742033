"""In-app notifications: list what is addressed to me or my organization, mark as read."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from backend.core.api import ID_REGEX, StrictFilterSet, membership_of
from backend.notifications.models import Channel, Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "payload", "status", "created_at", "sent_at", "read_at")
        read_only_fields = fields


class NotificationFilter(StrictFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="未读")

    class Meta:
        model = Notification
        fields = ("kind", "unread")


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Notifications for the caller: addressed to the user, or in-app to the caller's organization."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID_REGEX
    filterset_class = NotificationFilter
    ordering_fields = ("id", "created_at")
    ordering = ("-id",)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        m = membership_of(self.request.user)
        cond = Q(recipient_user=self.request.user)
        if m is not None and m.enterprise_id:
            cond |= Q(recipient_enterprise_id=m.enterprise_id, channel=Channel.IN_APP)
        if m is not None and m.regulator_id:
            cond |= Q(recipient_regulator_id=m.regulator_id, channel=Channel.IN_APP)
        return Notification.objects.filter(cond)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        n = self.get_object()
        Notification.objects.filter(pk=n.pk, read_at__isnull=True).update(read_at=timezone.now())
        n.refresh_from_db()
        return Response(NotificationSerializer(n).data)
