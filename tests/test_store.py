import datetime as dt

import pytest
import sqlalchemy as sa

from nhsgraph.errors import (BadDate, BadInput, BadInterval, BadValue, MissingCitation,
                             UnknownPredicate, UnresolvedReference)
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn
from nhsgraph.query import Snapshot
from nhsgraph.query.facts import load_facts
from nhsgraph.store import Store
from nhsgraph.store.migrate import current_revision, head_revision
from nhsgraph.store.schema import metadata, statement

CITE = (CitationIn("src:t", "curated", span=(0, 4), quote="test"),)


def _setup(store):
    with store.writer() as w:
        w.ensure_source(SourceIn(id="src:t", title="T", kind="web"))
        w.ensure_entities([("ods:5AA", "organisation", None), ("ods:Q90", "organisation", None),
                           ("person:p", "person", None)])


def test_schema_is_migrated_and_matches_the_tables(store):
    assert current_revision(store.engine) == head_revision()
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    # Only FTS objects (created by raw SQL) may differ from the declared tables.
    assert [d for d in diff if "fts" not in str(d)] == []


def test_postgresql_plans_each_write_query_for_the_rows_it_has(store):
    """A generic plan made while an import's tables were empty (a sequential scan) would
    serve every later key lookup: the real folder's import took 9 minutes, not one. Inside
    a write (an import) every query gets a fresh plan; reads keep PostgreSQL's cached plans
    (a fresh plan per read doubled a lookup's cost)."""
    if store.dialect != "postgresql":
        pytest.skip("a PostgreSQL setting (run with NHSGRAPH_TEST_PG)")
    with store.writer() as w:
        assert w.conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_custom_plan"
    with store.reader() as conn:
        assert conn.exec_driver_sql("SHOW plan_cache_mode").scalar() == "auto"


def test_same_fact_twice_is_one_statement_with_both_citations(store):
    _setup(store)
    st = StatementIn("ods:5AA", "name", CITE, value="NHS Alpha", valid_from="2006-10")
    other = StatementIn("ods:5AA", "name", (CitationIn("src:t", "curated", span=(5, 9)),),
                        value="NHS  Alpha", valid_from="2006-10")
    with store.writer() as w:
        first = w.add(st)
    with store.writer() as w:
        res = w.add_many([st, other])
    assert res.added == 0 and res.ids == [first, first] and res.citations_added == 1
    assert store.counts()["statement"] == 1 and store.counts()["citation"] == 2


# StatementIn.trusted (the importers' fast path) must refuse exactly what the constructor
# refuses and build exactly what it builds: both tables run through both.
BUILDERS = pytest.mark.parametrize("build", [StatementIn, StatementIn.trusted],
                                   ids=["constructor", "trusted"])


@BUILDERS
@pytest.mark.parametrize("args, kw, error", [
    (("ods:5AA", "nmae", CITE), {"value": "x"}, UnknownPredicate),
    (("ods:5AA", "name", ()), {"value": "x"}, MissingCitation),
    (("", "name", CITE), {"value": "x"}, BadInput),
    (("ods:5AA", "name", CITE), {"value": "x", "status": "maybe"}, BadInput),
    (("ods:5AA", "name", CITE), {"value": 3}, BadValue),
    (("ods:5AA", "name", CITE), {"value": "  "}, BadValue),
    (("ods:5AA", "name", CITE), {"value": "x", "object": "ods:Q90"}, BadValue),
    (("ods:5AA", "org_type", CITE), {"value": "hospital"}, BadValue),
    (("ods:5AA", "accountable_to", CITE), {"value": "Q90"}, BadValue),
    (("person:p", "post", CITE), {"object": "ods:5AA"}, BadValue),
    (("person:p", "post", CITE), {"object": "ods:5AA", "qualifiers": {"role": "king"}}, BadValue),
    (("ods:5AA", "succeeded_by", CITE), {"object": "ods:Q90", "qualifiers": {"change": ""}}, BadValue),
    (("ods:5AA", "figure", CITE), {"value": {"measure": "x", "value": "lots", "unit": "GBP"}}, BadValue),
    (("ods:5AA", "rating", CITE), {"value": {"key_question": "well-led", "rating": "great"}}, BadValue),
    (("ods:5AA", "name", CITE), {"value": "x", "valid_from": "2011-31"}, BadDate),
    (("ods:5AA", "name", CITE), {"value": "x", "valid_from": "2012", "valid_to": "2011"}, BadInterval),
    (("ods:5AA", "name", CITE), {"value": "x", "valid_from": "2012-05",
                                 "valid_to": dt.date(2012, 1, 1)}, BadInterval),
])
def test_bad_statements_are_refused_at_the_boundary(build, args, kw, error):
    with pytest.raises(error):
        build(*args, **kw)


