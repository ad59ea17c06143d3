"""The pages. Each calls the same data function as its API twin and renders it; each page
links to its JSON through <link rel="alternate"> and a visible link."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from nhsgraph.asgi.deps import Conn
from nhsgraph.asgi.http import cached
from nhsgraph.errors import BadInput
from nhsgraph.model.predicates import ORG_TYPES
from nhsgraph.services import views as data
from nhsgraph.web.errors import STATUS as FIELD_ERROR, date_error, field_errors
from nhsgraph.web.filters import install as install_filters
from nhsgraph.web.highlight import segments
from nhsgraph.web.svg import lineage_svg, timeline_svg

TEMPLATES = Path(__file__).resolve().parent / "templates"
env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                  trim_blocks=True, lstrip_blocks=True)
env.filters["entity_url"] = lambda id: "/entities/" + quote(str(id), safe=":")
env.filters["source_url"] = lambda id: "/sources/" + quote(str(id), safe=":")
env.filters["rule_url"] = lambda id: "/rules/" + quote(str(id), safe="")
env.filters["q"] = lambda s: quote(str(s), safe="")
env.filters["label"] = lambda s: str(s).replace("_", " ")


def _web_url(url) -> str | None:
    """The URL when it is an http(s) address, else None: a source's URL comes from whoever
    imported or ingested it, and autoescaping does not stop a javascript: link."""
    url = str(url or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


env.filters["web_url"] = _web_url


def _ticks(text) -> Markup:
    """Escape a text, showing `backticked` parts as code (the API's descriptions)."""
    parts = str(text or "").split("`")
    return Markup("".join(str(escape(p)) if i % 2 == 0 else f"<code>{escape(p)}</code>"
                          for i, p in enumerate(parts)))


env.filters["ticks"] = _ticks
env.globals["TITLES"] = data.SECTION_TITLES
env.globals["INBOUND"] = data.INBOUND_SECTIONS
env.globals["SUBJECT"] = data.SUBJECT_SECTIONS
install_filters(env)

router = APIRouter(include_in_schema=False)
PageAt = Annotated[str | None, Query(max_length=10)]
PageKnown = Annotated[str | None, Query(max_length=40)]   # a date or an ISO date-time
PageOffset = Annotated[int, Query(ge=0, le=10_000_000)]


def render(request: Request, template: str, *, status: int = 200, headers: dict | None = None,
           **context) -> Response:
    context.setdefault("json_url", None)
    context.setdefault("crumbs", [])
    html = env.get_template(template).render(request=request, path=request.url.path,
                                             writes_enabled=bool(request.app.state.token),
                                             **context)
    if status != 200:
        return HTMLResponse(html, status_code=status, headers=headers)
    return cached(request, html.encode("utf-8"), "text/html; charset=utf-8", headers)


def render_problem(request: Request, problem: dict, headers: dict | None = None) -> Response:
    return render(request, "problem.html", status=problem["status"], headers=headers,
                  problem=problem, title=problem["title"])


def _api(path: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "", [])}
    return path + ("?" + urlencode(params, doseq=True) if params else "")


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    counts = request.app.state.store.counts()
    return render(request, "home.html", title="Find an NHS organisation", counts=counts)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, conn: Conn, q: Annotated[str, Query(max_length=200)] = "",
           offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
    found = data.search_data(conn, q, 50, offset) if q.strip() else None
    return render(request, "search.html", title=f"Search results for {q}" if q else "Search",
                  q=q, found=found, offset=offset,
                  json_url=_api("/api/search", q=q) if q.strip() else None,
                  crumbs=[("Home", "/")])


