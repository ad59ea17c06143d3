"""Clinical commissioning groups: Health and Social Care Act 2012, the NHS (CCG) Regulations
2012 (SI 2012/1631), NHS Commissioning Board authorisation, mergers. 2012 -> 2022-07-01."""

from __future__ import annotations

import re

from nhsgraph.rules.evidence import (FINANCE_ROLES, as_day, decisions_about, figures,
                                     flagged, history, kind, names, people, posts, stages,
                                     stage_name, starts, types_of)
from nhsgraph.rules.model import BREACH, COMPLIES, INSUFFICIENT, NOT_APPLICABLE, Verdict, rule
from nhsgraph.rules.packs._common import no_holder, posts_elsewhere, required_posts
from nhsgraph.rules.pipelines import AUTHORISED

PACK = "ccgs"
END = "2022-07-01"


@rule("CCG-GB-COMPOSITION", "A CCG governing body's required members",
      pack=PACK, applies_to=("ccg",), in_force=("2012-06-21", END), status="C",
      source="src:si-2012-1631", locator="reg 11 (and 12(3), 12(4))",
      note="Regulations made 2012-06-21; the commencement day is unconfirmed. Lay member "
           "categories use the qualifier category: audit or ppi.",
      explanation="A CCG governing body has at least six members including a chair and deputy "
                  "chair, the accountable officer, a chief finance officer, a registered nurse, a "
                  "secondary-care specialist doctor and two lay members (audit and patient and "
                  "public involvement): {reason}")
def gb(snap, org):
    need = {"chair": ("chair",), "deputy chair": ("vice_chair",),
            "accountable officer": ("accountable_officer",), "chief finance officer": FINANCE_ROLES,
            "registered nurse": ("registered_nurse_member",),
            "secondary care doctor": ("secondary_care_doctor",)}
    board = required_posts(snap, org, need)
    lay = posts(snap, org, "lay_member")
    cats = {str(f.qualifiers.get("category", "")).lower() for f in lay}
    facts = board.facts + lay
    missing = board.missing + [f"lay member ({c})" for c in ("audit", "ppi") if c not in cats]
    size = len(people(posts(snap, org)))
    if missing:
        return Verdict(INSUFFICIENT, no_holder(missing), facts, {"missing": missing})
    if size < 6:
        return Verdict(INSUFFICIENT, f"only {size} members recorded.", facts)
    return Verdict(COMPLIES, f"every required member is recorded ({size} people).", facts)


@rule("CCG-LAY-EXCLUSIONS", "CCG lay members hold no excluded post",
      pack=PACK, applies_to=("ccg",), in_force=("2012-06-21", END), status="C",
      source="src:si-2012-1631", locator="Schedule 4",
      explanation="A CCG's lay members may not be, among others, local-authority employees, "
                  "Department of Health staff, or chairs, directors, governors or staff of a "
                  "foundation trust: {reason}")
def lay_exclusions(snap, org):
    def excluded(g):
        t = types_of(snap, g.object)
        return ("foundation_trust" in t or "government_department" in t or (
            "local_authority" in t and g.role not in ("councillor", "cabinet_member")))
    return posts_elsewhere(snap, org, ("lay_member",), excluded,
                           none="no lay members are recorded.",
                           also="also holds a post at",
                           clear="no recorded lay member holds an excluded post.")


NAME_RX = re.compile(r"^NHS .+ Clinical Commissioning Group$")


@rule("CCG-NAME", "A CCG's name begins 'NHS' and ends 'Clinical Commissioning Group'",
      pack=PACK, applies_to=("ccg",), in_force=("2012-06-21", END), status="C",
      source="src:si-2012-1631", locator="reg 5",
      explanation="A CCG's name begins with 'NHS', ends with 'Clinical Commissioning Group' and "
                  "refers fairly to its area: {reason}")
def ccg_name(snap, org):
    f = snap.entity(org).one("name")
    if f is None:
        return Verdict(INSUFFICIENT, "no name is recorded.")
    if NAME_RX.match(f.value):
        return Verdict(COMPLIES, f"'{f.value}' has the required form.", [f])
    return Verdict(BREACH, f"'{f.value}' does not have the required form.", [f])


def formed_by_merger(snap, org):
    """The succession facts by which ``org`` was formed by merger, if it was."""
    return [f for f in snap.entity(org).into("succeeded_by")
            if f.qualifiers.get("change") == "merge"]


def _authorisations(snap, org):
    st = [f for f in stages(snap, org, "ccg_authorisation") if stage_name(f) in AUTHORISED
          or stage_name(f) == "not_authorised"]
    de = [f for f in decisions_about(snap, org) if kind(f) in AUTHORISED + ("not_authorised",)]
    return st + de


@rule("CCG-AUTHORISED", "A CCG operates only once the NHS Commissioning Board has authorised it",
      pack=PACK, applies_to=("ccg",), in_force=("2013-04-01", END), status="C",
      source="src:hsj-ccgs-story-so-far",
      explanation="A CCG operates from 1 April 2013 only if the NHS Commissioning Board "
                  "authorised it beforehand (fully, with conditions, or with directions): {reason}")
