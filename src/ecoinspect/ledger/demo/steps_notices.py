"""Notice steps: 督办单 issued to a unit, replied to, closed or returned.

Mixed into ``Loader``; each step is one service call, as the person who would make it.
"""

from __future__ import annotations

from .stories import Story


class NoticeSteps:
    def issue_notice(self, code: str, stories: list[Story]) -> None:
        from django.utils import timezone

        from ..services import notice_issue

        notice = notice_issue(
            actor=self.coordinator,
            unit=self.units[code],
            problems=[self.fresh(s) for s in stories],
            requirements="以上问题整改进度滞后，请于 5 个工作日内书面报告滞后原因、下一步措施及完成时限，并加快推进。",
            reply_due=self.ahead(timezone.localdate(), 5),
        )
        self.notices.append((code, notice))

    def _notice(self, code: str):
        from ..models import SupervisionNotice

        notice = next(n for c, n in reversed(self.notices) if c == code)
        return SupervisionNotice.objects.get(pk=notice.pk)

    def reply_notice(self, code: str) -> None:
        from ..services import notice_reply

        notice_reply(
            actor=self.staff[code],
            notice=self._notice(code),
            reply="已召开专题会议研究，增派施工力量，倒排工期，确保在新的时限内完成整改。",
        )

    def close_notice(self, code: str) -> None:
        from ..services import notice_close

        notice_close(actor=self.coordinator, notice=self._notice(code))

    def return_notice(self, code: str) -> None:
        from ..services import notice_return

        notice_return(
            actor=self.coordinator,
            notice=self._notice(code),
            reason="回复未明确完成时限和责任人，请重新回复。",
        )
