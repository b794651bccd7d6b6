"""Rows to records and back: times in UTC, moves and details as JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from trainer.store._engine import jsonable
from trainer.store.records import Override, SessionInfo
from trainer.transcript import Event, Turn


def now() -> datetime:
    return datetime.now(UTC)


def db_time(when: datetime | None) -> datetime | None:
    """UTC without a zone, as stored; a naive ``when`` is taken as local time."""
    if when is None:
        return None
    return when.astimezone(UTC).replace(tzinfo=None)


def utc(stored: datetime) -> datetime:
    return stored.replace(tzinfo=UTC)


def utc_or_none(stored: datetime | None) -> datetime | None:
    return None if stored is None else stored.replace(tzinfo=UTC)


def new_id(result: Any) -> int:
    """The primary key of the row an INSERT just added."""
    return int(result.inserted_primary_key[0])


def str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def turn_row(run_id: int, index: int, turn: Turn) -> dict[str, Any]:
    return {"run_id": run_id, "idx": index, "speaker": turn.speaker, "role": turn.role,
            "text": turn.text, "moves": [m.to_dict() for m in turn.moves], "time": turn.time,
            "line": turn.line, "at": db_time(now())}


def event_row(run_id: int, event: Event) -> dict[str, Any]:
    return {"run_id": run_id, "turn": event.turn, "kind": event.kind,
            "detail": jsonable(event.detail or {}), "at": db_time(now())}


def turn(row: Any) -> Turn:
    from trainer.moves import Move

    moves = tuple(Move(m["move"], m["span"][0], m["span"][1], m["text"], m["confidence"])
                  for m in row.moves or [])
    return Turn(row.speaker, row.role, row.text, moves, row.time, row.line)


def override(row: Any) -> Override:
    return Override(row.id, row.run_id, row.criterion, row.verdict, row.reason, row.by,
                    utc(row.at))


def session(row: Any) -> SessionInfo:
    return SessionInfo(row.id, row.name, tuple(row.roster or ()), tuple(row.scenarios or ()),
                       utc(row.started_at), utc_or_none(row.ended_at), dict(row.meta or {}))
