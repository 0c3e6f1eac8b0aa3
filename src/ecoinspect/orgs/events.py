"""What orgs announces to the layers above it, which it may not import (core, the domain apps)."""

from __future__ import annotations

from django.dispatch import Signal

#: A person's membership of a unit has ended (``membership``, ``actor``), sent inside the service's
#: transaction: what the person may no longer open is taken out of their hands (core.signals).
membership_ended = Signal()
