"""The plan of the demo inspection month: which complaints arrive in which batch, about which site, and how
each one ends — before anything is written. ``Planner.plan()`` returns the rounds' ``CasePlan``s; the loader
turns each into service calls.

* **Sites.** A site is a place complained about: a village or community of the gazetteer (or its town when
  the gazetteer has none) with a river, and a facility when the scenario is about one. About fifty sites are
  *hotspots*: complained about three to eight times over the month, a third of them already in the earlier
  round's history batch.
* **Repeats.** A complaint about a hotspot while its earlier case is still being handled (within ten days)
  is, half the time, merged into it as a repeat (重复件); a few complaints arrive twice in one batch (by
  letter and by phone) and the second is merged too.
* **Outcomes.** Verdicts about 60 % 属实, 15 % 基本属实, 10 % 部分属实, 15 % 不属实; closures 70 % 已办结,
  22 % 阶段性办结, 8 % 正在办理 of the true ones; some reports are sent back once (补充办理); about a third
  of the disclosed cases get a return visit, one visit in eight unsatisfied; a few true cases open a
  ledger problem; some are marked key (重点件) or supervised (督办).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from ..choices import ClosureStatus, Verdict
from .texts import RIVER_FALLBACK, SCENARIOS, Scenario, complaint, facility_name, variant

BATCHES = 30


@dataclass
class Site:
    town: str  # unit code
    town_name: str
    place: str
    river: str
    scenario: Scenario
    name: str  # the facility (empty: the complaint is about the place itself)
    district: tuple[str, str] = ("广州市白云区", "白云区")  # the district unit's full and short name

    @property
    def where(self) -> str:
        return f"{self.district[1]}{self.town_name}{self.place}"

    @property
    def region(self) -> str:
        return f"{self.district[0]}{self.town_name}"


@dataclass
class CasePlan:
    number: str
    batch: int  # 0: the earlier round's history batch
    received_on: dt.date
    text: str
    site: Site
    lead: str = ""
    cooperating: tuple[str, ...] = ()
    verdict: str = Verdict.TRUE
    closure: str = ClosureStatus.CLOSED
    duplicate_of: CasePlan | None = None
    is_key: bool = False
    is_supervised: bool = False
    open_problem: bool = False
    sent_back: bool = False
    visit: tuple[int, bool] | None = None  # (days after disclosure, satisfied)
    report_after: int = 3  # days from transfer to the unit's report
    assign_today: bool = True  # the last batch: assigned before the load ends, or still waiting
    petition: object = field(default=None, repr=False)
    stale: bool = False  # a service changed the case through its own copy: read it again before the next step


class Planner:
    def __init__(self, rng: random.Random, today: dt.date, places: dict[str, list[str]], rivers: dict[str, list[str]],
                 towns: dict[str, str], cases: int = 1500, district: tuple[str, str] = ("广州市白云区", "白云区")):
        self.rng = rng
        self.district = district
        self.cases = cases  # about that many over the month (the twins merged as repeats come on top)
        self.hotspots = max(8, cases // 30)
        self.history_cases = max(12, cases // 25)
        self.today = today
        self.places = places  # town code → village/community names of the gazetteer
        self.rivers = rivers  # town code → rivers
        self.towns = towns  # town code → short name
        self.stationed_on = today - dt.timedelta(days=BATCHES)
        self.history_on = today - dt.timedelta(days=3 * 365 + 40)
        self.sequence: dict[dt.date, int] = {}

    # -- sites ---------------------------------------------------------------------------------------------

    def site(self, town: str | None = None) -> Site:
        rng = self.rng
        town = town or rng.choice(list(self.towns))
        scenario = rng.choices(SCENARIOS, weights=[s.weight for s in SCENARIOS])[0]
        places = self.places.get(town) or [""]
        rivers = self.rivers.get(town) or list(RIVER_FALLBACK)
        return Site(town, self.towns[town], rng.choice(places), rng.choice(rivers), scenario, facility_name(rng, scenario),
                    self.district)

    def number(self, channel: str, round_no: int, day: dt.date) -> str:
        """D (来电) or X (来信), the round, GD, the day the team took it (the day before the transfer), a
        sequence of that day."""
        taken = day - dt.timedelta(days=1)
        self.sequence[taken] = self.sequence.get(taken, 0) + 1
        return f"{channel}{round_no}GD{taken:%Y%m%d}{self.sequence[taken]:04d}"

    def new_case(self, site: Site, batch: int, day: dt.date, round_no: int, text: str | None = None) -> CasePlan:
        rng = self.rng
        channel = "D" if rng.random() < 0.74 else "X"
        text = text or complaint(rng, site.scenario, where=site.where, name=site.name, river=site.river,
                                 contact=rng.random() < 0.04)
        plan = CasePlan(self.number(channel, round_no, day), batch, day, text, site)
        self.outcome(plan)
        return plan

    # -- outcomes ------------------------------------------------------------------------------------------

    def outcome(self, plan: CasePlan) -> None:
        rng = self.rng
        scenario = plan.site.scenario
        by_department = rng.random() < 0.25
        plan.lead = scenario.department if by_department else plan.site.town
        if not by_department and rng.random() < 0.3:
            plan.cooperating = (scenario.department,)
        plan.verdict = rng.choices(
            (Verdict.TRUE, Verdict.BASICALLY_TRUE, Verdict.PARTLY_TRUE, Verdict.FALSE), weights=(60, 15, 10, 15)
        )[0]
        if plan.verdict == Verdict.FALSE:
            plan.closure = ClosureStatus.CLOSED
        else:
            plan.closure = rng.choices(
                (ClosureStatus.CLOSED, ClosureStatus.STAGE_CLOSED, ClosureStatus.IN_PROGRESS), weights=(70, 22, 8)
            )[0]
        plan.is_key = rng.random() < 0.04
        plan.is_supervised = rng.random() < 0.02
        plan.open_problem = plan.verdict != Verdict.FALSE and (plan.is_key or rng.random() < 0.015)
        plan.sent_back = rng.random() < 0.08
        plan.report_after = rng.choice((2, 3, 3, 4, 4, 5, 6))
        if rng.random() < 0.35:
            plan.visit = (rng.randint(2, 6), rng.random() >= 0.125)

    # -- the month -----------------------------------------------------------------------------------------

    def batch_sizes(self) -> list[int]:
        """~1,500 cases over 30 batches: more in the first two weeks, fewer towards the end."""
        weights = [1.4 - 0.9 * i / BATCHES + self.rng.uniform(-0.25, 0.25) for i in range(BATCHES)]
        total = sum(weights)
        return [max(3, round(self.cases * w / total)) for w in weights]

    def plan(self) -> tuple[list[CasePlan], list[CasePlan]]:
        """The earlier round's history batch and the current round's cases, each list in arrival order."""
        rng = self.rng
        hotspots = [self.site() for _ in range(self.hotspots)]
        for site in hotspots:  # a hotspot is about a facility or a place that keeps its problem
            if not site.name and site.scenario.suffix:
                site.name = facility_name(rng, site.scenario)
        history = []
        for i in range(self.history_cases):
            site = hotspots[i] if i < len(hotspots) // 3 else self.site()
            history.append(self.new_case(site, 0, self.history_on + dt.timedelta(days=5), 2))
        # each hotspot gets 3–8 complaints over the month, on distinct batches
        repeat_days: dict[int, list[Site]] = {}
        for site in hotspots:
            for b in rng.sample(range(1, BATCHES + 1), rng.randint(3, 8)):
                repeat_days.setdefault(b, []).append(site)
        cases: list[CasePlan] = []
        latest: dict[int, CasePlan] = {}  # hotspot → its latest case
        for b, size in enumerate(self.batch_sizes(), start=1):
            day = self.stationed_on + dt.timedelta(days=b)
            today_batch = day == self.today
            planned = []
            for site in repeat_days.get(b, []):
                earlier = latest.get(id(site))
                text = variant(rng, earlier.text) if earlier is not None and rng.random() < 0.5 else None
                plan = self.new_case(site, b, day, 3, text)
                if earlier is not None and (day - earlier.received_on).days <= 10 and rng.random() < 0.5:
                    plan.duplicate_of = earlier.duplicate_of or earlier
                latest[id(site)] = plan
                planned.append(plan)
            while len(planned) < size:
                planned.append(self.new_case(self.site(), b, day, 3))
            for original in rng.sample(planned, k=max(0, round(len(planned) * 0.02))):
                if original.duplicate_of is None:  # the same complaint again, by letter and by phone
                    twin = self.new_case(original.site, b, day, 3, original.text)
                    twin.duplicate_of = original
                    planned.append(twin)
            if today_batch:
                for plan in planned:
                    plan.assign_today = rng.random() < 0.6
            cases.extend(planned)
        self.settle_the_tail(cases)
        return history, cases

    def settle_the_tail(self, cases: list[CasePlan]) -> None:
        """Make sure the month ends with a case in each of the last states, whatever the draw: today's batch
        has one case still waiting and one just assigned; a case reported today is waiting for review and
        one approved yesterday for disclosure."""
        by_age: dict[int, list[CasePlan]] = {}
        for plan in cases:
            if plan.duplicate_of is None:
                by_age.setdefault((self.today - plan.received_on).days, []).append(plan)
        waiting, assigned = (by_age.get(0, []) + [None, None])[:2]
        if waiting is not None:
            waiting.assign_today = False
        if assigned is not None:
            assigned.assign_today = True
        for age, report_after in ((3, 3), (4, 2)):  # reported today; approved yesterday
            for plan in by_age.get(age, [])[:1]:
                plan.report_after, plan.sent_back = report_after, False
