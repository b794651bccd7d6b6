"""Reports: the HTML page's content and escaping, the trend chart, the CSV, the files written,
and the terminal views of history and leaderboards."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from trainer.errors import UsageError
from trainer.render import Style
from trainer.report import (
    format_history,
    format_leaderboard,
    render_csv,
    render_html,
    write_report,
)
from trainer.report_svg import Series, rolling, trend_chart
from trainer.rubric import CRITERIA, Criterion, Evidence, Scorecard
from trainer.scoring import VERDICT_SCORES
from trainer.store import Store, StoredRun
from trainer.transcript import Transcript, Turn

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOSTILE = '<script>window.NEXTSTEP_PWNED = 1</script> & "quoted" <b>bold</b>'


class Node:
    """An element of a parsed page: tag, attributes, children, and the text inside it."""

    def __init__(self, tag: str, attrs: Mapping[str, str | None]) -> None:
        self.tag, self.attrs = tag, dict(attrs)
        self.children: list[Node] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return [n for n in self.walk() if (tag is None or n.tag == tag)
                and (cls is None or cls in n.classes)
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]


class _Tree(HTMLParser):
    VOID: ClassVar[set[str]] = {"meta", "br", "hr", "img", "input", "link", "line", "circle",
                                "polyline"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for node in self.stack:
            node.parts.append(data)


def page(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.stack == [tree.root], "unclosed elements"
    return tree.root


def card_with(verdicts: Mapping[str, str], turns: tuple[Turn, ...]) -> Scorecard:
    criteria = tuple(Criterion(cid, v, (Evidence(1, turns[0].speaker, turns[0].text,
                                                 f"evidence for {cid}"),), f"tip for {cid}")
                     for cid, v in verdicts.items())
    return Scorecard(criteria, Transcript(turns), {})


TURNS = (Turn("Rep", "rep", "Where do we go from here?"),
         Turn("Prospect", "prospect", "Let me think about it."),
         Turn("Rep", "rep", "Is it a priority now, or ever?"))
ANN = [{**dict.fromkeys(CRITERIA, "fail"), "ask_next_step": "pass"},
       {**dict.fromkeys(CRITERIA, "partial"), "confront_stall": "n/a"},
       dict.fromkeys(CRITERIA, "pass")]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Ann: three graded runs (one overridden and commented) and an interrupted one; Bo: one
    run whose every piece of text is hostile markup."""
    with Store.open(tmp_path / "r.db") as s:
        ids = [s.record_graded("Ann", card_with(v, TURNS), kind="practice", scenario_id="s1",
                               started_at=T0 + timedelta(days=i)) for i, v in enumerate(ANN)]
        s.override(ids[0], "recap", "pass", "She recapped by email", by="Coach")
        s.comment(ids[1], "Better on the stall.", by="Coach")
        interrupted = s.start_run(trainee="Ann", kind="practice", scenario_id="s1",
                                  started_at=T0 + timedelta(days=5))
        s.add_turn(interrupted, Turn("Ann", "rep", "Hello?"))
        evil = (Turn(HOSTILE, "rep", HOSTILE), Turn("Prospect", "prospect", HOSTILE))
        bad = s.record_graded(HOSTILE, card_with(dict.fromkeys(CRITERIA, "fail"), evil),
                              scenario_id="s2", source=HOSTILE, started_at=T0)
        s.override(bad, "recap", "partial", HOSTILE, by=HOSTILE)
        s.comment(bad, HOSTILE, by=HOSTILE)
        yield s


def test_the_page_tabulates_each_trainee_against_each_criterion(store: Store) -> None:
    runs = store.load_runs()
    doc = page(render_html(runs, title="Team results"))
    assert doc.find("title")[0].text == "Team results"
    row = doc.find("tr", data_trainee="Ann")[0]
    cells = {td.attrs["data-criterion"] or "": td for td in row.find("td", cls="v")}
    assert list(cells) == list(CRITERIA)
    ann = [r for r in runs if r.trainee == "Ann" and r.finished_at]
    for cid, cell in cells.items():
        values = [VERDICT_SCORES[v] for r in ann if (v := r.verdicts[cid]) in VERDICT_SCORES]
        assert float(cell.attrs["data-rate"] or 0) == pytest.approx(sum(values) / len(values),
                                                                    abs=1e-3)
        assert f"{round(100 * sum(values) / len(values))}%" in cell.text
    assert "v-pass" in cells["ask_next_step"].classes  # passed every time
    assert "4 (1 interrupted)" in row.text.replace("\n", "")


