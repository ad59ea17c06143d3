import pytest

from nhsgraph.errors import AmbiguousMatch, NotFound
from nhsgraph.query import (Snapshot, conflicts, landscape, lineage, person_posts, resolve,
                            search_entities, timeline)


def test_resolve_by_id_code_name_alias_and_words(mini_store):
    with mini_store.reader() as conn:
        assert resolve(conn, "ods:5AA").id == "ods:5AA"
        assert resolve(conn, "5aa").id == "ods:5AA"
        assert resolve(conn, "nhs alpha").id == "ods:5AA"
        assert resolve(conn, "Alpha PCT").id == "ods:5AA"
        assert resolve(conn, "Integrated Care Board").id == "ods:QX1"
        assert resolve(conn, "ann example").kind == "person"


def test_unknown_and_ambiguous_names_list_candidates(mini_store):
    with mini_store.reader() as conn:
        with pytest.raises(NotFound) as e:
            resolve(conn, "NHS Alpah")
        assert "NHS Alpha" in e.value.candidates
        with pytest.raises(AmbiguousMatch) as e:
            resolve(conn, "Northshire")
        assert any("ods:Q90" in c for c in e.value.candidates)


def test_snapshot_on_a_date(mini_store):
    with mini_store.reader() as conn:
        snap = Snapshot.of(conn, "2012-01-15")
        alpha = snap.entity("ods:5AA")
        assert alpha.name == "NHS Alpha" and alpha.org_type == "pct"
        assert [f.object for f in alpha.of("accountable_to")] == ["ods:Q90"]
        assert [f.object for f in alpha.of("member_of")] == ["org:north-cluster"]
        chairs = snap.holders("org:north-cluster", "chair")
        assert [f.subject for f in chairs] == ["person:ann-example"]
        assert chairs[0].citations[0].quote == "Ann Example"
        # before the cluster, Ann chaired the PCT; after abolition nothing is alive
        assert [f.subject for f in Snapshot.of(conn, "2011-01-01").holders("ods:5AA", "chair")] == [
            "person:ann-example"]
        assert Snapshot.of(conn, "2014-01-01").entity("ods:5AA").org_type is None


def test_partial_start_counts_from_its_first_day(mini_store):
    with mini_store.reader() as conn:
        assert Snapshot.of(conn, "2011-06-01").members("org:north-cluster")
        assert not Snapshot.of(conn, "2011-05-31").members("org:north-cluster")


def test_lineage_through_abolition_and_merger(mini_store):
    with mini_store.reader() as conn:
        lin = lineage(conn, "ods:03C")
    assert {(f.subject, f.object) for f in lin.predecessors} == {
        ("ods:5AA", "ods:01A"), ("ods:5BB", "ods:02B"), ("ods:01A", "ods:03C"), ("ods:02B", "ods:03C")}
    assert [(f.object, f.qualifiers["change"], f.valid_from) for f in lin.successors] == [
        ("ods:QX1", "abolition", "2022-07-01")]
    assert lin.depth["ods:5AA"] == -2 and lin.depth["ods:QX1"] == 1


def test_lineage_from_a_leaf_does_not_pull_in_siblings(mini_store):
    with mini_store.reader() as conn:
        lin = lineage(conn, "ods:5AA")
    assert "ods:02B" not in lin.depth and lin.depth["ods:QX1"] == 3


def test_landscape_groups_by_parent(mini_store):
    with mini_store.reader() as conn:
        ls = landscape(conn, "2012-06-01", ["pct"])
        assert ls.count == 3
        assert {g.parent: [m["id"] for m in g.members] for g in ls.groups} == {
            "ods:Q90": ["ods:5AA", "ods:5BB"], "ods:Q91": ["ods:5CC"]}
        by_cluster = landscape(conn, "2012-06-01", ["pct"], by="member_of")
        assert {g.parent for g in by_cluster.groups} == {"org:north-cluster", None}
        assert landscape(conn, "2020-01-01", ["ccg"]).count == 1


def test_timeline_is_ordered_and_includes_events(mini_store):
    with mini_store.reader() as conn:
        facts = timeline(conn, "ods:5AA")
    dates = [f.valid_from for f in facts if f.valid_from]
    assert dates == sorted(dates)
    assert any(f.predicate == "event_type" and f.value == "clustered" for f in facts)


def test_conflicting_names_from_two_sources_are_reported(mini_store):
    with mini_store.reader() as conn:
        found = conflicts(conn)
    assert [(c.subject, c.predicate) for c in found] == [("ods:5BB", "name")]
    assert {c.source_id for f in (found[0].a, found[0].b) for c in f.citations} == {
        "src:test-registry", "src:other-notes"}


def test_person_posts_over_time(mini_store):
    with mini_store.reader() as conn:
        posts = person_posts(conn, "person:ann-example")
    assert [(f.object_label, f.role) for f in posts] == [("NHS Alpha", "chair"),
                                                          ("NHS Alpha and Beta", "chair")]


def test_search_finds_names_and_codes(mini_store):
    with mini_store.reader() as conn:
        assert {h.id for h in search_entities(conn, "northshire")} == {"ods:Q90", "ods:03C", "ods:QX1"}
        assert search_entities(conn, "") == []


def test_landscape_lists_an_organisation_once_per_parent_however_many_sources(mini_store):
    from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

    with mini_store.writer() as w:
        w.ensure_source(SourceIn(id="src:second", title="Second", kind="web"))
        cite = (CitationIn("src:second", "curated", locator="p. 1"),)
        w.add(StatementIn("ods:5AA", "org_type", cite, value="pct", valid_from="2006-10-01"))
        w.add(StatementIn("ods:5AA", "accountable_to", cite, object="ods:Q90", valid_from="2006-10-01"))
    with mini_store.reader() as conn:
        ls = landscape(conn, "2012-06-01", ["pct"])
    north = {g.parent: [m["id"] for m in g.members] for g in ls.groups}["ods:Q90"]
    assert north == ["ods:5AA", "ods:5BB"] and ls.count == 3


def test_snapshot_history_is_read_once_and_callers_cannot_spoil_it(mini_store):
    import sqlalchemy as sa

    with mini_store.reader() as conn:
        snap = Snapshot.of(conn, "2012-01-15")
        selects = []
        sa.event.listen(conn, "before_cursor_execute",
                        lambda *a: selects.append(a[2]))
        first = snap.history("ods:5AA", "accountable_to")
        n = len(selects)
        first.clear()
        again = snap.history("ods:5AA", "accountable_to")
        assert len(selects) == n  # no new query
        assert [f.object for f in again] == ["ods:Q90"]
        assert snap.history("ods:5AA", "member_of") != again and len(selects) > n
