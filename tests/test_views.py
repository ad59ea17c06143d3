"""One answer for every interface: ``nhsgraph show X --json`` is the body of
``GET /api/entities/X``, and "as known at" leaves out what was recorded later, on the
command line, in the API and on the page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from conftest import PG_URL
from nhsgraph.cli import app as cli
from nhsgraph.model.dates import record_time
from nhsgraph.model.statements import CitationIn, StatementIn

runner = CliRunner()
LATER = dt.datetime(2030, 6, 1, 12, 0)   # when the late fact is recorded


def cli_json(db: str, *args: str):
    r = runner.invoke(cli, ["--db", db, *args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


@pytest.mark.parametrize("ref,params", [
    ("ods:5AA", {"at": "2012-01-15"}), ("ods:5AA", {}), ("NHS Alpha", {"at": "2011"}),
    ("ods:5BB", {"at": "2012-06-01", "known_at": "2030-01-01"}), ("Ann Example", {}),
    ("ods:QX1", {"at": "2023-01-01", "known_at": "2099-12-31T23:00:00+00:00"}),
])
def test_show_json_is_the_api_body(client, db, ref, params):
    args = [a for k, v in params.items() for a in (f"--{k.replace('_', '-')}", v)]
    api = client.get(f"/api/entities/{ref}", params=params)
    assert api.status_code == 200, api.text
    assert cli_json(db, "show", ref, *args) == api.json()


def test_lineage_timeline_landscape_json_are_the_api_bodies(client, db):
    assert cli_json(db, "lineage", "ods:QX1") == client.get("/api/entities/ods:QX1/lineage").json()
    tl = client.get("/api/entities/ods:5AA/timeline", params={"limit": 500}).json()
    mine = cli_json(db, "timeline", "ods:5AA")
    assert mine["facts"] == tl["items"] and mine["id"] == tl["id"]
    ls = client.get("/api/landscape", params={"at": "2012-06-01", "type": "pct"}).json()
    mine = cli_json(db, "landscape", "--at", "2012-06-01", "--type", "pct")
    assert mine["groups"] == ls["groups"] and mine["count"] == ls["count"] == 3


def add_late_fact(store) -> None:
    """NHS Alpha a member of NHS Beta in 2011-13, recorded in 2030: unknown to anyone asking
    as known at 2029."""
    with store.writer(recorded_at=LATER) as w:
        w.add(StatementIn(subject="ods:5AA", predicate="member_of", object="ods:5BB",
                          valid_from="2011-01-01", valid_to="2013-04-01",
                          citations=(CitationIn(source_id="src:test-registry", method="curated",
                                                span=(58, 67)),)))


def test_known_at_leaves_out_a_fact_recorded_later(client, db, store):
    add_late_fact(store)

    def members(d):
        return [f["object"] for f in d["sections"].get("memberships", [])]

    # the command line
    assert "ods:5BB" in members(cli_json(db, "show", "ods:5AA", "--at", "2012-01-15"))
    before = cli_json(db, "show", "ods:5AA", "--at", "2012-01-15", "--known-at", "2029-12-31")
    assert "ods:5BB" not in members(before)
    assert before["known_at"] == "2029-12-31T23:59:59.999999"
    after = cli_json(db, "show", "ods:5AA", "--at", "2012-01-15", "--known-at", "2030-06-01T12:00")
    assert "ods:5BB" in members(after)
    tl = cli_json(db, "timeline", "ods:5AA", "--known-at", "2029")
    assert not [f for f in tl["facts"] if f["predicate"] == "member_of" and f["object"] == "ods:5BB"]
    # the API
    api = client.get("/api/entities/ods:5AA", params={"at": "2012-01-15", "known_at": "2029-12-31"})
    assert api.json() == before
    assert "ods:5BB" in members(client.get("/api/entities/ods:5AA",
                                           params={"at": "2012-01-15"}).json())
    # the page: the membership is listed only when known, and the control keeps the value
    page = client.get("/entities/ods:5AA", params={"at": "2012-01-15", "known_at": "2029-12-31"})
    assert page.status_code == 200
    assert 'name="known_at"' in page.text and 'value="2029-12-31"' in page.text
    assert 'id="section-memberships"' not in page.text or "NHS Beta" not in page.text.split(
        'id="section-memberships"')[1].split("</section>")[0]
    now = client.get("/entities/ods:5AA", params={"at": "2012-01-15"}).text
    assert "NHS Beta" in now.split('id="section-memberships"')[1].split("</section>")[0]


def test_known_at_on_lineage_and_landscape(client, db, store):
    """A succession recorded later is absent from the lineage known before it."""
    with store.writer(recorded_at=LATER) as w:
        w.add(StatementIn(subject="ods:QX1", predicate="succeeded_by", object="ods:5CC",
                          valid_from="2031-01-01", qualifiers={"change": "merger"},
                          citations=(CitationIn(source_id="src:test-registry", method="curated",
                                                span=(58, 67)),)))
    known = cli_json(db, "lineage", "ods:QX1", "--known-at", "2029-01-01")
    assert "ods:5CC" not in known["depth"]
    assert "ods:5CC" in cli_json(db, "lineage", "ods:QX1")["depth"]
    api = client.get("/api/entities/ods:QX1/lineage", params={"known_at": "2029-01-01"}).json()
    assert api == known
    page = client.get("/entities/ods:QX1/lineage", params={"known_at": "2029-01-01"})
    assert page.status_code == 200 and "ods:5CC" not in page.text.split("<h1>")[1]
    assert "ods:5CC" in client.get("/entities/ods:QX1/lineage").text.split("<h1>")[1]
    ls = cli_json(db, "landscape", "--at", "2012-06-01", "--known-at", "1999-01-01")
    assert ls["count"] == 0 and ls["known_at"].startswith("1999-01-01")


@pytest.mark.parametrize("path", ["/api/entities/ods:5AA", "/api/entities/ods:5AA/lineage",
                                  "/api/entities/ods:5AA/timeline",
                                  "/api/landscape?at=2012-06-01&"])
@pytest.mark.parametrize("bad", ["2012-13-01", "yesterday", "2012-01-01T25:00"])
def test_a_bad_known_at_is_422_problem_json_with_the_reason(client, path, bad):
    sep = "" if path.endswith("&") else "?"
    r = client.get(f"{path}{sep}known_at={bad}")
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert "not a date or date-time" in r.json()["detail"] and bad in r.json()["detail"]


def test_a_bad_known_at_on_the_command_line_names_the_option(db):
    r = runner.invoke(cli, ["--db", db, "show", "ods:5AA", "--known-at", "soon"])
    assert r.exit_code == 2 and "--known-at" in r.output and "'soon'" in r.output


@pytest.mark.parametrize("text,expected", [
    ("2012-03-01", dt.datetime(2012, 3, 1, 23, 59, 59, 999999)),
    ("2012-02", dt.datetime(2012, 2, 29, 23, 59, 59, 999999)),
    ("2012-03-01T10:30", dt.datetime(2012, 3, 1, 10, 30)),
    ("2012-03-01T10:30:00+01:00", dt.datetime(2012, 3, 1, 9, 30)),
    ("2012-03-01T10:30:00Z", dt.datetime(2012, 3, 1, 10, 30)),
])
def test_record_time_reads_dates_as_the_end_of_their_period(text, expected):
    assert record_time(text) == expected


def test_check_as_known_at_leaves_out_a_membership_recorded_later(store, tmp_path):
    """CLUSTER-EXISTS complies as known now, and lacks evidence as known before the
    membership was recorded; check --json is the API's body either way."""
    from fastapi.testclient import TestClient

    from nhsgraph.app import create_app
    from rules_builder import SRC, build, org

    build(store, org("org:p1", "pct", "NHS One") + org("org:c1", "pct_cluster", "The Cluster"))
    with store.writer(recorded_at=LATER) as w:
        w.add(StatementIn(subject="org:p1", predicate="member_of", object="org:c1",
                          valid_from="2011-06-01",
                          citations=(CitationIn(SRC, "curated", locator="test"),)))
    db = PG_URL or str(tmp_path / "test.db")
    args = ("check", "org:p1", "--at", "2011-12-01", "--rule", "CLUSTER-EXISTS")
    then = cli_json(db, *args, "--known-at", "2029-12-31")
    now = cli_json(db, *args)
    assert [f["outcome"] for f in then["findings"]] == ["insufficient_evidence"]
    assert [f["outcome"] for f in now["findings"]] == ["complies"]
    with TestClient(create_app(db)) as client:
        api = client.get("/api/entities/org:p1/check", params={
            "at": "2011-12-01", "rule": "CLUSTER-EXISTS", "known_at": "2029-12-31"})
        assert api.json() == then
        page = client.get("/entities/org:p1", params={"at": "2011-12-01",
                                                      "known_at": "2029-12-31"}).text
        assert "no cluster membership is recorded" in page


