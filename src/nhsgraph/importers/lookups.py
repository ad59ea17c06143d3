"""ONS names-and-codes and hierarchy lookups (Open Geography Portal CSVs), read by their
column names: ``<LEVEL><YY><CD|CDH|CDO|NM>`` (``CCG13CD``, ``PCO12CDO``) or the
snake_case of the geographr conversions (``sicbl22_code_h``, ``icb24_code_nhs``).

- Every NHS level in a row is an organisation: ``ods:<ODS code>`` when the file (or another
  file in the same import, or the store) gives its ODS code, else ``ons:<ONS code>``;
  local authorities are ``ons:<code>``. Each gets name, ons_code, ods_code and org_type
  valid from the lookup's date.
- Consecutive NHS levels give a parent link (accountable_to; member_of for CCG in STP),
  valid from the lookup's date with an unknown end. LSOA rows are aggregated to distinct
  links.
- The lookup's date: the level's 2-digit year, with the month named in the file name
  (apr, jul, dec…) else April; sub-ICB locations and ICBs of 2022 date from 1 July 2022;
  ``as_at`` overrides.
- Code-history files (the same level in several years: ltla16…ltla24) give succeeded_by
  between differing codes.
- NHS Digital's GP practice mapping ("Patients registered at a GP practice": practice ->
  PCN -> CCG -> STP -> region, named columns without years) is read the same way, dated
  by its EXTRACT_DATE column: a practice is a member of its PCN, each level accountable
  to the next.
- Derived era changes: PCT -> CCG (2013-04-01) from the PCT->CCG postcode-share JSON, and
  CCG -> ICB (2022-07-01) from the LSOA -> SICBL -> ICB 2022 lookup, both
  ``succeeded_by`` with ``change: abolition, derived: true``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from nhsgraph.errors import BadInput, BadRow, NhsgraphError
from nhsgraph.importers import areas as _areas
from nhsgraph.importers.common import LOOKUP_METHOD, FileResult, RowCollector, quote_of
from nhsgraph.importers.reader import RawFile, column_error, header_and_rows
from nhsgraph.model.dates import PartialDate
from nhsgraph.model.predicates import ERA_END_DERIVED
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn
from nhsgraph.store import reads
from nhsgraph.store.areas import write_area_sets

METHOD = LOOKUP_METHOD
LEVEL_TYPES = {
    "pco": "pct", "pct": "pct", "sha": "sha", "ccg": "ccg", "nhsat": "area_team",
    "nhscr": "commissioning_region", "stp": "stp", "nhsrlo": "local_office", "nhser": "nhse_region",
    "nhs_region": "nhse_region", "ics": "ics", "icb": "icb", "sicbl": "sub_icb_location",
    "lad": "local_authority", "ltla": "local_authority", "utla": "local_authority",
    "nhs_trust": None, "gp_practice": "gp_practice", "pcn": "pcn",
}
LA_LEVELS = {"lad", "ltla", "utla"}
AREA_LEVELS = {"lsoa", "msoa", "oa"}          # small statistical areas, not bodies
SKIP_LEVELS = AREA_LEVELS | {"cal"}
IGNORED_COLUMNS = {"fid", "objectid", "status"}
LEVEL_TITLES = {
    "pco": "primary care organisations (PCTs)", "sha": "strategic health authorities",
    "ccg": "clinical commissioning groups", "nhsat": "NHS England area teams",
    "nhscr": "NHS commissioning regions", "stp": "sustainability and transformation partnerships",
    "nhsrlo": "NHS England local offices", "nhser": "NHS England regions",
    "nhs_region": "NHS England regions", "ics": "integrated care systems",
    "icb": "integrated care boards", "sicbl": "sub-ICB locations", "lad": "local authorities",
    "ltla": "lower-tier local authorities", "utla": "upper-tier local authorities",
    "nhs_trust": "NHS trusts", "lsoa": "LSOAs", "cal": "cancer alliances",
    "gp_practice": "GP practices", "pcn": "primary care networks",
}
# Consecutive levels where the child is a member of the parent (else accountable to it).
MEMBERSHIPS = {("ccg", "stp"), ("ltla", "utla"), ("lad", "utla"), ("gp_practice", "pcn")}
# Era ends of types that were abolished nationally on one day (ods.md section 7).
ERA_END = {"pct": dt.date(2013, 4, 1), "care_trust": dt.date(2013, 4, 1),
           "sha": dt.date(2013, 4, 1), "area_team": dt.date(2015, 4, 1),
           "ccg": dt.date(2022, 7, 1), "stp": dt.date(2022, 7, 1)}
# Levels whose year does not start in April.
LEVEL_START = {("icb", 22): (2022, 7), ("sicbl", 22): (2022, 7)}
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
ICB_DAY = dt.date(2022, 7, 1)
PCT_CCG_DAY = dt.date(2013, 4, 1)

_COL = re.compile(r"^(?P<type>[a-z]+(?:_[a-z]+)*?)_?(?P<yy>\d{2})_?"
                  r"(?P<field>cdh|cdo|cd|nm|code_h|code_nhs|nhs_code|ons_code|code|name)$")
_ONS_FIELDS = {"cd", "code", "ons_code"}
_ODS_FIELDS = {"cdh", "cdo", "code_h", "code_nhs", "nhs_code"}
_NAME_FIELDS = {"nm", "name"}
AT_HEADER = ["ons_code", "hscic_code", "name"]
# NHS Digital's GP practice mapping: column -> (level, field); other columns are ignored.
PRACTICE_MAP = {
    "practice_code": ("gp_practice", "ods"), "practice_name": ("gp_practice", "name"),
    "pcn_code": ("pcn", "ods"), "pcn_name": ("pcn", "name"),
    "ons_ccg_code": ("ccg", "ons"), "ccg_code": ("ccg", "ods"), "ccg_name": ("ccg", "name"),
    "ons_stp_code": ("stp", "ons"), "stp_code": ("stp", "ods"), "stp_name": ("stp", "name"),
    "ons_comm_region_code": ("nhser", "ons"), "comm_region_code": ("nhser", "ods"),
    "comm_region_name": ("nhser", "name"),
}
PRACTICE_MAP_DATE = "extract_date"


@dataclass
class Level:
    type: str
    yy: int
    ons: int | None = None
    ods: int | None = None
    name: int | None = None

    @property
    def org_type(self) -> str | None:
        return LEVEL_TYPES.get(self.type)


@dataclass(frozen=True)
class Publisher:
    """Who publishes a lookup: its source's publisher, title and id prefix, and the
    qualifier that marks the names it gives to ODS organisations as its own aliases."""
    name: str
    title: str
    id_prefix: str
    name_qualifier: str


ONS = Publisher("Office for National Statistics", "ONS lookup", "src:ons:", "ons_name")
NHS_DIGITAL = Publisher("NHS Digital", "NHS Digital GP practice mapping", "src:nhsd:",
                        "practice_map_name")


@dataclass
class Layout:
    levels: list[Level]
    history: bool = False       # the same level in several years: a code history
    date_col: int | None = None  # a column dating every row (the practice map's extract)
    publisher: Publisher = ONS

    @property
    def nhs(self) -> list[Level]:
        return [lv for lv in self.levels if lv.type not in SKIP_LEVELS]


def parse_header(header: list[str]) -> Layout | None:
    """The levels named by a lookup's columns, or None when the header is not one."""
    cols = [h.strip().strip('"').lower() for h in header]
    if cols == AT_HEADER:
        return Layout([Level("nhsat", 13, ons=0, ods=1, name=2)])
    if "practice_code" in cols and PRACTICE_MAP_DATE in cols:
        return _practice_map_layout(cols)
    levels: dict[tuple[str, int], Level] = {}
    order = []
    for i, col in enumerate(cols):
        if col in IGNORED_COLUMNS:
            continue
        m = _COL.match(col)
        if not m:
            return None
        t, yy, fld = m.group("type"), int(m.group("yy")), m.group("field")
        if t not in LEVEL_TYPES and t not in SKIP_LEVELS:
            return None
        lv = levels.get((t, yy))
        if lv is None:
            lv = levels[(t, yy)] = Level(t, yy)
            order.append(lv)
        if fld in _NAME_FIELDS:
            lv.name = i
        elif fld in _ODS_FIELDS or (t == "nhs_trust" and fld == "code"):
            lv.ods = i
        else:
            lv.ons = i
    if not order:
        return None
    for lv in order:
        if lv.ons is None and lv.ods is None and lv.type not in SKIP_LEVELS:
            return None
    history = len({lv.type for lv in order}) == 1 and len(order) > 1
    return Layout(order, history)


