from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecoinspect.common.calendar import default_calendar

from ...tasks import ledger_digest


class Command(BaseCommand):
    help = "整改台账：digest 发送每日提醒（每个单位每天一次，可重复执行）。 / Ledger tools: 'digest' sends the daily reminders."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        digest = sub.add_parser(
            "digest",
            help="send each unit its daily digest (overdue, red/yellow/blue, due within 5 working days)",
        )
        digest.add_argument("--date", help="the day to report on, YYYY-MM-DD (default: today)")
        digest.add_argument(
            "--workdays-only",
            action="store_true",
            help="do nothing on a day off (Chinese calendar, 调休 included)",
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "digest":
            self.digest(options.get("date"), options.get("workdays_only", False))

    def digest(self, date: str | None, workdays_only: bool) -> None:
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(
                f"日期格式应为 YYYY-MM-DD：{date} / The date must be YYYY-MM-DD: {date}"
            ) from exc
        if workdays_only and not default_calendar().is_workday(day):
            self.stdout.write(f"{day} 不是工作日，未发送。 / {day} is not a working day; nothing sent.")
            return
        # Run inline (cron needs the outcome); workers may enqueue ledger_digest instead.
        results = ledger_digest.call(day.isoformat())
        sent = 0
        for r in results:
            if r["sent"]:
                sent += 1
                self.stdout.write(f"{r['unit_name']}：已发送 {r['recipients']} 人 — {r['title']}")
            else:
                self.stdout.write(f"{r['unit_name']}：今日已发送过，跳过 — {r['title']}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{day}：发送 {sent} 个单位，跳过 {len(results) - sent} 个。 / {day}: {sent} units sent, {len(results) - sent} skipped."
            )
        )
