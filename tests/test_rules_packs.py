"""Each rule against a small structure that complies and one that does not, built with the
store writer. A truth table: (rule, organisation, date, passing facts, failing facts, outcome
the failing structure must give)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from nhsgraph.rules import RULES, check
from nhsgraph.store.schema import statement
from rules_builder import build, decision, org, post, stage

P = org("org:p1", "pct", "NHS One") + org("org:p2", "pct", "NHS Two")
C = org("org:c", "pct_cluster", "NHS One and Two") + [
    ("org:p1", "member_of", "org:c", None, "2011-06-01", "2013-04-01"),
    ("org:p2", "member_of", "org:c", None, "2011-06-01", "2013-04-01")]
CORE = (post("person:ce", "org:p1", "chief_executive") + post("person:dof", "org:p1", "director_of_finance")
        + post("person:dph", "org:p1", "director_of_public_health") + post("person:pec", "org:p1", "pec_chair"))
NEDS5 = [f for i in range(5) for f in post(f"person:n{i}", "org:p1", "non_executive_director")]
TEAM = [f for r in ("director_of_finance", "commissioning_director", "medical_director", "nurse_director")
        for f in post(f"person:{r}", "org:c", r)]
CEO2 = post("person:x", "org:p1", "chief_executive") + post("person:x", "org:p2", "chief_executive")
T = org("org:t", "nhs_trust", "Test NHS Trust")
FT = org("org:ft", "foundation_trust", "Test NHS Foundation Trust")
G = org("org:g", "ccg", "NHS Test Clinical Commissioning Group", "2012-10-01", "2022-07-01")
I = org("org:i", "icb", "NHS Test Integrated Care Board", "2022-07-01")
EXECS = lambda o: (post("person:ce", o, "chief_executive") + post("person:dof", o, "director_of_finance")  # noqa: E731
                   + post("person:md", o, "medical_director") + post("person:nd", o, "nurse_director"))
NEDS = lambda o, n, start="2000-01-01": [f for i in range(n) for f in post(  # noqa: E731
    f"person:ned{i}", o, "non_executive_director", start)]
GOV = lambda flags: [f for i, e in enumerate(flags) for f in post(  # noqa: E731
    f"person:gov{i}", "org:ft", "governor", elected=e)]
RATE = lambda o, kq, r, pub, **q: [(o, "rating", None, {"key_question": kq, "rating": r,  # noqa: E731
                                                     "published": pub, **q}, pub, None,
                                    {"level": "trust"})]
KQS = ("safe", "effective", "caring", "responsive", "well-led")
NHSE = org("org:nhse", "national_body", "NHS England")
FIG = lambda o, m, v, unit="GBP": [(o, "figure", None, {"measure": m, "value": v, "unit": unit}, "2013-04-01")]  # noqa: E731

CASES = [
    ("PCT-BOARD-CHAIR-NONEXEC", "org:p1", "2011-01-01", P + post("person:a", "org:p1", "chair"),
     P + post("person:a", "org:p1", "chair") + post("person:a", "org:p1", "chief_executive"), "breach"),
    ("PCT-BOARD-NED-COUNT", "org:p1", "2012-01-01", P + NEDS5,
     P + [f for i in range(8) for f in post(f"person:n{i}", "org:p1", "non_executive_director")], "breach"),
    ("PCT-BOARD-SIZE", "org:p1", "2012-01-01", P + post("person:a", "org:p1", "chair") + NEDS5 + CORE,
     P + [f for i in range(8) for f in post(f"person:o{i}", "org:p1", "director_of_finance")]
     + [f for i in range(9) for f in post(f"person:n{i}", "org:p1", "non_executive_director")], "breach"),
    ("PCT-BOARD-OFFICER-CORE", "org:p1", "2012-01-01", P + CORE,
     P + post("person:ce", "org:p1", "chief_executive"), "insufficient_evidence"),
    ("PCT-NED-SHARING-BAR", "org:p1", "2009-01-01",
     P + post("person:a", "org:p1", "chair") + post("person:b", "org:p2", "chair"),
     P + post("person:a", "org:p1", "chair") + post("person:a", "org:p2", "non_executive_director"), "breach"),
    ("PCT-SEPARATE-STATUTORY", "org:p1", "2012-01-01",
     P + C + post("person:a", "org:p1", "chair") + decision("org:p1", "org:c", "cluster_agreement", "2011-06-01"),
     P + C, "insufficient_evidence"),
    ("CLUSTER-EXISTS", "org:p1", "2012-01-01", P + C,
     P + C + org("org:c2", "pct_cluster") + [("org:p1", "member_of", "org:c2", None, "2011-06-01")], "breach"),
    ("CLUSTER-SINGLE-CEO", "org:c", "2012-01-01", P + C + CEO2,
     P + C + post("person:x", "org:p1", "chief_executive") + post("person:y", "org:p2", "chief_executive"),
     "breach"),
    ("CLUSTER-SINGLE-EXEC-TEAM", "org:c", "2012-01-01", P + C + TEAM,
     P + C + TEAM + post("person:f1", "org:p1", "director_of_finance")
     + post("person:f2", "org:p2", "director_of_finance"), "breach"),
    ("CLUSTER-DPH-LOCAL", "org:c", "2012-01-01",
     P + C + post("person:d1", "org:p1", "director_of_public_health")
     + post("person:d2", "org:p2", "director_of_public_health"),
     P + C + post("person:d1", "org:p1", "director_of_public_health")
     + post("person:d1", "org:p2", "director_of_public_health"), "breach"),
    ("CLUSTER-FOOTPRINT-NOT-CCG", "org:c", "2012-01-01",
     P + C + org("org:g", "ccg") + [("org:g", "coterminous_with", "org:p1", None, "2011-06-01")],
     P + C + org("org:g", "ccg") + [("org:g", "coterminous_with", "org:c", None, "2011-06-01")], "breach"),
    ("CLUSTER-SUSTAIN-2013", "org:c", "2012-01-01", P + C,
     P + org("org:c", "pct_cluster") + [("org:p1", "member_of", "org:c", None, "2011-06-01", "2012-06-01")],
     "breach"),
    ("CLUSTER-JOINT-POSTS", "org:c", "2011-10-01",
     P + C + post("person:x", "org:c", "chief_executive", "2011-06-01")
     + post("person:j", "org:p1", "director", "2008-01-01", None, joint=True, legal_basis="section 113"),
     P + C + post("person:x", "org:c", "chief_executive", "2011-06-01")
     + post("person:j", "org:p1", "director", "2008-01-01", "2011-09-01", joint=True,
            legal_basis="section 113"), "breach"),
    ("CLUSTER-GOVERNANCE-MODEL", "org:c", "2012-01-01",
     P + C + CEO2 + post("person:a", "org:p1", "chair") + post("person:a", "org:p2", "chair")
     + NEDS("org:p1", 5) + NEDS("org:p2", 5)
     + [("org:c", "governance_model", None, {"model": "2"}, "2011-09-01")],
     P + C + CEO2 + post("person:a", "org:p1", "chair") + post("person:b", "org:p2", "chair")
     + [("org:c", "governance_model", None, {"model": "2"}, "2011-09-01")], "breach"),
    ("CLUSTER-MODEL2-PRINCIPLES", "org:c", "2011-12-05",
     P + C + CEO2 + TEAM + post("person:a", "org:p1", "chair") + post("person:a", "org:p2", "chair")
     + [("event:m", "event_type", None, "cluster_board_meeting", "2011-11-30"),
        ("event:m", "involves", "org:c", None, None, None, {"role": "body"})],
     P + C + CEO2 + TEAM + post("person:a", "org:p1", "chair") + post("person:b", "org:p2", "chair"),
     "breach"),
    ("NHST-BOARD-MAX", "org:t", "2010-01-01", T + NEDS("org:t", 5) + EXECS("org:t"),
     T + NEDS("org:t", 6) + EXECS("org:t"), "breach"),
    ("NHST-EXEC-REQUIRED", "org:t", "2010-01-01", T + EXECS("org:t"),
     T + post("person:ce", "org:t", "chief_executive"), "insufficient_evidence"),
    ("NHST-CROSS-APPOINT", "org:t", "2010-01-01", T + post("person:a", "org:t", "chair"),
     T + org("org:t2", "nhs_trust") + post("person:a", "org:t", "chair")
     + post("person:a", "org:t2", "non_executive_director"), "breach"),
    ("FT-BOARD-COMPOSITION", "org:ft", "2010-01-01", FT + EXECS("org:ft") + post("person:a", "org:ft", "chair"),
     FT + EXECS("org:ft") + post("person:ce", "org:ft", "chair"), "breach"),
    ("FT-GOVERNORS", "org:ft", "2010-01-01", FT + GOV([True, True, False]),
     FT + GOV([True, False, False]), "breach"),
    ("FT-NED-INDEPENDENT-HALF", "org:ft", "2010-01-01", FT + NEDS("org:ft", 4) + EXECS("org:ft"),
     FT + NEDS("org:ft", 1) + EXECS("org:ft"), "breach"),
    ("PROVIDER-NED-TENURE", "org:ft", "2024-06-01", FT + NEDS("org:ft", 2, "2020-01-01"),
     FT + NEDS("org:ft", 2, "2010-01-01"), "breach"),
    ("FTP-TFA", "org:t", "2012-01-01", T + stage("org:t", "ft_application", "tfa_signed", "2011-09-01"),
     T + stage("org:t", "ft_application", "tfa_signed", "2011-09-01")
     + stage("org:t", "ft_application", "postponed", "2011-12-01"), "breach"),
    ("FTP-ALL-FT-2014", "org:t", "2013-01-01",
     T + stage("org:t", "ft_application", "trust_development", "2011-10-01"),
     T + stage("org:t", "ft_application", "not_to_proceed", "2012-10-01"), "breach"),
    ("FTP-SOS-SUPPORT", "org:t", "2012-06-01",
     T + stage("org:t", "ft_application", "submitted_to_dh", "2012-01-01")
     + stage("org:t", "ft_application", "sos_supported", "2012-02-01")
     + stage("org:t", "ft_application", "monitor_assessment", "2012-03-01"),
     T + stage("org:t", "ft_application", "trust_development", "2012-01-01")
     + stage("org:t", "ft_application", "monitor_assessment", "2012-03-01"), "breach"),
    ("FTP-COMMISSIONER-SUPPORT", "org:t", "2012-06-01",
     T + P + stage("org:t", "ft_application", "trust_development", "2012-01-01")
     + decision("org:p1", "org:t", "support", "2012-02-01"),
     T + P + stage("org:t", "ft_application", "trust_development", "2012-01-01")
     + decision("org:p1", "org:t", "objection", "2012-02-01"), "breach"),
    ("FTP-CQC-GATE", "org:t", "2014-06-01",
     T + stage("org:t", "ft_application", "monitor_assessment", "2014-01-01")
     + RATE("org:t", "overall", "good", "2013-12-01"),
     T + stage("org:t", "ft_application", "monitor_assessment", "2014-01-01")
     + RATE("org:t", "overall", "requires improvement", "2013-12-01"), "breach"),
    ("FTP-DEFERRAL", "org:t", "2012-07-01",
     T + stage("org:t", "ft_application", "monitor_assessment", "2012-01-01")
     + [("org:t", "application_stage", None, {"process": "ft_application", "stage": "deferred"},
         "2012-03-01", None, {"months": 3})]
     + stage("org:t", "ft_application", "monitor_assessment", "2012-06-01"),
     T + stage("org:t", "ft_application", "monitor_assessment", "2012-01-01")
     + [("org:t", "application_stage", None, {"process": "ft_application", "stage": "deferred"},
         "2012-03-01", None, {"months": 18})], "breach"),
    ("AFT-SUPPORT", "org:ft", "2026-01-01",
     FT + I + org("org:r", "nhse_region", "NHS England East") + stage("org:ft", "aft", "aft_eligible", "2025-11-12")
     + decision("org:i", "org:ft", "support", "2025-12-01") + decision("org:r", "org:ft", "support", "2025-12-01"),
     FT + I + stage("org:ft", "aft", "aft_eligible", "2025-11-12")
     + decision("org:i", "org:ft", "objection", "2025-12-01"), "breach"),
    ("CCG-GB-COMPOSITION", "org:g", "2014-01-01",
     G + post("person:a", "org:g", "chair") + post("person:b", "org:g", "vice_chair")
     + post("person:c", "org:g", "accountable_officer") + post("person:d", "org:g", "chief_finance_officer")
     + post("person:e", "org:g", "registered_nurse_member") + post("person:f", "org:g", "secondary_care_doctor")
     + post("person:l1", "org:g", "lay_member", category="audit")
     + post("person:l2", "org:g", "lay_member", category="ppi"),
     G + post("person:a", "org:g", "chair"), "insufficient_evidence"),
    ("CCG-LAY-EXCLUSIONS", "org:g", "2014-01-01", G + post("person:l", "org:g", "lay_member"),
     G + FT + post("person:l", "org:g", "lay_member") + post("person:l", "org:ft", "governor"), "breach"),
    ("CCG-NAME", "org:g", "2014-01-01", G, org("org:g", "ccg", "Test CCG", "2012-10-01"), "breach"),
    ("CCG-AUTHORISED", "org:g", "2013-06-01",
     G + stage("org:g", "ccg_authorisation", "authorised_with_conditions", "2013-01-01"),
     G + stage("org:g", "ccg_authorisation", "not_authorised", "2013-01-01"), "breach"),
    ("CCG-SHADOW-DELEGATION", "org:g", "2012-11-01",
     G + P + C + decision("org:p1", "org:g", "budget_delegation", "2012-04-01")
     + [("org:g", "member_of", "org:c", None, "2012-04-01")],
     G + P + decision("org:p1", "org:g", "budget_delegation", "2012-04-01")
     + post("person:ao", "org:g", "accountable_officer"), "breach"),
    ("CCG-CONFIG", "org:g", "2014-01-01", G + FIG("org:g", "running cost per head", 21.5),
     G + FIG("org:g", "running cost per head", 30), "breach"),
    ("CCG-MERGER", "org:g3", "2019-06-01",
     org("org:g1", "ccg", "NHS A Clinical Commissioning Group", "2013-04-01", "2019-04-01")
     + org("org:g3", "ccg", "NHS C Clinical Commissioning Group", "2019-04-01") + NHSE
     + [("org:g1", "succeeded_by", "org:g3", None, "2019-04-01", None, {"change": "merge"})]
     + decision("org:nhse", "org:g3", "merger_approved", "2018-10-01"),
     org("org:g1", "ccg", "NHS A Clinical Commissioning Group", "2013-04-01", "2019-05-01")
     + org("org:g3", "ccg", "NHS C Clinical Commissioning Group", "2019-05-01") + NHSE
     + [("org:g1", "succeeded_by", "org:g3", None, "2019-05-01", None, {"change": "merge"})]
     + decision("org:nhse", "org:g3", "merger_approved", "2018-10-01"), "breach"),
    ("CQC-SCALE", "org:t", "2016-01-01", T + RATE("org:t", "safe", "good", "2015-06-01"),
     T + RATE("org:t", "safe", "good", "2015-06-01") + [("corrupt",)], "breach"),
    ("CQC-AGG-NHS", "org:t", "2016-01-01",
     T + [f for k in KQS for f in RATE("org:t", k, "good", "2015-06-01")]
     + RATE("org:t", "overall", "good", "2015-06-01"),
     T + [f for k, r in zip(KQS, ["outstanding", "outstanding", "good", "good", "good"])
          for f in RATE("org:t", k, r, "2015-06-01")] + RATE("org:t", "overall", "good", "2015-06-01"),
     "breach"),
    ("CQC-LIMITERS", "org:t", "2016-01-01",
     T + decision("org:t", "org:t", "warning_notice", "2015-01-01", key_question="safe")
     + RATE("org:t", "safe", "inadequate", "2015-06-01"),
     T + decision("org:t", "org:t", "warning_notice", "2015-01-01", key_question="safe")
     + RATE("org:t", "safe", "good", "2015-06-01"), "breach"),
    ("CQC-TRUST-WELLLED", "org:ft", "2025-08-01",
     FT + RATE("org:ft", "well-led", "requires improvement", "2025-07-17", previous="good",
               inspected="2025-02-10"),
     FT + RATE("org:ft", "well-led", "requires improvement", "2025-07-17", previous="good"),
     "insufficient_evidence"),
    ("CQC-SAF-SCORE", "org:ft", "2025-08-01",
     FT + RATE("org:ft", "well-led", "requires improvement", "2025-07-17")
     + FIG("org:ft", "well-led score", 44, "%"),
     FT + RATE("org:ft", "well-led", "requires improvement", "2025-07-17")
     + FIG("org:ft", "well-led score", 70, "%"), "breach"),
    ("CQC-TRUST-SINGLE-RATING", "org:ft", "2025-08-01",
     FT + RATE("org:ft", "well-led", "requires improvement", "2025-07-17"),
     FT + RATE("org:ft", "overall", "requires improvement", "2025-07-17"), "breach"),
    ("ICB-BOARD-STATUTORY", "org:i", "2023-01-01",
     I + post("person:a", "org:i", "chair") + post("person:b", "org:i", "chief_executive")
     + post("person:c", "org:i", "partner_member", partner="trust")
     + post("person:d", "org:i", "partner_member", partner="primary")
     + post("person:e", "org:i", "partner_member", partner="la"),
     I + post("person:a", "org:i", "chair"), "insufficient_evidence"),
    ("ICB-BOARD-NHSE-MIN", "org:i", "2023-01-01",
     I + NEDS("org:i", 2) + post("person:f", "org:i", "chief_finance_officer")
     + post("person:m", "org:i", "medical_director") + post("person:n", "org:i", "nurse_director"),
     I + NEDS("org:i", 1) + post("person:f", "org:i", "chief_finance_officer")
     + post("person:m", "org:i", "medical_director") + post("person:n", "org:i", "nurse_director"),
     "insufficient_evidence"),
    ("ICB-APPOINTMENTS", "org:i", "2023-01-01",
     I + NHSE + post("person:a", "org:i", "chair") + decision("org:nhse", "person:a", "appointment", "2022-05-01"),
     I + post("person:a", "org:i", "chair") + decision("org:i", "person:a", "appointment", "2022-05-01"),
     "breach"),
    ("ICB-DEPUTY-SENIOR-NED", "org:i", "2023-01-01",
     I + post("person:v", "org:i", "vice_chair") + post("person:v", "org:i", "non_executive_director")
     + post("person:s", "org:i", "non_executive_director", senior=True),
     I + post("person:v", "org:i", "vice_chair")
     + post("person:v", "org:i", "non_executive_director", audit_chair=True), "breach"),
    ("ICB-RUNNING-COST-2025", "org:i", "2026-02-01", I + FIG("org:i", "running cost per head", 18),
     I + FIG("org:i", "running cost per head", 22), "breach"),
    ("ICB-CLUSTER", "org:i", "2025-11-01",
     I + org("org:k", "icb_cluster", "Test ICB cluster") + [("org:i", "member_of", "org:k", None, "2025-10-01")]
     + post("person:a", "org:i", "chair") + post("person:b", "org:i", "chief_executive")
     + post("person:c", "org:i", "partner_member", partner="trust")
     + post("person:d", "org:i", "partner_member", partner="primary")
     + post("person:e", "org:i", "partner_member", partner="la"),
     I + org("org:k", "icb_cluster") + [("org:i", "member_of", "org:k", None, "2025-10-01")]
     + post("person:a", "org:i", "chair"), "insufficient_evidence"),
    ("ICB-MERGER-2026", "org:i3", "2026-06-01",
     org("org:i1", "icb", "NHS A ICB", "2022-07-01", "2026-04-01") + org("org:i3", "icb", "NHS C ICB", "2026-04-01")
     + org("org:dhsc", "government_department", "DHSC")
     + [("org:i1", "succeeded_by", "org:i3", None, "2026-04-01", None, {"change": "merge"})]
     + decision("org:dhsc", "org:i3", "merger_approved", "2025-10-01"),
     org("org:i1", "icb", "NHS A ICB", "2022-07-01", "2026-05-01") + org("org:i3", "icb", "NHS C ICB", "2026-05-01")
     + [("org:i1", "succeeded_by", "org:i3", None, "2026-05-01", None, {"change": "merge"})], "breach"),
]


def _build(store, facts):
    corrupt = ("corrupt",) in facts
    build(store, [f for f in facts if f != ("corrupt",)])
    if corrupt:  # a rating value no longer valid (stored by an older version, or by hand)
        with store.engine.begin() as conn:
            conn.execute(statement.update().where(statement.c.predicate == "rating")
                         .values(value={"key_question": "safe", "rating": "excellent"}))


def test_every_rule_has_a_case():
    assert {c[0] for c in CASES} == set(RULES)


@pytest.mark.parametrize("variant", ["complies", "fails"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_rule(store, case, variant):
    rule_id, org_id, at, good, bad, failing = case
    _build(store, good if variant == "complies" else bad)
    with store.reader() as conn:
        [finding] = check(conn, org_id, at, rule_id)
    want = "complies" if variant == "complies" else failing
    assert finding.outcome == want, finding.explanation
    assert finding.explanation and finding.rule_id == rule_id
    if finding.outcome == "breach":
        assert finding.facts and all(f.citations for f in finding.facts)
