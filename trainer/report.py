"""Reports of stored results: one self-contained HTML page, a CSV, and terminal views.

::

    from trainer.report import write_report
    from trainer.store import Store

    with Store.open() as store:
        files = write_report(store, "reports", trainee="Dana")
    print(files.html, files.csv)

The page has no script and loads nothing: styles are inlined, charts are inline SVG, and a
content security policy forbids scripts outright. Every piece of text that came from a
transcript, a name or a trainer's note is HTML-escaped, so a line reading ``<script>`` shows
as that text.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.report_svg import Series, rolling, trend_chart
from trainer.scoring import VERDICT_SCORES, half_up
from trainer.store.records import Standing, StoredRun, Trend, trainee_key

if TYPE_CHECKING:
    from trainer.render import Style
    from trainer.store import History, SessionInfo, Store

SYMBOLS = {"pass": "✓", "partial": "◐", "fail": "✗", "n/a": "–"}
STANDARD = ("ask_next_step", "confront_stall", "secure_date", "prospect_task", "recap")
_OPEN_UP_TO = 10  # runs shown unfolded; a longer report starts folded so it stays readable
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`write_report` wrote."""

    html: Path
    csv: Path
    runs: int


# -- the page --------------------------------------------------------------------------------


def render_html(runs: Sequence[StoredRun], *, title: str, subtitle: str = "",
                leaderboard: Sequence[Standing] | None = None,
                generated_at: datetime | None = None, window: int = 5) -> str:
    """The whole report page: results per trainee and criterion, trend charts, the
    leaderboard when given, and every run's transcript with its evidence highlighted."""
    ordered = sorted(runs, key=lambda r: (r.started_at, r.id))
    criteria = _criteria(ordered)
    when = (generated_at or datetime.now(UTC)).astimezone()
    trainees = _by_trainee(ordered)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="generator" content="NextStep">',
           f"<title>{escape(title)}</title><style>{_css()}</style></head><body>",
           f'<header><h1>{escape(title)}</h1>']
    if subtitle:
        out.append(f'<p class="subtitle">{escape(subtitle)}</p>')
    span = (f", {_when(ordered[0].started_at)} to {_when(ordered[-1].started_at)}"
            if ordered else "")
    interrupted = sum(r.finished_at is None for r in ordered)
    out.append(f'<p class="meta">{len(ordered)} run{"s" * (len(ordered) != 1)} '
               f"({interrupted} interrupted) by {len(trainees)} "
               f'trainee{"s" * (len(trainees) != 1)}{span}. Generated {_when(when)}.</p>'
               "</header>")
    if not ordered:
        out.append('<p id="empty">No runs match.</p></body></html>')
        return "\n".join(out)
    out.append(_matrix(trainees, criteria))
    if leaderboard:
        out.append(_leaderboard(leaderboard))
    out.append(_charts(trainees, criteria, window))
    out.append('<section id="runs"><h2>Runs</h2><p class="legend-note">Newest first. '
               "Highlighted lines are the evidence for a verdict; a trainer's override is "
               "shown beside the machine's verdict, which it never replaces.</p>")
    fold = len(ordered) > _OPEN_UP_TO
    out.extend(_run(r, fold) for r in reversed(ordered))
    out.append("</section></body></html>")
    return "\n".join(out)


@lru_cache(maxsize=1)
def _css() -> str:
    from trainer.datafiles import text

    return text("report.css")


def _criteria(runs: Sequence[StoredRun]) -> list[tuple[str, str]]:
    """(id, title) of every criterion in the runs: the standard five first, then the rest."""
    titles: dict[str, str] = {}
    for r in runs:
        for res in r.results:
            titles.setdefault(res.criterion, res.title)
    ids = [c for c in STANDARD if c in titles] + [c for c in titles if c not in STANDARD]
    return [(c, titles[c]) for c in ids]


