"""The change feed: what changed between two dates, from the library, the CLI, the API and
the Atom feed, on the mini registry and on the real national data."""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from conftest import PG_URL
from nhsgraph.cli import app
from nhsgraph.errors import BadInput, BadInterval
from nhsgraph.importers.curated import load_curated
from nhsgraph.query.changes import changes

ATOM = "{http://www.w3.org/2005/Atom}"

# A trust renamed and moved to another SHA, then split, cited to an invented note.
RENAMES = """
entities:
  - {id: ods:RA1, kind: organisation}
  - {id: ods:RB1, kind: organisation}
  - {id: ods:RC1, kind: organisation}
  - {id: ods:Q11, kind: organisation}
  - {id: ods:Q12, kind: organisation}
source: {id: src:notes, title: Notes, kind: web}
facts:
  - {s: ods:Q11, p: org_type, v: sha, from: 2006-07-01, to: 2013-04-01, cite: {quote: Q11, locator: p. 1}}
  - {s: ods:Q12, p: org_type, v: sha, from: 2006-07-01, to: 2013-04-01, cite: {quote: Q12, locator: p. 1}}
  - {s: ods:Q11, p: name, v: North SHA, from: 2006-07-01, to: 2013-04-01, cite: {quote: Q11, locator: p. 1}}
  - {s: ods:Q12, p: name, v: South SHA, from: 2006-07-01, to: 2013-04-01, cite: {quote: Q12, locator: p. 1}}
  - {s: ods:RA1, p: org_type, v: nhs_trust, from: 2007-04-01, to: 2012-04-01, cite: {quote: RA1 opened, locator: p. 2}}
  - {s: ods:RA1, p: ons_code, v: E99000001, from: 2007-04-01, to: 2012-04-01, cite: {quote: RA1 opened, locator: p. 2}}
  - {s: ods:RA1, p: name, v: Old Town Hospitals NHS Trust, from: 2007-04-01, to: 2010-06-01, cite: {quote: Old Town, locator: p. 2}}
  - {s: ods:RA1, p: name, v: New Town Hospitals NHS Trust, from: 2010-06-01, to: 2012-04-01, cite: {quote: New Town, locator: p. 3}}
  - {s: ods:RA1, p: accountable_to, o: ods:Q11, from: 2007-04-01, to: 2011-01-01, cite: {quote: answers to North, locator: p. 2}}
  - {s: ods:RA1, p: accountable_to, o: ods:Q12, from: 2011-01-01, to: 2012-04-01, cite: {quote: answers to South, locator: p. 3}}
  - {s: ods:RB1, p: org_type, v: nhs_trust, from: 2012-04-01, cite: {quote: RB1, locator: p. 4}}
  - {s: ods:RC1, p: org_type, v: nhs_trust, from: 2012-04-01, cite: {quote: RC1, locator: p. 4}}
  - {s: ods:RA1, p: succeeded_by, o: ods:RB1, from: 2012-04-01, q: {change: split}, cite: {quote: split in two, locator: p. 4}}
  - {s: ods:RA1, p: succeeded_by, o: ods:RC1, from: 2012-04-01, q: {change: split}, cite: {quote: split in two, locator: p. 4}}
"""


@pytest.fixture
def renames(store, tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "registry.yaml").write_text(RENAMES, encoding="utf-8")
    load_curated(store, folder)
    return store


def _by_kind(found):
    out = {}
    for c in found:
        out.setdefault(c.kind, []).append(c)
    return out


def test_a_merge_names_both_sides_as_they_were_with_its_citation(mini_store):
    with mini_store.reader() as conn:
        found = changes(conn, "2019-04-01", "2019-04-01")
    kinds = _by_kind(found)
    assert sorted(kinds) == ["close", "merge", "open"]
    (merge,) = kinds["merge"]
    assert [(s.code, s.name, s.org_type) for s in merge.before] == [
        ("01A", "NHS Alpha CCG", "ccg"), ("02B", "NHS Beta CCG", "ccg")]
    assert [(s.code, s.name) for s in merge.after] == [("03C", "NHS Northshire CCG")]
    assert [c["quote"] for c in merge.citations] == ["the CCGs merged"]
    assert len(merge.statements) == 2
    assert {c.body.code for c in kinds["close"]} == {"01A", "02B"}
    assert [c.body.code for c in kinds["open"]] == ["03C"]


def test_types_and_kinds_narrow_the_feed(mini_store):
    with mini_store.reader() as conn:
        every = changes(conn, "2013-04-01", "2013-04-01")
        pcts = changes(conn, "2013-04-01", "2013-04-01", types=["pct"])
        closures = changes(conn, "2013", "2013", types=["pct"], kinds=["close"])
    assert {c.kind for c in every} == {"open", "close", "abolition"}
    # the abolitions involve a PCT (the old side); the CCGs' openings do not
    assert {(c.kind, (c.body or c.before[0]).code) for c in pcts} == {
        ("abolition", "5AA"), ("abolition", "5BB"), ("close", "5AA"), ("close", "5BB"),
        ("close", "5CC")}
    assert [c.body.code for c in closures] == ["5AA", "5BB", "5CC"]
    assert all(c.derived for c in pcts if c.kind == "abolition")


