"""Shared setup for the API, schema and browser tests: the mini registry with its text."""

from __future__ import annotations

from conftest import FIXTURES
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

TOKEN = "test-token-123"
XSS = "<script>alert('x')</script>"


def load_mini_with_text(store) -> None:
    """The mini registry, with its source text (tests/fixtures/web/mini.txt) attached."""
    from nhsgraph.importers.curated import load_curated

    load_curated(store, FIXTURES / "mini", documents=FIXTURES / "web")


def add_proposal(store, subject="ods:5CC", value="Gamma Primary Care Trust", span=(90, 99)) -> int:
    """A proposed statement citing the mini text, as the extractor would write it."""
    with store.writer() as w:
        return w.add(StatementIn(subject=subject, predicate="alias", value=value,
                                 status="proposed",
                                 citations=(CitationIn(source_id="src:test-registry",
                                                       method="extract:test", span=span,
                                                       quote="NHS Gamma"),)))


def add_hostile(store) -> tuple[str, str]:
    """An organisation and a document whose text carry markup, to check escaping."""
    text = f"Minutes. {XSS} NHS Hostile was named here."
    with store.writer() as w:
        w.ensure_source(SourceIn(id="src:hostile", title=f"Hostile {XSS}", kind="document",
                                 text=text))
        w.ensure_entity("org:hostile", "organisation")
        start = text.index(XSS)
        w.add(StatementIn(subject="org:hostile", predicate="name", value=f"NHS {XSS} Trust",
                          citations=(CitationIn(source_id="src:hostile", method="curated",
                                                span=(start, start + len(XSS))),)))
    return "org:hostile", "src:hostile"


def add_stages(store) -> None:
    """NHS Alpha's path through the PCT cluster process, ending in a move back that no
    allowed sequence makes (clustered -> pct), decided by the SHA."""
    with store.writer() as w:
        for stage, start in (("pct", "2006-10-01"), ("clustered", "2011-06-01"),
                             ("pct", "2012-02-01")):
            w.add(StatementIn(subject="ods:5AA", predicate="application_stage", object="ods:Q90",
                              value={"process": "pct_cluster", "stage": stage}, valid_from=start,
                              citations=(CitationIn(source_id="src:test-registry",
                                                    method="curated", span=(101, 114)),)))


def make_hostile_pct(store) -> str:
    """The hostile organisation (see add_hostile) as a PCT, so rules run on it."""
    org, _ = add_hostile(store)
    with store.writer() as w:
        w.add(StatementIn(subject=org, predicate="org_type", value="pct",
                          valid_from="2000-01-01",
                          citations=(CitationIn(source_id="src:hostile", method="curated",
                                                locator="p. 1"),)))
    return org


MD = """## **BATH AND NORTH EAST SOMERSET**

### Wellbeing panel

**Present:-** Councillor Vic Example (Chair) and <script>alert('x')</script> others.

- NHS Alpha reported its budget
- [a trap](javascript:alert(1)) and [the council](https://example.org/minutes)

![a tracking image](https://example.org/pixel.png)
"""


def add_markdown_document(store) -> tuple[str, int]:
    """Council minutes in Markdown (headings, bold, a list, HTML, a javascript: link, an
    image), citing "NHS Alpha" in a list item."""
    start = MD.index("NHS Alpha")
    with store.writer() as w:
        w.ensure_source(SourceIn(id="src:md-minutes", title="Panel minutes", kind="document",
                                 text=MD))
        sid = w.add(StatementIn(subject="ods:5AA", predicate="alias", value="NHS Alpha",
                                citations=(CitationIn(source_id="src:md-minutes", method="curated",
                                                      span=(start, start + len("NHS Alpha"))),)))
    return "src:md-minutes", sid