@BUILDERS
@pytest.mark.parametrize("args, kw, expected", [
    (("ods:5AA", "name", CITE), {"value": "  NHS   Alpha ", "valid_from": dt.date(2006, 10, 1)},
     {"value": "NHS Alpha", "valid_from": "2006-10-01"}),
    (("ods:5AA", "ods_code", CITE), {"value": "5aa", "valid_from": 2006, "valid_to": "2013-04"},
     {"value": "5AA", "valid_from": "2006", "valid_to": "2013-04"}),
    (("ods:5AA", "accountable_to", CITE), {"object": "ods:Q90", "valid_from": "", "valid_to": None},
     {"object": "ods:Q90", "valid_from": None, "valid_to": None}),
    (("ods:5AA", "succeeded_by", CITE), {"object": "ods:Q90",
                                          "qualifiers": {"change": "merge", "derived": True}},
     {"qualifiers": {"change": "merge", "derived": True}}),
    (("ods:5AA", "figure", CITE), {"value": {"measure": "turnover", "value": 3, "unit": "GBP"}},
     {"value": {"measure": "turnover", "value": 3, "unit": "GBP"}}),
    (("ods:5AA", "name", list(CITE)), {"value": "x", "status": "proposed"},
     {"citations": CITE, "status": "proposed"}),
])
def test_statements_are_normalised_the_same_by_both_builders(build, args, kw, expected):
    st = build(*args, **kw)
    assert st == StatementIn(*args, **kw)
    assert st.key == StatementIn(*args, **kw).key
    got = {k: getattr(st, k) for k in expected}
    got.update({k: str(v) for k, v in got.items() if k.startswith("valid_") and v is not None})
    assert got == expected


@pytest.mark.parametrize("st, error", [
    (StatementIn("ods:NOPE", "name", CITE, value="x"), UnresolvedReference),
    (StatementIn("ods:5AA", "accountable_to", CITE, object="ods:NOPE"), UnresolvedReference),
    (StatementIn("ods:5AA", "name", (CitationIn("src:nope", "curated"),), value="x"), UnresolvedReference),
    (StatementIn("person:p", "org_type", CITE, value="pct"), BadInput),
    (StatementIn("ods:5AA", "post", CITE, object="ods:Q90", qualifiers={"role": "chair"}), BadInput),
])
def test_bad_references_leave_the_store_as_it_was(store, st, error):
    _setup(store)
    before = store.counts()
    with pytest.raises(error):
        with store.writer() as w:
            w.add(StatementIn("ods:5AA", "name", CITE, value="kept only if all succeed"))
            w.add(st)
    assert store.counts() == before


def test_a_crash_mid_write_keeps_nothing(store):
    _setup(store)
    before = store.counts()
    with pytest.raises(RuntimeError):
        with store.writer() as w:
            w.ensure_entity("ods:5ZZ", "organisation")
            w.add(StatementIn("ods:5ZZ", "name", CITE, value="NHS Zed"))
            raise RuntimeError("power cut")
    assert store.counts() == before


def test_add_many_returns_the_ids_of_the_rows_it_wrote(store):
    # On SQLite the ids are numbered by the writer (after the largest held, retracted
    # rows included), not read back: they must be the rows' own ids.
    _setup(store)
    with store.writer() as w:
        gone = w.add(StatementIn("ods:5AA", "name", CITE, value="NHS Old"))
        w.retract([gone])
    sts = [StatementIn("ods:5AA", "name", CITE, value=f"NHS {i}") for i in range(3)]
    with store.writer() as w:
        res = w.add_many(sts + [sts[1]])
        held = w.add_many(sts[:1] + [StatementIn("ods:Q90", "name", CITE, value="NHS Q")])
    assert res.added == 3 and res.ids[3] == res.ids[1] and min(res.ids) > gone
    assert held.added == 1 and held.ids[0] == res.ids[0] and held.ids[1] > max(res.ids)
    with store.reader() as conn:
        rows = dict(conn.execute(sa.select(statement.c.id, statement.c.value_text)).all())
    assert [rows[i] for i in res.ids] == ["NHS 0", "NHS 1", "NHS 2", "NHS 1"]
    assert rows[held.ids[1]] == "NHS Q"


