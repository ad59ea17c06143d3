"""Every answer, built once for every interface: one function per question, returning the
JSON-ready dict that the CLI prints (``--json``), the API sends and the pages render
(datasette-style: a page and its JSON twin share one call), so ``nhsgraph show X --json``
is the body of ``GET /api/entities/X``.

Each takes an open connection and plain arguments (dates and record times as text, checked
here: a bad one is BadDate, 422), calls the query and rules layers, and returns dicts. No
FastAPI, Typer or Jinja here.
"""

from __future__ import annotations

from typing import Literal, get_args
from urllib.parse import quote, urlencode

from sqlalchemy.engine import Connection

from nhsgraph.errors import BadInput, NotFound
from nhsgraph.model.dates import record_time
from nhsgraph.model.predicates import check_org_types
from nhsgraph.query import (Citation, Fact, Snapshot, conflict_report, event_dates, labels,
                            landscape, lineage, person_posts, resolve, search_documents,
                            search_entities, timeline)
from nhsgraph.query.facts import load_facts
from nhsgraph.store.schema import statement as statement_table
from nhsgraph.query.snapshot import INBOUND_SECTIONS
from nhsgraph.query.sources import has_text, source_view, statement_fact
from nhsgraph.services import cache

__all__ = ["CITATIONS_SHOWN", "INBOUND_SECTIONS", "SUBJECT_SECTIONS", "PARENT_LINKS", "SECTION_TITLES", "OUTCOME_LABELS", "describe_citation", "fact_dict", "resolve_id",
           "entity_data", "figures_data", "lineage_data", "timeline_data", "landscape_data", "counts_data", "search_data",
           "conflicts_data", "proposals_data", "source_data", "source_page", "document_data", "statement_data",
           "rules_data", "rule_data", "rule_packs", "check_data", "pipeline_data"]

ParentLink = Literal["accountable_to", "member_of", "hosted_by"]
PARENT_LINKS: tuple[str, ...] = get_args(ParentLink)

SECTION_TITLES = {
    "names": "Names", "types": "Types", "codes": "Codes", "parent": "Parent",
    "memberships": "Member of", "members": "Members", "children": "Accountable bodies",
    "partners": "Partnerships", "posts": "Posts held", "holders": "Board and officers",
    "ratings": "Ratings", "figures": "Figures", "figures_about": "Figures measured against it",
    "stages": "Stages", "decisions": "Decisions",
    "decisions_about": "Decisions about it", "governance": "Governance model",
    "events": "Events", "notes": "Notes",
}

# Sections shown with each fact's subject: the inbound ones, and the events (an
# organisation's are the events that involve it, each with the event's date).
SUBJECT_SECTIONS = INBOUND_SECTIONS | {"events"}


# Citations per fact in an entity's answer: a national body's name is cited by every
# release that lists it (41 citations in a median answer, 800 in the largest, most of its
# size and a third of its time); ``citation_count`` says how many there are in all, and
# the answer's ``links.citations`` gives them all.
CITATIONS_SHOWN = 5


def fact_dict(f: Fact, citations: int | None = None) -> dict:
    """A fact as JSON, with its display text, its period in words (``when``, with what an
    import inferred), and the anchors of its citations; with ``citations``, only the first
    that many, and ``citation_count`` (how many in all)."""
    d = f.to_dict(citations)
    if citations is not None:
        d["citation_count"] = len(f.citations)
    d["display"] = f.display_value()
    d["inferred"] = f.inferred
    d["start_is_bound"] = f.start_is_bound
    d["when"] = period_text(f)
    for c in d["citations"]:
        c["anchor"] = citation_anchor(c, f.id)
    return d


def period_text(f: Fact) -> str:
    """When a fact held, in words: "2006-10-01 – 2013-04-01", "from 2011", "by 2019-04-01"
    (the first release showing it), with "(end derived)" where an import inferred it."""
    start = f"by {f.valid_from}" if f.start_is_bound else f"{f.valid_from}"
    if f.valid_from and f.valid_to:
        dates = f"{start} – {f.valid_to}"
    elif f.valid_from:
        dates = start if f.start_is_bound else f"from {start}"
    elif f.valid_to:
        dates = f"until {f.valid_to}"
    else:
        dates = ""
    return f"{dates} ({f.inferred})" if f.inferred else dates


