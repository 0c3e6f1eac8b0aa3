"""Declared state machines: the only way a record's status changes (DESIGN.md §4.2).

A :class:`Workflow` is a table of :class:`T` rows — (action, from-states) → to-state, with the permission
the actor needs on the record and the things the action needs. :func:`transition` looks the move up,
checks permission, needs and guards, writes the new state and its stage timestamp, appends the ActionLog
entry and queues notifications for after the commit. A move that is not in the table raises
:class:`TransitionNotDeclared`; nothing is written, and the refused attempt itself is logged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecoinspect.common.errors import Refusal
from ecoinspect.common.i18n import district_language
from ecoinspect.core.permissions import has_perm

#: A guard gets (record, payload, actor) and returns None when the move may go ahead, or the reason why not.
Guard = Callable[[models.Model, dict, object], str | None]
#: A need check returns True when the record (or the payload) supplies the thing the action needs.
NeedCheck = Callable[[models.Model, dict], bool]


class WorkflowError(Refusal):
    """Base class: ``str(error)`` is the message shown to the user."""

    code = "workflow_error"

    def record(self) -> None:
        log_refusal(self)


class TransitionNotDeclared(WorkflowError):
    code = "transition_not_declared"


class TransitionForbidden(WorkflowError):
    code = "transition_forbidden"


class TransitionIncomplete(WorkflowError):
    code = "transition_incomplete"

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = missing


class StaleState(WorkflowError):
    code = "stale_state"


@dataclass(frozen=True)
class T:
    """One declared move. ``source`` may be one state or several; ``event`` is the ActionLog verb.

    ``sets`` are the other fields the move sets (a problem's 完成进度 becomes 已完成 when acceptance is
    requested): declared here so that no service writes a status of its own. The rest is how people see the
    move: its ``label`` and button ``style``, the ``confirm`` question of a plain button, the ``form`` (URL
    name, taking the record's pk) that collects what the move needs, the ``done`` message, and ``button``
    False for moves that are made from elsewhere on the page (a progress report) rather than by a button.
    """

    action: str
    source: str | tuple[str, ...]
    target: str
    perm: str
    needs: tuple[str, ...] = ()
    guards: tuple[Guard, ...] = ()
    label: str = ""
    event: str = ""
    style: str = "primary"
    todo: bool = True  # False for optional moves (reopen, uphold an objection): they never fill a queue
    sets: dict[str, object] = field(default_factory=dict)
    confirm: str = ""
    form: str = ""
    done: str = ""
    button: bool = True

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else tuple(self.source)

    @property
    def log_event(self) -> str:
        return self.event or self.action


@dataclass
class Workflow:
    """The transition table of one model; declare it for the model with :func:`register`."""

    namespace: str  # ActionLog prefix, e.g. "ledger.problem"
    transitions: list[T]
    state_field: str = "status"
    stage_timestamps: dict[str, str] = field(default_factory=dict)  # state → DateTimeField name
    need_checks: dict[str, NeedCheck] = field(default_factory=dict)
    need_labels: dict[str, str] = field(default_factory=dict)
    notify: Callable[[models.Model, T, object], Iterable] | None = None
    #: The record whose timeline a move belongs to (a plan's moves show on its problem), default the record.
    subject: Callable[[models.Model], models.Model] | None = None
    #: URL name of the generic move view for this model (args: pk, action) — see ``core.views.move_view``.
    move_url: str = ""
    #: The keyword under which the services of this workflow take the record ("problem", "notice").
    object_arg: str = "obj"

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            for source in t.sources:
                key = (source, t.action)
                if key in seen:
                    raise ValueError(f"{self.namespace}: action {t.action!r} declared twice from {source!r}")
                seen.add(key)
        self._table = {(s, t.action): t for t in self.transitions for s in t.sources}
        self.performers: dict[str, Callable] = {}
        from ecoinspect.audit.labels import register

        register({f"{self.namespace}.{t.log_event}": t.label for t in self.transitions if t.label})

    @property
    def states(self) -> set[str]:
        return {s for t in self.transitions for s in t.sources} | {t.target for t in self.transitions}

    @property
    def actions(self) -> set[str]:
        return {t.action for t in self.transitions}

    def action_label(self, action: str) -> str:
        return next((str(t.label) for t in self.transitions if t.action == action and t.label), action)

    def lookup(self, state: str, action: str) -> T | None:
        return self._table.get((state, action))

    def available(self, obj: models.Model, user) -> list[T]:
        """The moves ``user`` may make on ``obj`` now (needs are checked only when the move is made)."""
        state = getattr(obj, self.state_field)
        return [t for t in self.transitions if state in t.sources and has_perm(user, t.perm, obj)]

    def states_actionable_with(self, perm_holder: Callable[[str], bool]) -> set[str]:
        """States from which some move needs a permission for which ``perm_holder(perm)`` is true."""
        return {s for t in self.transitions if perm_holder(t.perm) for s in t.sources}

    def missing_needs(self, obj: models.Model, t: T, payload: dict) -> list[str]:
        missing = []
        for need in t.needs:
            check = self.need_checks.get(need)
            if check is not None:
                ok = check(obj, payload)
            else:
                value = payload.get(need, getattr(obj, need, None))
                ok = value not in (None, "", [], ())
            if not ok:
                missing.append(need)
        return missing

    def performs(self, action: str):
        """Register the service that makes ``action`` (a decorator on the service function): the generic
        move view calls it as ``service(actor=…, <object_arg>=record[, expected_version=…])``."""

        if action not in self.actions:
            raise ValueError(f"{self.namespace}: {action!r} is not a declared action")

        def register(service):
            self.performers[action] = service
            return service

        return register

    def buttons(self, obj: models.Model, user) -> list[dict]:
        """The moves ``user`` may make on ``obj`` now, drawn as buttons: a plain button posts to the move
        view; a move that needs input links to its form."""
        from django.urls import reverse

        drawn = []
        for t in self.available(obj, user):
            if not t.button:
                continue
            entry = {"action": t.action, "label": t.label or t.action, "style": t.style, "confirm": t.confirm}
            if t.form:
                entry["url"] = reverse(t.form, args=[obj.pk])
            elif t.action in self.performers and self.move_url:
                entry["post_url"] = reverse(self.move_url, args=[obj.pk, t.action])
            else:
                continue
            drawn.append(entry)
        return drawn

    def need_label(self, obj: models.Model, need: str) -> str:
        if need in self.need_labels:
            return str(self.need_labels[need])
        try:
            return str(obj._meta.get_field(need).verbose_name)
        except Exception:
            return need


def _state_label(obj: models.Model, field_name: str, state: str) -> str:
    choices = dict(obj._meta.get_field(field_name).flatchoices)
    return str(choices.get(state, state))


def _refuse(obj, wf: Workflow, actor, action: str, error: WorkflowError, state: str) -> WorkflowError:
    """Attach what was attempted to ``error``; log it now unless a caller's transaction will be rolled back.

    Inside a transaction the entry would vanish with the rollback, so the boundary that catches the error
    (view, API handler, command) calls :func:`log_refusal` after the transaction has ended.
    """
    error.attempt = {"obj": obj, "namespace": wf.namespace, "actor": actor, "action": action, "state": state}
    error.logged = False
    if not transaction.get_connection().in_atomic_block:
        log_refusal(error)
    return error


def log_refusal(error: Exception) -> None:
    """Record a refused workflow move in the ActionLog (once). Safe to call with any exception."""
    from ecoinspect.audit.services import action_log_append

    attempt = getattr(error, "attempt", None)
    if attempt is None or getattr(error, "logged", True) or attempt["obj"].pk is None:
        return
    action_log_append(
        action=f"{attempt['namespace']}.refused",
        actor=attempt["actor"],
        obj=attempt["obj"],
        payload={
            "action": attempt["action"],
            "state": attempt["state"],
            "code": getattr(error, "code", "error"),
            "reason": str(error),
        },
    )
    error.logged = True


def _workflow_of(obj: models.Model, workflow: Workflow | None) -> Workflow:
    return workflow or workflow_for(type(obj))


#: Which workflow drives which model: filled by :func:`register`, read by :func:`workflow_for`.
_WORKFLOWS: dict[type[models.Model], Workflow] = {}


def register(model: type[models.Model], workflow: Workflow) -> None:
    """Declare ``workflow`` as the state machine of ``model``; apps call it from ``AppConfig.ready()``.

    The engine, the queues and the pages find it with :func:`workflow_for`; the model class is not touched.
    Registering the same pair again is harmless; a second, different workflow for a model is a programming
    error.
    """
    known = _WORKFLOWS.get(model)
    if known is not None and known is not workflow:
        raise ValueError(
            f"{model._meta.label} already has the workflow {known.namespace!r}; "
            f"cannot register {workflow.namespace!r} as well"
        )
    _WORKFLOWS[model] = workflow
    name_states(model, workflow)


def name_states(model: type[models.Model], workflow: Workflow) -> None:
    """Give the audit trail the names of ``workflow``'s states (from ``model``'s field choices), so an
    entry reads "已交办 → 整改中" rather than "assigned → rectifying". ``register`` does it for a model's
    own workflow; call it for a second table on the same model (the ledger's 完成进度)."""
    from ecoinspect.audit.display import register_states

    choices = model._meta.get_field(workflow.state_field).flatchoices
    register_states(workflow.namespace, {str(value): label for value, label in choices})


def workflow_for(model: type[models.Model]) -> Workflow:
    """The workflow registered for ``model`` (a proxy model uses its concrete model's)."""
    workflow = _WORKFLOWS.get(model) or _WORKFLOWS.get(model._meta.concrete_model)
    if workflow is None:
        raise LookupError(f"no workflow is registered for {model._meta.label} (core.workflow.register)")
    return workflow


def check(
    obj: models.Model,
    *,
    action: str,
    actor,
    payload: dict | None = None,
    workflow: Workflow | None = None,
    needs: bool = True,
) -> T:
    """May ``actor`` make the move ``action`` on ``obj`` now? Returns the declared move, or raises the
    :class:`WorkflowError` that :func:`transition` would raise — without writing anything.

    A service calls it before its side effects (``needs=False`` when the side effects themselves supply the
    needs, e.g. the acceptance record that accepting creates), so it never repeats the table's states.
    """
    wf = _workflow_of(obj, workflow)
    payload = payload or {}
    state_field = wf.state_field
    state = getattr(obj, state_field)
    t = wf.lookup(state, action)
    if t is None:
        raise _refuse(
            obj,
            wf,
            actor,
            action,
            TransitionNotDeclared(
                _(
                    "当前状态“%(state)s”下不能执行“%(action)s”。"
                )
                % {
                    "state": _state_label(obj, state_field, state),
                    "action": wf.action_label(action),
                    "action_en": action,
                    "state_en": state,
                }
            ),
            state,
        )
    if not has_perm(actor, t.perm, obj):
        raise _refuse(
            obj,
            wf,
            actor,
            action,
            TransitionForbidden(
                _("您没有权限对该事项执行“%(label)s”。")
                % {"label": t.label or action, "action": action}
            ),
            state,
        )
    missing = wf.missing_needs(obj, t, payload) if needs else []
    if missing:
        labels = "、".join(wf.need_label(obj, n) for n in missing)
        raise _refuse(
            obj,
            wf,
            actor,
            action,
            TransitionIncomplete(
                _("执行“%(label)s”前需要：%(labels)s。")
                % {"label": t.label or action, "labels": labels, "action": action, "names": ", ".join(missing)},
                missing,
            ),
            state,
        )
    for guard in t.guards:
        reason = guard(obj, payload, actor)
        if reason:
            raise _refuse(obj, wf, actor, action, TransitionIncomplete(str(reason), []), state)
    return t


def transition(
    obj: models.Model, *, action: str, actor, payload: dict | None = None, workflow: Workflow | None = None
):
    """Make the declared move ``action`` on ``obj`` for ``actor`` and return ``obj``.

    Services set the fields an action changes on ``obj`` and then call this, inside their transaction;
    ``payload`` carries what the ActionLog should record (a reason, an opinion) and may satisfy needs.
    Raises a :class:`WorkflowError` subclass and writes nothing when the move is not allowed.
    """
    wf = _workflow_of(obj, workflow)
    payload = dict(payload or {})
    t = check(obj, action=action, actor=actor, payload=payload, workflow=wf)
    state = getattr(obj, wf.state_field)
    with transaction.atomic():
        _lock_unchanged(obj, wf, actor, action, state)
        setattr(obj, wf.state_field, t.target)
        for name, value in t.sets.items():
            setattr(obj, name, value)
        stamp = wf.stage_timestamps.get(t.target)
        if stamp:
            setattr(obj, stamp, timezone.now())
        obj.save()
        _record_move(obj, wf, t, actor, {"from": state, "to": t.target, **payload})
    return obj


def _lock_unchanged(obj: models.Model, wf: Workflow, actor, action: str, state: str) -> None:
    """Lock the row and refuse if someone moved it since it was read (two people pressing one button)."""
    current = (
        type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list(wf.state_field, flat=True).first()
    )
    if obj.pk is not None and current != state:
        raise _refuse(
            obj,
            wf,
            actor,
            action,
            StaleState(
                _(
                    "该事项已被他人处理（当前状态：%(state)s），请刷新后重试。"
                )
                % {"state": _state_label(obj, wf.state_field, current or ""), "now": current}
            ),
            state,
        )


def _record_move(obj: models.Model, wf: Workflow, t: T, actor, payload: dict) -> None:
    """The ActionLog entry of a move (on the record whose timeline it belongs to) and, after the commit,
    the notifications of the people and units that must act next — never the actor, who knows already."""
    from ecoinspect.audit.services import action_log_append
    from ecoinspect.notifications.services import notification_queue

    subject = wf.subject(obj) if wf.subject else obj
    if subject is not obj:
        payload = {wf.object_arg: obj.pk, **payload}
    action_log_append(action=f"{wf.namespace}.{t.log_event}", actor=actor, obj=subject, payload=payload)
    if wf.notify is None:
        return
    recipients = list(wf.notify(obj, t, actor))
    if recipients:
        with district_language():
            title = f"{t.label or t.action}：{subject}"
        notification_queue(
            recipients=recipients,
            title=title,
            obj=subject,
            event=f"{wf.namespace}.{t.log_event}",
            exclude=[actor],
        )
