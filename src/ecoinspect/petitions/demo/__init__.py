"""Demo inspection month: a round stationed thirty days ago with a batch every day (about 1,500 complaints
across Baiyun's towns, subdistricts and departments) and an earlier round's history batch — in every state,
with repeats, stage closures and return visits.

Everything is invented except the units and the places (the gazetteer's villages, communities and rivers):
complaints, facilities and numbers are generated (``texts``, ``plan``), people appear as 某某, every complaint
starts with 【演示】, the rounds' and batches' names carry it too.

How it is built (as the ledger's demo, docs/architecture.md): **through the services**, as the person who
makes each step — the office registers, marks, merges repeats, assigns, approves, sends back, records
return visits and closes out; the lead unit's staff signs for, saves its handling and reports; the publisher
discloses — under a **replayed clock** (``ecoinspect.core.demo.simulated_clock``), one transaction per
simulated day, so the ActionLog, the ChangeLog, the stage timestamps and the timelines are the services'
own and the audit chain verifies. Steps dated after today are not made: that is how the latest batches are
still waiting, being verified or reviewed. **Idempotent**: the load ends with the ActionLog entry
``petitions.demo.loaded``; when it exists (or any 【演示】 case does) nothing is loaded again.
"""

from __future__ import annotations

from .texts import DEMO_MARK

LOADED_ACTION = "petitions.demo.loaded"

__all__ = ["DEMO_MARK", "LOADED_ACTION", "load"]


def _already_loaded() -> bool:
    from ecoinspect.audit.models import ActionLog

    from ..models import Petition

    return (
        ActionLog.objects.filter(action=LOADED_ACTION).exists()
        or Petition.objects.filter(complaint_text__startswith=DEMO_MARK).exists()
    )


def load(stdout=None, today=None, cases: int | None = None) -> dict:
    """Load the demo inspection month unless it is there already; returns the number of cases per state.
    ``cases`` (default: the setting ``ECOINSPECT_DEMO_PETITIONS``, 1,500) is about how many arrive over the
    month; the test suite loads a smaller month through the same code."""
    import datetime as dt
    import time
    from collections import Counter

    from django.conf import settings
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from ecoinspect.audit.context import acting_as
    from ecoinspect.audit.services import action_log_append
    from ecoinspect.notifications.models import Notification
    from ecoinspect.notifications.services import notification_mark_read
    from ecoinspect.orgs.models import User

    from ..models import Petition
    from .loader import Loader

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    if _already_loaded():
        say(_("信访件演示数据已存在，未重复载入。"))
        return {}
    began = time.monotonic()
    size = cases or getattr(settings, "ECOINSPECT_DEMO_PETITIONS", 1500)
    say(_("正在载入信访件演示数据（约 %(n)s 件，逐件经业务服务办理，请稍候）……") % {"n": size})
    loader = Loader(stdout, today, cases=size)
    loader.load_people()
    loader.schedule()
    loader.run()
    demo = Petition.objects.filter(complaint_text__startswith=DEMO_MARK)
    counts = dict(Counter(demo.values_list("status", flat=True)))
    with acting_as(None):
        two_days_ago = timezone.now() - dt.timedelta(days=2)
        old = Notification.objects.filter(created_at__lt=two_days_ago, read_at__isnull=True)
        for user in User.objects.filter(pk__in=old.values("recipient_id")):
            notification_mark_read(user=user, notification_ids=old.filter(recipient=user).values_list("pk", flat=True))
        action_log_append(
            action=LOADED_ACTION, payload={"petitions": demo.count(), "by_status": counts, "today": loader.today}
        )
    seconds = time.monotonic() - began
    say(
        _("信访件演示数据：%(n)s 件，用时 %(s).1f 秒：") % {"n": demo.count(), "s": seconds}
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )
    return counts
