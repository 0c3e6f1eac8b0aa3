from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """A day whose status differs from what the calendar package knows.

    The State Council publishes next year's holidays and 调休 make-up days each November or December;
    until the installed ``chinesecalendar`` knows them, the inspection office enters them here. An entry
    also wins over the package for years it does know (a local day off, a corrected date).
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self) -> str:
        kind = _("工作日") if self.is_workday else _("休息日")
        return f"{self.date:%Y-%m-%d} {kind} {self.note}".strip()


class NumberSequence(models.Model):
    """Counters for human-readable record numbers (BY-ZG-2026-0001); one row per prefix and year."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="numbersequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
