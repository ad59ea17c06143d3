"""W3C ORG (https://www.w3.org/TR/vocab-org/) as JSON-LD, written with rdflib.

- each body is an ``org:Organization`` (``skos:prefLabel``, ``skos:altLabel``,
  ``org:identifier`` for its codes, ``org:classification`` a ``skos:Concept`` of its type);
  each person a ``foaf:Person``;
- each ``member_of`` fact and each post is an ``org:Membership`` (``org:member``,
  ``org:organization``, ``org:role`` for a post) with ``org:memberDuring`` a
  ``time:Interval`` whose ``time:hasBeginning``/``time:hasEnd`` are ``time:Instant``s in
  ``time:inXSDDate`` (or ``inXSDgYearMonth``/``inXSDgYear`` for a month or a year; the end
  is the first day it no longer held);
- the parent on the date is ``org:subOrganizationOf``; hosting, commissioning, partnership
  and coterminosity are ``org:linkedTo`` (their dates are in the tidy formats);
- successions are ``org:ChangeEvent``s with ``org:originalOrganization`` and
  ``org:resultingOrganization`` (and ``org:changedBy`` on the result), ``dcterms:date`` and
  ``dcterms:type`` (merge, split, rename...);
- citations are PROV: a thing ``prov:wasDerivedFrom`` a citation (a ``prov:Entity`` labelled
  with its locator, ``dcterms:description`` its quote) that ``prov:hadPrimarySource`` the
  source (``dcterms:title``, ``foaf:page``). A row of a dataset release is cited as the
  release's file (the row numbers are in the tidy CSV and Parquet).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS, TIME

from nhsgraph.export import iri
from nhsgraph.model.dates import PartialDate, Precision
from nhsgraph.query.facts import Citation
from nhsgraph.services.exports import Export, Progress

ORG = Namespace("http://www.w3.org/ns/org#")
CONTEXT = {"org": str(ORG), "time": str(TIME), "prov": str(PROV), "skos": str(SKOS),
           "dcterms": str(DCTERMS), "foaf": str(FOAF), "rdfs": str(RDFS), "xsd": str(XSD)}
_TIME_PROPERTY = {Precision.DAY: (TIME.inXSDDate, XSD.date),
                  Precision.MONTH: (TIME.inXSDgYearMonth, XSD.gYearMonth),
                  Precision.YEAR: (TIME.inXSDgYear, XSD.gYear)}
_LINKS = {"accountable_to": ORG.subOrganizationOf, "hosted_by": ORG.linkedTo,
          "commissions_from": ORG.linkedTo, "coterminous_with": ORG.linkedTo,
          "partnership_with": ORG.linkedTo}


class _Builder:
    """Triples gathered in a set and added to the graph at once: a national export repeats
    a third of its triples (a citation shared by a body's facts), and rdflib's own add
    costs ~15 µs a triple where a set's costs well under one."""

    def __init__(self) -> None:
        self.triples: set[tuple] = set()
        self.add = lambda s, p, o: self.triples.add((s, p, o))
        self.nodes: dict[tuple[str, str], URIRef] = {}
        self.sources: set[URIRef] = set()

    def graph(self) -> Graph:
        g = Graph(store="SimpleMemory")   # no context indexes: 20% faster to fill
        for prefix, ns in CONTEXT.items():
            g.bind(prefix, ns)
        g.addN((s, p, o, g) for s, p, o in self.triples)
        return g

    # Instants and intervals are named by their dates (urn:nhsgraph:instant:2013-04-01,
    # urn:nhsgraph:interval:2013-04-01/2019-04-01), not blank nodes: memberships of the same
    # dates share them, and the triple set keeps each once.
    def instant(self, value: str) -> URIRef:
        p = PartialDate.parse(value)
        prop, dtype = _TIME_PROPERTY[p.precision]
        node = URIRef(iri(str(p), "instant"))
        self.add(node, RDF.type, TIME.Instant)
        self.add(node, prop, Literal(str(p), datatype=dtype))
        return node

    def interval(self, thing: URIRef, f) -> None:
        if not (f.valid_from or f.valid_to):
            return
        node = URIRef(iri(f"{f.valid_from or ''}/{f.valid_to or ''}", "interval"))
        self.add(thing, ORG.memberDuring, node)
        self.add(node, RDF.type, TIME.Interval)
        if f.valid_from:
            self.add(node, TIME.hasBeginning, self.instant(f.valid_from))
        if f.valid_to:
            self.add(node, TIME.hasEnd, self.instant(f.valid_to))

    def cite(self, thing: URIRef, citations: list[Citation]) -> None:
        add, nodes = self.add, self.nodes
        for c in citations:
            # A dataset row is cited as the release's file: one node per file, not per row
            # (a national export cites ~700k rows: 4x the triples, 200 s to serialise);
            # the rows are in the tidy formats. Spans and other locators are kept.
            where = c.file if c.row is not None and c.file else c.where()
            node = nodes.get((c.source_id, where))
            if node is None:
                node = nodes[(c.source_id, where)] = self._citation(c, where)
            add(thing, PROV.wasDerivedFrom, node)

    def _citation(self, c: Citation, where: str) -> URIRef:
        """The node of one place in one source (its IRI a hash of both, stable across runs)."""
        key = hashlib.sha1(f"{c.source_id}\x00{where}".encode()).hexdigest()[:16]
        node = URIRef(iri(key, "citation"))
        src = URIRef(iri(c.source_id, "source"))
        self.add(node, PROV.hadPrimarySource, src)   # a prov:Entity by its domain
        if where:
            self.add(node, RDFS.label, Literal(where))
        if c.quote:
            self.add(node, DCTERMS.description, Literal(c.quote))
        if src not in self.sources:
            self.sources.add(src)
            self.add(src, RDF.type, PROV.Entity)
            self.add(src, DCTERMS.title, Literal(c.source_title))
            if c.url:
                self.add(src, FOAF.page, URIRef(c.url))
        return node


def graph(export: Export, progress: Progress | None = None) -> Graph:
    """The export as an RDF graph."""
    b = _Builder()
    add = b.add
    for body in export.bodies.values():
        node = URIRef(iri(body.id))
        if body.kind == "person":
            add(node, RDF.type, FOAF.Person)
            add(node, FOAF.name, Literal(body.name))
            continue
        if body.kind != "organisation":
            continue
        add(node, RDF.type, ORG.Organization)
        add(node, SKOS.prefLabel, Literal(body.name))
        for alias in body.aliases:
            add(node, SKOS.altLabel, Literal(alias))
        for code in body.codes.values():
            add(node, ORG.identifier, Literal(code))
        if body.org_type:
            concept = URIRef(iri(body.org_type, "org-type"))
            add(node, ORG.classification, concept)
            add(concept, RDF.type, SKOS.Concept)
            add(concept, SKOS.prefLabel, Literal(body.org_type.replace("_", " ")))
    for i, f in enumerate(export.facts, 1):
        subject, obj = URIRef(iri(f.subject)), URIRef(iri(f.object)) if f.object else None
        if f.predicate in ("name", "org_type", "ods_code", "ons_code", "alias"):
            b.cite(subject, f.citations)
        elif f.predicate in ("member_of", "post") and f.object in export.bodies:
            m = URIRef(iri(str(f.id), "membership"))
            add(m, RDF.type, ORG.Membership)
            add(m, ORG.member, subject)
            add(m, ORG.organization, obj)
            if f.predicate == "post":
                role = URIRef(iri(f.role, "role"))
                add(m, ORG.role, role)
                add(role, RDF.type, ORG.Role)
                add(role, SKOS.prefLabel, Literal(f.role.replace("_", " ")))
            b.interval(m, f)
            b.cite(m, f.citations)
        elif f.predicate in _LINKS and f.object in export.bodies:
            add(subject, _LINKS[f.predicate], obj)
        if progress and i % 1000 == 0:
            progress(1000)
    for e in export.change_events():
        node = URIRef(iri(e.id.removeprefix("change:"), "change"))
        add(node, RDF.type, ORG.ChangeEvent)
        for o in e.originals:
            add(node, ORG.originalOrganization, URIRef(iri(o)))
        for r in e.results:
            add(node, ORG.resultingOrganization, URIRef(iri(r)))
            add(URIRef(iri(r)), ORG.changedBy, node)
        if e.date:
            add(node, DCTERMS.date, Literal(e.date, datatype=_TIME_PROPERTY[
                PartialDate.parse(e.date).precision][1]))
        if e.change:
            add(node, DCTERMS.type, Literal(e.change))
        b.cite(node, e.citations)
    if progress:
        progress(len(export.facts) % 1000)
    return b.graph()


def write(export: Export, path: Path, progress: Progress | None = None) -> int:
    """Write the graph as compacted JSON-LD; returns how many triples."""
    g = graph(export, progress)
    Path(path).write_text(g.serialize(format="json-ld", context=CONTEXT, indent=1),
                          encoding="utf-8")
    return len(g)
