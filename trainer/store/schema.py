"""The database schema: the tables as queries see them, and the migrations that build them.

A database is always built by running the migrations in order, from an empty one too, so a
new database and an upgraded one are the same by construction. ``nextstep_schema`` records
each migration applied. Migrations only ever add (tables, nullable columns, indexes) and are
written with SQLAlchemy constructs, so one migration serves SQLite and PostgreSQL alike.

Times are stored as UTC without a zone (SQLite has no zone type); the store adds it back.

Version history:

1. runs, turns, events, results (one row per criterion), overrides, comments.
2. trainer-led sessions: ``sessions`` and ``runs.session_id``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    inspect,
    select,
)
from sqlalchemy.schema import CreateColumn

from trainer.store.records import StoreError

metadata = MetaData()

# -- the latest schema, as the store's queries use it ------------------------------------------

schema_table = Table(
    "nextstep_schema", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime, nullable=False),
)

sessions = Table(
    "sessions", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("roster", JSON, nullable=False),
    Column("scenarios", JSON, nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Column("meta", JSON, nullable=False),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("trainee", Text, nullable=False),
    Column("trainee_key", Text, nullable=False),
    Column("scenario_id", Text),
    Column("scenario_hash", Text),
    Column("source", Text),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("score", Integer),
    Column("outcome", Text),
    Column("scorecard", JSON),
    Column("transcript_meta", JSON, nullable=False),
    Column("meta", JSON, nullable=False),
    Column("session_id", Integer, ForeignKey("sessions.id")),
)

turns = Table(
    "turns", metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("speaker", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("moves", JSON, nullable=False),
    Column("time", Float),
    Column("line", Integer),
    Column("at", DateTime, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("turn", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("detail", JSON, nullable=False),
    Column("at", DateTime, nullable=False),
)

results = Table(
    "results", metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("criterion", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("score", Float),
    Column("weight", Float, nullable=False),
)

overrides = Table(
    "overrides", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("criterion", String(64), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("by", Text),
    Column("at", DateTime, nullable=False),
)

comments = Table(
    "comments", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("by", Text),
    Column("at", DateTime, nullable=False),
)


# -- migrations ----------------------------------------------------------------------------------
# Each builds its own Table objects as they were at that version: never import the tables
# above into a migration, or an old migration would silently change when the schema grows.


def _v1(conn: Connection) -> None:
    md = MetaData()
    Table("runs", md,
          Column("id", Integer, primary_key=True),
          Column("kind", String(16), nullable=False),
          Column("trainee", Text, nullable=False),
          Column("trainee_key", Text, nullable=False),
          Column("scenario_id", Text),
          Column("scenario_hash", Text),
          Column("source", Text),
          Column("started_at", DateTime, nullable=False),
          Column("finished_at", DateTime),
          Column("score", Integer),
          Column("outcome", Text),
          Column("scorecard", JSON),
          Column("transcript_meta", JSON, nullable=False),
          Column("meta", JSON, nullable=False),
          Index("ix_runs_trainee", "trainee_key", "started_at"),
          Index("ix_runs_scenario", "scenario_id"),
          Index("ix_runs_started", "started_at"))
    Table("turns", md,
          Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
          Column("idx", Integer, primary_key=True, autoincrement=False),
          Column("speaker", Text, nullable=False),
          Column("role", String(16), nullable=False),
          Column("text", Text, nullable=False),
          Column("moves", JSON, nullable=False),
          Column("time", Float),
          Column("line", Integer),
          Column("at", DateTime, nullable=False))
    Table("events", md,
          Column("id", Integer, primary_key=True),
          Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False,
                 index=True),
          Column("turn", Integer, nullable=False),
          Column("kind", Text, nullable=False),
          Column("detail", JSON, nullable=False),
          Column("at", DateTime, nullable=False))
    Table("results", md,
          Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
          Column("criterion", String(64), primary_key=True),
          Column("position", Integer, nullable=False),
          Column("title", Text, nullable=False),
          Column("verdict", String(16), nullable=False),
          Column("score", Float),
          Column("weight", Float, nullable=False))
    Table("overrides", md,
          Column("id", Integer, primary_key=True),
          Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False,
                 index=True),
          Column("criterion", String(64), nullable=False),
          Column("verdict", String(16), nullable=False),
          Column("reason", Text, nullable=False),
          Column("by", Text),
          Column("at", DateTime, nullable=False))
    Table("comments", md,
          Column("id", Integer, primary_key=True),
          Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False,
                 index=True),
          Column("text", Text, nullable=False),
          Column("by", Text),
          Column("at", DateTime, nullable=False))
    md.create_all(conn)


def _v2(conn: Connection) -> None:
    md = MetaData()
    Table("sessions", md,
          Column("id", Integer, primary_key=True),
          Column("name", Text, nullable=False),
          Column("roster", JSON, nullable=False),
          Column("scenarios", JSON, nullable=False),
          Column("started_at", DateTime, nullable=False),
          Column("ended_at", DateTime),
          Column("meta", JSON, nullable=False))
    md.create_all(conn)
    runs_v1 = Table("runs", md, Column("id", Integer, primary_key=True))
    _add_column(conn, runs_v1, Column("session_id", Integer, ForeignKey("sessions.id")))
    Index("ix_runs_session", runs_v1.c.session_id).create(conn)


#: Migration ``n`` (from 1) is ``MIGRATIONS[n - 1]``. Append only; never edit a released one.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1, _v2)
LATEST = len(MIGRATIONS)


def _add_column(conn: Connection, table: Table, column: Column[object]) -> None:
    """``ALTER TABLE ... ADD COLUMN`` with the column spelt by the connection's dialect."""
    table.append_column(column)
    preparer = conn.dialect.identifier_preparer
    spec = CreateColumn(column).compile(dialect=conn.dialect)
    ref = ""
    for fk in column.foreign_keys:  # CreateColumn leaves constraints out; SQLite and PostgreSQL
        target = fk.target_fullname.split(".")  # both accept an inline REFERENCES here
        ref = f" REFERENCES {preparer.quote(target[0])} ({preparer.quote(target[1])})"
    conn.exec_driver_sql(f"ALTER TABLE {preparer.format_table(table)} ADD COLUMN {spec}{ref}")


def current_version(conn: Connection) -> int:
    """The schema version of the database ``conn`` is on; 0 when it has no NextStep tables."""
    if not inspect(conn).has_table(schema_table.name):
        return 0
    return int(conn.execute(select(func.max(schema_table.c.version))).scalar() or 0)


def migrate(conn: Connection, target: int = LATEST) -> int:
    """Bring the database up to ``target`` inside the caller's transaction; returns the version.

    Raises :class:`StoreError` when the database is newer than this NextStep knows.
    """
    version = current_version(conn)
    if version > LATEST:
        raise StoreError(f"the results database has schema version {version}, but this NextStep "
                         f"knows versions up to {LATEST}; upgrade NextStep to use it")
    if version == 0:
        schema_table.create(conn, checkfirst=True)
    for number in range(version + 1, target + 1):
        MIGRATIONS[number - 1](conn)
        conn.execute(schema_table.insert().values(
            version=number, applied_at=datetime.now(UTC).replace(tzinfo=None)))
    return max(version, target)