@router.get("/entities/{ref}", response_class=HTMLResponse)
def entity(request: Request, conn: Conn, ref: str, at: PageAt = None,
           known_at: PageKnown = None):
    id = data.resolve_id(conn, ref)
    if id != ref:
        return RedirectResponse(_api(f"/entities/{quote(id, safe=':')}", at=at,
                                     known_at=known_at), status_code=303)
    at_error = date_error(at, "As at date")   # shown on the field; the page shows all dates
    d = data.entity_data(conn, ref, None if at_error else at or None, known_at or None,
                         citations=None)   # the page shows every citation
    kind_crumb = {"organisation": "Organisations", "person": "People"}.get(d["kind"], "Entities")
    compliance = pipeline = None
    if d["kind"] == "organisation":
        pipeline = data.pipeline_data(conn, d["id"], known_at=known_at or None)
        if d["at"]:
            compliance = data.check_data(conn, d["id"], d["at"], known_at=known_at or None)
    return render(request, "entity.html", title=d["name"], e=d, at=at or "", at_error=at_error,
                  known_at=known_at or "",
                  status=FIELD_ERROR if at_error else 200, error_summary=field_errors(at=at_error),
                  compliance=compliance, pipeline=pipeline, outcome_labels=data.OUTCOME_LABELS,
                  json_url=_api(f"/api/entities/{quote(d['id'], safe=':')}", at=at,
                                known_at=known_at),
                  crumbs=[("Home", "/"), (kind_crumb, None)])


@router.get("/entities/{ref}/lineage", response_class=HTMLResponse)
def lineage(request: Request, conn: Conn, ref: str, known_at: PageKnown = None):
    d = data.lineage_data(conn, ref, known_at or None)
    return render(request, "lineage.html", title=f"Lineage of {d['name']}", d=d,
                  known_at=known_at or "", graph=lineage_svg(d),
                  json_url=_api(f"/api/entities/{quote(d['root'], safe=':')}/lineage",
                                known_at=known_at),
                  crumbs=[("Home", "/"), (d["name"], f"/entities/{quote(d['root'], safe=':')}")])


@router.get("/entities/{ref}/timeline", response_class=HTMLResponse)
def timeline(request: Request, conn: Conn, ref: str, known_at: PageKnown = None):
    d = data.timeline_data(conn, ref, known_at or None)
    return render(request, "timeline.html", title=f"Timeline of {d['name']}", d=d,
                  known_at=known_at or "",
                  chart=timeline_svg(d["facts"], f"Timeline of {d['name']}", about=d["id"]),
                  json_url=_api(f"/api/entities/{quote(d['id'], safe=':')}/timeline",
                                known_at=known_at),
                  crumbs=[("Home", "/"), (d["name"], f"/entities/{quote(d['id'], safe=':')}")])


@router.get("/landscape", response_class=HTMLResponse)
def landscape(request: Request, conn: Conn, at: PageAt = None,
              type: Annotated[list[str] | None, Query(max_length=20)] = None,
              by: Annotated[str, Query(max_length=40)] = "accountable_to",
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
              known_at: PageKnown = None):
    at = at or dt.date.today().isoformat()
    # an unknown `by` or type is refused by landscape_data (422), not quietly replaced
    types = [t for t in (type or []) if t]
    at_error = date_error(at)
    d = None if at_error else data.landscape_data(conn, at, types, by, limit=LANDSCAPE_ROWS,
                                                  offset=offset, known_at=known_at or None)
    return render(request, "landscape.html", title=f"Organisations on {d['at'] if d else at}",
                  d=d, at=at, at_error=at_error, error_summary=field_errors(at=at_error),
                  status=FIELD_ERROR if at_error else 200, known_at=known_at or "",
                  types=types, by=by, org_types=sorted(ORG_TYPES), parent_links=data.PARENT_LINKS,
                  pages=_pages(request, d["total"] if d else 0, LANDSCAPE_ROWS, offset),
                  json_url=_api("/api/landscape", at=at, type=types, by=by, known_at=known_at),
                  crumbs=[("Home", "/")])