def test_names_as_known_at_come_from_what_was_recorded_then(client, db, store):
    """NHS Gamma's name corrected in 2030 (the old statement retracted, a new one recorded):
    as known at 2029, the old name labels it (in the landscape, in a timeline), as known
    now the new one."""
    import sqlalchemy as sa

    from nhsgraph.store.schema import statement

    with store.writer(recorded_at=LATER) as w:
        old = w.conn.execute(sa.select(statement.c.id).where(
            statement.c.subject_id == "ods:5CC", statement.c.predicate == "name")).scalars().all()
        w.retract(old)
        w.add(StatementIn(subject="ods:5CC", predicate="name", value="NHS Gamma Renamed",
                          valid_from="2006-10-01", valid_to="2013-04-01",
                          citations=(CitationIn(source_id="src:test-registry", method="curated",
                                                span=(90, 99)),)))

    def names(d):
        return {m["id"]: m["name"] for g in d["groups"] for m in g["members"]}

    args = ("landscape", "--at", "2012-06-01", "--type", "pct")
    assert names(cli_json(db, *args, "--known-at", "2029-12-31"))["ods:5CC"] == "NHS Gamma"
    assert names(cli_json(db, *args))["ods:5CC"] == "NHS Gamma Renamed"
    tl = client.get("/api/entities/ods:5CC/timeline", params={"known_at": "2029-12-31"}).json()
    assert {f["subject_label"] for f in tl["items"] if f["subject"] == "ods:5CC"} == {"NHS Gamma"}