def describe_citation(c: dict) -> str:
    """A citation of ``fact_dict`` in one line: source title and id, where, quote."""
    return Citation(**{k: v for k, v in c.items() if k != "anchor"}).describe()


def citation_anchor(c: dict, statement_id: int) -> str:
    """The fragment of the source page where this citation is shown."""
    if c.get("span"):
        return f"span-{c['span'][0]}-{c['span'][1]}"
    return f"st-{statement_id}"


def known(known_at: str | None):
    """The record time of a ``known_at`` argument (None: as known now)."""
    return record_time(known_at)


def _known_iso(when) -> str | None:
    return when.isoformat() if when else None


def resolve_id(conn: Connection, ref: str, kind: str | None = None) -> str:
    """The id of the entity an id, code, name or alias names."""
    return resolve(conn, ref, kind=kind).id


def entity_data(conn: Connection, ref: str, at: str | None = None,
                known_at: str | None = None, citations: int | None = CITATIONS_SHOWN) -> dict:
    """An organisation, person or event as at a date (all dates when ``at`` is None), as
    nhsgraph knew it at ``known_at`` (now when None), with at most ``citations`` citations
    a fact (all when None; ``links.citations`` asks for all when some are left out)."""
    when = known(known_at)
    match = resolve(conn, ref, labelled=False)        # (the view gives the name on the date)
    view = Snapshot.of(conn, at, when).entity(match.id)
    sections = {k: [fact_dict(f, citations) for f in v] for k, v in view.sections().items() if v}
    if "events" in sections:
        _date_events(conn, sections["events"], when)
    data = {"id": view.id, "kind": view.kind, "name": view.name, "org_type": view.org_type,
            "at": view.at.isoformat() if view.at else None, "known_at": _known_iso(when),
            "matched": {"text": match.matched, "how": match.how},
            "sections": sections,
            "links": {"lineage": f"/api/entities/{view.id}/lineage",
                      "timeline": f"/api/entities/{view.id}/timeline"}}
    if view.kind == "person":
        data["posts"] = [fact_dict(f, citations) for f in person_posts(conn, view.id, when)]
    facts = [f for v in sections.values() for f in v] + data.get("posts", [])
    if citations is not None and any(f["citation_count"] > len(f["citations"]) for f in facts):
        args = {"at": at, "known_at": known_at, "citations": "all"}
        data["links"]["citations"] = f"/api/entities/{quote(view.id, safe=':')}?" + urlencode(
            {k: v for k, v in args.items() if v is not None})
    return data


def _date_events(conn: Connection, facts: list[dict], when) -> None:
    """Give each fact of an events section the date of its event (``event_date``), and
    that date as its ``when`` where the fact itself is undated (an involvement is); in
    the order of those dates (undated events last)."""
    dates = event_dates(conn, [f["subject"] for f in facts], when)
    for f in facts:
        f["event_date"] = dates.get(f["subject"])
        if f["event_date"] and not f["when"]:
            f["when"] = f"event of {f['event_date']}"
    facts.sort(key=lambda f: (f["event_date"] is None, f["event_date"] or ""))


def figures_data(conn: Connection, ref: str, at: str | None = None, measure: str | None = None,
                 known_at: str | None = None) -> dict:
    """A body's figures on a date (all dates when ``at`` is None): its own, and those of
    other bodies measured against it (the trusts' catchment shares from an ICB), of one
    ``measure`` when given, largest value first.

    Example: figures_data(conn, "QYG", "2022-08-01", "catchment_share_from_icb")
    """
    when = known(known_at)
    match = resolve(conn, ref, labelled=False)        # (the view gives the name on the date)
    view = Snapshot.of(conn, at, when).entity(match.id)

    def pick(facts: list[Fact]) -> list[dict]:
        got = [f for f in facts if measure is None or (f.value or {}).get("measure") == measure]
        got.sort(key=lambda f: -float((f.value or {}).get("value") or 0))
        return [fact_dict(f) for f in got]

    return {"id": view.id, "name": view.name, "at": view.at.isoformat() if view.at else None,
            "known_at": _known_iso(when), "measure": measure,
            "figures": pick(view.of("figure")), "figures_about": pick(view.into("figure"))}