def test_each_transcript_highlights_its_evidence_and_shows_overrides_beside_verdicts(
        store: Store) -> None:
    run = next(r for r in store.load_runs(trainee="Ann") if r.overrides)
    doc = page(render_html([run], title="One run"))
    article = doc.find("details", data_run=str(run.id))[0]
    turns = article.find("li", cls="turn")
    assert [t.find(cls="said")[0].text.split("✓")[0].split("✗")[0] for t in turns] == \
        [t.text for t in TURNS]
    assert [("evidence" in t.classes) for t in turns] == [True, False, False]
    assert turns[0].attrs["id"] == f"run-{run.id}-turn-1"
    recap = article.find("tr", data_criterion="recap")[0]
    assert "fail" in recap.find("td", cls="machine")[0].text  # the machine's verdict stays
    trainer = recap.find("td", cls="trainer")[0].text
    assert "pass" in trainer and "She recapped by email" in trainer and "Coach" in trainer
    assert "tip for recap" in recap.text
    links = [a.attrs["href"] for a in recap.find("a")]
    assert links == [f"#run-{run.id}-turn-1"]


def test_interrupted_runs_are_shown_with_what_was_said(store: Store) -> None:
    run = next(r for r in store.load_runs(trainee="Ann") if r.finished_at is None)
    doc = page(render_html([run], title="x"))
    article = doc.find("details", data_run=str(run.id))[0]
    assert "interrupted" in article.find("summary")[0].text
    assert "before it was graded" in article.text and "Hello?" in article.text


def test_text_from_transcripts_names_and_notes_is_escaped(store: Store) -> None:
    runs = store.load_runs()
    html = render_html(runs, title=HOSTILE)
    assert "<script" not in html.lower()  # the page has no script of its own either
    assert "<b>bold</b>" not in html
    doc = page(html)
    assert not doc.find("script") and not doc.find("b")
    bad_id = next(r.id for r in runs if r.trainee == HOSTILE)
    bad = doc.find("details", data_run=str(bad_id))[0]
    shown = bad.text
    assert shown.count(HOSTILE) >= 5  # speaker, line, override reason and author, comment
    assert doc.find("title")[0].text == HOSTILE
    policy = doc.find("meta", http_equiv="Content-Security-Policy")[0].attrs["content"]
    assert (policy or "").startswith("default-src 'none'")


def test_the_trend_chart_draws_one_line_per_criterion_over_the_runs(store: Store) -> None:
    runs = store.load_runs()
    doc = page(render_html(runs, title="x", window=2))
    figure = doc.find("figure", data_trainee="Ann")[0]
    grid = [float(g.attrs["y1"] or 0) for g in figure.find("line", cls="grid")]
    bottom, top = grid[0], grid[-1]  # the 0% and 100% lines
    ann = [r for r in runs if r.trainee == "Ann" and r.finished_at]
    lines = {p.attrs["data-series"]: p for p in figure.find("polyline", cls="series")}
    assert set(lines) == {"score", *CRITERIA}
    for cid, line in lines.items():
        points = [tuple(map(float, p.split(","))) for p in (line.attrs["points"] or "").split()]
        assert [x for x, _ in points] == sorted(x for x, _ in points)
        values: list[float | None] = (
            [(r.effective_score or 0) / 100 for r in ann] if cid == "score"
            else [VERDICT_SCORES.get(r.verdicts[cid or ""]) for r in ann])
        expected = [v for v in rolling(values, 2) if v is not None]
        assert [y for _, y in points] == pytest.approx(
            [bottom - v * (bottom - top) for v in expected], abs=0.11)
    assert len(figure.find("circle", data_series="recap")) == 3  # one per finished run
    assert "Ann" in figure.find("figcaption")[0].text


def test_rolling_rates_and_chart_geometry() -> None:
    assert rolling([None, 1.0, 0.0, None, 1.0, 1.0], 2) == (None, 1.0, 0.5, 0.5, 0.5, 1.0)
    svg = trend_chart([Series("a", "A <&>", (0.0, 0.5, 1.0))], labels=["d1", "d2", "d3"],
                      title="t", plot_height=100)
    doc = page(svg)
    points = [tuple(map(float, p.split(",")))
              for p in (doc.find("polyline")[0].attrs["points"] or "").split()]
    ys = [y for _, y in points]
    assert ys[0] - ys[1] == pytest.approx(50) and ys[1] - ys[2] == pytest.approx(50)
    assert "A <&>" in doc.text and "A <&>" not in svg


