"""Factories of the ledger.

A created record goes through the ledger's services, as the person who would do each step (``person``:
the office's coordinator registers and assigns, the lead unit's staff works, the acceptance unit's reviewer
reviews, the publisher publishes and closes), so the ActionLog, the numbering and the stage timestamps are
the real ones. ``ProblemFactory(status=S.ACCEPTED)`` registers a problem and walks it along the happy path
(``PATH``) to that state; ``advance(problem, state)`` walks an existing one further.

``ProblemFactory.build(...)`` is the other way: an unsaved row with exactly the columns asked for, for the
tests that write rows directly (statistics and warning rules read columns; how they got there does not
matter) — ``Problem.objects.bulk_create(ProblemFactory.build(...) for ...)``, then ``recount_problems()``
when the test reads the maintained counts (the dashboard, a unit list's figures).

The rows of an Excel import (``import_row``, ``import_workbook``) are here too: they are ledger problems
as a spreadsheet holds them.
"""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from ecoinspect.ledger import services as svc
from ecoinspect.ledger.choices import AcceptanceMethod, EvidenceKind, ProblemSource, ProgressStatus
from ecoinspect.ledger.choices import ProblemStatus as S
from ecoinspect.ledger.models import (
    Acceptance,
    Evidence,
    JointAction,
    Measure,
    Problem,
    ProblemTally,
    ProgressReport,
    Publicity,
    SpecialPlan,
    SupervisionNotice,
)
from ecoinspect.orgs.roles import Role

from .files import photo, xlsx_bytes
from .orgs import person, unit

#: The happy path, in order; ``advance`` stops at the requested state.
PATH = (S.REGISTERED, S.ASSIGNED, S.RECTIFYING, S.COMPLETED, S.ACCEPTING, S.ACCEPTED, S.PUBLICITY, S.CLOSED)

FINAL_REPORT = "排水口已封堵，管网已接驳。"
OPINION = "现场核查，排水口已封堵，河涌水面无异味。"
CHANNEL = "白云区人民政府网站"
OBJECTION_PHONE = "020-86000000"

_rows = itertools.count(1)

#: the keywords of ``ProblemFactory`` that tell how to walk the problem (see ``step``)
WALK = ("staff", "opinion", "publicity_period", "objection_phone", "publicity_over")


def today() -> dt.date:
    return timezone.localdate()


def reload(problem: Problem) -> Problem:
    return Problem.objects.get(pk=problem.pk)


def recount_problems() -> None:
    """After a test wrote problem columns directly (``bulk_create``, ``QuerySet.update``), set the maintained
    counts the dashboard and the unit lists read, as ``ecoinspect ledger recount --repair`` does after a
    bulk load (the services keep them right by themselves)."""
    from ecoinspect.ledger.tallies import PROBLEM_TALLY

    PROBLEM_TALLY.recount(repair=True)


def staff_of(lead_unit):
    """Who works a problem: the lead unit's (first) staff member."""
    return person(Role.STAFF, lead_unit)


# --- problems ---------------------------------------------------------------------------------------------


