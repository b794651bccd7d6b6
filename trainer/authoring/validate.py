"""``nextstep validate``: every error and warning of scenario files, located and explained.

One file is checked in three passes, each reporting everything it finds:

1. the loader (:func:`trainer.scenario_load.check_scenario`): format errors, ``NS1xx``;
2. the ``tests:`` block (:mod:`trainer.authoring.scenario_tests`), read with the same rules;
3. the linter (:mod:`trainer.authoring.lint`): warnings, ``NS2xx``, on a file that loads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.authoring.diagnostics import Diagnostic, Suppressions, counts, plural, snippet
from trainer.errors import ScenarioError, UsageError

if TYPE_CHECKING:
    from trainer.authoring.locate import Locator


@dataclass(frozen=True)
class FileReport:
    """What validating one file found."""

    file: str
    diagnostics: tuple[Diagnostic, ...]
    source: str = ""
    scenario_id: str | None = None
    hidden: int = 0  # warnings silenced by `# nextstep: ignore` comments or --ignore

    @property
    def errors(self) -> int:
        return counts(self.diagnostics)[0]

    @property
    def warnings(self) -> int:
        return counts(self.diagnostics)[1]

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "scenario": self.scenario_id, "ok": self.errors == 0,
                "errors": self.errors, "warnings": self.warnings, "ignored": self.hidden,
                "diagnostics": [d.to_dict() for d in self.diagnostics]}


def check_file(path: str | os.PathLike[str], *, lint: bool = True,
               ignore: Iterable[str] = ()) -> FileReport:
    """Validate one scenario file: load errors, ``tests:`` errors, then lint warnings."""
    from trainer.authoring.lint import lint as run_lint
    from trainer.authoring.locate import Locator
    from trainer.authoring.scenario_tests import read_cases
    from trainer.scenario_load import check_scenario

    name = os.fspath(path)
    scenario, errors = check_scenario(name)
    found = [Diagnostic.from_error(e) for e in errors]
    try:
        source = Path(name).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return FileReport(name, tuple(found))
    locator = Locator.from_text(source)
    if scenario is not None and not errors:
        for e in _catalog_errors(name):
            place = locator.place(e.path or "", key=True)
            found.append(Diagnostic.from_error(ScenarioError(
                e.message, file=name, line=place.line if place else None,
                column=place.column if place else None, path=e.path, code=e.code)))
    if locator.root is not None:
        _, test_errors = read_cases(source, file=name, scenario=scenario, root=locator.root)
        found += [Diagnostic.from_error(e) for e in test_errors]
    hidden = 0
    if scenario is not None and lint:
        quiet = Suppressions.scan(source)
        skip = {c.upper() for c in ignore}
        warnings = run_lint(scenario, source, file=name, locator=locator)
        if not errors:
            warnings += _id_warnings(name, scenario.id, locator)
        for d in warnings:
            if d.code in skip or quiet.hides(d):
                hidden += 1
            else:
                found.append(d)
    found.sort(key=lambda d: (d.line or 0, d.column or 0, d.severity != "error", d.code))
    return FileReport(name, tuple(found), source, scenario.id if scenario else None, hidden)


def _id_warnings(name: str, scenario_id: str, locator: Locator) -> list[Diagnostic]:
    """What a file's id means outside the user's scenario folders, where the catalog says
    nothing: an id a shipped scenario has (NS215), a file not named after its id (NS216)."""
    from trainer.scenario_load import shipped_files

    here = Path(name).resolve()
    place = locator.place("id")
    found: list[Diagnostic] = []

    def warn(code: str, message: str) -> None:
        found.append(Diagnostic(code, "warning", message, name, place.line if place else None,
                                place.column if place else None, "id"))

    shipped = {Path(str(f)).resolve(): f.name.rsplit(".", 1)[0]
               for f in shipped_files()}
    if scenario_id in shipped.values() and here not in shipped and not _in_user_folder(here):
        warn("NS215", f"the id `{scenario_id}` is a shipped scenario's: `nextstep practice "
             f"{scenario_id}` plays the shipped one, and in your scenario folder this file "
             "is refused (NS120). Give it its own id.")
    stem = here.name.rsplit(".", 1)[0]
    if stem != scenario_id:
        warn("NS216", f"the file is named `{here.name}` but its id is `{scenario_id}`; a "
             f"scenario's file is named after its id, so rename it `{scenario_id}"
             f"{here.suffix}` (or change the id).")
    return found


def _in_user_folder(here: Path) -> bool:
    from trainer.paths import user_scenario_dirs

    return here.parent in [Path(d).resolve() for d in user_scenario_dirs()]


def _catalog_errors(name: str) -> list[ScenarioError]:
    """What `nextstep list` holds against a file in the user's scenario folders (an id
    another scenario already has: NS120); nothing for a file anywhere else."""
    from trainer.paths import user_scenario_dirs

    here = Path(name).resolve()
    folders = [Path(d).resolve() for d in user_scenario_dirs()]
    if here.parent not in folders:
        return []
    # The catalog loads every scenario: once per state of the folders, not once per file
    state = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for d in folders
                  if d.is_dir() for f in sorted(d.glob("*.y*ml")))
    return list(_clashes(state).get(here, ()))


@lru_cache(maxsize=4)
def _clashes(state: tuple[tuple[str, int, int], ...]) -> dict[Path, tuple[ScenarioError, ...]]:
    """The NS120 errors of the user's files, by path, for one state of their folders."""
    from trainer import catalog

    return {Path(e.path).resolve(): tuple(err for err in e.errors if err.code == "NS120")
            for e in catalog.entries() if e.origin == "user"}


