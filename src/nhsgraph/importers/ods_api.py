"""ODS API records as a user saves them: ORD API v2-0-0 organisation records
(``{"Organisation": {...}}``) and the ODS FHIR API's ``Organization`` and
``OrganizationAffiliation`` resources, alone or in a FHIR ``Bundle``.

Both layouts are read into one shape (``ods_api_formats``), so the two routes give the same
facts for the same organisation. Legal dates are used when given, else Operational (ods.md
§2). Each record becomes dated statements about ``ods:<CODE>`` citing the file
(``src:ods-api:<file>:<as-of>``) and the record's JSON path.
"""

from __future__ import annotations

import datetime as dt
import json

from nhsgraph.errors import BadInput, NhsgraphError
from nhsgraph.importers import ods_api_formats as fmt
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
# Primary role -> org type (ods.md §3; the same types importers/ods.py gives the CSVs' rows),
# with the qualifiers the CSV route puts on the same kinds of body.
PRIMARY_TYPES = {"RO197": "nhs_trust", "RO107": "care_trust", "RO179": "pct",
                 "RO98": "ccg", "RO261": "stp", "RO209": "nhse_region",
                 "RO210": "local_office", "RO213": "csu", "RO272": "pcn",
                 "RO141": "local_authority", "RO189": "national_body",
                 "RO172": "provider_other", "RO128": "other", "RO198": "other",
                 "RO176": "other", "RO177": "other"}
PRIMARY_QUALIFIERS = {"RO128": {"ods_type": "government_office_region"},
                      "RO198": {"ods_type": "site"}, "RO176": {"ods_type": "site"}}
# Non-primary roles that refine the type while they are held (the primary role's type holds
# outside them: an STP code is an ICB from its RO318 role's start).
REFINED = {"RO57": "foundation_trust", "RO319": "sub_icb_location", "RO318": "icb",
           "RO218": "commissioning_hub", "RO76": "gp_practice", "RO262": "stp",
           "RO327": "other"}
REFINED_QUALIFIERS = {"RO327": {"ods_type": "sub_icb_reporting_entity"}}
NON_PRIMARY = set(REFINED) | {"RO326"}
# Relationship -> predicate (ods.md §4; as the CSV importers map the same links: a practice's
# commissioner and a trust's geography are member_of; a SICBL's ICB is accountable_to).
# RE6 IS OPERATED BY (a site, its trust) and RE3 IS DIRECTED BY (a lab, its trust) are
# hosted_by: the body runs the unit, which is not one of its members. RE11 IS CONSTITUENT OF
# (a practice in a sub-ICB reporting entity, beside its RE4) is member_of. RE1 (a legacy
# relationship) names no relation the registry has, so it is not read.
RELS = {"RE2": "accountable_to", "RE3": "hosted_by", "RE4": "member_of", "RE5": "member_of",
        "RE6": "hosted_by", "RE8": "member_of", "RE11": "member_of"}
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


def _read(where: str, rec: dict, kind: str):
    if kind == "ord":
        return fmt.from_ord(rec, where)
    if kind == "Organization":
        return fmt.from_fhir_organization(rec, where)
    return fmt.from_fhir_affiliation(rec, where)


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
    read = []
    for n, (where, rec, k) in enumerate(records, 1):
        try:
            read.append((n, where, _read(where, rec, k)))
        except fmt.Bad as exc:
            bad.reject(n, str(exc))
        except NhsgraphError as exc:
            bad.reject(n, f"{where}: {exc}")
    orgs = {r.code: r for _, _, r in read if isinstance(r, fmt.OrgRecord)}
    as_of = as_at or date_from_name(raw.name) or _last_change(orgs.values())
    res.as_of = as_of
    label = str(as_of) if as_of else "undated"
    sid = f"src:ods-api:{raw.name.rsplit('.', 1)[0].lower()}:{label}"
    res.source = SourceIn(
        id=sid, kind="dataset", publisher="NHS England ODS", date=str(as_of) if as_of else None,
        title=f"ODS API records saved as {raw.name} ({label})", document=raw.name,
        sha256=raw.sha256, meta={"file": raw.name, "sha256": raw.sha256,
                                 "records": len(records), "as_of": label})
    succs: list = []
    for n, where, r in read:
        if isinstance(r, fmt.OrgRecord):
            _org(res, r, _cite(sid, raw.name, n, where, [r.code, r.name, str(r.span.start or ""),
                                                         str(r.span.end or "")]), succs)
            continue
        source, rel = r
        if rel is not None:
            held = orgs.get(source)
            _rel(res, f"ods:{source}", rel, _primary(held.roles) if held else None,
                 _cite(sid, raw.name, n, where, [source, rel.id, rel.target]))
    _successions(res, succs)
    return res


