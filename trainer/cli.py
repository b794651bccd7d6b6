"""The ``nextstep`` command line: a thin layer over the library.

Each command lives in a function ``_cmd_<name>`` that imports what it needs when it runs, so
``nextstep grade`` never pays for the practice app's imports. Errors from the library
(:class:`trainer.errors.NextStepError`) become one clean message on stderr and their exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from trainer.errors import NextStepError, UsageError

EXIT_OK, EXIT_BELOW, EXIT_BAD_INPUT = 0, 1, 2

_DESCRIPTION = """\
NextStep trains sales reps to leave every meeting with an agreed next step: ask for it
(don't tell or volunteer it), confront stalls, secure a date while you are both in the room,
give the prospect a task, and recap who does what by when.
"""

_EPILOG = """\
examples:
  nextstep practice                      practise against the default prospect
  nextstep grade call.vtt --rep "Dana"   grade a real call exported from Zoom or Teams
  nextstep grade calls/*.txt --json      one JSON object per transcript, for scripts

exit codes: 0 success, 1 graded below --min-score, 2 bad input or usage.
colour: off when NO_COLOR is set or output is not a terminal (--color always overrides).
"""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Wraps prose paragraphs to the terminal; keeps example blocks as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        out = []
        for para in text.split("\n\n"):
            lines = para.splitlines()
            if any(line.startswith("  ") for line in lines) or para.rstrip().endswith(":"):
                out.append("\n".join(indent + line for line in lines))
            else:
                out.append(textwrap.fill(" ".join(para.split()), min(width, 88),
                                         initial_indent=indent, subsequent_indent=indent))
        return "\n\n".join(out)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors through NextStep's error type (exit code 2)."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}\n"
                         f"Run '{self.prog} --help' for more.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nextstep", description=_DESCRIPTION, epilog=_EPILOG,
                     formatter_class=HelpFormatter)
    parser.add_argument("--version", action=_VersionAction, nargs=0,
                        help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    g = sub.add_parser(
        "grade", help="grade transcripts of roleplays or real calls",
        description="Grade transcripts on the five next-step criteria, quoting the lines that "
                    "earned each verdict and giving one tip per criterion.",
        epilog="formats: plain 'Speaker: text' lines (optionally [HH:MM:SS]-prefixed), WebVTT "
               "and SRT exports from Zoom/Teams/Meet, Gong JSON exports, NextStep JSON.\n"
               "Speakers named Rep/Seller/Me/Trainee are the rep and Prospect/Buyer/Customer/"
               "Client the prospect; otherwise name the rep with --rep.\n\n"
               "examples:\n"
               "  nextstep grade examples/strong-call.txt\n"
               "  nextstep grade examples/zoom-export.vtt --rep Dana\n"
               "  nextstep grade calls/*.vtt --rep Dana --min-score 60 --json > scores.jsonl\n"
               "  nextstep grade calls/ --name Dana\n"
               "  cat call.txt | nextstep grade -\n\n"
               "exit codes: 0 all graded, 1 a transcript scored below --min-score, 2 bad input "
               "(an unreadable transcript) or usage; the other files are still graded.",
        formatter_class=HelpFormatter)
    g.add_argument("files", nargs="+", metavar="FILE",
                   help="transcript files ('-' for stdin); a folder stands for the .txt, .vtt, "
                        ".srt and .json files in it, a Gong export of several calls for each "
                        "call (FILE#1, FILE#2...)")
    g.add_argument("--json", action="store_true",
                   help="print one JSON object per transcript (JSON Lines)")
    g.add_argument("--rep", metavar="NAME", help="the rep's speaker name (or Gong speaker id)")
    g.add_argument("--format", metavar="F", choices=("text", "vtt", "srt", "gong", "json"),
                   help="input format: text, vtt, srt, gong, json (default: detected)")
    g.add_argument("--min-score", type=number(0, 100), metavar="N", default=None,
                   help="exit with code 1 when any transcript scores below N (0-100)")
    g.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour output (default: auto: on a terminal unless NO_COLOR is set)")
    g.add_argument("--name", metavar="NAME",
                   help="the trainee these calls belong to in your results (default: the rep's "
                        "speaker name)")
    g.add_argument("--jobs", "-j", type=number(1, 1024), metavar="N", default=None,
                   help="grade a batch in N processes (default: one per CPU, at most one per 8 "
                        "files; 1: one at a time; at most 4 per CPU); the output is the same, "
                        "in the same order")
    store_options(g)
    g.set_defaults(func=_cmd_grade)

    pr = sub.add_parser(
        "practice", help="practise against a scripted prospect in the terminal",
        description="Practise the end of a sales meeting. The prospect answers what you type; "
                    "the bottom bar shows the meeting clock and the checklist (asked, stall "
                    "confronted, date, task, recap) filling in. Ctrl-D or /end finishes with a "
                    "scorecard; /help lists the commands. Every line is saved as you go, so "
                    "nothing is lost if you stop.",
        epilog="examples:\n"
               "  nextstep practice                     pick a prospect (Enter: the default)\n"
               "  nextstep practice polite-staller --coach\n"
               "  nextstep practice my-prospect.yaml --vi\n"
               "  nextstep practice polite-staller < lines.txt   headless, like 'nextstep play'\n"
               "  nextstep practice my-prospect.yaml --watch   reload it on every save\n\n"
               "commands inside: /hint /rubric /undo /restart /reload /end /quit /help",
        formatter_class=HelpFormatter)
    pr.add_argument("scenario", nargs="?", metavar="SCENARIO",
                    help="a scenario id (see 'nextstep list') or a .yaml path; "
                         "none: pick from a list")
    pr.add_argument("--name", metavar="NAME",
                    help="your name in transcripts (asked once and remembered otherwise)")
    pr.add_argument("--seed", type=SEED, default=None, metavar="N",
                    help="fix the prospect's choice of lines (default: a new one each run)")
    pr.add_argument("--coach", action="store_true",
                    help="after each reply, whisper which moves the grader heard and a better "
                         "phrasing when one missed")
    pr.add_argument("--vi", action="store_true", help="vi editing keys (default: Emacs keys)")
    pr.add_argument("--out", metavar="FILE",
                    help="where to save the transcript (default: your data directory)")
    pr.add_argument("--json", action="store_true",
                    help="headless runs only: print the run as one JSON object")
    pr.add_argument("--watch", action="store_true",
                    help="reload the scenario file whenever it is saved, replaying your lines "
                         "to where you were (for scenario authors; /reload does it by hand)")
    store_options(pr)
    pr.set_defaults(func=_cmd_practice)

    ls = sub.add_parser(
        "list", help="scenarios available (shipped and your own)",
        description="The prospects you can practise against: the shipped scenarios and those in "
                    "your scenario folders (NEXTSTEP_SCENARIOS, or the data directory's "
                    "scenarios/ folder).")
    ls.add_argument("--json", action="store_true", help="print a JSON array")
    ls.set_defaults(func=_cmd_list)

    p = sub.add_parser(
        "play", help="run a scenario headless, trainee lines from a file or stdin",
        description="Play a whole meeting without the interactive app: each line of the replies "
                    "file is one thing the trainee says (blank lines and # comments are "
                    "skipped). The prospect answers each, until the lines run out or the meeting "
                    "ends; then the scorecard.",
        epilog="examples:\n"
               "  nextstep play polite-staller --replies my_lines.txt\n"
               "  printf 'Where do we go from here?\\n' | nextstep play polite-staller\n"
               "  nextstep play my-scenario.yaml --replies lines.txt --seed 3 --json\n\n"
               "exit codes: 0 played, 1 scored below --min-score, 2 bad scenario or usage.",
        formatter_class=HelpFormatter)
    p.add_argument("scenario", metavar="SCENARIO", help="a scenario id (see 'nextstep list') or "
                   "the path of a .yaml file")
    p.add_argument("--replies", metavar="FILE", default="-",
                   help="the trainee's lines, one per line ('-' or absent: stdin)")
    p.add_argument("--seed", type=SEED, default=0, metavar="N",
                   help="picks among the prospect's line variants (default 0); the same seed and "
                        "lines give the same run")
    p.add_argument("--json", action="store_true", help="print the run as one JSON object")
    p.add_argument("--name", metavar="NAME", default="Rep",
                   help="the trainee's name in the transcript (default Rep)")
    p.add_argument("--out", metavar="FILE", help="also save the transcript as NextStep JSON")
    p.add_argument("--min-score", type=number(0, 100), metavar="N", default=None,
                   help="exit with code 1 when the run scores below N (0-100)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour output (default: auto: on a terminal unless NO_COLOR is set)")
    store_options(p)
    p.set_defaults(func=_cmd_play)

    # Command groups that live in their own modules register themselves here.
    from trainer.cli_authoring import add_commands as add_authoring
    from trainer.cli_results import add_commands as add_results

    add_results(sub)
    add_authoring(sub)
    return parser


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked for (package metadata is slow to import)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"nextstep {_version()}")
        parser.exit()


def store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL",
                        help="the results database: a file path or a postgresql:// URL "
                             "(default: $NEXTSTEP_DB, else nextstep.db in your data folder)")
    parser.add_argument("--no-store", action="store_true",
                        help="do not keep this run in the results database")


def open_store(args: argparse.Namespace) -> Any:
    """The results store, or None when not wanted or not reachable (grading goes on)."""
    if getattr(args, "no_store", False):
        return None
    try:
        from trainer.store import Store

        return Store.open(getattr(args, "db", None))
    except NextStepError as error:
        print(f"nextstep: results are not being kept: {error}", file=sys.stderr)
        return None


def _keep(store: Any, what: Callable[[], Any]) -> Any:
    """Store something; a failing database warns instead of losing the user's result."""
    if store is None:
        return None
    try:
        return what()
    except NextStepError as error:
        print(f"nextstep: could not keep this result: {error}", file=sys.stderr)
        return None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nextstep-trainer")
    except PackageNotFoundError:
        return "0+unknown"


def _cmd_grade(args: argparse.Namespace) -> int:
    from trainer.render import Style, summary

    if args.min_score is not None and not 0 <= args.min_score <= 100:
        raise UsageError("--min-score takes a number from 0 to 100")
    if args.jobs is not None and args.jobs < 0:
        raise UsageError("--jobs takes a number of processes (0: one per CPU)")
    args.files = _expand_folders(args.files)
    out = sys.stdout
    style = Style.for_stream(out, args.color)
    store = _PendingGrades(args)
    try:
        rows, bad_input, below = _grade_each(args, style, store)
    finally:
        store.close()
    if not args.json and len(args.files) > 1:
        print(summary(rows, style, args.min_score), file=out)
    if bad_input:
        return EXIT_BAD_INPUT
    return EXIT_BELOW if below else EXIT_OK


TRANSCRIPT_SUFFIXES = (".txt", ".vtt", ".srt", ".json")


def _expand_folders(files: list[str]) -> list[str]:
    """Each folder given replaced by the transcripts in it (by suffix, sorted, not in
    subfolders); a folder with none is a usage error rather than a silent nothing. A Gong
    export of several calls stands for each call, as ``FILE#1``, ``FILE#2``..."""
    return [call for name in _folders_opened(files) for call in _calls(name)]


def _calls(name: str) -> list[str]:
    from trainer.formats import calls_in

    n = 1 if name == "-" or not name.lower().endswith(".json") else calls_in(name)
    return [name] if n == 1 else [f"{name}#{k}" for k in range(1, n + 1)]


def _folders_opened(files: list[str]) -> list[str]:
    from pathlib import Path

    out: list[str] = []
    for name in files:
        folder = Path(name)
        if name == "-" or not folder.is_dir():
            out.append(name)
            continue
        try:
            found = sorted(str(p) for p in folder.iterdir()  # not ".DS_Store", "._call.txt"
                           if p.suffix.lower() in TRANSCRIPT_SUFFIXES and p.is_file()
                           and not p.name.startswith("."))
        except OSError as error:
            raise UsageError(f"{name}: cannot be read: {error.strerror}") from None
        if not found:
            raise UsageError(f"{name}: a folder with no transcripts in it "
                             f"({', '.join(TRANSCRIPT_SUFFIXES)})")
        out += found
    return out


def _grade_each(args: argparse.Namespace, style: Any, store: _PendingGrades
                ) -> tuple[list[tuple[str, Any]], bool, bool]:
    """Grade, print and keep each file in turn; returns the summary's rows and whether a
    file was unreadable or scored below --min-score."""
    from trainer.batch import grade_files, workers_for
    from trainer.render import scorecard
    from trainer.text import names_matching

    out = sys.stdout
    progress = _Progress(len(args.files))
    rows: list[tuple[str, Any]] = []
    bad_input = below = False
    outcomes = grade_files(args.files, format=args.format, rep=args.rep,
                           workers=workers_for(len(args.files), args.jobs))
    reps: set[str] = set()
    for index, (name, card, rep_name, error) in enumerate(outcomes):
        progress.update(index, name)
        reps.add(rep_name)
        if card is None:
            progress.clear()
            bad_input = True
            print(f"nextstep grade: {error}", file=sys.stderr)
            if args.json:
                print(json.dumps({"file": name, "error": error}), file=out, flush=True)
            rows.append((name, None))
            continue
        if args.min_score is not None and card.score < args.min_score:
            below = True
        rows.append((name, card))
        progress.clear()
        # kept before it is shown: whatever was shown is kept, even if Ctrl-C cuts the output
        store.add(args.name or _trainee(rep_name), card, name)
        if args.json:
            print(json.dumps({"file": name, **card.to_dict()}, ensure_ascii=not utf_capable(out)),
                  file=out, flush=True)
        elif len(args.files) == 1:
            print(scorecard(card, style, title=name), file=out, flush=True)
    progress.clear()
    wanted = " ".join(args.rep.split()).casefold() if args.rep else ""
    guessed = sorted(r for r in reps if wanted and r and r.casefold() != wanted
                     and not r.casefold().startswith(wanted + " ")
                     and r.casefold().startswith(wanted))
    if guessed:  # "--rep D" for "Dana": said, so a wrong guess does not pass unnoticed
        taken = ", ".join(f'"{r}"' for r in guessed[:3])
        print(f'nextstep grade: note: --rep "{args.rep}" was taken as {taken}',
              file=sys.stderr)
    if args.rep and any(card for _, card in rows) and not names_matching(reps, args.rep):
        # the files said who is who with names like "Rep"; a mistyped --rep should not pass
        # unnoticed
        where = "the file" if len(rows) == 1 else "any of the files"
        print(f"nextstep grade: note: --rep \"{args.rep}\" names no speaker in {where}; "
              "the rep was told by speaker names like \"Rep\" instead", file=sys.stderr)
    return rows, bad_input, below


def utf_capable(stream: Any) -> bool:
    """True when ``stream`` can carry any character (else JSON escapes them, losing nothing)."""
    return "utf" in (getattr(stream, "encoding", None) or "").lower()


def _cmd_practice(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trainer.catalog import default_scenario_id, entries
    from trainer.harness import load
    from trainer.paths import history_file, load_config

    out = Path(args.out) if args.out else None
    interactive = sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()
    name = args.name or load_config().get("name")
    if not interactive:
        if args.watch:
            raise UsageError("--watch reloads the scenario as you edit it, so it needs a "
                             "terminal; to run lines from a file use 'nextstep play'")
        return _practice_headless(args, name or "Rep", out)
    if args.json:
        raise UsageError("--json prints a headless run for scripts (lines piped in, or "
                         "'nextstep play'); at a terminal the app shows the scorecard, and "
                         "'nextstep grade --json' gives it for a saved transcript")
    import random

    from trainer.app.practice_app import PracticeApp

    stop_on_terminate()
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    if not name:
        name = ask_name()
    app = PracticeApp(trainee=name, seed=seed, coach=args.coach, vi=args.vi, out=out,
                      history=history_file(), watch=args.watch)
    store = _BackgroundStore(args)  # opens while the trainee reads the brief
    if args.scenario:
        scenario = load(args.scenario)
    else:
        found = entries()
        scenario = app.pick(found, default_scenario_id()) if len(found) > 1 \
            else load(default_scenario_id())
        if scenario is None:
            return EXIT_OK
    def recorder() -> Any:
        from trainer.recording import StoreRecorder

        opened = store.get()
        if opened is None:
            return None
        return StoreRecorder(opened, trainee=name, kind="practice", scenario=scenario)

    app.recorder_factory = recorder
    try:
        if not app.brief(scenario):
            return EXIT_OK
        return app.run(scenario)
    finally:
        store.close()


def stop_on_terminate() -> None:
    """Let a terminate signal (kill, a closing session manager) stop an interactive run the
    way Ctrl-C does: the run says where its transcript is before the process ends."""
    import signal

    def stop(signum: int, frame: Any) -> None:
        from prompt_toolkit.application import get_app_or_none

        app = get_app_or_none()
        loop = app.loop if app is not None else None
        if app is not None and app.is_running and not app.is_done and loop is not None:
            # answer the prompt the way Ctrl-C does, from the event loop: an exception
            # raised here, in the middle of the loop's own work, could leave it hanging
            loop.call_soon_threadsafe(lambda: app.exit(exception=KeyboardInterrupt()))
            return
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError, AttributeError):  # not the main thread; no SIGTERM
        signal.signal(signal.SIGTERM, stop)


def ask_name(question: str = "Your name (used in transcripts; asked once): ", *,
             remember: bool = True) -> str:
    """Ask the trainee's name; remember it in the user's config when ``remember``. Ctrl-D or
    an empty answer gives "Rep" for this run only; Ctrl-C leaves."""
    from prompt_toolkit import prompt

    from trainer.paths import save_config

    try:
        name = " ".join(prompt(question).split())
    except EOFError:
        name = ""
    if not name:
        return "Rep"
    if remember:
        with contextlib.suppress(OSError):  # remembering is a convenience, not a requirement
            save_config({"name": name})
    return name


def _practice_headless(args: argparse.Namespace, name: str, out: Any) -> int:
    """``practice`` with piped input: the same run as ``play``, and the transcript is kept."""
    from trainer.catalog import default_scenario_id
    from trainer.harness import load
    from trainer.practice import Practice
    from trainer.render import Style, conversation, scorecard

    scenario = load(args.scenario or default_scenario_id())
    store = open_store(args)
    recorder = None
    if store is not None:
        from trainer.recording import StoreRecorder

        def recorder() -> StoreRecorder:
            return StoreRecorder(store, trainee=name, kind="practice", scenario=scenario)
    run = Practice(scenario, trainee=name, seed=args.seed or 0, out=out,
                   recorder_factory=recorder)
    run.opening()
    said = run.file.notices()  # a transcript file that cannot be written, said on stderr
    for line in (sys.stdin.read().splitlines() if sys.stdin is not None else []):
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("/"):
            continue
        if run.engine.ended:
            break
        said += run.send(line).notes
    card = run.finish()
    for note in said + run.file.notices():
        print(f"nextstep: {note}", file=sys.stderr)
    if store is not None:
        store.close()
    if args.json:
        from trainer.harness import Run

        result = Run(scenario, run.engine.transcript, card, ())
        saved = str(run.path) if run.file.saved else None
        print(json.dumps({**result.to_dict(), "transcript_file": saved},
                         ensure_ascii=not utf_capable(sys.stdout)))
        return EXIT_OK
    style = Style.for_stream(sys.stdout)
    print(conversation(run.engine.transcript, style))
    if run.engine.outcome:
        print(f"\nOutcome: {run.engine.outcome.replace('_', ' ')}")
    print()
    print(scorecard(card, style, title=f"{scenario.title} ({scenario.id})"))
    print(f"\n{run.file.summary()}")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from trainer.catalog import entries

    found = entries()
    if args.json:
        rows: list[dict[str, Any]] = []
        for e in found:
            sc = e.scenario
            if sc is None:
                rows.append({"path": e.path, "origin": e.origin,
                             "errors": [str(err) for err in e.errors]})
                continue
            rows.append({"id": sc.id, "title": sc.title, "difficulty": sc.difficulty,
                         "persona": {"name": sc.persona.name, "role": sc.persona.role,
                                     "company": sc.persona.company},
                         "brief": _first_line(sc.brief), "tags": list(sc.tags),
                         "path": e.path, "origin": e.origin})
        print(json.dumps(rows, indent=2, ensure_ascii=not utf_capable(sys.stdout)))
        return EXIT_OK
    from trainer.render import Style, columns

    style = Style.for_stream(sys.stdout)
    bad = 0
    for e in found:
        sc = e.scenario
        if sc is None:
            bad += 1
            print(style.paint(f"! {e.path}: cannot be loaded", "fail"))
            for err in e.errors[:3]:
                print(f"    {err}")
            continue
        stars = ("★" * sc.difficulty if style.unicode else "*" * sc.difficulty).ljust(5)
        head = f"{sc.id:<24} {stars} {sc.title}"
        print(style.paint(head, "bold") if style.colour else head)
        who = f"{sc.persona.name}, {sc.persona.role} at {sc.persona.company}"
        brief = _first_line(sc.brief)
        for text in (who, brief):
            room = style.width - 6
            if columns(text) > room:
                text = text[: room - 3] + "..."
            print(f"      {text}")
    if bad:
        print(f"\n{bad} scenario file(s) could not be loaded: run 'nextstep validate PATH' for "
              "details.", file=sys.stderr)
    return EXIT_OK


def _first_line(text: str) -> str:
    """The first sentence or line of a brief, for one-line listings."""
    first = " ".join(text.split())
    for stop in (". ", "? ", "! "):
        if stop in first:
            first = first.split(stop, 1)[0] + stop.strip()
            break
    return first


def _cmd_play(args: argparse.Namespace) -> int:
    from trainer.harness import load, play
    from trainer.render import Style, conversation, scorecard

    if args.min_score is not None and not 0 <= args.min_score <= 100:
        raise UsageError("--min-score takes a number from 0 to 100")
    scenario = load(args.scenario)
    if args.replies == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("give the trainee's lines with --replies FILE, or pipe them in; "
                             "for the interactive app use 'nextstep practice'")
        lines = sys.stdin.read().splitlines()
    else:
        try:
            with open(args.replies, encoding="utf-8-sig") as f:
                lines = f.read().splitlines()
        except OSError as error:
            raise UsageError(f"{args.replies}: cannot be read: {error.strerror}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{args.replies}: is not UTF-8 text") from None
    run = play(scenario, lines, seed=args.seed, rep_name=args.name)
    store = open_store(args)
    transcript = run.transcript
    if store is not None:
        from uuid import uuid4

        from trainer.store import scenario_hash

        uid = uuid4().hex
        if _keep(store, lambda: store.record_graded(
                args.name, run.scorecard, kind="play", scenario_id=scenario.id,
                scenario_hash=scenario_hash(scenario), source=args.replies,
                meta={"uid": uid})) is not None:
            # grading the saved file later finds this run instead of keeping it twice
            transcript = type(transcript)(transcript.turns, transcript.events,
                                          {**transcript.meta, "run_uid": uid})
        store.close()
    unsaved = None
    if args.out:
        from trainer.transcript import save

        try:
            save(transcript, args.out)
        except OSError as error:  # said after the run is shown: the run is not lost with it
            unsaved = f"nextstep: {args.out}: cannot be written: {error.strerror}"
    if args.json:
        print(json.dumps(run.to_dict(), ensure_ascii=not utf_capable(sys.stdout)))
    else:
        style = Style.for_stream(sys.stdout, args.color)
        print(conversation(run.transcript, style))
        outcome = run.outcome or "unfinished (the lines ran out before the meeting ended)"
        print(f"\nOutcome: {outcome.replace('_', ' ')}")
        if run.unused:
            print(f"({len(run.unused)} line(s) after the meeting ended were not used)")
        print()
        print(scorecard(run.scorecard, style, title=f"{scenario.title} ({scenario.id})"))
    if unsaved:
        print(unsaved, file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.min_score is not None and run.scorecard.score < args.min_score:
        return EXIT_BELOW
    return EXIT_OK


class _BackgroundStore:
    """The results store, opened on a thread so the first screen never waits for it."""

    def __init__(self, args: argparse.Namespace) -> None:
        import sysconfig
        import threading

        # Python 3.11 fills sysconfig's settings on first use, not thread-safely. The store's
        # thread reads them (importing SQLAlchemy does); were this thread to import zoneinfo
        # meanwhile, zoneinfo would find no time-zone folder, and every scenario's time zone
        # would be "not a time zone name". Fill them before the thread starts.
        sysconfig.get_config_vars()
        self.store: Any = None
        self._thread = threading.Thread(target=self._open, args=(args,), daemon=True)
        self._thread.start()

    def _open(self, args: argparse.Namespace) -> None:
        self.store = open_store(args)

    def get(self) -> Any:
        self._thread.join()
        return self.store

    def close(self) -> None:
        if self.get() is not None:
            self.store.close()


class _PendingGrades:
    """Graded files on their way to the results store, written a batch per transaction (one
    at a time costs more than grading a short call). The database is opened with the first
    batch, after the first scorecard is on screen; whatever is pending is written at close,
    also when the run is interrupted."""

    BATCH = 25

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.store: Any = None
        self.opened = False
        self.pending: list[tuple[str, Any, str]] = []
        self.total = 0  # results handed in
        self.lost = 0  # results the store refused
        self.nameless = 0  # results kept under "unknown": the rep is only "Rep"
        self.told: bool | None = None  # the database had "unknown" runs: the note was given

    def add(self, trainee: str, card: Any, source: str) -> None:
        self.total += 1
        self.nameless += trainee == UNKNOWN_TRAINEE
        self.pending.append((trainee, card, source))
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        if not self.opened:
            self.opened = True
            self.store = open_store(self.args)
        if self.told is None and self.store is not None \
                and any(t == UNKNOWN_TRAINEE for t, _, _ in self.pending):
            # said once per database: asked only when the batch has a nameless call, and
            # before it adds its own "unknown" runs
            self.told = any(name.casefold() == UNKNOWN_TRAINEE
                            for name, _ in _keep(self.store, self.store.trainees) or [])
        try:
            if self.store is not None:
                self.store.record_graded_many(self.pending, skip_repeats=True)
        except NextStepError as error:
            if not self.lost:  # said once; a full disk would say it every batch
                print(f"nextstep: results are not being kept: {error}", file=sys.stderr)
            self.lost += len(self.pending)
        # only now: a write cut short (Ctrl-C) was rolled back and is tried again at close
        self.pending = []

    def close(self) -> None:
        self.flush()
        if self.store is not None:
            self.store.close()
        if self.lost and self.total > 1:
            print(f"nextstep: {self.lost} of {self.total} results were not kept in the results "
                  "database (the grades above stand)", file=sys.stderr)
        kept = self.store is not None and not self.lost
        if kept and self.nameless and not self.told:
            which, them = ("the result is", "it") if self.total == 1 else \
                (f"{self.nameless} of {self.total} results are", "them")
            print(f"nextstep: the rep is named only by a role, so {which} kept under the "
                  f"trainee '{UNKNOWN_TRAINEE}'; give --name to keep {them} under the rep's "
                  "name", file=sys.stderr)


UNKNOWN_TRAINEE = "unknown"


def _trainee(rep_name: str) -> str:
    """Whose call it is: the rep's speaker name, unless it is just a role word."""
    from trainer.transcript import REP_NAMES

    return rep_name if rep_name and rep_name.casefold() not in REP_NAMES else UNKNOWN_TRAINEE


class _Progress:
    """A one-line progress counter on stderr for long batches, only on a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.on = total >= 20 and sys.stderr.isatty()
        self.shown = False

    def update(self, index: int, name: str) -> None:
        if self.on and (index % 10 == 0):
            sys.stderr.write(f"\rgrading {index + 1}/{self.total} {name[-40:]:<40}")
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()
            self.shown = False


def number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, or a usage error saying so
    (ids and counts beyond what a database or a date can hold were tracebacks)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            upto = f" to {high:,}" if high < 10 ** 9 else " up"
            raise argparse.ArgumentTypeError(f"{value} is not a whole number from {low:,}"
                                             f"{upto}")
        return value

    parse.__name__ = "number"
    return parse


ID = number(1, 2 ** 62)  # a stored run's or session's id
SEED = number(0, 2 ** 32 - 1)


def _suggest_command(argv: Sequence[str], parser: argparse.ArgumentParser) -> None:
    """'Did you mean' for a mistyped command, before argparse's generic complaint."""
    if not argv or argv[0].startswith("-"):
        return
    names = list(_commands(parser))
    if argv[0] in names:
        return
    from rapidfuzz import process

    best = process.extractOne(argv[0], names, score_cutoff=60)
    hint = f" Did you mean '{best[0]}'?" if best else ""
    raise UsageError(f"'{argv[0]}' is not a nextstep command.{hint} "
                     f"Commands: {', '.join(names)}.")


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser of each command."""
    action = parser._subparsers._group_actions[0]  # type: ignore[union-attr]
    choices: dict[str, argparse.ArgumentParser] = action.choices  # type: ignore[assignment]
    return choices


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot show a quoted name ("José") gets a '?', not a traceback.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    try:
        _suggest_command(args_list, parser)
        args, extra = parser.parse_known_args(args_list)
        if extra:  # said with the command's own usage, not the top level's
            own = _commands(parser).get(args_list[0], parser) if args_list else parser
            own.error(f"unrecognized arguments: {' '.join(extra)}")
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_BAD_INPUT
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except NextStepError as error:
        print(f"nextstep: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("nextstep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:  # a file to write that cannot be: read-only, missing folder...
        where = f"{error.filename}: " if error.filename else ""
        print(f"nextstep: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
