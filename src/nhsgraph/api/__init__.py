"""The REST API under /api (FastAPI routers that render the answers of
``nhsgraph.services.views`` as JSON). ``nhsgraph.app.create_app`` mounts it beside the
pages; neither package imports the other."""

from __future__ import annotations

from fastapi import FastAPI

from nhsgraph.asgi.fast import FastRoute


def mount(app: FastAPI) -> None:
    """Add the API's routes (read, changes, crosswalk, rules, write) to ``app``."""
    from nhsgraph.api import changes_api, crosswalk_api, read, rules_api, write

    app.include_router(read.router)
    app.include_router(changes_api.router)
    app.include_router(crosswalk_api.router)
    app.include_router(rules_api.router)
    app.include_router(write.router)


def fast_routes() -> list[FastRoute]:
    """The API's routes that ``asgi.fast.FastGet`` may answer without FastAPI's routing."""
    from nhsgraph.api import read

    return list(read.FAST_ROUTES)
