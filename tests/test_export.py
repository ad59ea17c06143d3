"""Open exports: each format read back by its own ecosystem's reader (csv, rdflib + SPARQL,
networkx, pyarrow), Popolo checked for its required fields and references; on the mini
registry and on the real CCG files of April 2013."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from conftest import PG_URL, real_file
from nhsgraph import export as formats
from nhsgraph.cli import app
from nhsgraph.services.exports import build_export

AT = "2012-06-01"     # the north cluster is formed, Ann chairs it, the PCTs still exist


def exported(store, fmt, tmp_path, at=AT, types=None):
    with store.reader() as conn:
        data = build_export(conn, at, types)
    path = tmp_path / f"out.{fmt}"
    n = formats.write(fmt, data, path)
    return data, path, n


def test_tidy_csv_has_one_row_per_fact_with_dates_and_citations(mini_store, tmp_path):
    data, path, n = exported(mini_store, "csv", tmp_path)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n == len(data.facts)
    member = [r for r in rows if r["subject_id"] == "ods:5AA" and r["predicate"] == "member_of"]
    assert len(member) == 1
    m = member[0]
    assert (m["object_id"], m["object_name"], m["valid_from"], m["valid_to"]) == \
        ("org:north-cluster", "NHS Alpha and Beta", "2011-06", "2013-04-01")
    assert (m["subject_name"], m["subject_type"]) == ("NHS Alpha", "pct")
    assert (m["sources"], m["locators"]) == ("src:test-registry", "chars 116–134")
    # nothing valid only on other dates: NHS Alpha CCG (2013-2019) is not in it
    assert "ods:01A" not in {r["subject_id"] for r in rows if r["predicate"] == "name"}
    # every row is cited
    assert all(r["sources"] for r in rows)


def test_type_filter_keeps_the_types_and_the_posts_held_at_them(mini_store, tmp_path):
    data, path, _ = exported(mini_store, "csv", tmp_path, types=["pct_cluster"])
    assert [b.id for b in data.selected] == ["org:north-cluster"]
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    subjects = {r["subject_id"] for r in rows}
    # the cluster's own facts, and the posts held at it (Ann chairs it from 2011-12-01)
    assert subjects == {"org:north-cluster", "person:ann-example", "person:bob-sample"}
    assert {(r["subject_id"], json.loads(r["qualifiers"])["role"]) for r in rows
            if r["predicate"] == "post"} == {("person:ann-example", "chair"),
                                             ("person:bob-sample", "chief_executive")}


def test_popolo_has_required_fields_and_every_reference_resolves(mini_store, tmp_path):
    _, path, _ = exported(mini_store, "popolo", tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    orgs = {o["id"]: o for o in doc["organizations"]}
    persons = {p["id"] for p in doc["persons"]}
    posts = {p["id"]: p for p in doc["posts"]}
    assert all(o["name"] for o in orgs.values()) and all(p["name"] for p in doc["persons"])
    assert all(p["label"] and p["organization_id"] in orgs for p in posts.values())
    for m in doc["memberships"]:
        assert m["organization_id"] in orgs
        member = m["member"]
        assert member["id"] in (persons if member["@type"] == "Person" else orgs)
        if "post_id" in m:
            assert posts[m["post_id"]]["organization_id"] == m["organization_id"]
        assert m["sources"] and all(s["url"] for s in m["sources"])
    for o in orgs.values():
        assert o.get("parent_id") is None or o["parent_id"] in orgs
    alpha = orgs["ods:5AA"]
    assert alpha["classification"] == "pct" and alpha["parent_id"] == "ods:Q90"
    assert alpha["founding_date"] == "2006-10-01" and alpha["dissolution_date"] == "2013-03-31"
    (cluster,) = [m for m in doc["memberships"] if m["member"]["id"] == "ods:5AA"]
    # Popolo's end_date is the last day; nhsgraph's valid_to (2013-04-01) the first day after
    assert (cluster["organization_id"], cluster["start_date"], cluster["end_date"]) == \
        ("org:north-cluster", "2011-06", "2013-03-31")
    (chair,) = [m for m in doc["memberships"] if m.get("person_id") == "person:ann-example"]
    assert (chair["role"], chair["post_id"], chair["start_date"]) == \
        ("chair", "org:north-cluster/post/chair", "2011-12-01")


def test_jsonld_parses_back_and_sparql_finds_a_membership_with_its_dates(mini_store, tmp_path):
    rdflib = pytest.importorskip("rdflib")
    _, path, n = exported(mini_store, "jsonld", tmp_path)
    g = rdflib.Graph().parse(path, format="json-ld")
    assert len(g) == n
    rows = list(g.query("""
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX time: <http://www.w3.org/2006/time#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?name ?start ?end ?title WHERE {
          ?m a org:Membership ; org:member ?pct ; org:organization ?cluster ;
             org:memberDuring ?i ; prov:wasDerivedFrom ?c .
          ?pct skos:prefLabel "NHS Alpha" . ?cluster skos:prefLabel ?name .
          ?i a time:Interval ; time:hasBeginning/time:inXSDgYearMonth ?start ;
             time:hasEnd/time:inXSDDate ?end .
          ?c prov:hadPrimarySource ?src . ?src dcterms:title ?title .
        }"""))
    assert [(str(r.name), str(r.start), r.end.toPython(), str(r.title)) for r in rows] == \
        [("NHS Alpha and Beta", "2011-06", dt.date(2013, 4, 1), "Test registry notes")]
    # the PCT's abolition into its CCG (2013-04-01) is a change event though after the date
    events = list(g.query("""
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?to ?date WHERE { ?e a org:ChangeEvent ; org:originalOrganization ?from ;
            org:resultingOrganization ?to ; dcterms:date ?date .
            FILTER (?from = <urn:nhsgraph:ods:5AA>) }"""))
    assert [(str(e.to), str(e.date)) for e in events] == [("urn:nhsgraph:ods:01A", "2013-04-01")]


def test_jsonld_written_the_fast_way_is_what_plain_rdflib_writes(mini_store, tmp_path):
    """The builder fills the store directly and tells the serialiser it holds no lists: the
    file must say what a plain rdflib Graph of the same triples serialises to."""
    rdflib = pytest.importorskip("rdflib")
    from nhsgraph.export import jsonld

    data, path, n = exported(mini_store, "jsonld", tmp_path)
    plain = rdflib.Graph()
    for t in jsonld.graph(data):
        plain.add(t)
    fast = rdflib.Graph().parse(path, format="json-ld")
    slow = rdflib.Graph().parse(data=plain.serialize(format="json-ld", context=jsonld.CONTEXT),
                                format="json-ld")
    assert len(fast) == n == len(slow) > 100 and set(fast) == set(slow)
    # lookups other than an RDF list's head are the store's
    g = jsonld.graph(data)
    member = next(g.subjects(rdflib.RDF.type, jsonld.ORG.Membership))
    assert g.value(member, jsonld.ORG.member) is not None


def test_a_merge_is_one_change_event_with_both_originals(mini_store):
    with mini_store.reader() as conn:
        data = build_export(conn, None, ["ccg"])
    merges = [e for e in data.change_events() if e.change == "merge"]
    assert [(e.date, e.originals, e.results) for e in merges] == \
        [("2019-04-01", ["ods:01A", "ods:02B"], ["ods:03C"])]
    assert len(merges[0].citations) == 2


def test_graphml_reads_back_with_node_and_edge_attributes(mini_store, tmp_path):
    nx = pytest.importorskip("networkx")
    _, path, n = exported(mini_store, "graphml", tmp_path)
    g = nx.read_graphml(path, force_multigraph=True)
    assert g.number_of_edges() == n
    assert g.nodes["ods:5AA"]["name"] == "NHS Alpha" and g.nodes["ods:5AA"]["org_type"] == "pct"
    assert g.nodes["person:ann-example"]["kind"] == "person"
    links = {d["predicate"]: d for _, _, d in g.edges("ods:5AA", data=True)}
    assert links["member_of"]["valid_from"] == "2011-06"
    assert links["member_of"]["sources"] == "src:test-registry"
    assert links["succeeded_by"]["change"] == "abolition"
    (to,) = [v for _, v, d in g.edges("ods:5AA", data=True) if d["predicate"] == "accountable_to"]
    assert to == "ods:Q90"
    # a body only pointed at (the CCG that succeeds the PCT) is there, marked as such
    assert g.nodes["ods:01A"]["selected"] is False


def test_parquet_reads_back_rows_and_types(mini_store, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    data, path, n = exported(mini_store, "parquet", tmp_path)
    t = pq.read_table(path)
    assert t.num_rows == n == len(data.facts)
    assert t.schema.field("fact_id").type == pa.int64()
    assert t.schema.field("valid_from_day").type == pa.date32()
    assert pa.types.is_list(t.schema.field("citations").type)
    rows = [r for r in t.to_pylist() if r["subject_id"] == "ods:5AA" and r["predicate"] == "member_of"]
    (r,) = rows
    assert (r["valid_from"], r["valid_from_day"], r["valid_to_day"]) == \
        ("2011-06", dt.date(2011, 6, 1), dt.date(2013, 4, 1))
    assert r["citations"][0]["source_id"] == "src:test-registry"
    assert r["citations"][0]["locator"] == "chars 116–134"


def test_real_ccgs_of_april_2013_in_popolo_match_the_ons_file(store, tmp_path):
    from nhsgraph.importers import import_lookups

    names = real_file("ebmdatalab__openprescribing/CCG_APR_2013.csv")
    import_lookups(store, [real_file("ebmdatalab__openprescribing/CCG13_NHSAT13_NHSCR13_EW_LU.csv"),
                           names, real_file("ebmdatalab__openprescribing/at.csv")],
                   encoding="cp1252")
    with open(names, newline="", encoding="cp1252") as fh:
        ons_of = {r["CCG13CDH"]: r["CCG13CD"] for r in csv.DictReader(fh)}
    _, path, _ = exported(store, "popolo", tmp_path, at="2013-04-01", types=["ccg"])
    doc = json.loads(path.read_text(encoding="utf-8"))
    orgs = {o["id"]: o for o in doc["organizations"]}
    ccgs = [o for o in orgs.values() if o.get("classification") == "ccg"]
    assert {o["id"] for o in ccgs} == {f"ods:{c}" for c in ons_of}
    for o in ccgs:
        ids = {i["scheme"]: i["identifier"] for i in o["identifiers"]}
        assert ids == {"ods": o["id"].removeprefix("ods:"), "ons": ons_of[ids["ods"]]}
        # each CCG answers to an area team, which is in the file too
        assert orgs[o["parent_id"]]["classification"] == "area_team"


runner = CliRunner()


@pytest.fixture
def db_args(mini_store, tmp_path):
    return ["--db", PG_URL or str(tmp_path / "test.db")]


def test_cli_export_writes_the_file_and_says_what(db_args, tmp_path):
    out = tmp_path / "cluster.csv"
    r = runner.invoke(app, [*db_args, "export", "--format", "csv", "--at", AT,
                            "--type", "pct_cluster", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "1 organisations" in r.output and out.is_file()
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("args, exit_code, message", [
    (["--format", "xml"], 2, "unknown export format 'xml'; known: csv, popolo"),
    (["--format", "csv", "--at", "2012-13"], 2, "--at"),
    (["--format", "csv", "--type", "trustee"], 2, "unknown organisation type 'trustee'"),
])
def test_cli_export_refuses_bad_options_in_one_line(db_args, tmp_path, args, exit_code, message):
    r = runner.invoke(app, [*db_args, "export", *args, "--out", str(tmp_path / "x.csv")])
    assert r.exit_code == exit_code and message in r.output
    assert "Traceback" not in r.output and not (tmp_path / "x.csv").exists()


def test_cli_export_refuses_an_out_folder_that_does_not_exist(db_args, tmp_path):
    r = runner.invoke(app, [*db_args, "export", "--format", "csv",
                            "--out", str(tmp_path / "nowhere" / "x.csv")])
    assert r.exit_code == 2 and "--out: no folder" in r.output


@pytest.mark.skipif(bool(PG_URL), reason="the benchmark reads an SQLite file")
def test_export_benchmark_measures_a_complete_export(mini_store, tmp_path):
    """The benchmark's check holds on the mini registry: every statement valid on the date
    about a typed body is in the export, and each format is timed."""
    import subprocess
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "benchmarks" / "export_bench.py"
    r = subprocess.run([sys.executable, str(bench), "--db", str(tmp_path / "test.db"),
                        "--at", AT, "--out", str(tmp_path / "bench"), "--formats", "csv",
                        "popolo"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    figures = dict(line.split("=", 1) for line in r.stdout.splitlines())
    assert figures["missing_from_export"] == "0"
    assert int(figures["baseline_statements_about_typed"]) > 0
    assert float(figures["ratio_csv"]) > 0 and "popolo_total_s" in figures