def _practice_map_layout(cols: list[str]) -> Layout:
    """Levels in PRACTICE_MAP's order; their year is set from the extract date."""
    by_type: dict[str, Level] = {}
    for i, col in enumerate(cols):
        if col in PRACTICE_MAP:
            t, fld = PRACTICE_MAP[col]
            lv = by_type.setdefault(t, Level(t, 0))
            setattr(lv, fld, i)
    order = dict.fromkeys(t for t, _ in PRACTICE_MAP.values())
    return Layout([by_type[t] for t in order if t in by_type],
                  date_col=cols.index(PRACTICE_MAP_DATE), publisher=NHS_DIGITAL)


# NHS Digital has written the extract date as 01Jan2022 and as 01-Sep-20 (2020 releases).
EXTRACT_DATE_FORMATS = ("%d%b%Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d")


def _extract_day(v: str) -> dt.date | None:
    for fmt in EXTRACT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    return None


def extract_date(layout: Layout, records, bad: RowCollector):
    """The one date in the layout's date column ("01Jan2022"), and the rows that give it;
    a row with another date, or none, is rejected."""
    found, kept = None, []
    for line, f in records:
        v = f[layout.date_col].strip()
        d = _extract_day(v)
        if d is None:
            bad.reject(line, f"bad extract date {v!r} (expected e.g. 01Jan2022 or 01-Sep-20)")
            continue
        if found is None:
            found = d
        elif d != found:
            bad.reject(line, f"extract date {d} differs from the file's {found}")
            continue
        kept.append((line, f))
    return (PartialDate.parse(found) if found else None), kept


