"""Review steps: the request for acceptance, the reviewer's decision, publicity and objections, closing
and reopening.

Mixed into ``Loader``; each step is one service call, as the person who would make it.
"""

from __future__ import annotations

import datetime as dt

from .stories import Story


class ReviewSteps:
    def request(self, story: Story) -> None:
        from ..services import problem_request_acceptance

        problem_request_acceptance(actor=self.lead_staff(story), problem=self.fresh(story))

    def reviewer(self, story: Story):
        return self.reviewers[story.acceptance]

    def begin_review(self, story: Story) -> None:
        from ..services import problem_begin_review

        problem_begin_review(actor=self.reviewer(story), problem=self.fresh(story))

    def accept(self, story: Story) -> None:
        from django.utils import timezone

        from ..services import problem_accept

        problem_accept(
            actor=self.reviewer(story),
            problem=self.fresh(story),
            accepted_on=timezone.localdate(),
            method=self.rng.choice(["on_site", "on_site", "documents"]),
            opinion=f"经核查，{story.fill(story.scenario.target)}整改目标已实现，佐证材料齐全，同意验收。",
        )

    def reject(self, story: Story) -> None:
        from django.utils import timezone

        from ..services import problem_reject

        problem_reject(
            actor=self.reviewer(story),
            problem=self.fresh(story),
            accepted_on=timezone.localdate(),
            method="on_site",
            reason="现场核查发现整改不彻底，佐证材料不足，请补充整改后重新申请。",
        )

    def more_work(self, story: Story) -> None:
        self.report(story, "completed", "已按验收意见补充整改，问题全部解决。")
        self.evidence(story, 0, final=True)

    def publish(self, story: Story, starts: dt.date, period: str) -> None:
        from ..services import publicity_start

        publicity_start(
            actor=self.publisher,
            problem=self.fresh(story),
            starts_on=starts,
            period=period,
            channel="白云区人民政府门户网站“督察整改”专栏（演示）",
            objection_phone=f"020-0000{9000 + story.n % 1000:04d}",
        )

    def objection(self, story: Story, *, upheld: bool) -> None:
        from ..services import publicity_objection

        note = (
            "群众来电反映雨后仍有污水排出，经现场核实情况属实。"
            if upheld
            else "群众来电反映异味，经现场核实为相邻地块施工所致，与本问题无关。"
        )
        publicity_objection(actor=self.publisher, problem=self.fresh(story), note=note, upheld=upheld)

    def close(self, story: Story) -> None:
        from ..services import problem_close

        problem_close(actor=self.publisher, problem=self.fresh(story))

    def reopen(self, story: Story) -> None:
        from django.utils import timezone

        from ..services import problem_reopen

        problem_reopen(
            actor=self.coordinator,
            problem=self.fresh(story),
            reason="回头看发现问题反弹：群众再次投诉，现场核实属实。",
            new_deadline=timezone.localdate() + dt.timedelta(days=self.rng.randint(30, 90)),
        )
