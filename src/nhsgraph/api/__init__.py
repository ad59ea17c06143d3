"""The REST API and the pages, in one FastAPI app: ``create_app(db)``."""

from nhsgraph.api.app import create_app

__all__ = ["create_app"]
