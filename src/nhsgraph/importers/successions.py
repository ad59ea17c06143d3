"""ODS successor files: raw ``succ``/``succarc`` (headerless: old, new, reason F/O/R,
YYYYMMDD, indicator) and the 3-column derived lookup (``old_code,new_code,date``, e.g.
humaniverse/geographr lookup_trust_trust.csv).

Each row is a ``succeeded_by`` statement old -> new valid from the date, with the change
classified: several successors of one code on one date = split; several codes into one
on one date = merge; otherwise recode (reason F) or reconfiguration.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from nhsgraph.errors import NhsgraphError
from nhsgraph.importers.common import FileResult, RowCollector, date_from_name, ods_date
from nhsgraph.importers.reader import RawFile, column_error, rows
from nhsgraph.model.dates import PartialDate
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

DERIVED_HEADER = ["old_code", "new_code", "date"]
REASONS = {"F": "FMR code change", "O": "organisation type change", "R": "reconfiguration"}
INDICATORS = {"F": "further succession", "X": "closed", "": None}


def is_raw_succ(first: list[str]) -> bool:
    return (len(first) == 5 and first[2].strip().upper() in REASONS
            and len(first[3].strip()) == 8 and first[3].strip().isdigit())


def parse(raw: RawFile, kind: str, *, as_at: PartialDate | None, skip_bad: bool) -> FileResult:
    """kind: 'succ' / 'succarc' (raw) or 'succ-derived' (old_code,new_code,date)."""
    res = FileResult(path=raw.path, kind=kind, source=None)
    bad = RowCollector(res, skip_bad)
    derived = kind == "succ-derived"
    width = 3 if derived else 5
    records = list(rows(raw))
    if derived:
        header = [h.strip().lower() for h in records[0][1]] if records else []
        if header != DERIVED_HEADER:
            bad.reject(1, f"expected the header {','.join(DERIVED_HEADER)}, got {','.join(header)}")
            return res
        records = records[1:]
    last_line = records[-1][0] if records else 0
    good = []
    latest = None
    selfs = 0
    for line, f in records:
        if len(f) != width:
            err = column_error(raw, line, len(f), str(width), last=line == last_line)
            bad.reject(line, err.args[0].split(": ", 1)[1])
            continue
        old, new = f[0].strip().upper(), f[1].strip().upper()
        if not old.isalnum() or not new.isalnum():
            bad.reject(line, f"bad organisation code in {f[0]!r} -> {f[1]!r}")
            continue
        if old == new:
            selfs += 1          # real extracts hold a few (e.g. 4CG71 -> 4CG71): not a change
            continue
        try:
            day = ods_date(f[2] if derived else f[3])
        except ValueError as exc:
            bad.reject(line, str(exc))
            continue
        if day is None:
            bad.reject(line, f"{old} -> {new}: no date")
            continue
        reason = None if derived else f[2].strip().upper()
        if reason is not None and reason not in REASONS:
            bad.reject(line, f"unknown reason {f[2]!r} (expected F, O or R)")
            continue
        indicator = None if derived else f[4].strip().upper()
        good.append((line, old, new, day, reason, indicator, f))
        latest = day if latest is None or day > latest else latest
    res.rows = len(records)
    as_of = as_at or date_from_name(raw.name) or (PartialDate.parse(latest) if latest else None)
    res.as_of = as_of
    label = str(as_of) if as_of else "undated"
    series = "succ" if not derived else "succ-derived"
    sid = f"src:ods:{series}:{label}"
    res.source = SourceIn(
        id=sid, kind="dataset", publisher="NHS England ODS",
        title=("NHS ODS successor organisations (succ/succarc)" if not derived else
               "NHS ODS successor organisations (succ + succarc, old_code,new_code,date)")
        + f" ({label})",
        date=str(as_of) if as_of else None, document=raw.name, sha256=raw.sha256,
        meta={"file": raw.name, "sha256": raw.sha256, "rows": len(records), "as_of": label,
              "self_successions_ignored": selfs,
              "layout": "old_code,new_code,date" if derived else
              "old,new,reason,effective_date,indicator"})
    # Classify: splits (one old code, several new on one date), merges (several into one).
    succ_of: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    pred_of: dict[tuple[str, dt.date], set[str]] = defaultdict(set)
    for _, old, new, day, *_ in good:
        succ_of[(old, day)].add(new)
        pred_of[(new, day)].add(old)
    for line, old, new, day, reason, indicator, f in good:
        if len(succ_of[(old, day)]) > 1:
            change = "split"
        elif len(pred_of[(new, day)]) > 1:
            change = "merge"
        elif reason == "F":
            change = "recode"
        else:
            change = "reconfiguration"
        q = {"change": change}
        if reason:
            q["reason"] = reason
        if indicator:
            q["indicator"] = indicator
        try:
            st = StatementIn.trusted(f"ods:{old}", "succeeded_by",
                             (CitationIn(source_id=sid, method="import:ods", file=raw.name,
                                         row=line, quote=" ".join(x.strip() for x in f)),),
                             object=f"ods:{new}", valid_from=day, qualifiers=q)
        except NhsgraphError as exc:
            bad.reject(line, str(exc))
            continue
        res.entity(f"ods:{old}")
        res.entity(f"ods:{new}")
        res.statements.append(st)
    return res
