"""The store: runs, turns, grades, overrides and sessions in SQLite or PostgreSQL.

Every write is its own transaction and is committed before the call returns, so a run that
crashes keeps every turn written so far. Queries use SQLAlchemy Core with bound parameters
only: no user text ever becomes part of an SQL statement.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, and_, func, select, update
from sqlalchemy.exc import DBAPIError

from trainer.errors import UsageError
from trainer.store import _rows as conv
from trainer.store import schema as s
from trainer.store._engine import create, jsonable
from trainer.store._urls import resolve_url
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
    history_of,
    standings,
    trainee_key,
    verdict_of,
)
from trainer.transcript import Event, Transcript, Turn

if TYPE_CHECKING:
    from trainer.rubric import Scorecard


# How often opening a database retries while another process holds it mid-migration.
_OPEN_ATTEMPTS = 8
P = ParamSpec("P")
T = TypeVar("T")
_CHUNK = 500  # ids per IN (...) list: well under every backend's limit on bound parameters


def _guard(method: Callable[P, T]) -> Callable[P, T]:
    """Turn database failures into a StoreError that says which database and what failed."""

    @wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return method(*args, **kwargs)
        except DBAPIError as error:
            store: Any = args[0]
            reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or ["?"])[0]
            raise StoreError(f"the results database {store} failed: {reason}; check that it "
                             "is reachable and writable, or pick another with --db or "
                             "NEXTSTEP_DB") from None
    return wrapper


class Store:
    """The results database. Open it with :meth:`Store.open`; close it (or use ``with``)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | os.PathLike[str] | None = None, *, migrate: bool = True,
             existing: bool = False) -> Store:
        """Open (creating and upgrading as needed) the database at ``url``: a URL such as
        ``postgresql://user@host/db``, a file path for SQLite, or ``None`` for
        :func:`~trainer.store.default_db_url`. With ``existing``, a SQLite file that is not
        there is an error instead of a new empty database (for commands that only read: a
        mistyped ``--db`` must not look like "no runs yet")."""
        resolved = resolve_url(url)
        if existing:
            _must_exist(resolved)
        store = cls(create(resolved))
        if migrate:
            try:
                store.upgrade()
            except BaseException:
                store.close()
                raise
        return store

    def __str__(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"Store({str(self)!r})"

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for tools that need to go beyond this API."""
        return self._engine

    @_guard
    def upgrade(self, target: int = s.LATEST) -> int:
        """Run the migrations the database lacks, up to ``target``; returns its version."""
        for attempt in range(_OPEN_ATTEMPTS):
            try:
                with self._write() as conn:
                    return s.migrate(conn, target)
            except DBAPIError as error:
                # Another process was migrating (or switching a new SQLite file to WAL) at the
                # same moment: its work counts if it finished, else wait a little and retry.
                try:
                    version = self.schema_version()
                except DBAPIError:
                    version = -1
                if version >= target:
                    return version
                if "locked" not in str(error).lower() or attempt == _OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")  # pragma: no cover

    @_guard
    def schema_version(self) -> int:
        with self._read() as conn:
            return s.current_version(conn)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(nextstep_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn, conn.begin():
            yield conn

    # -- writing runs ----------------------------------------------------------------------

    @_guard
    def start_run(self, *, trainee: str, kind: str, scenario_id: str | None = None,
                  scenario_hash: str | None = None, source: str | None = None,
                  session_id: int | None = None, meta: Mapping[str, Any] | None = None,
                  started_at: datetime | None = None) -> int:
        """Record the start of a run and return its id. Until :meth:`finish_run` it shows as
        ``interrupted``."""
        with self._write() as conn:
            return self._insert_run(conn, trainee=trainee, kind=kind, scenario_id=scenario_id,
                                    scenario_hash=scenario_hash, source=source,
                                    session_id=session_id, meta=meta, started_at=started_at)

    def _insert_run(self, conn: Connection, *, trainee: str, kind: str,
                    scenario_id: str | None, scenario_hash: str | None, source: str | None,
                    session_id: int | None, meta: Mapping[str, Any] | None,
                    started_at: datetime | None, graded: Scorecard | None = None) -> int:
        if kind not in KINDS:
            raise UsageError(f"a run's kind is one of {', '.join(KINDS)}, not {kind!r}")
        if not trainee or not trainee.strip():
            raise UsageError("a run needs the trainee's name; give it with --name")
        if session_id is not None:
            self._session_row(conn, session_id)
        key = trainee_key(trainee)
        # A trainee keeps the spelling first stored ("Ana", not "ANA" on a later run), so
        # every list and JSON output shows one name per person.
        known = conn.execute(select(s.runs.c.trainee).where(s.runs.c.trainee_key == key)
                             .order_by(s.runs.c.id).limit(1)).scalar()
        values = dict(
            kind=kind, trainee=known or " ".join(trainee.split()), trainee_key=key,
            scenario_id=scenario_id, scenario_hash=scenario_hash, source=source,
            session_id=session_id, started_at=conv.db_time(started_at or conv.now()),
            transcript_meta={}, meta=jsonable(meta or {}))
        if graded is not None:
            values.update(_finished(graded, None))
        result = conn.execute(s.runs.insert().values(values))
        return conv.new_id(result)

    @_guard
    def add_turn(self, run_id: int, turn: Turn, index: int | None = None) -> int:
        """Store one turn of a run now (committed on return); ``index`` defaults to the next.
        Returns the turn's index (from 0)."""
        with self._write() as conn:
            self._run_row(conn, run_id)
            if index is None:
                last = conn.execute(select(func.max(s.turns.c.idx))
                                    .where(s.turns.c.run_id == run_id)).scalar()
                index = 0 if last is None else int(last) + 1
            elif conn.execute(select(s.turns.c.idx).where(
                    and_(s.turns.c.run_id == run_id, s.turns.c.idx == index))).first():
                raise StoreError(f"turn {index + 1} of run {run_id} is already stored; "
                                 "leave out the index to append the next turn")
            conn.execute(s.turns.insert(), [conv.turn_row(run_id, index, turn)])
        return index

    @_guard
    def take_back(self, run_id: int, from_turn: int) -> None:
        """Forget the turns of a run from index ``from_turn`` on, and the events of those
        turns (an /undo in a run that is still going)."""
        with self._write() as conn:
            self._run_row(conn, run_id)
            conn.execute(s.turns.delete().where(and_(s.turns.c.run_id == run_id,
                                                     s.turns.c.idx >= from_turn)))
            conn.execute(s.events.delete().where(and_(s.events.c.run_id == run_id,
                                                      s.events.c.turn >= from_turn)))

    @_guard
    def add_event(self, run_id: int, event: Event) -> None:
        """Store one engine event of a run now (committed on return)."""
        with self._write() as conn:
            self._run_row(conn, run_id)
            conn.execute(s.events.insert(), [conv.event_row(run_id, event)])

    @_guard
    def finish_run(self, run_id: int, scorecard: Scorecard, *,
                   finished_at: datetime | None = None) -> None:
        """Record a run's grade. Turns and events of ``scorecard.transcript`` not yet stored are
        added and stored turns get their graded moves. Finishing again replaces the machine's
        grade; the trainer's overrides and comments stay."""
        with self._write() as conn:
            self._run_row(conn, run_id)
            self._write_grade(conn, run_id, scorecard, finished_at)

    def _write_grade(self, conn: Connection, run_id: int, scorecard: Scorecard,
                     finished_at: datetime | None) -> None:
        transcript = scorecard.transcript
        # Turns taken back (/undo) were stored as they were said; the final grade drops them.
        conn.execute(s.turns.delete().where(and_(s.turns.c.run_id == run_id,
                                                 s.turns.c.idx >= len(transcript.turns))))
        stored = set(conn.execute(select(s.turns.c.idx).where(s.turns.c.run_id == run_id))
                     .scalars())
        new = [conv.turn_row(run_id, i, t) for i, t in enumerate(transcript.turns)
               if i not in stored]
        if new:
            conn.execute(s.turns.insert(), new)
        for i, t in enumerate(transcript.turns):
            if i in stored:
                conn.execute(update(s.turns)
                             .where(and_(s.turns.c.run_id == run_id, s.turns.c.idx == i))
                             .values(speaker=t.speaker, role=t.role, text=t.text,
                                     moves=[m.to_dict() for m in t.moves], time=t.time,
                                     line=t.line))
        have = [(r.turn, r.kind) for r in conn.execute(
            select(s.events.c.turn, s.events.c.kind).where(s.events.c.run_id == run_id)
            .order_by(s.events.c.id))]
        final = [(e.turn, e.kind) for e in transcript.events]
        if final[:len(have)] != have:  # the stored events are not the start of the final ones
            conn.execute(s.events.delete().where(s.events.c.run_id == run_id))
            have = []
        if transcript.events[len(have):]:
            conn.execute(s.events.insert(),
                         [conv.event_row(run_id, e) for e in transcript.events[len(have):]])
        conn.execute(s.results.delete().where(s.results.c.run_id == run_id))
        conn.execute(s.results.insert(), _result_rows(run_id, scorecard))
        conn.execute(update(s.runs).where(s.runs.c.id == run_id)
                     .values(_finished(scorecard, finished_at)))

    def _write_new_grades(self, conn: Connection, graded: Sequence[tuple[int, Scorecard]]
                          ) -> None:
        """The turns, events and results :meth:`_write_grade` writes, for runs inserted with
        their grade (``_insert_run(graded=...)``): one statement per table for all of them."""
        turns = [conv.turn_row(run_id, i, t) for run_id, card in graded
                 for i, t in enumerate(card.transcript.turns)]
        events = [conv.event_row(run_id, e) for run_id, card in graded
                  for e in card.transcript.events]
        for table, rows in ((s.turns, turns), (s.events, events),
                            (s.results, [r for run_id, card in graded
                                         for r in _result_rows(run_id, card)])):
            if rows:
                conn.execute(table.insert(), rows)

    @_guard
    def record_graded(self, trainee: str, scorecard: Scorecard, *, kind: str = "grade",
                      source: str | None = None, scenario_id: str | None = None,
                      scenario_hash: str | None = None, session_id: int | None = None,
                      meta: Mapping[str, Any] | None = None,
                      started_at: datetime | None = None) -> int:
        """Store a whole graded conversation in one transaction (``nextstep grade``); the
        transcript is ``scorecard.transcript``. Returns the run's id."""
        source = _source(scorecard, source)
        with self._write() as conn:
            run_id = self._insert_run(conn, trainee=trainee, kind=kind, scenario_id=scenario_id,
                                      scenario_hash=scenario_hash, source=source,
                                      session_id=session_id, meta=meta, started_at=started_at,
                                      graded=scorecard)
            self._write_new_grades(conn, [(run_id, scorecard)])
        return run_id

    @_guard
    def record_graded_many(self, graded: Iterable[tuple[str, Scorecard, str | None]], *,
                           kind: str = "grade", skip_repeats: bool = False) -> list[int]:
        """Store several graded conversations, each given as (trainee, scorecard, source), in
        one transaction: what :meth:`record_graded` stores for each, in a fraction of the time
        (a batch of ``nextstep grade``). Returns the runs' ids, in order.

        With ``skip_repeats``, a conversation already stored for the same trainee from the same
        source with the very same grade is not stored again (grading a file twice must not
        count twice in trends); its existing run's id is returned."""
        graded = list(graded)
        with self._write() as conn:
            ids: list[int] = []
            new: list[tuple[int, Scorecard]] = []
            for trainee, card, source in graded:
                source = _source(card, source)
                digest = _digest(card)
                same = (self._stored_run(conn, trainee, card.transcript)
                        or self._stored_grade(conn, trainee, kind, source, digest)) \
                    if skip_repeats else None
                if same is not None:
                    ids.append(same)
                    continue
                ids.append(self._insert_run(conn, trainee=trainee, kind=kind, scenario_id=None,
                                            scenario_hash=None, session_id=None,
                                            meta={"digest": digest}, started_at=None,
                                            graded=card, source=source))
                new.append((ids[-1], card))
            self._write_new_grades(conn, new)
        return ids

    def _stored_run(self, conn: Connection, trainee: str, transcript: Transcript) -> int | None:
        """The run a practice, play, session or live transcript file was kept as, if it is
        here and the file still holds what was said (an edited copy is a conversation of its
        own)."""
        uid = transcript.meta.get("run_uid")
        if not isinstance(uid, str):
            return None
        rows = conn.execute(select(s.runs.c.id, s.runs.c.meta).where(
            s.runs.c.trainee_key == trainee_key(trainee)))
        run_id = next((int(r.id) for r in rows if (r.meta or {}).get("uid") == uid), None)
        if run_id is None:
            return None
        said = list(conn.execute(select(s.turns.c.text).where(s.turns.c.run_id == run_id)
                                 .order_by(s.turns.c.idx)).scalars())
        return run_id if said == [t.text for t in transcript.turns] else None

    def _stored_grade(self, conn: Connection, trainee: str, kind: str, source: str | None,
                      digest: str) -> int | None:
        """The run that holds this very grade of this conversation already, if any."""
        rows = conn.execute(select(s.runs.c.id, s.runs.c.meta).where(and_(
            s.runs.c.trainee_key == trainee_key(trainee), s.runs.c.kind == kind,
            s.runs.c.source == source if source is not None else s.runs.c.source.is_(None))))
        return next((int(r.id) for r in rows if (r.meta or {}).get("digest") == digest), None)

    # -- trainer's verdicts ----------------------------------------------------------------

    @_guard
    def override(self, run_id: int, criterion: str, verdict: str, reason: str, *,
                 by: str | None = None) -> Override:
        """Overrule the machine's verdict on one criterion, with a reason. The machine's verdict
        is kept; the latest override is the effective verdict."""
        verdict = verdict_of(verdict)  # "FAIL", "N/A", "na" as typed
        if verdict not in VERDICTS:
            raise UsageError(f"a verdict is one of {', '.join(VERDICTS)}, not {verdict!r}")
        if not reason or not reason.strip():
            raise UsageError("an override needs a reason, so the trainee learns why")
        with self._write() as conn:
            row = self._run_row(conn, run_id)
            known = list(conn.execute(select(s.results.c.criterion)
                                      .where(s.results.c.run_id == run_id)
                                      .order_by(s.results.c.position)).scalars())
            if row.finished_at is None:
                raise StoreError(f"run {run_id} was interrupted before it was graded, so it "
                                 "has no verdict to override")
            criterion = next((k for k in known if k.casefold() == criterion.strip().casefold()),
                             criterion)
            if criterion not in known:
                from trainer.scenario_build import did_you_mean

                raise UsageError(f"run {run_id} has no criterion {criterion!r}."
                                 f"{did_you_mean(criterion, known)} Its criteria are "
                                 f"{', '.join(known)}")
            at = conv.now()
            new_id = conv.new_id(conn.execute(s.overrides.insert().values(
                run_id=run_id, criterion=criterion, verdict=verdict, reason=reason.strip(),
                by=by, at=conv.db_time(at))))
        return Override(new_id, run_id, criterion, verdict, reason.strip(), by, at)

    @_guard
    def comment(self, run_id: int, text: str, *, by: str | None = None) -> Comment:
        """Add a trainer's comment to a run."""
        if not text or not text.strip():
            raise UsageError("a comment needs some text")
        with self._write() as conn:
            self._run_row(conn, run_id)
            at = conv.now()
            new_id = conv.new_id(conn.execute(s.comments.insert().values(
                run_id=run_id, text=text.strip(), by=by, at=conv.db_time(at))))
        return Comment(new_id, run_id, text.strip(), by, at)

    # -- reading ---------------------------------------------------------------------------

    @_guard
    def run(self, run_id: int) -> StoredRun:
        """One whole run; raises :class:`StoreError` when there is no such run."""
        with self._read() as conn:
            row = self._run_row(conn, run_id)
            return self._full(conn, [row])[0]

    @_guard
    def runs(self, *, trainee: str | None = None, scenario_id: str | None = None,
             session_id: int | None = None, since: datetime | None = None,
             kind: str | None = None) -> list[RunSummary]:
        """Summaries of the runs that match every filter given, oldest first."""
        with self._read() as conn:
            rows = self._select(conn, trainee, scenario_id, session_id, since, kind)
            return self._summaries(conn, rows)

    @_guard
    def load_runs(self, *, trainee: str | None = None, scenario_id: str | None = None,
                  session_id: int | None = None, since: datetime | None = None,
                  kind: str | None = None) -> list[StoredRun]:
        """Whole runs (transcripts included) that match every filter given, oldest first."""
        with self._read() as conn:
            rows = self._select(conn, trainee, scenario_id, session_id, since, kind)
            return self._full(conn, rows)

    def history(self, trainee: str | None = None, *, window: int = 5) -> History:
        """A trainee's runs in time order (everyone's when ``trainee`` is None) with the trend
        of each criterion: the mean of the latest ``window`` graded runs against the
        ``window`` before."""
        runs = self.runs(trainee=trainee)
        shown = runs[-1].trainee if trainee is not None and runs else trainee  # as stored
        return history_of(shown, runs, window=window)

    def best_score(self, trainee: str, scenario_id: str) -> int | None:
        """The trainee's best effective score on a scenario; ``None`` if never finished."""
        scores = [r.effective_score for r in self.runs(trainee=trainee, scenario_id=scenario_id)]
        return max((x for x in scores if x is not None), default=None)

    @_guard
    def trainees(self) -> list[tuple[str, int]]:
        """Every trainee with their number of runs, by name."""
        with self._read() as conn:
            rows = conn.execute(select(s.runs.c.trainee_key, func.min(s.runs.c.trainee),
                                       func.count()).group_by(s.runs.c.trainee_key)
                                .order_by(s.runs.c.trainee_key)).all()
        return [(name, int(count)) for _, name, count in rows]

    # -- sessions --------------------------------------------------------------------------

    @_guard
    def start_session(self, name: str, roster: Iterable[str] = (),
                      scenarios: Iterable[str] = (), *,
                      meta: Mapping[str, Any] | None = None) -> int:
        """Start a trainer-led session; runs join it with ``start_run(session_id=...)``."""
        if not name or not name.strip():
            raise UsageError("a session needs a name, e.g. the team's or the day's")
        with self._write() as conn:
            result = conn.execute(s.sessions.insert().values(
                name=name.strip(), roster=[" ".join(n.split()) for n in roster if n.strip()],
                scenarios=list(scenarios), started_at=conv.db_time(conv.now()),
                meta=jsonable(meta or {})))
            return conv.new_id(result)

    @_guard
    def end_session(self, session_id: int) -> None:
        with self._write() as conn:
            self._session_row(conn, session_id)
            conn.execute(update(s.sessions).where(s.sessions.c.id == session_id)
                         .values(ended_at=conv.db_time(conv.now())))

    @_guard
    def session(self, session_id: int) -> SessionInfo:
        with self._read() as conn:
            return conv.session(self._session_row(conn, session_id))

    @_guard
    def sessions(self) -> list[SessionInfo]:
        """Every session, oldest first."""
        with self._read() as conn:
            rows = conn.execute(select(s.sessions).order_by(s.sessions.c.id)).all()
        return [conv.session(r) for r in rows]

    def leaderboard(self, session_id: int) -> tuple[Standing, ...]:
        """The session's ranking by best effective score per scenario (see
        :func:`~trainer.store.records.standings`)."""
        return standings(self.session(session_id), self.runs(session_id=session_id))

    # -- row helpers -----------------------------------------------------------------------

    def _run_row(self, conn: Connection, run_id: int) -> Any:
        row = conn.execute(select(s.runs).where(s.runs.c.id == run_id)).first()
        if row is None:
            raise StoreError(f"there is no run {run_id} in the results database {self}; "
                             "`nextstep history` lists the runs")
        return row

    def _session_row(self, conn: Connection, session_id: int) -> Any:
        row = conn.execute(select(s.sessions).where(s.sessions.c.id == session_id)).first()
        if row is None:
            raise StoreError(f"there is no session {session_id} in the results database "
                             f"{self}")
        return row

    def _select(self, conn: Connection, trainee: str | None, scenario_id: str | None,
                session_id: int | None, since: datetime | None, kind: str | None) -> list[Any]:
        query = select(s.runs).order_by(s.runs.c.started_at, s.runs.c.id)
        if trainee is not None:
            query = query.where(s.runs.c.trainee_key == trainee_key(trainee))
        if scenario_id is not None:
            query = query.where(s.runs.c.scenario_id == scenario_id)
        if session_id is not None:
            query = query.where(s.runs.c.session_id == session_id)
        if since is not None:
            query = query.where(s.runs.c.started_at >= conv.db_time(since))
        if kind is not None:
            query = query.where(s.runs.c.kind == kind)
        return list(conn.execute(query).all())

    def _by_run(self, conn: Connection, table: Any, ids: Sequence[int],
                order: Sequence[Any]) -> dict[int, list[Any]]:
        out: dict[int, list[Any]] = {i: [] for i in ids}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            for row in conn.execute(select(table).where(table.c.run_id.in_(chunk))
                                    .order_by(table.c.run_id, *order)):
                out[row.run_id].append(row)
        return out

    def _results(self, conn: Connection, ids: Sequence[int]
                 ) -> tuple[dict[int, tuple[Result, ...]], dict[int, list[Override]]]:
        graded = self._by_run(conn, s.results, ids, [s.results.c.position])
        overrides = {rid: [conv.override(o) for o in rows] for rid, rows in
                     self._by_run(conn, s.overrides, ids, [s.overrides.c.id]).items()}
        results: dict[int, tuple[Result, ...]] = {}
        for rid, rows in graded.items():
            latest = {o.criterion: o for o in overrides[rid]}  # oldest first: the last wins
            results[rid] = tuple(Result(r.criterion, r.title, r.verdict, r.weight,
                                        latest.get(r.criterion)) for r in rows)
        return results, overrides

    def _summaries(self, conn: Connection, rows: list[Any]) -> list[RunSummary]:
        ids = [r.id for r in rows]
        results, _ = self._results(conn, ids)
        counts: dict[int, int] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            for run_id, count in conn.execute(select(s.turns.c.run_id, func.count())
                                              .where(s.turns.c.run_id.in_(chunk))
                                              .group_by(s.turns.c.run_id)):
                counts[run_id] = count
        comments = self._by_run(conn, s.comments, ids, [s.comments.c.id])
        return [RunSummary(r.id, r.kind, r.trainee, conv.utc(r.started_at),
                           conv.utc_or_none(r.finished_at), results[r.id], r.scenario_id,
                           r.scenario_hash, r.source, r.session_id, r.outcome,
                           int(counts.get(r.id, 0)), _comments(comments[r.id]))
                for r in rows]

    def _full(self, conn: Connection, rows: list[Any]) -> list[StoredRun]:
        ids = [r.id for r in rows]
        results, overrides = self._results(conn, ids)
        turns = self._by_run(conn, s.turns, ids, [s.turns.c.idx])
        events = self._by_run(conn, s.events, ids, [s.events.c.id])
        comments = self._by_run(conn, s.comments, ids, [s.comments.c.id])
        out = []
        for r in rows:
            transcript = Transcript(
                turns=tuple(conv.turn(t) for t in turns[r.id]),
                events=tuple(Event(e.turn, e.kind, dict(e.detail or {})) for e in events[r.id]),
                meta=dict(r.transcript_meta or {}))
            out.append(StoredRun(
                r.id, r.kind, r.trainee, conv.utc(r.started_at), conv.utc_or_none(r.finished_at),
                transcript, r.scorecard, results[r.id], tuple(overrides[r.id]),
                _comments(comments[r.id]),
                r.scenario_id, r.scenario_hash, r.source, r.session_id, r.outcome,
                dict(r.meta or {})))
        return out


def _must_exist(url: str) -> None:
    """Refuse a SQLite database file that is not there (a file path or any ``sqlite``
    URL, its query string aside); other databases are the server's to report."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:  # opening reports a malformed URL in its own words
        return
    name = parsed.database
    if not parsed.drivername.startswith("sqlite") or not name or name == ":memory:" \
            or name.startswith("file:"):
        return
    path = Path(name)
    if not path.exists():
        from trainer.errors import UsageError

        raise UsageError(f"there is no results database at {path}: check --db or NEXTSTEP_DB "
                         "(leave both out for the default)")


def _comments(rows: Iterable[Any]) -> tuple[Comment, ...]:
    return tuple(Comment(c.id, c.run_id, c.text, c.by, conv.utc(c.at)) for c in rows)


def _result_rows(run_id: int, scorecard: Scorecard) -> list[dict[str, Any]]:
    return [{"run_id": run_id, "criterion": c.id, "position": i, "title": c.title,
             "verdict": c.verdict, "score": c.score, "weight": c.weight}
            for i, c in enumerate(scorecard.criteria)]


def _finished(scorecard: Scorecard, finished_at: datetime | None) -> dict[str, Any]:
    """A graded run's own columns."""
    card = scorecard.to_dict()
    card.pop("turns", None)  # stored once, in turns
    meta = scorecard.transcript.meta
    outcome = meta.get("outcome")
    return {"finished_at": conv.db_time(finished_at or conv.now()), "score": scorecard.score,
            "scorecard": jsonable(card), "transcript_meta": jsonable(meta),
            "outcome": outcome if isinstance(outcome, str) else None}


def _source(scorecard: Scorecard, given: str | None) -> str | None:
    """Where a graded conversation came from: as given, else as its transcript says."""
    return given if given is not None else conv.str_or_none(scorecard.meta.get("source"))


def _digest(scorecard: Scorecard) -> str:
    """A fingerprint of a graded conversation: its turns, moves, verdicts and evidence."""
    import hashlib
    import json

    card = scorecard.to_dict()
    return hashlib.sha256(json.dumps(card, sort_keys=True, default=str).encode()).hexdigest()
