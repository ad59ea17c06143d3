"""The foundation trust pipeline, 2010-2016 (DH/SHA, then NHS TDA) and the advanced
foundation trust scheme revived in 2025. Stages are ``application_stage`` facts with
process ``ft_application`` (or ``aft``); decisions are ``decision`` facts about the trust."""

from __future__ import annotations

import datetime as dt

from nhsgraph.rules.evidence import (as_day, attr, decisions_about, is_commissioner, kind, names,
                                     stage_name, stages, starts, types_of)
from nhsgraph.rules.model import BREACH, COMPLIES, INSUFFICIENT, NOT_APPLICABLE, Verdict, rule

PACK = "ft_pipeline"
FT = "ft_application"
TRUSTS = ("nhs_trust", "foundation_trust")
SUPPORT_NO = ("not_support", "no_support", "objection", "object", "oppose", "veto", "withh",
              "refused_support", "not_supported")


def support_stance(f) -> bool | None:
    """True for a decision supporting the application, False for one withholding support."""
    k = kind(f)
    if any(w in k for w in SUPPORT_NO):
        return False
    if "support" in k:
        return True
    return None


@rule("FTP-TFA", "Every NHS trust signed a Tripartite Formal Agreement by 30 September 2011",
      pack=PACK, applies_to=("nhs_trust",), in_force=("2011-09-30", "2013-04-01"), status="C",
      source="src:dh-tfa-template-2011",
      explanation="Every NHS trust had a Tripartite Formal Agreement (trust, SHA, DH; lead "
                  "commissioner countersigning) by 2011-09-30 fixing the date of its FT "
                  "application; later slippage against it is escalated: {reason}")
def tfa(snap, org):
    path = stages(snap, org, FT)
    signed = [f for f in path if stage_name(f) == "tfa_signed"] + [
        f for f in decisions_about(snap, org) if "tfa" in kind(f)]
    slipped = [f for f in path if stage_name(f) in ("postponed", "escalated")]
    if slipped:
        return Verdict(BREACH, f"the application slipped ({', '.join(stage_name(f) for f in slipped)}"
                               f" on {slipped[-1].valid_from}).", signed + slipped, severity="warning")
    due = next((as_day(attr(f, "application_date")) for f in signed
                if attr(f, "application_date")), None)
    if due and snap.at > due and not any(stage_name(f) in ("submitted_to_dh", "sos_supported",
                                                            "monitor_assessment", "authorised")
                                         for f in path):
        return Verdict(BREACH, f"the TFA application date {due} passed without submission.",
                       signed)
    if signed:
        return Verdict(COMPLIES, f"a TFA is recorded ({signed[0].valid_from}).", signed)
    return Verdict(INSUFFICIENT, "no Tripartite Formal Agreement is recorded.", path)


@rule("FTP-ALL-FT-2014", "Policy aim: every NHS trust a foundation trust by April 2014",
      pack=PACK, applies_to=("nhs_trust",), in_force=("2011-09-30", "2014-04-01"), status="C",
      source="src:dh-tfa-template-2011", severity="info",
      note="A policy target, not law; it lapsed after 2013.",
      explanation="Policy target that all NHS trusts become foundation trusts (or part of one) "
                  "by April 2014: {reason}")
def all_ft(snap, org):
    path = stages(snap, org, FT)
    if not path:
        return Verdict(INSUFFICIENT, "no FT application stages are recorded.")
    last = path[-1]
    if stage_name(last) == "not_to_proceed":
        return Verdict(BREACH, f"the application stopped (not_to_proceed, {last.valid_from}).", path)
    return Verdict(COMPLIES, f"on the path to FT status (last stage {stage_name(last)}).", path)


@rule("FTP-SOS-SUPPORT", "Monitor assesses only applicants with Secretary of State support",
      pack=PACK, applies_to=TRUSTS, in_force=("2004-04-01", None), status="C",
      source="src:monitor-sos-support",
      explanation="Monitor may assess an FT applicant only with the Secretary of State's "
                  "support (DH Applications Committee to 2013; NHS TDA board from April 2013): {reason}")
def sos_support(snap, org):
    path = stages(snap, org, FT)
    mon = [f for f in path if stage_name(f) == "monitor_assessment"]
    if not mon:
        return Verdict(NOT_APPLICABLE, "the trust never reached Monitor assessment.")
    first = starts(mon[0]) or dt.date.max
    sup = [f for f in path if stage_name(f) in ("sos_supported", "tda_supported")
           and (starts(f) or dt.date.min) <= first]
    if sup:
        return Verdict(COMPLIES, f"Secretary of State support recorded {sup[-1].valid_from}.",
                       sup + mon)
    return Verdict(BREACH, "Monitor assessment began with no Secretary of State support "
                           "recorded before it.", path)


