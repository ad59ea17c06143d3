"""Read endpoints: everything the CLI answers, as JSON with weak ETags."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from nhsgraph.asgi.deps import (DATE_PATTERN, KNOWN_AT_MAX, At, Conn, KnownAt, Limit, Offset,
                                 loop_connection)
from nhsgraph.asgi.fast import FastRoute
from nhsgraph.asgi.http import encoded, json_body, json_response, page
from nhsgraph.asgi.problems import problem_responses
from nhsgraph.services import cache
from nhsgraph.services import views as data

router = APIRouter(prefix="/api", tags=["read"])

REF_MAX = 200
Ref = Annotated[str, Path(min_length=1, max_length=REF_MAX,
                          description="An entity id (ods:5AA), ODS/ONS code, name or alias.",
                          examples=["ods:5AA"])]
SourceId = Annotated[str, Path(min_length=1, max_length=200, description="A source id.",
                               examples=["src:test-registry"])]

CITATION_EX = {"source_id": "src:test-registry", "source_title": "Test registry notes",
               "method": "curated", "span": [58, 67], "quote": "NHS Alpha",
               "anchor": "span-58-67"}
FACT_EX = {"id": 5, "subject": "ods:5AA", "predicate": "name", "object": None,
           "value": "NHS Alpha", "display": "NHS Alpha", "valid_from": "2006-10-01",
           "valid_to": "2013-04-01", "qualifiers": {}, "status": "asserted",
           "citations": [CITATION_EX]}


def ok(example, description: str = "Success") -> dict:
    return {200: {"description": description,
                  "content": {"application/json": {"schema": {"type": "object" if isinstance(
                      example, dict) else "array"}, "example": example}}},
            304: {"description": "Not modified (If-None-Match matched the ETag)"},
            **problem_responses(404, 409, 422)}


def paged_ex(item) -> dict:
    return {"total": 1, "limit": 50, "offset": 0,
            "links": {"self": "/api/conflicts?limit=50&offset=0"}, "items": [item]}


CITATIONS_PATTERN = r"^(all|[0-9]{1,4})$"


@router.get("/entities/{ref}", summary="An organisation or person as at a date",
            description="Resolves an id, code, name or alias; returns the entity's facts on "
                        "the date (all dates without `at`), grouped in sections, each with "
                        "its first citations (`citations`, 5 unless asked) and how many it "
                        "has; `links.citations` gives them all. People also list every "
                        "post held.",
            responses=ok({"id": "ods:5AA", "kind": "organisation", "name": "NHS Alpha",
                          "org_type": "pct", "at": "2012-01-15",
                          "sections": {"names": [{**FACT_EX, "citation_count": 1}]}}))
async def get_entity(request: Request, ref: Ref, at: At = None, known_at: KnownAt = None,
                     citations: Annotated[str, Query(
                         pattern=CITATIONS_PATTERN, examples=["all"],
                         description="Citations a fact: this many (`citation_count` says "
                         "how many there are), or `all`.")] = str(data.CITATIONS_SHOWN)):
    # The most asked question, answered on the event loop (see asgi.deps.loop_connection);
    # its encoded answer is kept until the store changes (services.cache).
    most = None if citations == "all" else int(citations)
    with loop_connection(request) as conn:
        body, tag = cache.answer(
            conn, ("entity", ref, at, known_at, most),
            lambda: encoded(data.entity_data(conn, ref, at, known_at, most)),
            size=lambda kept: len(kept[0]))
    return json_body(request, body, tag)


# The organisation as at a date without FastAPI's routing and parameter solving (see
# asgi.fast): the shapes below are those of the parameters above, or narrower.
FAST_ROUTES = [FastRoute("/api/entities/", ("ref", f"[^/]{{1,{REF_MAX}}}"), get_entity, {
    "at": DATE_PATTERN, "citations": CITATIONS_PATTERN,
    "known_at": rf"[0-9][0-9A-Za-z:.+ -]{{0,{KNOWN_AT_MAX - 1}}}"})]


@router.get("/entities/{ref}/figures", summary="A body's figures, and those measured against it",
            description="Its own figures on the date (all dates without `at`) and other "
                        "bodies' figures whose object it is (a trust's share of catchment "
                        "from an ICB), of one `measure` when given, largest first.",
            responses=ok({"id": "ods:QYG", "name": "NHS Cheshire and Merseyside ICB",
                          "at": "2022-08-01", "known_at": None,
                          "measure": "catchment_share_from_icb", "figures": [],
                          "figures_about": [dict(FACT_EX, subject="ods:R0A", predicate="figure",
                                                 object="ods:QYG",
                                                 value={"measure": "catchment_share_from_icb",
                                                        "value": 0.0428, "unit": "proportion",
                                                        "period": "2022"})]}))
def get_figures(request: Request, conn: Conn, ref: Ref, at: At = None, known_at: KnownAt = None,
                measure: Annotated[str | None, Query(max_length=80, examples=[
                    "catchment_share_from_icb"], description="Only this measure.")] = None):
    return json_response(request, data.figures_data(conn, ref, at, measure, known_at))


@router.get("/entities/{ref}/lineage", summary="Predecessors and successors of an organisation",
            description="Walks `succeeded_by` links both ways: nodes with their depth "
                        "(negative = predecessor) and links with change type and date.",
            responses=ok({"root": "ods:QX1", "name": "NHS Northshire Integrated Care Board",
                          "nodes": [{"id": "ods:03C", "name": "NHS Northshire CCG", "depth": -1}],
                          "links": [{"from": "ods:03C", "to": "ods:QX1", "date": "2022-07-01",
                                     "change": "abolition", "citations": [CITATION_EX]}]}))
def get_lineage(request: Request, conn: Conn, ref: Ref, known_at: KnownAt = None):
    return json_response(request, data.lineage_data(conn, ref, known_at))


@router.get("/entities/{ref}/timeline", summary="Every dated fact about an entity, in order",
            description="Paginated with `limit`/`offset`; `links.next` gives the next page.",
            responses=ok({"id": "ods:5AA", "name": "NHS Alpha", **paged_ex(FACT_EX)}))
def get_timeline(request: Request, conn: Conn, ref: Ref, limit: Limit = 100, offset: Offset = 0,
                 known_at: KnownAt = None):
    tl = data.timeline_data(conn, ref, known_at)
    body, headers = page(request, tl["facts"][offset:offset + limit], len(tl["facts"]),
                         limit, offset)
    return json_response(request, {"id": tl["id"], "name": tl["name"],
                                   "known_at": tl["known_at"], **body}, headers)


@router.get("/landscape", summary="Organisations alive on a date, grouped by parent",
            description="Organisations of the given types (`type`, repeatable) on `at`, "
                        "grouped by their parent through `by` (accountable_to = SHA, "
                        "member_of = cluster/ICS, hosted_by). Paginated over the groups' "
                        "rows with `limit`/`offset`: `total` rows, `count` organisations.",
            responses=ok({"at": "2012-06-01", "types": ["pct"], "by": "accountable_to",
                          "count": 3, "total": 3, "limit": 1000, "offset": 0,
                          "links": {"self": "/api/landscape?at=2012-06-01&limit=1000&offset=0"},
                          "groups": [{"parent": "ods:Q90", "parent_name": "NHS Northshire",
                                      "size": 1, "members": [{"id": "ods:5AA",
                                                              "name": "NHS Alpha",
                                                              "org_type": "pct"}]}]}))
def get_landscape(request: Request, conn: Conn,
                  at: Annotated[str, Query(max_length=10, pattern=DATE_PATTERN,
                                           description="Date (YYYY[-MM[-DD]]).",
                                           examples=["2012-06-01"])],
                  type: Annotated[list[str] | None, Query(
                      max_length=20, description="Organisation type(s), e.g. pct, ccg.",
                      examples=[["pct"]])] = None,
                  by: data.ParentLink = "accountable_to",
                  limit: Annotated[int, Query(ge=1, le=5000, description=(
                      "At most this many organisations (rows of the groups)."))] = 1000,
                  offset: Offset = 0, known_at: KnownAt = None):
    d = data.landscape_data(conn, at, type, by, limit=limit, offset=offset, known_at=known_at)
    groups = d.pop("groups")
    body, headers = page(request, groups, d.pop("total"), limit, offset)
    body["groups"] = body.pop("items")
    return json_response(request, {**d, **body}, headers)


@router.get("/search", summary="Search names, aliases, codes and document text",
            description="Entities whose name, alias or code contains the words (paginated), "
                        "and full-text matches in held documents (first page only).",
            responses=ok({"q": "alpha", "total": 1, "limit": 50, "offset": 0,
                          "links": {"self": "/api/search?q=alpha&limit=50&offset=0"},
                          "items": [{"id": "ods:5AA", "kind": "organisation",
                                     "label": "NHS Alpha", "matched": "NHS Alpha",
                                     "field": "name"}],
                          "documents": [{"id": "src:test-registry",
                                         "title": "Test registry notes",
                                         "snippet": "…[Alpha] answers…"}]}))
def get_search(request: Request, conn: Conn,
               q: Annotated[str, Query(min_length=1, max_length=200, examples=["alpha"],
                                       description="Words to look for.")],
               limit: Limit = 50, offset: Offset = 0):
    found = data.search_data(conn, q, limit, offset)
    total = offset + len(found["entities"]) + (1 if found["more"] else 0)
    body, headers = page(request, found["entities"], total, limit, offset)
    return json_response(request, {"q": q, **body, "documents": found["documents"]}, headers)


@router.get("/conflicts", summary="Facts that disagree",
            description="Two values of a one-at-a-time predicate over overlapping time from "
                        "different sources; optionally for one entity (`entity`) or of one "
                        "kind (`kind`, the predicate). Conflicts about a placeholder (a list's "
                        "\"Unallocated\" PCN, which stands for no body) are not listed but "
                        "counted in `placeholders`; `kinds` counts the rest by kind. `items` "
                        "(paginated) are grouped by kind, most frequent first.",
            responses=ok({**paged_ex({"subject": "ods:5BB", "subject_name": "NHS Beta",
                                      "predicate": "name", "kind": "name",
                                      "a": FACT_EX, "b": FACT_EX}),
                          "count": 1, "all": 2158,
                          "kinds": [{"kind": "name", "title": "Name", "count": 1}],
                          "placeholders": [{"id": "ods:U", "name": "Unallocated",
                                            "names": ["Unallocated"], "conflicts": 2157,
                                            "kinds": {"accountable_to": 2157},
                                            "why": "every name it has (Unallocated) stands "
                                                   "for no body: …"}]}))
def get_conflicts(request: Request, conn: Conn,
                  entity: Annotated[str | None, Query(max_length=200, examples=["ods:5BB"],
                                                      description="Only this entity.")] = None,
                  kind: Annotated[str | None, Query(
                      max_length=40, pattern=r"^[a-z_]+$", examples=["name"],
                      description="Only this kind (predicate).")] = None,
                  limit: Limit = 50, offset: Offset = 0):
    d = data.conflicts_data(conn, entity, kind)
    found = d["conflicts"]
    body, headers = page(request, found[offset:offset + limit], len(found), limit, offset)
    return json_response(request, {**body, "count": d["count"], "all": d["total"],
                                   "kinds": d["kinds"], "placeholders": d["placeholders"]},
                         headers)


@router.get("/sources/{source_id}", summary="A source and the statements citing it",
            description="Metadata (title, publisher, date, URL, SHA-256) and every current "
                        "statement citing it, asserted or proposed, paginated.",
            responses=ok({"id": "src:test-registry", "title": "Test registry notes",
                          "kind": "web", "publisher": "nhsgraph tests", "date": "2012-01-15",
                          "has_text": True, **paged_ex(FACT_EX)}))
def get_source(request: Request, conn: Conn, source_id: SourceId,
               limit: Limit = 100, offset: Offset = 0):
    src = data.source_data(conn, source_id, limit=limit, offset=offset)
    facts, total = src.pop("statements"), src.pop("total")
    body, headers = page(request, facts, total, limit, offset)
    return json_response(request, {**src, **body}, headers)


@router.get("/documents/{source_id}", summary="A document's text and its cited spans",
            description="The held text of a source and every statement citing it, each "
                        "citation with its character span [start, end) into the text.",
            responses=ok({"id": "src:test-registry", "title": "Test registry notes",
                          "text": "Test registry notes 2012: NHS Northshire, …",
                          "statements": [FACT_EX]}))
def get_document(request: Request, conn: Conn, source_id: SourceId):
    return json_response(request, data.document_data(conn, source_id))


@router.get("/statements/{statement_id}", summary="One statement with its citations",
            description="Any statement by id, current or superseded (see `retracted_at`).",
            responses=ok(FACT_EX))
def get_statement(request: Request, conn: Conn,
                  statement_id: Annotated[int, Path(ge=1, le=2**31 - 1, examples=[5])]):
    return json_response(request, data.statement_data(conn, statement_id))


@router.get("/proposals", summary="Proposed statements awaiting review",
            description="Current proposals (from ingested documents), oldest first; "
                        "optionally only those citing one source. Paginated.",
            responses=ok(paged_ex({**FACT_EX, "status": "proposed"})))
def get_proposals(request: Request, conn: Conn,
                  source: Annotated[str | None, Query(max_length=200, examples=["doc:1f2e3d4c5b6a7988"],
                                                      description="Only proposals citing this source.")] = None,
                  limit: Limit = 50, offset: Offset = 0):
    found = data.proposals_data(conn, source, limit, offset)
    total = offset + len(found["items"]) + (1 if found["more"] else 0)
    body, headers = page(request, found["items"], total, limit, offset)
    return json_response(request, body, headers)