def _by_trainee(runs: Sequence[StoredRun]) -> dict[str, list[StoredRun]]:
    groups: dict[str, list[StoredRun]] = {}
    names: dict[str, str] = {}
    for r in runs:
        key = trainee_key(r.trainee)
        names.setdefault(key, r.trainee)
        groups.setdefault(names[key], []).append(r)
    return dict(sorted(groups.items(), key=lambda kv: kv[0].casefold()))


def _matrix(trainees: Mapping[str, list[StoredRun]], criteria: list[tuple[str, str]]) -> str:
    head = "".join(f'<th scope="col">{escape(t)}</th>' for _, t in criteria)
    rows = []
    for name, runs in trainees.items():
        graded = [r for r in runs if r.finished_at is not None]
        scores = [s for r in graded if (s := r.effective_score) is not None]
        mean = f"{half_up(sum(scores) / len(scores))}" if scores else "–"
        latest = f"{scores[-1]}" if scores else "–"
        cells = []
        for cid, _ in criteria:
            verdicts = [v for r in graded if (v := r.verdicts.get(cid)) is not None]
            cells.append(_rate_cell(cid, verdicts))
        count = f"{len(runs)}" + (f' <small class="muted">({len(runs) - len(graded)} '
                                  "interrupted)</small>" if len(graded) < len(runs) else "")
        rows.append(f'<tr data-trainee="{escape(name)}"><th scope="row">{escape(name)}</th>'
                    f'<td class="num">{count}</td><td class="num">{mean}</td>'
                    f'<td class="num">{latest}</td>{"".join(cells)}</tr>')
    return ('<section id="summary"><h2>Results by trainee</h2><div class="scroll">'
            '<table class="matrix"><thead>'
            '<tr><th scope="col">Trainee</th><th class="num" scope="col">Runs</th>'
            '<th class="num" scope="col">Mean score</th><th class="num" scope="col">Latest '
            f"score</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            '<p class="legend-note">Each criterion shows its pass rate over the finished runs '
            "(a partial counts half, n/a is left out) with the latest verdict: ✓ pass, "
            "◐ partial, ✗ fail, – not applicable. Trainers' overrides count.</p></section>")


def _rate_cell(cid: str, verdicts: list[str]) -> str:
    counted = [VERDICT_SCORES[v] for v in verdicts if v in VERDICT_SCORES]
    if not counted:
        return f'<td class="v v-na" data-criterion="{escape(cid)}">– <small>n/a</small></td>'
    rate = sum(counted) / len(counted)
    band = "pass" if rate >= 0.75 else "partial" if rate >= 0.4 else "fail"
    tally = ", ".join(f"{verdicts.count(v)} {v}" for v in SYMBOLS if verdicts.count(v))
    return (f'<td class="v v-{band}" data-criterion="{escape(cid)}" data-rate="{rate:.3f}" '
            f'title="{escape(tally)}">{SYMBOLS[band]} {half_up(rate * 100)}%'
            f"<small>{len(counted)} run{'s' * (len(counted) != 1)} · latest "
            f"{SYMBOLS[verdicts[-1]]}</small></td>")


def _leaderboard(board: Sequence[Standing]) -> str:
    scenarios = list(board[0].best) if board else []
    head = "".join(f'<th class="num" scope="col">{escape(s)}</th>' for s in scenarios)
    rows = "".join(
        f'<tr><td class="num">{"–" if s.rank is None else s.rank}</td>'
        f'<th scope="row">{escape(s.trainee)}</th>'
        f'<td class="num"><strong>{"–" if s.rank is None else s.total}</strong></td>'
        + "".join(f'<td class="num">{"–" if s.best.get(x) is None else s.best[x]}</td>'
                  for x in scenarios)
        + f'<td class="num">{s.runs}</td></tr>' for s in board)
    return ('<section id="leaderboard"><h2>Leaderboard</h2><table><thead><tr>'
            '<th class="num" scope="col">Rank</th><th scope="col">Trainee</th>'
            f'<th class="num" scope="col">Total</th>{head}<th class="num" scope="col">Runs'
            f"</th></tr></thead><tbody>{rows}</tbody></table><p class=\"legend-note\">Total: "
            "the mean of each trainee's best score on the scenarios they played; at equal "
            "totals, more scenarios played ranks higher.</p></section>")


