"""The trainer's commands of ``nextstep``: live, session, history, report, override, comment.

Registered into the main parser by :func:`add_commands`; each command imports what it needs
when it runs (the results store loads its database library only then).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from trainer.cli import (
    EXIT_OK,
    ID,
    SEED,
    HelpFormatter,
    ask_name,
    number,
    open_store,
    stop_on_terminate,
    store_options,
    utf_capable,
)
from trainer.errors import UsageError


def _verdict_of(text: str) -> str:
    from trainer.store.records import verdict_of

    return verdict_of(text)


def add_commands(sub: Any) -> None:
    """Add the trainers' subcommands to ``nextstep``'s subparsers."""
    lv = sub.add_parser(
        "live", help="classroom roleplay: the trainer voices the prospect",
        description="The classic roleplay with NextStep keeping score: the trainer types the "
                    "prospect's lines (or presses Enter to use the scripted prospect's suggested "
                    "line, shown under the prompt) and the rep's lines, and the checklist lights "
                    "up as the rep speaks. When the trainer says something else, the script "
                    "follows it: a task or time taken up or turned down, a time of the "
                    "prospect's own, a stall raised or dropped. /swap, /undo, /rubric, /end, "
                    "/quit. The run is graded as a practice run is, with the scenario's own "
                    "criteria; once /swap lets a side speak twice in a row the script is "
                    "left behind, and the five standard criteria grade what was said.",
        epilog="examples:\n"
               "  nextstep live polite-staller --name Ana\n"
               "  nextstep live committee --name Ben --db postgresql://team@db/nextstep",
        formatter_class=HelpFormatter)
    lv.add_argument("scenario", metavar="SCENARIO", help="a scenario id or .yaml path")
    lv.add_argument("--name", metavar="NAME", help="the rep's name (asked if not given)")
    lv.add_argument("--seed", type=SEED, default=0, metavar="N",
                    help="picks among the suggested lines (default 0)")
    lv.add_argument("--out", metavar="FILE", help="where to save the transcript")
    store_options(lv)
    lv.set_defaults(func=_cmd_live)

    se = sub.add_parser(
        "session", help="trainer-led hot seat: trainees take turns, results kept",
        description="Run a class on one screen. Trainees take turns at the keyboard (roster "
                    "order, scenarios in rotation); between runs the trainer sees the scorecard, "
                    "adds a comment and can override any verdict with a reason (the machine's "
                    "verdict is kept beside it). A leaderboard closes the session.",
        epilog="examples:\n"
               "  nextstep session --roster team.txt --scenario polite-staller "
               "--scenario committee\n"
               "  nextstep session --plan week1.yaml\n\n"
               "a plan file (YAML): name, roster (a list, or a roster file name), scenarios, "
               "rounds.",
        formatter_class=HelpFormatter)
    se.add_argument("--roster", metavar="FILE", help="trainee names, one per line")
    se.add_argument("--scenario", action="append", default=[], metavar="ID",
                    help="a scenario to play (repeat for several; they rotate)")
    se.add_argument("--plan", metavar="FILE", help="a session plan in YAML instead")
    se.add_argument("--title", metavar="NAME", help="the session's name (default: today's date)")
    se.add_argument("--rounds", type=number(1, 20), default=1, metavar="N",
                    help="how many times each trainee takes the hot seat (default 1)")
    se.add_argument("--seed", type=SEED, default=None, metavar="N",
                    help="fix the prospects' choice of lines for every trainee (default: a new "
                         "one each run)")
    se.add_argument("--db", metavar="URL",
                    help="the results database (default: $NEXTSTEP_DB, else your data folder)")
    se.set_defaults(func=_cmd_session)

    lb = sub.add_parser(
        "leaderboard", help="a session's leaderboard again (the latest, or --session ID)",
        description="Show a trainer-led session's leaderboard in the terminal, as the session "
                    "ended with it, or list the sessions kept. Trainer overrides count.",
        epilog="examples:\n  nextstep leaderboard               the latest session\n"
               "  nextstep leaderboard --session 3\n"
               "  nextstep leaderboard --list        every session, with its id",
        formatter_class=HelpFormatter)
    lb.add_argument("--session", type=ID, metavar="ID",
                    help="the session (default: the latest one)")
    lb.add_argument("--list", action="store_true", help="list the sessions kept, newest last")
    lb.add_argument("--json", action="store_true", help="the standings (or sessions) as JSON")
    lb.add_argument("--db", metavar="URL", help="the results database")
    lb.set_defaults(func=_cmd_leaderboard)

    hi = sub.add_parser(
        "history", help="a trainee's runs and trend per criterion",
        description="Every stored run (practice, play, live, session, grade) of a trainee, newest "
                    "last, with the trend on each criterion: the last runs against the ones "
                    "before. Trainer overrides count as the verdict.",
        epilog="examples:\n"
               "  nextstep history --trainee Ana\n"
               "  nextstep history --json > everyone.json",
        formatter_class=HelpFormatter)
    hi.add_argument("--trainee", metavar="NAME", help="whose runs (default: everyone's)")
    hi.add_argument("--window", type=number(1, 1000), default=5, metavar="N",
                    help="runs on each side of the trend comparison (default 5)")
    hi.add_argument("--last", type=number(1, 100_000), default=20, metavar="N",
                    help="how many recent runs to list (default 20)")
    hi.add_argument("--json", action="store_true", help="print the history as JSON")
    hi.add_argument("--db", metavar="URL", help="the results database")
    hi.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                    help="colour output (default: auto: on a terminal unless NO_COLOR is set)")
    hi.set_defaults(func=_cmd_history)

    rp = sub.add_parser(
        "report", help="an HTML report (with charts) and a CSV of stored results",
        description="Write a self-contained HTML report (trainee x criterion table, trend chart, "
                    "each transcript with its evidence highlighted, overrides beside the "
                    "machine's verdicts) and a CSV, from the results database.",
        epilog="examples:\n"
               "  nextstep report --trainee Ana --open\n"
               "  nextstep report --session 3 --out reports/\n"
               "  nextstep report --since 7d",
        formatter_class=HelpFormatter)
    rp.add_argument("--trainee", metavar="NAME",
                    help="only this trainee's runs (a unique first name is enough)")
    rp.add_argument("--session", type=ID, metavar="ID", help="one session's runs")
    rp.add_argument("--scenario", metavar="ID", help="one scenario's runs")
    rp.add_argument("--since", metavar="WHEN", help="e.g. 7d, 2w, today, or a date (2026-11-01)")
    rp.add_argument("--out", metavar="DIR", default=".", help="where to write (default: here)")
    rp.add_argument("--title", metavar="TEXT",
                    help="the report's heading (default: made from the filters)")
    rp.add_argument("--open", action="store_true", help="open the report in a browser")
    rp.add_argument("--db", metavar="URL", help="the results database")
    rp.set_defaults(func=_cmd_report)

    ov = sub.add_parser(
        "override", help="overrule the machine's verdict on a stored run, with a reason",
        description="Record the trainer's verdict on one criterion of a stored run. The "
                    "machine's verdict is kept beside it; reports and history use the trainer's.",
        epilog="example:\n  nextstep override 42 recap pass --reason \"recapped before the "
               "demo; transcript cut it\"",
        formatter_class=HelpFormatter)
    ov.add_argument("run", type=ID, metavar="RUN", help="the run's id (see 'nextstep history')")
    ov.add_argument("criterion", metavar="CRITERION", help="e.g. secure_date")
    ov.add_argument("verdict", metavar="VERDICT", type=_verdict_of,
                    choices=("pass", "partial", "fail", "n/a"),
                    help="the verdict that counts from now on: pass, partial, fail or n/a")
    ov.add_argument("--reason", required=True, metavar="TEXT", help="why (the trainee sees it)")
    ov.add_argument("--by", metavar="NAME", default="trainer",
                    help="who overrode it (default: trainer, as in a session)")
    ov.add_argument("--db", metavar="URL", help="the results database")
    ov.set_defaults(func=_cmd_override)

    cm = sub.add_parser("comment", help="add a trainer's comment to a stored run",
                        formatter_class=HelpFormatter)
    cm.add_argument("run", type=ID, metavar="RUN", help="the run's id (see 'nextstep history')")
    cm.add_argument("text", metavar="TEXT", help="the comment, quoted; the trainee sees it in "
                                                 "reports")
    cm.add_argument("--by", metavar="NAME", default="trainer",
                    help="who wrote it (default: trainer, as in a session)")
    cm.add_argument("--db", metavar="URL", help="the results database")
    cm.set_defaults(func=_cmd_comment)


def _cmd_live(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trainer.app import live_app
    from trainer.harness import load
    from trainer.paths import history_file

    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise UsageError("live mode needs a terminal: the trainer types the prospect's lines")
    scenario = load(args.scenario)
    # Each live roleplay has its own rep: asked every time, never remembered (a remembered
    # name would file every later run, the trainer's own practice too, under this rep).
    name = args.name or ask_name("The rep's name, for this roleplay: ", remember=False)
    store = open_store(args)
    factory = None
    if store is not None:
        from trainer.recording import StoreRecorder

        def factory() -> StoreRecorder:
            return StoreRecorder(store, trainee=name, kind="live", scenario=scenario)
    try:
        stop_on_terminate()
        return live_app.run(scenario, trainee=name, seed=args.seed,
                            out=Path(args.out) if args.out else None, history=history_file(),
                            recorder_factory=factory)
    finally:
        if store is not None:
            store.close()


def _cmd_session(args: argparse.Namespace) -> int:
    import random
    from datetime import date

    from trainer.session import make_plan, read_plan, read_roster

    if args.plan:
        plan = read_plan(args.plan)
    else:
        if not args.roster:
            raise UsageError("give the trainees with --roster FILE (one name per line), or a "
                             "--plan FILE")
        plan = make_plan(args.title or f"Session {date.today().isoformat()}",
                         read_roster(args.roster), args.scenario, args.rounds)
    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise UsageError("a session needs a terminal: trainees take turns at the keyboard")
    from trainer.app import session_app
    from trainer.paths import history_file
    from trainer.store import Store

    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    with Store.open(args.db) as store:
        stop_on_terminate()
        return session_app.run(plan, store, seed=seed, history=history_file())


def _chosen_db(args: argparse.Namespace) -> bool:
    """Whether the user named the database (--db or NEXTSTEP_DB): a command that only reads
    refuses a named file that is not there, where the default one may not exist yet."""
    import os

    return args.db is not None or bool(os.environ.get("NEXTSTEP_DB", "").strip())


def _cmd_history(args: argparse.Namespace) -> int:
    from trainer.render import Style
    from trainer.report import format_history, resolve_trainee
    from trainer.store import Store

    with Store.open(args.db, existing=_chosen_db(args)) as store:
        trainee = resolve_trainee(store, args.trainee) if args.trainee else None
        history = store.history(trainee, window=args.window)
    if args.json:
        print(json.dumps(history.to_dict(), ensure_ascii=not utf_capable(sys.stdout)))
    else:
        print(format_history(history, Style.for_stream(sys.stdout, args.color), last=args.last))
    return EXIT_OK


def _cmd_leaderboard(args: argparse.Namespace) -> int:
    from trainer.report import format_leaderboard
    from trainer.store import Store

    with Store.open(args.db, existing=_chosen_db(args)) as store:
        sessions = store.sessions()
        if args.list:
            _list_sessions(sessions, as_json=args.json)
            return EXIT_OK
        if not sessions:
            raise UsageError("no sessions are kept yet: start one with 'nextstep session'")
        chosen = sessions[-1].id if args.session is None else args.session
        session = store.session(chosen)
        board = store.leaderboard(chosen)
    if args.json:
        print(json.dumps({"session": session.to_dict(), "standings": [x.to_dict() for x in board]},
                         ensure_ascii=not utf_capable(sys.stdout)))
        return EXIT_OK
    from trainer.render import Style

    print(format_leaderboard(session, board, Style.for_stream(sys.stdout, "auto")))
    return EXIT_OK


def _list_sessions(sessions: list[Any], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps([x.to_dict() for x in sessions],
                         ensure_ascii=not utf_capable(sys.stdout)))
        return
    if not sessions:
        print("No sessions yet: start one with 'nextstep session'.")
    for x in sessions:
        unended = "" if x.ended_at else ", never ended"
        print(f"{x.id:>4}  {x.started_at.astimezone():%Y-%m-%d %H:%M}  {x.name}  "
              f"({len(x.roster)} trainee{'s' * (len(x.roster) != 1)}{unended})")


def _cmd_report(args: argparse.Namespace) -> int:
    from trainer.report import open_in_browser, write_report
    from trainer.store import Store, parse_since

    since = parse_since(args.since) if args.since else None
    with Store.open(args.db, existing=_chosen_db(args)) as store:
        files = write_report(store, args.out, trainee=args.trainee, session_id=args.session,
                             since=since, scenario_id=args.scenario, title=args.title)
    print(f"report: {files.html}")
    print(f"table:  {files.csv}")
    if args.open and not open_in_browser(files.html):
        print("nextstep: no browser could be started; open the file above by hand",
              file=sys.stderr)
    return EXIT_OK


def _cmd_override(args: argparse.Namespace) -> int:
    from trainer.store import Store

    with Store.open(args.db, existing=_chosen_db(args)) as store:
        done = store.override(args.run, args.criterion, args.verdict, args.reason, by=args.by)
    print(f"run {args.run}: {done.criterion} is now {done.verdict} (the machine's verdict is "
          "kept beside it)")
    return EXIT_OK


def _cmd_comment(args: argparse.Namespace) -> int:
    from trainer.store import Store

    with Store.open(args.db, existing=_chosen_db(args)) as store:
        store.comment(args.run, args.text, by=args.by)
    print(f"run {args.run}: comment added")
    return EXIT_OK
