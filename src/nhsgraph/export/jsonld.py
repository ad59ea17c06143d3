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


class _T:
    """The terms the builder uses, made once: each attribute of an rdflib Namespace builds
    a new URIRef (800k of them in a national export, a tenth of building the graph)."""

    DCTERMS_date = DCTERMS.date
    RDF_first = RDF.first
    DCTERMS_description = DCTERMS.description
    DCTERMS_title = DCTERMS.title
    DCTERMS_type = DCTERMS.type
    FOAF_Person = FOAF.Person
    FOAF_name = FOAF.name
    FOAF_page = FOAF.page
    ORG_ChangeEvent = ORG.ChangeEvent
    ORG_Membership = ORG.Membership
    ORG_Organization = ORG.Organization
    ORG_Role = ORG.Role
    ORG_changedBy = ORG.changedBy
    ORG_classification = ORG.classification
    ORG_identifier = ORG.identifier
    ORG_member = ORG.member
    ORG_memberDuring = ORG.memberDuring
    ORG_organization = ORG.organization
    ORG_originalOrganization = ORG.originalOrganization
    ORG_resultingOrganization = ORG.resultingOrganization
    ORG_role = ORG.role
    PROV_Entity = PROV.Entity
    PROV_hadPrimarySource = PROV.hadPrimarySource
    PROV_wasDerivedFrom = PROV.wasDerivedFrom
    RDF_type = RDF.type
    RDFS_label = RDFS.label
    SKOS_Concept = SKOS.Concept
    SKOS_altLabel = SKOS.altLabel
    SKOS_prefLabel = SKOS.prefLabel
    TIME_Instant = TIME.Instant
    TIME_Interval = TIME.Interval
    TIME_hasBeginning = TIME.hasBeginning
    TIME_hasEnd = TIME.hasEnd


class _ListlessGraph(Graph):
    """A graph that says it holds no RDF lists, which this export never writes: rdflib's
    JSON-LD serialiser asks, for every object of every triple, whether it is the head of
    one (a lookup of ``(o, rdf:first, ?)``: ~290k in a national export)."""

    def value(self, subject=None, predicate=RDF.value, object=None, default=None, any=True):
        if predicate == _T.RDF_first and object is None:
            return default
        return super().value(subject, predicate, object, default, any)


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
        g = _ListlessGraph(store="SimpleMemory")   # no context indexes: 20% faster to fill
        for prefix, ns in CONTEXT.items():
            g.bind(prefix, ns)
        # into the store directly: Graph.addN checks each term is an rdflib node again (a
        # fifth of building a national graph); every term here is one by construction
        g.store.addN((s, p, o, g) for s, p, o in self.triples)
        return g

    # Instants and intervals are named by their dates (urn:nhsgraph:instant:2013-04-01,
    # urn:nhsgraph:interval:2013-04-01/2019-04-01), not blank nodes: memberships of the same
    # dates share them, and the triple set keeps each once.
    def instant(self, value: str) -> URIRef:
        p = PartialDate.parse(value)
        prop, dtype = _TIME_PROPERTY[p.precision]
        node = URIRef(iri(str(p), "instant"))
        self.add(node, _T.RDF_type, _T.TIME_Instant)
        self.add(node, prop, Literal(str(p), datatype=dtype))
        return node

    def interval(self, thing: URIRef, f) -> None:
        if not (f.valid_from or f.valid_to):
            return
        node = URIRef(iri(f"{f.valid_from or ''}/{f.valid_to or ''}", "interval"))
        self.add(thing, _T.ORG_memberDuring, node)
        self.add(node, _T.RDF_type, _T.TIME_Interval)
        if f.valid_from:
            self.add(node, _T.TIME_hasBeginning, self.instant(f.valid_from))
        if f.valid_to:
            self.add(node, _T.TIME_hasEnd, self.instant(f.valid_to))

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
            add(thing, _T.PROV_wasDerivedFrom, node)

    def _citation(self, c: Citation, where: str) -> URIRef:
        """The node of one place in one source (its IRI a hash of both, stable across runs)."""
        key = hashlib.sha1(f"{c.source_id}\x00{where}".encode()).hexdigest()[:16]
        node = URIRef(iri(key, "citation"))
        src = URIRef(iri(c.source_id, "source"))
        self.add(node, _T.PROV_hadPrimarySource, src)   # a prov:Entity by its domain
        if where:
            self.add(node, _T.RDFS_label, Literal(where))
        if c.quote:
            self.add(node, _T.DCTERMS_description, Literal(c.quote))
        if src not in self.sources:
            self.sources.add(src)
            self.add(src, _T.RDF_type, _T.PROV_Entity)
            self.add(src, _T.DCTERMS_title, Literal(c.source_title))
            if c.url:
                self.add(src, _T.FOAF_page, URIRef(c.url))
        return node


