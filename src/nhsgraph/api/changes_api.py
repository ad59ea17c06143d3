"""What changed between two dates, as JSON pages (/api/changes) and as an Atom 1.0 feed
(/changes.atom); both render ``services.changes.change_feed``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Query, Request

from nhsgraph.asgi.deps import DATE_PATTERN, Conn, Limit, Offset
from nhsgraph.asgi.http import cached, json_response, page
from nhsgraph.api.read import ok
from nhsgraph.model.dates import PartialDate

router = APIRouter(tags=["changes"])
ATOM = "http://www.w3.org/2005/Atom"

CHANGE_EX = {"id": "2019-04-01/merge/ods:01A+ods:02B>ods:03C", "date": "2019-04-01",
             "kind": "merge", "body": None,
             "before": [{"id": "ods:01A", "code": "01A", "name": "NHS Alpha CCG",
                         "org_type": "ccg"}],
             "after": [{"id": "ods:03C", "code": "03C", "name": "NHS Northshire CCG",
                        "org_type": "ccg"}],
             "link": "succeeded_by", "derived": False, "detail": {}, "statements": [35],
             "summary": "NHS Alpha CCG (01A), NHS Beta CCG (02B) merged into NHS Northshire CCG (03C)",
             "citations": [{"source_id": "src:test-registry", "source_title": "Test registry notes",
                            "method": "curated", "span": [268, 283], "quote": "the CCGs merged"}]}

From = Annotated[str, Query(alias="from", max_length=10, pattern=DATE_PATTERN,
                            description="First day (YYYY[-MM[-DD]]).", examples=["2019-04-01"])]
To = Annotated[str, Query(max_length=10, pattern=DATE_PATTERN,
                          description="Last day, included (YYYY[-MM[-DD]]).",
                          examples=["2019-04-01"])]
Types = Annotated[list[str] | None, Query(alias="type", max_length=20, examples=[["ccg"]],
                                          description="Only changes involving a body of "
                                                      "this type (repeatable).")]
Kinds = Annotated[list[str] | None, Query(alias="kind", max_length=20, examples=[["merge"]],
                                          description="Only this kind of change (repeatable): "
                                                      "open, close, rename, recode, merge, "
                                                      "split, acquisition, move, join, leave…")]


# The longest period served at once (ten years, both ends included): the feed is worked
# out whole before a page is cut from it (its total and counts), and the whole history,
# 1990 to 2026, is ~110k changes and ~6 s of CPU on the demo registry (RESULTS.md).
MAX_DAYS = 3653


def _feed(conn, start, end, types, kinds, **page) -> dict:
    from nhsgraph.services.changes import change_feed

    return change_feed(conn, start, end, types, kinds, max_days=MAX_DAYS, **page)


@router.get("/api/changes", summary="What changed between two dates",
            description="Every body opened, closed, renamed, recoded, merged, split or taken "
                        "over, and every move to a new parent, dated from `from` to `to` (both "
                        "included), each with the bodies on both sides (as they were that "
                        "day) and its citations. Paginated with `limit`/`offset`; `total` "
                        "and `counts` are of the whole period, at most ten years (3653 "
                        "days; longer is a 422 problem).",
            responses=ok({"from": "2019-04-01", "to": "2019-04-01", "types": [], "kinds": [],
                          "counts": {"merge": 1}, "total": 1, "limit": 100, "offset": 0,
                          "links": {"self": "/api/changes?from=2019-04-01&to=2019-04-01"
                                            "&limit=100&offset=0"},
                          "items": [CHANGE_EX]}))
def get_changes(request: Request, conn: Conn, from_: From, to: To, type: Types = None,
                kind: Kinds = None, limit: Limit = 100, offset: Offset = 0):
    feed = _feed(conn, from_, to, type, kind, limit=limit, offset=offset)
    items = feed.pop("changes")
    body, headers = page(request, items, feed.pop("total"), limit, offset)
    return json_response(request, {**feed, **body}, headers)


# A feed for readers, beside the pages (its errors are pages too), not part of the JSON API.
@router.get("/changes.atom", include_in_schema=False)
def get_changes_atom(request: Request, conn: Conn, from_: Annotated[str | None, Query(
        alias="from", max_length=10, pattern=DATE_PATTERN, description="First day.")] = None,
        to: Annotated[str | None, Query(max_length=10, pattern=DATE_PATTERN,
                                        description="Last day, included.")] = None,
        type: Types = None, kind: Kinds = None,
        limit: Annotated[int, Query(ge=1, le=1000, description="At most this many entries."
                                    )] = 200):
    end = to or dt.date.today().isoformat()
    start = from_ or (PartialDate.parse(end).first - dt.timedelta(days=365)).isoformat()
    """The same changes as /api/changes (default: the 365 days to today), one Atom entry
    each, newest first, linking to the body's page and its lineage as JSON."""
    feed = _feed(conn, start, end, type, kind, limit=limit, newest_first=True)
    body = atom(feed, str(request.base_url).rstrip("/"), str(request.url), limit)
    return cached(request, body, "application/atom+xml")


def atom(feed: dict, base: str, self_url: str, limit: int) -> bytes:
    """The feed as Atom 1.0 (RFC 4287): newest first, an entry per change."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    sub(root, "id", f"tag:nhsgraph.invalid,2026:changes/{feed['from']}/{feed['to']}")
    sub(root, "title", f"nhsgraph: changes from {feed['from']} to {feed['to']}")
    changes = sorted(feed["changes"], key=lambda c: c["date"], reverse=True)[:limit]
    sub(root, "updated", _stamp(changes[0]["date"] if changes else feed["to"]))
    sub(root, "link", rel="self", href=self_url)
    author = sub(root, "author")
    sub(author, "name", "nhsgraph")
    for c in changes:
        e = sub(root, "entry")
        sub(e, "id", f"tag:nhsgraph.invalid,2026:change/{c['id']}")
        sub(e, "title", f"{c['date']} {c['kind']}: {c['summary']}")
        sub(e, "updated", _stamp(c["date"]))
        sub(e, "category", term=c["kind"])
        who = c["body"] or (c["after"] or c["before"])[0]
        sub(e, "link", rel="alternate", type="text/html", href=f"{base}/entities/{who['id']}")
        sub(e, "link", rel="related", type="application/json",
            href=f"{base}/api/entities/{who['id']}/lineage")
        sources = "; ".join(dict.fromkeys(x["source_title"] for x in c["citations"]))
        sub(e, "summary", c["summary"] + (f". Sources: {sources}" if sources else ""))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _stamp(date: str) -> str:
    """A partial date as an RFC 3339 timestamp (its first day, midnight UTC)."""
    first = (date + "-01-01"[len(date) - 4:]) if len(date) < 10 else date
    return f"{first}T00:00:00Z"
