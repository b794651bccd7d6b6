"""The ``nextstep`` command line: a thin layer over the library.

Each command lives in a function ``_cmd_<name>`` that imports what it needs when it runs, so
``nextstep grade`` never pays for the practice app's imports. Errors from the library
(:class:`trainer.errors.NextStepError`) become one clean message on stderr and their exit code.
"""

from __future__ import annotations

import argparse
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
colour: off when NO_COLOR is set or output is not a terminal.
"""


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors through NextStep's error type (exit code 2)."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        raise UsageError(f"{message}\n{self.format_usage().rstrip()}\n"
                         f"Run '{self.prog} --help' for more.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nextstep", description=_DESCRIPTION, epilog=_EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
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
               "  cat call.txt | nextstep grade -\n\n"
               "exit codes: 0 all graded, 1 a transcript scored below --min-score, 2 bad input "
               "(an unreadable transcript) or usage; the other files are still graded.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    g.add_argument("files", nargs="+", metavar="FILE", help="transcript files ('-' for stdin)")
    g.add_argument("--json", action="store_true",
                   help="print one JSON object per transcript (JSON Lines)")
    g.add_argument("--rep", metavar="NAME", help="the rep's speaker name (or Gong speaker id)")
    g.add_argument("--format", metavar="F", choices=("text", "vtt", "srt", "gong", "json"),
                   help="input format: text, vtt, srt, gong, json (default: detected)")
    g.add_argument("--min-score", type=int, metavar="N", default=None,
                   help="exit with code 1 when any transcript scores below N (0-100)")
    g.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour output (default: auto; NO_COLOR is respected)")
    g.set_defaults(func=_cmd_grade)
    return parser


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked for (package metadata is slow to import)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"nextstep {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nextstep-trainer")
    except PackageNotFoundError:
        return "0+unknown"


def _cmd_grade(args: argparse.Namespace) -> int:
    from trainer.formats import parse, read
    from trainer.render import Style, scorecard, summary
    from trainer.rubric import grade

    if args.min_score is not None and not 0 <= args.min_score <= 100:
        raise UsageError("--min-score takes a number from 0 to 100")
    out = sys.stdout
    style = Style.for_stream(out, args.color)
    progress = _Progress(len(args.files))
    rows: list[tuple[str, Any]] = []
    bad_input = below = False
    for index, name in enumerate(args.files):
        progress.update(index, name)
        try:
            if name == "-":
                transcript = parse(sys.stdin.buffer.read(), name="<stdin>", format=args.format,
                                   rep=args.rep)
            else:
                transcript = read(name, format=args.format, rep=args.rep)
            card = grade(transcript)
        except NextStepError as error:
            progress.clear()
            bad_input = True
            print(f"nextstep grade: {error}", file=sys.stderr)
            if args.json:
                print(json.dumps({"file": name, "error": str(error)}), file=out, flush=True)
            rows.append((name, None))
            continue
        if args.min_score is not None and card.score < args.min_score:
            below = True
        rows.append((name, card))
        progress.clear()
        if args.json:
            print(json.dumps({"file": name, **card.to_dict()}, ensure_ascii=not _utf(out)),
                  file=out, flush=True)
        elif len(args.files) == 1:
            print(scorecard(card, style, title=name), file=out)
    progress.clear()
    if not args.json and len(args.files) > 1:
        print(summary(rows, style), file=out)
    if bad_input:
        return EXIT_BAD_INPUT
    return EXIT_BELOW if below else EXIT_OK


def _utf(stream: Any) -> bool:
    """True when ``stream`` can carry any character (else JSON escapes them, losing nothing)."""
    return "utf" in (getattr(stream, "encoding", None) or "").lower()


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


def _suggest_command(argv: Sequence[str], parser: argparse.ArgumentParser) -> None:
    """'Did you mean' for a mistyped command, before argparse's generic complaint."""
    if not argv or argv[0].startswith("-"):
        return
    names = [a for a in parser._subparsers._group_actions[0].choices]  # type: ignore[union-attr]
    if argv[0] in names:
        return
    from rapidfuzz import process

    best = process.extractOne(argv[0], names, score_cutoff=60)
    hint = f" Did you mean '{best[0]}'?" if best else ""
    raise UsageError(f"'{argv[0]}' is not a nextstep command.{hint} "
                     f"Commands: {', '.join(names)}.")


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
        args = parser.parse_args(args_list)
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


if __name__ == "__main__":
    sys.exit(main())
