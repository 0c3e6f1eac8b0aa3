"""A database of a test's own for the console script in a subprocess: SQLite under tmp_path/var, or a fresh
PostgreSQL database beside the test database (dropped afterwards) when the run is on PostgreSQL."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

#: how an insider who owns the database lifts the action log's guard for one connection (audit.guard)
BYPASS = {
    "postgresql": "SET ecoinspect.audit_maintenance = 'on'",
    "sqlite": "CREATE TEMP TABLE ecoinspect_audit_maintenance (flag integer)",
}


@contextmanager
def scratch_database(tmp_path):
    """(env for the subprocess, a function running raw SQL on that database)."""
    if connection.vendor != "postgresql":
        path = tmp_path / "var" / "ecoinspect.sqlite3"

        def run_sql(*statements):
            with sqlite3.connect(path) as db:
                for statement in statements:
                    db.execute(statement)

        yield {}, run_sql
        return

    import psycopg

    db = settings.DATABASES["default"]
    params = {
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    name = f"ecoinspect_cli_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:

        def run_sql(*statements):
            with psycopg.connect(dbname=name, autocommit=True, **params) as conn:
                for statement in statements:
                    conn.execute(statement)

        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        url = f"postgres://{db['USER']}{password}@{db['HOST']}:{params['port']}/{name}"
        yield {"DATABASE_URL": url}, run_sql
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
