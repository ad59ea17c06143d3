"""Checking an organisation against the rules in force on a date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Connection

from nhsgraph.errors import NotFound
from nhsgraph.query.facts import day
from nhsgraph.query.snapshot import Snapshot
from nhsgraph.rules.evidence import types_of
from nhsgraph.rules.model import NOT_APPLICABLE, RULES, Finding, Rule, Verdict
from nhsgraph.rules import packs  # noqa: F401  (registers the rules)


def all_rules(pack: str | None = None) -> list[Rule]:
    """Every encoded rule (of one pack, if named), in declaration order."""
    return [r for r in RULES.values() if pack is None or r.pack == pack]


def get_rule(rule_id: str) -> Rule:
    try:
        return RULES[rule_id.upper()]
    except KeyError:
        close = [r for r in RULES if rule_id.upper().split("-")[0] in r]
        raise NotFound(f"no rule {rule_id!r}", close[:5]) from None


def check(conn: Connection, org_id: str, at, rule_id: str | None = None,
          known_at: dt.datetime | None = None) -> list[Finding]:
    """Run every rule in force on ``at`` that applies to the organisation's type(s) then.

    With ``rule_id``, run that rule only; if it is out of force or out of type on the date,
    the answer is one ``not_applicable`` finding saying why.

    Example: check(conn, "ods:5FL", "2011-12-02", "CLUSTER-MODEL2-PRINCIPLES")
    """
    on = day(at)
    if on is None:
        raise NotFound("check needs a date")
    snap = Snapshot.of(conn, on, known_at)
    snap.entity(org_id)  # raises NotFound for an unknown id
    types = types_of(snap, org_id)
    if rule_id is not None:
        r = get_rule(rule_id)
        if not r.in_force(on):
            return [r.finding(snap, org_id, Verdict(
                NOT_APPLICABLE, f"the rule is in force {r.in_force_text()}, not on {on}."))]
        if not r.applies(types):
            shown = ", ".join(sorted(types)) or "no recorded type"
            return [r.finding(snap, org_id, Verdict(
                NOT_APPLICABLE, f"the rule applies to {', '.join(r.applies_to)}; on {on} it is "
                                f"{shown}."))]
        return [r.run(snap, org_id)]
    out = [r.run(snap, org_id) for r in RULES.values() if r.in_force(on) and r.applies(types)]
    # A body in a cluster on the date answers to its cluster's rules too (a PCT in a 2011
    # PCT cluster, an ICB in a 2025 ICB cluster): those findings are about the cluster.
    for cluster in clusters_of(snap, org_id):
        ctypes = types_of(snap, cluster)
        out.extend(r.run(snap, cluster) for r in RULES.values()
                   if r.in_force(on) and r.applies(ctypes))
    return out


CLUSTER_TYPES = {"pct_cluster", "sha_cluster", "icb_cluster"}


def clusters_of(snap: Snapshot, org_id: str) -> list[str]:
    """The clusters the organisation is a member of on the snapshot's date, once each."""
    found = []
    for f in snap.entity(org_id).of("member_of"):
        if f.object and f.object not in found and types_of(snap, f.object) & CLUSTER_TYPES:
            found.append(f.object)
    return found
