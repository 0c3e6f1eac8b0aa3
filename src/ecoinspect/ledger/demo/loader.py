"""The loader: who acts, the stories planned (``stories``) and their steps (``steps_*``) put together, and
the replay of every step in date order under the simulated clock; ``load`` runs it once.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import time
from collections import Counter
from collections.abc import Callable

from django.utils.translation import gettext as _

from ecoinspect.core.demo import demo_person, relaxed_sqlite_sync

from .clock import simulated_clock
from .constants import DEMO_MARK, DEMO_USERNAMES, LOADED_ACTION, SEED, TZ
from .steps_notices import NoticeSteps
from .steps_rectification import RectificationSteps
from .steps_registration import RegistrationSteps
from .steps_review import ReviewSteps
from .stories import Planning, Story


class Loader(Planning, RegistrationSteps, RectificationSteps, ReviewSteps, NoticeSteps):
    def __init__(self, stdout=None, today: dt.date | None = None):
        from django.utils import timezone

        from ecoinspect.common.calendar import default_calendar

        self.stdout = stdout
        self.today = today or timezone.localdate()
        self.rng = random.Random(SEED)
        self.cal = default_calendar()
        self.cal.is_workday = functools.lru_cache(maxsize=None)(self.cal.is_workday)  # planning asks a lot
        self.events: list[tuple[dt.datetime, int, Callable]] = []
        self.seq = 0
        self.stories: list[Story] = []
        self.notices: list = []

    # -- people ------------------------------------------------------------------------------------------

    def load_people(self) -> None:
        from ecoinspect.orgs.models import Unit, User

        self.units = {u.code: u for u in Unit.objects.all()}
        self.users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
        missing = DEMO_USERNAMES - set(self.users)
        if missing:
            raise RuntimeError(
                f"demo people missing ({', '.join(sorted(missing))}): run `ecoinspect demo load`"
            )
        self.staff = {
            "swj": self.users["water"],
            "sanyuanli": self.users["sanyuanli"],
            "taihe": self.users["taihe"],
        }
        self.reviewers = {"sthj": self.users["reviewer"]}
        for code, unit in self.units.items():
            if unit.kind not in ("department", "town", "subdistrict"):
                continue
            if code not in self.staff:
                self.staff[code] = self._person(
                    f"demo_{code}", f"{unit.short_name}经办人（演示）", unit, "staff"
                )
            if unit.kind == "department" and code not in self.reviewers:
                self.reviewers[code] = self._person(
                    f"demo_{code}_reviewer", f"{unit.short_name}验收人（演示）", unit, "reviewer"
                )
        self.coordinator = self.users["coordinator"]
        self.publisher = self.users["publisher"]

    def _person(self, username, full_name, unit, role):
        return demo_person(username, full_name, unit, role)

    def lead_staff(self, story: Story):
        return self.staff[story.lead]

    # -- steps (each one service call, as the right person: see steps_*) ----------------------------------

    def fresh(self, story: Story):
        """The story's problem. Only the services change it, and they update the object they are given."""
        return story.problem

    # -- running ------------------------------------------------------------------------------------------

    def run(self) -> None:
        from django.db import transaction

        self.events.sort(key=lambda e: (e[0], e[1]))
        latest = dt.datetime.now(TZ) - dt.timedelta(minutes=1)  # nothing is dated after the real now
        with simulated_clock() as clock, relaxed_sqlite_sync():
            for _day, batch in _by_day(self.events):
                with transaction.atomic():
                    for moment, _seq, fn in batch:
                        clock.now = min(moment.replace(tzinfo=TZ), latest)
                        fn()


def _by_day(events):
    current, batch = None, []
    for event in events:
        if event[0].date() != current and batch:
            yield current, batch
            batch = []
        current = event[0].date()
        batch.append(event)
    if batch:
        yield current, batch


def _already_loaded() -> bool:
    from ecoinspect.audit.models import ActionLog

    from ..models import Problem

    return (
        ActionLog.objects.filter(action=LOADED_ACTION).exists()
        or Problem.objects.filter(title__startswith=DEMO_MARK).exists()
    )


def load(stdout=None, today: dt.date | None = None) -> dict:
    """Load the demo ledger unless it is there already; returns the number of problems per state."""
    from django.utils import timezone

    from ecoinspect.audit.context import acting_as
    from ecoinspect.audit.services import action_log_append
    from ecoinspect.notifications.models import Notification
    from ecoinspect.notifications.services import notification_mark_read
    from ecoinspect.orgs.models import User

    from ..models import Problem

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    if _already_loaded():
        say(_("整改台账演示数据已存在，未重复载入。"))
        return {}
    began = time.monotonic()
    loader = Loader(stdout, today)
    loader.load_people()
    loader.plan_stories()
    loader.run()
    with acting_as(None):
        week_ago = timezone.now() - dt.timedelta(days=7)
        old = Notification.objects.filter(created_at__lt=week_ago, read_at__isnull=True)
        for user in User.objects.filter(pk__in=old.values("recipient_id")):
            notification_mark_read(
                user=user, notification_ids=old.filter(recipient=user).values_list("pk", flat=True)
            )
        demo = Problem.objects.filter(title__startswith=DEMO_MARK)
        counts = dict(Counter(demo.values_list("status", flat=True)))
        counts["reopened"] = demo.filter(cycle__gt=1).count()
        action_log_append(
            action=LOADED_ACTION,
            payload={"problems": demo.count(), "by_status": counts, "today": loader.today},
        )
    say(
        _("整改台账演示数据：%(n)s 个问题，用时 %(s).1f 秒：")
        % {"n": demo.count(), "s": time.monotonic() - began}
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    return counts
