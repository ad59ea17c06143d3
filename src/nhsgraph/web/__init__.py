"""Server-rendered pages in the NHS.UK style (Jinja2, autoescaped), over the same data
functions as the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"


def mount(app: FastAPI) -> None:
    from nhsgraph.web.pages import router

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(router)
