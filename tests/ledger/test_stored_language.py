"""Text stored in records or sent to other units is in the district's language, whatever the actor reads."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from ecoinspect.common.choices import ProblemType
from ecoinspect.ledger import services
from ecoinspect.ledger.choices import ProblemSource
from ecoinspect.notifications.models import Notification


def test_an_english_reading_coordinator_still_writes_chinese_reasons_and_inbox_titles(
    people, structure, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        problem = services.problem_register(
            actor=people["coordinator"],
            title="【测试】景泰涌沿岸生活污水直排",
            source=ProblemSource.PETITION,
            problem_types=[ProblemType.WATER],
            address="白云区景泰街道景泰涌",
            acceptance_unit=structure["sthj"],
            deadline=timezone.localdate() + dt.timedelta(days=30),
        )
        problem = services.problem_assign(actor=people["coordinator"], problem=problem)
        services.problem_reroute(
            actor=people["coordinator"], problem=problem, lead_unit=structure["jingtai"], reason="属地先行处置"
        )
    problem.refresh_from_db()
    assert "系统推荐牵头单位" in problem.routing_reason and "改派至" in problem.routing_reason
    titles = set(Notification.objects.filter(recipient=people["jingtai"]).values_list("title", flat=True))
    assert any(title.startswith("改派：") for title in titles), titles
    water_titles = set(Notification.objects.filter(recipient=people["water"]).values_list("title", flat=True))
    assert any(title.startswith("交办：") for title in water_titles), water_titles


def test_the_publicity_channel_offered_names_the_configured_district_in_its_language(settings):
    from ecoinspect.ledger.forms import PublicityForm

    settings.ECOINSPECT_DISTRICT_NAME = "海珠区"
    with translation.override("en"):
        form = PublicityForm()
        assert form["channel"].initial == "海珠区人民政府网站"
