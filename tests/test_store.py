"""The results store: round trips, live turns, crash safety, overrides, history, sessions and
migrations, on SQLite and (when ``NEXTSTEP_TEST_PG_URL`` names a database) on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy

from trainer.errors import UsageError
from trainer.formats import parse
from trainer.rubric import CRITERIA, Criterion, Evidence, Scorecard, grade
from trainer.scoring import VERDICT_SCORES
from trainer.store import (
    Store,
    StoreError,
    default_db_url,
    parse_since,
    resolve_url,
    schema,
)
from trainer.transcript import Event, Transcript, Turn

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("NEXTSTEP_TEST_PG_URL")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

CALL = """\
    Rep: Thanks for the demo time. Where do we go from here?
    Prospect: Let me think about it and get back to you next month.
    Rep: It sounds like this might not be a priority now, or ever?
    Prospect: Fair point. Tuesday at 10 works for a follow-up.
    Rep: Great. Could you bring the budget numbers on Tuesday?
    Prospect: Sure, I will.
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield str(tmp_path / "results.db")
        return
    if not PG_URL:
        pytest.skip("PostgreSQL backend: set NEXTSTEP_TEST_PG_URL to a database URL to test it")
    name = f"nextstep_test_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(resolve_url(PG_URL))
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    url = sqlalchemy.engine.make_url(resolve_url(PG_URL)).update_query_dict(
        {"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:  # a connection left open by a test fails it, not hangs
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


def convo(text: str) -> Transcript:
    return parse(textwrap.dedent(text), name="call.txt")


def card_with(verdicts: Mapping[str, str], transcript: Transcript | None = None) -> Scorecard:
    """A scorecard with the given verdicts, made by hand so tests do not depend on grading."""
    t = transcript or Transcript((Turn("Rep", "rep", "Where do we go from here?"),
                                  Turn("Prospect", "prospect", "Tuesday at 10.")))
    criteria = tuple(Criterion(cid, v, (Evidence(1, "Rep", t.turns[0].text, "why"),), "tip")
                     for cid, v in verdicts.items())
    return Scorecard(criteria, t, dict(t.meta))


def all_(verdict: str) -> dict[str, str]:
    return dict.fromkeys(CRITERIA, verdict)


# -- round trips -------------------------------------------------------------------------------


def test_a_graded_call_reads_back_as_it_was_graded(store: Store) -> None:
    card = grade(convo(CALL))
    run_id = store.record_graded("Dana Whitfield", card, source="calls/acme.txt",
                                 meta={"team": "east", "when": T0})
    run = store.run(run_id)
    assert run.status == "finished" and run.kind == "grade"
    assert run.trainee == "Dana Whitfield" and run.source == "calls/acme.txt"
    assert run.meta == {"team": "east", "when": T0.isoformat()}
    assert run.to_scorecard().to_dict() == card.to_dict()  # verdicts, evidence, tips, moves
    assert run.score == run.effective_score == card.score
    assert run.machine_verdicts == {c.id: c.verdict for c in card.criteria}
    assert [(t.speaker, t.role, t.text, t.line) for t in run.transcript.turns] == \
        [(t.speaker, t.role, t.text, t.line) for t in card.transcript.turns]
    assert run.transcript.meta == card.transcript.meta
    assert run.started_at.tzinfo is not None and run.finished_at is not None
    assert run.finished_at >= run.started_at
    summary = store.runs()[0]
    assert (summary.id, summary.turns, summary.score) == (run_id, len(card.transcript.turns),
                                                          card.score)


def test_a_batch_is_stored_in_one_go_exactly_as_one_at_a_time(store: Store) -> None:
    calls = [grade(convo(CALL)), card_with(all_("fail")), card_with(all_("pass"))]
    singles = [store.record_graded(f"Rep {i}", card, source=f"calls/{i}.txt")
               for i, card in enumerate(calls)]
    batch = store.record_graded_many([(f"Rep {i}", card, f"calls/{i}.txt")
                                      for i, card in enumerate(calls)])
    assert len(set(singles + batch)) == 6 and batch == sorted(batch)

    def stored(run_id: int) -> tuple[object, ...]:
        run = store.run(run_id)
        return (run.trainee, run.kind, run.source, run.status, run.score, run.scorecard,
                run.results, run.transcript, run.machine_verdicts)

    assert [stored(i) for i in batch] == [stored(i) for i in singles]
    assert store.run(batch[0]).to_scorecard().to_dict() == calls[0].to_dict()
    assert store.record_graded_many([]) == []


def test_other_peoples_text_round_trips_exactly_and_never_enters_sql(store: Store) -> None:
    hostile = ["Robert'); DROP TABLE runs;--", '<script>alert("x")</script> & "quotes"',
               "émoji 🎯 and 中文, a \\ backslash, a % percent and a ? mark", "x' OR '1'='1"]
    turns = tuple(Turn(name, "rep" if i % 2 == 0 else "prospect", text)
                  for i, (name, text) in enumerate(zip(hostile, reversed(hostile), strict=True)))
    statements: list[str] = []
    sqlalchemy.event.listen(store.engine, "before_cursor_execute",
                            lambda conn, cursor, sql, *rest: statements.append(sql))
    run_id = store.record_graded(hostile[0], card_with(all_("fail"), Transcript(turns)),
                                 scenario_id=hostile[3], source=hostile[1])
    store.override(run_id, "recap", "pass", hostile[2], by=hostile[1])
    store.comment(run_id, hostile[0], by=hostile[3])
    run = store.run(run_id)
    assert run.trainee == hostile[0] and run.scenario_id == hostile[3]
    assert [t.text for t in run.transcript.turns] == [t.text for t in turns]
    assert [t.speaker for t in run.transcript.turns] == [t.speaker for t in turns]
    assert run.result("recap").override.reason == hostile[2]  # type: ignore[union-attr]
    assert run.comments[0].text == hostile[0] and run.comments[0].by == hostile[3]
    assert store.runs(trainee=hostile[0])[0].id == run_id
    assert statements, "no SQL was seen"
    for sql in statements:
        for text in hostile:
            assert text not in sql


def test_turns_are_stored_as_they_happen_and_the_grade_fills_in_the_moves(store: Store) -> None:
    card = grade(convo(CALL))
    run_id = store.start_run(trainee="Kim", kind="practice", scenario_id="polite-staller",
                             scenario_hash="sha256:abc", meta={"seed": 3})
    for i, turn in enumerate(card.transcript.turns[:4]):
        bare = Turn(turn.speaker, turn.role, turn.text)  # as typed, before grading
        assert store.add_turn(run_id, bare) == i
        if i == 1:
            store.add_event(run_id, Event(1, "stall_raised", {"why": "budget"}))
    live = store.run(run_id)
    assert live.status == "interrupted" and live.score is None and live.results == ()
    assert [t.text for t in live.transcript.turns] == [t.text for t in card.transcript.turns[:4]]
    assert live.transcript.events == (Event(1, "stall_raised", {"why": "budget"}),)
    events = (Event(1, "stall_raised", {"why": "budget"}), Event(3, "slot_accepted"))
    graded = Scorecard(card.criteria, Transcript(card.transcript.turns, events,
                                                 {"outcome": "won"}), card.meta)
    store.finish_run(run_id, graded)
    run = store.run(run_id)
    assert run.status == "finished" and run.outcome == "won" and run.score == card.score
    assert run.transcript.turns == tuple(card.transcript.turns)  # moves filled in, rest added
    assert run.transcript.events == events  # the live event is not stored twice
    assert (run.scenario_id, run.scenario_hash, run.meta) == ("polite-staller", "sha256:abc",
                                                               {"seed": 3})


def test_turn_indexes_and_unknown_runs_are_refused_with_a_reason(store: Store) -> None:
    run_id = store.start_run(trainee="Kim", kind="play")
    store.add_turn(run_id, Turn("Kim", "rep", "Hi"), 0)
    with pytest.raises(StoreError, match=r"turn 1 of run .* is already stored"):
        store.add_turn(run_id, Turn("Kim", "rep", "Hi again"), 0)
    with pytest.raises(StoreError, match="no run 999"):
        store.add_turn(999, Turn("Kim", "rep", "Hi"))
    with pytest.raises(StoreError, match="no run 999"):
        store.run(999)
    with pytest.raises(UsageError, match="kind"):
        store.start_run(trainee="Kim", kind="karaoke")
    with pytest.raises(UsageError, match="--name"):
        store.start_run(trainee="  ", kind="play")
    assert [t.text for t in store.run(run_id).transcript.turns] == ["Hi"]


# -- overrides and comments ------------------------------------------------------------------


def test_an_override_sits_beside_the_machine_verdict_and_the_latest_counts(store: Store) -> None:
    verdicts = {**all_("pass"), "secure_date": "fail", "recap": "partial"}
    run_id = store.record_graded("Ann", card_with(verdicts))
    machine = store.run(run_id).score
    store.override(run_id, "secure_date", "partial", "the slot was agreed by email", by="Coach")
    first = store.run(run_id)
    store.override(run_id, "secure_date", "pass", "the prospect confirmed later", by="Lead")
    run = store.run(run_id)
    assert run.machine_verdicts == verdicts  # never replaced
    assert run.verdicts == {**verdicts, "secure_date": "pass"}
    assert [o.verdict for o in run.overrides] == ["partial", "pass"]  # all kept, in order
    assert run.result("secure_date").override.by == "Lead"  # type: ignore[union-attr]
    assert run.overridden == ("secure_date",)
    assert run.score == machine
    expected = [VERDICT_SCORES[v] for v in run.verdicts.values()]
    assert run.effective_score == round(100 * sum(expected) / len(expected))
    assert first.effective_score is not None and first.effective_score < run.effective_score
    summary = store.runs(trainee="ann")[0]
    assert summary.verdicts == run.verdicts and summary.effective_score == run.effective_score


def test_overrides_that_cannot_apply_say_why(store: Store) -> None:
    run_id = store.record_graded("Ann", card_with(all_("fail")))
    with pytest.raises(UsageError, match="verdict is one of pass, partial, fail, n/a"):
        store.override(run_id, "recap", "excellent", "great")
    with pytest.raises(UsageError, match="needs a reason"):
        store.override(run_id, "recap", "pass", "  ")
    with pytest.raises(UsageError, match=r"no criterion 'rapport'.*ask_next_step"):
        store.override(run_id, "rapport", "pass", "warm")
    with pytest.raises(UsageError, match=r"no criterion 'recapp'\. Did you mean `recap`\?"):
        store.override(run_id, "recapp", "pass", "summed up")
    open_run = store.start_run(trainee="Ann", kind="practice")
    with pytest.raises(StoreError, match="interrupted before it was graded"):
        store.override(open_run, "recap", "pass", "fine")
    assert store.run(run_id).overrides == ()


def test_comments_keep_their_author_and_order(store: Store) -> None:
    run_id = store.record_graded("Ann", card_with(all_("pass")))
    store.comment(run_id, "Good confront on the budget stall.", by="Coach")
    store.comment(run_id, "  Next time, recap out loud.  ")
    run = store.run(run_id)
    assert [(c.text, c.by) for c in run.comments] == [
        ("Good confront on the budget stall.", "Coach"), ("Next time, recap out loud.", None)]
    assert run.comments[0].at <= run.comments[1].at
    with pytest.raises(UsageError):
        store.comment(run_id, "")


def test_regrading_replaces_the_machine_verdict_but_keeps_the_trainers(store: Store) -> None:
    run_id = store.record_graded("Ann", card_with(all_("fail")))
    store.override(run_id, "recap", "pass", "recapped off-mic")
    store.comment(run_id, "keep")
    store.finish_run(run_id, card_with(all_("partial")))
    run = store.run(run_id)
    assert run.machine_verdicts == all_("partial")
    assert run.verdicts["recap"] == "pass" and [c.text for c in run.comments] == ["keep"]


# -- queries, history, sessions --------------------------------------------------------------


def test_runs_filter_by_trainee_scenario_kind_time_and_session(store: Store) -> None:
    session = store.start_session("Monday", ["Ann", "Bo"], ["polite-staller"])
    ids = {
        "a1": store.record_graded("Ann", card_with(all_("pass")), kind="play",
                                  scenario_id="polite-staller", started_at=T0),
        "a2": store.record_graded("  ann ", card_with(all_("fail")), kind="practice",
                                  scenario_id="busy-cfo", started_at=T0 + timedelta(days=2),
                                  session_id=session),
        "b1": store.record_graded("Bo", card_with(all_("pass")),
                                  started_at=T0 + timedelta(days=1)),
    }
    assert [r.id for r in store.runs()] == [ids["a1"], ids["b1"], ids["a2"]]  # time order
    assert [r.id for r in store.runs(trainee="ANN")] == [ids["a1"], ids["a2"]]
    assert [r.id for r in store.runs(scenario_id="busy-cfo")] == [ids["a2"]]
    assert [r.id for r in store.runs(kind="grade")] == [ids["b1"]]
    assert [r.id for r in store.runs(session_id=session)] == [ids["a2"]]
    assert [r.id for r in store.runs(since=T0 + timedelta(hours=12))] == [ids["b1"], ids["a2"]]
    assert [r.id for r in store.runs(trainee="ann", since=T0 + timedelta(days=1))] == [ids["a2"]]
    assert store.trainees() == [("Ann", 2), ("Bo", 1)]
    with pytest.raises(StoreError, match="no session 77"):
        store.start_run(trainee="Ann", kind="session", session_id=77)


def test_history_lists_runs_in_time_order_with_a_trend_per_criterion(store: Store) -> None:
    # Ten weeks: secure_date fails at first then passes, recap the other way round, ask_next_step
    # always passes and confront_stall never applies.
    weeks = []
    for week in range(10):
        improving = "pass" if week >= 5 else ("partial" if week == 4 else "fail")
        verdicts = {"ask_next_step": "pass", "confront_stall": "n/a",
                    "secure_date": improving, "prospect_task": "pass",
                    "recap": "fail" if week >= 5 else "pass"}
        weeks.append(verdicts)
    for week, verdicts in reversed(list(enumerate(weeks))):  # stored out of order on purpose
        store.record_graded("Cy", card_with(verdicts), kind="practice",
                            started_at=T0 + timedelta(weeks=week))
    store.start_run(trainee="Cy", kind="practice", started_at=T0 + timedelta(weeks=11))
    store.record_graded("Someone else", card_with(all_("fail")))
    history = store.history("cy")
    assert len(history.runs) == 11 and history.runs[-1].status == "interrupted"
    assert [r.started_at for r in history.runs] == sorted(r.started_at for r in history.runs)

    def rate(cid: str, chosen: list[dict[str, str]]) -> float:
        values = [VERDICT_SCORES[v[cid]] for v in chosen]
        return sum(values) / len(values)

    date, recap = history.trend("secure_date"), history.trend("recap")
    assert (date.recent, date.previous) == (rate("secure_date", weeks[5:]),
                                            rate("secure_date", weeks[:5]))
    assert (date.recent_runs, date.previous_runs) == (5, 5)
    assert date.direction == "up" and recap.direction == "down"
    assert history.trend("ask_next_step").direction == "flat"
    assert history.trend("confront_stall").direction == "none"  # n/a is not a result
    assert history.score.recent is not None and history.score.previous is not None
    assert history.to_dict()["trends"][2]["direction"] == "up"
    assert store.history("cy", window=20).trend("secure_date").direction == "new"
    everyone = store.history()
    assert len(everyone.runs) == 12


def test_the_trend_follows_the_trainers_overrides(store: Store) -> None:
    ids = [store.record_graded("Di", card_with(all_("fail")), started_at=T0 + timedelta(days=d))
           for d in range(4)]
    for run_id in ids[2:]:
        store.override(run_id, "recap", "pass", "recapped in the follow-up email")
    trend = store.history("Di", window=2).trend("recap")
    assert (trend.previous, trend.recent, trend.direction) == (0.0, 1.0, "up")


def test_best_score_is_the_best_effective_score_of_finished_runs(store: Store) -> None:
    assert store.best_score("Ann", "busy-cfo") is None
    low = store.record_graded("Ann", card_with(all_("fail")), scenario_id="busy-cfo")
    store.record_graded("Ann", card_with(all_("partial")), scenario_id="busy-cfo")
    store.record_graded("Ann", card_with(all_("pass")), scenario_id="other")
    store.start_run(trainee="Ann", kind="practice", scenario_id="busy-cfo")
    assert store.best_score("ann", "busy-cfo") == 50
    for cid in CRITERIA:
        store.override(low, cid, "pass", "the trainer heard it differently")
    assert store.best_score("Ann", "busy-cfo") == 100


def test_a_session_leaderboard_ranks_best_scores_across_its_scenarios(store: Store) -> None:
    session = store.start_session("Kick-off", ["Ann", "Bo", "Cy", "Dee"], ["s1", "s2"],
                                  meta={"room": "B"})
    info = store.session(session)
    assert (info.name, info.roster, info.scenarios, info.ended_at) == (
        "Kick-off", ("Ann", "Bo", "Cy", "Dee"), ("s1", "s2"), None)

    def play(who: str, scenario: str, verdict: str) -> int:
        return store.record_graded(who, card_with(all_(verdict)), kind="session",
                                   scenario_id=scenario, session_id=session)

    play("Ann", "s1", "pass"), play("Ann", "s2", "fail"), play("Ann", "s2", "partial")
    play("Bo", "s1", "pass")
    bo_low = play("Bo", "s2", "fail")
    play("Cy", "s1", "partial"), play("Cy", "s2", "pass")
    store.record_graded("Ann", card_with(all_("pass")), scenario_id="s2")  # not in the session
    play("Eve", "s2", "pass")  # a rotation gave her the second prospect only
    play("Fay", "s1", "partial")
    board = store.leaderboard(session)
    assert [(s.trainee, s.total, s.played, s.rank) for s in board] == [
        ("Eve", 100, 1, 1), ("Ann", 75, 2, 2), ("Cy", 75, 2, 2), ("Bo", 50, 2, 4),
        ("Fay", 50, 1, 5), ("Dee", 0, 0, None)]
    assert dict(board[1].best) == {"s1": 100, "s2": 50} and board[1].runs == 3
    assert dict(board[5].best) == {"s1": None, "s2": None} and board[5].runs == 0
    assert board[5].to_dict()["rank"] is None and board[1].to_dict()["played"] == 2
    for cid in CRITERIA:
        store.override(bo_low, cid, "pass", "the recording cut out")
    assert store.leaderboard(session)[0].trainee == "Bo"  # 100 on both beats 100 on one
    store.end_session(session)
    assert store.session(session).ended_at is not None
    assert [s.id for s in store.sessions()] == [session]


def test_the_leaderboard_names_people_as_their_runs_are_kept(store: Store) -> None:
    store.record_graded("Ben Carter", card_with(all_("pass")))  # before the session
    session = store.start_session("Week 2", ["ben carter", "ana"], ["s1"])
    store.record_graded("Ben Carter", card_with(all_("pass")), kind="session",
                        scenario_id="s1", session_id=session)
    assert [s.trainee for s in store.leaderboard(session)] == ["Ben Carter", "ana"]


# -- migrations --------------------------------------------------------------------------------


def test_a_database_from_the_first_schema_upgrades_keeping_its_data(db_url: str) -> None:
    with Store.open(db_url, migrate=False) as old:
        assert old.upgrade(1) == 1 and old.schema_version() == 1
        tables = sqlalchemy.MetaData()
        tables.reflect(old.engine)
        assert "sessions" not in tables.tables and "session_id" not in tables.tables["runs"].c
        with old.engine.begin() as conn:  # rows as the first schema's NextStep wrote them
            run_id = conn.execute(tables.tables["runs"].insert().values(
                kind="practice", trainee="Ann", trainee_key="ann", scenario_id="s1",
                started_at=datetime(2026, 1, 5, 9), finished_at=datetime(2026, 1, 5, 9, 5),
                score=100, transcript_meta={"outcome": "won"}, meta={},
                scorecard={"score": 100, "criteria": []})).inserted_primary_key[0]  # type: ignore[index]
            conn.execute(tables.tables["turns"].insert().values(
                run_id=run_id, idx=0, speaker="Ann", role="rep", text="What's next?",
                moves=[], at=datetime(2026, 1, 5, 9, 1)))
            conn.execute(tables.tables["results"].insert().values(
                run_id=run_id, criterion="recap", position=0, title="Recapped and confirmed",
                verdict="fail", score=0.0, weight=1.0))
            conn.execute(tables.tables["overrides"].insert().values(
                run_id=run_id, criterion="recap", verdict="pass", reason="by email",
                at=datetime(2026, 1, 6)))
    with Store.open(db_url) as store:
        assert store.schema_version() == schema.LATEST
        run = store.run(run_id)
        assert run.trainee == "Ann" and run.outcome is None and run.session_id is None
        assert [t.text for t in run.transcript.turns] == ["What's next?"]
        assert run.verdicts == {"recap": "pass"} and run.machine_verdicts == {"recap": "fail"}
        assert run.started_at == datetime(2026, 1, 5, 9, tzinfo=UTC)
        session = store.start_session("after the upgrade", ["Ann"], ["s1"])
        store.record_graded("Ann", card_with(all_("pass")), session_id=session,
                            scenario_id="s1")
        assert [s.trainee for s in store.leaderboard(session)] == ["Ann"]


def test_migrations_build_the_schema_the_queries_expect(store: Store) -> None:
    found = sqlalchemy.MetaData()
    found.reflect(store.engine)
    for table in schema.metadata.sorted_tables:
        assert table.name in found.tables, table.name
        assert set(found.tables[table.name].c.keys()) == set(table.c.keys()), table.name
    with store.engine.connect() as conn:
        applied = conn.execute(sqlalchemy.select(schema.schema_table.c.version)).scalars()
        assert list(applied) == list(range(1, schema.LATEST + 1))
    assert store.upgrade() == schema.LATEST  # opening again changes nothing


def test_a_database_from_a_newer_nextstep_is_refused(db_url: str) -> None:
    with Store.open(db_url) as store, store.engine.begin() as conn:
        conn.execute(schema.schema_table.insert().values(version=schema.LATEST + 1,
                                                         applied_at=datetime(2030, 1, 1)))
    with pytest.raises(StoreError, match="upgrade NextStep"):
        Store.open(db_url)


def test_stores_opening_a_new_database_at_once_migrate_it_once(db_url: str) -> None:
    start = threading.Barrier(4)
    versions: list[int] = []
    errors: list[BaseException] = []

    def open_and_write() -> None:
        try:
            start.wait()
            with Store.open(db_url) as store:
                versions.append(store.schema_version())
                store.start_run(trainee="Ann", kind="play")
        except BaseException as error:  # reported below, with the thread's own traceback
            errors.append(error)

    threads = [threading.Thread(target=open_and_write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors and versions == [schema.LATEST] * 4
    with Store.open(db_url) as store:
        assert len(store.runs()) == 4
        with store.engine.connect() as conn:
            applied = conn.execute(sqlalchemy.select(schema.schema_table.c.version)).scalars()
            assert list(applied) == list(range(1, schema.LATEST + 1))


def test_sqlite_uses_write_ahead_logging(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_two_processes_worth_of_stores_share_one_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with Store.open(path) as a, Store.open(path) as b:
        run_a = a.start_run(trainee="Ann", kind="practice")
        run_b = b.start_run(trainee="Bo", kind="practice")
        for i in range(3):
            a.add_turn(run_a, Turn("Ann", "rep", f"a{i}"))
            b.add_turn(run_b, Turn("Bo", "rep", f"b{i}"))
        assert [t.text for t in b.run(run_a).transcript.turns] == ["a0", "a1", "a2"]
        assert [r.trainee for r in a.runs()] == ["Ann", "Bo"]


# -- crash safety ------------------------------------------------------------------------------

_CHILD = textwrap.dedent("""\
    import sys, time
    from trainer.store import Store
    from trainer.transcript import Event, Turn
    store = Store.open(sys.argv[1])
    run = store.start_run(trainee="Kim", kind="practice", scenario_id="crash-test")
    lines = ["Where do we go from here?", "Let me think about it.", "Is it a priority?"]
    for i, text in enumerate(lines):
        store.add_turn(run, Turn("Kim" if i % 2 == 0 else "Prospect",
                                 "rep" if i % 2 == 0 else "prospect", text))
    store.add_event(run, Event(1, "stall_raised"))
    try:
        print(run, flush=True)
        time.sleep(60)  # the trainee is typing the next line
    except KeyboardInterrupt:
        sys.exit(130)
""")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_a_run_killed_mid_way_keeps_every_turn_said(db_url: str, how: signal.Signals) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, db_url], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        line = child.stdout.readline()  # type: ignore[union-attr]
        assert line.strip().isdigit(), child.stderr.read()  # type: ignore[union-attr]
        child.send_signal(how)
        child.wait(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()  # type: ignore[union-attr]
        child.stderr.close()  # type: ignore[union-attr]
    assert child.returncode == (-signal.SIGKILL if how == signal.SIGKILL else 130)
    with Store.open(db_url) as store:
        run = store.run(int(line))
        assert run.status == "interrupted" and run.scenario_id == "crash-test"
        assert [t.text for t in run.transcript.turns] == [
            "Where do we go from here?", "Let me think about it.", "Is it a priority?"]
        assert run.transcript.events == (Event(1, "stall_raised"),)
        assert [r.status for r in store.history("kim").runs] == ["interrupted"]


# -- where the database is -----------------------------------------------------------------------


def test_the_default_database_is_in_the_data_folder_unless_nextstep_db_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEXTSTEP_DB", raising=False)
    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path / "home"))
    assert default_db_url() == "sqlite:///" + (tmp_path / "home/data/nextstep.db").as_posix()
    with Store.open() as store:
        store.start_run(trainee="Ann", kind="play")
    assert (tmp_path / "home/data/nextstep.db").is_file()
    monkeypatch.setenv("NEXTSTEP_DB", str(tmp_path / "team.db"))
    assert default_db_url() == "sqlite:///" + (tmp_path / "team.db").as_posix()
    monkeypatch.setenv("NEXTSTEP_DB", "postgres://u:secret@db.example/results")
    assert default_db_url() == "postgresql+psycopg://u:secret@db.example/results"
    assert resolve_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"


def test_a_database_that_cannot_be_opened_says_where_and_what_to_do(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="--db or NEXTSTEP_DB"):
        Store.open(blocker / "sub" / "results.db")
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("just some notes, not a database" * 100)
    with pytest.raises(StoreError, match=r"notes\.db failed"):
        Store.open(not_a_db)
    with pytest.raises(StoreError, match=r"driver .* not installed"):
        Store.open("mysql://u@h/db")
    with pytest.raises(StoreError, match=r"\*\*\*") as caught:
        Store.open("postgresql+psycopg://u:hunter2@127.0.0.1:1/db?connect_timeout=2")
    assert "hunter2" not in str(caught.value)  # passwords never reach a message
    with pytest.raises(UsageError, match="not a database URL") as bad:
        Store.open("postgresql://u:hunter2@host:notaport/db")
    assert "hunter2" not in str(bad.value)


def test_importing_the_store_does_not_load_the_database_library() -> None:
    code = ("import sys, trainer.store; from trainer.store import default_db_url, parse_since;"
            "default_db_url(); assert 'sqlalchemy' not in sys.modules, 'loaded'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("text, expected", [
    ("2026-01-31", datetime(2026, 1, 31).astimezone()),
    ("2026-01-31T09:30+00:00", datetime(2026, 1, 31, 9, 30, tzinfo=UTC)),
    ("7d", T0 - timedelta(days=7)),
    ("2w", T0 - timedelta(weeks=2)),
    ("12h", T0 - timedelta(hours=12)),
    ("30m", T0 - timedelta(minutes=30)),
])
def test_since_takes_dates_and_ages(text: str, expected: datetime) -> None:
    assert parse_since(text, now=T0) == expected


def test_since_beyond_the_calendar_is_a_usage_error_or_the_first_day() -> None:
    for age in ("3000000d", "99999999999d"):  # OverflowError before
        with pytest.raises(UsageError, match="before year 1"):
            parse_since(age, now=T0)
    assert parse_since("0001-01-01").year == 1  # ValueError: year 0 before, east of UTC


def test_since_refuses_what_it_cannot_read() -> None:
    with pytest.raises(UsageError, match="7d"):
        parse_since("last tuesday")
    today = parse_since("today")
    assert parse_since("yesterday") < today <= datetime.now(UTC)


def test_an_empty_db_option_is_refused_not_read_as_this_folder() -> None:
    for empty in ("", "   "):  # "--db $DB" with DB unset
        with pytest.raises(UsageError, match="--db is empty"):
            resolve_url(empty)


def test_a_trainee_keeps_the_spelling_first_stored(store: Store) -> None:
    # "Ana" then "  ANA ": history --json showed two names for one person
    first = store.start_run(trainee="Ana", kind="play")
    later = store.start_run(trainee="  ANA ", kind="play")
    assert store.run(first).trainee == store.run(later).trainee == "Ana"
    assert {r.trainee for r in store.runs()} == {"Ana"}
