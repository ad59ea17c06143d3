"""Search ranks official names above aliases read from documents: "Cambridge" finds the
city council before a trust that one news story called "Cambridge"."""

from __future__ import annotations

import pytest

from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn
from nhsgraph.query import search_entities


@pytest.fixture
def registry(store):
    with store.writer() as w:
        w.ensure_source(SourceIn(id="src:news", title="News story (test)", kind="document",
                                 text="x" * 100))
        w.ensure_source(SourceIn(id="src:ons", title="ONS names (test)", kind="dataset"))
        news = (CitationIn("src:news", "curated", span=(0, 9)),)
        ons = (CitationIn("src:ons", "import:ons", file="names.csv", row=2),)
        # ids chosen so that the trust sorts first: only the ranking can put the council first
        for id_ in ("ods:RYV", "ons:E07000008", "ods:5PP", "ons:E10000003", "ods:RT1",
                    "ods:RAA"):
            w.ensure_entity(id_, "organisation")
        w.add(StatementIn(subject="ods:RYV", predicate="name",
                          value="Cambridgeshire Community Services NHS Trust", citations=ons))
        for v in ("Cambridge", "Cambridgeshire"):
            w.add(StatementIn(subject="ods:RYV", predicate="alias", value=v,
                              qualifiers={"informal": True}, citations=news))
        w.add(StatementIn(subject="ons:E07000008", predicate="name", value="Cambridge",
                          citations=ons))
        w.add(StatementIn(subject="ods:5PP", predicate="alias", value="Cambridgeshire",
                          qualifiers={"ons_name": True}, citations=ons))
        w.add(StatementIn(subject="ons:E10000003", predicate="name", value="Cambridgeshire",
                          citations=ons))
        w.add(StatementIn(subject="ods:RT1", predicate="alias", value="the Trust",
                          qualifiers={"informal": True}, citations=news))
        w.add(StatementIn(subject="ods:RAA", predicate="name", value="The Trust Partnership",
                          citations=ons))
    return store


@pytest.mark.parametrize("q,expected", [
    ("Cambridge", ["ons:E07000008", "ons:E10000003", "ods:5PP", "ods:RYV"]),
    ("Cambridgeshire", ["ons:E10000003", "ods:5PP", "ods:RYV"]),
    ("the Trust", ["ods:RAA", "ods:RT1"]),
])
def test_document_aliases_rank_below_official_names(registry, q, expected):
    with registry.reader() as conn:
        assert [h.id for h in search_entities(conn, q)] == expected


def test_an_exact_name_comes_before_a_longer_one(registry):
    with registry.reader() as conn:
        hits = search_entities(conn, "cambridgeshire community")
        assert [h.id for h in hits] == ["ods:RYV"] and hits[0].field == "name"


def test_paging_follows_the_ranking(registry):
    with registry.reader() as conn:
        pages = [h.id for o in range(4) for h in search_entities(conn, "Cambridge", limit=1,
                                                                   offset=o)]
    assert pages == ["ons:E07000008", "ons:E10000003", "ods:5PP", "ods:RYV"]
