"""What every importer shares: the report, the per-file result, and the one-transaction
writer that supersedes facts from older releases of the same series.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from nhsgraph.errors import BadRow, NhsgraphError
from nhsgraph.importers.coalesce import cited, coalesce
from nhsgraph.model.dates import Interval, PartialDate
from nhsgraph.model.memory import no_cyclic_gc  # noqa: F401  (used by the importers)
from nhsgraph.model.predicates import END_DERIVED, ERA_END_DERIVED, RELEASE_DATED, has
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn
from nhsgraph.store import reads
from nhsgraph.store.reads import held_statements as _held

Progress = Callable[[int, "int | None", str], None]
CHUNK = 5000
BULK_CACHE_KIB = 256 * 1024     # SQLite page cache while importing
MAX_QUOTE_WORDS = 12

# Predicates whose old value is closed (valid_to set) rather than withdrawn when a newer
# release shows a different value from a later date.
CLOSABLE = {"accountable_to", "member_of", "postcode", "org_type", "name"}
# Single-valued predicates whose imported values are snapshots of one changing fact: across
# all imports (ODS releases and ONS lookups alike), a value is closed at the start of a
# later different value, so that imports never contradict themselves. Values with the same
# start that differ (a PCT in two SHAs' lookups) and curated facts are left alone: those
# are real disagreements, for ``conflicts`` to report.
RECONCILED = {"accountable_to", "ons_code", "org_type"}
LOOKUP_METHOD = "import:ons"      # the citation method of lookup statements


@dataclass
class Rejected:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class FileReport:
    path: str
    kind: str
    as_of: str | None
    source_id: str | None
    rows: int = 0
    statements: int = 0
    rejected: int = 0


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    rows_read: int = 0
    statements_added: int = 0
    statements_unchanged: int = 0
    statements_superseded: int = 0
    citations_added: int = 0
    entities_new: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"files": len(self.files), "rows_read": self.rows_read,
                "statements_added": self.statements_added,
                "statements_unchanged": self.statements_unchanged,
                "statements_superseded": self.statements_superseded,
                "citations_added": self.citations_added, "entities_new": self.entities_new,
                "rejected": len(self.rejected)}

    def write_rejected(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text("".join(f"{r}\n" for r in self.rejected), encoding="utf-8")
        return path

    def __str__(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.counts().items())


@dataclass
class FileResult:
    """What one file says, ready to write: built without touching the store."""

    path: Path
    kind: str
    source: SourceIn | None
    series: str | None = None          # e.g. "src:ods:eccg:"; older releases are superseded
    as_of: PartialDate | None = None
    entities: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    statements: list[StatementIn] = field(default_factory=list)
    row_subjects: set[str] = field(default_factory=set)   # the orgs the file's rows describe
    rows: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    # For files whose statements can only be built against the store (ONS->ODS resolution).
    build: Callable | None = None
    ons_pairs: dict = field(default_factory=dict)      # ONS -> ODS codes this file gives
    ons_map: dict | None = None                        # ONS -> ODS for resolving, at write time
    pending_history: list = field(default_factory=list)
    closed: dict = field(default_factory=dict)        # subject -> close date (PartialDate)
    # (level, org type, date) -> the bodies that the file, a complete national list of
    # that NHS level, names at that date
    listed: dict = field(default_factory=dict)

    def entity(self, id: str, label: str | None = None, kind: str = "organisation") -> str:
        cur = self.entities.get(id)
        if cur is None or (cur[2] is None and label):
            self.entities[id] = (id, kind, label)
        return id

    def add(self, st: StatementIn) -> None:
        self.statements.append(st)


class RowCollector:
    """Turns one row's problems into a BadRow, or records and skips them with skip_bad."""

    def __init__(self, result: FileResult, skip_bad: bool):
        self.result, self.skip_bad = result, skip_bad

    def reject(self, line: int, reason: str) -> None:
        if not self.skip_bad:
            raise BadRow(str(self.result.path), line, reason)
        self.result.rejected.append(Rejected(str(self.result.path), line, reason))


def quote_of(fields: Iterable[str]) -> str:
    words = " ".join(f for f in fields if f).split()
    return " ".join(words[:MAX_QUOTE_WORDS])


