"""NHS ODS legacy CSV extracts (the headerless "standard 27 field format").

Kinds: ``etr`` (NHS trusts), ``ect`` (care trusts), ``eccg`` (CCGs, sub-ICB locations,
commissioning hubs, sub-ICB reporting entities), ``eauth`` (NHS England regions and local
offices, government office regions), ``epraccur`` (GP practices and other prescribing
cost centres, with their commissioner and join date). The 24-field variant with trailing
empty fields trimmed (jah-photoshop etr.csv) is read too.

Each row becomes dated statements about ``ods:<CODE>``: name, org_type, ods_code (open
date .. close date), postcode and the parent link (seen at the release date), each citing
the release (``src:ods:<kind>:<as-of>``) with file, line and a short quote.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nhsgraph.errors import NhsgraphError
from nhsgraph.importers.common import (FileResult, RowCollector, date_from_name, ods_date,
                                       quote_of)
from nhsgraph.importers.reader import RawFile, column_error, rows
from nhsgraph.model.dates import PartialDate
from nhsgraph.model.names import conventional_case
from nhsgraph.model.predicates import MACHINE_CASED, ODS_NAME
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

ODS_KINDS = ("etr", "ect", "eccg", "eauth", "epraccur")
FIELD_COUNTS = (27, 24)     # the standard format; trailing empties trimmed
METHOD = "import:ods"
ICB_DAY = dt.date(2022, 7, 1)   # ICBs established; CCG codes kept as sub-ICB locations
LOCAL_OFFICE_DAY = dt.date(2015, 4, 1)   # NHS England area teams became local offices
GP_PRACTICE_ROLE = "RO76"     # ODS role code of a GP practice (epraccur from 2026)

# The standard 27-field layout (ODS etr.pdf), 0-based, by what each field holds; the 24-field
# variant is the same with the trailing empties trimmed. In epraccur, 13 holds the status
# (A/C/D/P; ACTIVE/INACTIVE/DORMANT from 2026), 15 the commissioner and 16 the date the
# practice joined it, 26 the prescribing setting (4) or, from 2026, the role code (RO76);
# in eccg, 14 the sub-type (C, H) or, in the ICB era, the non-primary role codes.
COLUMNS = {"code": 0, "name": 1, "national_grouping": 2, "high_level_geography": 3,
           "postcode": 9, "open_date": 10, "close_date": 11, "status": 12, "subtype": 13,
           "commissioner": 14, "joined": 15, "left": 16, "setting": 25}
SUB_ICB_ROLE = "RO319"


def col(f: list[str], name: str) -> str:
    """A row's field by name (see COLUMNS), stripped; empty where the row is shorter."""
    i = COLUMNS[name]
    return f[i].strip() if len(f) > i else ""


TITLES = {
    "etr": "NHS ODS etr: NHS trusts",
    "ect": "NHS ODS ect: care trusts",
    "eccg": "NHS ODS eccg: clinical commissioning groups and sub-ICB locations",
    "eauth": "NHS ODS eauth: NHS England regions and local offices",
    "epraccur": "NHS ODS epraccur: GP practices and prescribing cost centres",
}


def kind_from_name(name: str) -> str | None:
    stem = Path(name.split("!")[-1]).name.lower()
    for kind in ("epraccur", "epcmem", "eccg", "eauth", "etr", "ect", "succarc", "succ"):
        if stem.startswith(kind):
            return kind
    return None


def looks_like_ods(first: list[str]) -> bool:
    """A headerless ODS row: a code, a name, and an 8-digit open date or blank in field 11."""
    if len(first) not in FIELD_COUNTS and not (10 <= len(first) <= 27):
        return False
    code = first[0].strip()
    if not code or not code.replace(" ", "").isalnum() or code.isdigit() and len(code) > 6:
        return False
    if code.lower() in ("code", "organisation code", "org_code"):
        return False
    opened = first[10].strip() if len(first) > 10 else ""
    return opened == "" or (len(opened) == 8 and opened.isdigit())


def guess_kind(first: list[str]) -> str | None:
    """Which extract an unnamed 27-field file is, from its first row."""
    if len(first) >= 26 and first[25].strip() and first[14].strip():
        return "epraccur"
    return None


