"""The kit's own records: the one-time keys that make a form's second sending harmless (``core.submissions``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """One sending of a form: the one-time key the form carried, who sent it, what for, and the record it
    made. The same form sent again (a double click, a resent page, two tabs) finds this row and is answered
    with that record instead of making a second one."""

    key = models.CharField(_("提交标识"), max_length=64, unique=True)
    purpose = models.CharField(_("用途"), max_length=80)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单提交")
        verbose_name_plural = _("表单提交")

    def __str__(self) -> str:
        return f"{self.purpose} {self.key}"