def lineage_data(conn: Connection, ref: str, known_at: str | None = None) -> dict:
    """Predecessors and successors of an organisation (as known at ``known_at``)."""
    when = known(known_at)
    match = resolve(conn, ref, kind="organisation")
    lin = lineage(conn, match.id, when)
    names = labels(conn, lin.depth, known=when)
    data = lin.to_dict()
    data["name"] = names.get(match.id, match.label)
    data["known_at"] = _known_iso(when)
    data["nodes"] = [{"id": n, "name": names.get(n, n), "depth": d}
                     for n, d in sorted(lin.depth.items(), key=lambda kv: (kv[1], names.get(kv[0], kv[0])))]
    _types_of_unnamed(conn, data["nodes"])
    for link in data["links"]:
        for c in link["citations"]:
            c["anchor"] = citation_anchor(c, 0) if c.get("span") else None
    return data


def _types_of_unnamed(conn: Connection, nodes: list[dict]) -> None:
    """A body with no recorded name (an old code from a successor file) is drawn as its
    code and type: add the type it was last recorded with."""
    ids = [n["id"] for n in nodes if n["name"] == n["id"]]
    if ids:
        c = statement_table.c
        held = load_facts(conn, c.subject_id.in_(ids) & (c.predicate == "org_type")
                          & (c.status == "asserted"))
        types = {f.subject: f.value for f in held}
        for n in nodes:
            n.setdefault("org_type", types.get(n["id"]))


def timeline_data(conn: Connection, ref: str, known_at: str | None = None) -> dict:
    """Every dated fact about an entity, in order (as known at ``known_at``)."""
    when = known(known_at)
    match = resolve(conn, ref)
    return {"id": match.id, "name": match.label, "known_at": _known_iso(when),
            "facts": [fact_dict(f) for f in timeline(conn, match.id, when)]}


def landscape_data(conn: Connection, at: str, types: list[str] | None, by: str,
                   limit: int | None = None, offset: int = 0,
                   known_at: str | None = None) -> dict:
    """The landscape (as known at ``known_at``); with ``limit``, one page of its (group,
    member) rows: ``total`` rows in all, each group on the page keeping its full ``size``."""
    if by not in PARENT_LINKS:
        raise BadInput(f"unknown parent link {by!r}; known: {', '.join(PARENT_LINKS)}")
    types = check_org_types(types) or None
    when = known(known_at)
    d = dict(cache.answer(conn, ("landscape", at, tuple(types or ()), by, when),
                          lambda: landscape(conn, at, types, by=by, known=when).to_dict()))
    d["known_at"] = _known_iso(when)
    groups, seen = [], 0
    for g in d["groups"]:
        n = len(g["members"])
        lo = max(0, offset - seen)
        hi = n if limit is None else min(n, offset + limit - seen)
        if lo < hi:
            groups.append({**g, "members": g["members"][lo:hi], "size": n})
        seen += n
    d["groups"], d["total"] = groups, seen
    return d


def counts_data(conn: Connection, dates: list[str], types: list[str],
                known_at: str | None = None) -> dict:
    """How many organisations of each type were alive on each date (as known at
    ``known_at``): the national counts table, each cell the count of that type's
    landscape on that date.

    Example: counts_data(conn, ["2005-01-01", "2007-01-01"], ["sha"]) gives
    ``{"dates": [...], "types": ["sha"], "counts": {"sha": {"2005-01-01": 28, ...}}}``."""
    types = check_org_types(types)
    if not types or not dates:
        raise BadInput("counts: give at least one date and one organisation type")
    when = known(known_at)
    days = [_iso(d) for d in dates]
    return {"dates": days, "types": types, "known_at": _known_iso(when),
            "counts": {t: {d: landscape(conn, d, [t], known=when).count for d in days}
                       for t in types}}


def search_data(conn: Connection, q: str, limit: int, offset: int) -> dict:
    hits = search_entities(conn, q, limit=limit + 1, offset=offset)
    docs = search_documents(conn, q, limit=20) if offset == 0 else []
    return {"q": q, "more": len(hits) > limit,
            "entities": [h.__dict__ for h in hits[:limit]], "documents": docs}


def kind_title(predicate: str) -> str:
    """A predicate as a person reads it: "accountable_to" -> "Accountable to"."""
    return {"ons_code": "ONS code", "ods_code": "ODS code", "org_type": "Type"}.get(
        predicate, predicate.replace("_", " ").capitalize())


