"""The pages, through the test client: they render the same data as the API, link every
fact to its citation, and escape everything that came from a document or a user."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from nhsgraph.app import create_app
from nhsgraph.errors import BadInput
from webutil import TOKEN, XSS, add_hostile, add_proposal


PAGES = ["/", "/search?q=alpha", "/entities/ods:5AA?at=2012-01-15", "/entities/person:ann-example",
         "/entities/ods:QX1/lineage", "/entities/ods:5AA/timeline",
         "/landscape?at=2012-06-01&type=pct", "/conflicts", "/sources/src:test-registry",
         "/documents/src:test-registry", "/sources/src:other-notes", "/rules",
         "/rules?pack=pct_clusters&at=2012-01-01", "/rules/CLUSTER-SINGLE-CEO", "/api/docs",
         "/entities/org:north-cluster?at=2012-01-15"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_with_nhs_layout(client, path):
    r = client.get(path)
    assert r.status_code == 200, r.text
    html = r.text
    assert r.headers["content-type"].startswith("text/html")
    assert 'href="#maincontent"' in html and 'id="maincontent"' in html  # skip link
    assert '<html lang="en-GB">' in html and "/static/nhsgraph.css" in html
    assert "<h1>" in html or "<h1 " in html


def test_pages_link_to_their_json_twin(client):
    html = client.get("/entities/ods:5AA?at=2012-01-15").text
    assert '<link rel="alternate" type="application/json" href="/api/entities/ods:5AA?at=2012-01-15">' in html


def test_entity_page_facts_link_to_source_spans(client):
    html = client.get("/entities/ods:5AA?at=2012-01-15").text
    assert "NHS Northshire" in html and "NHS Alpha and Beta" in html
    assert 'href="/sources/src:test-registry#span-101-114"' in html
    doc = client.get("/sources/src:test-registry").text
    assert 'id="span-101-114"' in doc and '<mark class="app-mark"' in doc


def test_date_control_changes_what_is_shown(client):
    early = client.get("/entities/ods:5AA?at=2010-01-01").text
    late = client.get("/entities/ods:5AA?at=2012-01-15").text
    assert "NHS Alpha and Beta" not in early and "NHS Alpha and Beta" in late
    assert 'value="2010-01-01"' in early


def test_names_redirect_to_the_canonical_page(client):
    r = client.get("/entities/Alpha PCT", params={"at": "2012"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/entities/ods:5AA?at=2012"


def test_lineage_svg_has_nodes_and_labelled_edges(client):
    html = client.get("/entities/ods:QX1/lineage").text
    svg = figure(html, "app-graph")
    assert svg.count('class="app-graph__node"') == 6
    edge_labels = svg_texts(svg, "app-graph__edge")
    assert "merge 2019-04-01" in edge_labels and "abolition 2022-07-01" in edge_labels
    assert 'href="/entities/ods:5AA"' in svg
    # whole names, however long: "NHS Northshire Integrated Care Board" is wrapped, not cut
    assert "NHS Northshire Integrated Care Board ods:QX1" in svg_texts(svg, "app-graph__name")
    assert "…" not in svg


def figure(html: str, cls: str) -> str:
    """The page's <svg class=cls> ... </svg>."""
    start = html.index(f'<svg class="{cls}"')
    return html[start:html.index("</svg>", start)]


def svg_texts(svg: str, cls: str) -> list[str]:
    """The text of each <text class=cls>, its lines joined by spaces."""
    return [" ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", t))
            for t in re.findall(rf'<text[^>]*class="{cls}"[^>]*>(.*?)</text>', svg)]


def test_timeline_svg_has_a_bar_per_dated_fact(client):
    html = client.get("/entities/ods:5AA/timeline").text
    svg = figure(html, "app-chart")
    assert svg.count("<rect") >= 5 and "2006" in svg


def test_landscape_groups_and_controls(client):
    html = client.get("/landscape?at=2012-06-01&type=pct").text
    assert "NHS Northshire" in html and "NHS Southshire" in html and "NHS Gamma" in html
    assert '<label class="nhsuk-label" for="type">' in html
    assert '<option value="pct" selected>' in html


def test_problem_pages_are_html(client):
    r = client.get("/entities/NHS Alphaa")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "Did you mean" in r.text and "NHS Alpha" in r.text
    assert client.get("/entities/ods:5AA?at=2012-13").status_code == 422


