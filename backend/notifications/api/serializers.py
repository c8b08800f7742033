"""Serializers of in-app notifications."""

from __future__ import annotations

from rest_framework import serializers

from backend.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "payload", "status", "created_at", "sent_at", "read_at")
        read_only_fields = fields