class ProblemFactory(factory.Factory):
    """A problem registered by the office (``actor``) and walked to ``status``.

    The defaults are a water problem in 新市街道 led by the water bureau and accepted by the ecology bureau,
    due in 60 days (``minimal=True``: see ``Params``); every keyword of ``problem_register`` may be given. How the walk is done can be told:
    ``staff`` (who works it), ``opinion`` (the acceptance), ``publicity_period`` / ``objection_phone``, and
    ``publicity_over=True`` to start the 2-week publicity 14 days ago so that it may be closed today (the
    walk to CLOSED does that by itself).
    """

    class Meta:
        model = Problem

    title = "【测试】新市涌支涌排水口污水直排"
    source = ProblemSource.SELF_INSPECTION
    problem_types = factory.LazyFunction(lambda: ["water"])
    address = "白云区新市街道新市涌沿岸"
    lead_unit = factory.LazyFunction(lambda: unit("swj"))
    acceptance_unit = factory.LazyFunction(lambda: unit("sthj"))
    deadline = factory.LazyFunction(lambda: today() + dt.timedelta(days=60))
    target = "排水口旱季无污水直排"

    class Params:
        #: the fewest fields registering takes: no types, place or target, due in 90 days, the lead unit
        #: chosen by hand (the import/export and API tests, which name everything they look at)
        minimal = factory.Trait(
            title="河涌排水口整改",
            problem_types=(),
            address="",
            target="",
            deadline=factory.LazyFunction(lambda: today() + dt.timedelta(days=90)),
            override_reason="测试指定",
        )

    @classmethod
    def _create(cls, model_class, *, actor=None, status=S.REGISTERED, **fields):
        walk = {k: fields.pop(k) for k in WALK if k in fields}
        problem = svc.problem_register(actor=actor or person(Role.COORDINATOR), **fields)
        return advance(problem, status, **walk)

    @classmethod
    def _build(cls, model_class, *, actor=None, cooperating_units=(), override_reason="", **fields):
        for k in WALK:
            fields.pop(k, None)
        fields.setdefault("number", f"ROW-{next(_rows):06d}")
        fields.setdefault("registered_on", today())
        fields.setdefault("registered_by", actor)
        return model_class(**fields)


def finish_work(problem: Problem, actor=None) -> Problem:
    """What the lead unit does before asking for acceptance: a final report and a photo."""
    actor = actor or staff_of(problem.lead_unit)
    ProgressReportFactory(
        problem=problem, actor=actor, text=FINAL_REPORT, progress_status=ProgressStatus.COMPLETED
    )
    EvidenceFactory(problem=problem, actor=actor)
    return problem


def step(
    problem: Problem,
    *,
    staff=None,
    opinion: str = OPINION,
    publicity_period: str = "2_weeks",
    objection_phone: str = OBJECTION_PHONE,
    publicity_over: bool = False,
) -> Problem:
    """Move the problem one state along the happy path, as the person who would."""
    state = problem.status
    worker = staff or staff_of(problem.lead_unit)
    if state == S.REGISTERED:
        return svc.problem_assign(actor=person(Role.COORDINATOR), problem=problem)
    if state == S.ASSIGNED:
        return svc.problem_start(actor=worker, problem=problem)
    if state == S.RECTIFYING:
        # a final report and a photo, unless the test has already given this cycle its own
        if not problem.reports.filter(cycle=problem.cycle).exists():
            ProgressReportFactory(
                problem=problem, actor=worker, text=FINAL_REPORT, progress_status=ProgressStatus.COMPLETED
            )
        if not problem.evidence.filter(cycle=problem.cycle).exists():
            EvidenceFactory(problem=problem, actor=worker)
        return svc.problem_request_acceptance(actor=worker, problem=problem)
    if state == S.COMPLETED:
        return svc.problem_begin_review(actor=person(Role.REVIEWER, problem.acceptance_unit), problem=problem)
    if state == S.ACCEPTING:
        return svc.problem_accept(
            actor=person(Role.REVIEWER, problem.acceptance_unit),
            problem=problem,
            accepted_on=today(),
            method=AcceptanceMethod.ON_SITE,
            opinion=opinion,
        )
    if state == S.ACCEPTED:
        problem = svc.publicity_start(
            actor=person(Role.PUBLISHER),
            problem=problem,
            starts_on=today(),  # a publicity never starts before the day it is entered (nor the acceptance)
            period=publicity_period,
            channel=CHANNEL,
            objection_phone=objection_phone,
        )
        if publicity_over:
            end_publicity(problem)
        return problem
    if state == S.PUBLICITY:
        return svc.problem_close(actor=person(Role.PUBLISHER), problem=problem)
    raise AssertionError(f"no step from {state}")


def advance(problem: Problem, state: str, **how) -> Problem:
    """Walk the problem along the happy path to ``state`` (see ``step`` for ``how``); returns it reloaded."""
    if PATH.index(state) < PATH.index(problem.status):
        raise AssertionError(f"{problem.number} is already past {state}")
    if state == S.CLOSED:
        how["publicity_over"] = True  # the publicity must be over before closing
    while problem.status != state:
        problem = step(problem, **how)
    return reload(problem)