def test_no_two_lines_of_a_chart_look_alike() -> None:
    series = [Series(f"s{k}", f"S{k}", (0.5, 0.6), emphasis=k == 0) for k in range(12)]
    doc = page(trend_chart(series, labels=["a", "b"], title="t"))
    looks = [(p.attrs["stroke"], p.attrs.get("stroke-dasharray"), p.attrs["stroke-width"])
             for p in doc.find("polyline", cls="series")]
    assert len(looks) == 12 and len(set(looks)) == 12  # the 8th had drawn like the 1st


def test_chart_runs_on_one_day_are_told_apart_by_their_time() -> None:
    from datetime import datetime

    from trainer.report import _run_labels

    day = [datetime(2026, 12, 5, h, 30) for h in (10, 11)]
    assert _run_labels(day) == ["05 Dec 10:30", "05 Dec 11:30"]
    assert _run_labels([day[0], datetime(2026, 12, 6, 9)]) == ["05 Dec", "06 Dec"]


def test_the_csv_has_a_row_per_run_with_effective_and_machine_verdicts(store: Store) -> None:
    runs = store.load_runs()
    rows = list(csv.DictReader(io.StringIO(render_csv(runs))))
    assert [int(r["run"]) for r in rows] == [r.id for r in sorted(
        runs, key=lambda r: (r.started_at, r.id))]
    by_id = {int(r["run"]): r for r in rows}
    for run in runs:
        row = by_id[run.id]
        assert row["status"] == run.status
        assert row["effective_score"] == ("" if run.effective_score is None
                                          else str(run.effective_score))
        for cid in CRITERIA:
            assert row[cid] == run.verdicts.get(cid, "")
            assert row[f"{cid}_machine"] == run.machine_verdicts.get(cid, "")
    overridden = next(r for r in runs if r.trainee == "Ann" and r.overrides)
    assert by_id[overridden.id]["overrides"] == "recap: fail -> pass (She recapped by email)"


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as s:
        s.record_graded("=HYPERLINK(\"http://x\")", card_with({"recap": "fail"}, TURNS),
                        source="+cmd|' /C calc'!A0")
        rows = list(csv.DictReader(io.StringIO(render_csv(s.load_runs()))))
    assert rows[0]["trainee"] == "'=HYPERLINK(\"http://x\")"
    assert rows[0]["source"] == "'+cmd|' /C calc'!A0"


def test_write_report_writes_both_files_for_the_runs_asked_for(store: Store,
                                                               tmp_path: Path) -> None:
    files = write_report(store, tmp_path / "out", trainee="ann",
                         since=T0 + timedelta(days=1))
    assert files.html.name == "nextstep-report-ann.html" and files.csv.exists()
    assert files.runs == 3  # two graded runs and the interrupted one since the first day
    doc = page(files.html.read_text("utf-8"))
    assert len(doc.find("details", cls="run")) == 3
    assert "Ann" in doc.find("h1")[0].text
    assert len(list(csv.DictReader(io.StringIO(files.csv.read_text("utf-8"))))) == 3


