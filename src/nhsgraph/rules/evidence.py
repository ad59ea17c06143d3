"""Small evidence helpers shared by the rule packs: who holds which post, what was decided
about whom, which stages a body went through. Everything here reads a Snapshot (or, for
histories, the statements over all time as known at the snapshot's record time)."""

from __future__ import annotations

import datetime as dt

from nhsgraph.model.dates import PartialDate
from nhsgraph.query.facts import Fact
from nhsgraph.query.snapshot import Snapshot

# Officer (executive) roles: anyone holding one of these at a body is not a non-executive.
EXEC_ROLES = frozenset({
    "chief_executive", "accountable_officer", "director_of_finance", "chief_finance_officer",
    "medical_director", "nurse_director", "director_of_public_health", "pec_chair",
    "commissioning_director", "chief_operating_officer", "chief_clinical_officer",
})
FINANCE_ROLES = ("director_of_finance", "chief_finance_officer")
CHAIR_OR_NED = ("chair", "non_executive_director")
COMMISSIONER_TYPES = frozenset({"pct", "care_trust", "pct_cluster", "ccg", "icb", "icb_cluster",
                                "sub_icb_location", "commissioning_hub", "area_team"})
PROVIDER_TYPES = ("nhs_trust", "foundation_trust")


def types_of(snap: Snapshot, org: str) -> set[str]:
    return {f.value for f in snap.entity(org).of("org_type")}


def posts(snap: Snapshot, org: str, *roles: str) -> list[Fact]:
    """Post facts held at ``org`` on the snapshot date, for the given roles (all if none)."""
    return [f for f in snap.holders(org) if not roles or f.role in roles]


def people(facts: list[Fact]) -> set[str]:
    return {f.subject for f in facts}


def memberships(snap: Snapshot, org: str, of_type: str) -> list[Fact]:
    """The organisation's member_of facts (on the date) in bodies of type ``of_type``."""
    return [f for f in snap.entity(org).of("member_of") if of_type in types_of(snap, f.object)]


def figures(snap: Snapshot, org: str, *words: str) -> list[Fact]:
    """The organisation's figure facts whose measure mentions every one of ``words``."""
    return [f for f in snap.entity(org).of("figure")
            if all(w in str(f.value.get("measure", "")).lower() for w in words)]


def flagged(f: Fact, qualifier: str) -> bool:
    """Whether the fact's qualifier says yes (``true`` or ``yes``, in any case)."""
    return str(f.qualifiers.get(qualifier, "")).lower() in ("true", "yes")


# The readers below go through ``snap.entity``, which loads an entity's facts once per
# snapshot: rules ask about the same people and bodies many times in one check.

def person_posts_on(snap: Snapshot, person: str) -> list[Fact]:
    return snap.entity(person).of("post")


def decisions_about(snap: Snapshot, *objects: str) -> list[Fact]:
    """Decision facts (valid on the date) whose object is one of ``objects``."""
    return [f for o in objects for f in snap.entity(o).into("decision")]


def decisions_by(snap: Snapshot, body: str) -> list[Fact]:
    return snap.entity(body).of("decision")


def kind(f: Fact) -> str:
    v = f.value if isinstance(f.value, dict) else {}
    return str(v.get("kind", "")).lower()


def attr(f: Fact, name: str):
    """A field from the fact's value mapping, else from its qualifiers."""
    if isinstance(f.value, dict) and f.value.get(name) is not None:
        return f.value[name]
    return f.qualifiers.get(name)


def as_day(v) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.date):
        return v
    try:
        return PartialDate.parse(str(v)).first
    except Exception:  # noqa: BLE001 - a malformed date in a value is simply not evidence
        return None


def starts(f: Fact) -> dt.date | None:
    return as_day(f.valid_from)


def history(snap: Snapshot, subject: str | None = None, predicate: str | None = None,
            object: str | None = None) -> list[Fact]:
    """Facts over all valid time (as known at the snapshot's record time), in date order."""
    return snap.history(subject, predicate, object)


# Process names the knowledge base uses for a pipeline of another name.
PROCESS_ALIASES = {"ccg_establishment": "ccg_authorisation"}


def stages(snap: Snapshot, org: str, process: str | None = None, *, upto: bool = True) -> list[Fact]:
    """The organisation's application_stage facts over time (up to the snapshot date), of
    one process if named (stages recorded under one of its aliases included)."""
    got = [f for f in history(snap, org, "application_stage")
           if process is None or PROCESS_ALIASES.get(attr(f, "process"), attr(f, "process"))
           == process]
    if upto and snap.at is not None:
        got = [f for f in got if starts(f) is None or starts(f) <= snap.at]
    return sorted(got, key=lambda f: (starts(f) or dt.date.min, f.id))


# Stage names the knowledge base uses for a pipeline state of another name.
STAGE_ALIASES = {"halted": "not_to_proceed", "stopped": "not_to_proceed"}


def stage_name(f: Fact) -> str:
    s = str(attr(f, "stage"))
    return STAGE_ALIASES.get(s, s)


def is_commissioner(snap: Snapshot, org: str) -> bool:
    return bool(types_of(snap, org) & COMMISSIONER_TYPES)


def members(snap: Snapshot, org: str) -> list[Fact]:
    return snap.members(org)


def names(facts: list[Fact], attr_: str = "subject") -> str:
    labels = sorted({(getattr(f, attr_ + "_label") or getattr(f, attr_)) for f in facts})
    return ", ".join(labels) if labels else "none"