def test_everything_from_documents_and_users_is_escaped(client, store):
    org, src = add_hostile(store)
    pages = [client.get(f"/entities/{org}"), client.get(f"/sources/{src}"),
             client.get(f"/documents/{src}"), client.get("/search", params={"q": XSS}),
             client.get("/search", params={"q": "hostile"}), client.get(f"/entities/{org}/timeline"),
             client.get(f"/entities/{XSS}")]
    for r in pages:
        assert "<script>" not in r.text, r.url
    assert "&lt;script&gt;" in pages[0].text and "&lt;script&gt;" in pages[2].text
    assert re.search(r'<mark class="app-mark"[^>]*><a [^>]*>&lt;script&gt;', pages[2].text)


def test_only_web_addresses_become_links(client, store):
    """SourceIn refuses a javascript: or data: address, but a store may have been written
    by other means: such an address is shown as text, never as a link to follow."""
    import sqlalchemy as sa

    from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn
    from nhsgraph.store.schema import source

    bad = {"src:js": "javascript:alert(1)", "src:data": " DATA:text/html,x"}
    with store.writer() as w:
        for sid in ("src:js", "src:data", "src:web"):
            w.ensure_source(SourceIn(id=sid, title=f"Notes {sid}", kind="web",
                                     url="https://example.org/board.pdf"))
            w.add(StatementIn(subject="ods:5AA", predicate="alias", value=f"Alpha {sid}",
                              citations=(CitationIn(source_id=sid, method="curated",
                                                    locator="p. 1"),)))
    with store.engine.begin() as conn:
        for sid, url in bad.items():
            conn.execute(sa.update(source).where(source.c.id == sid).values(url=url))
    pages = [client.get(p).text for p in ("/entities/ods:5AA", "/sources/src:js",
                                           "/sources/src:data")]
    for html in pages:
        assert not re.search(r'href="\s*(javascript|data):', html, re.I)
    assert "javascript:alert(1)" in pages[1]                   # still shown, as text
    assert 'href="https://example.org/board.pdf"' in pages[0]
    for url in bad.values():
        with pytest.raises(BadInput, match="url must be http"):
            SourceIn(id="src:x", title="x", kind="web", url=url)
    assert 'href="https://example.org/board.pdf"' in client.get("/sources/src:web").text


def test_review_controls_only_with_a_token(db, store):
    sid = add_proposal(store)
    with TestClient(create_app(db, token=TOKEN)) as c:
        html = c.get("/documents/src:test-registry").text
        assert f'action="/api/statements/{sid}/accept"' in html
        assert f'formaction="/api/statements/{sid}/reject"' in html
        assert '<label class="nhsuk-label" for="token-' in html and 'type="password"' in html
        assert "app-mark--proposed" in html
    with TestClient(create_app(db, token="")) as c:
        html = c.get("/documents/src:test-registry").text
        assert "/accept" not in html and "Review is switched off" in html


