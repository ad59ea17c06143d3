"""The benchmark measures right answers: at a tiny scale, nhsgraph's three benchmarked
queries return the same rows as the hand-written SQL baselines, and the bulk loader stores
the same facts as the store's Writer would."""

from __future__ import annotations

import random
import sqlite3
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import baselines  # noqa: E402
import writer_path  # noqa: E402
from build import build  # noqa: E402

from nhsgraph.query import Snapshot, landscape, lineage  # noqa: E402
from nhsgraph.store import Store  # noqa: E402

SCALE = 0.002


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "bench.db"
    meta = build(path, scale=SCALE, seed=3, log=lambda m: None)
    return path, meta


def _orgs(raw):
    return raw.execute(
        "SELECT subject_id, min(coalesce(valid_from, '2000-01-01')) FROM statement "
        "WHERE predicate = 'org_type' GROUP BY subject_id ORDER BY subject_id").fetchall()


def test_generated_registry_has_the_national_shape(bench_db):
    path, meta = bench_db
    raw = sqlite3.connect(path)
    assert meta["statement_rows"] == meta["citation_rows"]
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def count(t, d):
        return raw.execute(
            "SELECT count(*) FROM statement WHERE predicate='org_type' AND value_text=? AND "
            "status='asserted' AND retracted_at IS NULL AND (valid_from IS NULL OR valid_from<=?) "
            "AND (valid_to IS NULL OR valid_to>?)", (t, d, d)).fetchone()[0]

    assert count("sha", "2005-01-01") == 28 and count("sha", "2010-01-01") == 10
    assert count("pct", "2010-01-01") == 152 and count("pct_cluster", "2012-01-01") == 52
    assert count("ccg", "2013-06-01") == 211 and count("ccg", "2019-06-01") == 191
    assert count("ccg", "2021-06-01") == 106 and count("icb", "2023-01-01") == 42
    assert 200 <= count("nhs_trust", "2010-01-01") + count("foundation_trust", "2010-01-01") <= 400


def test_queries_agree_with_their_baselines(bench_db):
    path, _ = bench_db
    raw = sqlite3.connect(path)
    store = Store.open(path)
    rng = random.Random(5)
    orgs = _orgs(raw)
    with store.reader() as conn:
        facts = 0
        for oid, start in rng.sample(orgs, 150):
            for d in (max(start, "2000-01-01"), "2008-03-15", "2016-07-01", "2024-12-31"):
                ours = Snapshot.of(conn, d).lookup(oid)
                facts += len(ours)
                assert baselines.norm_lookup_ours(ours) == baselines.norm_lookup_base(
                    baselines.lookup(raw, oid, d)), (oid, d)
        assert facts > 150          # the lookups compared facts, not empty answers
        for type_, d, by in (("ccg", "2015-06-01", "accountable_to"),
                             ("pct", "2010-01-01", "accountable_to"),
                             ("ccg", "2020-06-01", "member_of"),
                             ("nhs_trust", "2008-01-01", "accountable_to"),
                             ("gp_practice", "2015-06-01", "member_of")):
            ours = baselines.norm_landscape_ours(landscape(conn, d, [type_], by=by))
            assert ours and ours == baselines.norm_landscape_base(
                baselines.landscape(raw, d, type_, by)), (type_, d)
        roots = [r[0] for r in raw.execute(
            "SELECT DISTINCT subject_id FROM statement WHERE predicate='succeeded_by' "
            "ORDER BY subject_id")]
        deepest = 0
        for root in rng.sample(roots, 120):
            lin = lineage(conn, root)
            deepest = max(deepest, max(lin.depth.values()) - min(lin.depth.values()))
            assert baselines.norm_lineage_ours(lin) == baselines.norm_lineage_base(
                baselines.lineage(raw, root)), root
        assert deepest >= 5
    store.close()


def test_bulk_rows_are_what_the_writer_stores(bench_db, tmp_path):
    """Same facts through Writer.add_many (validated) as through the bulk loader."""
    path, _ = bench_db
    rows = writer_path.collect(SCALE, 3)
    n = 25_000            # the Writer is slow: compare the organisations wholly in a prefix
    store = Store.open(tmp_path / "writer.db")
    writer_path.load(store, rows, limit=n)
    bulk = Store.open(path)
    whole = ({r[2] for r in rows["statement"][:n]} - {r[2] for r in rows["statement"][n:]})
    orgs = sorted(o for o in whole if o.startswith("ods:"))
    assert len(orgs) > 100

    def strip(facts):
        return sorted((f.subject, f.predicate, f.object, f.value, f.valid_from, f.valid_to,
                       f.qualifiers, f.status, [(c.source_id, c.source_title, c.file, c.row,
                                                 c.method) for c in f.citations])
                      for f in facts)

    compared = 0
    with store.reader() as a, bulk.reader() as b:
        for oid in random.Random(9).sample(orgs, 100):
            for d in ("2001-01-01", "2005-01-01", "2015-06-01", None):
                ours = strip(Snapshot.of(a, d).lookup(oid))
                assert ours == strip(Snapshot.of(b, d).lookup(oid))
                compared += len(ours)
    assert compared > 100           # facts were read back, not two empty stores
    store.close()
    bulk.close()
