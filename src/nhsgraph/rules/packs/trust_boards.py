"""NHS trust boards (NHS Trusts (Membership and Procedure) Regulations 1990, SI 1990/2024,
as amended) and foundation trust boards (2003 Act Sch 1 / NHS Act 2006 Sch 7; codes of
governance)."""

from __future__ import annotations

import datetime as dt

from nhsgraph.rules.evidence import (CHAIR_OR_NED, EXEC_ROLES, FINANCE_ROLES, PROVIDER_TYPES,
                                     as_day, history, names, people, posts, types_of)
from nhsgraph.rules.model import BREACH, COMPLIES, INSUFFICIENT, NOT_APPLICABLE, Verdict, rule
from nhsgraph.rules.packs._common import no_holder, posts_elsewhere, required_posts

PACK = "trust_boards"
HEALTH_BODIES = {"nhs_trust", "foundation_trust", "pct", "care_trust", "sha", "sha_cluster", "ccg",
                 "icb"}


def _cap(snap, org, measure: str, default: int) -> tuple[int, list]:
    figs = [f for f in snap.entity(org).of("figure")
            if str(f.value.get("measure", "")).lower().replace(" ", "_") == measure]
    return (int(figs[-1].value["value"]), figs) if figs else (default, [])


@rule("NHST-BOARD-MAX", "An NHS trust has at most 5 non-executives and 5 executives besides the chair",
      pack=PACK, applies_to=("nhs_trust",), in_force=("1991-04-01", None), status="P",
      source="src:si-2000-2434", locator="amending SI 1990/2024 reg 2; SI 2012/788 art. 4",
      note="The 5/5 figure is inferred from the amendment and establishment orders; an order's "
           "own numbers (figures max_non_executive_directors / max_executive_directors) win.",
      explanation="An NHS trust board has a chair plus no more non-executive and executive "
                  "directors than its establishment order allows (5 and 5 unless recorded): {reason}")
def nhst_board_max(snap, org):
    neds = posts(snap, org, "non_executive_director")
    execs = posts(snap, org, *EXEC_ROLES)
    cap_n, f1 = _cap(snap, org, "max_non_executive_directors", 5)
    cap_e, f2 = _cap(snap, org, "max_executive_directors", 5)
    n, e = len(people(neds)), len(people(execs))
    facts = neds + execs + f1 + f2
    if n > cap_n or e > cap_e:
        return Verdict(BREACH, f"{n} non-executives (cap {cap_n}) and {e} executives "
                               f"(cap {cap_e}) are recorded.", facts, {"neds": n, "execs": e})
    if not neds and not execs:
        return Verdict(INSUFFICIENT, "no directors are recorded.")
    return Verdict(COMPLIES, f"{n} non-executives and {e} executives are recorded, within "
                             f"the caps.", facts, {"neds": n, "execs": e})


@rule("NHST-EXEC-REQUIRED", "An NHS trust's executives include the chief executive, finance, medical and nursing directors",
      pack=PACK, applies_to=("nhs_trust",), in_force=("1991-04-01", None), status="P",
      source="src:si-1990-2024", locator="reg 4",
      note="English text of reg 4 not retrieved; wording confirmed for the Scottish twin and FTs.",
      explanation="An NHS trust's executive directors include the chief executive and the "
                  "finance director and, for trusts treating patients directly, a medical or "
                  "dental practitioner and a registered nurse or midwife: {reason}")
def nhst_exec_required(snap, org):
    direct = not any(str(f.value.get("measure", "")) == "no_direct_patient_care"
                     for f in snap.entity(org).of("figure"))
    need = {"chief_executive": ("chief_executive",), "finance director": FINANCE_ROLES}
    if direct:
        need |= {"medical director": ("medical_director",), "nurse director": ("nurse_director",)}
    execs = required_posts(snap, org, need)
    if execs.missing:
        return Verdict(INSUFFICIENT, no_holder(execs.missing), execs.facts)
    return Verdict(COMPLIES, "every required executive post has a recorded holder.", execs.facts)


@rule("NHST-CROSS-APPOINT", "Before 14 April 2014 an NHS trust's chair or non-executive held no board post at another health body",
      pack=PACK, applies_to=("nhs_trust",), in_force=("1991-04-01", "2014-04-14"), status="C",
      source="src:si-2014-784",
      explanation="Until SI 2014/784 (in force 2014-04-14) a chair or non-executive of an NHS "
                  "trust could not be chair or director of another health service body: {reason}")
def nhst_cross_appoint(snap, org):
    return posts_elsewhere(
        snap, org, CHAIR_OR_NED,
        lambda g: g.object != org and types_of(snap, g.object) & HEALTH_BODIES and (
            g.role in CHAIR_OR_NED or g.role in EXEC_ROLES),
        none="no chair or non-executive is recorded.",
        also="also holds a board post at",
        clear="no recorded chair or non-executive holds another health body board post.")


@rule("FT-BOARD-COMPOSITION", "A foundation trust board's required members",
      pack=PACK, applies_to=("foundation_trust",), in_force=("2004-04-01", None), status="C",
      source="src:hsca-2003-sch1", locator="Schedule 1 para 16",
      explanation="A foundation trust's board of directors has a chief executive (the "
                  "accounting officer) and a finance director among the executives, a "
                  "non-executive chair, and two different executives who are a registered doctor "
                  "or dentist and a registered nurse or midwife: {reason}")
