import json

import pytest
from typer.testing import CliRunner

from nhsgraph.cli import app
from conftest import FIXTURES, PG_URL

runner = CliRunner()


@pytest.fixture
def db(mini_store, tmp_path):
    url = PG_URL or str(tmp_path / "test.db")
    return ["--db", url]


def run(db, *args):
    result = runner.invoke(app, [*db, *args])
    return result


def test_show_json_has_ids_dates_and_citations(db):
    r = run(db, "show", "NHS Alpha", "--at", "2012-01-15", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["id"] == "ods:5AA" and data["name"] == "NHS Alpha"
    parent = data["sections"]["parent"][0]
    assert parent["object"] == "ods:Q90" and parent["valid_from"] == "2006-10-01"
    assert parent["citations"][0]["source_id"] == "src:test-registry"


def test_show_person_lists_posts(db):
    r = run(db, "show", "Ann Example", "--json")
    assert [p["object"] for p in json.loads(r.output)["posts"]] == ["ods:5AA", "org:north-cluster"]


def test_lineage_landscape_timeline_conflicts_search(db):
    lin = json.loads(run(db, "lineage", "ods:QX1", "--json").output)
    assert {l["from"] for l in lin["links"]} == {"ods:5AA", "ods:5BB", "ods:01A", "ods:02B", "ods:03C"}
    ls = json.loads(run(db, "landscape", "--at", "2012-06-01", "--type", "pct", "--json").output)
    assert ls["count"] == 3
    tl = json.loads(run(db, "timeline", "Bob Sample", "--json").output)
    assert tl["facts"][0]["predicate"] in ("name", "post")
    cf = json.loads(run(db, "conflicts", "--json").output)
    assert cf["conflicts"][0]["subject"] == "ods:5BB" and cf["placeholders"] == []
    hits = json.loads(run(db, "search", "alpha", "--json").output)
    assert "ods:5AA" in {h["id"] for h in hits["entities"]}


def test_conflicts_text_cites_both_sides(db):
    r = run(db, "conflicts")
    assert r.exit_code == 0, r.output
    assert "NHS Beta" in r.output and "chars 80–88" in r.output and "p. 2" in r.output


def test_errors_are_one_line_with_the_exit_code_of_their_class(db):
    r = run(db, "show", "Nowhere Trust")
    assert r.exit_code == 1 and "no organisation or person called" in r.output
    r = run(db, "show", "NHS Alpha", "--at", "2012-13")
    assert r.exit_code == 2 and "not a date" in r.output


def test_every_command_has_help_and_an_example():
    import typer.main

    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():
        subs = getattr(cmd, "commands", None)
        for sub in (subs.values() if subs else [cmd]):
            names.append(sub.name)
            assert sub.help and "Example:" in sub.help, f"{name} {sub.name} lacks help/example"
    assert {"show", "lineage", "landscape", "timeline", "search", "conflicts", "init"} <= set(names)
