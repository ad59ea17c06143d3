"""The application: one FastAPI app serving the JSON API under /api and the pages under /."""

from __future__ import annotations

import os

from fastapi import FastAPI

from nhsgraph.api import changes_api, crosswalk_api, problems, read, rules_api, write
from nhsgraph.api.http import MAX_BODY, BodyLimit, SecurityHeaders
from nhsgraph.store import Store

DESCRIPTION = """\
A temporal, evidence-backed registry of English NHS organisations and governance.

Every fact answers "as at" a date and carries its citations (source, character span, quote).
Errors are `application/problem+json` (RFC 9457). GET responses carry weak ETags; send
`If-None-Match` to get 304. Lists take `limit`/`offset` and give `links.next`/`links.prev`.
Writes need `Authorization: Bearer <token>` (the operator's `NHSGRAPH_API_TOKEN`).
"""


def create_app(db: str | None = None, *, token: str | None = None, store: Store | None = None,
               max_body: int = MAX_BODY) -> FastAPI:
    """The web app over a database (a SQLite path or a URL; $NHSGRAPH_DB when None).

    Example: uvicorn.run(create_app("registry.db"))
    """
    from nhsgraph.web import mount as mount_web

    app = FastAPI(title="nhsgraph", version="0.1.0", description=DESCRIPTION,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.store = store or Store.open(db)
    app.state.token = token if token is not None else (os.environ.get("NHSGRAPH_API_TOKEN") or None)
    problems.install(app)
    app.include_router(read.router)
    app.include_router(changes_api.router)
    app.include_router(crosswalk_api.router)
    app.include_router(rules_api.router)
    app.include_router(write.router)
    mount_web(app)
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(SecurityHeaders)   # outermost: the 413 of BodyLimit gets them too
    return app
