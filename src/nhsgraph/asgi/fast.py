"""A short way in for the most asked GET requests: the organisation as at a date.

Around an answer it already holds, the app costs 343 µs of CPU a request through
FastAPI (finding the route, solving the parameters with pydantic, the exception
middleware) and 101 µs this way (``benchmarks/asgi_overhead.py``, 2026-12-06): beside an
answer computed in 1.4–3 ms, a tenth of a worker's time. ``FastGet`` sits in front of
the app. A GET whose path is one of its routes' and whose
query holds only that route's parameters, each once and each of a shape the route
accepts, goes straight to the route's own endpoint function, with the same arguments
FastAPI would give it, and its response is sent as FastAPI would send it. Anything
else, and any request whose endpoint raises, goes through the app as before, which then
answers it in full (the errors as problem+json). So the short way answers only what the
app would answer the same way (``tests/test_fast_routes.py`` holds them to it), and the
app's OpenAPI description, validation and errors stay the one source of truth.

The shapes a route accepts here may be narrower than the app's, never wider: a request
outside them only takes the long way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.requests import Request


@dataclass(frozen=True)
class FastRoute:
    """GET ``prefix`` + one path segment (``segment``: its name and shape), answered by
    ``endpoint(request, **{segment: value}, **query)``; ``query`` maps each parameter the
    endpoint takes to the shape of the values accepted here (a regular expression the
    whole value must match)."""

    prefix: str
    segment: tuple[str, str]
    endpoint: Callable[..., Awaitable[Any]]
    query: dict[str, str] = field(default_factory=dict)

    def compiled(self) -> tuple[re.Pattern, dict[str, re.Pattern]]:
        name, shape = self.segment
        path = re.compile(re.escape(self.prefix) + f"(?P<{name}>{shape})")
        return path, {k: re.compile(v) for k, v in self.query.items()}


class FastGet:
    """ASGI middleware: the requests its routes take, answered by their endpoints
    without FastAPI's routing and parameter solving; everything else passed on."""

    def __init__(self, app, routes: list[FastRoute]):
        self.app = app
        self.routes = [(r, *r.compiled()) for r in routes]

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path"):
            for route, path, shapes in self.routes:
                m = path.fullmatch(scope["path"])
                if m is None:
                    continue
                kwargs = _query(scope["query_string"], shapes)
                if kwargs is None:
                    break
                try:
                    response = await route.endpoint(Request(scope, receive), **m.groupdict(),
                                                    **kwargs)
                except Exception:       # the app answers it again, and says what is wrong
                    break
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)


def _query(raw: bytes, shapes: dict[str, re.Pattern]) -> dict[str, str] | None:
    """The query's parameters if each is one of ``shapes``, given once, of its shape
    (parsed as Starlette parses a query); None otherwise."""
    out: dict[str, str] = {}
    if not raw:
        return out
    for key, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True):
        shape = shapes.get(key)
        if shape is None or key in out or shape.fullmatch(value) is None:
            return None
        out[key] = value
    return out
