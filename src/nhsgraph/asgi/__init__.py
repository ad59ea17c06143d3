"""The HTTP plumbing that the JSON API (``api/``) and the pages (``web/``) share, so that
neither imports the other: request dependencies (a read connection, paging, dates),
JSON with weak ETags, problem+json errors and the middlewares. FastAPI, no answers."""
