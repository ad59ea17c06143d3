"""Popolo JSON (https://www.popoloproject.com/specs/): organizations, persons, posts and
memberships, with their dates and sources.

- an **organization** per body: ``name``, ``classification`` (its org_type on the date),
  ``identifiers`` (ODS and ONS codes), ``other_names``, ``parent_id`` (the body it is
  accountable to, when it has one on the date), ``founding_date``/``dissolution_date``
  (the span it has a type in nhsgraph);
- a **membership** per ``member_of`` fact (``member`` an Organization) and per post
  (``person_id``, ``post_id``, ``role``);
- a **post** per (organisation, role) held by someone;
- ``sources`` on each: the cited sources (``url``, or the source's ``urn:nhsgraph:source:``
  IRI when it has none, and ``note``: title and locator).

Popolo end dates are the last day of the relationship; nhsgraph's ``valid_to`` is the
first day it no longer holds, so ``end_date`` is the period before it, at its precision.
"""

from __future__ import annotations

import json
from pathlib import Path

from nhsgraph.export import iri
from nhsgraph.model.dates import last_before
from nhsgraph.services.exports import Export, Progress
from nhsgraph.query.facts import Citation


def _sources(citations: list[Citation]) -> list[dict]:
    out, seen = [], set()
    for c in citations:
        note = f"{c.source_title}, {c.where()}".rstrip(", ")
        if (c.source_id, note) not in seen:
            seen.add((c.source_id, note))
            out.append({"url": c.url or iri(c.source_id, "source"), "note": note})
    return out


def _dated(d: dict, f) -> dict:
    if f.valid_from:
        d["start_date"] = f.valid_from
    if f.valid_to:
        d["end_date"] = last_before(f.valid_to)
    return d


def document(export: Export) -> dict:
    """The Popolo document as a dict."""
    cites: dict[str, list[Citation]] = {}
    parents: dict[str, set[str]] = {}
    for f in export.facts:
        if f.predicate in ("name", "org_type", "ods_code", "ons_code"):
            cites.setdefault(f.subject, []).extend(f.citations)
        elif f.predicate == "post":     # a person is known here by the posts they held
            cites.setdefault(f.subject, []).extend(f.citations)
        elif f.predicate == "accountable_to" and f.object in export.bodies:
            parents.setdefault(f.subject, set()).add(f.object)
    organizations, persons = [], []
    for b in export.bodies.values():
        if b.kind == "person":
            persons.append({"id": b.id, "name": b.name, "sources": _sources(cites.get(b.id, []))})
            continue
        if b.kind != "organisation":
            continue
        o = {"id": b.id, "name": b.name}
        if b.org_type:
            o["classification"] = b.org_type
        if b.codes:
            o["identifiers"] = [{"scheme": k.removesuffix("_code"), "identifier": v}
                                for k, v in b.codes.items()]
        if b.aliases:
            o["other_names"] = [{"name": a} for a in b.aliases]
        if len(parents.get(b.id, ())) == 1:
            o["parent_id"] = next(iter(parents[b.id]))
        if b.founded:
            o["founding_date"] = b.founded
        if b.dissolved:
            o["dissolution_date"] = last_before(b.dissolved)
        o["sources"] = _sources(cites.get(b.id, []))
        organizations.append(o)
    memberships, posts = [], {}
    for f in export.relations():
        if f.predicate == "member_of":
            memberships.append(_dated({
                "id": f"membership:{f.id}", "organization_id": f.object,
                "member": {"@type": "Organization", "id": f.subject},
                "sources": _sources(f.citations)}, f))
    for f in export.posts():
        post_id = f"{f.object}/post/{f.role}"
        posts.setdefault(post_id, {"id": post_id, "label": f.role.replace("_", " "),
                                   "role": f.role, "organization_id": f.object})
        memberships.append(_dated({
            "id": f"membership:{f.id}", "organization_id": f.object, "person_id": f.subject,
            "member": {"@type": "Person", "id": f.subject}, "post_id": post_id,
            "role": f.role, "sources": _sources(f.citations)}, f))
    return {"meta": {"generator": "nhsgraph", "at": export.at.isoformat() if export.at else None,
                     "types": export.types},
            "organizations": organizations, "persons": persons,
            "posts": list(posts.values()), "memberships": memberships}


def write(export: Export, path: Path, progress: Progress | None = None) -> int:
    """Write the document; returns how many organizations, persons, posts and memberships."""
    doc = document(export)
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    if progress:
        progress(len(export.facts))
    return sum(len(doc[k]) for k in ("organizations", "persons", "posts", "memberships"))
