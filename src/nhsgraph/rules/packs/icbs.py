"""Integrated care boards (Health and Care Act 2022; NHS Act 2006 Sch 1B) from 2022-07-01,
NHS England's minimum board, the 2025 running-cost cut, clustering and the 2026 mergers."""

from __future__ import annotations

import datetime as dt

from nhsgraph.rules.evidence import (FINANCE_ROLES, attr, decisions_about, figures, flagged, kind,
                                     names, people, posts, types_of)
from nhsgraph.rules.model import BREACH, COMPLIES, INSUFFICIENT, NOT_APPLICABLE, Verdict, rule
from nhsgraph.rules.packs._common import no_holder, required_posts
from nhsgraph.rules.packs.ccgs import merger_check

PACK = "icbs"
START = "2022-07-01"
PARTNERS = ("trust", "primary", "la")


def _partner_kind(f) -> str | None:
    for k in ("partner", "category", "nominated_by", "type"):
        v = str(f.qualifiers.get(k, "")).lower()
        if v:
            if "trust" in v or "provider" in v and "primary" not in v:
                return "trust"
            if "primary" in v or "gp" in v:
                return "primary"
            if "la" == v or "local" in v or "authorit" in v:
                return "la"
    return None


@rule("ICB-BOARD-STATUTORY", "An ICB has a chair, a chief executive and three partner members",
      pack=PACK, applies_to=("icb",), in_force=(START, None), status="C",
      source="src:nhs-act-2006-sch-1b", locator="Schedule 1B para 3",
      explanation="An ICB consists of a chair, a chief executive and at least three ordinary "
                  "members, including partner members nominated by NHS trusts and foundation "
                  "trusts, by providers of primary medical services, and by local authorities: {reason}")
def statutory(snap, org):
    leads = required_posts(snap, org, {"chair": ("chair",),
                                       "chief executive": ("chief_executive",)})
    chair = leads.by_post["chair"]
    partners = posts(snap, org, "partner_member")
    kinds = {_partner_kind(f) for f in partners}
    missing = leads.missing + [f"partner member ({k})" for k in PARTNERS if k not in kinds]
    facts = leads.facts + partners
    if len(people(chair)) > 1:
        return Verdict(BREACH, f"{len(people(chair))} chairs at once ({names(chair)}).", chair)
    if missing:
        return Verdict(INSUFFICIENT, no_holder(missing), facts)
    return Verdict(COMPLIES, "chair, chief executive and the three partner members are recorded.",
                   facts)


@rule("ICB-BOARD-NHSE-MIN", "An ICB board has two independent NEDs and finance, medical and nursing directors",
      pack=PACK, applies_to=("icb",), in_force=(START, None), status="C",
      source="src:nhse-icb-constitution-guidance",
      explanation="NHS England policy adds at least two independent non-executives besides the "
                  "chair and executive directors of finance, medicine and nursing: {reason}")
def nhse_min(snap, org):
    neds = posts(snap, org, "non_executive_director")
    need = {"finance director": FINANCE_ROLES, "medical director": ("medical_director",),
            "nurse director": ("nurse_director",)}
    execs = required_posts(snap, org, need)
    facts = neds + execs.facts
    missing = execs.missing
    if len(people(neds)) < 2:
        missing.append(f"a second non-executive ({len(people(neds))} recorded)")
    if missing:
        return Verdict(INSUFFICIENT, f"not recorded: {', '.join(missing)}.", facts)
    return Verdict(COMPLIES, "the minimum board posts are held.", facts)


@rule("ICB-APPOINTMENTS", "NHS England appoints an ICB's chair; the chair appoints the chief executive",
      pack=PACK, applies_to=("icb",), in_force=(START, None), status="C",
      source="src:nhs-act-2006-sch-1b", locator="Schedule 1B paras 4-7",
      explanation="An ICB's chair is appointed by NHS England with the Secretary of State's "
                  "approval, and its chief executive by the chair with NHS England's approval: {reason}")