def ods_date(value: str) -> dt.date | None:
    """YYYYMMDD (ODS) or YYYY-MM-DD to a date; empty means unknown."""
    value = value.strip()
    if not value:
        return None
    try:
        if len(value) == 8 and value.isdigit():
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (expected YYYYMMDD)") from None


_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_]?(0[1-9]|1[0-2])(?:[-_]?([0-3]\d))?(?!\d)")


def date_from_name(name: str) -> PartialDate | None:
    """A release date written in a file name: eccg_2018-11.csv, etr_20220423.zip."""
    m = _NAME_DATE.search(Path(name).name)
    if not m:
        return None
    y, mo, d = m.groups()
    try:
        return PartialDate.parse(f"{y}-{mo}-{d}" if d else f"{y}-{mo}")
    except NhsgraphError:
        return None


def progress_call(progress: Progress | None, advance: int, total: int | None, desc: str) -> None:
    if progress is not None:
        progress(advance, total, desc)


# -- writing ------------------------------------------------------------------------------
def write_results(store, results: list[FileResult], report: ImportReport, *,
                  progress: Progress | None = None, recorded_at: dt.datetime | None = None,
                  writer=None) -> None:
    """Everything in ONE transaction: any failure leaves the store as it was. With
    ``writer``, inside that writer's transaction (a folder writes several groups in one)."""
    if writer is not None:
        _write_results(writer, results, report, progress)
        return
    with store.writer(recorded_at=recorded_at) as w:
        _write_results(w, results, report, progress)


def _write_results(w, results: list[FileResult], report: ImportReport,
                   progress: Progress | None) -> None:
    total = sum(len(r.statements) for r in results if r.build is None) or None
    expected = sum(len(r.statements) if r.build is None else r.rows for r in results)
    with reads.bulk_cache(w.conn, BULK_CACHE_KIB), w.bulk_load(expected):
        for res in results:
            again = False
            if res.source is not None:
                orig = res.source.id
                res.source = _unique_source(w, res.source)
                again = not w.ensure_source(res.source)
                if res.source.id != orig:
                    res.statements = [_recite(st, orig, res.source.id) for st in res.statements]
            if res.build is not None:
                before = len(res.rejected)
                res.build(w, res)
                # rows refused while building (--skip-bad) are reported like the others
                report.rejected.extend(res.rejected[before:])
                for fr in report.files:
                    if fr.path == str(res.path):
                        fr.rejected = len(res.rejected)
            report.entities_new += w.ensure_entities(res.entities.values())
            w.fill_labels(res.entities.values())
            sts = _dedupe(res.statements)
            if again:
                # This very release (the same bytes) was imported before: what it said that
                # has since been superseded or ended stays so; equal facts only gain
                # missing citations. They were reconciled when written, and reconciling
                # only ever closes values, so held facts alone have nothing left to do.
                sts = _current_only(w, sts)
            else:
                if res.series and res.as_of is not None:
                    sts, superseded = _supersede(w, res, sts)
                    report.statements_superseded += superseded
                sts, closed = _reconcile(w, sts)
                report.statements_superseded += closed
            for i in range(0, len(sts), CHUNK):
                chunk = sts[i:i + CHUNK]
                out = w.add_many(chunk)
                report.statements_added += out.added
                report.statements_unchanged += out.unchanged
                report.citations_added += out.citations_added
                progress_call(progress, len(chunk), total, f"writing {res.path.name}")
            for fr in report.files:
                if fr.path == str(res.path):
                    fr.statements = len(sts)
                    if res.source is not None:
                        fr.source_id = res.source.id
        # One statement per fact before the ends are derived (a body's types, merged,
        # say whether it has closed) and after (ended copies may meet: only the subjects
        # written in between can hold any).
        report.statements_superseded += coalesce(w)
        with w.watching_subjects() as since:
            report.statements_superseded += _end_the_unlisted(w, results)
            report.statements_superseded += _end_links_to_closed_bodies(w)
            report.statements_added += _follow_mergers(w)
            report.statements_superseded += _end_open_curated_types(w)
        report.statements_superseded += coalesce(w, since)


