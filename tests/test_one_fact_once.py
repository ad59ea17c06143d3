"""One fact read twice is shown once, and counted once by the rules: NHS Wiltshire's
cluster membership is curated both "from 2011-06" (derived from the guidance) and "as
reported" on 2011-11-29 (the panel minutes), two statements of one fact."""

from __future__ import annotations

from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn
from nhsgraph.query import Snapshot
from nhsgraph.rules import check
from nhsgraph.services.views import entity_data

SRC = "src:one-fact-test"


def two_readings(store, second_from="2011-11-29", second_to=None):
    """A PCT in a cluster, the membership written twice as the seed does."""
    with store.writer() as w:
        w.ensure_source(SourceIn(id=SRC, title="Panel minutes (test)", kind="document",
                                 text="x" * 200))
        for id_, kind in (("ods:5QK", "organisation"), ("org:cluster", "organisation")):
            w.ensure_entity(id_, kind)
        cite = lambda a, b: CitationIn(SRC, "curated", span=(a, b))  # noqa: E731
        w.add(StatementIn(subject="ods:5QK", predicate="org_type", value="pct",
                          valid_from="2006-10-01", valid_to="2013-04-01", citations=(cite(0, 5),)))
        w.add(StatementIn(subject="org:cluster", predicate="org_type", value="pct_cluster",
                          valid_from="2011-06", citations=(cite(0, 5),)))
        w.add(StatementIn(subject="org:cluster", predicate="name", value="The Cluster",
                          valid_from="2011-06", citations=(cite(0, 5),)))
        w.add(StatementIn(subject="ods:5QK", predicate="member_of", object="org:cluster",
                          valid_from="2011-06", qualifiers={"derived": True},
                          citations=(cite(10, 20), cite(30, 40))))
        w.add(StatementIn(subject="ods:5QK", predicate="member_of", object="org:cluster",
                          valid_from=second_from, valid_to=second_to,
                          qualifiers={"as_reported": True}, citations=(cite(10, 20), cite(50, 60))))


def test_two_readings_of_one_membership_are_shown_once(store):
    two_readings(store)
    with store.reader() as conn:
        [m] = Snapshot.of(conn, "2011-11-29").entity("ods:5QK").of("member_of")
        d = entity_data(conn, "ods:5QK", "2011-11-29")
        inbound = Snapshot.of(conn, "2011-11-29").entity("org:cluster").into("member_of")
    assert m.valid_from == "2011-06" and m.qualifiers == {"derived": True}
    assert [c.span for c in m.citations] == [(10, 20), (30, 40), (50, 60)]   # each once
    assert len(m.also) == 1
    assert len(d["sections"]["memberships"]) == 1 and len(inbound) == 1


def test_readings_at_different_times_stay_two(store):
    """A second term is another fact: over all dates both are listed."""
    two_readings(store, second_from="2009", second_to="2010")
    with store.reader() as conn:
        assert len(Snapshot.of(conn).entity("ods:5QK").of("member_of")) == 2
        assert len(Snapshot.of(conn, "2011-11-29").entity("ods:5QK").of("member_of")) == 1


def test_cluster_exists_reads_the_membership_once(store):
    two_readings(store)
    with store.reader() as conn:
        [f] = check(conn, "ods:5QK", "2011-11-29", "CLUSTER-EXISTS")
    assert f.outcome == "complies", f.explanation
    assert f.explanation.endswith("it is a member of The Cluster.")


def test_a_body_unnamed_on_the_date_is_headed_by_its_name_of_another_date(store):
    """A practice first listed in 2019 is shown on 2012-06-01 as "Jesmond House Practice"
    (its name then, in the conventional case), not as its id."""
    with store.writer() as w:
        w.ensure_source(SourceIn(id=SRC, title="Practice list (test)", kind="dataset"))
        w.ensure_entity("ods:L84604", "organisation")
        w.add(StatementIn(subject="ods:L84604", predicate="name", value="JESMOND HOUSE PRACTICE",
                          valid_from="2019-10-01",
                          citations=(CitationIn(SRC, "import:ods", file="epraccur.csv", row=3),)))
    with store.reader() as conn:
        assert entity_data(conn, "ods:L84604", "2012-06-01")["name"] == "Jesmond House Practice"
        assert entity_data(conn, "ods:L84604", "2020-01-01")["name"] == "Jesmond House Practice"
