"""Reads of notifications."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from backend.core.actors import Actor
from backend.notifications.models import Channel, Notification


def notifications_visible_to(actor: Actor, queryset: QuerySet[Notification] | None = None) -> QuerySet[Notification]:
    """What ``actor`` may read: rows addressed to the user, and in-app rows addressed to the
    actor's organization (enterprise or regulator). Anonymous and system actors see nothing."""
    qs = Notification.objects.all() if queryset is None else queryset
    if actor.user is None:
        return qs.none()
    cond = Q(recipient_user=actor.user)
    if actor.is_enterprise:
        cond |= Q(recipient_enterprise_id=actor.enterprise_id, channel=Channel.IN_APP)
    if actor.is_regulator:
        cond |= Q(recipient_regulator_id=actor.regulator_id, channel=Channel.IN_APP)
    return qs.filter(cond)
