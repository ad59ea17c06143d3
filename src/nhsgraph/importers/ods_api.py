"""ODS API records as a user saves them: ORD API v2-0-0 organisation records
(``{"Organisation": {...}}``) and the ODS FHIR API's ``Organization`` and
``OrganizationAffiliation`` resources, alone or in a FHIR ``Bundle``.

Layout: ORD ``Name``, ``OrgId.extension``, ``Status``, ``Date[{Type, Start, End}]``,
``Roles.Role[{id, primaryRole, Date}]``, ``Rels.Rel[{id, Date, Target{OrgId, PrimaryRoleId}}]``,
``Succs.Succ[{Type, Date, Target}]`` (see ../shared/docs/ods.md §2–5). Legal dates are used
when given, else Operational (ods.md §2). Each record becomes dated statements about
``ods:<CODE>`` citing the file (``src:ods-api:<file>:<as-of>``) and the record's JSON path.
"""

from __future__ import annotations

import datetime as dt
import json

from nhsgraph.errors import BadInput, NhsgraphError
from nhsgraph.importers import successions as _succ
from nhsgraph.importers.common import FileResult, RowCollector, date_from_name, quote_of
from nhsgraph.importers.reader import RawFile
from nhsgraph.model.dates import PartialDate
from nhsgraph.model.names import conventional_case
from nhsgraph.model.predicates import MACHINE_CASED, ODS_NAME
from nhsgraph.model.statements import CitationIn, SourceIn, StatementIn

KIND = "ods-api"
METHOD = "import:ods-api"
ORD_KEYS = {"Name", "Date", "OrgId", "Status", "LastChangeDate", "orgRecordClass",
            "GeoLoc", "Contacts", "Roles", "Rels", "Succs", "refOnly"}
FHIR_TYPES = {"Organization", "OrganizationAffiliation", "Bundle"}
# Primary role -> org type (ods.md §3; the same codes importers/ods.py reads in the CSVs).
PRIMARY_TYPES = {"RO197": "nhs_trust", "RO107": "care_trust", "RO179": "pct",
                 "RO98": "ccg", "RO261": "stp", "RO209": "nhse_region",
                 "RO210": "local_office", "RO213": "csu", "RO272": "pcn",
                 "RO141": "local_authority"}
# Non-primary roles that refine the type while they are held.
REFINED = {"RO57": "foundation_trust", "RO319": "sub_icb_location", "RO318": "icb",
           "RO218": "commissioning_hub", "RO76": "gp_practice"}
# Relationship -> predicate (as the CSV importers map the same links: a practice's
# commissioner and a trust's geography are member_of; a SICBL's ICB is accountable_to).
RELS = {"RE4": "member_of", "RE5": "member_of", "RE2": "accountable_to", "RE8": "member_of"}
ACCOUNTABLE_FROM = {"RO98"}      # an RE5 from a CCG/SICBL record is its ICB: accountable_to


def looks_like_ods_api(text: str) -> bool:
    """Whether JSON text is meant as an ODS API record (decided on its top-level keys)."""
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    return isinstance(doc, dict) and ("Organisation" in doc or
                                      doc.get("resourceType") in FHIR_TYPES)


def refuse(raw: RawFile) -> None:
    """Refuse a JSON object that is not an ODS API record, naming its first key."""
    try:
        doc = json.loads(raw.text)
    except ValueError:
        return
    if isinstance(doc, dict):
        list(_records(doc, raw.path))


class _Bad(NhsgraphError):
    pass


