"""PCT clusters: DH PCT Cluster Implementation Guidance (Gateway 15520, 2011-01-31), the
Appointments Commission's governance Models 1-4 (seed 004 Appendix A), and Jim Easton's
letter of 2011-09-29 (Gateway 16713) setting the "Model 2 principles" deadline."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from nhsgraph.query.facts import Fact
from nhsgraph.rules.evidence import (CHAIR_OR_NED, FINANCE_ROLES, as_day, attr, decisions_about,
                                     flagged, history, kind, memberships, names, people, posts,
                                     starts, types_of)
from nhsgraph.rules.model import BREACH, COMPLIES, INSUFFICIENT, NOT_APPLICABLE, Verdict, rule

PACK = "pct_clusters"
GUIDANCE = "src:dh-pct-cluster-guidance-2011"
EASTON = "src:easton-letter-2011"
END = "2013-04-01"
MODEL2_DEADLINE = dt.date(2011, 12, 1)   # "by December 2011": read as 1 December (see docs)
EXEC_TEAM = {"director_of_finance": FINANCE_ROLES, "commissioning_director": ("commissioning_director",),
             "medical_director": ("medical_director",), "nurse_director": ("nurse_director",)}
OK, FAIL, UNKNOWN = "met", "not met", "not evidenced"
PLANNED = "not yet: planned from"


def member_pcts(snap, cluster) -> list[Fact]:
    """One membership fact per member PCT (the same membership may be recorded twice)."""
    out: dict[str, Fact] = {}
    for f in snap.members(cluster):
        if "pct" in types_of(snap, f.subject) or not types_of(snap, f.subject):
            out.setdefault(f.subject, f)
    return list(out.values())


def over_member_pcts(check):
    """For a cluster rule that judges the member PCTs: with none recorded there is nothing
    to judge, so the evidence is insufficient; otherwise ``check`` gets them as ``pcts``."""
    @functools.wraps(check)
    def run(snap, org):
        pcts = member_pcts(snap, org)
        if not pcts:
            return Verdict(INSUFFICIENT, "no member PCTs are recorded.")
        return check(snap, org, pcts)
    return run


def planned(snap, cluster, *words: str) -> list[Fact]:
    """Agreements by member PCTs to adopt a common arrangement only from a later date: they
    show the arrangement was not yet in place, but are not proof of who was in post."""
    out = []
    for f in decisions_about(snap, cluster):
        text = str(attr(f, "summary") or "").lower()
        eff = as_day(attr(f, "effective"))
        if kind(f) == "agreement" and eff and eff > snap.at and any(w in text for w in words):
            out.append(f)
    return out


def shared_holder(snap, cluster, pcts: list[Fact], roles) -> tuple[str, str, list[Fact]]:
    """Is one person the holder of ``roles`` at every member PCT? A post held at the
    cluster entity counts for a PCT with no holder of its own (the cluster hosts it)."""
    by_pct, facts = {}, []
    at_cluster = posts(snap, cluster, *roles)
    for m in pcts:
        got = posts(snap, m.subject, *roles) or at_cluster
        by_pct[m.subject] = people(got)
        facts += got
    everyone = set().union(*by_pct.values()) if by_pct else set()
    if len(everyone) > 1:
        return FAIL, f"different holders ({names(facts)})", facts
    if not by_pct or any(not p for p in by_pct.values()):
        lacking = [m.subject_label or m.subject for m in pcts if not by_pct.get(m.subject)]
        return UNKNOWN, "no holder recorded at " + (", ".join(lacking) or "any member"), facts
    return OK, f"{names(facts)} at every member", facts


@rule("CLUSTER-EXISTS", "Every PCT belongs to exactly one cluster from June 2011",
      pack=PACK, applies_to=("pct",), in_force=("2011-06", END), status="S", source=GUIDANCE,
      locator="paras 6-8", explanation="By June 2011 every PCT belongs to one PCT cluster "
                                       "(configuration signed off by the NHS Chief Executive): {reason}")
def cluster_exists(snap, org):
    clusters = memberships(snap, org, "pct_cluster")
    # counted by cluster, not by statement: two readings of one membership are one cluster
    if len({f.object for f in clusters}) == 1:
        return Verdict(COMPLIES, f"it is a member of {names(clusters[:1], 'object')}.", clusters)
    if clusters:
        n = len({f.object for f in clusters})
        return Verdict(BREACH, f"it is recorded in {n} clusters at once "
                               f"({names(clusters, 'object')}).", clusters)
    return Verdict(INSUFFICIENT, "no cluster membership is recorded.")


@rule("CLUSTER-SINGLE-CEO", "A cluster has one chief executive, the accountable officer of each PCT",
      pack=PACK, applies_to=("pct_cluster",), in_force=("2011-06", END), status="S",
      source=GUIDANCE, locator="paras 6, 15",
      explanation="A PCT cluster has a single chief executive, confirmed by each PCT board as "
                  "that PCT's accountable officer: {reason}")
@over_member_pcts
def single_ceo(snap, org, pcts):
    state, why, facts = shared_holder(snap, org, pcts, ("chief_executive",))
    if state == FAIL:
        return Verdict(BREACH, f"the member PCTs have {why}.", pcts + facts)
    if state == UNKNOWN:
        return Verdict(INSUFFICIENT, f"chief executive: {why}.", pcts + facts)
    ceo = people(facts)
    aos = [f for m in pcts for f in posts(snap, m.subject, "accountable_officer")]
    other = [f for f in aos if f.subject not in ceo]
    if other:
        return Verdict(BREACH, f"the accountable officer ({names(other)}) is not the cluster "
                               f"chief executive ({names(facts)}).", pcts + facts + other)
    note = "" if aos else " (accountable-officer designations are not recorded)"
    return Verdict(COMPLIES, f"{names(facts)} is chief executive of every member PCT{note}.",
                   pcts + facts + aos)


@rule("CLUSTER-SINGLE-EXEC-TEAM", "A cluster has one executive team",
      pack=PACK, applies_to=("pct_cluster",), in_force=("2011-06", END), status="S",
      source=GUIDANCE, locator="para 6",
      explanation="A PCT cluster has one executive team, including a director of finance, a "
                  "director for commissioning development, a medical director and a nurse "
                  "director, each serving every member PCT: {reason}")
@over_member_pcts
def single_exec_team(snap, org, pcts):
    facts, failed, unknown, detail = list(pcts), [], [], {}
    for post, roles in EXEC_TEAM.items():
        state, why, got = shared_holder(snap, org, pcts, roles)
        facts += got
        detail[post] = state
        (failed if state == FAIL else unknown if state == UNKNOWN else []).append(f"{post}: {why}")
    if failed:
        return Verdict(BREACH, "; ".join(failed) + ".", facts, detail)
    if unknown:
        return Verdict(INSUFFICIENT, "; ".join(unknown) + ".", facts, detail)
    return Verdict(COMPLIES, "each executive post has one holder across the cluster.", facts, detail)


@rule("CLUSTER-DPH-LOCAL", "Directors of public health are not consolidated at cluster level",
      pack=PACK, applies_to=("pct_cluster",), in_force=("2011-01-31", END), status="S",
      source=GUIDANCE, locator="para 6",
      explanation="Directors of public health stay with their PCTs (and local authorities) and "
                  "are not consolidated at cluster level: {reason}")
def dph_local(snap, org):
    pcts = member_pcts(snap, org)
    dphs = [f for m in pcts for f in posts(snap, m.subject, "director_of_public_health")]
    at_cluster = posts(snap, org, "director_of_public_health")
    seen: dict[str, set] = {}
    for f in dphs:
        seen.setdefault(f.subject, set()).add(f.object)
    doubled = [f for f in dphs if len(seen[f.subject]) > 1]
    if doubled or at_cluster:
        return Verdict(BREACH, f"{names(doubled + at_cluster)} is director of public health "
                               f"across the cluster.", doubled + at_cluster)
    if not dphs:
        return Verdict(INSUFFICIENT, "no directors of public health are recorded.", pcts)
    return Verdict(COMPLIES, f"each recorded director of public health ({names(dphs)}) serves "
                             f"one PCT.", dphs)


def _ccgs_near(snap, cluster, pcts) -> dict[str, list[Fact]]:
    """Emerging CCGs linked to the cluster or a member, with their footprint links."""
    ours = {cluster} | {m.subject for m in pcts}
    links: dict[str, list[Fact]] = {}
    for o in sorted(ours):
        e = snap.entity(o)
        for f in e.of("coterminous_with") + e.into("coterminous_with"):
            other = f.object if f.subject == o else f.subject
            links.setdefault(other, []).append(f)
        for p in ("member_of", "accountable_to", "hosted_by"):
            for f in e.into(p):
                links.setdefault(f.subject, [])
        # an emerging CCG's footprint: the PCT(s) it later succeeded
        for f in history(snap, o, "succeeded_by"):
            links.setdefault(f.object, []).append(f)
    out = {}
    for g, fs in links.items():
        ever = {f.value for f in history(snap, g, "org_type")}
        if "ccg" in types_of(snap, g) or "ccg" in ever:
            out[g] = fs
    return out


@rule("CLUSTER-FOOTPRINT-NOT-CCG", "A cluster does not share its footprint with a CCG",
      pack=PACK, applies_to=("pct_cluster",), in_force=("2011-01-31", END), status="S",
      source=GUIDANCE, locator="para 7",
      explanation="A PCT cluster must not share its footprint with a GP commissioning "
                  "consortium or clinical commissioning group: {reason}")
@over_member_pcts
def footprint(snap, org, pcts):
    ccgs = _ccgs_near(snap, org, pcts)
    if not ccgs:
        return Verdict(INSUFFICIENT, "no emerging CCG footprint near the cluster is recorded.", pcts)
    ours = {m.subject for m in pcts}
    facts = list(pcts)
    for g, fs in ccgs.items():
        facts += fs
        area = {f.object if f.subject == g else f.subject for f in fs}
        whole = [h for h in history(snap, None, "succeeded_by", g) if h.subject not in ours]
        if whole:
            area.add("elsewhere")
        if org in area or (area and area == ours):
            return Verdict(BREACH, f"{snap.entity(g).name} covers the whole cluster.", facts)
    covered = ", ".join(sorted(snap.entity(g).name for g in ccgs))
    return Verdict(COMPLIES, f"the nearby CCG(s) ({covered}) cover only part of the cluster.", facts)


@rule("CLUSTER-SUSTAIN-2013", "Cluster arrangements last until PCTs are abolished",
      pack=PACK, applies_to=("pct_cluster",), in_force=("2011-06", END), status="S",
      source=GUIDANCE, locator="para 8", severity="info",
      explanation="Cluster arrangements must be sustainable until the abolition of PCTs at the "
                  "end of March 2013: {reason}")
@over_member_pcts
def sustain(snap, org, pcts):
    early = [f for f in pcts if f.valid_to and as_day(f.valid_to)
             < dt.date(2013, 3, 31)]
    if early:
        return Verdict(BREACH, f"membership of {names(early)} ends before April 2013.", early)
    return Verdict(COMPLIES, "no membership is recorded as ending before April 2013.", pcts)


def _joint(f: Fact) -> bool:
    q = {k: str(v).lower() for k, v in f.qualifiers.items()}
    return (q.get("joint") in ("true", "yes") or "113" in q.get("legal_basis", "")
            or "113" in q.get("basis", "") or q.get("section_113") in ("true", "yes"))


@rule("CLUSTER-JOINT-POSTS", "Cluster appointments should not dismantle joint PCT/council posts",
      pack=PACK, applies_to=("pct_cluster",), in_force=("2011-01-31", END), status="S",
      source=GUIDANCE, locator="para 31; Shared Operating Model para 12", severity="warning",
      explanation="Cluster appointments should not automatically dismantle joint PCT/local "
                  "authority posts such as section 113 joint directors: {reason}")
def joint_posts(snap, org):
    pcts = member_pcts(snap, org)
    ceo_start = [starts(f) for f in posts(snap, org, "chief_executive")
                 + [g for m in pcts for g in posts(snap, m.subject, "chief_executive")] if starts(f)]
    joint = [f for m in pcts for f in history(snap, None, "post", m.subject) if _joint(f)]
    if not joint:
        return Verdict(NOT_APPLICABLE, "no joint PCT/local authority posts are recorded.")
    if ceo_start:
        t0 = max(ceo_start)
        ended = [f for f in joint if f.valid_to and t0 <= as_day(f.valid_to) <= t0 + dt.timedelta(days=183)]
        if ended:
            return Verdict(BREACH, f"the joint post of {names(ended)} ended within six months "
                                   f"of the cluster chief executive's appointment.", ended)
    return Verdict(COMPLIES, f"the joint post(s) of {names(joint)} continue.", joint)


# --- governance models ---------------------------------------------------------------

@dataclass
class Classification:
    model: str | None
    reason: str
    facts: list[Fact] = field(default_factory=list)
    candidates: tuple[str, ...] = ()


def classify(snap, cluster: str) -> Classification:
    """Derive a cluster's governance model (Appointments Commission Models 1-4) from who
    chairs which board, which non-executives sit where, and whether there is one executive."""
    pcts = member_pcts(snap, cluster)
    if len(pcts) < 2:
        return Classification(None, "fewer than two member PCTs are recorded", pcts)
    chairs = {m.subject: people(posts(snap, m.subject, "chair")) for m in pcts}
    neds = {m.subject: people(posts(snap, m.subject, "non_executive_director")) for m in pcts}
    facts = list(pcts) + [f for m in pcts for f in posts(snap, m.subject, *CHAIR_OR_NED)]
    board = posts(snap, cluster, *CHAIR_OR_NED)
    facts += board
    ceo, _, ceo_facts = shared_holder(snap, cluster, pcts, ("chief_executive",))
    facts += ceo_facts
    known = [c for c in chairs.values() if c]
    differ = len(set().union(*known)) > 1 if known else False
    later = planned(snap, cluster, "common chair")
    if not differ and later and len(known) < len(pcts):
        differ = True      # the boards agreed a common chair only from a later date
        facts += later
    if differ:
        if ceo == FAIL:
            return Classification(None, "the PCTs have different chairs and different chief "
                                        "executives: none of Models 1-4", facts)
        b_chair = people([f for f in board if f.role == "chair"])
        b_neds = people([f for f in board if f.role == "non_executive_director"])
        if b_chair and b_chair <= set().union(*known) and all(neds[p] & b_neds for p in neds):
            return Classification("1", "a cluster board chaired by one PCT's chair, with "
                                       "non-executives from each PCT", facts)
        if ceo == UNKNOWN:
            return Classification(None, "the PCTs have different chairs but a shared chief "
                                        "executive is not evidenced", facts, ("1", "4"))
        return Classification("4", "each PCT keeps its own chair, and the executive (chief "
                                   "executive) is shared", facts, ("1", "4") if not board else ())
    if len(known) < len(pcts):
        return Classification(None, "the chairs of some member PCTs are not recorded", facts)
    common = set.intersection(*neds.values()) if neds else set()
    if not all(neds.values()):
        return Classification(None, "one chair for every PCT, but the non-executives are not "
                                    "recorded", facts, ("2", "3"))
    if all(n == common for n in neds.values()):
        return Classification("2", "one chair and one set of non-executives on every PCT board",
                              facts)
    if common:
        return Classification("3", "one chair; shared and locality non-executives", facts)
    return Classification(None, "one chair but no shared non-executives: none of Models 1-4",
                          facts)


@rule("CLUSTER-GOVERNANCE-MODEL", "A cluster's declared governance model matches its structure",
      pack=PACK, applies_to=("pct_cluster",), in_force=("2011-01-31", END), status="S",
      source=GUIDANCE, locator="Appendix A (Appointments Commission advice)", severity="warning",
      explanation="A cluster's governance model (Models 1-4) is derived from its structure and "
                  "compared with the model it declared: {reason}")
def governance_model(snap, org):
    derived = classify(snap, org)
    declared = [f for f in snap.entity(org).of("governance_model")
                if attr(f, "basis") in (None, "declared")]
    details = {"derived": derived.model, "candidates": list(derived.candidates),
               "declared": attr(declared[-1], "model") if declared else None,
               "derivation": derived.reason}
    facts = declared + derived.facts
    if before_bar_lifted(snap) and derived.model in ("2", "3"):
        return Verdict(BREACH, f"Model {derived.model} derived ({derived.reason}), which needs "
                               f"shared board members, unlawful before SI 2010/2539.", facts, details)
    if not declared:
        what = f"Model {derived.model}" if derived.model else "no model"
        return Verdict(INSUFFICIENT, f"no declared model is recorded; {what} derived "
                                     f"({derived.reason}).", facts, details)
    model = details["declared"]
    if derived.model is None:
        ok = model in derived.candidates
        return Verdict(INSUFFICIENT, f"Model {model} declared; the structure "
                                     f"{'allows it but ' if ok else ''}cannot be classified "
                                     f"({derived.reason}).", facts, details)
    if derived.model != model:
        return Verdict(BREACH, f"Model {model} declared but Model {derived.model} derived "
                               f"({derived.reason}).", facts, details)
    return Verdict(COMPLIES, f"Model {model} declared and derived ({derived.reason}).", facts,
                   details)


def before_bar_lifted(snap) -> bool:
    return snap.at < dt.date(2010, 11, 1)


# --- Model 2 principles and the SHA exception ----------------------------------------

EXCEPTION_KINDS = ("exception_granted", "exception_refused", "exception_requested")
SHA_TYPES = {"sha", "sha_cluster"}      # a cluster board acted for its SHAs from October 2011


def exceptions(snap, cluster, pcts) -> list[Fact]:
    """SHA decisions on an exception to the Model 2 deadline (and requests for one)."""
    got = decisions_about(snap, cluster, *[m.subject for m in pcts])
    out = []
    for f in got:
        k = kind(f)
        if k not in EXCEPTION_KINDS:
            continue
        if k != "exception_requested" and not SHA_TYPES & set(types_of(snap, f.subject)):
            continue          # only the SHA (or its cluster) can agree or refuse an exception
        out.append(f)
    return sorted(out, key=lambda f: (starts(f) or dt.date.min, f.id))


def deadline(exc: list[Fact]) -> tuple[dt.date | None, list[Fact], str]:
    """The Model 2 deadline given a cluster's ``exceptions``: an SHA-agreed date, else
    1 December 2011."""
    decided = [f for f in exc if kind(f) != "exception_requested"]
    if decided and kind(decided[-1]) == "exception_granted":
        until = attr(decided[-1], "until")
        d = as_day(until)
        if d is None:
            return None, decided, "the SHA agreed an exception without a recorded date"
        return d, decided, f"the SHA agreed an exception until {d}"
    if decided:
        return MODEL2_DEADLINE, decided, "the SHA refused an exception"
    return MODEL2_DEADLINE, [], "no SHA exception is recorded"


def _board_meeting(snap, cluster, pcts) -> list[Fact]:
    out = []
    for f in snap.entity(cluster).into("involves"):
        t = snap.entity(f.subject).of("event_type")
        if any("board_meeting" in str(x.value) or "board meeting" in str(x.value) for x in t):
            out += [f] + t
    return out


@rule("CLUSTER-MODEL2-PRINCIPLES", "Model 2 principles by 1 December 2011 unless the SHA agrees an exception",
      pack=PACK, applies_to=("pct_cluster",), in_force=("2011-09-29", END), status="S",
      source=EASTON, locator="letter of 2011-09-29, Gateway 16713",
      note="Easton wrote 'by December 2011'; read as 1 December 2011, as NHS BANES's chair and "
           "the BANES CCG did. An SHA-agreed exception moves the deadline for that cluster.",
      explanation="By 1 December 2011, or a later date the SHA agrees as an exception, every PCT "
                  "cluster has a single board meeting, a single executive team with one chief "
                  "executive, and one person as chair: {reason}")
@over_member_pcts
def model2_principles(snap, org, pcts):
    exc = exceptions(snap, org, pcts)
    due, exc_facts, exc_why = deadline(exc)
    requested = [f for f in exc if kind(f) == "exception_requested"]
    chairs = posts(snap, org, "chair") + [f for m in pcts for f in posts(snap, m.subject, "chair")]
    rotating = [f for f in chairs if flagged(f, "rotating")]
    shared_chair, chair_why, chair_facts = shared_holder(snap, org, pcts, ("chair",))
    if rotating:
        shared_chair, chair_why = FAIL, "a rotating chair"
    ceo = single_ceo(snap, org)
    team = single_exec_team(snap, org)
    meeting = _board_meeting(snap, org, pcts)
    later_chair = planned(snap, org, "common chair")
    later_board = planned(snap, org, "board merger", "common chair and non-executive")
    subs = {
        "single_chair": shared_chair,
        "single_executive": {BREACH: FAIL, COMPLIES: OK}.get(
            ceo.outcome if ceo.outcome != COMPLIES else team.outcome, UNKNOWN),
        "single_board_meeting": OK if meeting else UNKNOWN,
    }
    for key, plan in (("single_chair", later_chair), ("single_board_meeting", later_board)):
        if plan and subs[key] == UNKNOWN:
            subs[key] = f"{PLANNED} {as_day(attr(plan[0], 'effective'))}"
    facts = (pcts + exc_facts + requested + chair_facts + ceo.facts + team.facts + meeting
             + later_chair + later_board)
    details = {"deadline": due.isoformat() if due else None, "exception": exc_why,
               "sub_checks": subs}
    summary = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in subs.items())
    if due is None:
        return Verdict(INSUFFICIENT, f"{exc_why}; sub-checks: {summary}.", facts, details)
    if snap.at < due:
        return Verdict(COMPLIES, f"the deadline ({due}) is not yet reached ({exc_why}); "
                                 f"sub-checks now: {summary}.", facts, details)
    if all(v == OK for v in subs.values()):
        return Verdict(COMPLIES, f"deadline {due} passed and every principle is met.", facts,
                       details)
    if FAIL in subs.values():
        return Verdict(BREACH, f"deadline {due} passed ({exc_why}) and not met: {summary}.",
                       facts, details)
    if exc_facts and kind(exc_facts[-1]) == "exception_refused":
        return Verdict(BREACH, f"deadline {due} passed, the SHA refused an exception, and "
                               f"compliance is not evidenced: {summary}.", facts, details)
    why = ("the outcome of the exception request is not recorded" if requested
           else exc_why)
    return Verdict(INSUFFICIENT, f"deadline {due} passed; {why}; sub-checks: {summary}.",
                   facts, details)