def conflicts_data(conn: Connection, subject: str | None = None,
                   kind: str | None = None) -> dict:
    """The conflicts: those about placeholders (a list's "Unallocated" PCN) counted apart in
    ``placeholders``; the others in ``conflicts``, grouped by kind (``kinds``: each with its
    count, most frequent first), optionally only of one ``kind``. The whole answer is kept
    while the store is unchanged (``services.cache``): do not change it."""
    sid = resolve(conn, subject).id if subject else None
    d = cache.answer(conn, ("conflicts", sid), lambda: _conflicts(conn, sid))
    if kind is None:
        return d
    if kind not in {k["kind"] for k in d["kinds"]}:
        known = ", ".join(k["kind"] for k in d["kinds"]) or "none"
        raise BadInput(f"no conflicts of kind {kind!r}; kinds with conflicts: {known}")
    return {**d, "conflicts": [c for c in d["conflicts"] if c["kind"] == kind]}


def _conflicts(conn: Connection, sid: str | None) -> dict:
    report = conflict_report(conn, sid)
    return {"total": report.total, "count": report.count,
            "placeholders": [{**p.__dict__, "why": f"every name it has ({', '.join(p.names)}) "
                              "stands for no body: rows of a list with no value here"}
                             for p in report.placeholders],
            "kinds": [{"kind": k, "title": kind_title(k), "count": len(v)}
                      for k, v in report.groups.items()],
            "conflicts": [{"subject": c.subject, "subject_name": c.subject_label,
                           "predicate": c.predicate, "kind": c.kind,
                           "a": fact_dict(c.a), "b": fact_dict(c.b)}
                          for v in report.groups.values() for c in v]}


def source_data(conn: Connection, id: str, *, text: bool = False, view=None,
                limit: int | None = None, offset: int = 0) -> dict:
    view = view or source_view(conn, id, limit=limit, offset=offset)
    data = view.to_dict(text=text)
    data["statements"] = [fact_dict(f) for f in view.facts]
    data["total"] = view.total
    data["length"] = len(view.text) if view.text is not None else None
    return data


def source_page(conn: Connection, id: str, *, rows: int, offset: int = 0) -> dict:
    """A source as its page shows it: a document whole (highlighting its text needs every
    span), with ``spans`` (start, end, statement id); a dataset release ``rows`` statements
    from ``offset``."""
    if has_text(conn, id):
        view, offset = source_view(conn, id), 0
    else:
        view = source_view(conn, id, limit=rows, offset=offset)
    d = source_data(conn, id, text=True, view=view)
    d.update(offset=offset, rows=rows, spans=view.spans())
    return d


def document_data(conn: Connection, id: str) -> dict:
    view = source_view(conn, id)
    if view.text is None:
        raise NotFound(f"source {id!r} holds no document text")
    return source_data(conn, id, text=True, view=view)


def statement_data(conn: Connection, id: int) -> dict:
    """One statement by id (current or superseded), with its citations."""
    return fact_dict(statement_fact(conn, id))


def proposals_data(conn: Connection, source_id: str | None, limit: int, offset: int = 0) -> dict:
    """A page of the proposals awaiting review (``more``: whether another page follows)."""
    from nhsgraph.services.review import proposed

    facts = proposed(conn, source_id=source_id, limit=limit + 1, offset=offset)
    return {"items": [fact_dict(f) for f in facts[:limit]], "more": len(facts) > limit}


# -- rules, findings and pipelines --------------------------------------------------------
OUTCOME_LABELS = {"complies": "Complies", "breach": "Breach",
                  "insufficient_evidence": "Insufficient evidence",
                  "not_applicable": "Not applicable"}


def _source_titles(conn: Connection, ids) -> dict[str, str]:
    import sqlalchemy as sa

    from nhsgraph.store.schema import source

    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    rows = conn.execute(sa.select(source.c.id, source.c.title).where(source.c.id.in_(ids)))
    return {r.id: r.title for r in rows}


def rule_dict(r, titles: dict[str, str] | None = None) -> dict:
    """A rule as JSON: its metadata, the rule text without the finding's placeholder, and
    the title of its source when the registry holds it."""
    from nhsgraph.rules.model import STATUS_MEANING

    d = r.to_dict()
    d["text"] = r.text
    d["in_force"] = r.in_force_text()
    d["status_meaning"] = STATUS_MEANING.get(r.status, "")
    d["source_title"] = (titles or {}).get(r.source)
    d["links"] = {"self": f"/api/rules/{r.id}", "source": f"/api/sources/{r.source}"}
    return d


