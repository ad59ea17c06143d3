"""Ingest and review on documents we write ourselves."""

import sqlalchemy as sa

from nhsgraph.query import Snapshot
from nhsgraph.services.ingest import build_gazetteer, ingest_text
from nhsgraph.services.review import decide, proposed
from nhsgraph.store.schema import source

NEWS = ("Northshire Valley NHS Trust published its plans on 3 March 2014. Chief executive "
        "Jane Doughty said the trust would consult. Chair Peter Quill said the board agreed.\n")


def test_ingest_proposes_cited_facts_and_is_idempotent(mini_store):
    first = ingest_text(mini_store, NEWS, "news.txt")
    counts = mini_store.counts()
    again = ingest_text(mini_store, NEWS, "news.txt")
    assert first.proposed > 0 and again.proposed == 0 and mini_store.counts() == counts
    with mini_store.reader() as conn:
        props = proposed(conn, source_id=first.source_id)
        stored = conn.execute(sa.select(source.c.text).where(source.c.id == first.source_id)).scalar()
    assert stored == NEWS
    for f in props:
        (c,) = f.citations
        assert c.source_id == first.source_id and c.method.startswith("extract:")
        assert c.quote and " ".join(c.quote.split()) in " ".join(NEWS[c.span[0]:c.span[1]].split())
    posts = [f for f in props if f.predicate == "post"]
    assert {(f.subject_label, f.qualifiers["role"]) for f in posts} >= {("Jane Doughty", "chief_executive"),
                                                                       ("Peter Quill", "chair")}


def test_accepting_makes_facts_asserted_and_rejecting_keeps_them_out(mini_store):
    rep = ingest_text(mini_store, NEWS, "news.txt")
    with mini_store.reader() as conn:
        props = proposed(conn, source_id=rep.source_id)
    names = [f.id for f in props if f.predicate == "name"]
    others = [f.id for f in props if f.predicate != "name"]
    decide(mini_store, names, "accept")
    decide(mini_store, others, "reject")
    with mini_store.reader() as conn:
        assert proposed(conn, source_id=rep.source_id) == []
        person = [f for f in props if f.predicate == "name" and f.value == "Jane Doughty"][0]
        view = Snapshot.of(conn, "2014-03-03").entity(person.subject)
        assert view.name == "Jane Doughty" and not view.of("post")
    # re-ingesting brings nothing back for review
    ingest_text(mini_store, NEWS, "news.txt")
    with mini_store.reader() as conn:
        assert [f.predicate for f in proposed(conn, source_id=rep.source_id)] == []


def test_known_organisations_are_linked_not_duplicated(mini_store):
    rep = ingest_text(mini_store, "NHS Alpha and NHS Beta formed a cluster in June 2011.\n", "c.txt")
    assert rep.linked_orgs == 2 and rep.new_orgs == 0


def test_a_batch_can_share_one_gazetteer(mini_store):
    """The gazetteer reads only asserted statements and ingesting adds only proposals, so
    one gazetteer built before a batch still describes the store after each document."""
    with mini_store.reader() as conn:
        gaz = build_gazetteer(conn)
    ingest_text(mini_store, NEWS, "news.txt", gazetteer=gaz)
    with mini_store.reader() as conn:
        assert build_gazetteer(conn)._entries == gaz._entries
    rep = ingest_text(mini_store, "NHS Alpha and NHS Beta formed a cluster in June 2011.\n", "c.txt",
                      gazetteer=gaz)
    assert rep.linked_orgs == 2 and rep.new_orgs == 0
