"""Django's ``flush``, with the action log's guard lifted for it: how transactional tests empty the database.

pytest-django's transactional tests (and the browser tests' live server) end with ``flush``, which TRUNCATEs
(PostgreSQL) or DELETEs FROM (SQLite) every table; the action log's triggers refuse both outside maintenance
(``ecoinspect.audit.guard``). Only the test settings install this app, so the product's ``flush`` stays refused.
"""

from __future__ import annotations

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from ecoinspect.audit.guard import maintenance


class Command(DjangoFlush):
    def handle(self, **options):
        with maintenance(connections[options["database"]]):
            return super().handle(**options)