def is_rule(rule_id) -> bool:
    """Whether a rule id names an encoded rule (a process's own stage order, such as
    FT_APPLICATION-STATES, is not one and has no page)."""
    from nhsgraph.rules import RULES

    return str(rule_id).upper() in RULES


def rule_packs() -> list[str]:
    from nhsgraph.rules import all_rules

    return list(dict.fromkeys(r.pack for r in all_rules()))


def rules_data(conn: Connection, pack: str | None = None, at: str | None = None,
               applies_to: str | None = None) -> list[dict]:
    """The encoded rules, optionally of one pack (era), in force on a date, or applying to
    an organisation type. An unknown pack is NotFound (with the known packs as candidates)."""
    from nhsgraph.query.facts import day
    from nhsgraph.rules import all_rules

    if pack is not None and pack not in rule_packs():
        raise NotFound(f"no rule pack {pack!r}", rule_packs())
    on = day(at) if at else None
    rules = [r for r in all_rules(pack) if (on is None or r.in_force(on))
             and (applies_to is None or applies_to in r.applies_to)]
    titles = _source_titles(conn, [r.source for r in rules])
    return [rule_dict(r, titles) for r in rules]


def rule_data(conn: Connection, rule_id: str) -> dict:
    from nhsgraph.rules import get_rule

    r = get_rule(rule_id)
    return rule_dict(r, _source_titles(conn, [r.source]))


def check_data(conn: Connection, ref: str, at: str, rule_id: str | None = None,
               known_at: str | None = None) -> dict:
    """The findings of the rules in force on ``at`` for an organisation: outcome, plain
    explanation, severity, the rule's title and source, and the facts relied on with their
    citations (each with the anchor of its passage on the source page)."""
    from nhsgraph.rules import check, get_rule

    match = resolve(conn, ref, kind="organisation")
    when = known(known_at)
    findings = check(conn, match.id, at, rule_id, when)
    titles = _source_titles(conn, [f.source for f in findings])
    items = []
    for f in findings:
        r = get_rule(f.rule_id)
        d = f.to_dict()
        d["facts"] = [fact_dict(x) for x in f.facts]
        d.update(rule_title=r.title, outcome_label=OUTCOME_LABELS.get(f.outcome, f.outcome),
                 source_title=titles.get(f.source), pack=r.pack,
                 links={"rule": f"/api/rules/{r.id}", "source": f"/api/sources/{f.source}"})
        items.append(d)
    counts = {o: sum(1 for i in items if i["outcome"] == o) for o in OUTCOME_LABELS}
    on = findings[0].date.isoformat() if findings else _iso(at)
    return {"id": match.id, "name": match.label, "at": on, "known_at": _known_iso(when),
            "rule": rule_id.upper() if rule_id else None,
            "counts": counts, "findings": items}


def _iso(at: str) -> str:
    from nhsgraph.query.facts import day

    d = day(at)
    return d.isoformat() if d else at


def pipeline_data(conn: Connection, ref: str, process_name: str | None = None,
                  known_at: str | None = None) -> dict:
    """An organisation's path through its process(es): each stage with its date, decider,
    whether the transition into it was allowed (and how), the rule it derives from, and the
    citations of the stage fact."""
    from nhsgraph.rules.pipelines import PROCESSES, path, process

    match = resolve(conn, ref, kind="organisation")
    if process_name is not None:
        process_name = process(process_name).name
    steps = path(conn, match.id, process_name, known(known_at))
    out, procs = [], {}
    for s in steps:
        d = s.to_dict()
        d["citations"] = fact_dict(s.fact)["citations"] if s.fact else []
        d["statement"] = s.fact.id if s.fact else None
        d["decider_id"] = s.fact.object if s.fact else None
        out.append(d)
        if s.process in PROCESSES:
            p = PROCESSES[s.process]
            procs.setdefault(p.name, {"name": p.name, "title": p.title})
    if process_name is not None:
        p = PROCESSES[process_name]
        procs.setdefault(p.name, {"name": p.name, "title": p.title})
    return {"id": match.id, "name": match.label, "process": process_name,
            "processes": list(procs.values()), "steps": out}