def test_a_session_report_carries_its_leaderboard(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as s:
        session = s.start_session("Kick-off", ["Ann", "Bo"], ["s1"])
        s.record_graded("Ann", card_with(dict.fromkeys(CRITERIA, "pass"), TURNS),
                        scenario_id="s1", session_id=session)
        files = write_report(s, tmp_path, session_id=session)
        board = s.leaderboard(session)
    doc = page(files.html.read_text("utf-8"))
    table = doc.find("section", id="leaderboard")[0]
    assert [r.find("th")[0].text for r in table.find("tr")[1:]] == [x.trainee for x in board]
    assert files.html.name == "nextstep-report-session-1.html"


def test_no_matching_runs_is_an_error_that_suggests_a_name(store: Store,
                                                          tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="Did you mean 'Ann'"):
        write_report(store, tmp_path, trainee="Anne")
    assert not list(tmp_path.glob("nextstep-report*"))
    empty = page(render_html([], title="Nothing"))
    assert empty.find(id="empty")


def test_history_for_the_terminal_lists_runs_and_trends(store: Store) -> None:
    history = store.history("ann", window=2)
    text = format_history(history, Style(colour=False, unicode=True))
    assert text.splitlines()[0] == "Ann: 4 runs (1 interrupted)"
    for run in history.runs:
        line = re.search(rf"^\s*{run.id}\s.*$", text, re.M)
        assert line is not None
        assert line.group().endswith("interrupted") == (run.finished_at is None)
        if run.effective_score is not None:
            assert f" {run.effective_score}{'*' if run.overridden else ' '}" in line.group()
    for trend in history.trends:
        if trend.recent is not None:
            assert trend.title in text
    plain = format_history(history, Style(colour=False, unicode=False))
    assert plain.isascii()
    assert format_history(store.history("nobody"), Style(False, True)) == \
        "No runs stored for nobody."


def test_a_trainees_history_fits_the_terminal(store: Store) -> None:
    from trainer.render import columns

    history = store.history("ann", window=2)
    for width in (80, 100):  # the five criteria used to make each row 98 columns
        text = format_history(history, Style(colour=False, unicode=True, width=width))
        table = text.split("\n\n")[0].splitlines()[1:]
        assert max(columns(line.removesuffix("  interrupted")) for line in table) <= width


def test_a_history_of_interrupted_runs_only_lists_them(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as s:
        run = s.start_run(trainee="Di", kind="practice", scenario_id="s1")
        s.add_turn(run, Turn("Di", "rep", "Hello?"))
        text = format_history(s.history("Di"), Style(colour=False, unicode=True))
    assert text.splitlines()[-1].endswith("interrupted") and "Trend" not in text


def test_a_wide_history_sums_up_scenarios_own_criteria_in_one_column(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as s:
        for own in ({"heard_why": "pass"}, {"heard_why": "fail", "who_decides": "pass"}, {}):
            s.record_graded("Cy", card_with({**dict.fromkeys(CRITERIA, "pass"), **own}, TURNS),
                            scenario_id="s1")
        history = s.history("Cy", window=2)
    text = format_history(history, Style(colour=False, unicode=True, width=100))
    header, *rows = text.splitlines()[1:5]
    assert header.split()[-1] == "own"
    assert [row.split()[-1] for row in rows] == ["1/1", "1/2", "✓"]  # none of its own: blank
    assert all(len(row) == len(header) for row in rows[:2])
    assert "Trend: the last 2 finished runs against the 1 before" in text
    narrow = format_history(history, Style(colour=False, unicode=True, width=80))
    assert narrow.splitlines()[1].split()[-1] == "recap"


def test_leaderboard_for_the_terminal(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as s:
        session = s.start_session("Friday", ["Ann", "Bo"], ["s1", "s2"])
        s.record_graded("Bo", card_with(dict.fromkeys(CRITERIA, "pass"), TURNS),
                        scenario_id="s2", session_id=session)
        text = format_leaderboard(s.session(session), s.leaderboard(session), Style(False, True))
    lines = text.splitlines()
    assert lines[0] == "Leaderboard: Friday (session 1)"
    assert lines[2].split() == ["1", "Bo", "100", "-", "100", "1"]  # the scenario played
    assert lines[3].split() == ["-", "Ann", "-", "-", "-", "0"]  # nothing graded: unranked
    assert "scenarios played" in lines[-1]


def test_the_leaderboard_spells_scenario_ids_whole_where_they_fit(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as s:
        few = s.start_session("Friday", ["Ann"], ["polite-staller", "happy-with-supplier"])
        many = s.start_session("Monday", ["Ann"], ["polite-staller", "committee",
                                                   "happy-with-supplier", "drifting-renewal",
                                                   "complex-sale", "busy-executive"])
        style = Style(False, True, width=80)
        text = format_leaderboard(s.session(few), s.leaderboard(few), style)
        assert "polite-staller" in text and "happy-with-supplier" in text  # not "polite-stall"
        text = format_leaderboard(s.session(many), s.leaderboard(many), style)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "polite-…" in text  # cut alike, and marked as cut


def test_stored_runs_convert_back_to_scorecards(store: Store) -> None:
    run: StoredRun = store.load_runs(trainee="Ann")[0]
    card = run.to_scorecard()
    assert [c.verdict for c in card.criteria] == list(ANN[0].values())
    assert card.score == run.score
