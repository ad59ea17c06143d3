"""Figures read from data files: the trust -> ICB catchment shares.

The file (geographr ``lookup_nhs_trusts22_icb22``, from OHID's "NHS Acute Trust catchment
populations") gives, for each acute trust, the share of its catchment population that
comes from each ICB of July 2022: named columns ``nhs_trust<YY>_code``, ``icb<YY>_code``
(ONS E54 codes) and ``proportion_trust_came_from_icb``. These are figures, not
governance: a trust serves the people of several ICBs and answers to none of them
through this file. Each row becomes one ``figure`` statement about the trust, measured
against the ICB (the statement's object), dated by the file's year and cited by file and
row; no ``accountable_to`` or ``member_of`` is derived from it.

The ICB's ONS code is resolved to its ODS entity through the same ONS -> ODS map as the
lookups (the other files of the import, then the store); an ICB code that nothing
resolves stays an ``ons:`` entity, as in the lookups.

Example: parse(raw, "catchment", as_at=None, skip_bad=False).build(writer, result)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nhsgraph.errors import BadRow
from nhsgraph.importers.common import FileResult, RowCollector, quote_of
from nhsgraph.importers.reader import RawFile, column_error, header_and_rows
from nhsgraph.model.dates import PartialDate
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

KIND = "catchment"
METHOD = "import:catchment"
MEASURE = "catchment_share_from_icb"
UNIT = "proportion"
_TRUST = re.compile(r"^nhs_trust(\d{2})_code$")
_ICB = re.compile(r"^icb(\d{2})_code$")
SHARE_COLUMN = "proportion_trust_came_from_icb"
_TRUST_CODE = re.compile(r"^[A-Z0-9]{3}$|^[A-Z0-9]{5}$")
_ICB_CODE = re.compile(r"^E54\d{6}$")


@dataclass(frozen=True)
class Layout:
    trust: int
    icb: int
    share: int
    year: int                # 2000 + the columns' 2-digit year
    columns: tuple[str, ...]


@dataclass(frozen=True)
class CatchmentShare:
    """One row: the share of ``trust``'s catchment population from ``icb`` (ONS code)."""
    line: int
    trust: str
    icb: str
    share: float
    fields: tuple[str, ...]


def parse_header(header: list[str]) -> Layout | None:
    """The columns of a catchment-shares file, or None when the header is not one."""
    cols = tuple(h.strip().strip('"').lower() for h in header)
    trust = [i for i, c in enumerate(cols) if _TRUST.match(c)]
    icb = [i for i, c in enumerate(cols) if _ICB.match(c)]
    if len(trust) != 1 or len(icb) != 1 or SHARE_COLUMN not in cols:
        return None
    year = 2000 + int(_ICB.match(cols[icb[0]]).group(1))
    return Layout(trust[0], icb[0], cols.index(SHARE_COLUMN), year, cols)


def read_shares(raw: RawFile, layout: Layout, records, bad: RowCollector) -> list[CatchmentShare]:
    """The rows as records, each checked: a row with the wrong number of fields, a code of
    the wrong shape or a share that is not a number from 0 to 1 is refused, naming the
    line and the column."""
    out = []
    width = len(layout.columns)
    last = records[-1][0] if records else 0

    def col(i: int) -> str:
        return f"column {i + 1} ({layout.columns[i]})"

    for line, f in records:
        if len(f) != width:
            err = column_error(raw, line, len(f), str(width), last=line == last)
            bad.reject(line, err.args[0].split(": ", 1)[1])
            continue
        trust, icb, text = (f[layout.trust].strip().upper(), f[layout.icb].strip().upper(),
                            f[layout.share].strip())
        if not _TRUST_CODE.match(trust):
            bad.reject(line, f"{col(layout.trust)}: {f[layout.trust]!r} is not a trust code")
            continue
        if not _ICB_CODE.match(icb):
            bad.reject(line, f"{col(layout.icb)}: {f[layout.icb]!r} is not an ICB ONS code "
                             "(E54 and six digits)")
            continue
        try:
            share = float(text)
        except ValueError:
            share = math.nan
        if not 0 <= share <= 1:
            bad.reject(line, f"{col(layout.share)}: {text!r} is not a share from 0 to 1")
            continue
        out.append(CatchmentShare(line, trust, icb, share, tuple(f)))
    return out


def parse(raw: RawFile, kind: str = KIND, *, as_at: PartialDate | None,
          skip_bad: bool) -> FileResult:
    res = FileResult(path=raw.path, kind=kind, source=None)
    bad = RowCollector(res, skip_bad)
    hline, header, it = header_and_rows(raw)
    layout = parse_header(header)
    if layout is None:
        raise BadRow(str(raw.path), hline, "not a catchment-shares file: expected columns "
                     f"nhs_trustYY_code, icbYY_code, {SHARE_COLUMN}")
    records = list(it)
    res.rows = len(records)
    shares = read_shares(raw, layout, records, bad)
    period = as_at or PartialDate.parse(str(layout.year))
    res.as_of = period
    stem = raw.path.name.rsplit(".", 1)[0]
    res.source = SourceIn(
        id=f"src:catchment:{stem}", kind="dataset",
        publisher="Office for Health Improvement and Disparities (via humaniverse/geographr)",
        title=f"NHS acute trust catchment populations: share of each trust's catchment "
              f"from each ICB ({period})",
        date=str(period), document=raw.name, sha256=raw.sha256,
        meta={"file": raw.name, "sha256": raw.sha256, "rows": len(records),
              "columns": list(layout.columns),
              "derived": "geographr: OHID MSOA catchments summed to ICB 2022"})

    def build(w, res: FileResult) -> None:
        ons_map = res.ons_map or {}
        sid = res.source.id
        end = PartialDate.parse(str(period.first.year + 1)) if period.precision == 1 else None
        for s in shares:
            trust = res.entity(f"ods:{s.trust}")
            icb = res.entity(f"ods:{ons_map[s.icb]}" if s.icb in ons_map else f"ons:{s.icb}")
            c = (CitationIn(source_id=sid, method=METHOD, file=raw.name, row=s.line,
                            quote=quote_of(s.fields)),)
            res.add(StatementIn(trust, "figure", c, object=icb,
                                value={"measure": MEASURE, "value": s.share, "unit": UNIT,
                                       "period": str(period)},
                                valid_from=period, valid_to=end,
                                qualifiers={"basis": "catchment, not governance"}))

    res.build = build
    return res


def looks_like_catchment(header: list[str]) -> bool:
    return parse_header(header) is not None