def _run_labels(starts: Sequence[datetime]) -> list[str]:
    """A label per run for a chart's axis: the day, and the time too when runs share days (a
    session's runs all fall on one day, and six ticks reading "05 Dec" tell nothing)."""
    days = [s.strftime("%d %b") for s in starts]
    if len(set(days)) == len(days):
        return days
    return [s.strftime("%d %b %H:%M") for s in starts]


def _charts(trainees: Mapping[str, list[StoredRun]], criteria: list[tuple[str, str]],
            window: int) -> str:
    figures = []
    for name, runs in trainees.items():
        graded = [r for r in runs if r.finished_at is not None]
        if not graded:
            continue
        series = [Series("score", "Score", rolling(
            [None if (s := r.effective_score) is None else s / 100 for r in graded], window),
            emphasis=True)]
        for cid, title in criteria:
            values = [VERDICT_SCORES.get(r.verdicts.get(cid, "n/a")) for r in graded]
            if any(v is not None for v in values):
                series.append(Series(cid, title, rolling(values, window)))
        labels = _run_labels([r.started_at.astimezone() for r in graded])
        chart = trend_chart(series, labels=labels, title=f"{name}: rolling pass rate per "
                            f"criterion over the last {window} runs")
        figures.append(f'<figure class="chart" data-trainee="{escape(name)}"><figcaption>'
                       f"{escape(name)}</figcaption>{chart}</figure>")
    return ('<section id="trends"><h2>Trends</h2><p class="legend-note">Each point is the '
            f"mean over the last {window} finished runs up to it (pass 100%, partial 50%, "
            f"fail 0%).</p>{''.join(figures)}</section>")


def _run(run: StoredRun, fold: bool) -> str:
    anchor = f"run-{run.id}"
    score = ("" if run.effective_score is None else
             f'<span class="badge v-{_band(run.effective_score)}">{run.effective_score}</span>'
             + (f' <span class="muted">(machine {run.score})</span>'
                if run.effective_score != run.score else ""))
    status = ('<span class="status-interrupted">interrupted</span>'
              if run.finished_at is None else "")
    what = " · ".join(escape(x) for x in (run.scenario_id or run.source or "", run.kind) if x)
    summary = (f"<summary><h3>#{run.id} {escape(run.trainee)} <span class=\"muted\">{what} · "
               f"{_when(run.started_at)}</span> {score} {status}</h3></summary>")
    body = [_criteria_table(run, anchor) if run.results else
            '<p class="muted">This run ended before it was graded; its turns are kept.</p>']
    if run.comments:
        body.append('<h4>Comments</h4><ul class="comments">' + "".join(
            f"<li>{escape(c.text)} <span class=\"muted\">— {escape(c.by or 'trainer')}, "
            f"{_when(c.at)}</span></li>" for c in run.comments) + "</ul>")
    body.append(_transcript(run, anchor))
    return (f'<details class="run" id="{anchor}" data-run="{run.id}"{"" if fold else " open"}>'
            f'{summary}<div class="body">{"".join(body)}</div></details>')


