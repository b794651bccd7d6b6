"""The authoring commands of ``nextstep``: validate, test, graph, schema, new.

Registered into the main parser by :func:`add_commands`; each command imports what it needs
when it runs. The work is done by :mod:`trainer.authoring`; this module reads arguments,
prints, and chooses the exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from trainer.errors import UsageError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def add_commands(sub: Any) -> None:
    """Add the authoring subcommands to ``nextstep``'s subparsers."""
    # The main parser's formatter: prose wraps to the terminal, examples stay as written.
    from trainer.cli import HelpFormatter as formatter
    v = sub.add_parser(
        "validate", help="check scenario files: every error and warning, with where it is",
        description="Check scenario files the way the loader reads them, and then lint them. "
                    "Errors (NS1xx) stop a scenario from loading; warnings (NS2xx) are things "
                    "that load but will not behave as you expect: a state nothing leads to, a "
                    "stall you cannot confront your way out of, intent examples that sound "
                    "alike. Each comes with file:line:col, the place in the document, and a "
                    "code that docs/authoring.md explains.",
        epilog="examples:\n"
               "  nextstep validate my-prospect.yaml\n"
               "  nextstep validate scenarios/               every .yaml file in a folder\n"
               "  nextstep validate polite-staller          a scenario by id\n"
               "  nextstep validate *.yaml --strict --json  for CI: warnings fail too\n\n"
               "silence a warning you mean to keep with a comment on its line (or the line "
               "above):\n"
               "  examples: [what about money]   # nextstep: ignore NS209\n\n"
               "exit codes: 0 no errors (warnings are shown), 1 warnings with --strict, "
               "2 errors or usage.",
        formatter_class=formatter)
    v.add_argument("paths", nargs="+", metavar="PATH",
                   help="scenario files, folders of them, or scenario ids")
    v.add_argument("--strict", action="store_true",
                   help="treat warnings as errors (exit code 1 when there are any)")
    v.add_argument("--json", action="store_true",
                   help="print one JSON object per file (JSON Lines)")
    v.add_argument("--ignore", metavar="CODES", default="",
                   help="warning codes to leave out, comma-separated (e.g. NS210,NS213)")
    v.add_argument("--no-lint", action="store_true",
                   help="only the loader's errors, no warnings")
    v.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour output (default: auto; NO_COLOR is respected)")
    v.set_defaults(func=_cmd_validate)

    t = sub.add_parser(
        "test", help="run the conversations under a scenario's tests: block",
        description="Play each case of a scenario's `tests:` block through the prospect and "
                    "check what was expected: the outcome, the prospect's state or words, the "
                    "moves heard in your lines, flags, rubric verdicts. A failure shows what "
                    "was expected against what happened, and the conversation as it went.",
        epilog="a case, in the scenario file:\n"
               "  tests:\n"
               "    - name: confronting the stall wins\n"
               "      lines:\n"
               "        - Is this a priority for you now, or is it never going to be?\n"
               "        - {say: \"Where do we go from here?\", expect: {state: concern}}\n"
               "      expect: {outcome: won, criteria: {confront_stall: pass}}\n\n"
               "examples:\n"
               "  nextstep test my-prospect.yaml\n"
               "  nextstep test scenarios/ -k stall     only cases whose name has 'stall'\n"
               "  nextstep test my-prospect.yaml --json\n\n"
               "from pytest: see trainer/testing.py (scenario_cases, or pytest -p "
               "trainer.testing).\n\n"
               "exit codes: 0 all passed, 1 a case failed, 2 a file could not be loaded or "
               "usage.",
        formatter_class=formatter)
    t.add_argument("paths", nargs="+", metavar="PATH",
                   help="scenario files, folders of them, or scenario ids")
    t.add_argument("-k", "--case", metavar="TEXT",
                   help="run only the cases whose name contains TEXT (any case)")
    t.add_argument("-v", "--verbose", action="store_true",
                   help="show each case's outcome and score as well")
    t.add_argument("--json", action="store_true",
                   help="print one JSON object per file (JSON Lines)")
    t.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour output (default: auto; NO_COLOR is respected)")
    t.set_defaults(func=_cmd_test)

    g = sub.add_parser(
        "graph", help="draw a scenario's states and transitions (Mermaid or Graphviz)",
        description="The states and transitions of a scenario as a diagram: stall states "
                    "marked, endings coloured by outcome, the engine's built-in behaviour "
                    "(letting a stall pass, booking a time and recapping) dashed, and states "
                    "no path reaches faded. Mermaid renders on GitHub inside a ```mermaid "
                    "block; Graphviz with `dot -Tsvg`.",
        epilog="examples:\n"
               "  nextstep graph polite-staller\n"
               "  nextstep graph my-prospect.yaml --markdown >> README.md\n"
               "  nextstep graph my-prospect.yaml --format dot | dot -Tsvg > flow.svg\n\n"
               "exit codes: 0 drawn, 2 the scenario cannot be loaded or usage.",
        formatter_class=formatter)
    g.add_argument("scenario", metavar="SCENARIO", help="a scenario id or .yaml path")
    g.add_argument("--format", choices=("mermaid", "dot"), default="mermaid",
                   help="mermaid (default) or dot (Graphviz)")
    g.add_argument("--markdown", action="store_true",
                   help="wrap Mermaid in a ```mermaid block, ready to paste into Markdown")
    g.add_argument("--no-builtin", action="store_true",
                   help="draw only what the file writes, not the engine's built-in behaviour")
    g.set_defaults(func=_cmd_graph)

    s = sub.add_parser(
        "schema", help="print the JSON Schema of the scenario format",
        description="The JSON Schema (draft 2020-12) of scenario files, generated from the "
                    "same model the loader reads. Editors with the YAML language server (VS "
                    "Code's YAML extension, and others) use it for completion and checking "
                    "when the file's first line points at it.",
        epilog="first line of a scenario file:\n"
               "  # yaml-language-server: $schema=scenario.schema.json\n\n"
               "examples:\n"
               "  nextstep schema > scenario.schema.json\n"
               "  nextstep schema --out ~/scenarios/scenario.schema.json\n\n"
               "exit codes: 0 written, 2 usage.",
        formatter_class=formatter)
    s.add_argument("--out", metavar="FILE", help="write it to FILE instead of printing it")
    s.set_defaults(func=_cmd_schema)

    n = sub.add_parser(
        "new", help="start a new scenario from a commented example",
        description="Write a new scenario, commented in plain words, that already validates "
                    "and passes its own tests: a prospect who stalls, a concern behind the "
                    "stall, an intent, a rubric criterion and two test conversations. It goes "
                    "in your scenario folder (NEXTSTEP_SCENARIOS, else the data folder's "
                    "scenarios/), where 'nextstep list' finds it, with scenario.schema.json "
                    "beside it for your editor.",
        epilog="examples:\n"
               "  nextstep new price-shopper\n"
               "  nextstep new \"The gatekeeper\" --dir scenarios/\n"
               "  nextstep new ./my-prospect.yaml     a path: written there\n\n"
               "then:\n"
               "  nextstep validate FILE; nextstep test FILE; nextstep practice FILE --watch\n\n"
               "exit codes: 0 written, 2 the file exists (use --force) or usage.",
        formatter_class=formatter)
    n.add_argument("name", metavar="NAME",
                   help="the scenario's name; its id and file name are made from it (a path "
                        "ending in .yaml: written there, named after the file)")
    n.add_argument("--dir", metavar="DIR", help="write into DIR instead of your scenario folder")
    n.add_argument("--force", action="store_true", help="replace a file of the same name")
    n.add_argument("--print", action="store_true", dest="print_only",
                   help="print the scenario instead of writing a file")
    n.set_defaults(func=_cmd_new)


