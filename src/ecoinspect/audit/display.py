"""The audit trail in people's words: an action's name instead of its code, a payload as "理由：…",
"状态：已交办 → 整改中", and a change as "字段：旧值 → 新值" with the field's own name.

Workflows register the names of their states (:func:`register_states`); apps may name their payload keys
(:func:`register_keys`). A key or value nobody named is shown as it is, never hidden.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from .labels import label_for

_KEYS: dict[str, str] = {
    "reason": _("理由"),
    "opinion": _("意见"),
    "method": _("方式"),
    "note": _("说明"),
    "code": _("原因代码"),
    "state": _("当时状态"),
    "action": _("动作"),
    "cycle": _("轮次"),
    "previous_cycle": _("上一轮次"),
    "new_deadline": _("新整改时限"),
    "deadline": _("整改时限"),
    "starts_on": _("开始日期"),
    "period": _("期限"),
    "reported_on": _("报送日期"),
    "progress_status": _("完成进度"),
    "checked": _("已校验条数"),
    "broken_seq": _("断点序号"),
    "users_created": _("新增用户数"),
    "export_title": _("导出内容"),
    "format": _("文件格式"),
    "rows": _("记录数"),
    "owner": _("导出人"),
    "filters": _("筛选条件"),
}
_STATES: dict[str, dict[str, str]] = {}
_SKIPPED = {"from", "to"}


def register_keys(labels: dict[str, str]) -> None:
    _KEYS.update(labels)


def register_states(namespace: str, labels: dict[str, str]) -> None:
    """The names of a workflow's states, for "from → to" in the entries of ``namespace`` ("ledger.problem")."""
    _STATES.setdefault(namespace, {}).update(labels)


def _value(value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, list):
        return "、".join(_value(v) for v in value)
    return str(value)


def action_name(action: str) -> str:
    return label_for(action)


def payload_text(action: str, payload: dict | None) -> str:
    """One line: the move's states by name, then each other key by name."""
    payload = payload or {}
    namespace = action.rsplit(".", 1)[0]
    states = _STATES.get(namespace, {})
    parts = []
    if "from" in payload or "to" in payload:
        before, after = payload.get("from", ""), payload.get("to", "")
        parts.append(f"{_('状态')}：{states.get(before, before) or '—'} → {states.get(after, after) or '—'}")
    for key, value in payload.items():
        if key in _SKIPPED:
            continue
        parts.append(f"{_KEYS.get(key, key)}：{_value(value)}")
    return "；".join(parts)


def field_name(object_type: str, field: str) -> str:
    """A model field's verbose name, from ``object_type`` ("ledger.problem")."""
    try:
        model = apps.get_model(object_type)
        return str(model._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field


def change_lines(entry) -> list[str]:
    """A ChangeLog row as "字段：旧 → 新", one line per changed field."""
    before, after = entry.before or {}, entry.after or {}
    return [
        f"{field_name(entry.object_type, name)}：{_value(before.get(name))} → {_value(after.get(name))}"
        for name in entry.changed_fields
    ]
