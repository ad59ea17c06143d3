"""PCT boards under the PCT (Membership, Procedure and Administration Arrangements)
Regulations 2000 (SI 2000/89) and their amendments. PCTs existed until 2013-03-31."""

from __future__ import annotations

import datetime as dt

from nhsgraph.rules.evidence import (CHAIR_OR_NED, EXEC_ROLES, FINANCE_ROLES, decisions_by, kind,
                                     memberships, names, people, posts, types_of)
from nhsgraph.rules.model import BREACH, COMPLIES, INSUFFICIENT, NOT_APPLICABLE, Verdict, rule
from nhsgraph.rules.packs._common import no_holder, posts_elsewhere, required_posts

PACK = "pct_boards"
END = "2013-04-01"
SHARING_BAR_LIFTED = "2010-11"   # SI 2010/2539: in force late 2010, exact day unconfirmed


@rule("PCT-BOARD-CHAIR-NONEXEC", "A PCT's chair is a single non-officer member",
      pack=PACK, applies_to=("pct",), in_force=("2000-02-08", END), status="C",
      source="src:si-2000-89", locator="reg 2(3)",
      explanation="A PCT's chair is appointed by the Secretary of State as a non-officer "
                  "member and holds no executive post at the PCT: {reason}")
def chair_nonexec(snap, org):
    chairs = posts(snap, org, "chair")
    who = people(chairs)
    if not who:
        return Verdict(INSUFFICIENT, f"no chair of {snap.entity(org).name} is recorded on "
                                     f"{snap.at}.")
    if len(who) > 1:
        return Verdict(BREACH, f"{len(who)} people hold the chair at once ({names(chairs)}).",
                       chairs)
    officer = [f for f in posts(snap, org, *EXEC_ROLES) if f.subject in who]
    if officer:
        return Verdict(BREACH, f"the chair {names(chairs)} also holds the officer post "
                               f"{officer[0].role}.", chairs + officer)
    return Verdict(COMPLIES, f"{names(chairs)} is the only chair and holds no officer post.",
                   chairs)


@rule("PCT-BOARD-NED-COUNT", "A PCT board has 5 to 7 non-executives besides the chair",
      pack=PACK, applies_to=("pct",), in_force=("2011-01-31", END), status="S",
      source="src:dh-pct-cluster-guidance-2011", locator="Appendix A §3.3",
      note="Stated as current law in January 2011; the amending SI behind '5 to 7' was not found.",
      explanation="Each PCT board has at least 5 and at most 7 non-executive directors besides "
                  "the chair: {reason}")
def ned_count(snap, org):
    neds = posts(snap, org, "non_executive_director")
    n = len(people(neds))
    if n > 7:
        return Verdict(BREACH, f"{n} non-executives are recorded ({names(neds)}).", neds,
                       {"count": n})
    if n >= 5:
        return Verdict(COMPLIES, f"{n} non-executives are recorded.", neds, {"count": n})
    return Verdict(INSUFFICIENT, f"only {n} non-executive(s) are recorded; others may not be "
                                 f"named in our sources.", neds, {"count": n})


@rule("PCT-BOARD-SIZE", "PCT board size and the officer/non-officer balance",
      pack=PACK, applies_to=("pct",), in_force=("2000-02-08", END), status="C",
      source="src:si-2002-557", locator="reg 2 (amending SI 2000/89 reg 2(1),(2))",
      note="Whether the chair counts towards the total is unconfirmed; a breach is reported "
           "only when the total is exceeded on either reading.",
      explanation="A PCT board has at most 14 members (10 to 14 from 2002-04-01, 8 to 14 "
                  "before), at most 7 officer members, and no more officers than non-officers: "
                  "{reason}")
