"""Pages a person can use, through the test client: documents from Markdown, the lineage
layout's input sanitised and its absence explained, bad input answered with an NHS.UK
error page and the right status, counts and names as people write them."""

from __future__ import annotations

import re

import pytest

from nhsgraph.model.statements import CitationIn, StatementIn
from nhsgraph.web import filters, layout
from webutil import MD, add_markdown_document

def test_documents_are_rendered_from_markdown_with_their_citations(client, store):
    src, sid = add_markdown_document(store)
    html = client.get(f"/documents/{src}").text
    doc = html[html.index('<div class="app-document"'):]
    doc = doc[:doc.index("</div>")]
    assert "<h2><strong>BATH AND NORTH EAST SOMERSET</strong></h2>" in doc
    assert "<h3>Wellbeing panel</h3>" in doc and "<li>" in doc and "**" not in doc and "##" not in doc
    # the cited words are highlighted where they now stand, with their anchor, in a list item
    start = MD.index("NHS Alpha")
    assert re.search(rf'<li><span id="span-{start}-{start + 9}" class="app-anchor"></span>'
                     rf'<mark class="app-mark" title="statement {sid}"><a href="#st-{sid}">NHS Alpha</a></mark>', doc)
    # HTML in a document stays text; only web links are links; no image is loaded
    assert "<script>" not in doc and "&lt;script&gt;" in doc
    assert "javascript:" not in re.sub(r">[^<]*<", "><", doc)
    assert '<a href="https://example.org/minutes" rel="noopener noreferrer">the council</a>' in doc
    assert "<img" not in doc


def test_dot_input_is_quoted_so_a_name_cannot_add_nodes_or_attributes():
    hostile = 'NHS "Evil"]; n9 [label="x" URL="javascript:alert(1)"]; \\\nnext'
    src = layout.dot_source([[hostile], ["B"]], [(0, 1, ["merge", 'a"b'])])
    first = src.splitlines()[4]
    # one statement, one attribute, one string that only ends at its closing quote
    assert re.fullmatch(r'n0 \[label="(?:[^"\\]|\\.)*"\];', first), first
    plain = layout.run_dot(src)
    assert [ln.split()[1] for ln in plain.splitlines() if ln.startswith("node")] == ["n0", "n1"]
    # the whole hostile name came back as n0's label text, the newline made a space
    import shlex
    node0 = next(ln for ln in plain.splitlines() if ln.startswith("node n0"))
    assert shlex.split(node0)[6] == hostile.replace("\n", " ")
    assert plain.count("\nedge ") == 1
    got = layout.layout_graph([[hostile], ["B"]], [(0, 1, ["merge"])])
    assert len(got.nodes) == 2 and len(got.edges) == 1


def test_lineage_without_graphviz_is_a_clear_error_page(client, monkeypatch):
    monkeypatch.setattr(layout.shutil, "which", lambda name: None)
    r = client.get("/entities/ods:QX1/lineage")
    assert r.status_code == 501 and r.headers["content-type"].startswith("text/html")
    assert "Graphviz" in r.text and "apt-get install graphviz" in r.text
    assert 'class="nhsuk-back-link" href="/search"' in r.text
    assert "Traceback" not in r.text


def test_pages_render_without_the_vendored_styles(client, monkeypatch, tmp_path):
    monkeypatch.setattr(filters, "VENDORED_CSS", tmp_path / "absent.css")
    r = client.get("/entities/ods:5AA")
    assert r.status_code == 200 and "<h1>NHS Alpha</h1>" in r.text
    assert "nhsuk-frontend.min.css" not in r.text and "scripts/vendor-assets.sh" in r.text
    monkeypatch.setattr(filters, "VENDORED_CSS", tmp_path)   # a folder is not the file
    assert "vendor-assets.sh" in client.get("/").text


def test_no_nhs_logo(client):
    html = client.get("/").text
    assert "nhsuk-logo" not in html and "nhsuk-header__logo" not in html
    assert 'aria-label="NHS"' not in html


BAD = [  # (path, status, words the page must give)
    ("/entities/ods:NOPE", 404, "no organisation or person called"),
    ("/entities/ods:NOPE/lineage", 404, "ods:NOPE"),
    ("/entities/ods:NOPE/timeline", 404, "ods:NOPE"),
    ("/sources/src:nope", 404, "src:nope"),
    ("/documents/src:nope", 404, "src:nope"),
    ("/rules/NO-SUCH-RULE", 404, "NO-SUCH-RULE"),
    ("/no-such-page", 404, "Not found"),
    ("/landscape?type=nonsense", 422, "nonsense"),
    ("/landscape?by=nonsense", 422, "unknown parent link"),
    ("/rules?pack=nonsense", 422, "unknown rule pack"),
    ("/landscape?offset=-1", 422, "offset"),
    ("/conflicts?offset=abc", 422, "offset"),
    ("/search?q=" + "x" * 300, 422, "q"),
]


@pytest.mark.parametrize("path,status,words", BAD)
def test_bad_input_gets_an_nhs_error_page_with_a_way_back(client, path, status, words):
    r = client.get(path)
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert 'class="nhsuk-error-summary' in html and words.lower() in html.lower()
    assert re.search(r'<a class="nhsuk-back-link" href="/[^"]*">', html)
    assert "Traceback" not in html


@pytest.mark.parametrize("path,label", [("/entities/ods:5AA?at=2012-13", "As at date"),
                                        ("/landscape?at=2012-02-30", "Date"),
                                        ("/rules?at=next+week", "In force on")])
def test_a_bad_date_is_shown_on_its_field(client, path, label):
    r = client.get(path)
    assert r.status_code == 422 and "<title>Error: " in r.text
    html = r.text
    assert '<div class="nhsuk-error-summary"' in html and '<a href="#at">' in html
    assert 'nhsuk-form-group--error' in html and 'id="at-error"' in html
    assert f"{label} must be a real date" in html
    assert 'aria-describedby="at-hint at-error"' in html and "nhsuk-input--error" in html


def test_counts_have_thousands_separators(client, monkeypatch):
    store = client.app.state.store
    monkeypatch.setattr(store, "counts", lambda: {"entity": 66088, "statement": 1230858,
                                                  "citation": 1197617, "source": 280})
    html = client.get("/").text
    assert "66,088 entities, 1,230,858 statements, 1,197,617 citations and 280 sources" in html
    assert filters.count(1234) == "1,234" and filters.count("n/a") == "n/a"


def test_names_in_ods_capitals_are_shown_in_the_conventional_case(client, store):
    with store.writer() as w:
        w.ensure_entity("ods:5FL", "organisation")
        w.add(StatementIn(subject="ods:5FL", predicate="name",
                          value="BATH AND NORTH EAST SOMERSET PCT", valid_from="2006-10-01",
                          citations=(CitationIn(source_id="src:test-registry", method="curated",
                                                locator="p. 1"),)))
    html = client.get("/entities/ods:5FL").text
    assert "<h1>Bath and North East Somerset PCT</h1>" in html