@rule("FTP-COMMISSIONER-SUPPORT", "An FT application needs its commissioners' support",
      pack=PACK, applies_to=("nhs_trust",), in_force=("2011-09-30", None), status="P",
      source="src:dh-tfa-template-2011",
      note="'Readiness tests' is a press term; commissioner support is one of them (seed 000).",
      explanation="Commissioners' support is a condition of SHA readiness: an application goes "
                  "to DH only with it, and an SHA or DH may stop it when commissioners do not "
                  "support it: {reason}")
def commissioner_support(snap, org):
    path = stages(snap, org, FT)
    if not path:
        return Verdict(NOT_APPLICABLE, "no FT application stages are recorded.")
    said = [f for f in decisions_about(snap, org)
            if is_commissioner(snap, f.subject) and support_stance(f) is not None]
    against = [f for f in said if support_stance(f) is False]
    stopped = [f for f in path if stage_name(f) == "not_to_proceed"]
    if against:
        how = " and the application was stopped" if stopped else ""
        return Verdict(BREACH, f"{names(against)} did not support the application{how}.",
                       against + stopped)
    if [f for f in said if support_stance(f)]:
        return Verdict(COMPLIES, f"supported by {names(said)}.", said)
    submitted = [f for f in path if stage_name(f) == "submitted_to_dh"]
    if submitted:
        return Verdict(INSUFFICIENT, "submitted to DH with no commissioner support recorded.",
                       submitted)
    return Verdict(INSUFFICIENT, "no commissioner's position is recorded.", path)


@rule("FTP-CQC-GATE", "From November 2013 an applicant needs a Good or Outstanding CQC rating",
      pack=PACK, applies_to=TRUSTS, in_force=("2013-11", None), status="C",
      source="src:monitor-assessment-process",
      explanation="From November 2013 an FT applicant needs a Chief Inspector of Hospitals "
                  "inspection and an overall rating of Good or Outstanding before referral to "
                  "Monitor: {reason}")
def cqc_gate(snap, org):
    path = stages(snap, org, FT)
    mon = [f for f in path if stage_name(f) == "monitor_assessment"
           and (starts(f) or dt.date.min) >= dt.date(2013, 11, 1)]
    if not mon:
        return Verdict(NOT_APPLICABLE, "no Monitor assessment from November 2013 is recorded.")
    ratings = [f for f in snap.entity(org).of("rating") if attr(f, "key_question") == "overall"]
    good = [f for f in ratings if attr(f, "rating") in ("good", "outstanding")]
    if good:
        return Verdict(COMPLIES, f"overall rating {attr(good[-1], 'rating')}.", good + mon)
    if ratings:
        return Verdict(BREACH, f"overall rating {attr(ratings[-1], 'rating')}.", ratings + mon)
    inspected = [f for f in path if stage_name(f) == "cqc_inspected"]
    return Verdict(INSUFFICIENT, "no overall CQC rating is recorded.", inspected + mon)


@rule("FTP-DEFERRAL", "Monitor defers an applicant for at most 12 months",
      pack=PACK, applies_to=TRUSTS, in_force=("2004-04-01", None), status="C",
      source="src:hsj-monitor-deferrals",
      explanation="Monitor may defer an applicant for up to 3 months (issues within the trust's "
                  "control) or up to 12 months (outside it): {reason}")
def deferral(snap, org):
    path = stages(snap, org, FT)
    deferred = [(i, f) for i, f in enumerate(path) if stage_name(f) == "deferred"]
    if not deferred:
        return Verdict(NOT_APPLICABLE, "no deferral is recorded.")
    facts = [f for _, f in deferred]
    for i, f in deferred:
        months = attr(f, "months")
        if months is not None and float(months) > 12:
            return Verdict(BREACH, f"deferred for {months} months.", facts)
        start = starts(f)
        end = starts(path[i + 1]) if i + 1 < len(path) else snap.at
        if start and end and (end - start).days > 366:
            return Verdict(BREACH, f"deferred from {start} for more than 12 months.", facts)
    return Verdict(COMPLIES, "every deferral was within 12 months.", facts)


@rule("AFT-SUPPORT", "An advanced foundation trust application needs ICB and NHS England region support",
      pack=PACK, applies_to=TRUSTS, in_force=("2025-11-12", None), status="C",
      source="src:nhse-advanced-foundation-trusts",
      explanation="From 2025 an advanced foundation trust application needs the support of its "
                  "ICB and of the NHS England region: {reason}")
def aft_support(snap, org):
    path = stages(snap, org, "aft")
    if not path:
        return Verdict(NOT_APPLICABLE, "no advanced foundation trust stages are recorded.")
    said = [f for f in decisions_about(snap, org) if support_stance(f) is not None]
    by = {t: [f for f in said if t in types_of(snap, f.subject)] for t in ("icb", "nhse_region")}
    against = [f for f in said if support_stance(f) is False]
    if against:
        return Verdict(BREACH, f"{names(against)} did not support the application.", against)
    missing = [t for t, fs in by.items() if not fs]
    if missing:
        return Verdict(INSUFFICIENT, f"no support recorded from: {', '.join(missing)}.", path + said)
    return Verdict(COMPLIES, "supported by its ICB and NHS England region.", path + said)
