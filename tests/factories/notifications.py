"""Factories of notifications: one person's notification, as ``notification_send`` writes it.

A test about sending — a unit's message fanned out to its members — calls the service itself.
"""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from ecoinspect.notifications.models import Notification

from .orgs import UserFactory


class NotificationFactory(DjangoModelFactory):
    """A notification to ``recipient`` (``unit`` set when it was addressed to one of their units)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    unit = None
    title = factory.Sequence(lambda n: f"测试通知{n}")
