"""Results that last: every practice, play, session run and grade, in one database.

::

    from trainer.store import Store

    with Store.open() as store:            # nextstep.db in the user's data folder
        run_id = store.start_run(trainee="Dana", kind="practice", scenario_id="polite-staller")
        store.add_turn(run_id, turn)       # committed at once: a crash keeps what was said
        store.finish_run(run_id, scorecard)
        print(store.history("Dana").trend("secure_date").direction)

SQLite is the default (WAL mode, a file in the user's data folder); a PostgreSQL URL serves a
team sharing one leaderboard. ``docs/results.md`` describes the schema and the API.

Names load on first use: importing this package does not import the database library, so the
command line stays quick to start.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the lazy names below resolve to, for type checkers
    from trainer.store._db import Store
    from trainer.store._urls import content_hash, default_db_url, resolve_url, scenario_hash
    from trainer.store.records import (
        KINDS,
        VERDICTS,
        Comment,
        History,
        Override,
        Result,
        RunSummary,
        SessionInfo,
        Standing,
        StoredRun,
        StoreError,
        Trend,
        parse_since,
    )

__all__ = [
    "KINDS",
    "VERDICTS",
    "Comment",
    "History",
    "Override",
    "Result",
    "RunSummary",
    "SessionInfo",
    "Standing",
    "Store",
    "StoreError",
    "StoredRun",
    "Trend",
    "content_hash",
    "default_db_url",
    "parse_since",
    "resolve_url",
    "scenario_hash",
]

_RECORDS = ("KINDS", "VERDICTS", "Comment", "History", "Override", "Result", "RunSummary",
            "SessionInfo", "Standing", "StoreError", "StoredRun", "Trend", "parse_since")
_WHERE: dict[str, str] = {
    **{name: "trainer.store.records" for name in _RECORDS},
    "Store": "trainer.store._db",
    "content_hash": "trainer.store._urls",
    "default_db_url": "trainer.store._urls",
    "resolve_url": "trainer.store._urls",
    "scenario_hash": "trainer.store._urls",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'trainer.store' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
