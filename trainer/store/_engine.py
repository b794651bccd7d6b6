"""From a database URL to a SQLAlchemy engine set up for the store.

SQLite gets WAL mode, enforced foreign keys, a wait when another process writes, and
``BEGIN IMMEDIATE`` for writes; PostgreSQL gets connections checked before use. JSON is
written as UTF-8 text, not ASCII escapes.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from trainer.errors import UsageError
from trainer.store.records import StoreError


def create(url: str) -> Engine:
    """An engine for ``url`` (already resolved by :func:`~trainer.store.resolve_url`)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        shown = re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)  # never show a password
        raise UsageError(f"{shown!r} is not a database URL or path; give a file path, or a URL "
                         "like postgresql://user:password@host/dbname") from None
    options: dict[str, Any] = {"json_serializer": _dumps}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                os.makedirs(os.path.dirname(os.path.abspath(database)), exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create the folder for the results database "
                                 f"{database}: {error.strerror}; pick another place with --db "
                                 "or NEXTSTEP_DB") from None
    else:
        options["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **options)
    except ImportError as error:
        extra = " (pip install 'nextstep-trainer[postgres]')" \
            if parsed.get_backend_name() == "postgresql" else ""
        raise StoreError(f"the database driver for {parsed.drivername} is not installed: "
                         f"{error}; install it{extra}") from None
    except (ArgumentError, SQLAlchemyError) as error:
        raise UsageError(f"cannot use the database URL {parsed.render_as_string()}: "
                         f"{error}") from None
    if parsed.get_backend_name() == "sqlite":
        _sqlite_setup(engine)
    return engine


def _sqlite_setup(engine: Engine) -> None:
    """WAL journal, enforced foreign keys, a wait when another process writes, and ``BEGIN
    IMMEDIATE`` for writes so two writers queue instead of failing half-way."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the store says BEGIN itself, below
        cursor = dbapi_connection.cursor()
        # The wait comes first: switching a new database to WAL takes a lock that another
        # process opening it at the same moment may hold.
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL survives a crash or kill of the process (what matters mid-run);
        # only a power cut can lose the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("nextstep_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def jsonable(value: Any) -> Any:
    """``value`` as JSON would carry it (dates become ISO text), so every backend stores it."""
    return json.loads(json.dumps(value, default=_json_default))


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)