def ft_board(snap, org):
    need = {"chief executive": ("chief_executive",), "finance director": FINANCE_ROLES,
            "chair": ("chair",), "medical director": ("medical_director",),
            "nurse director": ("nurse_director",)}
    board = required_posts(snap, org, need)
    got, facts = board.by_post, board.facts
    chair = people(got["chair"])
    execs = posts(snap, org, *EXEC_ROLES)
    if chair & people(execs):
        return Verdict(BREACH, f"the chair {names(got['chair'])} is also an executive.", facts + execs)
    md, nd = people(got["medical director"]), people(got["nurse director"])
    if md and nd and md == nd and len(md) == 1:
        return Verdict(BREACH, "the medical and nurse directors are the same person.", facts)
    if board.missing:
        return Verdict(INSUFFICIENT, no_holder(board.missing), facts)
    return Verdict(COMPLIES, "the required board posts are held.", facts)


def _elected(f):
    q = f.qualifiers
    if "elected" in q:
        return str(q["elected"]).lower() in ("true", "yes", "1")
    c = str(q.get("constituency", "")).lower()
    if c:
        return c in ("public", "staff", "patient", "patients", "service users")
    return None


@rule("FT-GOVERNORS", "More than half an FT's governors are elected by its members",
      pack=PACK, applies_to=("foundation_trust",), in_force=("2004-04-01", None), status="C",
      source="src:hsca-2003-sch1", locator="Schedule 1 paras 7, 9, 17",
      explanation="A foundation trust has a board (council) of governors, more than half of "
                  "them elected by members: {reason}")
def ft_governors(snap, org):
    gov = posts(snap, org, "governor")
    if not gov:
        return Verdict(INSUFFICIENT, "no governors are recorded.")
    known = [(_elected(f), f) for f in gov]
    if any(e is None for e, _ in known):
        return Verdict(INSUFFICIENT, "how some governors came to office is not recorded.", gov)
    elected = sum(1 for e, _ in known if e)
    if elected * 2 > len(gov):
        return Verdict(COMPLIES, f"{elected} of {len(gov)} governors are elected.", gov)
    return Verdict(BREACH, f"only {elected} of {len(gov)} governors are elected.", gov)


@rule("FT-NED-INDEPENDENT-HALF", "At least half the board, excluding the chair, are independent non-executives",
      pack=PACK, applies_to=PROVIDER_TYPES, in_force=("2006", None), status="P",
      source="src:nhse-code-of-governance-2022",
      note="'Half' wording from memory; applies to NHS trusts only from 2023-04-01 (Code of "
           "governance for NHS provider trusts). Non-executives count as independent unless "
           "a post says independent: false.",
      explanation="Comply or explain: at least half the board, excluding the chair, should be "
                  "independent non-executive directors: {reason}")
def ned_half(snap, org):
    if "foundation_trust" not in types_of(snap, org) and snap.at < dt.date(2023, 4, 1):
        return Verdict(NOT_APPLICABLE, "NHS trusts came under the code only from 2023-04-01.")
    neds = posts(snap, org, "non_executive_director")
    execs = posts(snap, org, *EXEC_ROLES)
    if not neds or not execs:
        return Verdict(INSUFFICIENT, "the board's executives and non-executives are not both "
                                     "recorded.", neds + execs)
    indep = {f.subject for f in neds
             if str(f.qualifiers.get("independent", "true")).lower() not in ("false", "no")}
    board = people(neds) | people(execs)
    if len(indep) * 2 >= len(board):
        return Verdict(COMPLIES, f"{len(indep)} independent non-executives of {len(board)} "
                                 f"members besides the chair.", neds + execs)
    return Verdict(BREACH, f"only {len(indep)} independent non-executives of {len(board)} "
                           f"members besides the chair.", neds + execs)


@rule("PROVIDER-NED-TENURE", "Chairs and non-executives serve no more than 9 years",
      pack=PACK, applies_to=PROVIDER_TYPES, in_force=("2023-04-01", None), status="C",
      source="src:nhse-code-of-governance-2022", locator="§4.3",
      explanation="A provider trust's chair or non-executive should not serve beyond nine years "
                  "from first appointment, and beyond six only after rigorous review: {reason}")
def ned_tenure(snap, org):
    now = posts(snap, org, *CHAIR_OR_NED)
    if not now:
        return Verdict(INSUFFICIENT, "no chair or non-executive is recorded.")
    held = [g for g in history(snap, None, "post", org) if g.role in CHAIR_OR_NED]
    over9, over6, unknown, facts = [], [], [], []
    for f in now:
        past = [g for g in held if g.subject == f.subject]
        first = min((as_day(g.valid_from) for g in past if g.valid_from), default=None)
        facts += past
        if first is None:
            unknown.append(f)
            continue
        years = (snap.at - first).days / 365.25
        (over9 if years > 9 else over6 if years > 6 else []).append(f)
    if over9:
        return Verdict(BREACH, f"{names(over9)} has served more than nine years.", facts)
    if over6:
        return Verdict(BREACH, f"{names(over6)} has served more than six years (needs rigorous "
                               f"review).", facts, severity="warning")
    if unknown:
        return Verdict(INSUFFICIENT, f"first appointment dates are not recorded for "
                                     f"{names(unknown)}.", facts)
    return Verdict(COMPLIES, "every recorded chair and non-executive has served under six years.",
                   facts)
