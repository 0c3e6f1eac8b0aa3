from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from ecoinspect.common.calendar import default_calendar

from ...tasks import ledger_digest

#: differences listed by ``recount`` (the rest are counted)
SHOWN_DIFFERENCES = 30


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "整改台账：digest 发送每日提醒（每个单位每天一次，可重复执行；配置了后台任务进程时交由其发送）；recount 核对（并修复）统计计数。"
        )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        about = _("向每个单位发送当日提醒（逾期、红黄蓝预警、5 个工作日内到期）")
        digest = sub.add_parser("digest", help=about, description=about)
        digest.add_argument("--date", help=_("提醒所针对的日期，格式 YYYY-MM-DD（默认今天）"))
        digest.add_argument(
            "--workdays-only", action="store_true", help=_("非工作日（按中国日历，含调休）不发送")
        )
        digest.add_argument(
            "--now", action="store_true", help=_("在本命令中立即发送，不交给后台任务进程")
        )

        about = _(
            "按全部问题重新计数，与仪表盘和单位清单所用的统计计数逐项核对；有不一致时列出并以非零状态退出"
        )
        recount = sub.add_parser("recount", help=about, description=about)
        recount.add_argument("--repair", action="store_true", help=_("把不一致的计数改为重新计数的结果"))

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "digest":
            self.digest(options.get("date"), options.get("workdays_only", False), options.get("now", False))
        elif subcommand == "recount":
            self.recount(repair=options.get("repair", False))

    def recount(self, *, repair: bool) -> None:
        from ...tallies import PROBLEM_TALLY, describe_bucket

        result = PROBLEM_TALLY.recount(repair=repair)
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(_("统计计数与重新计数一致（%(n)s 项）。") % {"n": result.counted})
            )
            return
        for bucket, (stored, counted) in sorted(result.differences.items())[:SHOWN_DIFFERENCES]:
            self.stdout.write(
                _("%(what)s：记录为 %(stored)s，重新计数为 %(counted)s")
                % {"what": describe_bucket(bucket), "stored": stored, "counted": counted}
            )
        more = len(result.differences) - SHOWN_DIFFERENCES
        if more > 0:
            self.stdout.write(_("……另有 %(n)s 项不一致未列出。") % {"n": more})
        if result.repaired:
            self.stdout.write(
                self.style.SUCCESS(
                    _("已修复 %(n)s 项不一致的统计计数（共 %(total)s 项）。")
                    % {"n": len(result.differences), "total": result.counted}
                )
            )
            return
        raise CommandError(
            _("%(n)s 项统计计数与重新计数不一致。请运行 ecoinspect ledger recount --repair 修复。")
            % {"n": len(result.differences)}
        )

    def digest(self, date: str | None, workdays_only: bool, now: bool = False) -> None:
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD：%(d)s") % {"d": date}) from exc
        if workdays_only and not default_calendar().is_workday(day):
            self.stdout.write(_("%(d)s 不是工作日，未发送。") % {"d": day})
            return
        # Queued for the worker (cron answers at once; the worker sends and logs it). Under the immediate
        # backend — or with --now — it runs here and the outcome is printed.
        if now:
            results = ledger_digest.call(day.isoformat())
        else:
            queued = ledger_digest.enqueue(day.isoformat())
            if queued.status == TaskResultStatus.FAILED:
                raise CommandError(_("每日提醒发送时发生系统错误，已记录，请联系管理员。"))
            if queued.status != TaskResultStatus.SUCCESSFUL:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("%(d)s 的每日提醒已交给后台任务进程发送（任务 %(id)s）。") % {"d": day, "id": queued.id}
                    )
                )
                return
            results = queued.return_value
        self.report(day, results)

    def report(self, day: dt.date, results: list[dict]) -> None:
        sent = 0
        for r in results:
            if r["sent"]:
                sent += 1
                self.stdout.write(
                    _("%(unit)s：已发送 %(n)s 人 — %(title)s")
                    % {"unit": r["unit_name"], "n": r["recipients"], "title": r["title"]}
                )
            else:
                self.stdout.write(
                    _("%(unit)s：今日已发送过，跳过 — %(title)s")
                    % {"unit": r["unit_name"], "title": r["title"]}
                )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(d)s：发送 %(sent)s 个单位，跳过 %(skipped)s 个。")
                % {"d": day, "sent": sent, "skipped": len(results) - sent}
            )
        )
