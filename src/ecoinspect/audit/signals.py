"""ChangeLog writers (and the ActionLog entries of export jobs, which common announces): before/after snapshots of every ChangeLoggedModel, including many-to-many changes.

Bulk ``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` bypass signals; services that write in
bulk for speed go through :mod:`ecoinspect.core.bulk`, which records the same rows.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from ecoinspect.common.export_jobs import export_job_action

from .changes import changelog_write, snapshot
from .models import ChangeLog, ChangeLoggedModel
from .services import action_log_append


def _tracked(sender) -> bool:
    return isinstance(sender, type) and issubclass(sender, ChangeLoggedModel)


@receiver(pre_save)
def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or not _tracked(sender) or instance._state.adding or instance.pk is None:
        instance._changelog_before = None
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._changelog_before = snapshot(previous) if previous is not None else None


@receiver(post_save)
def _record_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _tracked(sender):
        return
    before = None if created else getattr(instance, "_changelog_before", None)
    after = snapshot(instance)
    if before is not None and before == after:
        return  # nothing changed: no row
    operation = ChangeLog.Operation.CREATE if created else ChangeLog.Operation.UPDATE
    changelog_write(instance, operation, before, after)


@receiver(post_delete)
def _record_delete(sender, instance, **kwargs):
    if _tracked(sender):
        changelog_write(instance, ChangeLog.Operation.DELETE, snapshot(instance), None)


@receiver(m2m_changed)
def _record_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if (
        reverse
        or not _tracked(type(instance))
        or action not in {"pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"}
    ):
        return
    field_name = next(
        (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None
    )
    if field_name is None:
        return
    if action.startswith("pre_"):
        instance.__dict__.setdefault("_changelog_m2m_before", {})[field_name] = sorted(
            getattr(instance, field_name).values_list("pk", flat=True)
        )
        return
    before_ids = instance.__dict__.get("_changelog_m2m_before", {}).pop(field_name, [])
    after_ids = sorted(getattr(instance, field_name).values_list("pk", flat=True))
    if before_ids != after_ids:
        changelog_write(
            instance, ChangeLog.Operation.UPDATE, {field_name: before_ids}, {field_name: after_ids}
        )


@receiver(export_job_action)
def _record_export(sender, verb: str, job, actor=None, **kwargs):
    """ActionLog for every export job action (common sits below audit and announces them)."""
    payload = {"export_title": job.title, "format": job.kind, "rows": job.total_rows, "owner": str(job.owner)}
    if verb == "created":
        payload["filters"] = job.query
    if job.error:
        payload["reason"] = job.error
    action_log_append(action=f"common.export.{verb}", actor=actor, obj=job, payload=payload)
