"""The database half of a backup: a consistent copy with its row counts, and putting it back.

SQLite is copied with the online backup API (a consistent snapshot while the site keeps running) and
counted from the copy itself. PostgreSQL is dumped by ``pg_dump -Fc`` inside an exported snapshot in which
the rows are counted too, so the counts are exactly those of the dump; it is restored by ``pg_restore
--clean --if-exists --single-transaction``: all or nothing. Neither path fires the action log's triggers
(a page copy; tables dropped and created anew), so restoring needs no way past them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from .errors import BackupError

FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
#: libpq's environment for the OPTIONS a DATABASE_URL may carry
_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


def vendor() -> str:
    if connection.vendor not in FILES:
        raise BackupError(
            _("不支持备份 %(vendor)s 数据库，只支持 SQLite 和 PostgreSQL。") % {"vendor": connection.vendor}
        )
    return connection.vendor


def tables() -> list[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_table_list(cursor)
    return sorted(t.name for t in found if t.type == "t" and not t.name.startswith("sqlite_"))


def count_rows(cursor, names) -> dict[str, int]:
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


def current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return count_rows(cursor, tables())


def held_rows() -> tuple[int, int]:
    """(action log entries, people) of the configured database — (0, 0) when it is empty or not migrated."""
    names = set(tables())
    with connection.cursor() as cursor:
        counted = count_rows(cursor, [t for t in ("audit_actionlog", "orgs_user") if t in names])
    return counted.get("audit_actionlog", 0), counted.get("orgs_user", 0)


# --- SQLite ---------------------------------------------------------------------------------------------


def _read_only(path: Path) -> sqlite3.Connection:
    """The copy, opened so that reading it writes nothing next to it (no -wal, no -shm)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def _sqlite_dump(target: Path) -> dict[str, int]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        copy.close()
    source = _read_only(target)
    try:
        names = [r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            name: source.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            for name in sorted(names)
            if not name.startswith("sqlite_")
        }
    finally:
        source.close()


def _sqlite_restore(source_path: Path) -> None:
    connection.ensure_connection()
    source = _read_only(source_path)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(_("恢复 SQLite 数据库失败：%(error)s") % {"error": error}) from error
    finally:
        source.close()
    connection.close()  # the next query opens the restored database afresh


# --- PostgreSQL -----------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _("找不到 %(tool)s：请在这台服务器上安装 PostgreSQL 客户端（与数据库同一主版本）。")
            % {"tool": name}
        )
    return found


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    for option, variable in _PG_OPTIONS.items():
        if db.get("OPTIONS", {}).get(option):
            env[variable] = str(db["OPTIONS"][option])
    return env


def _run(command: list[str], *, dumping: bool) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        values = {"tool": Path(command[0]).name, "code": result.returncode, "error": result.stderr.strip()}
        if dumping:
            raise BackupError(_("导出数据库失败（%(tool)s 退出码 %(code)s）：%(error)s") % values)
        raise BackupError(_("恢复数据库失败（%(tool)s 退出码 %(code)s），数据库保持原样：%(error)s") % values)


def _pg_dump(target: Path) -> dict[str, int]:
    pg_dump = _pg_tool("pg_dump")
    names = tables()
    snapshot_connection = connection.copy()
    try:
        with snapshot_connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = count_rows(cursor, names)
            dbname = connection.settings_dict["NAME"]
            command = [
                pg_dump,
                "-Fc",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                "-f",
                str(target),
            ]
            _run([*command, f"--dbname={dbname}"], dumping=True)
            cursor.execute("COMMIT")
    except DatabaseError as error:
        raise BackupError(_("读取数据库失败：%(error)s") % {"error": error}) from error
    finally:
        snapshot_connection.close()
    return counts


def _pg_restore(source_path: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    dbname = connection.settings_dict["NAME"]
    connection.close()  # hold no lock on the tables about to be dropped
    command = [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    _run([*command, "--exit-on-error", f"--dbname={dbname}", str(source_path)], dumping=False)


def dump(directory: Path) -> tuple[str, dict[str, int]]:
    """Write the database into ``directory``: (the file's name, rows per table as copied)."""
    name = FILES[vendor()]
    counts = _sqlite_dump(directory / name) if connection.vendor == "sqlite" else _pg_dump(directory / name)
    return name, counts


def restore(path: Path) -> None:
    if connection.in_atomic_block:
        raise BackupError(_("不能在事务中恢复数据库。"))
    if vendor() == "sqlite":
        _sqlite_restore(path)
    else:
        _pg_restore(path)