@router.get("/conflicts", response_class=HTMLResponse)
def conflicts(request: Request, conn: Conn, offset: PageOffset = 0):
    d = data.conflicts_data(conn)
    found = d["conflicts"]
    return render(request, "conflicts.html", title="Conflicting facts", d=d,
                  found=found[offset:offset + CONFLICT_ROWS],
                  pages=_pages(request, len(found), CONFLICT_ROWS, offset),
                  json_url="/api/conflicts", crumbs=[("Home", "/")])


LANDSCAPE_ROWS = 300   # organisations per page of the landscape
CONFLICT_ROWS = 50     # conflicts per page


def _pages(request: Request, total: int, limit: int, offset: int) -> dict:
    """Where this page sits in a long list, with links to the pages either side."""
    def url(off: int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
        return request.url.path + "?" + urlencode(params + [("offset", str(off))])

    return {"total": total, "limit": limit, "first": min(total, offset + 1),
            "last": min(total, offset + limit),
            "prev": url(max(0, offset - limit)) if offset > 0 else None,
            "next": url(offset + limit) if offset + limit < total else None}


SOURCE_ROWS = 200  # statements per page of a source without text (a dataset release)


def _source_page(request: Request, conn, id: str, document: bool, offset: int) -> Response:
    d = data.source_page(conn, id, rows=SOURCE_ROWS, offset=offset)
    proposed = [f for f in d["statements"] if f["status"] == "proposed"]
    segs = (segments(d["text"], d["spans"], {f["id"] for f in proposed})
            if d["text"] is not None else None)
    api = "/api/documents/" if document and d["text"] is not None else "/api/sources/"
    return render(request, "source.html", title=d["title"], d=d, segs=segs, proposed=proposed,
                  asserted=[f for f in d["statements"] if f["status"] != "proposed"],
                  json_url=api + quote(id, safe=":"),
                  crumbs=[("Home", "/"), ("Sources", None)])


@router.get("/sources/{source_id}", response_class=HTMLResponse)
def source(request: Request, conn: Conn, source_id: str, offset: PageOffset = 0):
    return _source_page(request, conn, source_id, False, offset)


@router.get("/documents/{source_id}", response_class=HTMLResponse)
def document(request: Request, conn: Conn, source_id: str, offset: PageOffset = 0):
    return _source_page(request, conn, source_id, True, offset)


@router.get("/rules", response_class=HTMLResponse)
def rules(request: Request, conn: Conn,
          pack: Annotated[str | None, Query(max_length=40)] = None, at: PageAt = None):
    packs = data.rule_packs()
    if pack and pack not in packs:
        raise BadInput(f"unknown rule pack {pack!r}; known: {', '.join(packs)}")
    pack = pack or None
    at_error = date_error(at, "In force on")
    found = data.rules_data(conn, pack, None if at_error else at or None)
    return render(request, "rules.html", title="Governance rules", rules=found, packs=packs,
                  at_error=at_error, error_summary=field_errors(at=at_error),
                  status=FIELD_ERROR if at_error else 200,
                  pack=pack or "", at=at or "", json_url=_api("/api/rules", pack=pack, at=at),
                  crumbs=[("Home", "/")])


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule(request: Request, conn: Conn, rule_id: str):
    r = data.rule_data(conn, rule_id)
    if r["id"] != rule_id:
        return RedirectResponse("/rules/" + quote(r["id"], safe=""), status_code=303)
    return render(request, "rule.html", title=f"{r['id']}: {r['title']}", r=r,
                  json_url="/api/rules/" + quote(r["id"], safe=""),
                  crumbs=[("Home", "/"), ("Rules", "/rules")])


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request):
    """The API reference, rendered on the server from the app's own OpenAPI schema (no
    JavaScript and no assets from elsewhere)."""
    from nhsgraph.web.apidocs import operations

    spec = request.app.openapi()
    return render(request, "apidocs.html", title="API documentation", spec=spec,
                  groups=operations(spec), json_url="/api/openapi.json", crumbs=[("Home", "/")])