def _org_types(kind: str, f: list[str], code: str, opened: dt.date | None,
               closed: dt.date | None, as_of: PartialDate | None = None,
               name: str = "") -> list[tuple[str, dt.date | None, dt.date | None, dict]]:
    """(org_type, from, to, qualifiers) for one row."""
    if kind == "etr":
        if "FOUNDATION TRUST" in name.upper():
            # The file does not say when the trust was authorised as an FT (or whether it
            # was an NHS trust before): it is an FT from the release date (its name then)
            # and nothing is claimed before. Closed before the release: an FT on its last day.
            q = {"basis": "name in release"}
            frm = as_of.first if as_of is not None else None
            if opened and (frm is None or opened > frm):
                frm = opened
            if closed and (frm is None or frm >= closed):
                frm = closed - dt.timedelta(days=1)
            return [("foundation_trust", frm, closed, q)]
        return [("nhs_trust", opened, closed, {})]
    if kind == "ect":
        return [("care_trust", opened, closed, {})]
    if kind == "epraccur":
        # Field 26: the prescribing setting (4 = GP practice) until 2025; from the 2026
        # layout, the ODS role code(s) (RO76 = GP practice), '|'-separated.
        setting = col(f, "setting")
        roles = setting.split("|")
        if setting == "4" or GP_PRACTICE_ROLE in roles:
            return [("gp_practice", opened, closed, {})]
        if setting.startswith("RO"):
            return [("other", opened, closed, {"role": setting})]
        return [("other", opened, closed, {"prescribing_setting": setting or "unknown"})]
    if kind == "eauth":
        if len(code) == 1:
            return [("other", opened, closed, {"ods_type": "government_office_region"})]
        if code.startswith("Q"):
            if opened is not None and opened < LOCAL_OFFICE_DAY and \
                    (closed is None or closed > LOCAL_OFFICE_DAY):
                return [("area_team", opened, LOCAL_OFFICE_DAY, {"derived": True}),
                        ("local_office", LOCAL_OFFICE_DAY, closed, {})]
            if opened is not None and opened < LOCAL_OFFICE_DAY:
                return [("area_team", opened, closed, {"derived": True})]
            return [("local_office", opened, closed, {})]
        if code.startswith("Y"):
            t = "commissioning_region" if code <= "Y59" else "nhse_region"
            return [(t, opened, closed, {})]
        return [("other", opened, closed, {})]
    # eccg: field 14 is the sub-type (C, H) in older files, non-primary role codes later.
    sub = col(f, "subtype")
    roles = [r for r in sub.split("|") if r]
    if sub == "H" or "RO218" in roles:
        return [("commissioning_hub", opened, closed, {"role": sub} if roles else {})]
    if "RO327" in roles:
        return [("other", opened, closed, {"role": sub, "ods_type": "sub_icb_reporting_entity"})]
    if SUB_ICB_ROLE in roles:
        if opened is None or opened < ICB_DAY:
            return [("ccg", opened, ICB_DAY, {"derived": True}),
                    ("sub_icb_location", ICB_DAY, closed, {"role": sub})]
        return [("sub_icb_location", opened, closed, {"role": sub})]
    return [("ccg", opened, closed, {})]


def _parent(kind: str, f: list[str], code: str) -> tuple[str, str, str | None, str | None] | None:
    """(predicate, parent code, from-date field, basis) for the row's parent link."""
    if kind == "epraccur":
        comm = col(f, "commissioner")
        return ("member_of", comm, col(f, "joined"), None) if comm else None
    if kind == "eauth":
        reg = col(f, "national_grouping")
        if code.startswith("Q") and reg:
            return ("accountable_to", reg, None, "snapshot")
        return None
    hl = col(f, "high_level_geography")
    if not hl:
        return None
    if kind == "eccg":
        return ("accountable_to", hl, None, "snapshot")
    return ("member_of", hl, None, "snapshot")      # trusts: geography (STP / ICB)


def parse(raw: RawFile, kind: str, *, as_at: PartialDate | None, skip_bad: bool) -> FileResult:
    path = raw.path
    res = FileResult(path=path, kind=kind, source=None)
    bad = RowCollector(res, skip_bad)
    records = list(rows(raw))
    if not records:
        bad.reject(1, "no rows")
        return res
    width = len(records[0][1])
    # Decide the row width once: the standard 27, or the trimmed 24 variant.
    if width not in FIELD_COUNTS:
        raise column_error(raw, records[0][0], width, "27 (ODS standard format) or 24",
                           last=len(records) == 1)
    parsed = []
    latest: dt.date | None = None
    last_line = records[-1][0]
    for line, f in records:
        if len(f) != width:
            err = column_error(raw, line, len(f), str(width), last=line == last_line)
            bad.reject(line, err.args[0].split(": ", 1)[1])
            continue
        code = col(f, "code").upper()
        name = " ".join(col(f, "name").split())
        if not code or not code.isalnum():
            bad.reject(line, f"bad organisation code {f[COLUMNS['code']]!r}")
            continue
        if not name:
            bad.reject(line, f"{code}: no name")
            continue
        try:
            opened, closed = ods_date(col(f, "open_date")), ods_date(col(f, "close_date"))
            if kind == "epraccur":
                ods_date(col(f, "joined"))     # checked here, read by _parent
        except ValueError as exc:
            bad.reject(line, f"{code}: {exc}")
            continue
        if opened and closed and closed < opened:
            bad.reject(line, f"{code}: closes ({closed}) before it opens ({opened})")
            continue
        for d in (opened, closed):
            if d and (latest is None or d > latest):
                latest = d
        parsed.append((line, f, code, name, opened, closed))
    res.rows = len(records)
    # The release date: --as-at, else the file name, else the latest date in it.
    as_of = as_at or date_from_name(raw.name) or (PartialDate.parse(latest) if latest else None)
    res.as_of = as_of
    label = str(as_of) if as_of else "undated"
    sid = f"src:ods:{kind}:{label}"
    res.series = f"src:ods:{kind}:"
    res.source = SourceIn(
        id=sid, title=f"{TITLES[kind]} ({label})", kind="dataset", publisher="NHS England ODS",
        date=str(as_of) if as_of else None, document=raw.name, sha256=raw.sha256,
        meta={"file": raw.name, "sha256": raw.sha256, "rows": len(records), "fields": width,
              "as_of": label, "as_of_from": "as_at" if as_at else
              ("file name" if date_from_name(raw.name) else "latest date in file"),
              "encoding": raw.encoding})
    fname = raw.name
    for line, f, code, name, opened, closed in parsed:
        try:
            _row(res, kind, f, line, code, name, opened, closed, as_of, sid, fname)
        except NhsgraphError as exc:
            bad.reject(line, f"{code}: {exc}")
    return res


