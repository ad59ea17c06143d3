"""Successor files, in every layout they are published in:

- ODS ``succ``/``succarc`` raw, headerless: old, new, reason (F/O/R), YYYYMMDD, indicator
  (F/X/blank); the 2026 release writes the reason empty and the indicator 0/1;
- a header naming the old code, the new code and the date, in any of the column names of
  ``HEADER_LAYOUTS`` (geographr's ``old_code,new_code,date``; ``trust_code_old,
  trust_code_new,from_date``; RCPCH's ICB succession table, which also names both bodies
  and says what kind of change each row is).

Each row is a ``succeeded_by`` statement old -> new from the date, with the change it was:
``merge`` (several bodies into one that is new that day), ``acquisition`` (into one that
existed before), ``split`` (one into several), ``recode`` (one into one: the FMR code
change of reason F, or any one-to-one succession), ``type_change`` (reason O). A change the
file states (RCPCH's ``succession_type``) wins over the one worked out from the rows.
A body split several ways keeps ``parts`` (how many successors it had that day).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from nhsgraph.errors import NhsgraphError
from nhsgraph.importers.common import (FileResult, RowCollector, date_from_name, ods_date,
                                       quote_of)
from nhsgraph.importers.reader import RawFile, column_error, rows
from nhsgraph.model.dates import PartialDate
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

REASONS = {"F": "FMR code change", "O": "organisation type change", "R": "reconfiguration"}
# The raw file's indicator: F/X/blank before 2026; 0/1 in the 2026 release.
INDICATORS = {"F": "further succession", "X": "closed", "1": "further succession", "0": None,
              "": None}
# What a file's own change words mean in our vocabulary.
STATED_CHANGES = {"merger": "merge", "merge": "merge", "split": "split",
                  "acquisition": "acquisition", "recode": "recode", "rename": "rename",
                  "abolition": "abolition"}


@dataclass(frozen=True)
class HeaderLayout:
    """Which columns of a successor lookup with a header hold what."""

    name: str
    old: str
    new: str
    date: str
    change: str | None = None
    old_name: str | None = None
    new_name: str | None = None
    # A table of one kind of body (RCPCH's: ICBs): every body in it is of that type, the
    # old ones from ``established`` (when that kind of body began) until they were
    # succeeded, the new ones from then; a body that takes over another keeps its own.
    body_type: str | None = None
    established: dt.date | None = None


HEADER_LAYOUTS = (
    HeaderLayout("old_code,new_code,date", "old_code", "new_code", "date"),
    HeaderLayout("trust_code_old,trust_code_new,from_date", "trust_code_old",
                 "trust_code_new", "from_date"),
    HeaderLayout("predecessor_ods,successor_ods,succession_date,succession_type",
                 "predecessor_ods", "successor_ods", "succession_date",
                 change="succession_type", old_name="predecessor_name",
                 new_name="successor_name", body_type="icb",
                 established=dt.date(2022, 7, 1)),     # ICBs: Health and Care Act 2022
)


def header_layout(first: list[str]) -> HeaderLayout | None:
    cols = {h.strip().lower() for h in first}
    for lay in HEADER_LAYOUTS:
        needed = {lay.old, lay.new, lay.date} | ({lay.change} if lay.change else set())
        if needed <= cols:
            return lay
    return None


def is_raw_succ(first: list[str]) -> bool:
    return (len(first) == 5 and first[2].strip().upper() in REASONS.keys() | {""}
            and len(first[3].strip()) == 8 and first[3].strip().isdigit()
            and first[4].strip().upper() in INDICATORS)


@dataclass
class _Row:
    line: int
    old: str
    new: str
    day: dt.date
    reason: str | None
    indicator: str | None
    stated: str | None
    old_name: str | None
    new_name: str | None
    fields: list[str]


def parse(raw: RawFile, kind: str, *, as_at: PartialDate | None, skip_bad: bool) -> FileResult:
    """kind: 'succ' / 'succarc' (raw) or 'succ-derived' (a successor lookup with a header)."""
    res = FileResult(path=raw.path, kind=kind, source=None)
    bad = RowCollector(res, skip_bad)
    derived = kind == "succ-derived"
    records = list(rows(raw))
    layout = None
    if derived:
        layout = header_layout(records[0][1]) if records else None
        if layout is None:
            got = ",".join(records[0][1]) if records else ""
            bad.reject(1, f"expected a header with one of: "
                          f"{'; '.join(lay.name for lay in HEADER_LAYOUTS)}; got {got[:80]}")
            return res
        cols = [h.strip().lower() for h in records[0][1]]
        idx = {c: i for i, c in enumerate(cols)}
        records = records[1:]
    width = len(cols) if derived else 5
    last_line = records[-1][0] if records else 0
    good: list[_Row] = []
    latest = None
    selfs = 0
    for line, f in records:
        if len(f) != width:
            err = column_error(raw, line, len(f), str(width), last=line == last_line)
            bad.reject(line, err.args[0].split(": ", 1)[1])
            continue
        if derived:
            old, new = f[idx[layout.old]].strip().upper(), f[idx[layout.new]].strip().upper()
            day_text = f[idx[layout.date]]
        else:
            old, new, day_text = f[0].strip().upper(), f[1].strip().upper(), f[3]
        if not old.isalnum() or not new.isalnum():
            bad.reject(line, f"bad organisation code in {old!r} -> {new!r}")
            continue
        if old == new:
            selfs += 1          # real extracts hold a few (e.g. 4CG71 -> 4CG71): not a change
            continue
        try:
            day = ods_date(day_text)
        except ValueError as exc:
            bad.reject(line, str(exc))
            continue
        if day is None:
            bad.reject(line, f"{old} -> {new}: no date")
            continue
        reason = indicator = stated = old_name = new_name = None
        if derived:
            if layout.change:
                word = f[idx[layout.change]].strip().lower()
                stated = STATED_CHANGES.get(word)
                if word and stated is None:
                    bad.reject(line, f"unknown succession type {word!r} (expected one of "
                                     f"{', '.join(sorted(STATED_CHANGES))})")
                    continue
            if layout.old_name:
                old_name = " ".join(f[idx[layout.old_name]].split()) or None
                new_name = " ".join(f[idx[layout.new_name]].split()) or None
        else:
            reason = f[2].strip().upper() or None
            if reason is not None and reason not in REASONS:
                bad.reject(line, f"unknown reason {f[2]!r} (expected F, O, R or empty)")
                continue
            indicator = f[4].strip().upper()
            if indicator not in INDICATORS:
                bad.reject(line, f"unknown indicator {f[4]!r} (expected F, X, 0, 1 or empty)")
                continue
        good.append(_Row(line, old, new, day, reason, indicator, stated, old_name, new_name, f))
        latest = day if latest is None or day > latest else latest
    res.rows = len(records)
    as_of = as_at or date_from_name(raw.name) or (PartialDate.parse(latest) if latest else None)
    res.as_of = as_of
    label = str(as_of) if as_of else "undated"
    series = "succ" if not derived else "succ-derived"
    sid = f"src:ods:{series}:{label}"
    if derived and layout is not HEADER_LAYOUTS[0]:
        sid = f"src:succ-lookup:{raw.name.rsplit('.', 1)[0].lower()}:{label}"
    res.source = SourceIn(
        id=sid, kind="dataset",
        publisher="NHS England ODS" if not derived or layout is HEADER_LAYOUTS[0] else None,
        title=("NHS ODS successor organisations (succ/succarc)" if not derived else
               f"Successor organisations ({layout.name})") + f" ({label})",
        date=str(as_of) if as_of else None, document=raw.name, sha256=raw.sha256,
        meta={"file": raw.name, "sha256": raw.sha256, "rows": len(records), "as_of": label,
              "self_successions_ignored": selfs,
              "layout": layout.name if derived else "old,new,reason,effective_date,indicator"})
    for r, q in zip(good, classify(good)):
        try:
            st = StatementIn.trusted(f"ods:{r.old}", "succeeded_by",
                                     (CitationIn(source_id=sid, method="import:ods",
                                                 file=raw.name, row=r.line,
                                                 quote=quote_of(r.fields[:6])),),
                                     object=f"ods:{r.new}", valid_from=r.day, qualifiers=q)
        except NhsgraphError as exc:
            bad.reject(r.line, str(exc))
            continue
        res.entity(f"ods:{r.old}", r.old_name)
        res.entity(f"ods:{r.new}", r.new_name)
        res.statements.append(st)
    if layout is not None and layout.body_type:
        res.statements.extend(_typed_bodies(good, layout, sid, raw.name))
    return res


def _typed_bodies(good: list[_Row], layout: HeaderLayout, sid: str, fname: str):
    """Types of a one-kind table's bodies (see ``HeaderLayout.body_type``) and the new
    bodies' names (the old ones' names are known from the lists that named them)."""
    out, done = [], set()
    for r in good:
        cite = (CitationIn(source_id=sid, method="import:ods", file=fname, row=r.line,
                           quote=quote_of(r.fields[:5])),)
        if ("old", r.old) not in done:
            done.add(("old", r.old))
            out.append(StatementIn.trusted(f"ods:{r.old}", "org_type", cite,
                                           value=layout.body_type,
                                           valid_from=layout.established, valid_to=r.day,
                                           qualifiers={"start": "establishment of the type"}))
        if ("new", r.new) not in done and r.stated != "acquisition":
            done.add(("new", r.new))
            out.append(StatementIn.trusted(f"ods:{r.new}", "org_type", cite,
                                           value=layout.body_type, valid_from=r.day))
            if r.new_name:
                out.append(StatementIn.trusted(f"ods:{r.new}", "name", cite, value=r.new_name,
                                               valid_from=r.day))
    return out


def classify(good: list[_Row]) -> list[dict]:
    """The qualifiers of each row's succession: what change it was (see the module's
    docstring), the raw file's reason and indicator, and a split's number of parts."""
    succ_of: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    pred_of: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    first_seen: dict[str, dt.date] = {}
    for r in good:
        succ_of[(r.old, r.day)].add(r.new)
        pred_of[(r.new, r.day)].add(r.old)
        for code in (r.old, r.new):
            if code not in first_seen or r.day < first_seen[code]:
                first_seen[code] = r.day
    out = []
    for r in good:
        parts = len(succ_of[(r.old, r.day)])
        existed = first_seen[r.new] < r.day     # the successor was in the file before
        if r.stated:
            change = r.stated
        elif len(pred_of[(r.new, r.day)]) > 1:
            change = "acquisition" if existed else "merge"
        elif parts > 1:
            change = "split"
        elif existed:
            change = "acquisition"
        elif r.reason == "O":
            change = "type_change"
        else:
            change = "recode"
        q = {"change": change}
        if parts > 1 and change != "split":
            q["parts"] = parts         # the old body went several ways that day
        if r.reason:
            q["reason"] = r.reason
        if r.indicator and INDICATORS.get(r.indicator):
            q["indicator"] = INDICATORS[r.indicator]
        out.append(q)
    return out