def _current_only(w, sts: list[StatementIn]) -> list[StatementIn]:
    """Those of ``sts`` already held (current), by the key lookup add_many uses."""
    have = w.current_ids([st.key for st in sts])
    return [st for st in sts if st.key in have]


def _recite(st: StatementIn, old: str, new: str) -> StatementIn:
    cites = tuple(CitationIn(source_id=new if c.source_id == old else c.source_id, method=c.method, span=c.span, file=c.file,
                             row=c.row, locator=c.locator, quote=c.quote, confidence=c.confidence)
                  for c in st.citations)
    return _replace(st, citations=cites)


def _replace(st: StatementIn, **changes) -> StatementIn:
    kw = dict(subject=st.subject, predicate=st.predicate, citations=st.citations, object=st.object,
              value=st.value, valid_from=st.valid_from, valid_to=st.valid_to,
              qualifiers=st.qualifiers, status=st.status)
    kw.update(changes)
    return StatementIn.trusted(**kw)


def _unique_source(w, src: SourceIn) -> SourceIn:
    """Two different files with the same release id get distinct sources (id + hash)."""
    held = reads.source_sha256(w.conn, src.id)
    if held is None or src.sha256 is None or held == src.sha256:
        return src
    new_id = f"{src.id}~{src.sha256[:8]}"
    return SourceIn(id=new_id, title=src.title, kind=src.kind, publisher=src.publisher,
                    date=src.date, url=src.url, document=src.document, sha256=src.sha256,
                    meta=src.meta)


def _dedupe(sts: list[StatementIn]) -> list[StatementIn]:
    """One statement per content key; the citations of repeats are merged (first few kept)."""
    by_key: dict[str, StatementIn] = {}
    extra: dict[str, list[CitationIn]] = defaultdict(list)
    for st in sts:
        k = st.key
        if k in by_key:
            extra[k].extend(st.citations)
        else:
            by_key[k] = st
    if not extra:
        return list(by_key.values())
    out = []
    for k, st in by_key.items():
        if k in extra:
            # Aggregated rows (e.g. 30,000 LSOAs -> 106 links) cite a few rows, not all.
            cites = (st.citations + tuple(extra[k]))[:3]
            st = _replace(st, citations=cites)
        out.append(st)
    return out


def _same_content(a: StatementIn | dict, b: StatementIn) -> bool:
    return (a["object_id"] == b.object and a["value"] == b.value
            and (a["qualifiers"] or {}) == (b.qualifiers or {}))


