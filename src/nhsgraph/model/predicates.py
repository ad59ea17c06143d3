"""The closed predicate vocabulary, declared once.

Every statement's predicate must be one of these. Each says which kinds of entity it
may describe (domain), what it points at (an entity of some kinds, or a typed value),
whether it holds one value at a time (``single``: a second overlapping value from
another source is a conflict) or many, and how it reads backwards (``inverse``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from nhsgraph.errors import BadValue, UnknownPredicate

ORG, PERSON, EVENT, SOURCE = "organisation", "person", "event", "source"
ENTITY_KINDS = (ORG, PERSON, EVENT, SOURCE)

# Qualifiers by which an import marks what it inferred rather than read, shown beside a
# fact's dates (``Fact.inferred``): an end derived (the body pointed to closed, or a later
# list no longer names it), a type lasting at most to its era's end, and the ``basis``
# values of a start that is only the first release showing the value.
END_DERIVED = {"end": "derived"}
ERA_END_DERIVED = {"era_end": "derived"}
RELEASE_DATED = ("snapshot", "name in release")
# A name put in the conventional case by the importer (a curated name wins over it), and
# the official string it was made from, kept as an alias.
MACHINE_CASED = {"case": "machine"}
ODS_NAME = {"ods_name": True}


def has(qualifiers: dict | None, mark: dict) -> bool:
    """Whether ``qualifiers`` carry ``mark`` (e.g. END_DERIVED)."""
    return bool(qualifiers) and mark.items() <= qualifiers.items()


# Organisation types (the extraction schema's list plus the ODS/ONS bodies of later eras).
ORG_TYPES = {
    "government_department", "national_body", "sha", "sha_cluster", "pct", "care_trust", "pct_cluster",
    "ccg", "icb", "icb_cluster", "sub_icb_location", "ics", "stp", "csu", "commissioning_hub",
    "nhs_trust", "foundation_trust", "provider_other", "gp_practice", "pcn",
    "local_authority", "council_body", "patient_voice", "nhse_region", "area_team",
    "local_office", "commissioning_region", "other",
    "pcg",
}

ROLES = {
    "chair", "vice_chair", "non_executive_director", "chief_executive", "accountable_officer",
    "director_of_finance", "chief_finance_officer", "medical_director", "nurse_director",
    "director_of_public_health", "pec_chair", "commissioning_director", "lay_member",
    "registered_nurse_member", "secondary_care_doctor", "partner_member", "governor",
    "councillor", "council_leader", "deputy_leader", "cabinet_member", "chief_clinical_officer", "clinical_lead", "director",
    "deputy_director", "chief_operating_officer", "partner", "member", "officer",
    "president", "chair_elect", "spokesperson", "minister", "secretary_of_state", "other",
}

RATING_VALUES = {"outstanding", "good", "requires improvement", "inadequate"}
KEY_QUESTIONS = {"overall", "safe", "effective", "caring", "responsive", "well-led"}


class _Value(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class Figure(_Value):
    measure: str
    value: float
    unit: str
    period: str | None = None


class Rating(_Value):
    key_question: str
    rating: str
    previous: str | None = None
    inspected: str | None = None
    published: str | None = None

    @field_validator("key_question")
    @classmethod
    def _kq(cls, v: str) -> str:
        v = v.lower()
        if v not in KEY_QUESTIONS:
            raise ValueError(f"key question must be one of {sorted(KEY_QUESTIONS)}")
        return v

    @field_validator("rating", "previous")
    @classmethod
    def _rating(cls, v: str | None) -> str | None:
        if v is None:
            return v
        v = v.lower()
        if v not in RATING_VALUES:
            raise ValueError(f"rating must be one of {sorted(RATING_VALUES)}")
        return v


class Stage(_Value):
    process: str
    stage: str


class Decision(_Value):
    kind: str
    summary: str | None = None


class GovernanceModel(_Value):
    model: Literal["1", "2", "3", "4"]
    basis: Literal["declared", "derived"] = "declared"


ValueType = Literal["entity", "text", "code", "date", "number", "figure", "rating", "stage",
                    "decision", "governance_model", "role"]

_STRUCTURED: dict[str, type[_Value]] = {
    "figure": Figure, "rating": Rating, "stage": Stage, "decision": Decision,
    "governance_model": GovernanceModel,
}


@dataclass(frozen=True)
class Predicate:
    name: str
    domain: tuple[str, ...]
    value_type: ValueType
    single: bool
    inverse: str
    range: tuple[str, ...] = ()          # kinds an object may be, for entity-valued predicates
    object: Literal["required", "optional", "none"] = "none"
    required_qualifiers: tuple[str, ...] = ()
    description: str = ""
    # For single-valued predicates, the qualifiers that tell independent values apart
    # (e.g. a post's role: one chair at a time, but a chair and a chief executive together).
    slot: tuple[str, ...] = field(default=())


def _p(name, domain, value_type, single, inverse, *, range=(), object="none", required=(),
       slot=(), description=""):
    if value_type == "entity":
        object = "required"
    return Predicate(name, tuple(domain), value_type, single, inverse, tuple(range), object,
                     tuple(required), description, tuple(slot))


_ALL = ENTITY_KINDS
PREDICATES: dict[str, Predicate] = {p.name: p for p in [
    _p("name", (ORG, PERSON, EVENT), "text", True, "name of",
       description="official or preferred name"),
    _p("alias", (ORG, PERSON), "text", False, "alias of",
       description="another name, abbreviation or spelling used for it"),
    _p("org_type", (ORG,), "code", True, "type of",
       description="what kind of body it is; an organisation is alive while it has a type"),
    _p("ods_code", (ORG,), "code", True, "ODS code of"),
    _p("ons_code", (ORG,), "code", True, "ONS code of"),
    _p("postcode", (ORG,), "text", True, "postcode of"),
    _p("member_of", (ORG,), "entity", False, "has member", range=(ORG,),
       description="PCT in a cluster, practice in a CCG, trust in an ICS"),
    _p("accountable_to", (ORG,), "entity", True, "oversees", range=(ORG,),
       description="the parent body it answers to (PCT to SHA, CCG to area team, SICBL to ICB)"),
    _p("hosted_by", (ORG,), "entity", False, "hosts", range=(ORG,)),
    _p("commissions_from", (ORG,), "entity", False, "commissioned by", range=(ORG,)),
    _p("coterminous_with", (ORG,), "entity", False, "coterminous with", range=(ORG,)),
    _p("partnership_with", (ORG,), "entity", False, "partnership with", range=(ORG,),
       description="qualifier legal_basis: e.g. section 75, section 113"),
    _p("succeeded_by", (ORG,), "entity", False, "succeeds", range=(ORG,), required=("change",),
       description="qualifier change: merge, split, rename, recode, abolition, transfer, "
                   "reconfiguration; derived: true when inferred"),
    _p("post", (PERSON,), "entity", False, "post holder", range=(ORG,), required=("role",),
       description="a person holds a role at an organisation; qualifier role"),
    _p("rating", (ORG,), "rating", False, "rating of", object="optional", range=(ORG, EVENT),
       description="CQC rating of a key question; object: the rating body or event"),
    _p("application_stage", (ORG,), "stage", True, "stage of", slot=("process",),
       object="optional", range=(ORG,),
       description="where an organisation stands in a process (FT application, CCG "
                   "authorisation…); object: who decided"),
    _p("figure", (ORG, EVENT), "figure", False, "figure of", object="optional", range=(ORG,),
       description="a measured quantity: turnover, population, running cost per head…; "
                   "object: the body it is measured against, where there is one (a "
                   "trust's share of admissions from an ICB)"),
    _p("decision", (ORG,), "decision", False, "decided by", object="optional",
       range=(ORG, EVENT, PERSON),
       description="a resolution, recommendation, approval, refusal or objection by the "
                   "subject; object: the body or event it is about"),
    _p("governance_model", (ORG,), "governance_model", True, "model of",
       description="a PCT cluster's governance model (1–4)"),
    _p("event_type", (EVENT,), "code", True, "type of event",
       description="the kind of event; valid_from is when it happened"),
    _p("involves", (EVENT,), "entity", False, "involved in", range=(ORG, PERSON, EVENT),
       description="a party to an event; qualifier role (applicant, decider, successor…)"),
    _p("described_in", (EVENT, ORG), "entity", False, "describes", range=(SOURCE,)),
    _p("note", _ALL, "text", False, "note on",
       description="a short remark in our own words, for facts that fit no other predicate"),
]}


def predicate(name: str) -> Predicate:
    try:
        return PREDICATES[name]
    except KeyError:
        raise UnknownPredicate(
            f"unknown predicate {name!r}; known: {', '.join(sorted(PREDICATES))}") from None


def check_org_types(types) -> list[str]:
    """The organisation types asked for, in their canonical spelling; an unknown one is
    refused with the known ones listed."""
    from nhsgraph.errors import BadInput

    known = {value_key(t): t for t in ORG_TYPES}
    out, unknown = [], []
    for t in types or ():
        (out if value_key(str(t)) in known else unknown).append(known.get(value_key(str(t)), t))
    if unknown:
        raise BadInput(f"unknown organisation type {', '.join(map(repr, unknown))}; known: "
                       f"{', '.join(sorted(ORG_TYPES))}")
    return out


def normalise_value(pred: Predicate, value: Any) -> Any:
    """Check a value against its predicate's type and return its canonical form."""
    vt = pred.value_type
    if vt == "entity":
        if value is not None:
            raise BadValue(f"{pred.name} takes an object entity, not a value")
        return None
    if value is None:
        if pred.object == "required":
            return None
        raise BadValue(f"{pred.name} needs a {vt} value")
    if vt in _STRUCTURED:
        if not isinstance(value, dict):
            raise BadValue(f"{pred.name} needs a {vt} mapping, got {type(value).__name__}")
        try:
            return _STRUCTURED[vt](**value).model_dump(exclude_none=True)
        except ValidationError as exc:
            msgs = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise BadValue(f"{pred.name}: {msgs}") from None
    if vt == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BadValue(f"{pred.name} needs a number, got {value!r}")
        return value
    if not isinstance(value, str) or not value.strip():
        raise BadValue(f"{pred.name} needs non-empty text, got {value!r}")
    value = " ".join(value.split())
    bad = CONTROL_CHARS.search(value)
    if bad:
        raise BadValue(f"{pred.name}: control character U+{ord(bad.group()):04X} in {value!r}")
    if pred.name == "org_type" and value not in ORG_TYPES:
        raise BadValue(f"unknown org_type {value!r}; known: {', '.join(sorted(ORG_TYPES))}")
    if vt == "code" and pred.name in ("ods_code", "ons_code"):
        value = value.upper()
        if not _CODE.fullmatch(value):
            raise BadValue(f"malformed {pred.name} {value!r}: a code is 1-12 letters and digits")
    return value


# Characters no name, code or text may hold (whitespace is collapsed before the check):
# C0/C1 controls (NUL...), lone surrogates (not encodable) and non-characters.
CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CODE = re.compile(r"[A-Z0-9]{1,12}")


def value_key(text: str) -> str:
    """The form names and codes are matched in: case-folded, '&' as 'and', punctuation dropped."""
    text = text.casefold().replace("&", " and ")
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())
