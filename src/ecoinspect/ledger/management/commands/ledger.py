from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from ecoinspect.common.calendar import default_calendar

from ...tasks import ledger_digest


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "整改台账：digest 发送每日提醒（每个单位每天一次，可重复执行；配置了后台任务进程时交由其发送）。"
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

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "digest":
            self.digest(options.get("date"), options.get("workdays_only", False), options.get("now", False))

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
