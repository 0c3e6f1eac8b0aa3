"""Closing notice publicity (验收销号公示), objections, closing (销号) and reopening (反弹)."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoinspect.audit.models import ActionLog
from ecoinspect.common.errors import NotPermitted, ServiceError
from ecoinspect.core.workflow import TransitionIncomplete, TransitionNotDeclared
from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import AcceptanceMethod, EvidenceKind, ProblemStatus, ProgressStatus
from ecoinspect.ledger.models import Evidence, Publicity
from tests.factories import ProblemFactory, png_bytes, reload, upload

pytestmark = pytest.mark.django_db

MONDAY_BEFORE_NATIONAL_DAY = dt.date(2026, 9, 28)


@pytest.fixture
def accepted(people, clock):
    problem = ProblemFactory(status=ProblemStatus.ACCEPTED)
    clock.set(MONDAY_BEFORE_NATIONAL_DAY)
    return problem


def _publish(people, problem, starts_on, period="10_workdays", who="publisher", **kw):
    args = {"channel": "白云区人民政府网站“督察整改”专栏", "objection_phone": "020-36363636"} | kw
    return svc.publicity_start(actor=people[who], problem=problem, starts_on=starts_on, period=period, **args)


def _close(people, problem, who="publisher"):
    return svc.problem_close(actor=people[who], problem=reload(problem))


# --- the publicity period ---------------------------------------------------------------------------------


def test_ten_working_days_run_across_the_national_day_holiday(accepted, people, clock):
    _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY)

    publicity = Publicity.objects.get(problem=accepted)
    # 28, 29, 30 Sep; 8, 9 Oct; Sat 10 Oct (make-up day); 12, 13, 14, 15 Oct — 1–7 Oct are holidays.
    assert publicity.ends_on == dt.date(2026, 10, 15)
    assert publicity.period_rule == "10_workdays"
    assert reload(accepted).status == ProblemStatus.PUBLICITY


def test_ten_working_days_starting_on_a_holiday_begin_with_the_next_working_day(accepted, people, clock):
    _publish(people, accepted, dt.date(2026, 10, 3))
    # 8, 9, 10, 12, 13, 14, 15, 16, 19, 20 Oct
    assert Publicity.objects.get(problem=accepted).ends_on == dt.date(2026, 10, 20)


def test_two_weeks_are_fourteen_calendar_days_holidays_included(accepted, people):
    _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY, period="2_weeks")
    assert Publicity.objects.get(problem=accepted).ends_on == dt.date(2026, 10, 11)


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("period", {"period": "1_month"}),
        ("channel", {"channel": " "}),
        ("objection_phone", {"objection_phone": "打电话"}),
        ("starts_on", {"starts_on": MONDAY_BEFORE_NATIONAL_DAY - dt.timedelta(days=31)}),
    ],
)
def test_a_publicity_needs_a_known_period_a_channel_a_phone_and_a_recent_start(accepted, people, field, kw):
    args = {"starts_on": MONDAY_BEFORE_NATIONAL_DAY} | kw
    with pytest.raises(ServiceError) as refused:
        _publish(people, accepted, **args)
    assert field in refused.value.message_dict
    assert reload(accepted).status == ProblemStatus.ACCEPTED
    assert not Publicity.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "water", "leader"])
def test_only_a_publisher_starts_the_publicity(accepted, people, who):
    with pytest.raises(NotPermitted):
        _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY, who=who)
    assert not Publicity.objects.exists()


# --- closing ----------------------------------------------------------------------------------------------


def test_closing_waits_until_the_day_after_the_period(accepted, people, clock):
    _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY)

    for day in (dt.date(2026, 10, 9), dt.date(2026, 10, 15)):
        clock.set(day)
        with pytest.raises(TransitionIncomplete) as refused:
            _close(people, accepted)
        assert "2026-10-15" in str(refused.value)
        assert reload(accepted).status == ProblemStatus.PUBLICITY

    clock.set(dt.date(2026, 10, 16))
    _close(people, accepted)

    saved = reload(accepted)
    assert saved.status == ProblemStatus.CLOSED
    assert saved.closed_at == clock.now
    assert saved.progress_status == ProgressStatus.ACCEPTED_CLOSED


def test_a_naive_monday_to_friday_count_would_close_too_early(accepted, people, clock):
    _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY)
    clock.set(dt.date(2026, 10, 12))  # ten weekdays after 28 Sep have passed, ten working days have not
    with pytest.raises(TransitionIncomplete):
        _close(people, accepted)


# --- objections -------------------------------------------------------------------------------------------


def test_an_upheld_objection_sends_the_problem_back_to_rectification(accepted, people, clock):
    _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY)
    clock.set(dt.date(2026, 9, 30))

    svc.publicity_objection(
        actor=people["publisher"], problem=reload(accepted), note="群众来电：雨后仍有黑水排出", upheld=True
    )

    saved = reload(accepted)
    assert saved.status == ProblemStatus.RECTIFYING
    assert saved.progress_status == ProgressStatus.BEHIND
    publicity = Publicity.objects.get(problem=accepted)
    assert publicity.objection_received
    assert "雨后仍有黑水排出" in publicity.objection_note
    entry = ActionLog.objects.for_object(accepted).get(action="ledger.problem.objection_upheld")
    assert entry.payload["reason"] == "群众来电：雨后仍有黑水排出"

    clock.set(dt.date(2026, 10, 16))  # the period is over, but the problem is no longer in publicity
    with pytest.raises(TransitionNotDeclared):
        _close(people, accepted)


def test_after_an_upheld_objection_a_new_publicity_can_end_in_closing(accepted, people, clock):
    _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY)
    svc.publicity_objection(actor=people["publisher"], problem=reload(accepted), note="仍有异味", upheld=True)
    problem = reload(accepted)
    svc.evidence_add(
        actor=people["water"], problem=problem, uploaded=upload("复查.png", png_bytes()), kind="photo"
    )
    svc.progress_report_add(
        actor=people["water"], problem=problem, text="已补充整改", progress_status="completed"
    )
    svc.problem_request_acceptance(actor=people["water"], problem=reload(problem))
    svc.problem_accept(
        actor=people["reviewer"],
        problem=reload(problem),
        accepted_on=clock.today,
        method=AcceptanceMethod.ON_SITE,
        opinion="复查合格",
    )
    _publish(people, reload(problem), clock.today, period="2_weeks")
    clock.set(dt.date(2026, 10, 12))

    _close(people, problem)

    assert reload(problem).status == ProblemStatus.CLOSED
    assert list(
        Publicity.objects.filter(problem=problem).order_by("pk").values_list("objection_received", flat=True)
    ) == [
        True,
        False,
    ]


def test_a_dismissed_objection_is_recorded_and_closing_goes_on(accepted, people, clock):
    _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY)
    svc.publicity_objection(
        actor=people["publisher"],
        problem=reload(accepted),
        note="经核查，异味来自相邻垃圾站，与本问题无关",
        upheld=False,
    )

    assert reload(accepted).status == ProblemStatus.PUBLICITY
    publicity = Publicity.objects.get(problem=accepted)
    assert not publicity.objection_received
    assert "相邻垃圾站" in publicity.objection_note
    assert (
        ActionLog.objects.for_object(accepted).filter(action="ledger.publicity.objection_dismissed").exists()
    )

    clock.set(dt.date(2026, 10, 16))
    _close(people, accepted)
    assert reload(accepted).status == ProblemStatus.CLOSED


def test_an_objection_needs_a_note(accepted, people):
    _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY)
    with pytest.raises(ServiceError):
        svc.publicity_objection(actor=people["publisher"], problem=reload(accepted), note="", upheld=True)
    assert reload(accepted).status == ProblemStatus.PUBLICITY


def test_the_reviewer_cannot_record_an_objection(accepted, people):
    _publish(people, accepted, MONDAY_BEFORE_NATIONAL_DAY)
    with pytest.raises(NotPermitted):
        svc.publicity_objection(actor=people["reviewer"], problem=reload(accepted), note="异议", upheld=True)
    assert reload(accepted).status == ProblemStatus.PUBLICITY


# --- reopening --------------------------------------------------------------------------------------------


@pytest.fixture
def closed(people):
    return ProblemFactory(status=ProblemStatus.CLOSED)


def test_reopening_starts_a_new_cycle_and_keeps_the_old_evidence_on_cycle_one(closed, people, clock):
    old_evidence = list(Evidence.objects.filter(problem=closed))
    new_deadline = clock.today + dt.timedelta(days=45)

    svc.problem_reopen(
        actor=people["coordinator"],
        problem=closed,
        reason="群众再次投诉：排水口复现污水",
        new_deadline=new_deadline,
    )

    saved = reload(closed)
    assert saved.status == ProblemStatus.RECTIFYING
    assert saved.cycle == 2
    assert saved.progress_status == ProgressStatus.NOT_STARTED
    assert saved.deadline == new_deadline
    assert saved.closed_at is None
    assert saved.blue_on is not None and clock.today < saved.blue_on <= saved.yellow_on <= new_deadline
    assert old_evidence and all(e.cycle == 1 for e in Evidence.objects.filter(problem=closed))
    assert set(saved.evidence.all()) == set(old_evidence)
    entry = ActionLog.objects.for_object(closed).get(action="ledger.problem.reopened")
    assert (entry.payload["previous_cycle"], entry.payload["cycle"]) == (1, 2)
    assert entry.payload["reason"] == "群众再次投诉：排水口复现污水"


def test_the_new_cycle_needs_its_own_evidence_and_report(closed, people, clock):
    svc.problem_reopen(
        actor=people["coordinator"],
        problem=closed,
        reason="反弹",
        new_deadline=clock.today + dt.timedelta(days=30),
    )

    with pytest.raises(TransitionIncomplete) as refused:
        svc.problem_request_acceptance(actor=people["water"], problem=reload(closed))
    assert set(refused.value.missing) == {"evidence", "final_report"}

    # the very photo of cycle 1 may be filed again for cycle 2
    first = Evidence.objects.get(problem=closed)
    content = first.file.open("rb").read()
    again = svc.evidence_add(
        actor=people["water"],
        problem=reload(closed),
        uploaded=upload("复查.png", content),
        kind=EvidenceKind.PHOTO,
    )
    assert again.cycle == 2 and again.sha256 == first.sha256
    report = svc.progress_report_add(
        actor=people["water"],
        problem=reload(closed),
        text="再次封堵",
        progress_status=ProgressStatus.COMPLETED,
    )
    assert report.cycle == 2
    svc.problem_request_acceptance(actor=people["water"], problem=reload(closed))
    assert reload(closed).status == ProblemStatus.COMPLETED


def test_reopening_needs_a_reason(closed, people, clock):
    with pytest.raises(TransitionIncomplete) as refused:
        svc.problem_reopen(
            actor=people["coordinator"],
            problem=closed,
            reason="",
            new_deadline=clock.today + dt.timedelta(days=30),
        )
    assert refused.value.missing == ["reason"]
    saved = reload(closed)
    assert (saved.status, saved.cycle) == (ProblemStatus.CLOSED, 1)


@pytest.mark.parametrize("days", [None, 0, -3])
def test_reopening_needs_a_deadline_after_today(closed, people, clock, days):
    deadline = None if days is None else clock.today + dt.timedelta(days=days)
    with pytest.raises(ServiceError) as refused:
        svc.problem_reopen(actor=people["coordinator"], problem=closed, reason="反弹", new_deadline=deadline)
    assert "new_deadline" in refused.value.message_dict
    assert reload(closed).cycle == 1


@pytest.mark.parametrize("who", ["water", "publisher", "reviewer", "leader"])
def test_only_the_office_reopens(closed, people, clock, who):
    with pytest.raises(NotPermitted):
        svc.problem_reopen(
            actor=people[who], problem=closed, reason="反弹", new_deadline=clock.today + dt.timedelta(days=30)
        )
    assert reload(closed).status == ProblemStatus.CLOSED


# --- when a publicity may start (issue #8: closing that withstands checking) ------------------------------

# The ``accepted`` problem was accepted on START (7 Sep 2026); the publisher enters it on 28 Sep.
ACCEPTED_ON = dt.date(2026, 9, 7)
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_a_publicity_accepted_and_entered_today_cannot_start_in_the_past(people, clock):
    """The old bug: accepted today, a 2-week "publicity" started 14 days ago, closable at once."""
    problem = ProblemFactory(status=ProblemStatus.ACCEPTED)
    with pytest.raises(ServiceError) as refused:
        _publish(people, problem, clock.today - dt.timedelta(days=14), period="2_weeks")
    assert refused.value.message_dict["starts_on"] == [
        "公示开始日期须在 2026-09-07（验收日期）至 2026-10-07 之间。"
    ]
    assert not Publicity.objects.exists()


def test_a_start_before_the_day_of_entry_names_the_range_and_asks_for_the_real_publication(accepted, people):
    with pytest.raises(ServiceError) as refused:
        _publish(people, accepted, dt.date(2026, 9, 21))
    (message,) = refused.value.message_dict["starts_on"]
    assert message.startswith("公示开始日期须在 2026-09-28（今天）至 2026-10-28 之间。")
    assert "实际发布时间和发布位置" in message
    assert reload(accepted).status == ProblemStatus.ACCEPTED


def test_a_start_more_than_thirty_days_ahead_is_refused(accepted, people):
    with pytest.raises(ServiceError) as refused:
        _publish(people, accepted, dt.date(2026, 10, 29))
    assert "至 2026-10-28 之间" in refused.value.message_dict["starts_on"][0]
    _publish(people, accepted, dt.date(2026, 10, 28))


def test_a_recorded_real_publication_allows_a_start_since_the_acceptance(accepted, people):
    published_at = dt.datetime(2026, 9, 21, 9, 30, tzinfo=SHANGHAI)
    _publish(
        people,
        accepted,
        dt.date(2026, 9, 21),
        published_at=published_at,
        published_where="https://www.by.gov.cn/gkmlpt/content/1/1000001.html",
    )
    publicity = Publicity.objects.get(problem=accepted)
    assert publicity.published_at == published_at
    assert publicity.published_where == "https://www.by.gov.cn/gkmlpt/content/1/1000001.html"
    # 21–24, 28–30 Sep (25 Sep is 中秋), 8, 9 Oct and Saturday 10 Oct (a make-up day): ten working days
    assert publicity.ends_on == dt.date(2026, 10, 10)
    entry = ActionLog.objects.for_object(accepted).get(action="ledger.problem.publicity_started")
    assert entry.payload["published_where"].startswith("https://www.by.gov.cn/")


@pytest.mark.parametrize(
    ("starts_on", "published_at", "where", "field", "text"),
    [
        # even a real publication cannot start before the acceptance
        (
            ACCEPTED_ON - dt.timedelta(days=1),
            dt.datetime(2026, 9, 7, 9, tzinfo=SHANGHAI),
            "区政府网站",
            "starts_on",
            "公示开始日期须在 2026-09-07（验收日期）至 2026-10-28 之间。",
        ),
        (
            ACCEPTED_ON,
            dt.datetime(2026, 9, 6, 9, tzinfo=SHANGHAI),
            "区政府网站",
            "published_at",
            "实际发布时间 2026-09-06 早于验收日期 2026-09-07。",
        ),
        (
            dt.date(2026, 9, 20),
            dt.datetime(2026, 9, 21, 9, tzinfo=SHANGHAI),
            "区政府网站",
            "starts_on",
            "公示开始日期不能早于实际发布日期 2026-09-21。",
        ),
        (
            dt.date(2026, 9, 29),
            dt.datetime(2026, 9, 29, 9, tzinfo=SHANGHAI),
            "区政府网站",
            "published_at",
            "实际发布时间不能晚于现在。",
        ),
        (
            dt.date(2026, 9, 21),
            dt.datetime(2026, 9, 21, 9, tzinfo=SHANGHAI),
            " ",
            "published_where",
            "请填写公示实际发布的位置或链接。",
        ),
        (dt.date(2026, 9, 21), None, "区政府网站", "published_at", "请填写公示实际发布的时间。"),
    ],
)
def test_a_real_publication_must_be_complete_and_consistent(
    accepted, people, starts_on, published_at, where, field, text
):
    with pytest.raises(ServiceError) as refused:
        _publish(people, accepted, starts_on, published_at=published_at, published_where=where)
    assert text in refused.value.message_dict[field]
    assert not Publicity.objects.exists()


def test_a_start_on_a_rest_day_is_named_not_refused(accepted, people):
    from ecoinspect.ledger.services.review import rest_day_warning

    assert rest_day_warning(MONDAY_BEFORE_NATIONAL_DAY) is None
    warning = rest_day_warning(dt.date(2026, 10, 3))
    assert warning.startswith("公示开始日期 2026-10-03 为休息日（国庆节）。")
    assert "星期六" in rest_day_warning(dt.date(2026, 10, 10 + 7))  # an ordinary Saturday
    assert "春节" in rest_day_warning(dt.date(2027, 2, 8))  # a statutory day of an unpublished year
    _publish(people, accepted, dt.date(2026, 10, 3))
    assert reload(accepted).status == ProblemStatus.PUBLICITY
