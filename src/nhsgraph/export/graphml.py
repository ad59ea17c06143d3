"""GraphML, written with networkx: bodies as nodes, the links between them as edges.

Nodes (by nhsgraph id): ``kind``, ``name``, ``org_type``, ``ods_code``, ``ons_code``,
``selected`` (false for a body only pointed at). Edges (a directed multigraph, keyed by
the fact's id): ``predicate`` (member_of, accountable_to, post, succeeded_by...),
``valid_from``/``valid_to`` (partial ISO dates; valid_to exclusive), ``role`` (posts),
``change`` (successions), ``sources`` and ``locators`` ("; "-separated, aligned).
An attribute with no value is left off the node or edge (GraphML has no null).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from nhsgraph.services.exports import Export, Progress

EDGE_PREDICATES = ("post", "succeeded_by")   # with services.exports.RELATIONS


def _present(**attrs) -> dict:
    return {k: v for k, v in attrs.items() if v is not None}


def graph(export: Export, progress: Progress | None = None) -> nx.MultiDiGraph:
    """The export as a networkx graph."""
    g = nx.MultiDiGraph(at=export.at.isoformat() if export.at else "all time",
                        types=",".join(export.types) or "all")
    for b in export.bodies.values():
        g.add_node(b.id, **_present(kind=b.kind, name=b.name, org_type=b.org_type,
                                    ods_code=b.codes.get("ods_code"),
                                    ons_code=b.codes.get("ons_code"), selected=b.selected))
    edges = export.relations() + [f for f in export.facts if f.predicate in EDGE_PREDICATES
                                  and f.object in export.bodies]
    for f in edges:
        g.add_edge(f.subject, f.object, key=str(f.id), **_present(
            predicate=f.predicate, valid_from=f.valid_from, valid_to=f.valid_to,
            role=f.qualifiers.get("role"), change=f.qualifiers.get("change"),
            sources="; ".join(c.source_id for c in f.citations),
            locators="; ".join(c.where() for c in f.citations)))
    if progress:
        progress(len(export.facts))
    return g


def write(export: Export, path: Path, progress: Progress | None = None) -> int:
    """Write the graph; returns how many edges."""
    g = graph(export, progress)
    nx.write_graphml(g, path)
    return g.number_of_edges()
