from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .models import WorkdayOverride


@receiver([post_save, post_delete], sender=WorkdayOverride)
def _overrides_changed(**kwargs) -> None:
    calendar.invalidate_cache()