# -- rules, compliance and pipelines ----------------------------------------------------
def test_rule_list_and_rule_page(client):
    html = client.get("/rules?pack=pct_clusters").text
    assert 'href="/rules/CLUSTER-MODEL2-PRINCIPLES"' in html and "PCT-BOARD-SIZE" not in html
    assert '<option value="pct_clusters" selected>' in html
    assert '<label class="nhsuk-label" for="pack">' in html
    page = client.get("/rules/CLUSTER-MODEL2-PRINCIPLES").text
    # the mini registry does not hold the rule's source: named, not linked to a 404
    assert 'href="/sources/src:easton-letter-2011"' not in page
    assert "not held in this registry" in page
    for text in ("CLUSTER-MODEL2-PRINCIPLES", "Model 2 principles by 1 December 2011",
                 "pct clusters", "from 2011-09-29 until 2013-04-01", "pct cluster",
                 "src:easton-letter-2011", "every PCT cluster"):
        assert text in page, text
    assert "{reason}" not in page
    r = client.get("/rules/cluster-model2-principles", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/rules/CLUSTER-MODEL2-PRINCIPLES"
    missing = client.get("/rules/NO-SUCH-RULE")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


def test_organisation_page_has_compliance_on_its_date(client):
    html = client.get("/entities/org:north-cluster?at=2012-01-15").text
    assert '<h2 id="compliance-h">Compliance on 2012-01-15</h2>' in html
    section = html[html.index('id="compliance"'):]
    # Outcome tags carry their meaning in text, not colour alone.
    assert re.search(r'<strong class="nhsuk-tag nhsuk-tag--green app-outcome" data-outcome="complies">'
                     r'<span class="nhsuk-u-visually-hidden">Outcome: </span>'
                     r'<span aria-hidden="true">✓ </span>Complies</strong>', section)
    assert ">Insufficient evidence</strong>" in section
    assert 'href="/rules/CLUSTER-SINGLE-CEO"' in section and "Bob Sample is chief executive" in section
    assert re.search(r'href="/sources/src:test-registry#span-\d+-\d+"', section)
    assert "Facts relied on" in section and "Evidence from:" in section
    assert re.search(r"</a> member of <a href=", section)  # words stay apart
    undated = client.get("/entities/org:north-cluster").text
    assert "Compliance on" not in undated and "Choose a date above" in undated
    person = client.get("/entities/person:ann-example?at=2012-01-15").text
    assert 'id="compliance"' not in person


def test_organisation_page_shows_its_pipeline(client, store):
    from webutil import add_stages

    assert 'id="pipeline"' not in client.get("/entities/ods:5AA").text
    add_stages(store)
    html = client.get("/entities/ods:5AA").text
    section = html[html.index('id="pipeline"'):]
    section = section[:section.index("</section>")]
    assert "PCT cluster (2011-13)" in section and "2011-06-01" in section
    assert section.count("✓ </span>Allowed") == 2 and section.count("✗ </span>Not allowed") == 1
    assert 'href="/entities/ods:Q90">NHS Northshire</a>' in section
    assert 'href="/rules/CLUSTER-EXISTS"' in section
    assert 'href="/sources/src:test-registry#span-101-114"' in section


def test_compliance_section_is_escaped(client, store):
    from webutil import make_hostile_pct

    org = make_hostile_pct(store)
    r = client.get(f"/entities/{org}?at=2011-01-01")
    assert r.status_code == 200 and "Compliance on 2011-01-01" in r.text
    assert "<script>" not in r.text and "NHS &lt;script&gt;" in r.text
    api = client.get(f"/api/entities/{org}/check", params={"at": "2011-01-01"}).json()
    assert any(XSS in f["explanation"] for f in api["findings"])


def test_api_docs_page_lists_operations_from_the_schema(client):
    spec = client.get("/api/openapi.json").json()
    html = client.get("/api/docs").text
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert f"<code>{path}</code>" in html and op["summary"].replace("'", "&#39;") in html
    assert "<code>application/problem+json</code>" in html


ASSET = re.compile(r"""(?:<script[^>]*\bsrc|<link[^>]*\bhref|<img[^>]*\bsrc|<iframe[^>]*\bsrc|"""
                   r"""@import|url\()\s*=?\s*["']?\s*(?:https?:)?//""", re.I)


def test_no_asset_is_loaded_from_elsewhere(client):
    from pathlib import Path

    import nhsgraph.web as web

    root = Path(web.__file__).parent
    for f in [*root.glob("templates/*.html"), *(p for p in root.rglob("static/**/*") if p.is_file())]:
        text = f.read_text()
        assert not ASSET.search(text), f
    for path in PAGES:
        html = client.get(path).text
        assert not ASSET.search(html), path
    assert ASSET.search('<script src="https://cdn.example/x.js">')          # the check bites
    assert ASSET.search("<link rel=stylesheet href='//cdn.example/x.css'>")


def test_a_dataset_source_page_lists_its_rows_a_page_at_a_time(client, store, monkeypatch):
    """A dataset release is cited by thousands of rows: its page shows 200 at a time."""
    from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

    with store.writer() as w:
        w.ensure_source(SourceIn(id="src:rows", title="Practice rows", kind="dataset"))
        w.add_many([StatementIn(subject="ods:5AA", predicate="alias", value=f"Practice {i:03}",
                                citations=(CitationIn(source_id="src:rows", method="import",
                                                      file="rows.csv", row=i),))
                    for i in range(1, 251)])
    first = client.get("/sources/src:rows").text
    assert "Practice 200" in first and "Practice 201" not in first
    assert "Statements 1–200 of 250" in first and 'rel="next" href="?offset=200"' in first
    rest = client.get("/sources/src:rows?offset=200").text
    assert "Practice 201" in rest and "Practice 250" in rest and "Practice 200<" not in rest
    assert 'rel="prev" href="?offset=0"' in rest and 'rel="next"' not in rest
    # a document's page keeps every statement: its text is highlighted with all the spans
    from nhsgraph.web import pages

    monkeypatch.setattr(pages, "SOURCE_ROWS", 5)
    doc = client.get("/sources/src:test-registry?offset=5").text
    total = client.get("/api/sources/src:test-registry").json()["total"]
    assert total > 5 and "app-pager" not in doc
    assert len(re.findall(r'<tr id="st-\d+"', doc)) + doc.count('<li class="app-card" id="st-') \
        == total

