"""How ``nextstep test`` shows results: a line per case, then each failure in full.

A failure shows every expectation that did not hold as a small diff (``-`` expected,
``+`` what happened) and the conversation as it went, with the moves heard in each trainee
line and the prospect's state after each answer, so the author sees why.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.authoring.diagnostics import plural
from trainer.authoring.scenario_tests import CaseResult, FileResult
from trainer.render import Style, wrap


def render_results(files: Sequence[FileResult], style: Style, *, seconds: float,
                   verbose: bool = False) -> str:
    """The whole report of a ``nextstep test`` run."""
    out: list[str] = []
    failed: list[tuple[FileResult, CaseResult]] = []
    for f in files:
        out.append(style.paint(f.file, "bold"))
        if f.errors:
            out.append("  " + style.paint(f"cannot run: {plural(len(f.errors), 'error')} in "
                                          "the file (nextstep validate shows them all)",
                                          "fail"))
            out += [f"    {e}" for e in f.errors[:10]]
            continue
        if not f.results and f.unselected:
            out.append(style.paint(f"  {plural(f.unselected, 'test')} here, none with that "
                                   "name (-k)", "dim"))
            continue
        if not f.results:
            out.append("  no tests: add a `tests:` block (see the authoring guide)")
            continue
        for r in f.results:
            mark = style.mark("pass" if r.passed else "fail")
            extra = style.paint(f"  ({_ending(r.outcome)}, score {r.score})", "dim")
            out.append(f"  {mark} {r.name}{extra if verbose else ''}")
            if not r.passed:
                failed.append((f, r))
    for f, r in failed:
        out.append("")
        out += failure_lines(f.file, r, style)
    out.append("")
    out.append(summary(files, seconds, style))
    return "\n".join(out)


def summary(files: Sequence[FileResult], seconds: float, style: Style) -> str:
    passed = sum(f.passed for f in files)
    failed = sum(f.failed for f in files)
    broken = sum(1 for f in files if f.errors)
    parts = []
    if failed:
        parts.append(style.paint(f"{failed} failed", "fail"))
    parts.append(style.paint(f"{passed} passed", "pass") if passed else "0 passed")
    if broken:
        parts.append(style.paint(f"{plural(broken, 'file')} could not run", "fail"))
    return f"{', '.join(parts)} in {seconds:.2f}s"


def failure_lines(file: str, r: CaseResult, style: Style) -> list[str]:
    """One failed case in full: where it is, each unmet expectation, the conversation."""
    where = f"{file}:{r.case.line}:{r.case.column}" if r.case.line else file
    out = [style.paint(f"FAILED {where}: {r.name}", "fail")]
    if r.error:
        out.append(f"  the run broke: {r.error}")
    if r.failures:
        out.append(style.paint("  (- expected, + actual)", "dim"))
    for fail in r.failures:
        at = "at the end" if fail.where == "end" else f"after {fail.where}"
        out.append(f"  {at}, {fail.what}:")
        out.append(style.paint(f"    - {fail.expected}", "pass"))
        out.append(style.paint(f"    + {fail.actual}", "fail"))
    out.append(f"  the conversation (seed {r.case.case.seed}):")
    number = 0
    width = max(60, style.width)
    for s in r.conversation:
        if s.role == "rep":
            number += 1
            head = f"  {number:>3} {s.speaker}:"
            after = f"heard: {', '.join(s.moves) or 'no move'}"
        else:
            head = f"      {s.speaker}:"
            after = f"state: {s.state}" if s.state else ""
        indent = " " * (len(head) + 1)
        out += wrap(s.text, width, head, indent) or [head]
        if after:
            out.append(style.paint(f"{indent}({after})", "dim"))
    if r.outcome:
        out.append(style.paint(f"      meeting over: {_ending(r.outcome)}", "dim"))
    return out


def _ending(outcome: str | None) -> str:
    return (outcome or "unfinished").replace("_", " ")
