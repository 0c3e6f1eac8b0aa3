from django.core.management import call_command
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from . import calendar
from .models import WorkdayOverride


@receiver([post_save, post_delete], sender=WorkdayOverride)
def _overrides_changed(**kwargs) -> None:
    calendar.invalidate_cache()


@receiver(post_migrate)
def _shared_cache_table(sender, using="default", **kwargs) -> None:
    """A database cache needs its table: ``migrate`` makes it (idempotent), so no server forgets to."""
    if sender.label == "common":
        call_command("createcachetable", database=using, verbosity=0)