def board_size(snap, org):
    board = posts(snap, org)
    officers = {f.subject for f in board if f.role in EXEC_ROLES}
    non_officers = {f.subject for f in board
                    if f.role in CHAIR_OR_NED} - officers
    chairs = {f.subject for f in board if f.role == "chair"}
    used = [f for f in board if f.subject in officers | non_officers]
    cap_off = 8 if dt.date(2002, 4, 1) <= snap.at < dt.date(2004, 4, 1) else 7
    total = len(officers | non_officers)
    details = {"officers": len(officers), "non_officers": len(non_officers), "total": total}
    problems = []
    if len(officers) > cap_off:
        problems.append(f"{len(officers)} officer members (at most {cap_off})")
    if total - len(chairs) > 14:
        problems.append(f"{total} members")
    if problems:
        return Verdict(BREACH, "; ".join(problems) + ".", used, details)
    if len(officers) > len(non_officers):
        return Verdict(INSUFFICIENT, f"{len(officers)} officers but only {len(non_officers)} "
                                     f"non-officers are recorded; others may not be named.",
                       used, details)
    if not officers or not non_officers:
        return Verdict(INSUFFICIENT, "the board's officer and non-officer members are not both "
                                     "recorded.", used, details)
    floor = 10 if snap.at >= dt.date(2002, 4, 1) else 8
    if total < floor:
        return Verdict(INSUFFICIENT, f"only {total} members are recorded (the board needs at "
                                     f"least {floor}); others may not be named.", used, details)
    return Verdict(COMPLIES, f"{total} members, {len(officers)} of them officers.", used, details)


CORE = (("chief_executive",), FINANCE_ROLES, ("director_of_public_health",), ("pec_chair",))


@rule("PCT-BOARD-OFFICER-CORE", "A PCT's officer members include its core officers",
      pack=PACK, applies_to=("pct",), in_force=("2000-02-08", END), status="C",
      source="src:si-2000-89", locator="reg 2(4)-(6); SI 2002/557",
      explanation="A PCT's officer members include the chief executive, the director of "
                  "finance, the director of public health (from 2002-04-01) and the chair of "
                  "the Professional Executive Committee: {reason}")
def officer_core(snap, org):
    wanted = [r for r in CORE if r != ("director_of_public_health",)
              or snap.at >= dt.date(2002, 4, 1)]
    core = required_posts(snap, org, {roles[0]: roles for roles in wanted})
    if core.missing:
        return Verdict(INSUFFICIENT, no_holder(core.missing), core.facts,
                       {"missing": core.missing})
    return Verdict(COMPLIES, "every core officer post has a recorded holder.", core.facts)


@rule("PCT-NED-SHARING-BAR", "Before SI 2010/2539, no one sat as chair or non-executive of two PCTs",
      pack=PACK, applies_to=("pct",), in_force=("2000-02-08", SHARING_BAR_LIFTED), status="C",
      source="src:si-2010-2539", locator="explanatory note",
      note="The amendment's exact in-force day is unconfirmed; the bar is treated as lifted "
           "from November 2010.",
      explanation="Until the 2010 amendment the chair or a non-officer member of one PCT could "
                  "not be chair or non-officer member of another PCT: {reason}")
def sharing_bar(snap, org):
    return posts_elsewhere(
        snap, org, CHAIR_OR_NED,
        lambda g: g.object != org and g.role in CHAIR_OR_NED and "pct" in types_of(snap, g.object),
        none="no chair or non-executive of this PCT is recorded.",
        also="also sits on the board of",
        clear="none of its recorded chair and non-executives sits on another PCT board.")


@rule("PCT-SEPARATE-STATUTORY", "Clustered PCTs remain separate statutory bodies with their own boards",
      pack=PACK, applies_to=("pct",), in_force=("2011-01-31", END), status="S",
      source="src:dh-pct-cluster-guidance-2011", locator="paras 16-17; Appendix A §3.3",
      explanation="A PCT in a cluster remains a separate statutory body: it keeps its own board "
                  "(a chair and non-executives of its own, even if shared) and its board agrees "
                  "in writing which functions go through the cluster: {reason}")
def separate_statutory(snap, org):
    clusters = memberships(snap, org, "pct_cluster")
    if not clusters:
        return Verdict(NOT_APPLICABLE, "the PCT is not recorded as a member of a cluster.")
    chairs = posts(snap, org, "chair")
    agreed = [f for f in decisions_by(snap, org)
              if any(w in kind(f) for w in ("cluster_agreement", "delegat", "cluster"))]
    facts = clusters + chairs + agreed
    if chairs and agreed:
        return Verdict(COMPLIES, f"its board has a chair ({names(chairs)}) and adopted the "
                                 f"cluster arrangements.", facts)
    missing = ([] if chairs else ["a chair of its own board"]) + (
        [] if agreed else ["a board decision adopting the cluster agreement"])
    return Verdict(INSUFFICIENT, f"not recorded: {', '.join(missing)}.", facts)
