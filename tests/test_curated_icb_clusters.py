"""ICB clusters of 2025-26 and the ICB mergers announced for 1 April 2027, as curated in
src/nhsgraph/data/background/icb_clusters_2025.yaml. Each count names its source."""

from __future__ import annotations

import csv

import pytest

from conftest import make_store, real_file
from nhsgraph.extract.gazetteer import schema_type, type_family
from nhsgraph.importers import import_ods
from nhsgraph.importers.curated import load_curated
from nhsgraph.model.predicates import ORG_TYPES, normalise_value, predicate
from nhsgraph.query import Snapshot, conflicts, landscape
from nhsgraph.rules import check
from nhsgraph.rules.evidence import COMMISSIONER_TYPES


# -- the org type ------------------------------------------------------------------------
def test_icb_cluster_is_an_org_type_of_the_icb_family():
    assert "icb_cluster" in ORG_TYPES
    assert normalise_value(predicate("org_type"), "icb_cluster") == "icb_cluster"
    # a cluster is named like the ICBs it leads; the extraction schema reads it as an ICB
    assert type_family("icb_cluster") == type_family("icb")
    assert schema_type("icb_cluster") == "icb"
    assert "icb_cluster" in COMMISSIONER_TYPES


# -- the bundled knowledge base ----------------------------------------------------------
WMS = "src:wms-hcws915-2025"                        # written statement HCWS915, 9 Sep 2025
BNSSG = "src:bnssg-nhs-changes-2025-06-25"          # South West clusters agreed, 25 Jun 2025
LINCS = "src:lincs-icb-dln-cluster-faq"             # NHS Lincolnshire ICB: the DLN cluster
LICH = "src:lichfield-live-cluster-ceo-2025"        # Staffordshire/Shropshire cluster CEO
MK = "src:mk-citizen-thames-valley-icb-2025"        # BOB and Frimley chief executive
PROC = "src:nhse-icb-boundary-mergers-procedure-2025"
CONFED = "src:nhsconfed-icb-clusters-2025"
BCP = "src:bcp-hwb-icb-update-2025"
SUCC_2026 = "Maglehoj__42578-Project/succ_2026-05.csv"    # ODS succ.csv as published in 2026
# ONS's sub-ICB location -> ICB -> NHS England region lookup of July 2022: the 42 ICBs
SICBL22 = ("dfe-analytical-services__SEND-AP-Inclusion-Dashboard/Sub_ICB_Locations_to_Integrated_"
           "Care_Boards_to_NHS_England_(Region)_(July_2022)_Lookup_in_England.csv")

# the clusters whose ICBs merged on 1 April 2026, and the eight that go on into 2026-27
ENDED_2026 = {"org:icb-cluster-central-east", "org:icb-cluster-norfolk-suffolk", "org:icb-cluster-essex",
              "org:icb-cluster-north-west-north-central-london",
              "org:icb-cluster-thames-valley-partners", "org:icb-cluster-surrey-sussex"}
GOING_ON = {"org:icb-cluster-birmingham-black-country-solihull",
            "org:icb-cluster-coventry-warwickshire-herefordshire-worcestershire",
            "org:icb-cluster-staffordshire-shropshire",
            "org:icb-cluster-derbyshire-lincolnshire-nottinghamshire",
            "org:icb-cluster-leicestershire-northamptonshire", "org:icb-cluster-gloucestershire-bnssg",
            "org:icb-cluster-bsw-somerset-dorset", "org:icb-cluster-cornwall-devon"}


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    store = make_store(tmp_path_factory.mktemp("icb-clusters"))
    load_curated(store)
    # and ODS's own successions (the 2026 ones are not curated here): one store, as a
    # second fresh PostgreSQL database would wait on this fixture's open connection
    rep = import_ods(store, [real_file(SUCC_2026)])
    assert rep.rows_read == 11537 and not rep.rejected
    with store.reader() as conn:
        yield conn
    store.close()


def clusters(kb, at) -> set[str]:
    return {m["id"] for g in landscape(kb, at, ["icb_cluster"]).groups for m in g.members}


def cites(fact, source: str) -> bool:
    return any(c.source_id == source and c.quote for c in fact.citations)


def test_fourteen_icb_clusters_on_2025_12_01_and_on_2026_01_01(kb):
    # the clusters named by the ICBs' and NHS England's pages; with the 12 ICBs that did not
    # cluster (none in the North East and Yorkshire or the North West, says the NHS
    # Confederation) they make the 26 leadership teams of the written statement HCWS915
    assert clusters(kb, "2025-12-01") == clusters(kb, "2026-01-01") == ENDED_2026 | GOING_ON
    snap = Snapshot(kb, "2026-01-01")
    for cl in ENDED_2026 | GOING_ON:
        (t,) = snap.entity(cl).of("org_type")
        assert t.value == "icb_cluster" and t.citations and all(c.quote for c in t.citations)
    clustered = {f.subject for cl in ENDED_2026 | GOING_ON for f in snap.members(cl)}
    assert len(clustered) == 30
    (teams,) = [f for f in snap.entity("org:department-of-health").of("figure")
                if f.value["measure"] == "icb_senior_leadership_teams"]
    assert teams.value["value"] == 26 and cites(teams, WMS)
    assert len(ENDED_2026 | GOING_ON) + (42 - len(clustered)) == teams.value["value"]


