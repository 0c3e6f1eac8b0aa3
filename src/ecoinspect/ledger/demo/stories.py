"""Stories: which problem ends in which state, and the steps that take it there, scheduled on their days.

``Planning`` is mixed into ``Loader`` (see ``loader``): it draws every story from the loader's seeded
random generator, in a fixed order, and schedules the steps (``steps_*``) with ``at``; nothing is written
until the loader replays them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..choices import ProblemSource
from .constants import HISTORY_DAYS
from .places import FIRMS, PLACES
from .scenarios import SCENARIOS, Scenario

#: how often each source is drawn (petitions the most, as during an inspection)
SOURCE_WEIGHTS = {
    ProblemSource.TYPICAL_CASE: 2,
    ProblemSource.FEEDBACK: 3,
    ProblemSource.PETITION: 5,
    ProblemSource.SELF_INSPECTION: 4,
    ProblemSource.UNDERCOVER: 3,
    ProblemSource.MONITORING: 2,
    ProblemSource.ENFORCEMENT: 3,
}

# The final states, how many of each, and for problems still being rectified the warning colour to show.
PLAN: tuple[tuple[str, str, int], ...] = (
    ("registered", "", 16),
    ("assigned", "", 18),
    ("rectifying", "none", 30),
    ("rectifying", "blue", 22),
    ("rectifying", "yellow", 16),
    ("rectifying", "red", 22),
    ("rectifying", "long_term", 12),
    ("rectifying", "paused", 4),
    ("rectifying", "objection", 2),
    ("completed", "", 12),
    ("accepting", "", 8),
    ("accepted", "", 8),
    ("publicity", "", 14),
    ("closed", "", 56),
    ("reopened", "", 8),
)


@dataclass
class Track:
    """The steps scheduled for one thing (a story, a notice), kept in order by ``Loader.at``."""

    n: int
    events: list = field(default_factory=list)


@dataclass
class Story:
    n: int
    scenario: Scenario
    town: str
    final: str
    colour: str
    source: str
    mode: str
    kind: str
    is_key: bool
    is_complex: bool
    severity: str
    place: str
    river: str
    firm: str
    lead: str = ""
    first_lead: str = ""  # a wrong first routing, corrected by re-routing
    acceptance: str = ""
    cooperating: list[str] = field(default_factory=list)
    problem: object = None
    events: list = field(default_factory=list)
    photos_taken: int = 0

    def fill(self, text: str) -> str:
        return text.format(place=self.place, river=self.river, firm=self.firm)


class Planning:
    """The planning part of ``Loader``: uses its ``rng``, ``today``, ``cal``, ``events``, ``seq`` and
    ``stories``, and schedules its steps."""

    def wd(self, day: dt.date) -> dt.date:
        """The working day on or before ``day``."""
        while not self.cal.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def ahead(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add_workdays(day, n)

    def plan_stories(self) -> None:
        rng = self.rng
        towns = list(PLACES)
        weighted = [s for s in SCENARIOS for _ in range(s.weight)]
        sources, source_weights = list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values())
        n = town_turn = 0
        for final, colour, count in PLAN:
            for _ in range(count):
                n += 1
                # the rarer problem types and every scenario appear early; the rest are drawn by weight
                scenario = SCENARIOS[(n - 1) % len(SCENARIOS)] if n % 3 == 0 else rng.choice(weighted)
                # 属地管理: besides the town-led kinds, a third of the others are led by the town with the
                # department cooperating; town-led problems go round every town and subdistrict in turn.
                town_led = scenario.lead == "town" or ("town" in scenario.cooperating and rng.random() < 0.35)
                if town_led:
                    town = towns[town_turn % len(towns)]
                    town_turn += 1
                else:
                    town = towns[(n * 7) % len(towns)]
                places, rivers = PLACES[town]
                source = sources[n % len(sources)] if n <= 3 * len(sources) else rng.choices(sources, source_weights)[0]
                working = final not in ("registered",)
                is_key = working and colour != "long_term" and rng.random() < 0.11
                is_complex = working and not is_key and bool(scenario.joint[0]) and rng.random() < 0.3
                if colour == "long_term":
                    kind, mode = "long_term", rng.choice(["deadline", "special_plan"])
                elif (
                    not (is_key or is_complex)
                    and final in ("closed", "accepted", "publicity")
                    and rng.random() < 0.18
                    or not (is_key or is_complex)
                    and colour == "red"
                    and rng.random() < 0.15
                ):
                    kind, mode = "immediate", "immediate"
                else:
                    kind = "date"
                    mode = "special_plan" if is_key else "joint_enforcement" if is_complex else "deadline"
                story = Story(
                    n=n,
                    scenario=scenario,
                    town=town,
                    final=final,
                    colour=colour,
                    source=source,
                    mode=mode,
                    kind=kind,
                    is_key=is_key,
                    is_complex=is_complex,
                    severity=rng.choices(["general", "serious", "major"], [6, 3, 1])[0],
                    place=rng.choice(places),
                    river=rng.choice(rivers),
                    firm=rng.choice(FIRMS),
                )
                story.lead = town if town_led else scenario.lead
                story.acceptance = scenario.acceptance
                named = [
                    scenario.lead if c == "town" and town_led else town if c == "town" else c
                    for c in scenario.cooperating
                ]
                story.cooperating = [c for c in dict.fromkeys(named) if c not in (story.lead, "town")]
                if final in ("rectifying", "closed") and rng.random() < 0.04:
                    story.first_lead = "sthj" if story.lead != "sthj" else "swj"
                self.stories.append(story)
                self.plan(story)
        self.plan_notices()

    def at(self, story: Story | Track, day: dt.date, fn: Callable) -> None:
        """Schedule ``fn`` on ``day`` (not after today), after the story's earlier steps."""
        day = min(day, self.today)
        if story.events and day < story.events[-1]:
            day = story.events[-1]
        story.events.append(day)
        step = len(story.events)
        moment = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(
            minutes=(story.n * 7) % 50 + step * 9
        )
        self.seq += 1
        self.events.append((moment, self.seq, fn))

    def deadline_for(self, story: Story, assigned: dt.date) -> dt.date:
        """A deadline that shows the story's warning colour today, counted like problem_assign counts it."""
        from .. import deadlines

        rng, today = self.rng, self.today
        colour = story.colour
        if colour == "red":
            return max(today - dt.timedelta(days=rng.randint(2, 40)), assigned + dt.timedelta(days=10))
        if colour in ("blue", "yellow"):
            low, high = (0.56, 0.74) if colour == "blue" else (0.84, 0.95)
            for _ in range(40):
                fraction = rng.uniform(low, high)
                deadline = assigned + dt.timedelta(days=int((today - assigned).days / fraction) + 1)
                blue_on, yellow_on = deadlines.milestones(assigned, deadline, self.cal)
                if colour == "blue" and blue_on <= today < yellow_on:
                    return deadline
                if colour == "yellow" and yellow_on <= today <= deadline:
                    return deadline
            return today + dt.timedelta(days=3 if colour == "yellow" else 60)
        return today + dt.timedelta(days=rng.randint(15, 120))

    def plan(self, story: Story) -> None:
        rng, today = self.rng, self.today
        final = story.final
        # When the work ends: the request for acceptance (finished states) or today (still rectifying).
        if final == "registered":
            reg = self.wd(today - dt.timedelta(days=rng.randint(0, 20)))
            self.register(story, reg, deadline=today + dt.timedelta(days=rng.randint(20, 90)))
            return
        if final == "assigned":
            reg = self.wd(today - dt.timedelta(days=rng.randint(3, 30)))
            assigned = self.wd(min(self.ahead(reg, rng.randint(1, 3)), today))
            self.register(story, reg, deadline=assigned + dt.timedelta(days=rng.randint(30, 120)))
            self.assign(story, assigned)
            if story.is_key:
                self.at(story, min(self.ahead(assigned, 2), today), lambda: self.submit_plan(story))
            return

        if final == "rectifying" and story.colour == "objection":
            work_end = self.wd(today - dt.timedelta(days=rng.randint(26, 34)))
            assigned = self.wd(work_end - dt.timedelta(days=rng.randint(30, 60)))
        elif final == "rectifying":
            days_ago = {"red": (60, 150), "yellow": (60, 150), "blue": (25, 90)}.get(story.colour, (25, 150))
            assigned = self.wd(today - dt.timedelta(days=rng.randint(*days_ago)))
            work_end = today
        elif final == "reopened":
            assigned = self.wd(today - dt.timedelta(days=rng.randint(170, HISTORY_DAYS)))
            work_end = self.wd(assigned + dt.timedelta(days=rng.randint(35, 70)))
        else:
            done_window = {
                "completed": (1, 6),
                "accepting": (4, 12),
                "accepted": (6, 16),
                "publicity": (10, 20),
                "closed": (45, 170),
            }[final]
            work_end = self.wd(today - dt.timedelta(days=rng.randint(*done_window)))
            assigned = self.wd(work_end - dt.timedelta(days=rng.randint(20, 80)))
        reg = self.wd(assigned - dt.timedelta(days=rng.randint(1, 8)))

        if story.kind == "long_term":
            deadline = None
        elif story.kind == "immediate":
            deadline = None  # five working days from registration, set by the service
        elif final == "rectifying" and story.colour != "objection":
            deadline = self.deadline_for(story, assigned)
        else:
            late = rng.random() < 0.15
            deadline = (
                work_end - dt.timedelta(days=rng.randint(3, 20))
                if late
                else work_end + dt.timedelta(days=rng.randint(0, 40))
            )
            deadline = max(deadline, reg)
        self.register(story, reg, deadline=deadline)
        self.assign(story, assigned)
        start = self.ahead(assigned, rng.randint(1, 3))
        if story.first_lead:
            self.at(story, self.ahead(assigned, 1), lambda: self.reroute(story))
            start = self.ahead(start, 1)
        if story.is_key:
            submitted = self.ahead(assigned, 1)
            self.at(story, submitted, lambda: self.submit_plan(story))
            if rng.random() < 0.3:
                self.at(story, self.ahead(submitted, 2), lambda: self.decide_plan(story, approve=False))
                self.at(story, self.ahead(submitted, 4), lambda: self.submit_plan(story))
                submitted = self.ahead(submitted, 4)
            self.at(story, self.ahead(submitted, 2), lambda: self.decide_plan(story, approve=True))
            start = max(start, self.ahead(submitted, 3))
        start = min(start, work_end)
        self.at(story, start, lambda: self.start(story))
        measures = self.add_measures(story, start)
        if story.is_complex:
            self.at(
                story, min(self.ahead(start, rng.randint(2, 8)), work_end), lambda: self.joint_action(story)
            )
        finished = final not in ("rectifying",) or story.colour == "objection"
        if final == "rectifying" and story.colour != "objection":
            self.rectifying(story, start, measures)
            return
        self.work(story, start, work_end, measures, finished=finished)
        # the reviewer, perhaps sending it back once
        request = work_end
        self.at(story, request, lambda: self.request(story))
        if final == "completed":
            return
        review = self.ahead(request, rng.randint(1, 3))
        if final == "closed" and rng.random() < 0.12:
            self.at(story, review, lambda: self.reject(story))
            again = self.ahead(review, rng.randint(3, 6))
            self.at(story, again, lambda: self.more_work(story))
            request = self.ahead(again, 1)
            self.at(story, request, lambda: self.request(story))
            review = self.ahead(request, 1)
        self.at(story, review, lambda: self.begin_review(story))
        if final == "accepting":
            return
        accepted = self.ahead(review, rng.randint(0, 3))
        self.at(story, accepted, lambda: self.accept(story))
        if final == "accepted":
            return
        if final == "publicity":
            starts = self.wd(max(accepted, today - dt.timedelta(days=rng.randint(1, 8))))
        else:
            starts = self.ahead(accepted, rng.randint(1, 3))
        period = rng.choice(["10_workdays", "10_workdays", "2_weeks"])
        self.at(story, starts, lambda: self.publish(story, starts, period))
        if story.colour == "objection":
            self.at(story, self.ahead(starts, 3), lambda: self.objection(story, upheld=True))
            self.at(
                story, self.ahead(starts, 8), lambda: self.report(story, "behind", "异议成立，正在补充整改。")
            )
            return
        if final == "publicity":
            return
        from ..services.review import publicity_end

        ends = publicity_end(starts, period)
        if rng.random() < 0.1:
            self.at(story, self.ahead(starts, 2), lambda: self.objection(story, upheld=False))
        close = self.ahead(ends, rng.randint(1, 3))
        self.at(story, close, lambda: self.close(story))
        if final == "reopened":
            reopen = self.wd(min(self.ahead(close, rng.randint(10, 40)), today - dt.timedelta(days=15)))
            self.at(story, reopen, lambda: self.reopen(story))
            self.at(
                story,
                self.ahead(reopen, 3),
                lambda: self.report(story, "on_schedule", "已重新排查反弹原因，制定整改措施。"),
            )
            self.at(story, self.ahead(reopen, 8), lambda: self.evidence(story, 0))

    def rectifying(self, story: Story, start: dt.date, measures: list[int]) -> None:
        """Still being rectified today: reports up to now, and for a few a pause or an extension."""
        rng, today = self.rng, self.today
        extra = ""
        if story.colour == "paused":
            extra = "pause"
        elif story.colour == "none" and story.kind == "date":
            extra = rng.choices(["", "extend", "pause_resume"], [8, 1, 1])[0]
        if extra == "pause_resume":
            paused = self.ahead(start, 1)
            resumed = self.ahead(paused, rng.randint(3, 8))
            self.at(story, paused, lambda: self.pause(story))
            self.at(story, resumed, lambda: self.resume(story))
            start = resumed
        until = (
            self.wd(today - dt.timedelta(days=rng.randint(2, 20))) if extra in ("pause", "extend") else today
        )
        self.work(story, start, max(until, start), measures, finished=False)
        if extra == "pause":
            self.at(story, until, lambda: self.pause(story))
        elif extra == "extend":
            self.at(story, until, lambda: self.extend(story))
            self.at(story, today, lambda: self.report(story, "on_schedule", "延期后按新的时间节点推进。"))

    def add_measures(self, story: Story, start: dt.date) -> list[int]:
        count = min(len(story.scenario.measures), self.rng.randint(1, 2))
        for i in range(count):
            self.at(story, start, lambda i=i: self.measure(story, i))
        return list(range(count))

    def work(
        self, story: Story, start: dt.date, end: dt.date, measures: list[int], *, finished: bool
    ) -> None:
        """Progress reports every one to three weeks from the start to ``end``, with photos and a document."""
        rng = self.rng
        texts = story.scenario.reports
        days = []
        day = self.ahead(start, rng.randint(3, 8))
        while day < end:
            days.append(day)
            day = self.ahead(day, rng.randint(10, 25))
        days = days[-3:]  # the latest few: the full history of every fortnight adds nothing to a demo
        if story.kind == "long_term" and story.colour == "long_term":
            stale = rng.random() < 0.4  # some have not reported for more than a month: blue
            days = [d for d in days if not stale or d < self.today - dt.timedelta(days=40)] or days[:1]
        if finished:
            days.append(end)
        statuses = self.statuses(story, len(days), finished)
        for i, (day, status) in enumerate(zip(days, statuses, strict=True)):
            last = i == len(days) - 1
            if status == "not_started":
                text = "正在开展前期摸排和方案编制，尚未进场施工。"
            else:
                text = texts[min(i * len(texts) // max(len(days), 1), len(texts) - 1)]
                if status == "behind":
                    text += "受协调及施工条件影响，进度滞后于计划。"
            self.at(story, day, lambda status=status, text=text: self.report(story, status, text))
            if (
                status != "not_started"
                and i < len(story.scenario.photos)
                and rng.random() < (0.5 if last else 0.25)
            ):
                self.at(story, day, lambda i=i: self.evidence(story, i))
            if last and finished and rng.random() < 0.35:
                self.at(story, day, lambda: self.document(story))
        if finished and not days:
            self.at(story, end, lambda: self.report(story, "completed", texts[-1]))
        if finished:
            self.at(story, end, lambda: self.evidence(story, len(story.scenario.photos) - 1, final=True))
            for m in measures:
                self.at(story, end, lambda m=m, end=end: self.complete_measure(story, m, end))

    def statuses(self, story: Story, count: int, finished: bool) -> list[str]:
        rng = self.rng
        if finished:
            middle = [rng.choice(["on_schedule", "on_schedule", "behind"]) for _ in range(max(count - 1, 0))]
            return (middle + ["completed"])[-count:] if count else []
        colour = story.colour
        if colour in ("none", "long_term", "paused"):
            return ["on_schedule"] * count
        if colour == "blue":
            last = rng.choice(["not_started", "behind"])
        elif colour == "yellow":
            last = rng.choice(["not_started", "behind", "behind"])
        else:  # red: anything, the deadline has passed
            last = rng.choice(["not_started", "behind", "on_schedule", "completed"])
        if count == 0:
            return []
        return ["on_schedule" if last != "not_started" else "not_started"] * (count - 1) + [last]

    def plan_notices(self) -> None:
        """督办单 to units whose problems are overdue or on a yellow card."""
        rng, today = self.rng, self.today
        by_unit = defaultdict(list)
        for story in self.stories:
            if story.final == "rectifying" and story.colour in ("red", "yellow"):
                by_unit[story.lead].append(story)
        units = sorted(by_unit, key=lambda code: (-len(by_unit[code]), code))[:12]
        for i, code in enumerate(units):
            stories = by_unit[code][:4]
            issued = self.wd(today - dt.timedelta(days=rng.randint(3, 16)))
            outcome = ("closed", "replied", "issued", "returned")[i % 4]
            holder = Track(900 + i)
            self.at(holder, issued, lambda code=code, stories=stories: self.issue_notice(code, stories))
            if outcome in ("closed", "replied", "returned"):
                replied = self.ahead(issued, rng.randint(1, 3))
                self.at(holder, replied, lambda code=code: self.reply_notice(code))
                if outcome == "closed":
                    self.at(holder, self.ahead(replied, 1), lambda code=code: self.close_notice(code))
                if outcome == "returned":
                    self.at(holder, self.ahead(replied, 1), lambda code=code: self.return_notice(code))
