"""The application: one FastAPI app serving the JSON API under /api and the pages under /.

This factory sits above both interfaces and mounts them; ``api/`` and ``web/`` never import
each other (tests/test_layers.py), and share only ``asgi/`` (HTTP plumbing) and
``services.views`` (the answers).
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager

from fastapi import FastAPI

from nhsgraph.asgi import problems
from nhsgraph.asgi.deps import close_loop_connection
from nhsgraph.asgi.fast import FastGet
from nhsgraph.asgi.http import MAX_BODY, BodyLimit, SecurityHeaders
from nhsgraph.store import Store

DESCRIPTION = """\
A temporal, evidence-backed registry of English NHS organisations and governance.

Every fact answers "as at" a date and carries its citations (source, character span, quote).
Pass `known_at` (a date or an ISO date-time) to answer as nhsgraph knew it then: facts
recorded later are left out. Errors are `application/problem+json` (RFC 9457). GET
responses carry weak ETags; send `If-None-Match` to get 304. Lists take `limit`/`offset`
and give `links.next`/`links.prev`. Writes need `Authorization: Bearer <token>` (the
operator's `NHSGRAPH_API_TOKEN`).
"""


@asynccontextmanager
async def _lifespan(app: FastAPI):
    yield
    close_loop_connection(app.state)


def create_app(db: str | None = None, *, token: str | None = None, store: Store | None = None,
               max_body: int = MAX_BODY, fast: bool = True) -> FastAPI:
    """The web app over a database (a SQLite path or a URL; $NHSGRAPH_DB when None).
    ``fast=False``: every request through FastAPI's routing (``asgi.fast`` not used).

    Example: uvicorn.run(create_app("registry.db"))
    """
    from nhsgraph import api, web
    from nhsgraph.web.pages import render_problem

    app = FastAPI(title="nhsgraph", version="0.1.0", description=DESCRIPTION,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
                  lifespan=_lifespan)
    app.state.store = store or Store.open(db)
    app.state.token = token if token is not None else (os.environ.get("NHSGRAPH_API_TOKEN") or None)
    problems.install(app, html=render_problem)
    api.mount(app)
    web.mount(app)
    if fast:
        app.add_middleware(FastGet, routes=api.fast_routes())
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(SecurityHeaders)   # outermost: the 413 of BodyLimit gets them too
    return app
