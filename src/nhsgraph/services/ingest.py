"""Documents in, proposed statements out.

``ingest_text`` stores a document's text as a source (full-text searchable, id from its
content hash) and turns what the extractor found into *proposed* statements, each citing
the words it came from. A person accepts or rejects them (``services.review``). The same
text ingested again changes nothing: same source id, same statement keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from nhsgraph.errors import BadDate, BadFile, NhsgraphError
from nhsgraph.extract.api import ExtractionResult, analyse_document
from nhsgraph.extract.gazetteer import Gazetteer, OrgRecord
from nhsgraph.extract.readers import read_document
from nhsgraph.model.predicates import ORG_TYPES, value_key
from nhsgraph.model.statements import MAX_QUOTE_WORDS, CitationIn, SourceIn, StatementIn
from nhsgraph.query.resolve import candidates
from nhsgraph.store import Store
from nhsgraph.store.schema import entity, statement


@dataclass
class IngestReport:
    source_id: str
    doc: str
    proposed: int = 0
    unchanged: int = 0
    entities_new: int = 0
    linked_orgs: int = 0
    new_orgs: int = 0
    people: int = 0
    events: int = 0
    decisions: int = 0
    errors: list[str] = field(default_factory=list)


def build_gazetteer(conn: Connection) -> Gazetteer:
    """Every organisation the registry knows, with its names (dated), aliases, codes and
    types (dated). Aliases the registry marks informal ("the trust", a bare place name) are
    left out: they name the body only in the document they were read from."""
    s = statement.c
    rows = conn.execute(
        sa.select(s.subject_id, s.predicate, s.value_text, s.valid_from, s.valid_to,
                  s.qualifiers)
        .join(entity, entity.c.id == s.subject_id)
        .where(entity.c.kind == "organisation", s.status == "asserted", s.retracted_at.is_(None),
               s.predicate.in_(("name", "alias", "org_type", "ods_code", "ons_code")))
        .order_by(s.subject_id, s.valid_from)).all()
    orgs: dict[str, dict] = {}
    for r in rows:
        o = orgs.setdefault(r.subject_id, {"names": [], "aliases": [], "types": [], "codes": []})
        q = r.qualifiers or {}
        frm = str(r.valid_from) if r.valid_from else None
        to = str(r.valid_to) if r.valid_to else None
        if r.predicate == "name":
            o["names"].append((r.value_text, frm, to))
        elif r.predicate == "alias":
            if not q.get("informal"):
                o["aliases"].append(r.value_text)
        elif r.predicate == "org_type":
            o["types"].append((r.value_text, frm, to))
        else:
            o["codes"].append(r.value_text)
    records = []
    for o in orgs.values():
        if not o["names"]:
            if not o["aliases"]:
                continue
            # no name statement (a dataset row gives only the area): the first alias
            o["names"] = [(o["aliases"][0], None, None)]
        names = [n for n, _, _ in o["names"]]
        *older, latest = names
        types = o["types"]        # none recorded: typed "other", and no dated types
        records.append(OrgRecord(name=latest, org_type=types[-1][0] if types else "other",
                                 aliases=tuple(dict.fromkeys(older + o["aliases"])),
                                 codes=tuple(o["codes"]),
                                 names=tuple(o["names"]), types=tuple(types)))
    return Gazetteer.from_records(records)


def _slug(text: str) -> str:
    return "-".join(value_key(text).split())[:80] or "unnamed"


def _quote(text: str) -> str:
    words = text.split()
    return " ".join(words[:12]) if len(words) > MAX_QUOTE_WORDS else " ".join(words)


class _Proposals:
    """Collects proposed statements and the entities they need, for one document."""

    def __init__(self, conn: Connection, source_id: str, text: str, version: str):
        self.conn, self.source_id, self.text, self.version = conn, source_id, text, version
        self.entities: dict[str, tuple[str, str, str | None]] = {}
        self.statements: list[StatementIn] = []
        self._org_ids: dict[str, str] = {}

    def cite(self, start: int, end: int, component: str, confidence: float) -> CitationIn:
        return CitationIn(source_id=self.source_id, method=f"extract:{component}",
                          span=(start, end), quote=_quote(self.text[start:end]),
                          confidence=confidence)

    def add(self, subject, predicate, citation, **kw) -> None:
        self.statements.append(StatementIn(subject=subject, predicate=predicate,
                                           citations=(citation,), status="proposed", **kw))

    def org(self, name: str, org_type: str, cite: CitationIn) -> tuple[str, bool]:
        """The registry's organisation called ``name``, or a new one proposed from the text."""
        if name in self._org_ids:
            oid = self._org_ids[name]
            return oid, oid not in self.entities
        found = candidates(self.conn, name, kind="organisation")
        if len(found) == 1:
            self._org_ids[name] = found[0].id
            return found[0].id, True
        oid = f"org:{_slug(name)}"
        self.entities[oid] = (oid, "organisation", name)
        self.add(oid, "name", cite, value=name)
        if org_type in ORG_TYPES:
            self.add(oid, "org_type", cite, value=org_type)
        self._org_ids[name] = oid
        return oid, False

    def person(self, name: str, cite: CitationIn) -> str:
        found = candidates(self.conn, name, kind="person")
        if len(found) == 1:
            return found[0].id
        pid = f"person:{_slug(name)}"
        self.entities[pid] = (pid, "person", name)
        self.add(pid, "name", cite, value=name)
        return pid