def appointments(snap, org):
    chair = posts(snap, org, "chair")
    if not chair:
        return Verdict(INSUFFICIENT, "no chair is recorded.")
    people_ = people(chair)
    appts = [f for f in decisions_about(snap, org, *people_) if "appoint" in kind(f)
             and (f.object in people_ or "chair" in str(attr(f, "summary") or "").lower())]
    if not appts:
        return Verdict(INSUFFICIENT, "the chair's appointment decision is not recorded.", chair)
    wrong = [f for f in appts if not types_of(snap, f.subject) & {"national_body",
                                                                 "government_department"}]
    if wrong:
        return Verdict(BREACH, f"the chair was appointed by {names(wrong)}, not NHS England.",
                       chair + wrong)
    return Verdict(COMPLIES, f"the chair was appointed by {names(appts)}.", chair + appts)


@rule("ICB-DEPUTY-SENIOR-NED", "One NED (not the audit chair) is deputy chair; one is senior NED",
      pack=PACK, applies_to=("icb",), in_force=(START, None), status="C",
      source="src:nhse-icb-constitution-guidance",
      explanation="One non-executive member who does not chair the audit committee is deputy "
                  "chair, and one non-executive is the senior independent member: {reason}")
def deputy(snap, org):
    deputy_ = posts(snap, org, "vice_chair")
    neds = posts(snap, org, "non_executive_director")
    audit = {f.subject for f in neds if flagged(f, "audit_chair")}
    senior = [f for f in neds if str(f.qualifiers.get("senior", f.qualifiers.get(
        "senior_independent", ""))).lower() in ("true", "yes")]
    if deputy_ and people(deputy_) & audit:
        return Verdict(BREACH, f"the deputy chair {names(deputy_)} also chairs the audit "
                               f"committee.", deputy_ + neds)
    if deputy_ and senior:
        return Verdict(COMPLIES, f"deputy chair {names(deputy_)}; senior NED {names(senior)}.",
                       deputy_ + senior)
    return Verdict(INSUFFICIENT, "the deputy chair or the senior non-executive is not recorded.",
                   deputy_ + senior)


RUNNING_COST_DUE = dt.date(2026, 1, 1)


@rule("ICB-RUNNING-COST-2025", "ICB running costs cut to £18.76 a head by the end of Q3 2025/26",
      pack=PACK, applies_to=("icb",), in_force=("2025-04-01", None), status="C",
      source="src:icb-running-cost-letter-2025",
      explanation="ICBs must cut running costs to £18.76 a head (excluding pharmacy, optometry, "
                  "dental and delegated specialised commissioning) by the end of Q3 2025/26: {reason}")
def running_cost(snap, org):
    figs = figures(snap, org, "running cost")
    if snap.at < RUNNING_COST_DUE:
        return Verdict(COMPLIES, f"the deadline ({RUNNING_COST_DUE}) is not yet reached.", figs)
    if not figs:
        return Verdict(INSUFFICIENT, "no running cost per head is recorded.")
    v = float(figs[-1].value["value"])
    if v > 18.76:
        return Verdict(BREACH, f"running cost £{v:g} a head exceeds £18.76.", figs)
    return Verdict(COMPLIES, f"running cost £{v:g} a head.", figs)


@rule("ICB-CLUSTER", "Clustered ICBs stay separate statutory bodies",
      pack=PACK, applies_to=("icb",), in_force=("2025-04-01", None), status="C",
      source="src:wms-hcws915-2025",
      explanation="Clustered ICBs may share a chair, chief executive and executive team but stay "
                  "separate legal bodies, each meeting the statutory board rules: {reason}")
def icb_cluster(snap, org):
    clusters = [f for f in snap.entity(org).of("member_of")
                if "icb_cluster" in types_of(snap, f.object)]
    if not clusters:
        return Verdict(NOT_APPLICABLE, "it is not recorded in an ICB cluster.")
    board = statutory(snap, org)
    if board.outcome == COMPLIES:
        return Verdict(COMPLIES, f"in cluster {names(clusters, 'object')} with its own board.",
                       clusters + board.facts)
    return Verdict(board.outcome, f"in cluster {names(clusters, 'object')}; {board.reason}",
                   clusters + board.facts)


@rule("ICB-MERGER-2026", "ICB mergers take effect on 1 April with ministerial approval",
      pack=PACK, applies_to=("icb",), in_force=("2026-04-01", None), status="C",
      source="src:wms-hcws915-2025",
      explanation="ICB mergers and boundary changes need ministerial approval and take effect on "
                  "1 April (first from 2026-04-01): {reason}")
def icb_merger(snap, org):
    return merger_check(snap, org, {"government_department"}, "a minister")