def end_publicity(problem: Problem) -> None:
    """Move the current publicity period into the past (tests cannot wait two weeks): the one direct write
    here, of the dates only, for a test that checks a problem in publicity and then closes it."""
    Publicity.objects.filter(problem=problem, cycle=problem.cycle).update(
        starts_on=today() - dt.timedelta(days=20), ends_on=today() - dt.timedelta(days=1)
    )


# --- the units' work ----------------------------------------------------------------------------------------


class MeasureFactory(factory.Factory):
    """整改措施 added by the lead unit's staff (``actor``) to a rectifying problem; ``done=True`` completes it."""

    class Meta:
        model = Measure

    problem = factory.SubFactory(ProblemFactory, status=S.RECTIFYING)
    content = factory.Sequence(lambda n: f"整改措施{n}")
    owner_unit = factory.LazyAttribute(lambda o: o.problem.lead_unit)

    @classmethod
    def _create(cls, model_class, *, problem, actor=None, done=False, done_on=None, **fields):
        actor = actor or staff_of(problem.lead_unit)
        measure = svc.measure_add(actor=actor, problem=problem, **fields)
        if done or done_on:
            measure = svc.measure_complete(actor=actor, measure=measure, done_on=done_on)
        return measure


class ProgressReportFactory(factory.Factory):
    """进展报送 by the lead unit's staff."""

    class Meta:
        model = ProgressReport

    problem = factory.SubFactory(ProblemFactory, status=S.RECTIFYING)
    text = "按计划推进。"
    progress_status = ProgressStatus.ON_SCHEDULE

    @classmethod
    def _create(cls, model_class, *, problem, actor=None, **fields):
        return svc.progress_report_add(actor=actor or staff_of(problem.lead_unit), problem=problem, **fields)


class EvidenceFactory(factory.Factory):
    """佐证材料 uploaded by the lead unit's staff: a PNG photo unless ``uploaded`` says otherwise."""

    class Meta:
        model = Evidence

    problem = factory.SubFactory(ProblemFactory, status=S.RECTIFYING)
    uploaded = factory.LazyFunction(photo)
    kind = EvidenceKind.PHOTO

    @classmethod
    def _create(cls, model_class, *, problem, actor=None, **fields):
        return svc.evidence_add(actor=actor or staff_of(problem.lead_unit), problem=problem, **fields)


class SpecialPlanFactory(factory.Factory):
    """专项整改方案 submitted for a key problem; ``approved=True`` has the office approve it."""

    class Meta:
        model = SpecialPlan

    problem = factory.SubFactory(ProblemFactory, status=S.ASSIGNED, is_key=True)
    goals = "排水口旱季无污水直排"
    measures = "分三步整治"
    milestones = factory.LazyFunction(
        lambda: [{"date": (today() + dt.timedelta(days=30)).isoformat(), "content": "完成封堵"}]
    )

    @classmethod
    def _create(cls, model_class, *, problem, actor=None, approved=False, **fields):
        plan = svc.special_plan_submit(actor=actor or staff_of(problem.lead_unit), problem=problem, **fields)
        if approved:
            plan = svc.special_plan_decide(actor=person(Role.COORDINATOR), plan=plan, approve=True)
        return plan


class JointActionFactory(factory.Factory):
    """联合执法 recorded on a (complex) problem by the lead unit's staff."""

    class Meta:
        model = JointAction

    problem = factory.SubFactory(ProblemFactory, status=S.RECTIFYING, is_complex=True)
    acted_on = factory.LazyFunction(today)
    units = factory.LazyAttribute(lambda o: [o.problem.lead_unit, o.problem.acceptance_unit])
    findings = "现场发现排水口仍有污水渗出"
    actions = "责令限期整改"

    @classmethod
    def _create(cls, model_class, *, problem, actor=None, **fields):
        return svc.joint_action_record(actor=actor or staff_of(problem.lead_unit), problem=problem, **fields)


# --- review and publicity -----------------------------------------------------------------------------------


