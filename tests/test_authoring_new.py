"""`nextstep new`: a commented scenario that validates, passes its own tests, and is listed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from trainer.authoring.lint import lint
from trainer.authoring.scaffold import render, scenario_id
from trainer.authoring.scenario_tests import read_cases, run_case
from trainer.authoring.schema import FILE_NAME, MODELINE, schema_text
from trainer.cli import main
from trainer.scenario_load import load_scenario_text


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("NEXTSTEP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEXTSTEP_SCENARIOS", raising=False)
    return tmp_path / "home"


@pytest.mark.parametrize("today", [dt.date(2025, 3, 10) + dt.timedelta(days=d)
                                   for d in (0, 1, 4, 5, 6, 295)], ids=str)
def test_the_new_scenario_is_clean_and_passes_its_tests_whatever_the_day(today):
    text = render("Price shopper", today=today)
    scenario = load_scenario_text(text, file="price-shopper.yaml")
    assert lint(scenario, text) == []
    cases, errors = read_cases(text, scenario=scenario)
    assert errors == [] and len(cases) == 2
    for case in cases:
        result = run_case(scenario, case)
        assert result.passed, (case.case.name, result.failures)
    assert scenario.calendar.now.date.value.weekday() == 1  # a Tuesday, as the brief implies


def test_new_writes_to_the_users_folder_where_list_finds_it(home, capsys):
    assert main(["new", "Price shopper"]) == 0
    out = capsys.readouterr().out
    path = home / "data" / "scenarios" / "price-shopper.yaml"
    assert f"Created {path}" in out and "nextstep test" in out
    text = path.read_text("utf-8")
    assert text.startswith(MODELINE + "\n")
    assert "title: Price shopper" in text and "id: price-shopper " in text
    assert (path.parent / FILE_NAME).read_text("utf-8") == schema_text()
    assert main(["list", "--json"]) == 0
    listed = {row.get("id"): row for row in json.loads(capsys.readouterr().out)}
    assert listed["price-shopper"]["origin"] == "user"
    assert main(["validate", "--strict", str(path)]) == 0
    assert main(["test", str(path)]) == 0


def test_nextstep_scenarios_or_dir_choose_the_folder(home, tmp_path, monkeypatch, capsys):
    mine = tmp_path / "mine"
    monkeypatch.setenv("NEXTSTEP_SCENARIOS", str(mine))
    assert main(["new", "gatekeeper"]) == 0
    assert (mine / "gatekeeper.yaml").is_file()
    other = tmp_path / "other"
    assert main(["new", "gatekeeper", "--dir", str(other)]) == 0
    assert (other / "gatekeeper.yaml").is_file()
    capsys.readouterr()


def test_a_yaml_path_is_written_where_it_says_and_ids_work_in_the_users_folder(
        home, tmp_path, capsys):
    path = tmp_path / "drafts" / "Gate keeper.yaml"
    assert main(["new", str(path)]) == 0
    written = tmp_path / "drafts" / "gate-keeper.yaml"
    assert f"Created {written}" in capsys.readouterr().out
    assert "id: gate-keeper " in written.read_text("utf-8")
    assert main(["new", str(path), "--dir", str(tmp_path)]) == 2
    assert "not both" in capsys.readouterr().err
    # in the user's folder, the commands the README shows take the id
    assert main(["new", "my-prospect"]) == 0
    for command in (["validate", "my-prospect"], ["test", "my-prospect"],
                    ["graph", "my-prospect"]):
        assert main(command) == 0, command
    capsys.readouterr()


def test_new_never_overwrites_without_force(home, capsys):
    assert main(["new", "gatekeeper"]) == 0
    path = home / "data" / "scenarios" / "gatekeeper.yaml"
    path.write_text("# my edits\n", encoding="utf-8")
    assert main(["new", "gatekeeper"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_text("utf-8") == "# my edits\n"
    assert main(["new", "gatekeeper", "--force"]) == 0
    assert path.read_text("utf-8").startswith(MODELINE)


def test_names_that_cannot_be_ids_and_shipped_ids_are_refused(home, capsys):
    assert scenario_id("  The Gate-keeper! ") == "the-gate-keeper"
    assert main(["new", "!!!"]) == 2
    assert "cannot be a scenario id" in capsys.readouterr().err
    # accented letters keep their base letter: "Søren Ørsted" became "s-ren-rsted"
    assert scenario_id("Zoë's Prospect") == "zoe-s-prospect"
    assert scenario_id("Søren Ørsted") == "soren-orsted"
    assert main(["new", "王伟"]) == 2
    assert "the letters a-z" in capsys.readouterr().err
    assert main(["new", "polite-staller"]) == 2
    assert "my-polite-staller" in capsys.readouterr().err


def test_print_shows_the_scenario_without_writing(home, capsys):
    assert main(["new", "gatekeeper", "--print"]) == 0
    out = capsys.readouterr().out
    assert "id: gatekeeper" in out and "tests:" in out
    assert not (home / "data" / "scenarios").exists()
