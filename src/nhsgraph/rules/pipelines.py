"""Processes as state machines declared as data, and the stages an organisation went through.

A stage is an ``application_stage`` statement: subject the organisation, value
``{process, stage}``, ``valid_from`` the date it was reached, optional object the body that
decided. ``path`` reads them back in order and says whether each transition was allowed;
``validate`` raises ``IllegalTransition`` naming the rule a transition breaks;
``record_stage`` refuses an illegal transition before writing anything.

The world is open: a jump over unrecorded intermediate stages is reported as a ``gap``
(allowed, with stages missing), not as an error; a transition that no sequence of allowed
steps could make (backwards, or out of a terminal state) is illegal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from nhsgraph.errors import IllegalTransition, NotFound
from nhsgraph.model.statements import CitationIn, StatementIn
from nhsgraph.query.facts import Fact
from nhsgraph.query.snapshot import Snapshot
from nhsgraph.rules.evidence import PROCESS_ALIASES, as_day, attr, stage_name, stages


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    decider: str
    rule: str


@dataclass(frozen=True)
class Process:
    name: str
    title: str
    states: tuple[str, ...]
    initial: tuple[str, ...]
    terminal: tuple[str, ...]
    transitions: tuple[Transition, ...]
    aliases: dict = field(default_factory=dict)

    def allowed(self, a: str, b: str) -> Transition | None:
        return next((t for t in self.transitions if t.source == a and t.target == b), None)

    def reachable(self, a: str, b: str) -> bool:
        seen, todo = {a}, [a]
        while todo:
            s = todo.pop()
            for t in self.transitions:
                if t.source == s and t.target not in seen:
                    if t.target == b:
                        return True
                    seen.add(t.target)
                    todo.append(t.target)
        return False

    def rule_into(self, b: str) -> str:
        """The rule a transition into ``b`` derives from (for error messages)."""
        rules = [t.rule for t in self.transitions if t.target == b]
        return rules[0] if rules else f"{self.name.upper()}-STATES"

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "states": list(self.states),
                "initial": list(self.initial), "terminal": list(self.terminal),
                "transitions": [t.__dict__ for t in self.transitions]}


def _t(rows) -> tuple[Transition, ...]:
    return tuple(Transition(*r) for r in rows)


_PRE_MONITOR = ("tfa_signed", "trust_development", "sha_supported", "submitted_to_dh",
                "cqc_inspected", "tda_supported")
FT_APPLICATION = Process(
    "ft_application", "Foundation trust application (DH/SHA 2008-13; NHS TDA 2013-16)",
    states=("nhs_trust", "tfa_signed", "trust_development", "sha_supported", "submitted_to_dh",
            "sos_supported", "cqc_inspected", "tda_supported", "monitor_assessment", "authorised",
            "deferred", "rejected", "postponed", "escalated", "not_to_proceed"),
    initial=("nhs_trust", "tfa_signed", "trust_development"),
    terminal=("authorised", "not_to_proceed"),
    transitions=_t([
        ("nhs_trust", "tfa_signed", "trust, SHA and DH (lead commissioner countersigns)", "FTP-TFA"),
        ("nhs_trust", "trust_development", "SHA / NHS TDA", "FTP-TFA"),
        ("tfa_signed", "trust_development", "SHA", "FTP-TFA"),
        ("trust_development", "sha_supported", "SHA board", "FTP-COMMISSIONER-SUPPORT"),
        ("sha_supported", "submitted_to_dh", "SHA", "FTP-COMMISSIONER-SUPPORT"),
        ("submitted_to_dh", "sos_supported", "DH Applications Committee / Secretary of State",
         "FTP-SOS-SUPPORT"),
        ("submitted_to_dh", "trust_development", "Secretary of State (support refused)",
         "FTP-SOS-SUPPORT"),
        ("sos_supported", "monitor_assessment", "Monitor", "FTP-SOS-SUPPORT"),
        ("trust_development", "cqc_inspected", "CQC Chief Inspector of Hospitals", "FTP-CQC-GATE"),
        ("cqc_inspected", "tda_supported", "NHS TDA board", "FTP-CQC-GATE"),
        ("tda_supported", "monitor_assessment", "Monitor", "FTP-SOS-SUPPORT"),
        ("monitor_assessment", "authorised", "Monitor board", "FTP-SOS-SUPPORT"),
        ("monitor_assessment", "deferred", "Monitor board", "FTP-DEFERRAL"),
        ("deferred", "monitor_assessment", "Monitor", "FTP-DEFERRAL"),
        ("monitor_assessment", "rejected", "Monitor board", "FTP-DEFERRAL"),
        ("rejected", "trust_development", "SHA / NHS TDA", "FTP-DEFERRAL"),
        ("postponed", "escalated", "SHA / DH", "FTP-TFA"),
        ("postponed", "trust_development", "trust / SHA", "FTP-TFA"),
        ("escalated", "trust_development", "SHA / DH", "FTP-TFA"),
        ("postponed", "submitted_to_dh", "SHA", "FTP-COMMISSIONER-SUPPORT"),
        ("postponed", "not_to_proceed", "SHA / DH", "FTP-COMMISSIONER-SUPPORT"),
        ("escalated", "not_to_proceed", "SHA / DH", "FTP-COMMISSIONER-SUPPORT"),
        *[(s, "postponed", "trust / SHA", "FTP-TFA") for s in _PRE_MONITOR],
        *[(s, "not_to_proceed", "SHA / DH", "FTP-COMMISSIONER-SUPPORT") for s in _PRE_MONITOR],
    ]))

AFT = Process(
    "aft", "Advanced foundation trust (2025-)",
    states=("aft_eligible", "aft_assessment", "aft_designated"), initial=("aft_eligible",),
    terminal=(), transitions=_t([
        ("aft_eligible", "aft_assessment", "NHS England (ICB and region support)", "AFT-SUPPORT"),
        ("aft_assessment", "aft_designated", "NHS England (independent panel)", "AFT-SUPPORT"),
        ("aft_designated", "aft_assessment", "NHS England (5-yearly reassessment)", "AFT-SUPPORT"),
    ]))

PCT_CLUSTER = Process(
    "pct_cluster", "PCT cluster (2011-13)",
    states=("pct", "clustered", "model_declared", "exception_requested", "exception_granted",
            "exception_refused", "model2_principles_met", "abolished"),
    initial=("pct", "clustered"), terminal=("abolished",),
    transitions=_t([
        ("pct", "clustered", "SHA proposes; NHS Chief Executive signs off", "CLUSTER-EXISTS"),
        ("clustered", "model_declared", "PCT boards (Appointments Commission advice)",
         "CLUSTER-GOVERNANCE-MODEL"),
        ("model_declared", "model2_principles_met", "PCT boards; Appointments Commission",
         "CLUSTER-MODEL2-PRINCIPLES"),
        ("clustered", "model2_principles_met", "PCT boards; Appointments Commission",
         "CLUSTER-MODEL2-PRINCIPLES"),
        ("clustered", "exception_requested", "PCT chair to the SHA", "CLUSTER-MODEL2-PRINCIPLES"),
        ("model_declared", "exception_requested", "PCT chair to the SHA", "CLUSTER-MODEL2-PRINCIPLES"),
        ("exception_requested", "exception_granted", "SHA", "CLUSTER-MODEL2-PRINCIPLES"),
        ("exception_requested", "exception_refused", "SHA", "CLUSTER-MODEL2-PRINCIPLES"),
        ("exception_granted", "model2_principles_met", "PCT boards", "CLUSTER-MODEL2-PRINCIPLES"),
        ("exception_refused", "model2_principles_met", "PCT boards", "CLUSTER-MODEL2-PRINCIPLES"),
        *[(s, "abolished", "Parliament (Health and Social Care Act 2012)", "CLUSTER-SUSTAIN-2013")
          for s in ("clustered", "model_declared", "exception_requested", "exception_granted",
                    "exception_refused", "model2_principles_met")],
    ]))

# The outcomes by which the NHS Commissioning Board authorised a CCG (CCG-AUTHORISED).
AUTHORISED = ("authorised", "authorised_with_conditions", "authorised_with_directions")
CCG = Process(
    "ccg_authorisation", "CCG establishment and authorisation (2011-22)",
    states=("consortium_emerging", "pathfinder", "shadow", "applied", *AUTHORISED, "not_authorised",
            "operational", "conditions_lifted", "merged", "abolished"),
    initial=("consortium_emerging", "pathfinder", "shadow"), terminal=("merged", "abolished"),
    transitions=_t([
        ("consortium_emerging", "pathfinder", "DH", "CCG-SHADOW-DELEGATION"),
        ("pathfinder", "shadow", "PCT cluster board (committee)", "CCG-SHADOW-DELEGATION"),
        ("consortium_emerging", "shadow", "PCT cluster board (committee)", "CCG-SHADOW-DELEGATION"),
        ("shadow", "applied", "CCG", "CCG-AUTHORISED"),
        *[("applied", a, "NHS Commissioning Board", "CCG-AUTHORISED") for a in AUTHORISED],
        ("applied", "not_authorised", "NHS Commissioning Board", "CCG-AUTHORISED"),
        *[(a, "operational", "statute (2013-04-01)", "CCG-AUTHORISED") for a in AUTHORISED],
        ("operational", "conditions_lifted", "NHS England", "CCG-AUTHORISED"),
        *[(s, "merged", "NHS England (approval; effective 1 April)", "CCG-MERGER")
          for s in ("operational", "conditions_lifted")],
        *[(s, "abolished", "Parliament (Health and Care Act 2022)", "ICB-BOARD-STATUTORY")
          for s in ("operational", "conditions_lifted")],
    ]),
    aliases={a: p for a, p in PROCESS_ALIASES.items() if p == "ccg_authorisation"})

CQC_RATING = Process(
    "cqc_rating", "CQC rating publication",
    states=("registered", "inspection", "draft_report", "published", "superseded",
            "under_appeal", "suspended"),
    initial=("registered", "inspection"), terminal=(),
    transitions=_t([
        ("registered", "inspection", "CQC", "CQC-SCALE"),
        ("inspection", "draft_report", "CQC (factual accuracy check)", "CQC-SCALE"),
        ("draft_report", "published", "CQC", "CQC-SCALE"),
        ("published", "superseded", "CQC (a later publication)", "CQC-TRUST-WELLLED"),
        ("published", "inspection", "CQC", "CQC-TRUST-WELLLED"),
        ("superseded", "inspection", "CQC", "CQC-TRUST-WELLLED"),
        ("published", "under_appeal", "provider", "CQC-SCALE"),
        ("under_appeal", "published", "CQC", "CQC-SCALE"),
        ("published", "suspended", "CQC", "CQC-SCALE"),
        ("suspended", "published", "CQC", "CQC-SCALE"),
    ]))

ICB = Process(
    "icb", "Integrated care board clustering and merger (2022-)",
    states=("established", "clustered", "merger_approved", "abolished", "varied"),
    initial=("established",), terminal=("abolished",),
    transitions=_t([
        ("established", "clustered", "NHS England executive and ministers", "ICB-CLUSTER"),
        ("clustered", "merger_approved", "minister", "ICB-MERGER-2026"),
        ("established", "merger_approved", "minister", "ICB-MERGER-2026"),
        ("merger_approved", "abolished", "NHS England order (1 April)", "ICB-MERGER-2026"),
        ("established", "varied", "NHS England (boundary change)", "ICB-MERGER-2026"),
        ("clustered", "varied", "NHS England (boundary change)", "ICB-MERGER-2026"),
    ]))

PROCESSES: dict[str, Process] = {p.name: p for p in
                                 (FT_APPLICATION, AFT, PCT_CLUSTER, CCG, CQC_RATING, ICB)}


def process(name: str) -> Process:
    for p in PROCESSES.values():
        if name == p.name or name in p.aliases:
            return p
    raise NotFound(f"no process {name!r}; known: {', '.join(PROCESSES)}")


@dataclass
class Step:
    process: str
    stage: str
    date: str | None
    decider: str | None
    fact: Fact | None
    allowed: bool
    how: str                  # "start", "allowed", "gap", "illegal", "unknown_state"
    rule: str | None = None
    recorded_as: str | None = None

    def to_dict(self) -> dict:
        return {"process": self.process, "stage": self.stage, "recorded_as": self.recorded_as,
                "date": self.date, "decider": self.decider, "allowed": self.allowed,
                "how": self.how, "rule": self.rule,
                "citations": [c.describe() for c in self.fact.citations] if self.fact else []}


def _steps(proc: Process, facts: list[Fact]) -> list[Step]:
    out, prev = [], None
    for f in facts:
        st, raw = stage_name(f), str(attr(f, "stage"))
        decider = f.object_label or f.object
        if st not in proc.states:
            step = Step(proc.name, st, f.valid_from, decider, f, False, "unknown_state",
                        proc.rule_into(st))
        elif prev is None:
            step = Step(proc.name, st, f.valid_from, decider, f, True, "start")
        elif prev == st:
            step = Step(proc.name, st, f.valid_from, decider, f, True, "repeat")
        elif t := proc.allowed(prev, st):
            step = Step(proc.name, st, f.valid_from, decider, f, True, "allowed", t.rule)
        elif proc.reachable(prev, st) and prev not in proc.terminal:
            step = Step(proc.name, st, f.valid_from, decider, f, True, "gap", proc.rule_into(st))
        else:
            step = Step(proc.name, st, f.valid_from, decider, f, False, "illegal",
                        proc.rule_into(st))
        step.recorded_as = raw if raw != st else None
        out.append(step)
        if step.allowed:
            prev = st
    return out


def path(conn: Connection, org_id: str, process_name: str | None = None,
         known_at: dt.datetime | None = None) -> list[Step]:
    """The ordered stages an organisation went through, per process, each with its date,
    decider, citations and whether the transition into it was allowed.

    Example: path(conn, "ods:RYV", "ft_application")
    """
    wanted = process(process_name).name if process_name is not None else None
    snap = Snapshot.of(conn, None, known_at)
    snap.entity(org_id)
    facts = stages(snap, org_id, upto=False)
    groups: dict[str, list[Fact]] = {}
    for f in facts:
        name = str(attr(f, "process"))
        try:
            name = process(name).name
        except NotFound:
            pass
        if wanted is None or name == wanted:
            groups.setdefault(name, []).append(f)
    out = []
    for name, fs in groups.items():
        if name in PROCESSES:
            out.extend(_steps(PROCESSES[name], fs))
        else:
            out.extend(Step(name, stage_name(f), f.valid_from, f.object, f, False,
                            "unknown_process") for f in fs)
    return out


def validate(steps: list[Step], *, strict: bool = False) -> list[Step]:
    """Raise IllegalTransition for the first step no allowed sequence could reach (with
    ``strict``, also for a step that skips unrecorded stages); return the steps otherwise."""
    prev = None
    for s in steps:
        bad = (not s.allowed) or (strict and s.how == "gap")
        if bad:
            raise IllegalTransition(
                f"{s.process}: {prev or '(start)'} → {s.stage} on {s.date} is not allowed "
                f"(breaks {s.rule})")
        prev = s.stage
    return steps


def record_stage(store, org_id: str, process_name: str, stage: str, date, citation: CitationIn,
                 *, decider: str | None = None, qualifiers: dict | None = None) -> int:
    """Write a new stage for an organisation, refusing a transition the process does not
    allow directly from its latest recorded stage (or a non-initial first stage).

    Example: record_stage(store, "ods:RYV", "ft_application", "submitted_to_dh", "2012-11-05",
                          CitationIn("src:hsj-ccs-ft-bid-halted-2012", "curated"))
    """
    proc = process(process_name)
    if stage not in proc.states:
        raise IllegalTransition(f"{proc.name} has no stage {stage!r}; states: "
                                f"{', '.join(proc.states)}")
    on = as_day(date)
    with store.reader() as conn:
        before = [s for s in path(conn, org_id, proc.name)
                  if s.allowed and (as_day(s.date) or dt.date.min) <= on]
    prev = before[-1].stage if before else None
    if prev is None and stage not in proc.initial:
        raise IllegalTransition(f"{proc.name}: {stage} cannot be the first recorded stage "
                                f"(breaks {proc.rule_into(stage)}); start from "
                                f"{' / '.join(proc.initial)}")
    if prev is not None and prev != stage and not proc.allowed(prev, stage):
        raise IllegalTransition(f"{proc.name}: {prev} → {stage} is not allowed "
                                f"(breaks {proc.rule_into(stage)})")
    st = StatementIn(subject=org_id, predicate="application_stage", object=decider,
                     value={"process": proc.name, "stage": stage}, valid_from=str(date),
                     qualifiers=qualifiers or {}, citations=(citation,))
    with store.writer() as w:
        return w.add(st)