def graph(export: Export, progress: Progress | None = None) -> Graph:
    """The export as an RDF graph."""
    b = _Builder()
    add = b.add
    for body in export.bodies.values():
        node = URIRef(iri(body.id))
        if body.kind == "person":
            add(node, _T.RDF_type, _T.FOAF_Person)
            add(node, _T.FOAF_name, Literal(body.name))
            continue
        if body.kind != "organisation":
            continue
        add(node, _T.RDF_type, _T.ORG_Organization)
        add(node, _T.SKOS_prefLabel, Literal(body.name))
        for alias in body.aliases:
            add(node, _T.SKOS_altLabel, Literal(alias))
        for code in body.codes.values():
            add(node, _T.ORG_identifier, Literal(code))
        if body.org_type:
            concept = URIRef(iri(body.org_type, "org-type"))
            add(node, _T.ORG_classification, concept)
            add(concept, _T.RDF_type, _T.SKOS_Concept)
            add(concept, _T.SKOS_prefLabel, Literal(body.org_type.replace("_", " ")))
    for i, f in enumerate(export.facts, 1):
        subject, obj = URIRef(iri(f.subject)), URIRef(iri(f.object)) if f.object else None
        if f.predicate in ("name", "org_type", "ods_code", "ons_code", "alias"):
            b.cite(subject, f.citations)
        elif f.predicate in ("member_of", "post") and f.object in export.bodies:
            m = URIRef(iri(str(f.id), "membership"))
            add(m, _T.RDF_type, _T.ORG_Membership)
            add(m, _T.ORG_member, subject)
            add(m, _T.ORG_organization, obj)
            if f.predicate == "post":
                role = URIRef(iri(f.role, "role"))
                add(m, _T.ORG_role, role)
                add(role, _T.RDF_type, _T.ORG_Role)
                add(role, _T.SKOS_prefLabel, Literal(f.role.replace("_", " ")))
            b.interval(m, f)
            b.cite(m, f.citations)
        elif f.predicate in _LINKS and f.object in export.bodies:
            add(subject, _LINKS[f.predicate], obj)
        if progress and i % 1000 == 0:
            progress(1000)
    for e in export.change_events():
        node = URIRef(iri(e.id.removeprefix("change:"), "change"))
        add(node, _T.RDF_type, _T.ORG_ChangeEvent)
        for o in e.originals:
            add(node, _T.ORG_originalOrganization, URIRef(iri(o)))
        for r in e.results:
            add(node, _T.ORG_resultingOrganization, URIRef(iri(r)))
            add(URIRef(iri(r)), _T.ORG_changedBy, node)
        if e.date:
            add(node, _T.DCTERMS_date, Literal(e.date, datatype=_TIME_PROPERTY[
                PartialDate.parse(e.date).precision][1]))
        if e.change:
            add(node, _T.DCTERMS_type, Literal(e.change))
        b.cite(node, e.citations)
    if progress:
        progress(len(export.facts) % 1000)
    return b.graph()


def write(export: Export, path: Path, progress: Progress | None = None) -> int:
    """Write the graph as compacted JSON-LD; returns how many triples."""
    g = graph(export, progress)
    g.serialize(destination=Path(path), format="json-ld", context=CONTEXT, indent=1,
                encoding="utf-8")
    return len(g)
