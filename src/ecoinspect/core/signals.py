"""What the kit does when the layers below it announce something (they may not call it)."""

from __future__ import annotations

from django.dispatch import receiver

from ecoinspect.orgs.events import membership_ended

from .services import notifications_withdraw_from_person


@receiver(membership_ended)
def _left_a_unit(sender, membership, actor, **kwargs):
    """A person who left a unit keeps no notifications about that unit's records they may no longer open."""
    notifications_withdraw_from_person(actor=actor, user=membership.user)