def _supersede(w, res: FileResult, sts: list[StatementIn]) -> tuple[list[StatementIn], int]:
    """Retract what older releases of the same series said about the orgs in this file,
    where this release says something different about the same subject and predicate."""
    subjects = sorted(res.row_subjects)
    if not subjects:
        return sts, 0
    preds = sorted({st.predicate for st in sts if st.subject in res.row_subjects} | CLOSABLE)
    # Sources of the series and their release dates.
    series_dates = {}
    for sid, sdate in reads.series_sources(w.conn, res.series):
        if sid != res.source.id and sdate:
            series_dates[sid] = PartialDate.parse(sdate)
    older = {s for s, d in series_dates.items() if d.first < res.as_of.first}
    newer = {s for s, d in series_dates.items() if d.first > res.as_of.first}
    if not older and not newer:
        return sts, 0
    new_keys = {st.key for st in sts}
    # (facts this release states again are read only when a newer release may cover them)
    existing, cites = _held(w.conn, subjects, preds, skip_keys=frozenset() if newer else new_keys,
                            with_methods=False)
    # A newer release already imported has the last word: what it says about a subject
    # and predicate stands, and this older release only adds citations to equal facts.
    if newer:
        covered = defaultdict(set)
        for sid, e in existing.items():
            if cites.sources(sid) & newer:
                covered[(e["subject_id"], e["predicate"])].add(e["key"])
        if covered:
            keep = []
            for st in sts:
                have = covered.get((st.subject, st.predicate))
                if have is None or st.key in have:
                    keep.append(st)
            sts = keep
    if not older:
        return sts, 0
    new_by_sp: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, st in enumerate(sts):
        if st.subject in res.row_subjects:
            new_by_sp[(st.subject, st.predicate)].append(i)
    retract = []
    copies: list[tuple[int, PartialDate]] = []   # (held id, its end): re-added, ended
    folds: list[tuple[int, int]] = []            # (index in sts, held id): citations joined
    mine = older | {res.source.id}
    for sid, e in existing.items():
        srcs = cites.sources(sid)
        if not srcs <= mine or not srcs & older:   # said by another source too: keep
            continue
        if e["key"] in new_keys:
            continue
        e_from = PartialDate.from_stored(e["valid_from"], e["valid_from_precision"])
        e_to = PartialDate.from_stored(e["valid_to"], e["valid_to_precision"])
        group = new_by_sp.get((e["subject_id"], e["predicate"]))
        if not group:                  # this release says nothing about it: keep, but
            closed = res.closed.get(e["subject_id"])   # end it if the org has closed since
            if closed is not None and e["predicate"] in CLOSABLE and e_to is None and \
                    e_from is not None and e_from.first < closed.first:
                copies.append((sid, closed))
                retract.append(sid)
            continue
        e_iv = Interval(e_from, e_to)
        if not any(e_iv.overlaps(sts[i].interval) for i in group):
            continue                   # about another period: no conflict
        merged = False
        if e["predicate"] in CLOSABLE:
            for idx in group:
                n = sts[idx]
                # (a value dated only by the release showing it: a trust's parent in the
                # snapshot, FT status read from its name)
                if _same_content(e, n) and (n.qualifiers or {}).get("basis") in RELEASE_DATED \
                        and e_from is not None and n.valid_from is not None \
                        and e_from.first <= n.valid_from.first \
                        and (n.valid_to is None or e_from.first <= n.valid_to.first):
                    # The same link (or FT status) seen again later: it has held since the
                    # earlier release. Dated so, it is the held statement itself, which
                    # gains this release's citation when written; otherwise (other
                    # qualifiers, an end) a new statement takes the held one's citations.
                    sts[idx] = _replace(n, valid_from=e_from)
                    merged = True
                    if sts[idx].key != e["key"]:
                        folds.append((idx, sid))
                        retract.append(sid)
                    break
            if merged:
                continue
            later = [sts[i] for i in group if sts[i].valid_from is not None]
            if e_to is None and e_from is not None and later and \
                    all(e_from.first < n.valid_from.first for n in later) and \
                    not any(_same_content(e, n) for n in later):
                # A different value from a later date: the old one held until then.
                end = min((n.valid_from for n in later), key=lambda d: d.first)
                copies.append((sid, end))
                retract.append(sid)
                continue
        # The same value with other dates (an end this release gives): one fact, whose
        # citations the older releases' join.
        for idx in group:
            if sts[idx].object == e["object_id"] and sts[idx].value == e["value"] \
                    and e_iv.overlaps(sts[idx].interval):
                folds.append((idx, sid))
                break
        retract.append(sid)
    # Whole citations are read only for the statements copied or joined.
    cites.load([sid for sid, _ in copies] + [sid for _, sid in folds])
    for idx, sid in folds:
        sts[idx] = _fold(sts[idx], cites[sid])
    readd = [_copy(existing[sid], cites[sid], valid_to=end) for sid, end in copies]
    n = w.retract(retract) if retract else 0
    return _dedupe(readd + sts), n


def _fold(st: StatementIn, cite_rows: list) -> StatementIn:
    """``st`` citing also the sources of ``cite_rows`` (a held statement's citations)."""
    have = {(c.source_id, c.file, c.row, c.locator, c.span) for c in st.citations}
    more = tuple(c for c in cited(cite_rows)
                 if (c.source_id, c.file, c.row, c.locator, c.span) not in have)
    return _replace(st, citations=st.citations + more) if more else st


def _imported(methods) -> bool:
    return bool(methods) and all(m and m.startswith("import:") for m in methods)


