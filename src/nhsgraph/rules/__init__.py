"""Governance rules as code: rule packs per era, findings with citations, and process
state machines (pipelines). Core domain layer: no CLI, web or API imports here."""

from nhsgraph.rules.check import all_rules, check, get_rule
from nhsgraph.rules.model import (BREACH, COMPLIES, INSUFFICIENT, NOT_APPLICABLE, OUTCOMES,
                                  RULES, Finding, Rule, Verdict)
from nhsgraph.rules.packs.pct_clusters import Classification, classify

__all__ = ["BREACH", "COMPLIES", "INSUFFICIENT", "NOT_APPLICABLE", "OUTCOMES", "RULES",
           "Classification", "Finding", "Rule", "Verdict", "all_rules", "check", "classify",
           "get_rule"]