def test_retraction_keeps_what_was_known(store):
    _setup(store)
    t0 = dt.datetime(2020, 1, 1)
    with store.writer(recorded_at=t0) as w:
        old = w.add(StatementIn("ods:5AA", "name", CITE, value="NHS Alpha"))
    t1 = dt.datetime(2021, 1, 1)
    with store.writer(recorded_at=t1) as w:
        w.retract([old])
        w.add(StatementIn("ods:5AA", "name", CITE, value="NHS Alpha Renamed"))
    with store.reader() as conn:
        then = Snapshot.of(conn, "2015-01-01", known_at=dt.datetime(2020, 6, 1))
        now = Snapshot.of(conn, "2015-01-01")
        assert then.value("ods:5AA", "name") == "NHS Alpha"
        assert now.value("ods:5AA", "name") == "NHS Alpha Renamed"
        before_any = Snapshot.of(conn, "2015-01-01", known_at=dt.datetime(2019, 1, 1))
        assert before_any.value("ods:5AA", "name") is None
    # History is never deleted: both rows are still there.
    with store.reader() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(statement)).scalar() == 2


def test_restate_accepts_a_proposal_by_superseding_it(store):
    _setup(store)
    with store.writer() as w:
        pid = w.add(StatementIn("ods:5AA", "name", CITE, value="NHS Alpha", status="proposed"))
    with store.writer() as w:
        aid = w.restate(pid, status="asserted")
    with store.reader() as conn:
        facts = load_facts(conn, statement.c.id.in_([pid, aid]))
    by_id = {f.id: f for f in facts}
    assert by_id[pid].retracted_at is not None and by_id[aid].status == "asserted"
    assert by_id[aid].citations[0].quote == "test"


def test_database_url_accepts_paths_and_urls(tmp_path, monkeypatch):
    from nhsgraph.store import database_url

    assert database_url(tmp_path / "x.db").startswith("sqlite:///")
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("NHSGRAPH_DB", str(tmp_path / "env.db"))
    assert database_url(None).endswith("env.db")


def test_sqlite_uses_wal(tmp_path):
    s = Store.open(tmp_path / "w.db")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_entities_are_created_once_with_their_kind_and_labels_fill_gaps_only(store):
    with store.writer() as w:
        assert w.ensure_entity("ods:5AA", "organisation") is True
        assert w.ensure_entity("ods:5AA", "organisation", "ignored") is False
        assert w.ensure_entities([("ods:5AA", "organisation", None), ("ods:5BB", "organisation", "B"),
                                  ("ods:5CC", "organisation", None)]) == 2
        with pytest.raises(BadInput):
            w.ensure_entity("ods:5AA", "person")
        for bad in ("", "x" * 201):
            with pytest.raises(BadInput):
                w.ensure_entities([(bad, "organisation", None)])
        assert w.fill_labels([("ods:5AA", "organisation", "NHS Alpha"),
                              ("ods:5BB", "organisation", "not B"),
                              ("ods:5CC", "organisation", None)]) == 1
    with store.reader() as conn:
        rows = conn.execute(sa.text("SELECT id, kind, label FROM entity ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("ods:5AA", "organisation", "NHS Alpha"),
                                         ("ods:5BB", "organisation", "B"),
                                         ("ods:5CC", "organisation", None)]


def test_repeated_facts_of_some_subjects_are_those_of_all_for_them(store):
    """reads.repeated_facts(conn, subjects) reads by subject (in chunks of 500) what the
    scan of every statement finds for those subjects; the writer's watch gives them."""
    from nhsgraph.store import reads

    ids = [f"ods:X{i:04d}" for i in range(1203)]
    with store.writer() as w:
        w.ensure_source(SourceIn(id="src:t", title="T", kind="web"))
        w.ensure_entities([(i, "organisation", None) for i in ids])
        # every third body holds its name twice (two periods), every seventh its postcode
        w.add_many([StatementIn(i, "name", CITE, value=f"NHS {i}", valid_from=f"{2000 + k}")
                    for n, i in enumerate(ids) if n % 3 == 0 for k in (0, 5)])
        with w.watching_subjects() as watched:
            w.add_many([StatementIn(i, "postcode", CITE, value="LS1 4AP",
                                    valid_from=f"{2010 + k}")
                        for n, i in enumerate(ids) if n % 7 == 0 for k in (0, 2)])
        w.add(StatementIn(ids[1], "alias", CITE, value="After the block"))
    assert watched == {i for n, i in enumerate(ids) if n % 7 == 0}     # not ids[1]
    with store.reader() as conn:
        every = reads.repeated_facts(conn)
        assert len(every) == len({n for n in range(1203) if n % 3 == 0 or n % 7 == 0})
        for some in (set(ids), watched, set(ids[:10]), set()):
            assert reads.repeated_facts(conn, some) == {s: p for s, p in every.items()
                                                         if s in some}
        assert reads.repeated_facts(conn, {ids[21]}) == {ids[21]: {"name", "postcode"}}
