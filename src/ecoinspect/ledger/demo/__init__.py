"""Demo rectification ledger: about 250 invented problems across Baiyun's real units, in every state.

Everything here is invented except the units (and the names of rivers and villages, used as places):
facilities, people, cases and numbers are made up, every title starts with 【演示】 and every person the
loader creates has "（演示）" in their name.

How it is built
---------------
* **Through the services.** Every problem is registered, assigned, worked, accepted, published, closed or
  reopened by the ledger's services, as the person who would do it (the office registers and assigns,
  the lead unit's staff report progress and upload evidence, the acceptance unit's reviewer accepts, the
  publisher publishes). The ActionLog, the ChangeLog, the stage timestamps and the timelines are the
  services' own.
* **A replayed clock.** Histories are spread over the last eight months. Dates the services take as
  parameters are passed (``registered_on``, ``reported_on``, ``accepted_on``, ``starts_on``, ``done_on``,
  ``acted_on``); everything else the services stamp with "now" (assignment and closing times, "today" in
  their checks, the ActionLog's time). For that the loader replays all events in date order and, while
  it runs, points ``django.utils.timezone.now`` at the simulated moment of each event — the only thing
  adjusted outside the services; no row is written or edited directly. The real clock is restored when
  the load ends (or fails). Each simulated day is one transaction, so notifications, which are sent after
  commit, carry their day's time; notifications older than a week are then marked read.
* **People.** The demo log-ins of ``ecoinspect.core.demo`` are used where they fit (水务局 "water",
  三元里街道 "sanyuanli", 太和镇 "taihe", 生态环境分局 "reviewer", "coordinator", "publisher"). Units that
  have no demo log-in get a demo staff member (``demo_<code>``), and acceptance units other than the
  ecology-environment branch a demo reviewer (``demo_<code>_reviewer``), with unusable passwords: they are
  actors in the timelines, not log-ins.
* **Idempotent.** The load ends with the ActionLog entry ``ledger.demo.loaded``; when it exists (or any
  【演示】 problem does), nothing is loaded again.

The modules
-----------
* ``constants``: the demo mark, the seed, the length of the history, the time zone, the demo log-ins.
* ``places``: towns with their villages and rivers, firm names, surnames.
* ``scenarios``: the kinds of problem (``Scenario``) and the references of each source.
* ``files``: the generated site photos (PNG) and documents (PDF).
* ``clock``: the simulated clock.
* ``stories``: ``Track``, ``Story``, the plan of final states, and the planning of each story's steps.
* ``steps_registration``, ``steps_rectification``, ``steps_review``, ``steps_notices``: the steps, each one
  service call as the right person.
* ``loader``: ``Loader`` (people, the steps put together, the replay) and ``load``.
"""

from __future__ import annotations

from .constants import DEMO_MARK, LOADED_ACTION
from .loader import load

__all__ = ["DEMO_MARK", "LOADED_ACTION", "load"]