def _reconcile(w, sts: list[StatementIn]) -> tuple[list[StatementIn], int]:
    """Close each imported value of a RECONCILED predicate at the start of the next later,
    different imported value of the same subject (new statements and those already held).
    A value whose end is only derived from its era (``era_end``: CCGs ended 2022-07-01)
    also ends where an imported record of the same value, in force at its start, says
    the body closed (ODS: NHS Hartlepool and Stockton-on-Tees CCG closed 2020-03-31)."""
    todo = [i for i, st in enumerate(sts) if st.predicate in RECONCILED
            and _imported({c.method for c in st.citations})]
    if not todo:
        return sts, 0
    subjects = sorted({sts[i].subject for i in todo})
    new_keys = {sts[i].key for i in todo}
    existing, cites = _held(w.conn, subjects, sorted(RECONCILED), asserted_only=True,
                            skip_keys=new_keys)
    # (start, end, content, ref) per subject and predicate; ref: ("new", i) | ("old", id)
    groups: dict[tuple, list] = defaultdict(list)
    for sid, e in existing.items():
        if e["key"] in new_keys or not _imported(cites.methods(sid)):
            continue
        if e["status"] != "asserted" or e["valid_from"] is None:
            continue
        groups[(e["subject_id"], e["predicate"])].append(
            (e["valid_from"], e["valid_to"], (e["object_id"], repr(e["value"])), ("old", sid),
             has(e["qualifiers"], ERA_END_DERIVED)))
    for i in todo:
        st = sts[i]
        if st.valid_from is None or st.status != "asserted":
            continue
        groups[(st.subject, st.predicate)].append(
            (st.valid_from.first, st.valid_to.first if st.valid_to else None,
             (st.object, repr(st.value)), ("new", i), has(st.qualifiers, ERA_END_DERIVED)))
    retract, copies = [], []
    for items in groups.values():
        if len(items) < 2:
            continue
        for start, end, content, (where, ref), derived in items:
            nxt = min((o[0] for o in items if o[0] > start and o[2] != content), default=None)
            if derived and end is not None:
                nxt = min([o[1] for o in items if not o[4] and o[2] == content
                           and o[1] is not None and o[0] <= start < o[1] < end]
                          + ([nxt] if nxt is not None else []), default=None)
            if nxt is None or (end is not None and end <= nxt):
                continue
            stop = PartialDate.parse(nxt)
            if where == "new":
                sts[ref] = _replace(sts[ref], valid_to=stop)
            else:
                copies.append((ref, stop))
                retract.append(ref)
    cites.load(ref for ref, _ in copies)
    readd = [_copy(existing[ref], cites[ref], valid_to=stop) for ref, stop in copies]
    n = w.retract(retract) if retract else 0
    return (_dedupe(readd + sts) if readd or todo else sts), n


def _end_the_unlisted(w, results: list[FileResult]) -> int:
    """A body that an ONS lookup alone gives a type ends by the first later national list
    of its level that no longer names it (derived): the 2017 STP list's E54000045 is not in
    the 2018 list, so it ended by 1 April 2018; the 2017-18 NHS England regions North and
    Midlands and East are not in the 2019 list of seven. Lists of one import only; an end
    the records give (an ODS close date) is earlier and stays."""
    listings: dict = defaultdict(lambda: defaultdict(set))   # (level, type) -> day -> ids
    for res in results:
        for (level, typ, day), ids in res.listed.items():
            listings[(level, typ)][day] |= ids
    stops: dict[tuple[str, str], dt.date] = {}        # (body, type) -> first day unlisted
    for (_, typ), by_day in listings.items():
        days = sorted(by_day)
        last: dict[str, dt.date] = {}
        for day in days:
            for oid in by_day[day]:
                last[oid] = day
        for oid, seen in last.items():
            later = next((d for d in days if d > seen), None)
            if later is not None and later < stops.get((oid, typ), dt.date.max):
                stops[(oid, typ)] = later
    if not stops:
        return 0
    existing, cites = _held(w.conn, sorted({oid for oid, _ in stops}), ["org_type"],
                            asserted_only=True)
    ends, marks = {}, {}
    for sid, e in existing.items():
        stop = stops.get((e["subject_id"], e["value"]))
        if stop is None or cites.methods(sid) != {LOOKUP_METHOD}:
            continue
        if (e["valid_to"] is None or e["valid_to"] > stop) and \
                (e["valid_from"] is None or e["valid_from"] < stop):
            ends[sid] = PartialDate.parse(stop)
            marks[sid] = {} if has(e["qualifiers"], ERA_END_DERIVED) else END_DERIVED
    return _end_statements(w, ends, existing, cites, marks)


