"""One statement per fact. The same fact said by several releases or sources (a CCG's ODS
code in ODS eccg and in ten ONS lookups; a practice's CCG in seven epraccur releases) is
one live statement whose citations accumulate, one per release and row.

Statements are the same fact when they have the same subject, predicate and object or
text value (and the same role, for posts and memberships that name one), are asserted and
live, and their valid times overlap; at least one of them comes from an import (curated
statements among themselves are left as people wrote them). Each such group becomes one statement:
- if a dated curated statement (a person's reading of a source) is among them, its dates
  and qualifiers stand (an undated curated statement is left as it is): a curated or primary-source date wins over a date inferred from a
  release;
- otherwise its start is the earliest start that is not only a release's date (a start
  that a record gives: an ODS open date, a join date), else the earliest start; its end
  is the latest end (open, if any is open); qualifiers are those of the statement whose
  start it takes.
The others stay visible in its citations; they are superseded (or, when this very import
wrote them, replaced), so "as known at" answers are kept.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from nhsgraph.model.dates import PartialDate
from nhsgraph.model.predicates import END_DERIVED, ERA_END_DERIVED, RELEASE_DATED, has
from nhsgraph.model.statements import CitationIn, StatementIn
from nhsgraph.query.facts import ROLE_PREDICATES   # their role makes two equal facts two
from nhsgraph.store import reads



def _group_key(e: dict) -> tuple:
    q = e["qualifiers"] or {}
    role = q.get("role") if e["predicate"] in ROLE_PREDICATES else None
    return (e["subject_id"], e["predicate"], e["object_id"], _text(e), role)


def _text(e: dict):
    v = e["value"]
    return v if isinstance(v, str) or v is None else repr(v)


def cited(rows: list[dict]) -> tuple[CitationIn, ...]:
    """The citations of a held statement, from its citation rows."""
    return tuple(CitationIn(source_id=r["source_id"], method=r["method"], file=r["file"],
                            row=r["row"], locator=r["locator"], quote=r["quote"],
                            confidence=r["confidence"],
                            span=(r["span_start"], r["span_end"])
                            if r["span_start"] is not None else None)
                 for r in rows)


def _curated(methods) -> bool:
    """Whether any of these citation methods is not an import's (a person's reading)."""
    return any(not (m or "").startswith("import:") for m in methods)


def _derived_end(e: dict) -> bool:
    q = e["qualifiers"] or {}
    return has(q, END_DERIVED) or has(q, ERA_END_DERIVED) or q.get("derived") is True


def _overlapping(items: list[dict]) -> list[list[dict]]:
    """Runs of statements whose valid times overlap (unknown start: from the beginning;
    no end: open)."""
    lo, hi = dt.date.min, dt.date.max
    items = sorted(items, key=lambda e: (e["valid_from"] or lo, e["id"]))
    runs: list[list[dict]] = []
    end = None
    for e in items:
        start = e["valid_from"] or lo
        if runs and start < end:
            runs[-1].append(e)
            end = max(end, e["valid_to"] or hi)
        else:
            runs.append([e])
            end = e["valid_to"] or hi
    return [r for r in runs if len(r) > 1]


def _plan(run: list[dict], cites: reads.HeldCitations) -> tuple:
    """(base, start, start precision, end, end precision) of a run's one statement: the
    statement whose content it takes, and its dates (see the module's docstring)."""
    curated = [e for e in run if _curated(cites.methods(e["id"]))]
    if curated:
        # what a person stated stands; a bound they left open is filled from the records
        base = curated[0]
        imported = [e for e in run if not _curated(cites.methods(e["id"]))]
        start, start_p = base["valid_from"], base["valid_from_precision"]
        end, end_p = base["valid_to"], base["valid_to_precision"]
        if start is None:
            known = [e for e in imported if e["valid_from"] is not None]
            if known:
                first = min(known, key=lambda e: e["valid_from"])
                start, start_p = first["valid_from"], first["valid_from_precision"]
        if end is None:
            closed = [e for e in imported if e["valid_to"] is not None and not _derived_end(e)]
            if closed:
                last = max(closed, key=lambda e: e["valid_to"])
                end, end_p = last["valid_to"], last["valid_to_precision"]
    else:
        # Statements with no start say the least about when: they lend their citations.
        dated = [e for e in run if e["valid_from"] is not None] or run
        recorded = [e for e in dated if (e["qualifiers"] or {}).get("basis") not in RELEASE_DATED]
        base = min(recorded or dated, key=lambda e: (e["valid_from"] is None,
                                                     e["valid_from"] or dt.date.min, e["id"]))
        start, start_p = base["valid_from"], base["valid_from_precision"]
        # An end a record gives (an ODS close date) beats a snapshot that saw the fact
        # still open; an end that is only derived counts only where every one has an end.
        closed = [e for e in dated if e["valid_to"] is not None and not _derived_end(e)]
        if closed:
            last = max(closed, key=lambda e: e["valid_to"])
            end, end_p = last["valid_to"], last["valid_to_precision"]
        elif any(e["valid_to"] is None for e in dated):
            end, end_p = None, None
        else:
            last = max(dated, key=lambda e: e["valid_to"])
            end, end_p = last["valid_to"], last["valid_to_precision"]
    return base, start, start_p, end, end_p


def _keeps_base(plan: tuple) -> bool:
    """Whether the run's one statement is its base as held (the base's own dates)."""
    base, start, start_p, end, end_p = plan
    return (start, start_p, end, end_p) == (base["valid_from"], base["valid_from_precision"],
                                           base["valid_to"], base["valid_to_precision"])


def _merged(run: list[dict], plan: tuple, cites: reads.HeldCitations,
            with_base: bool = True) -> StatementIn:
    """The run's one statement, citing what its members cite (without the base's own
    citations when ``with_base`` is false: the base is held, and keeps them)."""
    base, start, start_p, end, end_p = plan
    seen, all_cites = set(), []
    for e in ([base] if with_base else []) + [e for e in run if e is not base]:
        for c in cited(cites[e["id"]]):
            ident = _ident(c)
            if ident not in seen:
                seen.add(ident)
                all_cites.append(c)
    return StatementIn.trusted(
        subject=base["subject_id"], predicate=base["predicate"], citations=tuple(all_cites),
        object=base["object_id"], value=base["value"],
        valid_from=PartialDate.from_stored(start, start_p),
        valid_to=PartialDate.from_stored(end, end_p),
        qualifiers=base["qualifiers"] or {}, status="asserted")


def coalesce(w, subjects: set[str] | None = None) -> int:
    """Make each fact one statement (see the module's docstring), in the writer's
    transaction; only about ``subjects`` when given (those written since the last
    coalescing, whose other subjects have nothing left to merge). Returns how many
    statements held before were superseded."""
    candidates = reads.repeated_facts(w.conn, subjects)
    if not candidates:
        return 0
    by_preds: dict[tuple, list[str]] = defaultdict(list)
    for subject, preds in candidates.items():
        by_preds[tuple(sorted(preds))].append(subject)
    merged: list[StatementIn] = []
    gone: list[int] = []
    for preds, subjects in by_preds.items():
        existing, cites = reads.held_statements(w.conn, sorted(subjects), list(preds),
                                                asserted_only=True)
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for e in existing.values():
            if e["object_id"] is None and not isinstance(e["value"], str):
                continue
            if e["valid_from"] is None and e["valid_to"] is None and \
                    _curated(cites.methods(e["id"])):
                continue      # a curated timeless fact: nothing to say about dates
            groups[_group_key(e)].append(e)
        runs = [run for items in groups.values() if len(items) > 1
                for run in _overlapping(items)
                # people's readings, qualifiers and all, are left as written
                if not all(_curated(cites.methods(e["id"])) for e in run)]
        # A run whose one statement is its base as held only moves the others' citations
        # onto it; the base's own are read only where the base changes.
        plans = [_plan(run, cites) for run in runs]
        kept = [_keeps_base(plan) for plan in plans]
        cites.load(e["id"] for run, plan, keep in zip(runs, plans, kept) for e in run
                   if not keep or e is not plan[0])
        for run, plan, keep in zip(runs, plans, kept):
            st = _merged(run, plan, cites, with_base=not keep)
            if keep and st.key != plan[0]["key"]:
                st = _merged(run, plan, cites)      # (reads the base's citations)
            key = st.key
            merged.append(st)
            gone.extend(e["id"] for e in run if e["key"] != key)
    if not gone:
        return 0
    unseen = w.discard_unrecorded(gone)
    n = w.retract([i for i in gone if i not in unseen])
    w.add_many(merged)
    return n


def merged_already(w, sts: list[StatementIn]) -> set[str]:
    """Keys of ``sts`` (a person's readings, loaded again) that are not held as written
    because an import made them part of one statement of the same fact: every citation
    of theirs is on a current statement of that fact whose start is no later than theirs
    and whose end is theirs (or fills a bound they left open, as ``_plan`` does). Loading
    them again would bring back the open end or the second statement the import settled."""
    held = w.current_ids([st.key for st in sts])
    todo = [st for st in sts if st.key not in held]
    if not todo:
        return set()
    existing, cites = reads.held_statements(w.conn, sorted({st.subject for st in todo}),
                                            sorted({st.predicate for st in todo}),
                                            asserted_only=True)
    cites.load(existing)
    facts: dict[tuple, list[dict]] = defaultdict(list)
    for e in existing.values():
        facts[_group_key(e)].append(e)
    out = set()
    for st in todo:
        role = st.qualifiers.get("role") if st.predicate in ROLE_PREDICATES else None
        value = st.value if isinstance(st.value, str) or st.value is None else repr(st.value)
        mine = {_ident(c) for c in st.citations}
        start = st.valid_from.first if st.valid_from else None
        end = st.valid_to.first if st.valid_to else None
        for e in facts.get((st.subject, st.predicate, st.object, value, role), ()):
            if start is not None and (e["valid_from"] is None or e["valid_from"] > start):
                continue
            if end is not None and e["valid_to"] != end:
                continue
            if mine <= {_ident(c) for c in cited(cites[e["id"]])}:
                out.add(st.key)
                break
    return out


def _ident(c: CitationIn) -> tuple:
    return (c.source_id, c.file, c.row, c.locator, c.span)
