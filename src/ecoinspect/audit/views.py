from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ecoinspect.common.tables import Column
from ecoinspect.common.views import FilteredListView

from .anchors import AnchorError
from .display import action_name, change_lines, payload_text
from .filters import ActionLogFilter, ChangeLogFilter
from .selectors import action_log_list, audit_verify, change_log_list
from .services import action_log_append


def _payload(entry) -> str:
    return payload_text(entry.action, entry.payload)[:500]


def _model_name(entry) -> str:
    try:
        return str(apps.get_model(entry.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return entry.object_type


class ActionLogListView(FilteredListView):
    title = _lazy("操作日志")
    intro = _lazy("只能追加、不可修改的操作记录，每条记录带有前一条的哈希，任何篡改都会被校验发现。")
    filterset_class = ActionLogFilter
    list_perm = "audit.audit"
    export_name = "action-log"
    template_name = "audit/actionlog_list.html"
    columns = (
        Column("seq", _lazy("序号"), sort="seq"),
        Column("created_at", _lazy("时间")),
        Column("actor_name", _lazy("操作人"), sort="actor"),
        Column("action", _lazy("动作"), sort="action", accessor=lambda e: action_name(e.action)),
        Column("object_repr", _lazy("对象")),
        Column("payload", _lazy("内容"), accessor=_payload, css="small text-break"),
        Column("hash", _lazy("哈希"), accessor=lambda e: e.hash[:12], css="font-monospace small"),
    )

    def selector(self, *, user, filters):
        return action_log_list(user=user, filters=filters)


class ChangeLogListView(FilteredListView):
    title = _lazy("变更记录")
    filterset_class = ChangeLogFilter
    list_perm = "audit.audit"
    export_name = "change-log"
    columns = (
        Column("time", _lazy("时间"), sort="time"),
        Column("user_name", _lazy("用户")),
        Column("operation", _lazy("操作"), accessor=lambda c: c.get_operation_display()),
        Column("object_type", _lazy("对象类型"), accessor=_model_name),
        Column("object_repr", _lazy("对象")),
        Column("changed", _lazy("变更内容"), accessor=lambda c: "；".join(change_lines(c)), css="small text-break"),
        Column(
            "request_id", _lazy("请求编号"), accessor=lambda c: c.request_id[:8], css="font-monospace small"
        ),
    )

    def selector(self, *, user, filters):
        return change_log_list(user=user, filters=filters)


@login_required
@require_POST
def verify(request):
    if not request.user.has_perm("audit.audit"):
        raise PermissionDenied
    try:
        report = audit_verify()
    except AnchorError as error:  # the anchor file or the key cannot be read: say so, log nothing
        messages.error(request, str(error))
        return redirect("audit:actionlog_list")
    action_log_append(
        action="audit.chain.verified" if report.ok else "audit.chain.broken",
        actor=request.user,
        payload={
            "checked": report.chain.checked,
            "broken_seq": report.chain.broken_seq,
            "anchor_seq": report.anchored.anchor.seq if report.anchored.anchor else None,
            "anchor_problems": len(report.anchored.problems),
        },
    )
    (messages.success if report.ok else messages.error)(request, report.message())
    return redirect("audit:actionlog_list")