def _end_statements(w, ends: dict[int, PartialDate], existing: dict,
                    cites: reads.HeldCitations, marks: dict[int, dict]) -> int:
    """Give the held statements ``ends`` (id -> end) those ends, adding their ``marks`` to
    their qualifiers: one this import wrote is replaced (nobody has seen it), one held
    before is superseded. Returns how many were superseded."""
    if not ends:
        return 0
    cites.load(ends)
    readd = [_copy(dict(existing[sid], qualifiers={**(existing[sid]["qualifiers"] or {}),
                                                   **marks.get(sid, {})}),
                   cites[sid], valid_to=stop)
             for sid, stop in ends.items()]
    unseen = w.discard_unrecorded(list(ends))
    n = w.retract([sid for sid in ends if sid not in unseen])
    w.add_many(_dedupe(readd))
    return n


LINKS = ("member_of", "accountable_to")


def _end_links_to_closed_bodies(w) -> int:
    """End each imported open link (a practice's commissioner, a CCG's area team) where
    the body it points to closed: every current type of that body has ended, the last at
    T, so nothing can be a member of it or answer to it after T. The link is kept with
    its citations and ``end: derived``; a link this import wrote is replaced, one held
    before is superseded. (epraccur 2016 names a practice's CCG from its join date with
    no end; ODS later records that CCG closed in a merger.) A curated link with no end of
    its own ends so too."""
    found = reads.links_to_closed_bodies(w.conn, LINKS)
    if not found:
        return 0
    closed = {sid: PartialDate.from_stored(reads.stored_day(day), 3) for sid, _, day in found}
    existing, cites = _held(w.conn, sorted({subj for _, subj, _ in found}), list(LINKS),
                            asserted_only=True)
    # (a curated link that gives no end of its own ends too: the records fill the bound a
    # person left open, as coalescing does; one with an end of its own stands)
    ends = {sid: stop for sid, stop in closed.items() if sid in existing and
            (_imported(cites.methods(sid)) or existing[sid]["valid_to"] is None)}
    return _end_statements(w, ends, existing, cites, dict.fromkeys(ends, END_DERIVED))


def _end_open_curated_types(w) -> int:
    """A type a person stated with no end (a trust "as reported" an NHS trust in 2012)
    ends where the records give the body another type from a later date (an FT by the
    2015 ODS release): the bound a person left open is filled from the records, kept
    with ``end: derived``. A type a person gave an end stands as written."""
    found = reads.open_curated_types_then_other(w.conn)
    if not found:
        return 0
    existing, cites = _held(w.conn, sorted({subj for _, subj, _ in found}), ["org_type"],
                            asserted_only=True)
    ends = {sid: PartialDate.parse(reads.stored_day(day)) for sid, _, day in found
            if sid in existing}
    return _end_statements(w, ends, existing, cites, dict.fromkeys(ends, END_DERIVED))


def _follow_mergers(w) -> int:
    """A sub-ICB location whose ICB merged into a new one answers to the new ICB from the
    day of the merger (derived: ``basis: succession``), citing the succession: ODS ends
    the twelve ICBs of 1 April 2026, and no file of that date names the new parent. Where
    the ICB split, the location's new ICB is not known, and none is given."""
    found = reads.links_to_succeeded_bodies(w.conn, "accountable_to", "sub_icb_location")
    if not found:
        return 0
    cites = reads.HeldCitations(w.conn, {}, None)
    cites.load(sid for *_, sid in found)
    sts = [StatementIn.trusted(subj, "accountable_to", cited(cites[sid]), object=new,
                               valid_from=reads.stored_day(day),
                               qualifiers={"basis": "succession"})
           for subj, new, day, sid in found]
    return w.add_many(sts).added


def _copy(e: dict, cite_rows: list, *, valid_to: PartialDate) -> StatementIn:
    """An existing statement again, with an end date, keeping its citations."""
    old_cites = cited(cite_rows)
    return StatementIn.trusted(
        subject=e["subject_id"], predicate=e["predicate"], citations=old_cites,
        object=e["object_id"], value=e["value"],
        valid_from=PartialDate.from_stored(e["valid_from"], e["valid_from_precision"]),
        valid_to=valid_to, qualifiers=e["qualifiers"] or {}, status=e["status"])