def level_date(lv: Level, file_name: str, as_at: PartialDate | None) -> PartialDate:
    if as_at is not None:
        return as_at
    if (lv.type, lv.yy) in LEVEL_START:
        y, m = LEVEL_START[(lv.type, lv.yy)]
        return PartialDate.parse(f"{y:04d}-{m:02d}")
    month = 4
    low = file_name.lower()
    for abbr, num in MONTHS.items():
        if re.search(rf"(?<![a-z]){abbr}(?:[a-z]*)(?:\d|_|\b)", low):
            month = num
            break
    return PartialDate.parse(f"{2000 + lv.yy:04d}-{month:02d}")


@dataclass
class ParsedLookup:
    layout: Layout
    records: list[tuple[int, list[str]]] = field(default_factory=list)   # distinct NHS columns


def parse(raw: RawFile, kind: str, *, as_at: PartialDate | None, skip_bad: bool) -> FileResult:
    if kind == "pct-ccg-json":
        return _parse_pct_ccg(raw, as_at=as_at, skip_bad=skip_bad)
    res = FileResult(path=raw.path, kind=kind, source=None)
    bad = RowCollector(res, skip_bad)
    hline, header, it = header_and_rows(raw)
    layout = parse_header(header)
    if layout is None:
        raise BadRow(str(raw.path), hline, f"unknown lookup layout: {','.join(header)}")
    width = len(header)
    recs = list(it)
    last_line = recs[-1][0] if recs else hline
    # Only the NHS levels' columns matter: rows that agree on all of them (30,000 LSOAs in
    # a few hundred CCGs) say the same thing, so the first of each is kept, for its line.
    used = [c for lv in layout.nhs for c in (lv.ons, lv.ods, lv.name) if c is not None]
    if layout.date_col is not None:
        used.append(layout.date_col)      # every row's date is checked
    good = []
    distinct = set()
    areas = _areas.collect(layout)     # LSOA rows: each body's LSOAs, for the crosswalk
    for line, f in recs:
        if len(f) != width:
            err = column_error(raw, line, len(f), str(width), last=line == last_line)
            bad.reject(line, err.args[0].split(": ", 1)[1])
            continue
        if areas is not None:
            why = areas.add(line, f)
            if why:
                bad.reject(line, why)
                continue
        seen = tuple([f[c] for c in used])
        if seen not in distinct:
            distinct.add(seen)
            good.append((line, f))
    res.rows = len(recs)
    if layout.date_col is not None:
        day, good = extract_date(layout, good, bad)
        as_at = as_at or day
        for lv in layout.levels:
            lv.yy = as_at.first.year % 100 if as_at else 0
    dates = {id(lv): level_date(lv, raw.name, as_at) for lv in layout.levels}
    as_of = max(dates.values(), key=lambda d: d.first)
    res.as_of = as_of
    desc = " -> ".join(f"{LEVEL_TITLES.get(lv.type, lv.type)} {2000 + lv.yy}"
                       for lv in layout.levels)
    stem = raw.path.name.rsplit(".", 1)[0]
    pub = layout.publisher
    res.source = SourceIn(
        id=pub.id_prefix + stem, kind="dataset", publisher=pub.name,
        title=f"{pub.title}: {desc} ({as_of})", date=str(as_of), document=raw.name,
        sha256=raw.sha256,
        meta={"file": raw.name, "sha256": raw.sha256, "rows": len(recs), "as_of": str(as_of),
              "columns": header})
    parsed = ParsedLookup(layout, good)

    def build(w, res, parsed=parsed, dates=dates, raw=raw, bad=bad):
        _build(w, res, parsed, dates, raw, bad)
        finish_history(res)
        if areas is not None:
            write_area_sets(w.conn, areas.sets(dates, res.ons_map or {}, res.source.id,
                                               entity_id), w.recorded_at)

    res.build = build
    res.ons_pairs = _ons_pairs(parsed)           # for resolving other files in the batch
    return res