class AcceptanceFactory(factory.Factory):
    """验收: the acceptance unit's reviewer passes (or, ``passed=False``, rejects) a completed problem."""

    class Meta:
        model = Acceptance

    problem = factory.SubFactory(ProblemFactory, status=S.ACCEPTING)
    passed = True
    accepted_on = factory.LazyFunction(today)
    method = AcceptanceMethod.ON_SITE
    opinion = OPINION

    @classmethod
    def _create(cls, model_class, *, problem, actor=None, passed, opinion, **fields):
        actor = actor or person(Role.REVIEWER, problem.acceptance_unit)
        if passed:
            svc.problem_accept(actor=actor, problem=problem, opinion=opinion, **fields)
        else:
            svc.problem_reject(actor=actor, problem=problem, reason=opinion, **fields)
        return problem.acceptances.order_by("-pk").first()


class PublicityFactory(factory.Factory):
    """验收销号公示 started by the publisher on an accepted problem."""

    class Meta:
        model = Publicity

    problem = factory.SubFactory(ProblemFactory, status=S.ACCEPTED)
    starts_on = factory.LazyFunction(today)
    period = "2_weeks"
    channel = CHANNEL
    objection_phone = OBJECTION_PHONE

    @classmethod
    def _create(cls, model_class, *, problem, actor=None, **fields):
        svc.publicity_start(actor=actor or person(Role.PUBLISHER), problem=problem, **fields)
        return problem.publicities.order_by("-pk").first()


class SupervisionNoticeFactory(factory.Factory):
    """督办单 issued by the office to the lead unit of its problems; ``replied=True`` has the unit reply."""

    class Meta:
        model = SupervisionNotice

    problems = factory.LazyFunction(lambda: [ProblemFactory(status=S.RECTIFYING)])
    unit = factory.LazyAttribute(lambda o: o.problems[0].lead_unit)
    requirements = "请加快整改进度，按期完成。"
    reply_due = factory.LazyFunction(lambda: today() + dt.timedelta(days=7))

    @classmethod
    def _create(cls, model_class, *, actor=None, replied=False, **fields):
        notice = svc.notice_issue(actor=actor or person(Role.COORDINATOR), **fields)
        if replied:
            svc.notice_reply(actor=staff_of(notice.unit), notice=notice, reply="已加快推进")
            notice = SupervisionNotice.objects.get(pk=notice.pk)
        return notice


# --- the Excel import template ------------------------------------------------------------------------------

IMPORT_HEADERS = [
    "问题编号",
    "整改任务",
    "问题来源",
    "问题类型",
    "牵头单位",
    "配合单位",
    "验收销号单位",
    "问题地点",
    "整改目标",
    "整改时限",
    "登记日期",
]


def import_row(number="BY-001", title="石井河排水口污水直排", **overrides) -> dict:
    """One data row of the ledger's import template, by header; the defaults make a valid row."""
    values = {
        "问题编号": number,
        "整改任务": title,
        "问题来源": "自查自纠",
        "问题类型": "水",
        "牵头单位": "区水务局",
        "配合单位": "石井街道",
        "验收销号单位": "生态环境分局",
        "问题地点": "石井街道某村",
        "整改目标": "晴天无污水排出",
        "整改时限": dt.date(2026, 12, 31),
        "登记日期": dt.date(2026, 9, 1),
    }
    values.update(overrides)
    return values


def import_workbook(rows: list[dict], *, headers=None, sheet="整改问题", above=(), extra_sheets=()) -> bytes:
    """The import template filled in: optional title lines above the header, then one row per dict."""
    headers = list(headers or IMPORT_HEADERS)
    return xlsx_bytes(
        [headers, *([values.get(h) for h in headers] for values in rows)],
        sheet=sheet,
        above=above,
        extra_sheets=extra_sheets,
    )


class ProblemTallyFactory(factory.Factory):
    """A maintained count as the services keep it — never written by hand: a problem is registered, and its
    lead unit's bucket for it is returned."""

    class Meta:
        model = ProblemTally

    problem = factory.SubFactory(ProblemFactory)

    @classmethod
    def _create(cls, model_class, problem, **kwargs):
        return model_class.objects.filter(scope=problem.lead_unit_id, role="lead").order_by("pk").first()
