"""Questions a user asks of the bundled knowledge base, answered through the same functions
the CLI uses, each checked with its citation. One or more per fact group, for every seed."""

from __future__ import annotations

import pytest

from nhsgraph.importers.curated import load_curated
from nhsgraph.query import (Snapshot, conflicts, landscape, lineage, person_posts, resolve,
                            search_documents, timeline)
from conftest import SEEDS, make_store

SEED_SOURCES = {
    "000": "src:hsj-ccs-ft-bid-halted-2012",
    "001": "src:news-integrated-areas-clustering-2011",
    "002": "src:news-cpft-cqc-well-led-2025",
    "003": "src:gp-pcts-withhold-ccg-budgets-2011",
    "004": "src:banes-wellbeing-pds-panel-minutes-2011-11-29",
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    store = make_store(tmp_path_factory.mktemp("kb"))
    load_curated(store, documents=SEEDS if SEEDS.is_dir() else None)
    with store.reader() as conn:
        yield conn
    store.close()


def cited_from(fact, seed: str) -> bool:
    """The fact cites the seed with a span whose quote is in the seed's text (when at hand)."""
    src = SEED_SOURCES[seed]
    cites = [c for c in fact.citations if c.source_id == src]
    if not cites:
        return False
    if SEEDS.is_dir():
        text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
        for c in cites:
            a, b = c.span
            assert " ".join(c.quote.split()) in " ".join(text[a:b].split())
    return True


def holders(conn, org_name: str, role: str, at: str) -> list:
    org = resolve(conn, org_name, kind="organisation").id
    return Snapshot.of(conn, at).holders(org, role)


def test_seed_sources_are_loaded(kb):
    for seed, src in SEED_SOURCES.items():
        assert resolve(kb, src).kind == "source", seed


# -- 004: the BANES scrutiny panel, 29 November 2011 ------------------------------------
def test_who_chaired_nhs_banes_on_29_november_2011(kb):
    (chair,) = {f.subject_label: f for f in holders(kb, "NHS Bath and North East Somerset",
                                                     "chair", "2011-11-29")}.values()
    assert chair.subject_label == "Malcolm Hanney" and cited_from(chair, "004")


def test_the_cluster_had_one_chief_executive(kb):
    cluster = resolve(kb, "NHS Bath and North East Somerset and NHS Wiltshire Cluster").id
    snap = Snapshot.of(kb, "2011-11-29")
    assert {f.subject for f in snap.members(cluster)} == {"ods:5FL", "ods:5QK"}
    ceos = snap.holders(cluster, "chief_executive")
    assert [f.subject_label for f in ceos] == ["Jeff James"] and cited_from(ceos[0], "004")


def test_joint_director_under_section_113(kb):
    posts = [f for f in person_posts(kb, resolve(kb, "Ashley Ayre").id)
             if f.qualifiers.get("legal_basis") == "section 113"]
    assert {f.object for f in posts} >= {"ods:5FL"} and cited_from(posts[0], "004")


def test_running_cost_per_head_of_ccg_and_pct(kb):
    snap = Snapshot.of(kb, "2012-01-01")
    ccg = [f for f in snap.entity("ods:11E").of("figure") if f.value["measure"] == "running_cost_per_head"]
    pct = [f for f in snap.entity("ods:5FL").of("figure") if f.value["measure"] == "running_cost_per_head"]
    assert (ccg[0].value["value"], pct[0].value["value"]) == (25, 37)
    assert cited_from(ccg[0], "004") and cited_from(pct[0], "004")


def test_the_exception_request_and_the_shas_reply(kb):
    decisions = Snapshot.of(kb, "2011-11-29").entity("ods:5FL").of("decision")
    req = [f for f in decisions if f.value["kind"] == "exception_requested"]
    assert req and req[0].valid_from == "2011-11-04" and cited_from(req[0], "004")
    sha = resolve(kb, "NHS South of England").id
    replies = {f.value["kind"] for f in Snapshot.of(kb, "2011-11-29").entity(sha).of("decision")}
    assert "exception_pending" in replies


def test_the_panels_recommendations_are_its_decisions(kb):
    panel = resolve(kb, "org:banes-wellbeing-scrutiny-panel").id
    recs = [f for f in Snapshot.of(kb, "2011-11-29").entity(panel).of("decision")
            if f.value["kind"] == "recommendation"]
    assert len(recs) >= 3 and all(cited_from(f, "004") for f in recs)


def test_staff_transfer_to_sirona(kb):
    facts = timeline(kb, resolve(kb, "Sirona").id)
    staff = [f for f in facts if f.predicate == "figure" and f.value["measure"] == "staff_transferred"]
    assert staff[0].value["value"] == 1700 and cited_from(staff[0], "004")


def test_health_and_wellbeing_boards_count(kb):
    figs = [f for f in Snapshot.of(kb, None).facts(predicate="figure")
            if f.value["measure"] == "health_and_wellbeing_boards"]
    assert figs[0].value["value"] == 132 and cited_from(figs[0], "004")


def test_name_spelt_two_ways_is_a_conflict(kb):
    found = [c for c in conflicts(kb) if c.predicate == "name" and c.subject == "person:ian-orpen"]
    assert {found[0].a.value, found[0].b.value} == {"Dr Ian Orpen", "Dr Ian Orphen"}


# -- 000: the community trust's FT application ------------------------------------------
def test_ccs_ft_application_halted_and_who_objected(kb):
    ccs = resolve(kb, "Cambridgeshire Community Services NHS Trust").id
    stage = Snapshot.of(kb, "2012-12-01").entity(ccs).of("application_stage")
    assert [f.value["stage"] for f in stage] == ["halted"] and cited_from(stage[0], "000")
    objections = [f for f in Snapshot.of(kb, "2012-12-01").entity(ccs).into("decision")
                  if f.value["kind"] == "objection"]
    assert "ods:06H" in {f.subject for f in objections}


def test_ccs_people_and_turnover(kb):
    (ceo,) = holders(kb, "Cambridgeshire Community Services NHS Trust", "chief_executive", "2012-11-01")
    assert ceo.subject_label == "Matthew Winn" and cited_from(ceo, "000")
    (fig,) = [f for f in Snapshot.of(kb, "2012-11-01").entity("ods:RYV").of("figure")
              if f.value["measure"] == "turnover"]
    assert fig.value["value"] == 158_000_000 and cited_from(fig, "000")
    (cco,) = holders(kb, "ods:06H", "chief_clinical_officer", "2012-11-01")
    assert cco.subject_label.endswith("Neil Modha")


def test_other_aspirant_community_trusts_pipeline_stages(kb):
    snap = Snapshot.of(kb, "2012-11-01")
    stages = {org: snap.entity(org).one("application_stage").value["stage"]
              for org in ("ods:RY8", "ods:RYW", "ods:RY3")}
    assert stages == {"ods:RY8": "monitor_assessment", "ods:RYW": "monitor_assessment",
                      "ods:RY3": "dh_approval"}


# -- 001: integrated areas warn against clustering --------------------------------------
def test_integrated_areas_signatories(kb):
    group = resolve(kb, "org:integrated-areas-group").id
    members = Snapshot.of(kb, "2011-06-01").members(group)
    assert len({f.subject for f in members}) >= 7 and all(cited_from(f, "001") for f in members)
    (chair,) = holders(kb, "ods:5HP", "chair", "2011-06-01")
    assert chair.subject_label == "Roy Fisher"


# -- 002: CQC well-led downgrade ----------------------------------------------------------
def test_cpft_well_led_before_and_after_july_2025(kb):
    trust = resolve(kb, "Cambridgeshire and Peterborough NHS Foundation Trust").id

    def well_led(at):
        return [f for f in Snapshot.of(kb, at).entity(trust).of("rating")
                if f.value["key_question"] == "well-led"]

    (before,) = well_led("2025-06-01")
    (after,) = well_led("2025-08-01")
    assert before.value["rating"] == "good" and after.value["rating"] == "requires improvement"
    assert after.value["previous"] == "good" and cited_from(after, "002")
    figures = {f.value["measure"]: f.value["value"] for f in Snapshot.of(kb, "2025-08-01").entity(trust).of("figure")}
    assert figures["population_served"] == 950_000 and figures["sites"] == 50


def test_cqc_deputy_director(kb):
    (dd,) = holders(kb, "org:cqc", "deputy_director", "2025-07-17")
    assert dd.subject_label == "Stuart Dunn" and cited_from(dd, "002")


# -- 003: PCTs and CCG budgets -------------------------------------------------------------
def test_lawyer_and_alliance_roles(kb):
    (partner,) = holders(kb, "Hempsons", "partner", "2011-06-01")
    assert partner.subject_label == "Ross Clark" and cited_from(partner, "003")
    assert [f.subject_label for f in holders(kb, "org:nhs-alliance", "chief_executive", "2011-06-01")] \
        == ["Dr Michael Dixon"]


# -- background: parents and successors -------------------------------------------------------
def test_banes_lineage_to_the_icb(kb):
    lin = lineage(kb, "ods:5FL")
    chain = [(f.subject, f.object, f.valid_from) for f in lin.successors]
    assert chain == [("ods:5FL", "ods:11E", "2013-04-01"), ("ods:11E", "ods:92G", "2020-04-01"),
                     ("ods:92G", "ods:QOX", "2022-07-01")]
    assert all(f.citations for f in lin.links)


def test_landscape_2012_groups_pcts_under_south_west(kb):
    ls = landscape(kb, "2012-06-01", ["pct"])
    south_west = {g.parent: g for g in ls.groups}["ods:Q39"]
    assert {"ods:5FL", "ods:5QK"} <= {m["id"] for m in south_west.members}


def test_landscape_2012_has_ten_shas_and_the_clusters_apart(kb):
    shas = landscape(kb, "2012-06-01", ["sha"])
    assert shas.count == 10
    assert all(m["id"].startswith("ods:Q") for g in shas.groups for m in g.members)
    clusters = {m["id"] for g in landscape(kb, "2012-06-01", ["sha_cluster"]).groups
                for m in g.members}
    assert {"org:nhs-south-of-england", "org:nhs-midlands-and-east"} <= clusters
    # the cluster board acted for its SHAs: South West belonged to South of England
    assert "org:nhs-south-of-england" in {
        f.object for f in Snapshot(kb, "2012-06-01").entity("ods:Q39").of("member_of")}


def test_documents_are_searchable(kb):
    if not SEEDS.is_dir():
        pytest.skip("seed documents absent: texts not loaded")
    hits = search_documents(kb, "Sirona")
    assert SEED_SOURCES["004"] in {h["id"] for h in hits}


def test_check_of_a_pct_includes_its_clusters_rules(kb):
    """NHS Bath and North East Somerset (5FL) was in a PCT cluster with NHS Wiltshire on
    2011-11-29: checking the PCT runs the cluster rules (Models 1-4, the Model 2 deadline,
    the single accountable officer) on its cluster, beside the PCT's own."""
    from nhsgraph.rules.check import check

    findings = check(kb, "ods:5FL", "2011-11-29")
    about = {f.org for f in findings}
    assert "ods:5FL" in about and len(about) == 2
    (cluster,) = about - {"ods:5FL"}
    assert "CLUSTER-EXISTS" in {f.rule_id for f in findings if f.org == "ods:5FL"}
    assert "CLUSTER-SINGLE-CEO" in {f.rule_id for f in findings if f.org == cluster}
