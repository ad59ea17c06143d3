"""The REST API over the mini registry: one test per endpoint, plus errors as
problem+json, the bearer token on writes, the size limit, ETags and pagination."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nhsgraph.app import create_app
from webutil import TOKEN, XSS, add_proposal

PROBLEM = "application/problem+json"


@pytest.fixture
def auth():
    return {"Authorization": f"Bearer {TOKEN}"}


def is_problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == status and body["title"] and body["type"] and body["detail"]
    return body


# -- read endpoints ---------------------------------------------------------------------
def test_entity_by_name_as_at_a_date_has_sections_and_citations(client):
    r = client.get("/api/entities/NHS Alpha", params={"at": "2012-01-15"})
    assert r.status_code == 200
    d = r.json()
    assert (d["id"], d["name"], d["org_type"], d["at"]) == ("ods:5AA", "NHS Alpha", "pct", "2012-01-15")
    parent = d["sections"]["parent"][0]
    assert parent["object"] == "ods:Q90" and parent["object_label"] == "NHS Northshire"
    cite = parent["citations"][0]
    assert cite["source_id"] == "src:test-registry" and cite["anchor"] == "span-101-114"
    assert {f["object"] for f in d["sections"]["memberships"]} == {"org:north-cluster"}


def test_entity_on_another_date_differs(client):
    d = client.get("/api/entities/ods:5AA", params={"at": "2010-01-01"}).json()
    assert "memberships" not in d["sections"]
    assert [h["subject"] for h in d["sections"]["holders"]] == ["person:ann-example"]


def test_person_lists_posts_over_time(client):
    d = client.get("/api/entities/Ann Example").json()
    assert d["kind"] == "person"
    assert [p["object"] for p in d["posts"]] == ["ods:5AA", "org:north-cluster"]


def test_lineage(client):
    d = client.get("/api/entities/ods:QX1/lineage").json()
    assert {l["from"] for l in d["links"]} == {"ods:5AA", "ods:5BB", "ods:01A", "ods:02B", "ods:03C"}
    depth = {n["id"]: n["depth"] for n in d["nodes"]}
    assert depth["ods:QX1"] == 0 and depth["ods:03C"] == -1 and depth["ods:5AA"] == -3
    assert {l["change"] for l in d["links"]} == {"abolition", "merge"}


def test_timeline_is_paginated_with_links(client):
    r = client.get("/api/entities/ods:5AA/timeline", params={"limit": 2})
    d = r.json()
    assert d["total"] > 2 and len(d["items"]) == 2 and d["offset"] == 0
    assert "next" in d["links"] and "prev" not in d["links"]
    assert 'rel="next"' in r.headers["link"]
    nxt = client.get(d["links"]["next"]).json()
    assert nxt["offset"] == 2 and "prev" in nxt["links"]
    assert {f["id"] for f in nxt["items"]}.isdisjoint({f["id"] for f in d["items"]})
    everything = client.get("/api/entities/ods:5AA/timeline", params={"limit": 500}).json()
    assert len(everything["items"]) == d["total"] and "next" not in everything["links"]


def test_landscape_groups_by_parent(client):
    d = client.get("/api/landscape", params={"at": "2012-06-01", "type": "pct"}).json()
    assert d["count"] == 3
    groups = {g["parent"]: [m["id"] for m in g["members"]] for g in d["groups"]}
    assert groups == {"ods:Q90": ["ods:5AA", "ods:5BB"], "ods:Q91": ["ods:5CC"]}
    by_cluster = client.get("/api/landscape", params={"at": "2012-06-01", "type": "pct",
                                                      "by": "member_of"}).json()
    assert {g["parent"] for g in by_cluster["groups"]} == {"org:north-cluster", None}
    is_problem(client.get("/api/landscape", params={"at": "2012-06-01", "by": "name"}), 422)


def test_search_finds_names_codes_and_documents(client):
    d = client.get("/api/search", params={"q": "alpha"}).json()
    assert "ods:5AA" in {h["id"] for h in d["items"]}
    assert d["documents"] and d["documents"][0]["id"] == "src:test-registry"
    page = client.get("/api/search", params={"q": "alpha", "limit": 1}).json()
    assert len(page["items"]) == 1 and "next" in page["links"]


def test_conflicts(client):
    d = client.get("/api/conflicts").json()
    assert d["total"] >= 1 and d["items"][0]["subject"] == "ods:5BB" and d["placeholders"] == []
    assert client.get("/api/conflicts", params={"entity": "NHS Gamma"}).json()["total"] == 0


def test_source_lists_citing_statements(client):
    d = client.get("/api/sources/src:test-registry").json()
    assert d["title"] == "Test registry notes" and d["has_text"] and "text" not in d
    assert d["total"] > 30 and len(d["items"]) == d["total"]
    page = client.get("/api/sources/src:test-registry", params={"limit": 10, "offset": 10})
    second = page.json()
    assert second["total"] == d["total"] and [f["id"] for f in second["items"]] == [
        f["id"] for f in d["items"][10:20]]
    assert {"next", "prev"} <= set(second["links"]) and 'rel="next"' in page.headers["link"]
    other = client.get("/api/sources/src:other-notes").json()
    assert other["has_text"] is False and other["items"][0]["citations"][0]["locator"] == "p. 2"


def test_document_has_text_and_spans_that_match_quotes(client):
    d = client.get("/api/documents/src:test-registry").json()
    text = d["text"]
    spans = [(c["span"], c["quote"]) for f in d["statements"] for c in f["citations"] if c["span"]]
    assert spans
    for (a, b), quote in spans:
        assert quote in text[a:b]
    is_problem(client.get("/api/documents/src:other-notes"), 404)


def test_statement_by_id(client):
    first = client.get("/api/entities/ods:5AA").json()["sections"]["names"][0]
    d = client.get(f"/api/statements/{first['id']}").json()
    assert d["subject"] == "ods:5AA" and d["citations"]
    is_problem(client.get("/api/statements/999999"), 404)


def test_proposals_list(client, store):
    sid = add_proposal(store)
    d = client.get("/api/proposals", params={"source": "src:test-registry"}).json()
    assert [f["id"] for f in d["items"]] == [sid]


# -- errors as problem+json -------------------------------------------------------------
def test_unknown_entity_is_404_problem_with_closest_names(client):
    body = is_problem(client.get("/api/entities/NHS Alphaa"), 404)
    assert "NHS Alpha" in body["detail"] and body["instance"] == "/api/entities/NHS Alphaa"


def test_ambiguous_name_is_409_with_candidates(client, store):
    from nhsgraph.model.statements import CitationIn, StatementIn

    with store.writer() as w:
        w.ensure_entity("ods:5DD", "organisation")
        w.add(StatementIn(subject="ods:5DD", predicate="name", value="NHS Alpha",
                          valid_from="2001-04-01", valid_to="2002-04-01",
                          citations=(CitationIn(source_id="src:other-notes", method="curated",
                                                locator="p. 9"),)))
    body = is_problem(client.get("/api/entities/NHS Alpha"), 409)
    assert len(body["candidates"]) == 2 and any("ods:5DD" in c for c in body["candidates"])


def test_bad_date_and_bad_parameters_are_422_problems(client):
    assert "not a date" in is_problem(client.get("/api/entities/ods:5AA", params={"at": "2011-02-30"}), 422)["detail"]
    assert is_problem(client.get("/api/entities/ods:5AA", params={"at": "2012-13"}), 422)["errors"]
    body = is_problem(client.get("/api/search"), 422)
    assert body["errors"][0]["loc"] == ["query", "q"]
    is_problem(client.get("/api/conflicts", params={"limit": 0}), 422)
    is_problem(client.get("/api/statements/abc"), 422)


# -- caching ------------------------------------------------------------------------------
def test_weak_etag_and_304(client):
    r = client.get("/api/entities/ods:5AA", params={"at": "2012-01-15"})
    tag = r.headers["etag"]
    assert tag.startswith('W/"')
    again = client.get("/api/entities/ods:5AA", params={"at": "2012-01-15"},
                       headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = client.get("/api/entities/ods:5AA", params={"at": "2010-01-15"},
                       headers={"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag
    assert client.get("/", headers={"If-None-Match": client.get("/").headers["etag"]}).status_code == 304


# -- writes: token, review, import, ingest, size limit ------------------------------------
def _snapshot(store):
    return store.counts(), client_state(store)


def client_state(store):
    import sqlalchemy as sa

    from nhsgraph.store.schema import statement

    with store.reader() as conn:
        return conn.execute(sa.select(statement.c.id, statement.c.status, statement.c.retracted_at)
                            .order_by(statement.c.id)).all()


WRITES = [("post", "/api/statements/{sid}/accept", {}),
          ("post", "/api/statements/{sid}/reject", {}),
          ("post", "/api/import", {"content": "entities:\n  - {id: ods:5ZZ, kind: organisation}\n",
                                   "headers": {"Content-Type": "application/yaml"}}),
          ("post", "/api/documents", {"content": "NHS Alpha met.",
                                      "headers": {"Content-Type": "text/plain"}})]


@pytest.mark.parametrize("method,path,kw", WRITES)
@pytest.mark.parametrize("configured,sent", [(None, None), (None, TOKEN), (TOKEN, None),
                                             (TOKEN, "wrong"), (TOKEN, TOKEN[:-1])])
def test_writes_need_the_configured_token_and_change_nothing(db, store, monkeypatch, method, path,
                                                             kw, configured, sent):
    monkeypatch.delenv("NHSGRAPH_API_TOKEN", raising=False)
    sid = add_proposal(store)
    before = _snapshot(store)
    headers = dict(kw.get("headers", {}))
    if sent:
        headers["Authorization"] = f"Bearer {sent}"
    with TestClient(create_app(db, token=configured)) as c:
        r = getattr(c, method)(path.format(sid=sid), content=kw.get("content"), headers=headers)
    is_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert _snapshot(store) == before


def test_token_from_environment(db, store, monkeypatch):
    monkeypatch.setenv("NHSGRAPH_API_TOKEN", "from-env")
    sid = add_proposal(store)
    with TestClient(create_app(db)) as c:
        is_problem(c.post(f"/api/statements/{sid}/accept", headers={"Authorization": "Bearer x"}), 401)
        assert c.post(f"/api/statements/{sid}/accept",
                      headers={"Authorization": "Bearer from-env"}).status_code == 200


def test_accept_supersedes_a_proposal_with_an_asserted_copy(client, store, auth):
    sid = add_proposal(store)
    r = client.post(f"/api/statements/{sid}/accept", headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "asserted" and body["superseded_by"] != sid
    old = client.get(f"/api/statements/{sid}").json()
    assert old["retracted_at"] is not None
    aliases = client.get("/api/entities/ods:5CC").json()["sections"]["names"]
    assert "Gamma Primary Care Trust" in {f["value"] for f in aliases}
    is_problem(client.post(f"/api/statements/{sid}/accept", headers=auth), 422)
    is_problem(client.post("/api/statements/999999/accept", headers=auth), 404)


def test_reject_keeps_the_statement_as_rejected(client, store, auth):
    sid = add_proposal(store)
    new = client.post(f"/api/statements/{sid}/reject", headers=auth).json()["superseded_by"]
    assert client.get(f"/api/statements/{new}").json()["status"] == "rejected"
    asserted = client.get("/api/entities/ods:5AA").json()["sections"]["names"]
    is_problem(client.post(f"/api/statements/{asserted[0]['id']}/reject", headers=auth), 422)


def test_review_form_posts_token_as_field_and_redirects_back(client, store):
    sid = add_proposal(store)
    r = client.post(f"/api/statements/{sid}/accept", data={"token": TOKEN,
                    "next": "/documents/src:test-registry"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/documents/src:test-registry"
    sid2 = add_proposal(store, value="Gamma PCT")
    r = client.post(f"/api/statements/{sid2}/reject", data={"token": TOKEN,
                    "next": "//evil.example/"}, follow_redirects=False)
    assert r.status_code == 200 and r.json()["status"] == "rejected"  # no open redirect


IMPORT_YAML = """
entities:
  - {id: ods:5ZZ, kind: organisation}
