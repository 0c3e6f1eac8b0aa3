"""Django's makemessages, also collecting strings marked with ``_lazy`` (our name for ``gettext_lazy``
where ``_`` is already the immediate ``gettext`` in the same module)."""

from django.core.management.commands.makemessages import Command as BaseCommand


class Command(BaseCommand):
    xgettext_options = [*BaseCommand.xgettext_options, "--keyword=_lazy"]
