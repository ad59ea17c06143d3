"""HTTP plumbing shared by the API routes and the pages (api/ and web/): JSON with weak
ETags, pagination links, the bearer-token check and the request size limit."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from nhsgraph.model.jsonable import to_jsonable

MAX_BODY = 5 * 1024 * 1024  # bytes; larger requests answer 413


def dumps(data: Any) -> bytes:
    return json.dumps(data, default=to_jsonable, ensure_ascii=False, sort_keys=False,
                      separators=(",", ":")).encode("utf-8")


def etag_of(body: bytes) -> str:
    return 'W/"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag.removeprefix("W/") in wanted


def encoded(data: Any) -> tuple[bytes, str]:
    """A JSON body and its weak ETag, to keep and send again (``json_body``)."""
    body = dumps(data)
    return body, etag_of(body)


def json_body(request: Request, body: bytes, tag: str) -> Response:
    """A JSON response of an ``encoded`` body (304 when the client holds it)."""
    return cached(request, body, "application/json", tag=tag)


def cached(request: Request, body: bytes, media_type: str, headers: dict | None = None,
           tag: str | None = None) -> Response:
    """A response with a weak ETag (``tag``, when known already); 304 when the client
    already holds this body."""
    tag = tag or etag_of(body)
    hdrs = {"ETag": tag, "Cache-Control": "no-cache", **(headers or {})}
    if _matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers={"ETag": tag, "Cache-Control": "no-cache"})
    return Response(body, media_type=media_type, headers=hdrs)


def json_response(request: Request, data: Any, headers: dict | None = None) -> Response:
    return cached(request, dumps(data), "application/json", headers)


def page(request: Request, items: list, total: int, limit: int, offset: int) -> tuple[dict, dict]:
    """A page of a list, with self/next/prev links (also as an RFC 8288 Link header)."""
    def url(off: int) -> str:
        params = dict(request.query_params)
        params.update(limit=str(limit), offset=str(off))
        return f"{request.url.path}?{urlencode(params)}"

    links = {"self": url(offset)}
    if offset + limit < total:
        links["next"] = url(offset + limit)
    if offset > 0:
        links["prev"] = url(max(0, offset - limit))
    header = ", ".join(f'<{v}>; rel="{k}"' for k, v in links.items() if k != "self")
    body = {"total": total, "limit": limit, "offset": offset, "links": links, "items": items}
    return body, ({"Link": header} if header else {})


def token_ok(configured: str | None, given: str | None) -> bool:
    """True only when a token is configured and the given one equals it."""
    if not configured or not given:
        return False
    return secrets.compare_digest(configured.encode(), given.encode())


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413 problem+json,
    whether the client declares the length or streams it."""

    def __init__(self, app, limit: int = MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                too_big = False
            if too_big:
                return await self._refuse(scope, send)
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope, send):
        body = dumps({"type": "about:blank", "title": "Request too large", "status": 413,
                      "detail": f"request bodies are limited to {self.limit} bytes",
                      "instance": scope.get("path")})
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/problem+json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


# Sent with every response. The pages need no script and nothing from elsewhere; the one
# inline style is the SVG charts' width attribute.
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; "
     b"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every HTTP response (a plain ASGI
    wrapper: Starlette's BaseHTTPMiddleware costs a task per request)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)