def utf_capable(stream: Any) -> bool:
    return "utf" in (getattr(stream, "encoding", None) or "").lower()


def _cmd_validate(args: argparse.Namespace) -> int:
    from trainer.authoring.diagnostics import LINT_CODES
    from trainer.authoring.validate import check_file, exit_code, render, scenario_files
    from trainer.render import Style

    ignore = [c.strip().upper() for c in args.ignore.split(",") if c.strip()]
    unknown = [c for c in ignore if c not in LINT_CODES]
    if unknown:
        raise UsageError(f"--ignore takes warning codes; {', '.join(unknown)} "
                         f"{'is' if len(unknown) == 1 else 'are'} not one (errors cannot be "
                         f"ignored). Warning codes: {', '.join(LINT_CODES)}")
    reports = [check_file(p, lint=not args.no_lint, ignore=ignore)
               for p in scenario_files(args.paths)]
    if args.json:
        for r in reports:
            row = r.to_dict()
            row["strict"] = args.strict
            print(json.dumps(row, ensure_ascii=not utf_capable(sys.stdout)))
    else:
        colour = Style.for_stream(sys.stdout, args.color).colour
        print(render(reports, strict=args.strict, colour=colour))
    return exit_code(reports, strict=args.strict)


def _cmd_test(args: argparse.Namespace) -> int:
    from trainer.authoring.report import render_results
    from trainer.authoring.scenario_tests import run_file
    from trainer.authoring.validate import scenario_files
    from trainer.render import Style

    started = time.perf_counter()
    results = [run_file(p, select=args.case) for p in scenario_files(args.paths)]
    seconds = time.perf_counter() - started
    if args.json:
        for r in results:
            print(json.dumps(r.to_dict(), ensure_ascii=not utf_capable(sys.stdout)))
    else:
        style = Style.for_stream(sys.stdout, args.color)
        print(render_results(results, style, seconds=seconds, verbose=args.verbose))
    if any(r.errors for r in results):
        return EXIT_BAD_INPUT
    if args.case and not any(r.results for r in results):
        print(f"nextstep test: no case name contains {args.case!r}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_FAILED if any(r.failed for r in results) else EXIT_OK


def _cmd_graph(args: argparse.Namespace) -> int:
    from trainer.authoring.graph import render
    from trainer.harness import load

    scenario = load(args.scenario)
    text = render(scenario, args.format, builtin=not args.no_builtin)
    if args.markdown:
        if args.format != "mermaid":
            raise UsageError("--markdown wraps Mermaid; leave out --format dot")
        text = f"```mermaid\n{text}```\n"
    sys.stdout.write(text)
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from trainer.authoring.schema import schema_text

    text = schema_text()
    if args.out:
        from pathlib import Path

        from trainer.paths import write_atomic

        try:
            write_atomic(Path(args.out), text)
        except OSError as err:
            raise UsageError(f"{args.out}: cannot be written: {err.strerror or err}") from None
        print(f"Wrote {args.out}", file=sys.stderr)
        return EXIT_OK
    sys.stdout.write(text)
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trainer.authoring import scaffold

    name, folder = args.name, Path(args.dir) if args.dir else None
    if name.lower().endswith((".yaml", ".yml")):  # a path: "nextstep new ./my-prospect.yaml"
        if folder is not None:
            raise UsageError("give either a .yaml path or --dir, not both")
        folder, name = Path(name).parent, Path(name).stem
    if args.print_only:
        sys.stdout.write(scaffold.render(name))
        return EXIT_OK
    created = scaffold.create(name, folder=folder, force=args.force)
    path = created.path
    print(f"Created {path}")
    if created.schema is not None:
        print(f"  and {created.schema.name} beside it, for completion in your editor")
    print("Next:\n"
          f"  edit it, then   nextstep validate {path}\n"
          f"  its tests:      nextstep test {path}\n"
          f"  try it:         nextstep practice {path} --watch")
    return EXIT_OK


__all__ = ["add_commands"]
