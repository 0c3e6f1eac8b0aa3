"""The replayed clock: the one thing the demo adjusts outside the services (see the package docstring).
It is core's (``ecoinspect.core.demo.simulated_clock``), shared by every app's demo."""

from __future__ import annotations

from ecoinspect.core.demo import simulated_clock

__all__ = ["simulated_clock"]
