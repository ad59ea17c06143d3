"""Write endpoints: ingest documents, review proposed statements, import curated YAML.

Every write needs ``Authorization: Bearer <token>`` with the operator's token
(``NHSGRAPH_API_TOKEN`` or ``create_app(token=...)``). With no token configured, writes
are switched off: they answer 401 and change nothing. HTML forms (the document page) may
send the token as a ``token`` form field instead, and are redirected back to the page.
"""

from __future__ import annotations

import tempfile
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from nhsgraph.asgi.http import dumps, token_ok
from nhsgraph.asgi.problems import problem_responses
from nhsgraph.errors import BadInput, NhsgraphError
from nhsgraph.services.views import statement_data

router = APIRouter(prefix="/api", tags=["write"])

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain")


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def require_token(request: Request) -> None:
    """401 unless the request carries the configured token."""
    configured = request.app.state.token
    given = None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    elif _media(request) in FORM_TYPES:
        given = (await request.form()).get("token")
        given = given if isinstance(given, str) else None
    if not configured:
        raise HTTPException(401, "writes are disabled: the operator has configured no API token",
                            headers={"WWW-Authenticate": "Bearer"})
    if not token_ok(configured, given):
        raise HTTPException(401, "missing or wrong bearer token",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


Authorised = Depends(require_token)
StatementId = Annotated[int, Path(ge=1, le=2**31 - 1, description="A statement id.", examples=[7])]
WRITE_PROBLEMS = problem_responses(401, 404, 413, 422)


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{what} is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _safe_next(value) -> str | None:
    """Only a path on this site (no scheme, no //host) may be a redirect target."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//") \
            and "\\" not in value and len(value) < 500:
        return value
    return None


async def _review(request: Request, statement_id: int, decision: str) -> Response:
    from nhsgraph.services.review import DECISIONS, decide

    store = request.app.state.store
    with store.reader() as conn:
        old = statement_data(conn, statement_id)  # 404 when there is no such statement
    if old["retracted_at"] is not None:
        raise BadInput(f"statement {statement_id} was already superseded")
    new_id = decide(store, [statement_id], decision)[0]
    body = {"statement": statement_id, "superseded_by": new_id, "status": DECISIONS[decision]}
    if _media(request) in FORM_TYPES:
        target = _safe_next((await request.form()).get("next"))
        if target:
            return RedirectResponse(target, status_code=303)
    return Response(dumps(body), media_type="application/json")


REVIEW_OK = {200: {"description": "Superseded by a copy with the new status",
                   "content": {"application/json": {"example": {
                       "statement": 7, "superseded_by": 42, "status": "asserted"}}}},
             303: {"description": "HTML form post: back to the page it came from"},
             **WRITE_PROBLEMS}


@router.post("/statements/{statement_id}/accept", dependencies=[Authorised],
             summary="Accept a proposed statement",
             description="Supersedes the statement by an asserted copy with the same citations.",
             responses=REVIEW_OK)
async def accept(request: Request, statement_id: StatementId):
    return await _review(request, statement_id, "accept")


@router.post("/statements/{statement_id}/reject", dependencies=[Authorised],
             summary="Reject a proposed statement",
             description="Supersedes the statement by a rejected copy; it stays on record.",
             responses=REVIEW_OK)
async def reject(request: Request, statement_id: StatementId):
    return await _review(request, statement_id, "reject")


@router.post("/import", dependencies=[Authorised], summary="Import curated facts (YAML)",
             description="A curated YAML file (the knowledge-base format) as the request body "
                         "(application/yaml or text/plain) or as a `file` upload "
                         "(multipart/form-data). Loads in one transaction; loading the same "
                         "file twice changes nothing.",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/yaml": {"schema": {"type": "string"},
                                      "example": "entities:\n  - {id: ods:5ZZ, kind: organisation}\n"},
                 "multipart/form-data": {"schema": {"type": "object", "properties": {
                     "file": {"type": "string", "format": "binary"}}}}}}},
             responses={200: {"description": "The import report", "content": {
                 "application/json": {"example": {"files": 1, "entities_new": 1,
                                                  "statements_added": 2,
                                                  "statements_unchanged": 0}}}},
                        **problem_responses(401, 413, 415, 422)})
async def import_curated(request: Request):
    from nhsgraph.importers.curated import load_curated

    media = _media(request)
    if media == "multipart/form-data":
        upload = (await request.form()).get("file")
        if upload is None or isinstance(upload, str):
            raise BadInput("multipart import needs a `file` part")
        raw = await upload.read()
    elif media in YAML_TYPES:
        raw = await request.body()
    else:
        raise HTTPException(415, f"send curated YAML as application/yaml, text/plain or a "
                                 f"multipart `file`, not {media or 'no content type'}")
    text = _utf8(raw, "the YAML")
    if not text.strip():
        raise BadInput("empty import")
    # The upload goes to a fresh private directory under a fixed name: nothing the client
    # sends ever becomes a file-system path.
    with tempfile.TemporaryDirectory(prefix="nhsgraph-import-") as tmp:
        (FsPath(tmp) / "import.yaml").write_text(text, encoding="utf-8")
        try:
            report = load_curated(request.app.state.store, tmp)
        except NhsgraphError as exc:
            # Name the upload, not the private directory it was written to.
            raise BadInput(str(exc).replace(str(FsPath(tmp) / "import.yaml"), "upload")
                           .replace(tmp, "upload")) from None
    body = dict(report.__dict__)
    return Response(dumps(body), media_type="application/json")


INGEST_EXAMPLE = {"source_id": "doc:1f2e3d4c5b6a7988", "doc": "minutes.txt", "proposed": 12,
                  "unchanged": 0, "entities_new": 3, "linked_orgs": 4, "new_orgs": 1,
                  "people": 5, "events": 1, "decisions": 2, "errors": []}


@router.post("/documents", dependencies=[Authorised], summary="Ingest a document", status_code=201,
             description="Stores the text as a source (id from its SHA-256, full-text "
                         "searchable) and what the extractor finds in it as *proposed* "
                         "statements, each citing its span. Send text/plain (optionally with "
                         "`?name=&title=&date=`) or JSON `{text, name, title, date, url}`. The "
                         "same text sent again changes nothing.",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "text/plain": {"schema": {"type": "string"},
                                "example": "NHS Wiltshire board minutes, 29 November 2011 ..."},
                 "application/json": {"schema": {
                     "type": "object", "required": ["text"],
                     "properties": {"text": {"type": "string"}, "name": {"type": "string"},
                                    "title": {"type": "string"}, "date": {"type": "string"},
                                    "url": {"type": "string"}}},
                     "example": {"text": "NHS Wiltshire board minutes ...",
                                 "name": "minutes.txt", "date": "2011-11-29"}}}}},
             responses={201: {"description": "Stored; proposals await review", "content": {
                 "application/json": {"example": INGEST_EXAMPLE}}},
                        **problem_responses(401, 413, 415, 422)})
async def ingest_document(request: Request):
    import json

    from nhsgraph.services.ingest import ingest_text

    media = _media(request)
    raw = await request.body()
    params = dict(request.query_params)
    if media == "application/json":
        try:
            body = json.loads(raw or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadInput(f"not JSON: {exc}") from None
        except RecursionError:
            raise BadInput("not JSON that can be read: nested too deeply") from None
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            raise BadInput("the JSON body needs a `text` string")
        params.update({k: v for k, v in body.items() if k != "text" and isinstance(v, str)})
        text = body["text"]
    elif media == "text/plain":
        text = _utf8(raw, "the text")
    else:
        raise HTTPException(415, f"send text/plain or application/json, not {media or 'nothing'}")
    if not text.strip():
        raise BadInput("empty document")
    name = (params.get("name") or "upload.txt")[:200]
    report = ingest_text(request.app.state.store, text, name, title=params.get("title") or None,
                         doc_date=params.get("date") or None, url=params.get("url") or None)
    return Response(dumps(report.__dict__), status_code=201, media_type="application/json",
                    headers={"Location": f"/api/documents/{report.source_id}"})