def propose(conn: Connection, result: ExtractionResult, text: str, source_id: str,
            report: IngestReport) -> _Proposals:
    """Turn one extraction result into proposed statements (no writing)."""
    p = _Proposals(conn, source_id, text, result.version)
    on = result.doc_date
    first_cite: dict[str, CitationIn] = {}
    for m in result.orgs:
        c = p.cite(m.start, m.end, m.component, 0.9 if m.linked else 0.6)
        oid, linked = p.org(m.name, m.org_type, c)
        first_cite.setdefault(m.name, c)
        if not linked and value_key(m.text) != value_key(m.name) and m.component != "shortref":
            p.add(oid, "alias", c, value=m.text)
    report.new_orgs = sum(1 for v in p._org_ids.values() if v in p.entities)
    report.linked_orgs = len(p._org_ids) - report.new_orgs
    for person in result.people:
        c = p.cite(person.start, person.end, person.component, 0.7)
        pid = p.person(person.name, c)
        report.people += 1
        if person.org:
            oid, _ = p.org(person.org, person.org_type or "other", first_cite.get(person.org, c))
            p.add(pid, "post", c, object=oid, valid_from=on,
                  qualifiers={"role": person.registry_role, "as_written": person.role,
                              "as_reported": True})
    for i, ev in enumerate(result.events):
        eid = f"event:{source_id.split(':', 1)[1]}-{i + 1}"
        c = p.cite(ev.start, ev.end, ev.component, 0.6)
        p.entities[eid] = (eid, "event", f"{ev.type} ({ev.date})")
        try:
            p.add(eid, "event_type", c, value=ev.type, valid_from=ev.date or None,
                  qualifiers={"outcome": ev.outcome} if ev.outcome else {})
        except NhsgraphError:  # an event date the extractor could not pin down
            p.add(eid, "event_type", c, value=ev.type,
                  qualifiers={"outcome": ev.outcome, "date_as_read": ev.date})
        for name in ev.orgs:
            oid, _ = p.org(name, "other", c)
            p.add(eid, "involves", c, object=oid)
        report.events += 1
    if result.minutes is not None:
        _propose_decisions(p, result, report)
    return p


def _propose_decisions(p: _Proposals, result: ExtractionResult, report: IngestReport) -> None:
    """Resolutions and recommendations in minutes become the meeting body's decisions."""
    mins = result.minutes
    if not mins.body:
        return
    span = mins.body_span or (0, 0)
    body_id, _ = p.org(mins.body, "council_body", p.cite(*span, "minutes", 0.8))
    titles = {i.number: i.title for i in mins.items}
    for r in mins.resolutions:
        c = p.cite(r.start, r.end, "minutes", 0.7)
        summary = titles.get(r.item) or None
        p.add(body_id, "decision", c, value={"kind": r.kind, "summary": summary, "item": r.item},
              valid_from=mins.meeting_date)
        report.decisions += 1


def ingest_text(store: Store, text: str, doc_name: str, *, title: str | None = None,
                kind: str = "document", doc_date: str | None = None, url: str | None = None,
                metadata: dict | None = None, gazetteer: Gazetteer | None = None) -> IngestReport:
    """Store one document and its proposed statements, in one transaction.

    ``gazetteer``: one built with ``build_gazetteer`` for a batch of documents (it reads
    only asserted statements, which ingesting does not add); built here when not given."""
    why = _impossible_date(doc_date)
    if why:
        raise BadDate(f"date: {doc_date!r} is not a date ({why})")
    why = _impossible_date((metadata or {}).get("date"))
    if why:
        raise BadFile(doc_name, f"the document's metadata date {metadata['date']!r} is not a "
                                f"date ({why})")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    source_id = f"doc:{digest[:16]}"
    report = IngestReport(source_id=source_id, doc=doc_name)
    if gazetteer is None:
        with store.reader() as conn:
            gazetteer = build_gazetteer(conn)
    result = analyse_document(text, doc_name, gazetteer, doc_date=doc_date, metadata=metadata)
    with store.writer() as w:
        w.ensure_source(SourceIn(id=source_id, title=title or _title(text, doc_name), kind=kind,
                                 date=result.doc_date if _is_date(result.doc_date) else None,
                                 url=url, document=doc_name, sha256=digest, text=text,
                                 meta={"extractor": result.version,
                                       "minutes": result.minutes.as_dict() if result.minutes else None}))
        proposals = propose(w.conn, result, text, source_id, report)
        report.entities_new = w.ensure_entities(proposals.entities.values())
        res = w.add_many(proposals.statements)
    report.proposed, report.unchanged = res.added, res.unchanged
    return report


def ingest_file(store: Store, path: str | Path, *, gazetteer: Gazetteer | None = None
                ) -> IngestReport:
    text, meta = read_document(path)
    why = _impossible_date(meta.get("date"))
    if why:
        raise BadFile(str(path), f"the document's metadata date {meta['date']!r} is not a "
                                 f"date ({why})")
    return ingest_text(store, text, Path(path).name, title=meta.get("title"), metadata=meta,
                       gazetteer=gazetteer)


def _title(text: str, doc_name: str) -> str:
    for line in text.splitlines():
        line = re.sub(r"[#*_]+", "", line).strip()
        if len(line) > 8:
            return line[:120]
    return doc_name


_DATE_PREFIX = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _impossible_date(value) -> str | None:
    """Why a date given with a document (an argument, or its metadata) has the shape of a
    date but is none (2012-02-30, 2012-13), else None. Other text is no date at all: the
    extractor passes over it and reads the date from the text."""
    if not isinstance(value, str) or not value:
        return None
    m = _DATE_PREFIX.match(value.strip())
    if not m:
        return None
    try:
        dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError as exc:
        return str(exc)
    return None


def _is_date(value) -> bool:
    return bool(value) and bool(re.fullmatch(r"\d{4}(-\d{2}){0,2}", str(value)))