def _ons_pairs(parsed: ParsedLookup) -> dict[str, str]:
    pairs = {}
    for lv in parsed.layout.nhs:
        if lv.ons is None or lv.ods is None or lv.type in LA_LEVELS:
            continue
        for _, f in parsed.records:
            ons, ods = f[lv.ons].strip().upper(), f[lv.ods].strip().upper()
            if ons and ods:
                pairs.setdefault(ons, ods)
    return pairs


def store_ons_map(w) -> dict[str, str]:
    """ONS code -> ODS code, from ons_code statements already held about ods: entities."""
    out = {}
    for sid, val in reads.ons_codes_of_ods_entities(w.conn):
        if val:
            out.setdefault(val.upper(), sid[4:])
    return out


def entity_id(lv: Level, f: list[str], ons_map: dict[str, str]) -> str | None:
    """The entity a level's columns name in a row: ``ods:`` by its ODS code (given, or
    resolved from its ONS code), else ``ons:``; local authorities are always ``ons:``."""
    ons = f[lv.ons].strip().upper() if lv.ons is not None else ""
    ods = f[lv.ods].strip().upper() if lv.ods is not None else ""
    if lv.type in LA_LEVELS:
        return f"ons:{ons}" if ons else None
    if not ods and ons:
        ods = ons_map.get(ons, "")
    if ods:
        return f"ods:{ods}"
    return f"ons:{ons}" if ons else None


