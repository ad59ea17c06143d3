"""One function per question, building the data that both the JSON API and the HTML pages
render (datasette-style: the page and its JSON twin share one call).

Each takes an open connection and plain arguments, calls the query layer once or twice,
and returns JSON-ready dicts. No FastAPI and no Jinja here.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy.engine import Connection

from nhsgraph.errors import NotFound
from nhsgraph.query import (Fact, Snapshot, conflicts, landscape, lineage, person_posts, resolve,
                            search_documents, search_entities, timeline)
from nhsgraph.query.sources import source_view, statement_fact

ParentLink = Literal["accountable_to", "member_of", "hosted_by"]
PARENT_LINKS = ("accountable_to", "member_of", "hosted_by")

SECTION_TITLES = {
    "names": "Names", "types": "Types", "codes": "Codes", "parent": "Parent",
    "memberships": "Member of", "members": "Members", "children": "Accountable bodies",
    "partners": "Partnerships", "posts": "Posts held", "holders": "Board and officers",
    "ratings": "Ratings", "figures": "Figures", "stages": "Stages", "decisions": "Decisions",
    "decisions_about": "Decisions about it", "governance": "Governance model",
    "events": "Events", "notes": "Notes",
}
INBOUND = {"members", "children", "holders", "decisions_about"}


def fact_dict(f: Fact) -> dict:
    """A fact as JSON, with its display text and the anchors of its citations."""
    d = f.to_dict()
    d["display"] = f.display_value()
    for c in d["citations"]:
        c["anchor"] = citation_anchor(c, f.id)
    return d


def citation_anchor(c: dict, statement_id: int) -> str:
    """The fragment of the source page where this citation is shown."""
    if c.get("span"):
        return f"span-{c['span'][0]}-{c['span'][1]}"
    return f"st-{statement_id}"


def entity_data(conn: Connection, ref: str, at: str | None = None) -> dict:
    """An organisation, person or event as at a date (all dates when ``at`` is None)."""
    match = resolve(conn, ref)
    view = Snapshot.of(conn, at).entity(match.id)
    sections = {k: [fact_dict(f) for f in v] for k, v in view.sections().items() if v}
    data = {"id": view.id, "kind": view.kind, "name": view.name, "org_type": view.org_type,
            "at": view.at.isoformat() if view.at else None,
            "matched": {"text": match.matched, "how": match.how},
            "sections": sections,
            "links": {"lineage": f"/api/entities/{view.id}/lineage",
                      "timeline": f"/api/entities/{view.id}/timeline"}}
    if view.kind == "person":
        data["posts"] = [fact_dict(f) for f in person_posts(conn, view.id)]
    return data


def lineage_data(conn: Connection, ref: str) -> dict:
    match = resolve(conn, ref, kind="organisation")
    lin = lineage(conn, match.id)
    from nhsgraph.query import labels

    names = labels(conn, lin.depth)
    data = lin.to_dict()
    data["name"] = names.get(match.id, match.label)
    data["nodes"] = [{"id": n, "name": names.get(n, n), "depth": d}
                     for n, d in sorted(lin.depth.items(), key=lambda kv: (kv[1], names.get(kv[0], kv[0])))]
    for link in data["links"]:
        for c in link["citations"]:
            c["anchor"] = citation_anchor(c, 0) if c.get("span") else None
    return data


def timeline_data(conn: Connection, ref: str) -> dict:
    match = resolve(conn, ref)
    return {"id": match.id, "name": match.label,
            "facts": [fact_dict(f) for f in timeline(conn, match.id)]}


def landscape_data(conn: Connection, at: str, types: list[str] | None, by: str) -> dict:
    return landscape(conn, at, types or None, by=by).to_dict()


def search_data(conn: Connection, q: str, limit: int, offset: int) -> dict:
    hits = search_entities(conn, q, limit=limit + 1, offset=offset)
    docs = search_documents(conn, q, limit=20) if offset == 0 else []
    return {"q": q, "more": len(hits) > limit,
            "entities": [h.__dict__ for h in hits[:limit]], "documents": docs}


def conflicts_data(conn: Connection, subject: str | None = None) -> list[dict]:
    sid = resolve(conn, subject).id if subject else None
    out = []
    for c in conflicts(conn, sid):
        out.append({"subject": c.subject, "subject_name": c.subject_label,
                    "predicate": c.predicate, "a": fact_dict(c.a), "b": fact_dict(c.b)})
    return out


def source_data(conn: Connection, id: str, *, text: bool = False, view=None) -> dict:
    view = view or source_view(conn, id)
    data = view.to_dict(text=text)
    data["statements"] = [fact_dict(f) for f in view.facts]
    data["length"] = len(view.text) if view.text is not None else None
    return data


def document_data(conn: Connection, id: str) -> dict:
    view = source_view(conn, id)
    if view.text is None:
        raise NotFound(f"source {id!r} holds no document text")
    return source_data(conn, id, text=True, view=view)


def statement_data(conn: Connection, id: int) -> dict:
    return fact_dict(statement_fact(conn, id))