def _last_change(orgs) -> PartialDate | None:
    changed = [r.last_change for r in orgs if r.last_change]
    try:
        return PartialDate.parse(max(changed)) if changed else None
    except NhsgraphError:
        return None


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


def _primary(roles: list[fmt.Role]) -> fmt.Role | None:
    """The primary role: the one the record marks (ORD), else the one whose code is a
    primary role (FHIR, which leaves that to the ODSOrganisationRole code system), else the
    only role that is not a known non-primary one."""
    marked = [r for r in roles if r.primary]
    if marked or any(r.primary is False for r in roles):
        return marked[0] if marked else None
    known = [r for r in roles if r.id in PRIMARY_TYPES]
    rest = [r for r in roles if r.id not in NON_PRIMARY]
    return known[0] if known else rest[0] if len(rest) == 1 else None


_LO, _HI = dt.date.min, dt.date.max


def _minus(span: fmt.Span, others: list[fmt.Span]) -> list[tuple]:
    """The parts of ``span`` outside all ``others`` (None is open-ended)."""
    parts = [(span.start or _LO, span.end or _HI)]
    for o in others:
        lo, hi = o.start or _LO, o.end or _HI
        parts = [p for a, b in parts for p in ((a, min(b, lo)), (max(a, hi), b)) if p[0] < p[1]]
    return [(None if a == _LO else a, None if b == _HI else b) for a, b in parts]


def org_types(roles: list[fmt.Role]) -> list[tuple[str, dt.date | None, dt.date | None, dict]]:
    """(org_type, from, to, qualifiers) from a record's roles: each refining role's type
    while it is held, and the primary role's type outside them."""
    refined = [r for r in roles if r.id in REFINED]
    out = [(REFINED[r.id], r.span.start, r.span.end,
            {"role": r.id, **REFINED_QUALIFIERS.get(r.id, {})}) for r in refined]
    primary = _primary(roles)
    if primary is not None:
        q = {"role": primary.id, **PRIMARY_QUALIFIERS.get(primary.id, {})}
        t = PRIMARY_TYPES.get(primary.id, "other")
        out += [(t, a, b, q) for a, b in _minus(primary.span, [r.span for r in refined])]
    return out


def _rel(res, oid: str, rel: fmt.Rel, primary: fmt.Role | None, cite) -> None:
    pred = RELS.get(rel.id)
    if pred is None:
        return
    if rel.id == "RE5" and primary is not None and primary.id in ACCOUNTABLE_FROM:
        pred = "accountable_to"
    q = {"rel": rel.id}
    if rel.span.date_type:
        q["date_type"] = rel.span.date_type
    if rel.id == "RE5":
        q["basis"] = "geography"
    res.statements.append(StatementIn.trusted(oid, pred, cite, object=f"ods:{rel.target}",
                                              valid_from=rel.span.start, valid_to=rel.span.end,
                                              qualifiers=q))
    res.entity(oid)
    res.entity(f"ods:{rel.target}")


def _org(res, r: fmt.OrgRecord, cite, succs) -> None:
    oid = f"ods:{r.code}"
    opened, closed = r.span.start, r.span.end
    q = {"date_type": r.span.date_type} if r.span.date_type else {}
    sts, cased = _names(oid, r.name, cite, opened, closed)
    sts.append(StatementIn.trusted(oid, "ods_code", cite, value=r.code, valid_from=opened,
                                   valid_to=closed, qualifiers=q))
    for t, frm, to, tq in org_types(r.roles):
        sts.append(StatementIn.trusted(oid, "org_type", cite, value=t, valid_from=frm,
                                       valid_to=to, qualifiers=tq))
    res.statements.extend(sts)
    primary = _primary(r.roles)
    for rel in r.rels:
        _rel(res, oid, rel, primary, cite)
    for s in r.succs:
        old, new = (r.code, s.target) if s.type == "Successor" else (s.target, r.code)
        succs.append((old, new, s.day, cite))
        res.entity(f"ods:{s.target}")
    res.entity(oid, cased)
    res.row_subjects.add(oid)
    if closed:
        res.closed[oid] = PartialDate.parse(closed)
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