def scenario_files(args: Sequence[str]) -> list[str]:
    """The files named by ``args``: files, folders (their .yaml files), or scenario ids."""
    out: list[str] = []
    for arg in args:
        p = Path(arg)
        if p.is_dir():
            try:
                found = sorted(str(f) for f in p.iterdir()
                               if f.suffix in (".yaml", ".yml") and f.is_file())
            except OSError as error:
                raise UsageError(f"{arg}: the folder cannot be read "
                                 f"({error.strerror or error})") from None
            if not found:
                raise UsageError(f"{arg}: the folder holds no .yaml files")
            out += found
        elif p.exists() or arg.endswith((".yaml", ".yml")) or os.sep in arg or "/" in arg:
            out.append(arg)  # a missing file is reported as NS100, with the others
        else:
            out.append(_by_id(arg))
    return out


def _by_id(name: str) -> str:
    """The file of a scenario given by id (shipped or the user's)."""
    from trainer.paths import user_scenario_dirs
    from trainer.scenario_load import find_scenario

    scenario = find_scenario(name, folders=user_scenario_dirs())
    return scenario.source


# --- output --------------------------------------------------------------------------------


def render(reports: Sequence[FileReport], *, strict: bool = False, colour: bool = False,
           source_lines: bool = True) -> str:
    """The human report: each finding with its source line, then a summary."""
    from trainer.render import Style

    style = Style(colour, True)
    lines: list[str] = []
    for report in reports:
        if not report.diagnostics:
            note = f" ({plural(report.hidden, 'warning')} ignored)" if report.hidden else ""
            lines.append(f"{report.file}: {style.paint('ok', 'pass')}{note}")
            continue
        for d in report.diagnostics:
            severity = "error" if strict else d.severity
            paint = "fail" if severity == "error" else "partial"
            head = f"{d.location}: {style.paint(severity, paint)} {d.code}: "
            where = f" (at {d.path})" if d.path else ""
            lines.append(head + d.message + where)
            if source_lines:
                lines += [style.paint(x, "dim") for x in snippet(report.source, d.line, d.column)]
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    files = plural(len(reports), "file")
    if strict:
        errors, warnings = errors + warnings, 0
    parts = [plural(errors, "error")]
    if warnings or not strict:
        parts.append(plural(warnings, "warning"))
    hidden = sum(r.hidden for r in reports)
    if hidden:
        parts.append(f"{plural(hidden, 'warning')} ignored")
    lines.append(f"{files} checked: {', '.join(parts)}")
    return "\n".join(lines)


def exit_code(reports: Sequence[FileReport], *, strict: bool = False) -> int:
    """0 clean (or warnings only), 1 warnings under ``--strict``, 2 errors."""
    if any(r.errors for r in reports):
        return 2
    if strict and any(r.warnings for r in reports):
        return 1
    return 0
