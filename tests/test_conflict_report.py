"""Conflicts read right: those about a placeholder (a list's "Unallocated" PCN, which every
practice without a PCN is "in") are counted apart as such, the rest grouped by kind."""

from __future__ import annotations

import pytest

from nhsgraph.model.names import is_placeholder_name
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn
from nhsgraph.query import conflict_report
from nhsgraph.services.views import conflicts_data

SRC = "src:conflict-test"


def add(w, s, p, o=None, v=None, row=1, **kw):
    w.ensure_entity(s, "organisation")
    if o:
        w.ensure_entity(o, "organisation")
    w.add(StatementIn(subject=s, predicate=p, object=o, value=v, **kw,
                      citations=(CitationIn(SRC, "import:ons-lookup", file="map.csv", row=row),)))


@pytest.fixture
def registry(store):
    """As the practice-to-PCN map says it: PCN U "Unallocated" under two ICBs at once, on
    three rows; a real PCN with two names at once; a CCG under two regions."""
    with store.writer() as w:
        w.ensure_source(SourceIn(id=SRC, title="Practice map (test)", kind="dataset"))
        add(w, "ods:U", "alias", v="Unallocated", qualifiers={"practice_map_name": True})
        for row, icb in ((2, "ods:QHM"), (3, "ods:QOQ"), (4, "ods:QWU")):
            add(w, "ods:U", "accountable_to", o=icb, row=row, valid_from="2020-09-01")
        add(w, "ods:U1", "name", v="Rugeley PCN", valid_from="2020-01-01", row=5)
        add(w, "ods:U1", "name", v="Rugeley and Great Haywood PCN", valid_from="2020-01-01", row=6)
        add(w, "ods:00L", "name", v="NHS Northumberland CCG", valid_from="2013-04-01", row=7)
        add(w, "ods:00L", "accountable_to", o="ods:Y63", valid_from="2013-04-01", row=8)
        add(w, "ods:00L", "accountable_to", o="ods:Y54", valid_from="2013-04-01", row=9)
    return store


def test_placeholders_are_counted_apart_and_the_rest_grouped_by_kind(registry):
    with registry.reader() as conn:
        report = conflict_report(conn)
        d = conflicts_data(conn)
    [p] = report.placeholders
    assert (p.id, p.name, p.conflicts, p.kinds) == ("ods:U", "Unallocated", 3,
                                                   {"accountable_to": 3})
    assert {k: [c.subject for c in v] for k, v in report.groups.items()} == {
        "accountable_to": ["ods:00L"], "name": ["ods:U1"]}
    assert (report.total, report.count) == (5, 2)
    assert [(k["kind"], k["count"]) for k in d["kinds"]] == [("accountable_to", 1), ("name", 1)]
    assert "ods:U" not in {c["subject"] for c in d["conflicts"]}
    assert d["placeholders"][0]["conflicts"] == 3


def test_api_cli_and_page_leave_placeholders_out(registry, tmp_path):
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from conftest import PG_URL
    from nhsgraph.app import create_app
    from nhsgraph.cli import app as cli

    db = PG_URL or str(tmp_path / "test.db")
    with TestClient(create_app(db)) as client:
        body = client.get("/api/conflicts").json()
        assert (body["total"], body["count"], body["all"]) == (2, 2, 5)
        assert [i["kind"] for i in body["items"]] == ["accountable_to", "name"]
        only = client.get("/api/conflicts", params={"kind": "name"}).json()
        assert [i["subject"] for i in only["items"]] == ["ods:U1"]
        bad = client.get("/api/conflicts", params={"kind": "chair"})
        assert bad.status_code == 422 and "kinds with conflicts: accountable_to, name" in \
            bad.json()["detail"]
        page = client.get("/conflicts").text
        assert 'id="placeholders"' in page and "3 about" in page
        assert page.count('class="app-card"') == 2
    out = CliRunner().invoke(cli, ["--db", db, "conflicts"]).output
    assert "not listed: 3 about Unallocated (ods:U), a placeholder" in out
    assert "Accountable to (1)" in out and "Name (1)" in out


@pytest.mark.parametrize("name,expected", [("Unallocated", True), ("UNALLOCATED", True),
                                           ("Not applicable", True), ("Unknown", True),
                                           ("Rugeley PCN", False), ("Unity Health PCN", False)])
def test_placeholder_names(name, expected):
    assert is_placeholder_name(name) is expected