def _build(w, res: FileResult, parsed: ParsedLookup, dates, raw: RawFile, bad: RowCollector):
    ons_map = res.ons_map or {}
    sid = res.source.id
    fname = raw.name
    layout = parsed.layout
    nhs = layout.nhs
    seen: set = set()
    note = layout.publisher.name_qualifier
    # Every area of England is in the file (it maps areas, CCGs or practices), so each of
    # its NHS levels lists every body of that level at its date; a trusts-to-STP file
    # lists only the STPs that have trusts, a code history only the codes that changed.
    # Local authorities count only from files of small areas, all English: others (a
    # district-to-county file) hold Wales too.
    complete = not layout.history and not any(lv.type == "nhs_trust" for lv in nhs)
    by_area = any(lv.type in AREA_LEVELS for lv in layout.levels)

    def cite(line, f, cols):
        return (CitationIn(source_id=sid, method=METHOD, file=fname, row=line,
                           quote=quote_of(f[c] for c in cols if c is not None)),)

    def ent(lv: Level, f) -> str | None:
        return entity_id(lv, f, ons_map)

    for line, f in parsed.records:
        ids = {}
        # A row is all or nothing: what it says is kept only if every part of it is good.
        row_sts, row_ents, row_keys, row_lists, failed = [], [], [], [], False
        for lv in nhs:
            oid = ent(lv, f)
            if lv.org_type == "nhse_region" and oid is not None and oid.startswith("ods:") \
                    and not oid.startswith("ods:Y"):
                oid = None   # Welsh trusts' "region" W00: NHS England's regions are Y codes
            ids[id(lv)] = oid
            if oid is None:
                continue
            name = " ".join(f[lv.name].split()) if lv.name is not None else ""
            ons = f[lv.ons].strip().upper() if lv.ons is not None else ""
            ods = f[lv.ods].strip().upper() if lv.ods is not None else ""
            key = (oid, lv.type, lv.yy, name, ons, ods)
            if key in seen:
                continue
            row_keys.append(key)
            d = dates[id(lv)]
            c = cite(line, f, (lv.ons, lv.ods, lv.name))
            try:
                row_ents.append((oid, name or None))
                if name:
                    # A lookup's name (ONS's "Bexley", "Bath and North East Somerset") is not
                    # the organisation's official name: on ODS organisations it is an alias
                    # (still searched by resolve); only ons:-only entities take it as name.
                    if oid.startswith("ods:"):
                        row_sts.append(StatementIn.trusted(oid, "alias", c, value=name, valid_from=d,
                                                    qualifiers={note: True}))
                    else:
                        row_sts.append(StatementIn.trusted(oid, "name", c, value=name, valid_from=d))
                if ons:
                    row_sts.append(StatementIn.trusted(oid, "ons_code", c, value=ons, valid_from=d))
                if ods:
                    row_sts.append(StatementIn.trusted(oid, "ods_code", c, value=ods, valid_from=d))
                t = lv.org_type
                if t == "pct" and oid.startswith("ods:T"):
                    t = "care_trust"        # a care trust with PCT functions (TAK, TAP…)
                if t:
                    end = ERA_END.get(t)
                    if complete and (lv.type not in LA_LEVELS or by_area):
                        level = "ltla" if lv.type == "lad" else lv.type
                        row_lists.append(((level, t, d.first), oid))
                    if end is not None and end > d.first:
                        row_sts.append(StatementIn.trusted(oid, "org_type", c, value=t, valid_from=d,
                                            valid_to=end, qualifiers=ERA_END_DERIVED))
                    else:
                        row_sts.append(StatementIn.trusted(oid, "org_type", c, value=t, valid_from=d))
            except NhsgraphError as exc:
                bad.reject(line, f"{oid}: {exc}")
                failed = True
                break
        if failed:
            continue
        seen.update(row_keys)
        for oid, label in row_ents:
            res.entity(oid, label)
        res.statements.extend(row_sts)
        for listing, oid in row_lists:
            res.listed.setdefault(listing, set()).add(oid)
        if layout.history:
            _history(res, nhs, ids, f, line, dates, cite, seen)
            continue
        # Parent links between consecutive NHS levels (local authorities link only to
        # local authorities).
        chain = [lv for lv in nhs if lv.type not in ("nhs_trust",)]
        for child, parent in zip(chain, chain[1:]):
            if (child.type in LA_LEVELS) != (parent.type in LA_LEVELS):
                continue
            a, b = ids[id(child)], ids[id(parent)]
            if not a or not b or a == b:
                continue
            pred = "member_of" if (child.type, parent.type) in MEMBERSHIPS else "accountable_to"
            key = (a, pred, b)
            if key in seen:
                continue
            seen.add(key)
            c = cite(line, f, (child.ons, child.ods, parent.ons, parent.ods, parent.name))
            res.add(StatementIn.trusted(a, pred, c, object=b, valid_from=dates[id(child)]))
        # CCG -> ICB on 1 July 2022: the CCG (kept as a sub-ICB location) was abolished
        # and its area passed to the ICB.
        for child, parent in zip(chain, chain[1:]):
            if (child.type, child.yy, parent.type) == ("sicbl", 22, "icb"):
                a, b = ids[id(child)], ids[id(parent)]
                if a and b and (a, "ccg-icb", b) not in seen:
                    seen.add((a, "ccg-icb", b))
                    c = cite(line, f, (child.ons, child.ods, parent.ods, parent.name))
                    res.add(StatementIn.trusted(a, "succeeded_by", c, object=b, valid_from=ICB_DAY,
                                        qualifiers={"change": "abolition", "derived": True,
                                                    "basis": "CCG area within ICB (ONS lookup)"}))


