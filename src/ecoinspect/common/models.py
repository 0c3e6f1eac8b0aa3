from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Choice, ChoiceSet
from .fields import ChoiceField


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


class ImportStatus(ChoiceSet):
    PENDING = Choice("pending", _("待校验"), "secondary")
    VALIDATING = Choice("validating", _("校验中"), "info")
    INVALID = Choice("invalid", _("有错误"), "danger")
    VALID = Choice("valid", _("待确认导入"), "warning")
    COMMITTED = Choice("committed", _("已导入"), "success")
    FAILED = Choice("failed", _("导入未成功"), "danger")


def import_upload_path(instance: ImportJob, filename: str) -> str:
    """Content-addressed: the same file uploaded twice is stored once."""
    return f"imports/{instance.sha256[:2]}/{instance.sha256}.xlsx"


class ImportJob(models.Model):
    """One uploaded Excel file on its way through validate → preview → commit (DESIGN.md §4.5)."""

    kind = models.CharField(_("导入类型"), max_length=50, db_index=True)
    status = ChoiceField(_("状态"), choiceset=ImportStatus, default=ImportStatus.PENDING, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    file = models.FileField(_("文件"), upload_to=import_upload_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    options = models.JSONField(_("导入选项"), default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    progress = models.PositiveIntegerField(_("已校验行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("修改"), default=0)
    unchanged_count = models.PositiveIntegerField(_("无变化"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    committed_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    #: set when its uploader confirms the import and the commit is queued for the worker; cleared when the
    #: worker is done (the job is then committed, or says why not)
    commit_requested_at = models.DateTimeField(_("确认导入时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class ExportStatus(ChoiceSet):
    PENDING = Choice("pending", _("排队中"), "secondary")
    RUNNING = Choice("running", _("生成中"), "info")
    DONE = Choice("done", _("可下载"), "success")
    FAILED = Choice("failed", _("未成功"), "danger")


def export_file_path(instance: ExportJob, filename: str) -> str:
    return f"exports/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.{instance.kind}"


class ExportJob(models.Model):
    """A large export written by the worker into a file that only its owner may download, until it expires.

    The job keeps the address of the page that asked for it (path and query string) and the language it
    was asked in; the worker asks that page again, as the owner, for the file (ecoinspect.common.export_jobs).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.CASCADE, related_name="+"
    )
    status = ChoiceField(_("状态"), choiceset=ExportStatus, default=ExportStatus.PENDING, db_index=True)
    title = models.CharField(_("导出内容"), max_length=200)
    kind = models.CharField(_("文件格式"), max_length=10)
    filename = models.CharField(_("文件名"), max_length=200)
    path = models.CharField(_("页面地址"), max_length=500)
    query = models.TextField(_("筛选条件"), blank=True)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    total_rows = models.PositiveIntegerField(_("记录数"), default=0)
    progress = models.PositiveIntegerField(_("已写入"), default=0)
    file = models.FileField(_("文件"), upload_to=export_file_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    error = models.TextField(_("未成功的原因"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("保留至"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