def authorised(snap, org):
    types = [f for f in snap.entity(org).of("org_type") if f.value == "ccg"]
    began = max([as_day("2013-04-01")] + [starts(f) for f in types if starts(f)])
    auth = _authorisations(snap, org)
    before = [f for f in auth if starts(f) and starts(f) < began or starts(f) is None]
    ok = [f for f in before if (stage_name(f) if f.predicate == "application_stage" else kind(f))
          in AUTHORISED]
    if ok:
        return Verdict(COMPLIES, f"authorised ({ok[-1].valid_from}).", ok)
    if before:
        return Verdict(BREACH, "the NHS CB did not authorise it before it began to operate.", before)
    merged = formed_by_merger(snap, org)
    if merged:
        return Verdict(NOT_APPLICABLE, "it was formed by merger (see CCG-MERGER).", merged)
    return Verdict(INSUFFICIENT, "no authorisation decision is recorded.", types)


@rule("CCG-SHADOW-DELEGATION", "A shadow CCG held a budget only through a committee of the cluster board",
      pack=PACK, applies_to=("ccg",), in_force=("2011-04-01", "2013-04-01"), status="C",
      source="src:operating-framework-2011-12",
      explanation="Before authorisation an emerging CCG could hold a commissioning budget only "
                  "through a committee of the PCT cluster board, the cluster chief executive "
                  "remaining accountable: {reason}")
def shadow_delegation(snap, org):
    deleg = [f for f in history(snap, None, "decision", org) if "delegation" in kind(f)
             and (starts(f) is None or starts(f) <= snap.at)]
    if not deleg:
        return Verdict(NOT_APPLICABLE, "no budget delegation to it is recorded.")
    e = snap.entity(org)
    links = [f for f in e.of("member_of") + e.of("hosted_by") + e.of("accountable_to")
             if types_of(snap, f.object) & {"pct_cluster", "pct"}]
    committee = [f for f in deleg if flagged(f, "committee")]
    if links or committee:
        return Verdict(COMPLIES, "the delegation runs through the PCT cluster.", deleg + links)
    own = posts(snap, org, "accountable_officer")
    if own:
        return Verdict(BREACH, f"the budget went to a CCG with its own accountable officer "
                               f"({names(own)}) outside the cluster.", deleg + own)
    return Verdict(INSUFFICIENT, "a delegation is recorded but not the committee it went "
                                 "through.", deleg)


@rule("CCG-CONFIG", "CCG configuration: coterminous with a local authority; £25 a head running costs",
      pack=PACK, applies_to=("ccg",), in_force=("2011-11", END), status="C",
      source="src:operating-framework-2012-13", severity="warning",
      explanation="A CCG should as far as possible be coterminous with one health and wellbeing "
                  "board and not cross local-authority boundaries, within a running-cost "
                  "allowance of £25 a head from 2013/14 (soft rule): {reason}")
def config(snap, org):
    e = snap.entity(org)
    cot = [f for f in e.of("coterminous_with") + e.into("coterminous_with")
           if "local_authority" in types_of(snap, f.object if f.subject == org else f.subject)]
    cost = figures(snap, org, "running cost", "head")
    if cost and float(cost[-1].value["value"]) > 25:
        return Verdict(BREACH, f"running cost £{cost[-1].value['value']:g} a head exceeds £25.",
                       cost + cot)
    if len(cot) > 1:
        return Verdict(BREACH, f"it spans {len(cot)} local authorities.", cot + cost)
    if cot or cost:
        return Verdict(COMPLIES, "within the configuration guidance on the recorded facts.",
                       cot + cost)
    return Verdict(INSUFFICIENT, "neither its local-authority footprint nor its running cost "
                                 "is recorded.")


def merger_check(snap, org, approvers: set[str], who: str):
    merged = formed_by_merger(snap, org)
    if not merged:
        return Verdict(NOT_APPLICABLE, "it was not formed by a recorded merger.")
    day = starts(merged[0])
    if day and (day.month, day.day) != (4, 1):
        return Verdict(BREACH, f"the merger took effect on {day}, not 1 April.", merged)
    preds = {f.subject for f in merged} | {org}
    approval = [f for f in decisions_about(snap, *preds)
                if "approv" in kind(f) and types_of(snap, f.subject) & approvers]
    if approval:
        return Verdict(COMPLIES, f"merger of {names(merged)} approved by "
                                 f"{names(approval)}.", merged + approval)
    return Verdict(INSUFFICIENT, f"no approval by {who} is recorded for the merger of "
                                 f"{names(merged)}.", merged)


@rule("CCG-MERGER", "CCGs merge on 1 April with NHS England approval",
      pack=PACK, applies_to=("ccg",), in_force=("2013-04-01", END), status="C",
      source="src:gponline-ccg-mergers-2020",
      explanation="CCGs merge only with NHS England's approval, on application, with effect "
                  "from 1 April: {reason}")
def ccg_merger(snap, org):
    return merger_check(snap, org, {"national_body"}, "NHS England")