def test_a_rename_a_move_and_a_split(renames):
    with renames.reader() as conn:
        found = changes(conn, "2010", "2012")
    kinds = _by_kind(found)
    (rename,) = kinds["rename"]
    assert rename.date == "2010-06-01"
    assert (rename.before[0].name, rename.after[0].name) == (
        "Old Town Hospitals NHS Trust", "New Town Hospitals NHS Trust")
    assert [c["quote"] for c in rename.citations] == ["Old Town", "New Town"]
    (move,) = kinds["move"]
    assert (move.date, move.link, move.body.code) == ("2011-01-01", "accountable_to", "RA1")
    assert [s.name for s in move.before] == ["North SHA"]
    assert [s.name for s in move.after] == ["South SHA"]
    (split,) = kinds["split"]
    assert [s.code for s in split.before] == ["RA1"]
    assert [s.code for s in split.after] == ["RB1", "RC1"]
    assert split.before[0].name == "New Town Hospitals NHS Trust"   # its name the day before
    # a link a body ends with on its closing day is part of the closure, not a "leave"
    assert "leave" not in kinds
    assert [c.body.code for c in kinds["close"]] == ["RA1"]


def test_overlapping_names_from_two_sources_are_not_a_rename(mini_store):
    """5BB: 'Beta Primary Care Trust' (another source, 2010) inside 'NHS Beta' (2006-2013)."""
    with mini_store.reader() as conn:
        assert [c for c in changes(conn, "2000", "2030") if c.kind == "rename"] == []


def test_bad_periods_and_kinds_are_refused(mini_store):
    with mini_store.reader() as conn:
        with pytest.raises(BadInterval, match="ends"):
            changes(conn, "2020", "2019")
        with pytest.raises(BadInput, match="unknown change kind 'merger'"):
            changes(conn, "2019", "2020", kinds=["merger"])


runner = CliRunner()


@pytest.fixture
def db_args(mini_store, tmp_path):
    return ["--db", PG_URL or str(tmp_path / "test.db")]