def test_26_leadership_teams_on_2026_01_01_are_the_clusters_and_the_icbs_outside_them(kb):
    # HCWS915 (9 Sep 2025): "the number of ICB senior leadership teams will go from 42 to 26"
    at = "2026-01-01"
    snap = Snapshot(kb, at)
    with real_file(SICBL22).open(encoding="utf-8-sig", newline="") as f:
        region = {f"ods:{r['ICB22CDH']}": f"ods:{r['NHSER22CDH']}" for r in csv.DictReader(f)}
    icbs = set(region)
    # the 42 of July 2022 were all there: ODS's successor file ends none of them before 2026
    ended = {f.subject for f in Snapshot(kb, None).facts(predicate="succeeded_by")
             if f.subject in icbs and f.valid_from <= at}
    assert len(icbs) == 42 and not ended
    in_cluster = {cl: {f.subject for f in snap.members(cl)} for cl in clusters(kb, at)}
    clustered = set().union(*in_cluster.values())
    assert clustered <= icbs and len(clustered) == sum(map(len, in_cluster.values()))  # one each
    alone = icbs - clustered
    (teams,) = [f for f in snap.entity("org:department-of-health").of("figure")
                if f.value["measure"] == "icb_senior_leadership_teams"]
    assert len(in_cluster) + len(alone) == teams.value["value"] == 26
    # clusters were agreed in the Midlands, London, the East and the South (NHS
    # Confederation): no ICB of the North East and Yorkshire (Y63) or the North West (Y62)
    # is in one; of the five others outside a cluster, the three London ICBs and Kent and
    # Medway and Hampshire and Isle of Wight, no source found says they clustered
    north = {i for i in icbs if region[i] in ("ods:Y62", "ods:Y63")}
    assert len(north) == 7 and north <= alone
    assert {region[i] for i in alone - north} == {"ods:Y56", "ods:Y59"}     # London, South East


def test_no_cluster_before_the_south_west_was_agreed_on_25_june_2025(kb):
    assert clusters(kb, "2025-06-01") == set()
    assert clusters(kb, "2025-06-25") == {"org:icb-cluster-gloucestershire-bnssg",
                                          "org:icb-cluster-bsw-somerset-dorset",
                                          "org:icb-cluster-cornwall-devon"}


def test_six_clusters_end_when_their_icbs_merge_on_1_april_2026(kb):
    assert clusters(kb, "2026-03-31") == ENDED_2026 | GOING_ON
    assert clusters(kb, "2026-06-01") == GOING_ON
    before = Snapshot(kb, "2026-03-31")
    for cl in ENDED_2026:
        (t,) = before.entity(cl).of("org_type")
        assert t.valid_to == "2026-04-01" and t.inferred and cites(t, WMS)
        assert Snapshot(kb, "2026-06-01").members(cl) == []


def test_members_of_the_bsw_somerset_and_dorset_cluster(kb):
    members = Snapshot(kb, "2026-01-01").members("org:icb-cluster-bsw-somerset-dorset")
    assert {f.subject for f in members} == {"ods:QOX", "ods:QSL", "ods:QVV"}
    assert all(cites(f, BNSSG) and f.valid_from == "2025-06-25" for f in members)
    assert {f.subject_label for f in members} == {
        "NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board",
        "NHS Somerset Integrated Care Board", "NHS Dorset Integrated Care Board"}


def test_the_dln_cluster_and_its_chair_designate(kb):
    snap = Snapshot(kb, "2025-12-01")
    cl = "org:icb-cluster-derbyshire-lincolnshire-nottinghamshire"
    assert {f.subject for f in snap.members(cl)} == {"ods:QJ2", "ods:QJM", "ods:QT1"}
    (chair,) = snap.holders(cl, "chair")
    assert chair.subject_label == "Kathy McLean" and chair.qualifiers.get("designate")
    assert cites(chair, LINCS) and chair.valid_from == "2025-09-01"


