import json

from typer.testing import CliRunner

from nhsgraph.cli import app
from conftest import PG_URL
from rules_builder import build, org, post

runner = CliRunner()


def test_rules_list_show_check_pipeline(store, tmp_path):
    build(store, org("org:p1", "pct", "NHS One") + post("person:a", "org:p1", "chair"))
    db = ["--db", PG_URL or str(tmp_path / "test.db")]
    listed = json.loads(runner.invoke(app, [*db, "rules", "list", "--era", "pct_boards", "--json"]).output)
    assert {r["id"] for r in listed} >= {"PCT-BOARD-CHAIR-NONEXEC"} and all(r["source"] for r in listed)
    shown = runner.invoke(app, [*db, "rules", "show", "PCT-BOARD-CHAIR-NONEXEC"])
    assert shown.exit_code == 0 and "src:si-2000-89" in shown.output
    r = runner.invoke(app, [*db, "check", "NHS One", "--at", "2011-01-01", "--rule",
                            "PCT-BOARD-CHAIR-NONEXEC", "--json"])
    assert r.exit_code == 0, r.output
    [f] = json.loads(r.output)["findings"]
    assert f["outcome"] == "complies" and f["facts"][0]["citations"]
    assert runner.invoke(app, [*db, "rules", "show", "NO-SUCH-RULE"]).exit_code == 1
    p = runner.invoke(app, [*db, "pipeline", "NHS One", "--json"])
    assert p.exit_code == 0 and json.loads(p.output)["steps"] == []
