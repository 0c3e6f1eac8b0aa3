"""Registration steps: register a story's problem, assign it, re-route it, and its special plan (重点问题).

Mixed into ``Loader``; each step is one service call, as the person who would make it.
"""

from __future__ import annotations

import datetime as dt

from .constants import DEMO_MARK
from .places import SURNAMES
from .scenarios import SOURCE_REFS
from .stories import Story


class RegistrationSteps:
    def register(self, story: Story, day: dt.date, *, deadline) -> None:
        def step():
            from ..services import problem_register, routing_propose

            s, sc = story, story.scenario
            title = DEMO_MARK + s.fill(sc.title)
            town_unit = self.units[s.town]
            address = f"广州市白云区{town_unit.short_name}{s.place}"
            lead_code = s.first_lead or s.lead
            lead = self.units[lead_code]
            proposal = routing_propose(
                title=title, description=s.fill(sc.description), address=address, problem_types=sc.types
            )
            registrar = self.coordinator
            if s.source == "self_inspection" and not s.first_lead:
                registrar = self.staff[lead_code]  # 自查自纠: the unit files its own finding
            fields = {
                "actor": registrar,
                "title": title,
                "source": s.source,
                "source_ref": SOURCE_REFS[s.source](self.rng, s.n, day),
                "description": s.fill(sc.description),
                "problem_types": list(sc.types),
                "severity": s.severity,
                "is_key": s.is_key,
                "is_complex": s.is_complex,
                "handling_mode": s.mode,
                "address": address,
                "cooperating_units": [self.units[c] for c in s.cooperating if c != lead_code],
                "acceptance_unit": self.units[s.acceptance],
                "supervising_unit": self.units["yingjianban"] if s.is_key else None,
                "responsible_leader": f"{lead.short_name}分管领导（演示）",
                "responsible_person": f"{self.rng.choice(SURNAMES)}某某（演示）",
                "contact_phone": f"020-0000{s.n:04d}",
                "target": s.fill(sc.target),
                "deadline_kind": s.kind,
                "deadline": deadline,
                "registered_on": day,
            }
            if proposal.town != town_unit:
                fields["town"] = town_unit
            if proposal.lead_unit == lead:
                fields["lead_unit"] = None  # the system's proposal, with its reason
            else:
                fields["lead_unit"] = lead
                fields["override_reason"] = (
                    "属地镇街牵头整治，行业部门配合"
                    if lead.kind != "department"
                    else f"按职责由{lead.short_name}牵头"
                )
            story.problem = problem_register(**fields)

        self.at(story, day, step)

    def assign(self, story: Story, day: dt.date) -> None:
        from ..services import problem_assign

        self.at(story, day, lambda: problem_assign(actor=self.coordinator, problem=self.fresh(story)))

    def reroute(self, story: Story) -> None:
        from ..services import problem_reroute

        problem_reroute(
            actor=self.coordinator,
            problem=self.fresh(story),
            lead_unit=self.units[story.lead],
            reason=f"经核实，该问题属{self.units[story.lead].short_name}职责范围，予以改派。",
            cooperating_units=[self.units[c] for c in story.cooperating],
        )

    def submit_plan(self, story: Story) -> None:
        from ..services import special_plan_submit

        problem = self.fresh(story)
        base = self.today if problem.deadline is None else problem.deadline
        special_plan_submit(
            actor=self.lead_staff(story),
            problem=problem,
            goals=problem.target or "按期完成整改。",
            measures="；".join(story.scenario.measures),
            milestones=[
                {"date": (base - dt.timedelta(days=30)).isoformat(), "content": story.scenario.measures[0]},
                {"date": base.isoformat(), "content": "全面完成整改并申请验收"},
            ],
        )

    def decide_plan(self, story: Story, *, approve: bool) -> None:
        from ..models import SpecialPlan
        from ..services import special_plan_decide

        plan = SpecialPlan.objects.filter(problem=story.problem, status="submitted").latest("pk")
        special_plan_decide(
            actor=self.coordinator,
            plan=plan,
            approve=approve,
            note="" if approve else "时间节点不够具体，请细化到月并明确责任人。",
        )
