"""Errors translated once, at the edge: NhsgraphError -> application/problem+json (RFC 9457).

``NhsgraphError.http_status`` picks the status (404 NotFound, 409 AmbiguousMatch, 422
BadInput); candidates travel with the problem. Pages get the same problem as HTML,
through the renderer the app factory installs (``install(app, html=...)``): this module
knows no page.
"""

from __future__ import annotations

from typing import Callable

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from nhsgraph.asgi.http import dumps
from nhsgraph.errors import NhsgraphError

PROBLEM = "application/problem+json"
TITLES = {400: "Bad request", 401: "Unauthorised", 404: "Not found", 405: "Method not allowed",
          409: "Ambiguous", 413: "Request too large", 415: "Unsupported media type",
          422: "Unprocessable input", 500: "Internal error", 501: "Not installed",
          503: "Database unavailable"}

PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                   "status": {"type": "integer"}, "detail": {"type": "string"},
                   "instance": {"type": "string"},
                   "candidates": {"type": "array", "items": {"type": "string"}},
                   "errors": {"type": "array", "items": {"type": "object"}}},
    "required": ["type", "title", "status"],
}


def problem_responses(*codes: int) -> dict:
    """OpenAPI ``responses`` entries for problem+json answers."""
    return {c: {"description": TITLES.get(c, "Problem"),
                "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}}} for c in codes}


def problem(request: Request, status: int, detail: str, *, kind: str | None = None,
            headers: dict | None = None, **extra) -> Response:
    body = {"type": f"https://nhsgraph.invalid/problems/{kind}" if kind else "about:blank",
            "title": TITLES.get(status, "Problem"), "status": status, "detail": detail,
            "instance": request.url.path, **extra}
    html = getattr(request.app.state, "problem_page", None)
    if html is not None and _wants_html(request):
        return html(request, body, headers)
    return Response(dumps(body), status_code=status, media_type=PROBLEM, headers=headers)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and request.method == "GET"


ProblemPage = Callable[[Request, dict, "dict | None"], Response]


def install(app: FastAPI, html: ProblemPage | None = None) -> None:
    """Translate every error into problem+json; with ``html``, a GET outside /api gets the
    problem rendered by it as a page instead."""
    app.state.problem_page = html

    @app.exception_handler(NhsgraphError)
    async def _domain(request: Request, exc: NhsgraphError):
        extra = {}
        if getattr(exc, "candidates", None):
            extra["candidates"] = list(exc.candidates)
        return problem(request, exc.http_status, str(exc), kind=type(exc).__name__, **extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""),
                   "type": e.get("type", "")} for e in exc.errors()]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return problem(request, 422, detail, kind="RequestValidation", errors=errors)

    @app.exception_handler(sa.exc.DBAPIError)
    async def _database(request: Request, exc: sa.exc.DBAPIError):
        # The database failed under a request (gone away, locked, read-only): said as it is.
        from nhsgraph.store.store import translate_db_error

        err = translate_db_error(exc, "the database")
        return problem(request, err.http_status, str(err), kind=type(err).__name__)

    @app.exception_handler(RecursionError)
    async def _too_deep(request: Request, exc: RecursionError):
        # JSON or YAML nested thousands deep: the parsers recurse, and give up here.
        return problem(request, 422, "the request body is nested too deeply to read",
                       kind="TooDeep")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        return problem(request, exc.status_code, str(exc.detail), headers=exc.headers)
