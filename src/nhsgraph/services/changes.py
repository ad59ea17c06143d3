"""The change feed as every interface shows it: the changes between two dates as JSON-ready
dicts, each with a one-line summary, and the same rows flattened for CSV.

Example: change_feed(conn, "2020-04-01", "2020-04-01", types=["ccg"])["counts"]
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy.engine import Connection

from nhsgraph.model.predicates import check_org_types
from nhsgraph.errors import BadInput
from nhsgraph.query.changes import changes, check_kinds, cite, period

VERBS = {
    "open": "opened", "close": "closed", "merge": "merged into", "acquisition": "taken over by",
    "split": "split into", "recode": "recoded as", "rename": "renamed", "abolition":
    "abolished; succeeded by", "transfer": "transferred to", "reconfiguration":
    "reconfigured into", "type_change": "changed type", "move": "moved", "join": "joined",
    "leave": "left",
}
LINK_WORDS = {"member_of": "member of", "accountable_to": "accountable to",
              "hosted_by": "hosted by"}
CSV_COLUMNS = ("date", "kind", "summary", "body_id", "body_code", "body_name", "body_type",
               "before_ids", "before_names", "after_ids", "after_names", "link", "derived",
               "sources")


def change_feed(conn: Connection, start: str, end: str, types: list[str] | None = None,
                kinds: list[str] | None = None, *, limit: int | None = None, offset: int = 0,
                newest_first: bool = False, max_days: int | None = None) -> dict:
    """Every change from ``start`` to ``end`` (both included), with counts by kind.

    ``limit``/``offset``: one page of them (``total`` and ``counts`` are still of all):
    the page alone is cited and rendered, which was most of the work. ``newest_first``:
    the days in reverse (a day's changes in their order). ``max_days``: refuse a longer
    period (BadInput), as the API does."""
    lo, hi = period(start, end)
    if max_days is not None and (hi - lo).days + 1 > max_days:
        raise BadInput(f"the period from {start} to {end} is {(hi - lo).days + 1} days; at "
                       f"most {max_days} are served at once: ask for a shorter one")
    types = check_org_types(types)
    kinds = check_kinds(kinds)
    found = changes(conn, lo, hi, types=types or None, kinds=kinds, cited=False)
    counts = Counter(c.kind for c in found)
    if newest_first:    # a stable sort: within a day, the feed's own order
        found.sort(key=lambda c: c.date, reverse=True)
    picked = found[offset:] if limit is None else found[offset:offset + limit]
    cite(conn, picked)
    items = [c.to_dict() for c in picked]
    for c in items:
        c["summary"] = summary(c)
    return {"from": lo.isoformat(), "to": hi.isoformat(), "types": types, "kinds": kinds,
            "total": len(found), "counts": dict(sorted(counts.items())), "changes": items}


def _names(sides: list[dict]) -> str:
    return ", ".join(f"{s['name']} ({s['code']})" if s.get("code") else s["name"] for s in sides)


def summary(c: dict) -> str:
    """One sentence saying what changed: "NHS A CCG (00A), NHS B CCG (00B) merged into …"."""
    kind, verb = c["kind"], VERBS.get(c["kind"], c["kind"])
    body = _names([c["body"]]) if c.get("body") else None
    if kind in ("open", "close"):
        return f"{body} {verb}"
    if kind == "rename":
        return f"{c['detail']['from']} renamed {c['detail']['to']} ({c['body']['code'] or c['body']['id']})"
    if kind == "type_change" and c["link"] == "org_type":
        return f"{body} changed type: {c['detail']['from']} → {c['detail']['to']}"
    if c.get("body"):
        link = LINK_WORDS.get(c["link"], c["link"])
        if kind == "move":
            return f"{body} moved ({link}): {_names(c['before'])} → {_names(c['after'])}"
        return f"{body} {verb} {_names(c['after'] if kind == 'join' else c['before'])} ({link})"
    return f"{_names(c['before'])} {verb} {_names(c['after'])}"


def csv_rows(feed: dict):
    """The feed's changes as flat rows (CSV_COLUMNS), lists joined with "; "."""
    for c in feed["changes"]:
        b = c.get("body") or {}
        yield {"date": c["date"], "kind": c["kind"], "summary": c["summary"],
               "body_id": b.get("id", ""), "body_code": b.get("code") or "",
               "body_name": b.get("name", ""), "body_type": b.get("org_type") or "",
               "before_ids": "; ".join(s["id"] for s in c["before"]),
               "before_names": "; ".join(s["name"] for s in c["before"]),
               "after_ids": "; ".join(s["id"] for s in c["after"]),
               "after_names": "; ".join(s["name"] for s in c["after"]),
               "link": c["link"], "derived": "yes" if c["derived"] else "",
               "sources": "; ".join(dict.fromkeys(x["source_id"] for x in c["citations"]))}