def _history(res, levels, ids, f, line, dates, cite, seen):
    """One row per lineage across years: a changed code is a succession."""
    for old, new in zip(levels, levels[1:]):
        a, b = ids[id(old)], ids[id(new)]
        if not a or not b or a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        res.pending_history.append((a, b, dates[id(new)], cite(line, f, (old.ons, new.ons,
                                                                           new.name))))


def finish_history(res: FileResult) -> None:
    """Classify code-history successions once the whole file is read."""
    items = res.pending_history
    if not items:
        return
    olds, news = defaultdict(set), defaultdict(set)
    for a, b, d, _ in items:
        olds[(b, d.first)].add(a)
        news[(a, d.first)].add(b)
    for a, b, d, c in items:
        change = ("split" if len(news[(a, d.first)]) > 1 else
                  "merge" if len(olds[(b, d.first)]) > 1 else "recode")
        res.add(StatementIn.trusted(a, "succeeded_by", c, object=b, valid_from=d,
                            qualifiers={"change": change}))


def _parse_pct_ccg(raw: RawFile, *, as_at, skip_bad) -> FileResult:
    """PCT (2012) -> CCG (2013) with postcode shares: derived abolition successions."""
    res = FileResult(path=raw.path, kind="pct-ccg-json", source=None)
    bad = RowCollector(res, skip_bad)
    try:
        data = json.loads(raw.text)
    except json.JSONDecodeError as exc:
        raise BadRow(str(raw.path), exc.lineno, f"bad JSON: {exc.msg}") from None
    if not isinstance(data, list):
        raise BadRow(str(raw.path), 1, "expected a JSON list of PCT objects")
    # The line of each object's "-id", for citations.
    lines = [i + 1 for i, ln in enumerate(raw.text.splitlines()) if '"-id"' in ln]
    day = as_at or PartialDate.parse(PCT_CCG_DAY)
    sid = "src:derived:pct12-ccg13"
    res.source = SourceIn(
        id=sid, kind="dataset", title="PCT (2012) to CCG (2013) lookup with postcode shares "
        "(elahmo/dsfood ccg2ons; provenance undocumented, looks like ONS/NHSPD)",
        date="2017-01", document=raw.name, sha256=raw.sha256,
        meta={"file": raw.name, "sha256": raw.sha256, "rows": len(data), "unverified": True})
    res.rows = len(data)
    for i, obj in enumerate(data):
        line = lines[i] if i < len(lines) else 1
        try:
            pct = str(obj["nhscode"]).strip().upper()
            ccgs = obj["CCG"]
            ccgs = [ccgs] if isinstance(ccgs, dict) else list(ccgs)
            for ccg in ccgs:
                code = str(ccg["code"]).strip().upper()
                share = float(ccg.get("pcd_percent") or 0)
                q = {"change": "abolition", "derived": True, "postcode_share": share}
                c = (CitationIn(source_id=sid, method="import:derived", file=raw.name, row=line,
                                locator=f"$[{i}]",
                                quote=quote_of([pct, str(obj.get("name", "")), "->", code,
                                                f"{share}%"])),)
                res.add(StatementIn.trusted(f"ods:{pct}", "succeeded_by", c, object=f"ods:{code}",
                                    valid_from=day, qualifiers=q))
                res.entity(f"ods:{pct}")
                res.entity(f"ods:{code}")
        except (KeyError, TypeError, ValueError, NhsgraphError) as exc:
            bad.reject(line, f"PCT object {i}: {exc!r}")
    return res


def looks_like_pct_ccg_json(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("[") and '"nhscode"' in head and '"CCG"' in head