def _criteria_table(run: StoredRun, anchor: str) -> str:
    rows = []
    for res in run.results:
        graded = _graded(run, res.criterion)
        evidence = "".join(
            f'<li><a href="#{anchor}-turn-{e["turn"]}">#{e["turn"]}</a> {escape(e["why"])}</li>'
            for e in graded.get("evidence", []))
        override = ""
        if res.override is not None:
            o = res.override
            override = (f'<span class="badge v-{_cls(o.verdict)}">{SYMBOLS.get(o.verdict, "")}'
                        f' {escape(o.verdict)}</span> <span class="override"><span '
                        f'class="reason">{escape(o.reason)}</span> <span class="muted">— '
                        f"{escape(o.by or 'trainer')}, {_when(o.at)}</span></span>")
        tip = graded.get("tip", "")
        rows.append(
            f'<tr data-criterion="{escape(res.criterion)}"><th scope="row">'
            f"{escape(res.title)}</th><td class=\"machine\"><span class=\"badge "
            f'v-{_cls(res.machine)}">{SYMBOLS.get(res.machine, "")} {escape(res.machine)}'
            f'</span></td><td class="trainer">{override}</td><td>'
            + (f'<ul class="evidence-list">{evidence}</ul>' if evidence else "")
            + (f'<div class="tip">Tip: {escape(tip)}</div>' if tip else "") + "</td></tr>")
    return ('<table class="criteria"><thead><tr><th scope="col">Criterion</th>'
            '<th scope="col">Machine</th><th scope="col">Trainer</th><th scope="col">Evidence '
            f"and tip</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _graded(run: StoredRun, cid: str) -> Mapping[str, Any]:
    try:
        return run.criterion(cid)
    except KeyError:
        return {}


def _transcript(run: StoredRun, anchor: str) -> str:
    notes: dict[int, list[str]] = {}
    for res in run.results:
        for e in _graded(run, res.criterion).get("evidence", []):
            notes.setdefault(e["turn"], []).append(
                f"{SYMBOLS.get(res.verdict, '')} {res.title}: {e['why']}")
    items = []
    for n, turn in enumerate(run.transcript.turns, start=1):
        classes = f"turn {turn.role}" + (" evidence" if n in notes else "")
        said = _marked(turn.text, [(m.start, m.end, m.name) for m in turn.moves]) \
            if n in notes else escape(turn.text)
        why = "".join(f'<span class="why">{escape(w)}</span>' for w in notes.get(n, []))
        items.append(f'<li class="{classes}" id="{anchor}-turn-{n}"><span class="n">{n}</span>'
                     f'<span class="who">{escape(turn.speaker)}</span><span class="said">'
                     f"{said}{why}</span></li>")
    return f'<ol class="transcript">{"".join(items)}</ol>'


def _marked(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` escaped, with the spans that showed a move wrapped in ``<mark>``."""
    merged: list[list[Any]] = []
    for start, end, name in sorted(s for s in spans if 0 <= s[0] < s[1] <= len(text)):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(name)
        else:
            merged.append([start, end, [name]])
    out, at = [], 0
    for start, end, names in merged:
        out.append(escape(text[at:start]))
        label = ", ".join(dict.fromkeys(n.replace("_", " ") for n in names))
        out.append(f'<mark title="{escape(label)}">{escape(text[start:end])}</mark>')
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def _band(score: int) -> str:
    return "pass" if score >= 75 else "partial" if score >= 40 else "fail"


def _cls(verdict: str) -> str:
    return "na" if verdict == "n/a" else verdict if verdict in SYMBOLS else "na"


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


# -- CSV -------------------------------------------------------------------------------------


def render_csv(runs: Sequence[StoredRun]) -> str:
    """One row per run, oldest first: who, what, when, scores, and for each criterion the
    effective verdict and the machine's. Text a spreadsheet would run as a formula is
    prefixed with ``'``."""
    ordered = sorted(runs, key=lambda r: (r.started_at, r.id))
    criteria = [cid for cid, _ in _criteria(ordered)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["run", "started", "finished", "status", "kind", "trainee", "scenario",
                     "scenario_hash", "source", "session", "outcome", "turns", "score",
                     "effective_score", *[c for cid in criteria for c in (cid, f"{cid}_machine")],
                     "overrides", "comments"])
    for r in ordered:
        verdicts, machine = r.verdicts, r.machine_verdicts
        overrides = "; ".join(f"{res.criterion}: {res.machine} -> {res.verdict} "
                              f"({res.override.reason})" for res in r.results if res.override)
        writer.writerow([
            r.id, r.started_at.isoformat(), r.finished_at.isoformat() if r.finished_at else "",
            r.status, r.kind, _cell(r.trainee), _cell(r.scenario_id), r.scenario_hash or "",
            _cell(r.source), r.session_id or "", _cell(r.outcome), len(r.transcript.turns),
            "" if r.score is None else r.score,
            "" if r.effective_score is None else r.effective_score,
            *[v for cid in criteria for v in (verdicts.get(cid, ""), machine.get(cid, ""))],
            _cell(overrides), _cell(" | ".join(c.text for c in r.comments))])
    return buffer.getvalue()


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return "'" + text if text[0] in "=+-@\t\r" else text


# -- writing and opening ---------------------------------------------------------------------


def write_report(store: Store, out_dir: str | os.PathLike[str], *, trainee: str | None = None,
                 session_id: int | None = None, since: datetime | None = None,
                 scenario_id: str | None = None, kind: str | None = None,
                 title: str | None = None) -> ReportFiles:
    """Write ``nextstep-report[-<what>].html`` and ``.csv`` for the runs that match into
    ``out_dir``. Raises :class:`~trainer.errors.UsageError` when no run matches."""
    from trainer.errors import UsageError
    from trainer.paths import write_atomic

    if trainee is not None:
        trainee = resolve_trainee(store, trainee)
    runs = store.load_runs(trainee=trainee, session_id=session_id, since=since,
                           scenario_id=scenario_id, kind=kind)
    session = store.session(session_id) if session_id is not None else None
    if not runs:
        wanted = _describe(trainee, session, since, scenario_id, kind)
        raise UsageError(f"no stored runs match {wanted}{_known_trainees(store, trainee)}")
    board = store.leaderboard(session_id) if session_id is not None else None
    trainee = runs[-1].trainee if trainee is not None else None  # as stored, not as typed
    what = _describe(trainee, session, since, scenario_id, kind)
    heading = title or ("NextStep results" + (f": {what}" if what != "any filter" else ""))
    subtitle = f"Results database: {store}"
    slug = _slug(trainee or (f"session-{session_id}" if session_id is not None else "")
                 or scenario_id or "")
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out is the folder to write the report into, and {folder} is a file")
    base = "nextstep-report" + (f"-{slug}" if slug else "")
    html_path, csv_path = folder / f"{base}.html", folder / f"{base}.csv"
    write_atomic(html_path, render_html(runs, title=heading, subtitle=subtitle,
                                        leaderboard=board))
    write_atomic(csv_path, render_csv(runs))
    return ReportFiles(html_path, csv_path, len(runs))


def _describe(trainee: str | None, session: SessionInfo | None, since: datetime | None,
              scenario_id: str | None, kind: str | None) -> str:
    parts = []
    if trainee:
        parts.append(trainee)
    if session is not None:
        parts.append(f"session {session.id} ({session.name})")
    if scenario_id:
        parts.append(f"scenario {scenario_id}")
    if kind:
        parts.append(f"{kind} runs")
    if since:
        parts.append(f"since {_when(since)}")
    return ", ".join(parts) or "any filter"


def resolve_trainee(store: Store, name: str) -> str:
    """The stored trainee ``name`` means: the name itself when it has runs, else the one
    trainee it is the first name or start of ("Dana" for "Dana Whitfield", as ``--rep``
    reads speakers). Raises UsageError naming the trainees when there is none or several."""
    from trainer.errors import UsageError
    from trainer.text import names_matching

    found = names_matching((stored for stored, _ in store.trainees()), name)
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(f"{name!r} could be {', '.join(map(repr, found))}; give the full name")
    raise UsageError(f"no runs stored for {name}{_known_trainees(store, name)}")


def _known_trainees(store: Store, trainee: str | None) -> str:
    names = [name for name, _ in store.trainees()]
    if not names:
        return "; the results database is empty: practise, play or grade with --name first"
    if trainee:
        from rapidfuzz import process, utils

        guess = process.extractOne(trainee, names, processor=utils.default_process,
                                   score_cutoff=60)
        if guess and trainee_key(guess[0]) != trainee_key(trainee):
            return f". Did you mean {guess[0]!r}? Trainees: {', '.join(names)}"
    return f"; trainees with runs: {', '.join(names)}"


def _slug(text: str) -> str:
    """A file-name part for a name: letters and digits of any script ("王伟", "zoë-ñúñez");
    a name with none gets a short digest, never the all-trainees report's name."""
    slug = re.sub(r"[\W_]+", "-", text.casefold()).strip("-")[:60]
    if slug or not text.strip():
        return slug
    import hashlib

    return "name-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def open_in_browser(path: str | os.PathLike[str]) -> bool:
    """Open a written report in the user's browser; False when no browser could be started."""
    import webbrowser

    return webbrowser.open(Path(path).resolve().as_uri())


# -- terminal views --------------------------------------------------------------------------

_ARROWS = {"up": "↑", "down": "↓", "flat": "→", "new": "·", "none": " "}
_ASCII_ARROWS = {"up": "^", "down": "v", "flat": "=", "new": ".", "none": " "}


def format_history(history: History, style: Style, *, last: int = 20) -> str:
    """A trainee's runs (the latest ``last``) and their trends, for the terminal."""
    from trainer.render import SHORT, fit

    who = history.trainee or "everyone"
    runs = history.runs
    if not runs:
        return f"No runs stored for {who}."
    arrows = _ARROWS if style.unicode else _ASCII_ARROWS
    interrupted = sum(r.finished_at is None for r in runs)
    lines = [style.paint(f"{who}: {len(runs)} run{'s' * (len(runs) != 1)}"
                         + (f" ({interrupted} interrupted)" if interrupted else ""), "bold")]
    # The five criteria every run has, then one column for a scenario's own criteria (passed
    # of all): a column each made a table of mostly blanks, wider than any terminal.
    found = {res.criterion for r in runs for res in r.results}
    criteria = [c for c in SHORT if c in found]
    everyone = history.trainee is None  # then each run says whose it is
    head = f"{'trainee':<14}  " if everyone else ""
    # run, start, trainee, kind, scenario and score, less the two widths that give way
    # to fit the terminal: the scenario column first (22 down to 12 characters), then the
    # year of the start time; then a column of 6 a criterion, and one for the scenario's own
    # criteria where it fits beside the shortest start time and scenario column
    rest = 5 + 2 + 2 + len(head) + 8 + 2 + 1 + 5
    own = bool(found - set(SHORT)) and rest + 6 * (len(criteria) + 1) + 11 + 12 <= style.width
    labels = [SHORT[c] for c in criteria] + (["own"] if own else [])
    cols = "".join(f" {label:>5}" for label in labels)
    fixed = rest + len(cols)
    stamp = "%Y-%m-%d %H:%M" if fixed + 16 + 12 <= style.width else "%m-%d %H:%M"
    started_width = len(datetime(2026, 1, 1).strftime(stamp))
    source_width = max(12, min(22, style.width - fixed - started_width))
    source = "scenario / source" if source_width >= 17 else "scenario"
    lines.append(style.paint(f"{'run':>5}  {'started':<{started_width}}  {head}{'kind':<8}  "
                             f"{source:<{source_width}} {'score':>5}{cols}", "bold"))
    last = max(1, last)
    if len(runs) > last:
        earlier = len(runs) - last
        said = f"{earlier} earlier run{'s' * (earlier != 1)}"
        lines.append(f"{'':>5}  … {said} (--json lists them all)"
                     if style.unicode else f"{'':>5}  ... {said}")
    for r in runs[-last:]:
        # a scenario id keeps its start, a file name its end (its date and kind)
        what = fit(r.scenario_id or os.path.basename(r.source or ""), source_width,
                   keep_end=not r.scenario_id, ellipsis="…" if style.unicode else "...")
        score = "  -  " if r.effective_score is None else \
            f"{r.effective_score:>4}" + ("*" if r.overridden else " ")
        marks = "".join(" " * 5 + (style.mark(v) if (v := r.verdicts.get(c)) in SYMBOLS
                                   else " ") for c in criteria)
        if own:
            theirs = [res.verdict for res in r.results if res.criterion not in SHORT]
            passed = sum(v == "pass" for v in theirs)
            marks += f" {f'{passed}/{len(theirs)}' if theirs else '':>5}"
        whose = f"{r.trainee[:14]:<14}  " if everyone else ""
        started = r.started_at.astimezone().strftime(stamp)
        line = (f"{r.id:>5}  {started:<{started_width}}  {whose}{r.kind:<8}  "
                f"{what:<{source_width}} {score}{marks}")
        lines.append(line + ("  " + style.paint("interrupted", "fail")
                             if r.finished_at is None else ""))
    if any(r.overridden for r in runs[-last:]):
        lines.append("  * a trainer overrode a verdict")
    if own:
        lines.append("  own: the scenario's own criteria passed (listed under Trend)")
    shown = [t for t in (history.score, *history.trends) if t.recent is not None]
    if not shown:  # every run was interrupted: nothing graded to follow
        return "\n".join(lines)
    lines.append("")
    lines.append(style.paint(_trend_heading(history.score), "bold"))
    title_width = min(max(len(t.title) for t in shown), max(28, style.width - 24))
    for t in shown:
        assert t.recent is not None
        before = "  -" if t.previous is None else f"{half_up(t.previous * 100):>3}%"
        paint = {"up": "pass", "down": "fail"}.get(t.direction, "dim")
        title = fit(t.title, title_width, ellipsis="…" if style.unicode else "...")
        # a scenario's own criterion is measured over the runs of that scenario only
        counts = "" if (t.recent_runs, t.previous_runs) == (
            history.score.recent_runs, history.score.previous_runs) else \
            f"  ({t.recent_runs}" + (f" vs {t.previous_runs}" if t.previous_runs else "") + \
            f" run{'s' * (t.recent_runs + t.previous_runs != 1)})"
        lines.append(f"  {title:<{title_width}} {before} -> {half_up(t.recent * 100):>3}%  "
                     + style.paint(f"{arrows[t.direction]} {t.direction}", paint) + counts)
    return "\n".join(lines)


def _trend_heading(score: Trend) -> str:
    """What the trend compares, in the counts there are: "the last 5 finished runs against
    the 2 before"; a criterion counted over other runs says its own counts."""
    said = f"the last {score.recent_runs} finished run{'s' * (score.recent_runs != 1)}"
    said += f" against the {score.previous_runs} before" if score.previous_runs else \
        " (none before them to compare)"
    return f"Trend: {said}"


def format_leaderboard(session: SessionInfo, board: Sequence[Standing], style: Style) -> str:
    """A session's leaderboard, for the terminal."""
    from trainer.render import fit

    scenarios = list(board[0].best) if board else list(session.scenarios)
    width = max([7, *(len(s.trainee) for s in board)])
    # whole scenario ids where they fit the terminal, else cut alike with a mark
    room = (style.width - 4 - 2 - width - 6 - 6) // max(1, len(scenarios)) - 1
    col = max(5, min(max((len(x) for x in scenarios), default=5), max(room, 8)))
    cut = "…" if style.unicode else "."
    cols = "".join(f" {fit(x, col, ellipsis=cut):>{col}}" for x in scenarios)
    lines = [style.paint(f"Leaderboard: {session.name} (session {session.id})", "bold"),
             style.paint(f"{'rank':>4}  {'trainee':<{width}} {'total':>5}{cols} {'runs':>5}",
                         "bold")]
    for s in board:
        best = "".join(f" {'-' if s.best.get(x) is None else s.best[x]:>{col}}"
                       for x in scenarios)
        rank, total = ("-", "-") if s.rank is None else (s.rank, s.total)
        lines.append(f"{rank:>4}  {s.trainee:<{width}} {total:>5}{best} {s.runs:>5}")
    lines.append(style.paint("total: the mean best score on the scenarios played", "dim"))
    return "\n".join(lines)