source: {id: src:upload-test, title: Uploaded notes, kind: web}
facts:
  - {s: ods:5ZZ, p: name, v: NHS Zeta, from: 2006-10-01, to: 2013-04-01, cite: {locator: p. 1}}
  - {s: ods:5ZZ, p: org_type, v: pct, from: 2006-10-01, to: 2013-04-01, cite: {locator: p. 1}}
"""


def test_import_yaml_body_is_idempotent(client, auth):
    r = client.post("/api/import", content=IMPORT_YAML,
                    headers={**auth, "Content-Type": "application/yaml"})
    assert r.status_code == 200, r.text
    assert r.json()["statements_added"] == 2 and r.json()["entities_new"] == 1
    again = client.post("/api/import", content=IMPORT_YAML,
                        headers={**auth, "Content-Type": "text/plain"}).json()
    assert again["statements_added"] == 0 and again["statements_unchanged"] == 2
    assert client.get("/api/entities/NHS Zeta").json()["id"] == "ods:5ZZ"


def test_import_file_upload(client, auth):
    r = client.post("/api/import", headers=auth,
                    files={"file": ("../../etc/passwd", IMPORT_YAML.encode(), "application/yaml")})
    assert r.status_code == 200, r.text
    assert r.json()["statements_added"] == 2


def test_import_errors_do_not_leak_paths_or_write(client, auth, store):
    before = store.counts()
    bad = IMPORT_YAML.replace("p: name", "p: nickname")
    body = is_problem(client.post("/api/import", content=bad,
                                  headers={**auth, "Content-Type": "application/yaml"}), 422)
    assert "nickname" in body["detail"] and "/tmp" not in body["detail"] and "upload" in body["detail"]
    is_problem(client.post("/api/import", content="a: [", headers={**auth, "Content-Type": "application/yaml"}), 422)
    is_problem(client.post("/api/import", content="{}", headers={**auth, "Content-Type": "application/json"}), 415)
    assert store.counts() == before


def test_bodies_that_are_not_utf8_are_422(client, auth, store):
    before = store.counts()
    for path, media, what in (("/api/import", "application/yaml", "the YAML"),
                              ("/api/documents", "text/plain", "the text")):
        body = is_problem(client.post(path, content=b"NHS \xff Alpha",
                                      headers={**auth, "Content-Type": media}), 422)
        assert body["detail"] == f"{what} is not UTF-8 (invalid start byte at byte 4)"
    assert store.counts() == before


def test_request_size_limit_is_413_problem(client, auth, store):
    before = store.counts()
    big = b"x" * (5 * 1024 * 1024 + 1)
    r = client.post("/api/import", content=big, headers={**auth, "Content-Type": "application/yaml"})
    is_problem(r, 413)
    r = client.post("/api/documents", content=iter([big[:4_000_000], big[4_000_000:]]),
                    headers={**auth, "Content-Type": "text/plain"})
    is_problem(r, 413)
    assert store.counts() == before


def test_ingest_document_proposes_statements(client, auth, store):
    text = f"NHS Alpha board, 1 March 2012. Ann Example, Chair of NHS Alpha, opened it. {XSS}"
    r = client.post("/api/documents", params={"name": "board.txt", "date": "2012-03-01"},
                    content=text, headers={**auth, "Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    rep = r.json()
    assert r.headers["location"] == f"/api/documents/{rep['source_id']}"
    doc = client.get(r.headers["location"]).json()
    assert doc["text"] == text
    again = client.post("/api/documents", json={"text": text, "name": "board.txt"}, headers=auth)
    assert again.status_code == 201 and again.json()["proposed"] == 0
    is_problem(client.post("/api/documents", json={"name": "x"}, headers=auth), 422)
    bad_url = client.post("/api/documents", headers=auth,
                          json={"text": "Minutes.", "name": "m.txt", "url": "javascript:alert(1)"})
    assert "url must be http" in is_problem(bad_url, 422)["detail"]


# -- OpenAPI --------------------------------------------------------------------------------
def test_openapi_every_route_has_a_summary_and_an_example(client):
    spec = client.get("/api/openapi.json").json()
    assert client.get("/api/docs").status_code == 200
    ops = [(p, m, op) for p, item in spec["paths"].items() for m, op in item.items()]
    assert {"/api/entities/{ref}", "/api/entities/{ref}/lineage", "/api/entities/{ref}/timeline",
            "/api/landscape", "/api/search", "/api/conflicts", "/api/sources/{source_id}",
            "/api/documents/{source_id}", "/api/statements/{statement_id}/accept",
            "/api/import", "/api/proposals"} <= set(spec["paths"])
    assert all(p.startswith("/api/") for p, _, _ in ops), "pages must stay out of the API schema"
    for path, method, op in ops:
        assert op.get("summary"), f"{method} {path} has no summary"
        ok = op["responses"].get("200") or op["responses"].get("201")
        examples = [c.get("example") for c in ok.get("content", {}).values()]
        assert any(e is not None for e in examples), f"{method} {path} has no example"


# -- rules, findings and pipelines ------------------------------------------------------
def test_rules_list_filters_by_pack_and_date_and_pages(client):
    d = client.get("/api/rules").json()
    assert d["total"] >= 40 and "pct_clusters" in d["packs"] and len(d["items"]) == min(50, d["total"])
    first = d["items"][0]
    assert {"id", "title", "pack", "in_force_from", "applies_to", "source", "text"} <= set(first)
    assert "{reason}" not in first["text"]
    clusters = client.get("/api/rules", params={"pack": "pct_clusters"}).json()
    assert clusters["total"] == 9 and {r["pack"] for r in clusters["items"]} == {"pct_clusters"}
    assert client.get("/api/rules", params={"era": "pct_clusters"}).json()["total"] == 9
    old = client.get("/api/rules", params={"pack": "pct_clusters", "at": "2011-07-01"}).json()
    assert "CLUSTER-MODEL2-PRINCIPLES" not in {r["id"] for r in old["items"]}
    assert "CLUSTER-EXISTS" in {r["id"] for r in old["items"]}
    r = client.get("/api/rules", params={"limit": 5, "offset": 5})
    page = r.json()
    assert len(page["items"]) == 5 and "next" in page["links"] and "prev" in page["links"]
    assert 'rel="next"' in r.headers["link"]
    body = is_problem(client.get("/api/rules", params={"pack": "no_such_era"}), 404)
    assert "pct_clusters" in body["candidates"]


def test_one_rule_and_unknown_rule_is_404(client):
    d = client.get("/api/rules/cluster-model2-principles").json()
    assert d["id"] == "CLUSTER-MODEL2-PRINCIPLES" and d["source"] == "src:easton-letter-2011"
    assert d["in_force_from"] == "2011-09-29" and d["applies_to"] == ["pct_cluster"]
    assert d["links"]["source"] == "/api/sources/src:easton-letter-2011"
    body = is_problem(client.get("/api/rules/NO-SUCH-RULE"), 404)
    assert "NO-SUCH-RULE" in body["detail"]


def test_check_gives_findings_with_explanations_and_cited_facts(client):
    r = client.get("/api/entities/NHS Alpha and Beta/check", params={"at": "2012-01-15"})
    assert r.status_code == 200 and r.headers["etag"]
    d = r.json()
    assert d["id"] == "org:north-cluster" and d["at"] == "2012-01-15"
    ids = {f["rule_id"] for f in d["findings"]}
    assert "CLUSTER-SINGLE-CEO" in ids and sum(d["counts"].values()) == len(d["findings"])
    ceo = next(f for f in d["findings"] if f["rule_id"] == "CLUSTER-SINGLE-CEO")
    assert ceo["outcome"] == "complies" and ceo["outcome_label"] == "Complies"
    assert "Bob Sample" in ceo["explanation"] and ceo["rule_title"]
    assert ceo["facts"] and all(f["citations"] for f in ceo["facts"])
    assert ceo["facts"][0]["citations"][0]["anchor"]
    assert ceo["links"]["rule"] == "/api/rules/CLUSTER-SINGLE-CEO"
    for f in d["findings"]:
        assert f["outcome"] in ("complies", "breach", "insufficient_evidence", "not_applicable")


def test_check_one_rule_out_of_force_is_not_applicable(client):
    d = client.get("/api/entities/ods:5AA/check",
                   params={"at": "2012-01-15", "rule": "pct-board-chair-nonexec"}).json()
    assert d["rule"] == "PCT-BOARD-CHAIR-NONEXEC" and len(d["findings"]) == 1
    late = client.get("/api/entities/ods:5AA/check",
                      params={"at": "2014-01-01", "rule": "PCT-BOARD-CHAIR-NONEXEC"}).json()
    assert late["findings"][0]["outcome"] == "not_applicable"
    assert "in force" in late["findings"][0]["explanation"]


def test_check_errors_are_problems(client):
    body = is_problem(client.get("/api/entities/ods:5AA/check",
                                 params={"at": "2012-01-15", "rule": "NO-SUCH-RULE"}), 404)
    assert "NO-SUCH-RULE" in body["detail"]
    is_problem(client.get("/api/entities/ods:5AA/check"), 422)            # no date
    is_problem(client.get("/api/entities/ods:5AA/check", params={"at": "2012-13"}), 422)
    is_problem(client.get("/api/entities/NHS Nowhere At All/check", params={"at": "2012"}), 404)


def test_pipeline_steps_with_dates_deciders_and_legality(client, store):
    from webutil import add_stages

    assert client.get("/api/entities/ods:5AA/pipeline").json()["steps"] == []
    add_stages(store)
    d = client.get("/api/entities/ods:5AA/pipeline", params={"process": "pct_cluster"}).json()
    assert d["process"] == "pct_cluster" and d["processes"][0]["name"] == "pct_cluster"
    steps = d["steps"]
    assert [(s["stage"], s["date"], s["allowed"], s["how"]) for s in steps] == [
        ("pct", "2006-10-01", True, "start"), ("clustered", "2011-06-01", True, "allowed"),
        ("pct", "2012-02-01", False, "illegal")]
    assert steps[1]["rule"] == "CLUSTER-EXISTS" and steps[1]["decider"] == "NHS Northshire"
    assert steps[1]["decider_id"] == "ods:Q90"
    assert steps[0]["citations"][0]["anchor"] == "span-101-114"
    is_problem(client.get("/api/entities/ods:5AA/pipeline", params={"process": "nope"}), 404)


def test_rules_operations_are_documented(client):
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/rules", "/api/rules/{rule_id}", "/api/entities/{ref}/check",
                 "/api/entities/{ref}/pipeline"):
        op = spec["paths"][path]["get"]
        assert op["summary"] and op["description"]
        assert op["responses"]["200"]["content"]["application/json"]["example"]
        assert "application/problem+json" in op["responses"]["404"]["content"]


def test_api_docs_work_offline(client):
    r = client.get("/api/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "/api/entities/{ref}/check" in html and "/api/rules/{rule_id}" in html
    assert "cdn" not in html.lower() and "<script" not in html
    assert 'href="/api/openapi.json"' in html