def _row(res, kind, f, line, code, name, opened, closed, as_of, sid, fname):
    oid = f"ods:{code}"
    cite = (CitationIn(source_id=sid, method=METHOD, file=fname, row=line,
                       quote=quote_of([code, name, col(f, "open_date"),
                                        col(f, "close_date")])),)
    name_from = opened
    if kind == "eccg" and SUB_ICB_ROLE in col(f, "subtype").split("|") and \
            (opened is None or opened < ICB_DAY) and (closed is None or closed > ICB_DAY):
        # "NHS <ICB> ICB - <code>": sub-ICB locations were so named when ICBs were set up.
        name_from = ICB_DAY
    # ODS capitals are shown in the conventional case; the official string stays an alias.
    cased = conventional_case(name)
    sts = [
        StatementIn.trusted(oid, "name", cite, value=cased, valid_from=name_from, valid_to=closed,
                            qualifiers=MACHINE_CASED if cased != name else {}),
        StatementIn.trusted(oid, "ods_code", cite, value=code, valid_from=opened, valid_to=closed),
    ]
    if cased != name:
        sts.append(StatementIn.trusted(oid, "alias", cite, value=name, valid_from=name_from,
                                       valid_to=closed, qualifiers=ODS_NAME))
    for t, frm, to, q in _org_types(kind, f, code, opened, closed, as_of, name):
        if frm and to and to < frm:
            continue
        sts.append(StatementIn.trusted(oid, "org_type", cite, value=t, valid_from=frm, valid_to=to,
                               qualifiers=q))
    # Seen at the release date: valid from then (or from opening, if later), until closure.
    seen_from = as_of
    if opened and (seen_from is None or opened > seen_from.first):
        seen_from = PartialDate.parse(opened)
    alive_at_release = closed is None or (seen_from is not None and closed > seen_from.first)
    postcode = " ".join(col(f, "postcode").split()).upper()
    if postcode and alive_at_release:
        sts.append(StatementIn.trusted(oid, "postcode", cite, value=postcode, valid_from=seen_from,
                               valid_to=closed, qualifiers={"basis": "snapshot"}))
    parent = _parent(kind, f, code)
    pid = None
    if parent:
        pred, pcode, from_field, basis = parent
        pcode = pcode.upper()
        if pcode.isalnum() and pcode != code:
            pid = f"ods:{pcode}"
            if basis == "snapshot":
                q = {"basis": "snapshot"}
                link_from = seen_from
                if kind == "eccg" and SUB_ICB_ROLE in col(f, "subtype").split("|") \
                        and seen_from is not None and seen_from.first > ICB_DAY:
                    # A sub-ICB location's ICB: held since the ICBs were established (or
                    # since it opened), not only since this release.
                    link_from = PartialDate.parse(max(opened or ICB_DAY, ICB_DAY))
                    q = {"basis": "snapshot", "since": "ICB establishment"}
                if alive_at_release:
                    sts.append(StatementIn.trusted(oid, pred, cite, object=pid, valid_from=link_from,
                                           valid_to=closed, qualifiers=q))
                else:
                    pid = None
            else:
                joined = ods_date(from_field) if from_field else None
                if joined and closed and closed < joined:
                    joined = None
                sts.append(StatementIn.trusted(oid, pred, cite, object=pid, valid_from=joined,
                                       valid_to=closed))
    res.entity(oid, cased)
    if pid:
        res.entity(pid)
    res.row_subjects.add(oid)
    if closed:
        res.closed[oid] = PartialDate.parse(closed)
    res.statements.extend(sts)
