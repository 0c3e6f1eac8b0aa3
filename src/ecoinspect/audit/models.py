"""The two audit layers (DESIGN.md §4.4).

* :class:`ChangeLog` — before/after of every change to a :class:`ChangeLoggedModel`, written by signals.
* :class:`ActionLog` — what people did (``ledger.problem.accepted``), append-only and hash-chained; written
  only by :func:`ecoinspect.audit.services.action_log_append`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import hashing


class ChangeLoggedModel(models.Model):
    """Opt-in marker: every save and delete of a subclass is recorded in the ChangeLog.

    ``changelog_exclude`` names fields never copied into the log (password hashes and the like).
    """

    changelog_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """The last net under the forms, the API and the imports: text the columns cannot hold (too long,
        a control character) is refused with a message naming the field, never a database error."""
        from ecoinspect.common.text_bounds import check_stored_text

        check_stored_text(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)


class ChangeLog(models.Model):
    class Operation(models.TextChoices):
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("用户名"), max_length=150, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True, db_index=True)
    operation = models.CharField(_("操作"), max_length=10, choices=Operation.choices)
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="changelog_object_idx")]
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")

    def __str__(self) -> str:
        return (
            f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.get_operation_display()} {self.object_repr}"
        )

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove ActionLog rows."""

    def __init__(self):
        super().__init__(
            "操作日志只能追加，不能修改或删除。 / The action log is append-only: rows cannot be changed or deleted."
        )


class ActionLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError

    def delete(self):
        raise AppendOnlyError

    def for_object(self, obj: models.Model):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class ActionLog(models.Model):
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True)
    action = models.CharField(_("动作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = ActionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"], name="actionlog_object_idx")]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError

    def describe(self) -> str:
        from .labels import label_for

        text = label_for(self.action)
        if self.action.endswith(".refused"):
            reason = (self.payload or {}).get("reason", "")
            return f"{text}：{reason}" if reason else text
        reason = (self.payload or {}).get("reason") or (self.payload or {}).get("opinion")
        return f"{text}（{reason}）" if reason else text

    def content(self) -> dict:
        return hashing.row_content(
            seq=self.seq,
            created_at=self.created_at,
            actor_id=self.actor_id,
            actor_name=self.actor_name,
            request_id=self.request_id,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            object_repr=self.object_repr,
            payload=self.payload,
        )

    def computed_hash(self) -> str:
        return hashing.chain_hash(self.prev_hash, self.content())
