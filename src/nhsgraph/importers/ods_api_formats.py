"""The two layouts of an ODS API record read into one shape, so that the ORD route and the
FHIR route give the same facts for the same organisation.

- ORD API v2-0-0 (``{"Organisation": {...}}``): ``Name``, ``OrgId.extension``,
  ``Date[{Type, Start, End}]``, ``Roles.Role[{id, primaryRole, Date}]``,
  ``Rels.Rel[{id, Date, Target}]``, ``Succs.Succ[{Type, Date, Target}]``
  (../shared/docs/ods.md §2–5).
- ODS FHIR API (organisation-data-terminology-api): an ``Organization`` carries its dates in
  ``Extension-England-TypedPeriod`` extensions (``dateType`` Legal/Operational, ``period``)
  and each role in an ``Extension-England-OrganisationRole`` (``roleCode``, its own typed
  periods, ``active``); each relationship is an ``OrganizationAffiliation`` whose
  ``organization`` is the record holding it and whose ``participatingOrganization`` is its
  target (NHS England's ODS FHIR data mapping: ``organization`` = "Organisation Identifier",
  ``participatingOrganization`` = "rel.TargetOrgID"). FHIR has no succession element.

Every date keeps the JSON path it came from, so a bad one is reported where it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nhsgraph.errors import NhsgraphError

TYPED_PERIOD = "https://fhir.nhs.uk/England/StructureDefinition/Extension-England-TypedPeriod"
TYPED_DATETIME = "https://fhir.nhs.uk/England/StructureDefinition/Extension-England-TypedDateTime"
ORG_ROLE = "https://fhir.nhs.uk/England/StructureDefinition/Extension-England-OrganisationRole"
ODS_CODE_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"


class Bad(NhsgraphError):
    """A record that cannot be read; the message names the JSON path."""


@dataclass
class Span:
    start: dt.date | None = None
    end: dt.date | None = None
    date_type: str | None = None      # Legal, else Operational (ods.md §2)


@dataclass
class Role:
    id: str
    primary: bool | None              # None: the record does not say (FHIR)
    span: Span


@dataclass
class Rel:
    id: str
    target: str
    span: Span


@dataclass
class Succ:
    type: str                         # Successor | Predecessor, from this record's side
    target: str
    day: dt.date | None


@dataclass
class OrgRecord:
    code: str
    name: str
    span: Span
    roles: list[Role] = field(default_factory=list)
    rels: list[Rel] = field(default_factory=list)
    succs: list[Succ] = field(default_factory=list)
    last_change: str | None = None


def _date(value, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Bad(f"{where}: not a date: {value!r} (expected YYYY-MM-DD)") from None


def _pick(dated: list[tuple[str | None, object, object, str, str]]) -> Span:
    """The Legal span if given, else the Operational one; each item is (type, start, end,
    path of start, path of end)."""
    by_type = {t: (s, e, ws, we) for t, s, e, ws, we in dated}
    for t in ("Legal", "Operational"):
        if t in by_type:
            s, e, ws, we = by_type[t]
            return Span(_date(s, ws), _date(e, we), t)
    return Span()


def _in_order(span: Span, where: str) -> Span:
    if span.start and span.end and span.end < span.start:
        raise Bad(f"{where}: closes ({span.end}) before it opens ({span.start})")
    return span


def _code(value, where: str) -> str:
    code = str(value or "").strip().upper()
    if not code.isalnum():
        raise Bad(f"{where}: bad organisation code {value!r}")
    return code


# -- ORD ---------------------------------------------------------------------------------

def _ord_span(dates, where: str) -> Span:
    if not dates:
        return Span()
    if not isinstance(dates, list):
        raise Bad(f"{where}: expected a list of {{Type, Start, End}}")
    items = []
    for i, d in enumerate(dates):
        if not isinstance(d, dict):
            raise Bad(f"{where}[{i}]: expected {{Type, Start, End}}")
        items.append((d.get("Type"), d.get("Start"), d.get("End"),
                      f"{where}[{i}].Start", f"{where}[{i}].End"))
    return _pick(items)


def _ord_target(obj, where: str) -> str:
    ext = (obj or {}).get("OrgId", {}).get("extension") if isinstance(obj, dict) else None
    return _code(ext, f"{where}.OrgId.extension")


def from_ord(org: dict, where: str) -> OrgRecord:
    """An ORD ``Organisation`` object as one record."""
    code = _ord_target(org, where)
    name = " ".join(str(org.get("Name") or "").split())
    if not name:
        raise Bad(f"{where}.Name: no name")
    rec = OrgRecord(code, name, _in_order(_ord_span(org.get("Date"), f"{where}.Date"),
                                          f"{where}.Date"),
                    last_change=org.get("LastChangeDate"))
    for i, r in enumerate((org.get("Roles") or {}).get("Role") or []):
        rw = f"{where}.Roles.Role[{i}]"
        rec.roles.append(Role(str(r.get("id") or ""), bool(r.get("primaryRole")),
                              _ord_span(r.get("Date"), f"{rw}.Date")))
    for i, r in enumerate((org.get("Rels") or {}).get("Rel") or []):
        rw = f"{where}.Rels.Rel[{i}]"
        rec.rels.append(Rel(str(r.get("id") or ""), _ord_target(r.get("Target"), f"{rw}.Target"),
                            _ord_span(r.get("Date"), f"{rw}.Date")))
    for i, s in enumerate((org.get("Succs") or {}).get("Succ") or []):
        sw = f"{where}.Succs.Succ[{i}]"
        typ = str(s.get("Type") or "")
        if typ not in ("Successor", "Predecessor"):
            raise Bad(f"{sw}.Type: expected Successor or Predecessor, got {typ!r}")
        rec.succs.append(Succ(typ, _ord_target(s.get("Target"), f"{sw}.Target"),
                              _ord_span(s.get("Date"), f"{sw}.Date").start))
    return rec


# -- FHIR --------------------------------------------------------------------------------

def _subs(ext: dict) -> list[tuple[int, dict]]:
    return [(i, e) for i, e in enumerate(ext.get("extension") or []) if isinstance(e, dict)]


def _fhir_span(exts, where: str) -> Span:
    """The typed periods among ``exts`` (a resource's or a role's extensions)."""
    items = []
    for i, ext in enumerate(exts or []):
        if not isinstance(ext, dict) or ext.get("url") != TYPED_PERIOD:
            continue
        ew = f"{where}[{i}]"
        typ, period, pw = None, {}, ew
        for j, sub in _subs(ext):
            if sub.get("url") == "dateType":
                typ = (sub.get("valueCoding") or {}).get("code")
            elif sub.get("url") == "period":
                period, pw = sub.get("valuePeriod") or {}, f"{ew}.extension[{j}].valuePeriod"
        items.append((typ, period.get("start"), period.get("end"), f"{pw}.start", f"{pw}.end"))
    return _pick(items)


def _fhir_role(ext: dict, where: str) -> Role:
    code, primary = "", None
    for j, sub in _subs(ext):
        url = sub.get("url")
        if url == "roleCode":
            codings = (sub.get("valueCodeableConcept") or {}).get("coding") or [{}]
            code = str(codings[0].get("code") or "")
        elif url == "primaryRole":
            primary = bool(sub.get("valueBoolean"))
    if not code:
        raise Bad(f"{where}: a role with no roleCode")
    return Role(code, primary, _fhir_span(ext.get("extension"), f"{where}.extension"))


def _fhir_code(ids, fallback, where: str) -> str:
    ids = [i for i in ids or [] if isinstance(i, dict)]
    ods = [i for i in ids if i.get("system") == ODS_CODE_SYSTEM] or ids
    return _code(ods[0].get("value") if ods else fallback, f"{where}.identifier[0].value")


def from_fhir_organization(res: dict, where: str) -> OrgRecord:
    """A FHIR ``Organization`` as one record (no successions: FHIR does not carry them)."""
    code = _fhir_code(res.get("identifier"), res.get("id"), where)
    name = " ".join(str(res.get("name") or "").split())
    if not name:
        raise Bad(f"{where}.name: no name")
    exts = res.get("extension") or []
    rec = OrgRecord(code, name, _in_order(_fhir_span(exts, f"{where}.extension"),
                                          f"{where}.extension"))
    for i, ext in enumerate(exts):
        if not isinstance(ext, dict):
            continue
        if ext.get("url") == ORG_ROLE:
            rec.roles.append(_fhir_role(ext, f"{where}.extension[{i}]"))
        elif ext.get("url") == TYPED_DATETIME:
            vals = {s.get("url"): s for _, s in _subs(ext)}
            if (vals.get("type", {}).get("valueCoding") or {}).get("code") == "LastChangeDate":
                rec.last_change = vals.get("dateTime", {}).get("valueDateTime")
    return rec


def _reference(res: dict, key: str, where: str) -> str:
    ref = res.get(key) or {}
    value = (ref.get("identifier") or {}).get("value") or \
        str(ref.get("reference") or "").rsplit("/", 1)[-1]
    return _code(value, f"{where}.{key}")


def from_fhir_affiliation(res: dict, where: str) -> tuple[str, Rel | None]:
    """(the code of the organisation holding it, the relationship) of an
    ``OrganizationAffiliation``; the relationship is None when it has no ODS code."""
    source = _reference(res, "organization", where)
    target = _reference(res, "participatingOrganization", where)
    codes = [c.get("code") for cc in res.get("code") or [] for c in cc.get("coding") or []]
    rel = next((str(c) for c in codes if str(c or "").startswith("RE")), None)
    span = _fhir_span(res.get("extension"), f"{where}.extension")
    if span.date_type is None:        # no typed periods: the plain FHIR period
        p = res.get("period") or {}
        span = Span(_date(p.get("start"), f"{where}.period.start"),
                    _date(p.get("end"), f"{where}.period.end"))
    return source, Rel(rel, target, span) if rel else None
