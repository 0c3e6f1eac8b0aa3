"""Rectification steps: start, measures, joint action, progress reports, evidence (photos and documents),
and the coordinator's pause, resume and extension.

Mixed into ``Loader``; each step is one service call, as the person who would make it.
"""

from __future__ import annotations

import datetime as dt

from .files import photo_png, simple_pdf
from .places import SURNAMES
from .stories import Story


class RectificationSteps:
    def start(self, story: Story) -> None:
        from ..services import problem_start

        problem_start(actor=self.lead_staff(story), problem=self.fresh(story))

    def measure(self, story: Story, i: int) -> None:
        from ..services import measure_add

        problem = self.fresh(story)
        owner = (
            story.lead
            if i == 0 or not story.cooperating
            else story.cooperating[(i - 1) % len(story.cooperating)]
        )
        measure_add(
            actor=self.lead_staff(story),
            problem=problem,
            content=story.fill(story.scenario.measures[i]),
            owner_unit=self.units[owner],
            owner_person=f"{self.rng.choice(SURNAMES)}工（演示）",
            deadline=problem.deadline,
        )

    def complete_measure(self, story: Story, i: int, day: dt.date) -> None:
        from ..services import measure_complete

        measure = self.fresh(story).measures.order_by("sort_order", "pk")[i]
        if measure.done_on is None:
            measure_complete(actor=self.lead_staff(story), measure=measure, done_on=day)

    def joint_action(self, story: Story) -> None:
        from django.utils import timezone

        from ..services import joint_action_record

        findings, actions = story.scenario.joint
        units = {story.lead, *story.cooperating, "sthj"}
        joint_action_record(
            actor=self.lead_staff(story),
            problem=self.fresh(story),
            acted_on=timezone.localdate(),
            units=[self.units[c] for c in sorted(units)],
            findings=findings,
            actions=actions,
        )

    def report(self, story: Story, status: str, text: str) -> None:
        from ..services import progress_report_add

        progress_report_add(
            actor=self.lead_staff(story),
            problem=self.fresh(story),
            text=story.fill(text),
            progress_status=status,
        )

    def evidence(self, story: Story, i: int, final: bool = False) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from ..services import evidence_add

        problem = self.fresh(story)
        caption = story.scenario.photos[min(i, len(story.scenario.photos) - 1)]
        story.photos_taken += 1
        label = f"DEMO {problem.number} {timezone.localdate():%Y-%m-%d} #{story.photos_taken}"
        content = photo_png(self.rng, story.scenario.scene, label)
        report = problem.reports.filter(cycle=problem.cycle).order_by("-reported_on", "-pk").first()
        evidence_add(
            actor=self.lead_staff(story),
            problem=problem,
            uploaded=SimpleUploadedFile(f"{caption}.png", content),
            kind="photo",
            description=f"{caption}（第 {problem.cycle} 轮{'，整改完成后' if final else ''}）",
            report=report,
        )

    def document(self, story: Story) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from ..services import evidence_add

        problem = self.fresh(story)
        name, kind = story.scenario.document
        content = simple_pdf(
            [
                "ecoinspect DEMO document - not a real record",
                f"Problem {problem.number}, cycle {problem.cycle}",
                f"Issued {timezone.localdate():%Y-%m-%d} by unit {problem.lead_unit.code}",
                f"Reference DEMO-{story.n:04d}-{self.rng.randint(1000, 9999)}",
            ]
        )
        evidence_add(
            actor=self.lead_staff(story),
            problem=problem,
            uploaded=SimpleUploadedFile(name, content),
            kind=kind,
            description=name.removesuffix(".pdf"),
        )

    def pause(self, story: Story) -> None:
        from ..services import problem_pause

        problem_pause(
            actor=self.coordinator,
            problem=self.fresh(story),
            reason=self.rng.choice(
                ["涉及司法诉讼，等待法院判决", "主汛期暂停涉水施工", "等待上级部门审批用地手续"]
            ),
        )

    def resume(self, story: Story) -> None:
        from ..services import problem_resume

        problem_resume(actor=self.coordinator, problem=self.fresh(story))

    def extend(self, story: Story) -> None:
        from ..services import problem_extend_deadline

        problem = self.fresh(story)
        problem_extend_deadline(
            actor=self.coordinator,
            problem=problem,
            new_deadline=problem.deadline + dt.timedelta(days=self.rng.randint(20, 60)),
            reason="工程涉及管线迁改，经区督察迎检办同意延期。",
        )
