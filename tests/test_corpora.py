"""The labelled corpora keep the shape the labelling guide (tests/data/README.md) fixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trainer.moves import PROSPECT_MOVES, REP_MOVES

DATA = Path(__file__).resolve().parent / "data"
FILES = ["moves.jsonl", "moves_unseen.jsonl"]


@pytest.mark.parametrize("name", FILES)
def test_every_line_is_a_well_formed_labelled_line(name: str) -> None:
    rows = []
    for number, line in enumerate((DATA / name).read_text("utf-8").splitlines(), 1):
        row = json.loads(line)
        assert set(row) == {"id", "speaker", "prev", "text", "moves", "split"}, number
        assert row["speaker"] in ("rep", "prospect"), number
        allowed = REP_MOVES if row["speaker"] == "rep" else PROSPECT_MOVES
        assert set(row["moves"]) <= set(allowed), (number, row["moves"])
        assert len(set(row["moves"])) == len(row["moves"]), number
        assert row["split"] in ("dev", "heldout"), number
        assert row["text"].strip() and (row["prev"] is None or row["prev"].strip()), number
        rows.append(row)
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({(r["prev"], r["text"]) for r in rows}) == len(rows)  # no line twice


def test_the_unseen_lines_are_not_in_the_corpus() -> None:
    def lines(name: str) -> set[tuple[str | None, str]]:
        return {(row["prev"], row["text"].casefold()) for row in
                map(json.loads, (DATA / name).read_text("utf-8").splitlines())}

    both = lines("moves.jsonl") & lines("moves_unseen.jsonl")
    # "yup" or "sure" may well recur; a sentence said after the same line may not
    assert not {(prev, text) for prev, text in both if len(text.split()) > 3 or prev}


def test_every_labelled_conversation_reads_and_has_a_verdict_per_criterion() -> None:
    from trainer.formats import read
    from trainer.rubric import CRITERIA

    allowed = {"pass", "partial", "fail", "n/a"}
    for folder in sorted(DATA.glob("conversations*")):
        rows = [json.loads(line) for line in
                (folder / "labels.jsonl").read_text("utf-8").splitlines()]
        assert {r["file"] for r in rows} == {p.name for p in folder.glob("*.txt")}, folder
        for row in rows:
            assert set(row) == {"file", *CRITERIA, "note"}, row["file"]
            assert {row[c] for c in CRITERIA} <= allowed, row["file"]
            turns = read(folder / row["file"]).turns
            assert {t.role for t in turns} == {"rep", "prospect"}, row["file"]