def test_cli_json_csv_and_text(db_args):
    r = runner.invoke(app, [*db_args, "changes", "--from", "2019-04-01", "--to", "2019-04-01",
                            "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert (d["total"], d["counts"]) == (4, {"close": 2, "merge": 1, "open": 1})
    r = runner.invoke(app, [*db_args, "changes", "--from", "2019-04-01", "--to", "2019-04-01",
                            "--kind", "merge", "--csv"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("date,kind,summary,")
    assert lines[1].startswith("2019-04-01,merge,")
    assert "ods:01A; ods:02B" in lines[1] and len(lines) == 2
    r = runner.invoke(app, [*db_args, "changes", "--from", "2019-04", "--to", "2019-04"])
    assert r.exit_code == 0 and "merged into NHS Northshire CCG (03C)" in " ".join(r.output.split())


def test_cli_errors_name_the_option(db_args):
    r = runner.invoke(app, [*db_args, "changes", "--from", "2019-13", "--to", "2020"])
    assert r.exit_code == 2 and "--from" in r.output
    r = runner.invoke(app, [*db_args, "changes", "--from", "2019", "--to", "2020",
                            "--type", "trustt"])
    assert r.exit_code == 2 and "unknown organisation type 'trustt'" in r.output


def test_api_pages_the_changes(client):
    r = client.get("/api/changes", params={"from": "2013-04-01", "to": "2019-04-01",
                                           "limit": 3})
    assert r.status_code == 200, r.text
    d = r.json()
    # 2013-04-01: 2 openings, 2 abolitions, 6 closures; 2019-04-01: an opening, a merge and
    # two closures
    assert d["total"] == 14 and len(d["items"]) == 3 and "next" in d["links"]
    nxt = client.get(d["links"]["next"]).json()
    assert [c["id"] for c in nxt["items"]] != [c["id"] for c in d["items"]]
    assert all(c["citations"] and c["summary"] for c in d["items"] + nxt["items"])
    r = client.get("/api/changes", params={"from": "2019", "to": "2013"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem")


def test_atom_feed_parses_with_ids_dates_and_links(client):
    r = client.get("/changes.atom", params={"from": "2013", "to": "2022"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}").text
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 17      # the 14 above and the ICB's opening of 2022-07-01 (3)
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:") for i in ids)
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2022-07-01T00:00:00Z"
    hrefs = [link.get("href") for e in entries for link in e.findall(f"{ATOM}link")]
    assert any(h.endswith("/entities/ods:QX1") for h in hrefs)
    page = client.get([h for h in hrefs if h.endswith("/entities/ods:QX1")][0])
    assert page.status_code == 200


# -- the real national data -------------------------------------------------------------
def test_the_april_2026_icb_mergers(national):
    store, _ = national
    with store.reader() as conn:
        found = changes(conn, "2026-04-01", "2026-04-01", types=["icb"])
    succ = [c for c in found if c.link == "succeeded_by"]
    links = {(b.code, a.code) for c in succ for b in c.before for a in c.after}
    # the 16 Q-code rows of succ_2026-05.csv, said again by RCPCH's table
    assert len(links) == 16
    assert {a for _, a in links} == {"S1Y5D", "D7T5G", "T6Y0W", "S0E4D", "S9B9J", "QRL",
                                     "Z9B2Z"}
    assert {c.kind for c in succ} >= {"merge", "acquisition"}
    opened = {c.body.code for c in found if c.kind == "open"}
    assert opened == {"S1Y5D", "D7T5G", "T6Y0W", "S0E4D", "S9B9J", "Z9B2Z"}


def test_the_april_2020_ccg_mergers(national):
    store, _ = national
    with store.reader() as conn:
        found = changes(conn, "2020-04-01", "2020-04-01", types=["ccg"], kinds=["merge"])
    into = {c.after[0].code: {b.code for b in c.before} for c in found}
    assert into["16C"] == {"00C", "00K", "00M"}    # Tees Valley (ODS succ, 2020-04-01)
    assert all(c.citations for c in found)


def test_api_pages_are_cut_in_the_query_with_totals_of_the_whole_period(client):
    params = {"from": "2013-04-01", "to": "2019-04-01"}
    whole = client.get("/api/changes", params={**params, "limit": 500}).json()
    pages, offset = [], 0
    while True:
        d = client.get("/api/changes", params={**params, "limit": 4, "offset": offset}).json()
        assert (d["total"], d["counts"]) == (whole["total"], whole["counts"])
        pages += d["items"]
        if "next" not in d["links"]:
            break
        offset += 4
    assert pages == whole["items"] and len(pages) == whole["total"] == 14


def test_a_period_over_ten_years_is_a_422_problem_naming_the_cap(client):
    r = client.get("/api/changes", params={"from": "2000-01-01", "to": "2019-04-01"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    detail = r.json()["detail"]
    assert "7031 days" in detail and "at most 3653" in detail
    assert client.get("/api/changes", params={"from": "2010-01-01", "to": "2019-12-31"}
                      ).status_code == 200      # ten years exactly: served
    assert client.get("/changes.atom", params={"from": "1990", "to": "2026"}).status_code == 422


def test_atom_cut_to_its_limit_keeps_the_newest(client):
    full = ET.fromstring(client.get("/changes.atom", params={"from": "2013", "to": "2022"}).content)
    cut = ET.fromstring(client.get("/changes.atom", params={"from": "2013", "to": "2022",
                                                           "limit": 5}).content)
    ids = lambda root: [e.find(f"{ATOM}id").text for e in root.findall(f"{ATOM}entry")]  # noqa: E731
    assert ids(cut) == ids(full)[:5] and len(ids(full)) == 17


def test_the_feed_is_the_same_whole_or_by_parts_cited_later_or_now(national):
    """The fast feed against itself cut another way: a period's changes are its halves'
    changes (each is dated), and citing afterwards (a page) gives the same citations."""
    from nhsgraph.query.changes import _ORDER, cite

    store, _ = national
    key = lambda c: (c.date, _ORDER[c.kind], (c.body or (c.before + c.after)[0]).name, c.id)  # noqa: E731
    with store.reader() as conn:
        whole = changes(conn, "2020-01-01", "2020-12-31")
        halves = (changes(conn, "2020-01-01", "2020-04-01")
                  + changes(conn, "2020-04-02", "2020-12-31"))
        assert len(whole) > 1000
        assert [c.to_dict() for c in whole] == [c.to_dict() for c in sorted(halves, key=key)]
        later = changes(conn, "2020-01-01", "2020-12-31", cited=False)
        assert all(not c.citations for c in later)
        cite(conn, later[100:200])
        assert [c.to_dict() for c in later[100:200]] == [c.to_dict() for c in whole[100:200]]
        assert all(c.citations for c in whole)


def test_names_for_many_days_at_once_are_each_days_names(national):
    from nhsgraph.query.facts import labels, labels_on

    store, _ = national
    with store.reader() as conn:
        found = changes(conn, "2013-04-01", "2013-04-01", types=["ccg", "pct"], cited=False)
        ids = sorted({s.id for c in found for s in c.bodies})[:400]
        days = [dt.date(2013, 3, 31), dt.date(2013, 4, 1), dt.date(2020, 4, 1)]
        at_once = labels_on(conn, {d: ids for d in days})
        assert {d: labels(conn, ids, d) for d in days} == at_once
        # the same bodies are named differently on either side of the change
        assert at_once[days[0]] != at_once[days[1]]