def _date(value, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _Bad(f"{where}: not a date: {value!r} (expected YYYY-MM-DD)") from None


def _span(dates, where: str) -> tuple[dt.date | None, dt.date | None, str | None]:
    """(start, end, date type) from an ORD Date list: Legal if given, else Operational."""
    if not dates:
        return None, None, None
    if not isinstance(dates, list):
        raise _Bad(f"{where}: expected a list of {{Type, Start, End}}")
    by_type = {}
    for i, d in enumerate(dates):
        if not isinstance(d, dict):
            raise _Bad(f"{where}[{i}]: expected {{Type, Start, End}}")
        by_type[d.get("Type")] = (i, d)
    for t in ("Legal", "Operational"):
        if t in by_type:
            i, d = by_type[t]
            return (_date(d.get("Start"), f"{where}[{i}].Start"),
                    _date(d.get("End"), f"{where}[{i}].End"), t)
    return None, None, None


def _code(obj, where: str) -> str:
    ext = (obj or {}).get("OrgId", {}).get("extension") if isinstance(obj, dict) else None
    code = str(ext or "").strip().upper()
    if not code.isalnum():
        raise _Bad(f"{where}.OrgId.extension: bad organisation code {ext!r}")
    return code


def parse(raw: RawFile, kind: str = KIND, *, as_at: PartialDate | None,
          skip_bad: bool) -> FileResult:
    path = raw.path
    try:
        doc = json.loads(raw.text)
    except ValueError as exc:
        raise BadInput(f"{path}: not JSON: {exc}") from None
    records = list(_records(doc, path))
    res = FileResult(path=path, kind=kind, source=None)
    bad = RowCollector(res, skip_bad)
    res.rows = len(records)
    as_of = as_at or date_from_name(raw.name)
    if as_of is None:
        changed = [r.get("LastChangeDate") for _, r, _ in records if r.get("LastChangeDate")]
        try:
            as_of = PartialDate.parse(max(changed)) if changed else None
        except NhsgraphError:
            as_of = None
    res.as_of = as_of
    label = str(as_of) if as_of else "undated"
    sid = f"src:ods-api:{raw.name.rsplit('.', 1)[0].lower()}:{label}"
    res.source = SourceIn(
        id=sid, kind="dataset", publisher="NHS England ODS", date=str(as_of) if as_of else None,
        title=f"ODS API records saved as {raw.name} ({label})", document=raw.name,
        sha256=raw.sha256, meta={"file": raw.name, "sha256": raw.sha256,
                                 "records": len(records), "as_of": label})
    succs: list = []
    for n, (where, rec, fmt) in enumerate(records, 1):
        try:
            if fmt == "ord":
                _ord(res, rec, where, sid, raw.name, n, succs)
            elif fmt == "Organization":
                _fhir_org(res, rec, where, sid, raw.name, n)
            else:
                _fhir_aff(res, rec, where, sid, raw.name, n)
        except _Bad as exc:
            bad.reject(n, str(exc))
        except NhsgraphError as exc:
            bad.reject(n, f"{where}: {exc}")
    _successions(res, succs)
    return res


def _successions(res, succs):
    """Succs as succeeded_by, typed by the successor files' classification."""
    seen, rows = set(), []
    for old, new, day, cite in succs:
        if day is None or (old, new, day) in seen:
            continue
        seen.add((old, new, day))
        rows.append((_succ._Row(cite[0].row, old, new, day, None, None, None, None, None,
                                [old, new, str(day)]), cite))
    for (r, cite), q in zip(rows, _succ.classify([r for r, _ in rows])):
        res.statements.append(StatementIn.trusted(f"ods:{r.old}", "succeeded_by", cite,
                                                  object=f"ods:{r.new}", valid_from=r.day,
                                                  qualifiers=q))


def _fhir_org(res, rec, where, sid, fname, n):
    ids = [i for i in rec.get("identifier") or [] if isinstance(i, dict)]
    code = str((ids[0].get("value") if ids else rec.get("id")) or "").strip().upper()
    if not code.isalnum():
        raise _Bad(f"{where}.identifier[0].value: bad organisation code {code!r}")
    name = " ".join(str(rec.get("name") or "").split())
    if not name:
        raise _Bad(f"{where}.name: no name")
    oid = f"ods:{code}"
    cite = _cite(sid, fname, n, where, [code, name])
    sts, cased = _names(oid, name, cite, None, None)
    sts.append(StatementIn.trusted(oid, "ods_code", cite, value=code))
    res.entity(oid, cased)
    res.row_subjects.add(oid)
    res.statements.extend(sts)


def _fhir_aff(res, rec, where, sid, fname, n):
    def ref(key):
        r = rec.get(key) or {}
        v = (r.get("identifier") or {}).get("value") or str(r.get("reference") or "").rsplit("/", 1)[-1]
        v = str(v).strip().upper()
        if not v.isalnum():
            raise _Bad(f"{where}.{key}: bad organisation reference {r!r}")
        return v
    parent, child = ref("organization"), ref("participatingOrganization")
    period = rec.get("period") or {}
    frm = _date(period.get("start"), f"{where}.period.start")
    to = _date(period.get("end"), f"{where}.period.end")
    codes = [c.get("code") for cc in rec.get("code") or [] for c in cc.get("coding") or []]
    rel = next((c for c in codes if c in RELS), None)
    if rel is None:
        return
    cite = _cite(sid, fname, n, where, [child, rel, parent])
    res.statements.append(StatementIn.trusted(f"ods:{child}", RELS[rel], cite,
                                              object=f"ods:{parent}", valid_from=frm,
                                              valid_to=to, qualifiers={"rel": rel}))
    res.entity(f"ods:{child}")
    res.entity(f"ods:{parent}")


def _records(doc, path):
    """(JSON path, record, format) for each record; anything else is refused by its key."""
    if not isinstance(doc, dict):
        raise BadInput(f"{path}: not an ODS API record: expected a JSON object")
    if "Organisation" in doc:
        org = doc["Organisation"]
        if not isinstance(org, dict):
            raise BadInput(f"{path}: $.Organisation: expected an object")
        for k in org:
            if k not in ORD_KEYS:
                raise BadInput(f"{path}: not an ODS ORD record: unexpected key "
                               f"$.Organisation.{k}")
        yield "$.Organisation", org, "ord"
        return
    rt = doc.get("resourceType")
    if rt is None:
        first = next(iter(doc), None)
        raise BadInput(f"{path}: not an ODS API record: unexpected key {first!r} (expected "
                       "'Organisation' or a FHIR resourceType)")
    if rt not in FHIR_TYPES:
        raise BadInput(f"{path}: not an ODS API record: unexpected resourceType {rt!r}")
    if rt != "Bundle":
        yield "$", doc, rt
        return
    for i, e in enumerate(doc.get("entry") or []):
        r = e.get("resource") if isinstance(e, dict) else None
        t = r.get("resourceType") if isinstance(r, dict) else None
        if t in ("Organization", "OrganizationAffiliation"):
            yield f"$.entry[{i}].resource", r, t
        elif t is not None:
            raise BadInput(f"{path}: $.entry[{i}].resource: unexpected resourceType {t!r}")


def _cite(sid, fname, n, where, words):
    return (CitationIn(source_id=sid, method=METHOD, file=fname, row=n,
                       quote=quote_of(words), locator=where),)


def _names(oid, name, cite, frm, to):
    cased = conventional_case(name)
    out = [StatementIn.trusted(oid, "name", cite, value=cased, valid_from=frm, valid_to=to,
                               qualifiers=MACHINE_CASED if cased != name else {})]
    if cased != name:
        out.append(StatementIn.trusted(oid, "alias", cite, value=name, valid_from=frm,
                                       valid_to=to, qualifiers=ODS_NAME))
    return out, cased


def _ord(res, org, where, sid, fname, n, succs):
    code = _code(org, where)
    oid = f"ods:{code}"
    name = " ".join(str(org.get("Name") or "").split())
    if not name:
        raise _Bad(f"{where}.Name: no name")
    opened, closed, dtype = _span(org.get("Date"), f"{where}.Date")
    if opened and closed and closed < opened:
        raise _Bad(f"{where}.Date: closes ({closed}) before it opens ({opened})")
    cite = _cite(sid, fname, n, where, [code, name, str(opened or ""), str(closed or "")])
    q = {"date_type": dtype} if dtype else {}
    sts, cased = _names(oid, name, cite, opened, closed)
    sts.append(StatementIn.trusted(oid, "ods_code", cite, value=code, valid_from=opened,
                                   valid_to=closed, qualifiers=q))
    roles = (org.get("Roles") or {}).get("Role") or []
    primary = None
    for i, r in enumerate(roles):
        rw = f"{where}.Roles.Role[{i}]"
        rid = str(r.get("id") or "")
        frm, to, _ = _span(r.get("Date"), f"{rw}.Date")
        if r.get("primaryRole"):
            primary = rid
            t = PRIMARY_TYPES.get(rid)
            if t is None and not any(x.get("id") in REFINED for x in roles):
                t = "other"
            if t:
                sts.append(StatementIn.trusted(oid, "org_type", cite, value=t, valid_from=frm,
                                               valid_to=to, qualifiers={"role": rid}))
        elif rid in REFINED:
            sts.append(StatementIn.trusted(oid, "org_type", cite, value=REFINED[rid],
                                           valid_from=frm, valid_to=to,
                                           qualifiers={"role": rid}))
    for i, rel in enumerate((org.get("Rels") or {}).get("Rel") or []):
        rw = f"{where}.Rels.Rel[{i}]"
        pred = RELS.get(str(rel.get("id") or ""))
        if pred is None:
            continue
        target = _code(rel.get("Target"), f"{rw}.Target")
        if rel.get("id") == "RE5" and primary in ACCOUNTABLE_FROM:
            pred = "accountable_to"
        frm, to, dt_ = _span(rel.get("Date"), f"{rw}.Date")
        qq = {"rel": rel["id"]}
        if dt_:
            qq["date_type"] = dt_
        if rel["id"] == "RE5":
            qq["basis"] = "geography"
        sts.append(StatementIn.trusted(oid, pred, cite, object=f"ods:{target}", valid_from=frm,
                                       valid_to=to, qualifiers=qq))
        res.entity(f"ods:{target}")
    for i, s in enumerate((org.get("Succs") or {}).get("Succ") or []):
        sw = f"{where}.Succs.Succ[{i}]"
        target = _code(s.get("Target"), f"{sw}.Target")
        day, _, _ = _span(s.get("Date"), f"{sw}.Date")
        typ = str(s.get("Type") or "")
        if typ not in ("Successor", "Predecessor"):
            raise _Bad(f"{sw}.Type: expected Successor or Predecessor, got {typ!r}")
        old, new = (code, target) if typ == "Successor" else (target, code)
        succs.append((old, new, day, cite))
        res.entity(f"ods:{target}")
    res.entity(oid, cased)
    res.row_subjects.add(oid)
    if closed:
        res.closed[oid] = PartialDate.parse(closed)
    res.statements.extend(sts)
