"""The loader: the people who act, every planned case turned into its steps (one service call each, as the
person who makes it), and the replay of all steps in date order under the simulated clock."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from ecoinspect.core.demo import demo_person, relaxed_sqlite_sync, simulated_clock

from ..choices import SUBSTANTIATED, ClosureStatus, Origin, PetitionStatus
from .plan import BATCHES, CasePlan, Planner
from .texts import DEMO_MARK, finish, handling

TZ = ZoneInfo("Asia/Shanghai")
SEED = 20260601
#: the demo log-ins of ``ecoinspect.core.demo`` that act here, by their unit
LOGINS = {"swj": "water", "sanyuanli": "sanyuanli", "taihe": "taihe"}
PLACE_KINDS = ("village", "community")
#: what an earlier round's published table carries (the import keeps these as the round's record)
HISTORY_RESULTS = ("investigation", "verdict", "closure_target", "handling", "closure_status", "accountability")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


class Loader:
    def __init__(self, stdout=None, today: dt.date | None = None, cases: int = 1500):
        from django.utils import timezone

        self.stdout = stdout
        self.size = cases
        self.today = today or timezone.localdate()
        self.rng = random.Random(SEED)
        self.events: list[tuple[dt.datetime, int, Callable]] = []
        self.batches: dict[tuple[int, int], object] = {}
        self.by_batch: dict[int, list[CasePlan]] = {}
        self.disclosed: set[tuple[int, dt.date]] = set()

    # -- people and places ---------------------------------------------------------------------------------

    def load_people(self) -> None:
        from ecoinspect.orgs.models import Unit, User

        self.units = {u.code: u for u in Unit.objects.filter(kind__in=("department", "town", "subdistrict", "office"))}
        users = {u.username: u for u in User.objects.filter(username__in=["coordinator", "publisher", *LOGINS.values()])}
        missing = {"coordinator", "publisher"} - set(users)
        if missing:
            raise RuntimeError(f"demo people missing ({', '.join(sorted(missing))}): run `ecoinspect demo load`")
        self.coordinator, self.publisher = users["coordinator"], users["publisher"]
        self.staff = {}
        for code, unit in self.units.items():
            if unit.kind == "office":
                continue
            login = users.get(LOGINS.get(code, ""))
            self.staff[code] = login or demo_person(f"demo_{code}", f"{unit.short_name}经办人（演示）", unit, "staff")

    def planner(self) -> Planner:
        from ecoinspect.orgs.gazetteer import PlaceMatcher
        from ecoinspect.orgs.models import HOME_DISTRICT, Place, Unit

        self.matcher = PlaceMatcher()  # the gazetteer read once, for every registration (town, signature)

        towns = {code: u.short_name for code, u in self.units.items() if u.kind in ("town", "subdistrict")}
        district = Unit.objects.filter(kind="district").values_list("name", "short_name").first() or ("", "")
        places: dict[str, list[str]] = {}
        rivers: dict[str, list[str]] = {}
        for place in Place.objects.active().filter(district=HOME_DISTRICT, kind__in=(*PLACE_KINDS, "river")):
            codes = place.town_code_list()
            for code in codes if len(codes) == 1 or place.kind == "river" else ():
                (rivers if place.kind == "river" else places).setdefault(code, []).append(place.name)
        return Planner(self.rng, self.today, places, rivers, towns, cases=self.size, district=tuple(district))

    @staticmethod
    def type_text(types) -> str:
        """问题类型 as the inspectors' table writes it (大气、噪声)."""
        from ecoinspect.common.choices import ProblemType
        from ecoinspect.common.i18n import district_language

        with district_language():
            return "、".join(ProblemType.text(t) for t in types)

    @staticmethod
    def apply(plan: CasePlan, fn: Callable) -> None:
        """One step on the plan's case. The services update the object they are given and return it (a
        return visit returns the visit), so the case is carried from step to step, never reloaded."""
        from ..models import Petition

        if plan.stale:
            plan.petition, plan.stale = Petition.objects.get(pk=plan.petition.pk), False
        result = fn(plan.petition)
        if isinstance(result, Petition):
            plan.petition = result

    # -- scheduling ----------------------------------------------------------------------------------------

    def on(self, moment: dt.datetime, fn: Callable) -> None:
        self.events.append((moment, len(self.events), fn))

    def rounds(self, planner: Planner) -> None:
        from .. import services as svc

        self.round_of = {}

        def make(number, name, stationed_on, **extra):
            self.round_of[number] = svc.round_create(
                actor=self.coordinator, name=f"{DEMO_MARK}{name}", number=number, stationed_on=stationed_on,
                ends_on=stationed_on + dt.timedelta(days=BATCHES + 1), **extra
            )

        self.on(at(planner.history_on - dt.timedelta(days=1), 9),
                lambda: make(2, "第二轮中央生态环境保护督察", planner.history_on))
        self.on(at(planner.stationed_on - dt.timedelta(days=1), 9),
                lambda: make(3, "第三轮中央生态环境保护督察", planner.stationed_on, is_current=True))

    def batch(self, round_no: int, number: int, day: dt.date, origin: str) -> None:
        from .. import services as svc

        def make():
            self.batches[(round_no, number)] = svc.batch_create(
                actor=self.coordinator, round=self.round_of[round_no], number=number, received_on=day, origin=origin,
                layout="round3", file_name=f"{DEMO_MARK}第{number}批交办信访件.xlsx",
                note=DEMO_MARK + ("历史公开信访件" if origin == Origin.HISTORY else "督察组交办"),
            )

        self.on(at(day, 16, 50), make)

    def register(self, plan: CasePlan, round_no: int, **published) -> None:
        from .. import services as svc

        site = plan.site

        def run():
            plan.petition = svc.petition_register(
                actor=self.coordinator, round=self.round_of[round_no], batch=self.batches[(round_no, max(plan.batch, 1))],
                acceptance_no=plan.number, complaint_text=plan.text, received_on=plan.received_on,
                region_text=site.region, type_text=self.type_text(site.scenario.types),
                problem_types=site.scenario.types, sub_tags=list(site.scenario.sub_tags), town=self.units[site.town],
                matcher=self.matcher, **published,
            )

        self.on(at(plan.received_on, 17, 0), run)

    def history_case(self, plan: CasePlan) -> None:
        """A case of the earlier round's published table, registered with its results as the import keeps
        such a table (已公开, its results the round's record)."""
        site = plan.site
        report = handling(self.rng, site.scenario, subject=site.name or site.place or site.town_name,
                          unit=self.units[plan.lead].short_name, verdict=plan.verdict, closure=plan.closure)
        published = {k: v for k, v in report.values.items() if k in HISTORY_RESULTS}
        self.register(plan, 2, origin=Origin.HISTORY, status=PetitionStatus.DISCLOSED, disclosure_count=1, **published)

    def case(self, plan: CasePlan) -> None:
        """Every step of one case of the month, from its registration to where its story ends."""
        from .. import services as svc

        office, r, site = self.coordinator, plan.received_on, plan.site
        self.register(plan, 3, origin=Origin.TRANSFER)
        self.by_batch.setdefault(plan.batch, []).append(plan)
        if plan.duplicate_of is not None:
            original = plan.duplicate_of
            self.on(at(r, 19, 0), self.step(plan, lambda p: svc.petition_merge(
                actor=office, petition=p, original=original.petition, reason="与此前交办件反映同一问题")))
            return
        if plan.is_key or plan.is_supervised:
            self.on(at(r, 18, 30), self.step(plan, lambda p: svc.petition_mark(
                actor=office, petition=p, is_key=plan.is_key, is_supervised=plan.is_supervised)))
        if not plan.assign_today:
            return
        staff = self.staff[plan.lead]
        self.on(at(r, 19, 0), self.step(plan, lambda p: svc.petition_assign(
            actor=office, petition=p, lead=self.units[plan.lead], cooperating=[self.units[c] for c in plan.cooperating])))
        self.on(at(r + dt.timedelta(days=1), 9, self.rng.randrange(60)),
                self.step(plan, lambda p: svc.petition_sign(actor=staff, petition=p)))
        report = handling(self.rng, site.scenario, subject=site.name or site.place or site.town_name,
                          unit=self.units[plan.lead].short_name, verdict=plan.verdict, closure=plan.closure)

        def save_and_report(values):
            def run(p):
                p = svc.petition_save_handling(actor=staff, petition=p, claims=report.claims, **values)
                return svc.petition_report(actor=staff, petition=p)
            return self.step(plan, run)

        reported = r + dt.timedelta(days=plan.report_after)
        self.on(at(reported, 15), save_and_report(report.values))
        if plan.sent_back:
            self.on(at(reported + dt.timedelta(days=1), 10), self.step(plan, lambda p: svc.petition_send_back(
                actor=office, petition=p, reason="调查核实情况不够具体，请补充现场核查时间、人员和佐证材料。")))
            reported += dt.timedelta(days=2)
            self.on(at(reported, 16), save_and_report(report.values))
        approved = reported + dt.timedelta(days=1)
        self.on(at(approved, 10), self.step(plan, lambda p: svc.petition_approve(actor=office, petition=p)))
        if plan.open_problem and plan.verdict in SUBSTANTIATED:
            self.on(at(approved, 11), self.step(plan, lambda p: svc.petition_open_problem(
                actor=office, petition=p, deadline=approved + dt.timedelta(days=90))))
        disclosed = max(approved + dt.timedelta(days=1), r + dt.timedelta(days=6))
        self.disclosure(plan.batch, disclosed)
        self.after_disclosure(plan, disclosed, report.values, save_and_report)

    def step(self, plan: CasePlan, fn: Callable) -> Callable:
        return lambda: self.apply(plan, fn)

    def disclosure(self, number: int, day: dt.date) -> None:
        """The publisher discloses the batch's approved cases (and its repeats) that day, once."""
        from .. import services as svc
        from ..disclosure import due_for_disclosure

        if (number, day) in self.disclosed:
            return
        self.disclosed.add((number, day))

        def run():
            batch = self.batches[(3, number)]
            if due_for_disclosure(batch).filter(status=PetitionStatus.APPROVED).exists():
                svc.batch_disclose(actor=self.publisher, batch=batch)
                for plan in self.by_batch.get(number, ()):
                    plan.stale = True  # the service moved its own copies of the cases

        self.on(at(day, 15), run)

    def after_disclosure(self, plan: CasePlan, disclosed: dt.date, values: dict, save_and_report) -> None:
        """Return visits (before anything else happens to the case), stage-closed cases resumed and worked to
        the end, an unsatisfied visit handled again; each disclosed again, and closed out when done."""
        from .. import services as svc

        office = self.coordinator

        def on_case(moment, fn):
            self.on(moment, self.step(plan, fn))

        again, last = None, disclosed
        if plan.visit is not None:
            days, satisfied = plan.visit
            visited = last = disclosed + dt.timedelta(days=days)
            note = "" if satisfied else "群众表示问题仍未彻底解决，夜间仍有发生。"
            on_case(at(visited, 10), lambda p: svc.return_visit_record(
                actor=office, petition=p, visited_on=visited, satisfied=satisfied, note=note))
            if not satisfied:
                again = visited  # the visit sends the case back (继续办理)
        if again is None and plan.closure != ClosureStatus.CLOSED:
            again = max(disclosed + dt.timedelta(days=4), last + dt.timedelta(days=1))
            on_case(at(again, 9), lambda p: svc.petition_resume(
                actor=office, petition=p, reason="阶段性办结，继续跟踪整改直至办结。"))
        if again is not None:  # some take weeks: they are still being worked when the month ends
            done = again + dt.timedelta(days=self.rng.choice((4, 6, 8, 15, 25, 40)))
            self.on(at(done, 15), save_and_report(finish(values)))
            on_case(at(done + dt.timedelta(days=1), 10), lambda p: svc.petition_approve(actor=office, petition=p))
            last = done + dt.timedelta(days=2)
            self.disclosure(plan.batch, last)
        closing = last + dt.timedelta(days=self.rng.randint(3, 8))
        on_case(at(closing, 11), lambda p: svc.petition_close_out(actor=office, petition=p))

    # -- running -------------------------------------------------------------------------------------------

    def schedule(self) -> None:
        planner = self.planner()
        history, cases = planner.plan()
        self.rounds(planner)
        self.batch(2, 1, history[0].received_on, Origin.HISTORY)
        for plan in history:
            self.history_case(plan)
        for number in sorted({p.batch for p in cases}):
            self.batch(3, number, planner.stationed_on + dt.timedelta(days=number), Origin.TRANSFER)
        for plan in cases:
            self.case(plan)
        self.planned = history + cases

    def run(self) -> None:
        from django.db import transaction

        now = dt.datetime.now(TZ)
        latest = max(now - dt.timedelta(minutes=1), at(self.today, 0))  # nothing is dated after the real now
        end_of_today = at(self.today, 23, 59)
        events = sorted((e for e in self.events if e[0] <= end_of_today), key=lambda e: (e[0], e[1]))
        with simulated_clock() as clock, relaxed_sqlite_sync():
            day, batch = None, []
            for event in [*events, None]:
                if event is None or (batch and event[0].date() != day):
                    with transaction.atomic():
                        for moment, _seq, fn in batch:
                            clock.now = min(moment, latest)
                            fn()
                    batch = []
                if event is not None:
                    day = event[0].date()
                    batch.append(event)
