"""ODS ``epcmem``: the whole membership history of each GP practice, headerless, six fields:
practice code, commissioner code, 'W', start (YYYYMMDD), end (YYYYMMDD, the last day; blank
while current), flag (0/1).

The commissioner is a primary care group (codes like 4QP36, 1999-2002), a primary care
trust (5xx, 2000-2013; TAx care trusts) or a CCG (from 2013). Each row becomes one dated
``member_of`` statement practice -> commissioner, valid from the start to the day after
the end. PCGs, PCTs and care trusts are typed over the span their practices' memberships
cover (``derived``: the code's shape in this file): 303 on 2005-01-01, 152 on 2007-01-01.
"""

from __future__ import annotations

import datetime as dt
import re

from nhsgraph.errors import NhsgraphError
from nhsgraph.importers.common import FileResult, RowCollector, date_from_name, ods_date
from nhsgraph.importers.reader import RawFile, column_error, rows
from nhsgraph.model.dates import PartialDate
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

FIELDS = 6
# The commissioners of English practices before CCGs, told by their codes' shape; each is
# typed over the span its practices' memberships cover (no other file types the PCGs or
# the PCTs abolished in 2006).
COMMISSIONER_CODES = (
    (re.compile(r"^\d[A-Z]{2}\d{2}$"), "pcg"),         # primary care groups, e.g. 4QP36
    (re.compile(r"^5[A-Z0-9]{2}$"), "pct"),             # primary care trusts, e.g. 5E1
    (re.compile(r"^TA[A-Z0-9]$"), "care_trust"),        # care trusts commissioning, e.g. TAC
)
METHOD = "import:ods"


def is_epcmem(first: list[str]) -> bool:
    """A headerless epcmem row: practice, commissioner, 'W', an 8-digit start, end, flag."""
    if len(first) != FIELDS:
        return False
    start, end = first[3].strip(), first[4].strip()
    return (first[0].strip().isalnum() and first[1].strip().isalnum()
            and len(start) == 8 and start.isdigit() and (end == "" or (len(end) == 8 and end.isdigit()))
            and first[5].strip() in ("0", "1"))


def parse(raw: RawFile, kind: str, *, as_at: PartialDate | None, skip_bad: bool) -> FileResult:
    res = FileResult(path=raw.path, kind=kind, source=None)
    bad = RowCollector(res, skip_bad)
    records = list(rows(raw))
    if not records:
        bad.reject(1, "no rows")
        return res
    last_line = records[-1][0]
    good = []
    latest = None
    for line, f in records:
        if len(f) != FIELDS:
            err = column_error(raw, line, len(f), str(FIELDS), last=line == last_line)
            bad.reject(line, err.args[0].split(": ", 1)[1])
            continue
        practice, comm = f[0].strip().upper(), f[1].strip().upper()
        if not practice.isalnum() or not comm.isalnum():
            bad.reject(line, f"bad organisation code in {f[0]!r} -> {f[1]!r}")
            continue
        try:
            start, last = ods_date(f[3]), ods_date(f[4])
        except ValueError as exc:
            bad.reject(line, f"{practice}: {exc}")
            continue
        if start is None:
            bad.reject(line, f"{practice} -> {comm}: no start date")
            continue
        if last is not None and last < start:
            bad.reject(line, f"{practice} -> {comm}: ends ({last}) before it starts ({start})")
            continue
        good.append((line, practice, comm, start, last, f))
        for d in (start, last):
            if d and (latest is None or d > latest):
                latest = d
    res.rows = len(records)
    as_of = as_at or date_from_name(raw.name) or (PartialDate.parse(latest) if latest else None)
    res.as_of = as_of
    label = str(as_of) if as_of else "undated"
    sid = f"src:ods:epcmem:{label}"
    res.series = "src:ods:epcmem:"
    res.source = SourceIn(
        id=sid, title=f"NHS ODS epcmem: GP practice membership history ({label})",
        kind="dataset", publisher="NHS England ODS", date=str(as_of) if as_of else None,
        document=raw.name, sha256=raw.sha256,
        meta={"file": raw.name, "sha256": raw.sha256, "rows": len(records), "as_of": label,
              "layout": "practice,commissioner,W,start,end,flag", "encoding": raw.encoding})
    spans: dict[str, list] = {}       # commissioner -> [type, first day, end, a citation]
    for line, practice, comm, start, last, f in good:
        end = last + dt.timedelta(days=1) if last else None
        cite = (CitationIn(source_id=sid, method=METHOD, file=raw.name, row=line,
                           quote=" ".join(x.strip() for x in f if x.strip())),)
        try:
            res.statements.append(StatementIn.trusted(
                f"ods:{practice}", "member_of", cite, object=f"ods:{comm}",
                valid_from=start, valid_to=end))
        except NhsgraphError as exc:
            bad.reject(line, f"{practice}: {exc}")
            continue
        res.entity(f"ods:{practice}")
        res.entity(f"ods:{comm}")
        res.row_subjects.add(f"ods:{practice}")
        typ = next((t for rx, t in COMMISSIONER_CODES if rx.match(comm)), None)
        if typ is not None:
            span = spans.setdefault(comm, [typ, start, end, cite])
            span[1] = min(span[1], start)
            span[2] = None if end is None or span[2] is None else max(span[2], end)
    for comm, (typ, start, end, cite) in sorted(spans.items()):
        res.statements.append(StatementIn.trusted(
            f"ods:{comm}", "org_type", cite, value=typ, valid_from=start, valid_to=end,
            qualifiers={"derived": True, "basis": "epcmem code"}))
    return res
