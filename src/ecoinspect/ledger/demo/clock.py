"""The replayed clock: the one thing the demo adjusts outside the services (see the package docstring)."""

from __future__ import annotations

import contextlib
from unittest import mock


@contextlib.contextmanager
def simulated_clock():
    """Point ``django.utils.timezone.now`` at ``clock.now`` for the duration of the load (see the docstring)."""
    from django.utils import timezone

    class Clock:
        now = timezone.now()

    clock = Clock()
    with mock.patch.object(timezone, "now", lambda: clock.now):
        yield clock