def test_shared_chief_executives(kb):
    snap = Snapshot(kb, "2025-12-01")
    (ceo,) = snap.holders("org:icb-cluster-staffordshire-shropshire", "chief_executive")
    assert ceo.subject_label == "Simon Whitehouse" and cites(ceo, LICH)
    (ceo,) = snap.holders("org:icb-cluster-thames-valley-partners", "chief_executive")
    assert ceo.subject_label == "Nick Broughton" and cites(ceo, MK)
    (chair,) = snap.holders("org:icb-cluster-cornwall-devon", "chair")
    assert chair.subject_label == "John Govett" and chair.valid_from == "2025-09-01"
    assert cites(chair, "src:cornish-times-cluster-chair-2025")     # "took up the post on September 1"
    # the Thames Valley partnership ended with BOB and Frimley ICBs on 1 April 2026
    assert Snapshot(kb, "2026-06-01").holders("org:icb-cluster-thames-valley-partners") == []


def test_the_2027_mergers_are_announced_not_in_force_on_2027_06_01(kb):
    after = Snapshot(kb, "2027-06-01")
    # in force: the eight clusters and their ICBs are still there, none succeeded
    assert clusters(kb, "2027-06-01") == GOING_ON
    icbs = {f.subject for cl in GOING_ON for f in after.members(cl)}
    assert len(icbs) == 18 and all(after.entity(i).org_type == "icb" for i in icbs)
    assert not [f for i in icbs for f in Snapshot(kb, None).entity(i).of("succeeded_by")]
    # announced: events of type merger_announced, dated by the announcement, each cited
    ann = {f.subject: f for f in Snapshot(kb, None).facts(predicate="event_type")
           if f.value == "merger_announced"}
    assert set(ann) == {"event:icb-mergers-2027-nhse-procedure", "event:icb-mergers-2027-timetable",
                        "event:dorset-somerset-bsw-merger-2027"}
    assert all(f.qualifiers["effective"].startswith("2027-04") for f in ann.values())
    assert all(f.valid_from < "2026" and f.valid_to is None for f in ann.values())
    assert ann["event:icb-mergers-2027-nhse-procedure"].valid_from == "2025-09-23"
    assert cites(ann["event:icb-mergers-2027-nhse-procedure"], PROC)
    assert cites(ann["event:icb-mergers-2027-timetable"], CONFED)
    dorset = Snapshot(kb, None).entity("event:dorset-somerset-bsw-merger-2027").of("involves")
    assert {f.object for f in dorset} >= {"ods:QVV", "ods:QSL", "ods:QOX"}
    assert all(cites(f, BCP) for f in dorset)


def test_clustered_icbs_are_seen_by_the_icb_cluster_rule(kb):
    (finding,) = check(kb, "ods:QUA", "2025-12-01", "ICB-CLUSTER")
    assert finding.outcome != "not_applicable"
    assert "Birmingham, Black Country and Solihull" in finding.explanation


def test_the_curated_clusters_raise_no_conflict(kb):
    ours = ENDED_2026 | GOING_ON | {f.subject for cl in ENDED_2026 | GOING_ON
                                    for f in Snapshot(kb, "2026-01-01").members(cl)}
    assert not [c for c in conflicts(kb) if {c.a.subject, c.b.subject} & ours]


# -- the April 2026 mergers against the clusters that preceded them ----------------------
def test_the_april_2026_mergers_follow_the_clusters_before_them(kb):
    # ODS's successions of 1 April 2026 (not curated: read from the real successor file)
    succ: dict[str, set[str]] = {}
    for f in Snapshot(kb, None).facts(predicate="succeeded_by"):
        if f.valid_from == "2026-04-01" and f.subject.startswith("ods:Q"):
            succ.setdefault(f.subject, set()).add(f.object)
    assert len(succ) == 12 and sum(map(len, succ.values())) == 16
    before = Snapshot(kb, "2026-03-31")
    members = {cl: {f.subject for f in before.members(cl)} for cl in ENDED_2026 | GOING_ON}
    # the twelve ICBs that ODS succeeded are exactly the members of the six clusters that end
    assert set(succ) == set().union(*(members[cl] for cl in ENDED_2026))
    assert not set(succ) & set().union(*(members[cl] for cl in GOING_ON))
    # each ending cluster's ICBs all went (wholly or in part) into one new ICB, a different
    # one for each cluster: Central East, Essex, Norfolk and Suffolk, West and North London,
    # Thames Valley, Surrey and Sussex
    into = {}
    for cl in ENDED_2026:
        (common,) = set.intersection(*(succ[i] for i in members[cl]))
        into[cl] = common
    assert len(set(into.values())) == 6
    assert into["org:icb-cluster-thames-valley-partners"] == "ods:S0E4D"
    assert into["org:icb-cluster-north-west-north-central-london"] == "ods:Z9B2Z"
    # the one successor outside them: Hampshire and Isle of Wight (QRL), which took part of
    # Frimley, was an ICB in no cluster
    outside = set().union(*succ.values()) - set(into.values())
    assert outside == {"ods:QRL"}
    assert not [cl for cl, m in members.items() if "ods:QRL" in m]
