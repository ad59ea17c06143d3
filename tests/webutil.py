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
