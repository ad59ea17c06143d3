"""Counts as at dates in the bundled knowledge base's curated national facts (issue 14),
each checked against a published figure and naming its source.

The curated files hold only what a public source states (background/pct_clusters_2011.yaml,
sha_clusters_2011.yaml, foundation_trusts.yaml, trust_dissolutions.yaml). Where they are not
yet complete against the published national figure, the test says so and checks the part
that is complete (a region, a wave) exactly and the whole only as a bound."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from nhsgraph.errors import NotFound

from nhsgraph.importers.curated import load_curated
from nhsgraph.query import Snapshot, landscape, lineage, resolve
from conftest import SHARED, make_store


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    store = make_store(tmp_path_factory.mktemp("national"))
    load_curated(store)
    with store.reader() as conn:
        yield conn
    store.close()


# Clusters whose type a seed document reports on one day, with no end date (as_reported).
AS_REPORTED_OPEN = {"org:nhs-south-of-england", "org:nhs-midlands-and-east",
                    "org:banes-wiltshire-pct-cluster"}


def ids(ls) -> set[str]:
    return {m["id"] for g in ls.groups for m in g.members}


def clusters_of(conn, pct: str, at: str) -> set[str]:
    return {f.object for f in Snapshot.of(conn, at).entity(pct).of("member_of")
            if f.object.startswith("org:") and f.object.endswith("cluster")}


# -- SHA clusters --------------------------------------------------------------------------
def test_four_sha_clusters_on_2012_01_01(kb):
    """Wikipedia, List of primary care trusts in England (src:wikimili-pct-list): "There were
    four SHA clusters ... London, North of England, NHS Midlands and East, and South of
    England" (October 2011 to March 2013)."""
    assert len(ids(landscape(kb, "2012-01-01", ["sha_cluster"]))) == 4
    assert ids(landscape(kb, "2011-06-01", ["sha_cluster"])) == set()
    # Abolished with the SHAs on 2013-04-01 (HSCA 2012 s.33). Two seed documents report a
    # cluster's type on one day with no end (as_reported), so those two stay open-ended.
    assert ids(landscape(kb, "2013-04-01", ["sha_cluster"])) <= AS_REPORTED_OPEN


def test_every_sha_of_2012_is_in_one_sha_cluster(kb):
    """The ten SHAs (ONS SHA_2012.csv, Q30-Q39) each belong to exactly one of the four
    clusters on 2012-01-01 (Wikipedia list, SHA clusters section)."""
    clusters = ids(landscape(kb, "2012-01-01", ["sha_cluster"]))
    for code in [f"ods:Q{n}" for n in range(30, 40)]:
        parents = {f.object for f in Snapshot.of(kb, "2012-01-01").entity(code).of("member_of")}
        assert len(parents & clusters) == 1, code


def test_midlands_and_east_formed_on_3_october_2011(kb):
    """HSJ, "East Midlands holds final board meeting ahead of clustering" (Sept 2011): formally
    clustered with NHS East of England and NHS West Midlands on 3 October (2011)."""
    ev = Snapshot.of(kb, "2011-10-03").entity("event:midlands-and-east-sha-clustering-2011-10-03")
    (kind,) = ev.of("event_type")
    assert str(kind.valid_from) == "2011-10-03"
    assert {"ods:Q33", "ods:Q34", "ods:Q35", "org:nhs-midlands-and-east"} <= {f.object for f in ev.of("involves")}


# -- PCT clusters --------------------------------------------------------------------------
WEST_MIDLANDS_PCTS = ["5PE", "5M3", "5MV", "5PF", "5PH", "5PK", "5PJ", "5PL", "5CN", "5M2",
                      "5MK", "5MD", "5PM", "5PG", "5MX", "5M1", "5QW"]


def test_west_midlands_had_five_pct_clusters_covering_its_17_pcts(kb):
    """The Guardian, "West Midlands appoints bosses for five PCT clusters" (18 March 2011):
    Black Country, Staffordshire, West Mercia, Arden and Birmingham; every West Midlands PCT
    (ONS PCO12-SHA12 lookup, SHA Q34: 17 PCTs) is in exactly one of them on 2012-01-01."""
    seen = set()
    for code in WEST_MIDLANDS_PCTS:
        mine = clusters_of(kb, f"ods:{code}", "2012-01-01")
        assert len(mine) == 1, code
        seen |= mine
    assert len(seen) == 5


def test_pct_clusters_on_2012_01_01_within_the_published_total(kb):
    """HSJ, "Cluster landscape shows 52 commissioners" (updated 28 April 2011) and HFMA,
    "Clusters at the ready" (31 May 2011): 52 clusters; NHS Kirklees annual report 2011/12:
    "152 PCTs have moved into 50 clusters". The curated file names 39 clusters on 2012-01-01
    (the ones a source we hold names), so the check is a bound, plus the exact curated count."""
    clusters = ids(landscape(kb, "2012-01-01", ["pct_cluster"]))
    assert len(clusters) == 39
    assert len(clusters) <= 52
    # none before the 2011 clustering; all ended with the PCTs on 2013-04-01 (HSCA 2012 s.34)
    assert ids(landscape(kb, "2010-12-31", ["pct_cluster"])) == set()
    assert ids(landscape(kb, "2013-04-01", ["pct_cluster"])) <= AS_REPORTED_OPEN


def test_eight_single_pct_clusters_include_four_named(kb):
    """HFMA (31 May 2011): "eight single PCT clusters, including NHS Somerset, NHS North
    Yorkshire and York, NHS Cumbria and NHS Surrey"."""
    for code in ("5QL", "5NV", "5NE", "5P5"):
        (c,) = clusters_of(kb, f"ods:{code}", "2012-01-01")
        members = [f for f in Snapshot.of(kb, "2012-01-01").entity(c).into("member_of")]
        assert {f.subject for f in members} == {f"ods:{code}"}


def test_north_east_london_and_the_city_from_april_2012(kb):
    """Newham Recorder (April 2012): NHS North East London and the City "brings together seven
    primary care trusts" from 1 April 2012, with Alwen Williams chief executive."""
    org = resolve(kb, "NHS North East London and the City").id
    assert len(Snapshot.of(kb, "2012-06-01").entity(org).into("member_of")) == 7
    assert Snapshot.of(kb, "2012-01-01").entity(org).into("member_of") == []
    (ce,) = Snapshot.of(kb, "2012-06-01").holders(org, "chief_executive")
    assert ce.subject_label == "Alwen Williams"


def test_cluster_chief_executives_west_midlands(kb):
    """The Guardian (18 March 2011): Rob Bacon (Black Country), Graham Urwin (Staffordshire),
    Eamonn Kelly (West Mercia), Stephen Jones (Arden), Denise McLellan (Birmingham)."""
    want = {"Black Country cluster": "Rob Bacon", "Staffordshire cluster": "Graham Urwin",
            "West Mercia cluster": "Eamonn Kelly", "Arden cluster": "Stephen Jones",
            "Birmingham cluster": "Denise McLellan"}
    for cluster, person in want.items():
        org = resolve(kb, cluster, kind="organisation").id
        (ce,) = Snapshot.of(kb, "2012-01-01").holders(org, "chief_executive")
        assert ce.subject_label == person, cluster


# -- foundation trusts ---------------------------------------------------------------------
def test_first_ten_foundation_trusts_on_2004_04_01(kb):
    """BBC News, "First foundation trusts announced" (31 March 2004) and Daily Mail,
    "Foundation hospitals named": the first 10 NHS foundation trusts, authorised from
    1 April 2004; none before."""
    assert len(ids(landscape(kb, "2004-04-01", ["foundation_trust"]))) == 10
    assert ids(landscape(kb, "2004-03-31", ["foundation_trust"])) == set()


def test_twenty_foundation_trusts_on_2004_07_01(kb):
    """BBC News, "More foundation hospitals created" (30 June 2004): "There are now 20 NHS
    Foundation Trusts" from the start of July 2004."""
    assert len(ids(landscape(kb, "2004-07-01", ["foundation_trust"]))) == 20
    published = [f for f in Snapshot.of(kb, "2004-07-01").entity("org:monitor").of("figure")
                 if f.value.get("period") == "2004-07-01"]
    assert published and published[0].value["value"] == 20


def test_foundation_trusts_on_2013_04_01_within_monitor_total(kb):
    """West Midlands Ambulance Service (via NARU), January 2013: "the 145th NHS Foundation Trust
    of all types", the last published total before 2013-04-01 we found (Monitor after the Public
    Accounts Committee, 2012: "the 144 trusts with foundation status"). Only trusts whose
    authorisation date a source gives are curated: 127 of the 145, so the count is a bound,
    plus the exact curated count so that an addition or a lost date shows here."""
    n = len(ids(landscape(kb, "2013-04-01", ["foundation_trust"])))
    assert n <= 145
    assert n == 127  # 99 before curate14, 123 before ft14


def test_authorisation_turns_the_trust_type(kb):
    """Monitor, "Monitor welcomes three new foundation trusts": authorised from 1 December
    2008, Great Western Hospitals (formerly Swindon and Marlborough NHS Trust)."""
    def kind(at):
        (t,) = Snapshot.of(kb, at).entity("ods:RN3").of("org_type")
        return t.value
    assert kind("2008-11-30") == "nhs_trust" and kind("2008-12-01") == "foundation_trust"


# -- dissolutions --------------------------------------------------------------------------
def test_who_took_over_mid_staffordshire(kb):
    """UHNM, MSFT publication scheme page: on 1 November 2014 Mid Staffordshire NHS FT's
    property and liabilities went to University Hospital of North Staffordshire NHS Trust
    (renamed University Hospitals of North Midlands) and The Royal Wolverhampton NHS Trust;
    it was dissolved on 1 November 2017."""
    org = resolve(kb, "Mid Staffordshire NHS Foundation Trust").id
    assert org == "ods:RJD"
    took = {(f.object, str(f.valid_from)) for f in lineage(kb, org).successors}
    assert took == {("ods:RJE", "2014-11-01"), ("ods:RL4", "2014-11-01")}
    assert Snapshot.of(kb, "2015-01-01").entity("ods:RJE").name == \
        "University Hospitals of North Midlands NHS Trust"
    assert ids(landscape(kb, "2017-11-01", ["foundation_trust"])).isdisjoint({"ods:RJD"})


def test_who_took_over_south_london_healthcare(kb):
    """Wikipedia (South London Healthcare NHS Trust, via a mirror) and EastLondonLines
    (October 2013): dissolved 1 October 2013; its hospitals went to King's College Hospital
    NHS FT, the new Lewisham and Greenwich NHS Trust and Oxleas NHS FT."""
    took = {f.object for f in lineage(kb, "ods:RYQ").successors}
    assert took == {"ods:RJZ", "ods:RJ2", "ods:RPG"}
    assert "ods:RYQ" not in ids(landscape(kb, "2013-10-01", ["nhs_trust"]))


def test_foundation_trust_acquisitions(kb):
    """Wikipedia, "Frimley Health NHS Foundation Trust": created on 1 October 2014 by the
    acquisition of Heatherwood and Wexham Park Hospitals NHS FT by Frimley Park Hospital NHS FT;
    Royal Free London, "Our hospitals": Barnet Hospital and Chase Farm Hospital became part of
    the Royal Free London NHS FT on 1 July 2014."""
    for old, new, day in [("ods:RD7", "ods:RDU", "2014-10-01"), ("ods:RVL", "ods:RAL", "2014-07-01")]:
        took = {(f.object, str(f.valid_from), f.qualifiers.get("change")) for f in lineage(kb, old).successors}
        assert took == {(new, day, "merge")}
    assert Snapshot.of(kb, "2015-01-01").entity("ods:RDU").name == "Frimley Health NHS Foundation Trust"
    fts = ids(landscape(kb, "2014-09-30", ["foundation_trust"]))
    assert "ods:RD7" in fts and "ods:RD7" not in ids(landscape(kb, "2014-10-01", ["foundation_trust"]))


def test_five_north_west_clusters(kb):
    """Wikipedia, "NHS North West" (wikisum.wiki copy): the 24 North West PCTs "organised under
    five sub-regional clusters: Greater Manchester, Merseyside, Lancashire, Cheshire & Wirral,
    and Cumbria"."""
    nw = {"org:nhs-greater-manchester-pct-cluster", "org:merseyside-pct-cluster", "org:nhs-lancashire-pct-cluster",
          "org:cheshire-and-wirral-pct-cluster", "org:nhs-cumbria-pct-cluster"}
    assert nw <= ids(landscape(kb, "2012-01-01", ["pct_cluster"]))


def test_south_east_london_cluster(kb):
    """Novell customer story (Bexley): "The local cluster, NHS South East London, became
    operational on 1 April 2011" - Bromley, Greenwich, Lambeth, Lewisham and Southwark PCTs
    and Bexley Care Trust."""
    snap = Snapshot.of(kb, "2011-04-01").entity("org:nhs-south-east-london-pct-cluster")
    assert {f.subject for f in snap.into("member_of")} == {
        "ods:5A7", "ods:5A8", "ods:5LD", "ods:5LF", "ods:5LE", "ods:TAK"}
    assert "org:nhs-south-east-london-pct-cluster" not in ids(landscape(kb, "2011-03-31", ["pct_cluster"]))


def test_five_more_foundation_trusts_in_january_2005(kb):
    """BBC News, 4 January 2005: "Five more NHS trusts have been granted foundation status,
    taking the total in England to 25" - Barnsley, Chesterfield, Gateshead, Harrogate and
    South Tyneside (Harrogate: an FT "since 1 January 2005")."""
    five = {"ods:RFF", "ods:RFS", "ods:RR7", "ods:RCD", "ods:RE9"}
    assert five <= ids(landscape(kb, "2005-01-31", ["foundation_trust"]))
    assert five.isdisjoint(ids(landscape(kb, "2004-12-31", ["foundation_trust"])))
    published = [f.value["value"] for f in Snapshot.of(kb, "2005-01-31").entity("org:monitor").of("figure")
                 if f.value.get("period") == "2005-01"]
    assert published == [25]


def test_thirty_one_foundation_trusts_on_2005_04_01(kb):
    """The Guardian, 1 April 2005: "Six more NHS hospitals were awarded foundation status
    yesterday" (Frimley Park, Heart of England, Lancashire Teaching, Liverpool Women's, RNHRD,
    Royal Bournemouth and Christchurch); "From today there will be 31 foundation trusts".
    Every wave up to then is curated, so the counts match the published totals exactly."""
    assert len(ids(landscape(kb, "2005-01-31", ["foundation_trust"]))) == 25
    assert len(ids(landscape(kb, "2005-03-31", ["foundation_trust"]))) == 25
    assert len(ids(landscape(kb, "2005-04-01", ["foundation_trust"]))) == 31


def test_thirty_two_foundation_trusts_in_november_2005(kb):
    """BBC News, 7 November 2005: "There are currently 32 foundation trusts" - the 31 of
    April 2005 and Rotherham ("established on 1 June 2005", its publication scheme)."""
    assert len(ids(landscape(kb, "2005-05-31", ["foundation_trust"]))) == 31
    assert len(ids(landscape(kb, "2005-11-07", ["foundation_trust"]))) == 32


def test_curated_foundation_trusts_never_exceed_published_totals(kb):
    """Monitor's and the press's running totals (BBC 2004 and 2005; Guardian 1 April 2005;
    Hospital Healthcare 2008: 88; Wikipedia, Pennine Care the 100th in July 2008; Monitor: 112
    on 1 December 2008, 122 on 1 August 2009, 141 on 1 December 2011; PharmaTimes, June 2007: 67;
    Public Finance, August 2007: 73; HSJ, December 2010: 132 after Ashford and St Peter's; HSJ,
    March 2011: 136 with the first two ambulance FTs; NEAS, October 2011: 140; WMAS, January
    2013: "the 145th NHS Foundation Trust"; Bridgewater, November 2014: "There are now 149 NHS
    foundation trusts"). The curated trusts are a subset of the real ones, so on each date their
    number is at most the published total."""
    for day, total in [("2004-07-01", 20), ("2005-01-31", 25), ("2005-04-01", 31), ("2005-11-07", 32),
                       ("2007-06-01", 67), ("2007-08-31", 73), ("2008-02-01", 88), ("2008-07-31", 100),
                       ("2008-12-01", 112), ("2009-08-01", 122), ("2010-12-01", 132), ("2011-03-01", 136),
                       ("2011-11-01", 140), ("2011-12-01", 141), ("2013-01-31", 145), ("2014-11-01", 149)]:
        n = len(ids(landscape(kb, day, ["foundation_trust"])))
        assert n <= total, (day, n, total)


def test_sha_cluster_chief_executives(kb):
    """PharmaTimes, 16 August 2011, and the Department of Health statement (HEFMA copy): Ian
    Dalton (NHS North of England), Sir Ian Carruthers (NHS South of England), Sir Neil McKay
    (NHS Midlands and East), Dame Ruth Carnall continuing at NHS London; "The SHA cluster chief
    executives will assume their roles on October 3"."""
    want = {"org:nhs-north-of-england": "person:ian-dalton", "org:nhs-south-of-england": "person:ian-carruthers",
            "org:nhs-midlands-and-east": "person:neil-mckay", "org:nhs-london-sha-cluster": "person:ruth-carnall"}
    for org, person in want.items():
        ces = {f.subject for f in Snapshot.of(kb, "2012-01-01").entity(org).into("post")
               if f.qualifiers.get("role") == "chief_executive"}
        assert person in ces, (org, ces)
        before = {f.subject for f in Snapshot.of(kb, "2011-10-02").entity(org).into("post")
                  if f.qualifiers.get("role") == "chief_executive"}
        assert person not in before


# -- curate14: more authorisation dates, the Merseyside cluster, PCT coverage ----------------
def ft_from(conn, code: str, at: str = "2015-01-01") -> str:
    (ft,) = [f for f in Snapshot.of(conn, at).entity(f"ods:{code}").of("org_type")
             if f.value == "foundation_trust"]
    return str(ft.valid_from)


@pytest.mark.parametrize("code, day", [
    # each trust's own page or Monitor's register page, quoted in foundation_trusts.yaml
    ("RTK", "2010-12-01"),  # Ashford and St Peter's: "licenced as a Foundation Trust from December 1st, 2010"
    ("RX6", "2011-11-01"),  # NEAS: "became a Foundation Trust on 1st November 2011"
    ("RYD", "2011-03-01"),  # SECAmb annual report 2010/11: "approved by Monitor on 1 March 2011"
    ("RAS", "2011-04-01"),  # Hillingdon (Wikipedia): "became an NHS foundation trust on 1 April 2011"
    ("RVV", "2009-03-01"),  # East Kent: "given NHS Foundation Trust status on 1 March 2009"
    ("RPA", "2008-04-01"),  # Medway, GOV.UK (Monitor): "Date authorised 1 April 2008"
    ("RYE", "2012-03-01"),  # SCAS: "became a Foundation Trust on 1st March 2012"
    ("RYF", "2011-03-01"),  # SWASFT (Wikipedia copy): "On 1 March 2011 ... the first ambulance service"
    ("RP1", "2009-05-01"),  # Northamptonshire Healthcare: "established on 1 May 2009"
    ("RP7", "2007-10-01"),  # Lincolnshire Partnership: "We became a foundation trust on 1 October 2007."
    ("RJC", "2010-03-01"),  # South Warwickshire: "formed on 1 March 2010"
    ("RY2", "2014-11-01"),  # Bridgewater (Wikipedia): "On 1 November 2014" (after 2013, for completeness)
    # ft14
    ("RWK", "2007-11-01"),  # East London (Wikipedia): "it became a foundation trust on 1 November 2007"
    ("RD1", "2014-11-01"),  # RUH Bath, HSJ: with Bridgewater and Derbyshire, "effective from 1 November"
    ("RAX", "2013-05-01"),  # Kingston (Wikipedia): "licensed as an NHS Foundation Trust by Monitor (NHS) from 1 May 2013"
    ("RY8", "2014-11-01"),  # Derbyshire Community, HSJ: with RUH Bath, "effective from 1 November"
    ("RYW", "2016-04-01"),  # Birmingham Community, Monitor: with Sussex Community, "effective from 1 April 2016"
])
def test_foundation_trust_authorisation_days(kb, code, day):
    assert ft_from(kb, code, at=day) == day
    before = str(dt.date.fromisoformat(day) - dt.timedelta(days=1))
    (t,) = Snapshot.of(kb, before).entity(f"ods:{code}").of("org_type")
    assert t.value == "nhs_trust"


def test_month_or_year_only_authorisations_keep_their_precision(kb):
    """Christie (Wikipedia copy): an FT "in April 2007"; Kettering (Wikipedia): "in November
    2008"; County Durham and Darlington (Wikipedia): "in February 2007"; RJAH (its About page):
    "as of August 2011"; the year only for Clatterbridge (its 2008 evidence to the Health
    Committee: "In 2006"), South Devon ("in 2007"), Tavistock and Portman ("in 2006") and
    Calderstones ("in 2009"); ft14: Cheshire and Wirral Partnership (Wikipedia: "in July 2007"),
    Milton Keynes ("In October 2007") and Luton and Dunstable (an old Wikipedia copy's infobox:
    "2006 (foundation trust)"). The curated date keeps the precision the source gives, never a
    made-up day."""
    for code, month in [("RBV", "2007-04"), ("RNQ", "2008-11"), ("RXP", "2007-02"), ("RL1", "2011-08"),
                        ("RYA", "2013-01"), ("RXT", "2008-07"), ("RRD", "2007-10"), ("RJ8", "2010-03"),
                        ("REN", "2006"), ("RA9", "2007"), ("RNK", "2006"), ("RJX", "2009"),
                        ("RXA", "2007-07"), ("RD8", "2007-10"), ("RC9", "2006")]:
        (ft,) = [f for f in Snapshot.of(kb, "2013-04-01").entity(f"ods:{code}").of("org_type")
                 if f.value == "foundation_trust"]
        assert ft.valid_from == month, code


def test_published_foundation_trust_totals_2010_and_2011(kb):
    """HSJ (December 2010): "there are now 132 foundation trusts in total"; NEAS (October 2011):
    "There are now 140 NHS foundation trusts"."""
    got = {f.value["period"]: f.value["value"] for f in Snapshot.of(kb, "2013-04-01").entity("org:monitor").of("figure")}
    assert got["2010-12-01"] == 132 and got["2011-03-01"] == 136 and got["2011-11-01"] == 140
    assert got["2013-01"] == 145  # WMAS (via NARU): "becomes the 145th NHS Foundation Trust of all types"


def test_merseyside_cluster_chief_executive_and_halton(kb):
    """Halton Borough Council minutes, "Merseyside NHS Cluster": "Mr Derek Campbell, Chief
    Executive, Merseyside NHS Cluster", covering four PCTs, with the chief executive of Halton and
    St Helens PCT as its managing director for Halton."""
    (ce,) = Snapshot.of(kb, "2012-01-01").holders("org:merseyside-pct-cluster", "chief_executive")
    assert ce.subject_label == "Derek Campbell"
    assert clusters_of(kb, "ods:5NM", "2012-01-01") == {"org:merseyside-pct-cluster"}
    assert clusters_of(kb, "ods:5NM", "2013-04-01") == set()


PCO_2012 = SHARED / "data/real/ebmdatalab__openprescribing/PCO_2012.csv"

# PCTs on ONS's 2012 list that no source we found places in a cluster on 2012-01-01 (issue 14,
# left undone). Searched: the pages, docs and code corpora (PCT annual reports 2011-13, board
# minutes, HSJ, Wikipedia copies). A PCT leaves this list when a cited membership is curated.
UNPLACED_2012 = {
    # Merseyside (cluster curated; members other than Halton and St Helens not named)
    "5J4", "5NJ", "5NL",
    # north east London before NHS North East London and the City (from April 2012)
    "5A4", "5C2", "5C3", "5C4", "5C5", "5NA", "5NC",
    # clusters with no source found at all
    "5GC", "5P2",            # Bedfordshire and Luton
    "5PN", "5PP",            # Cambridgeshire and Peterborough
    "5N1", "5NY",            # Airedale, Bradford and Leeds
    "5J9", "5ND",            # County Durham and Darlington
    "5QM", "5QN",            # Dorset, Bournemouth and Poole
    "5N9", "5PT", "5QP", "5QV",  # single-PCT clusters (Lincolnshire, Suffolk, Cornwall, Hertfordshire)
}


def test_every_pct_of_2012_is_in_one_cluster_or_a_listed_gap(kb):
    """ONS, PCO_2012.csv: 151 PCTs. On 2012-01-01 each is in exactly one curated PCT cluster, or
    is a listed gap (UNPLACED_2012), never in two; the gaps are exactly the list, so a new
    membership, or a lost one, fails here until the list is updated. (The four mental health care
    trusts the registry also types care_trust are not on the ONS list of commissioners.)"""
    with PCO_2012.open(newline="") as fh:
        codes = [row["PCO12CDO"] for row in csv.DictReader(fh)]
    assert len(codes) == 151
    snap = Snapshot.of(kb, "2012-01-01")
    unplaced = set()
    for code in codes:
        try:
            mine = {f.object for f in snap.entity(f"ods:{code}").of("member_of")
                    if f.object.startswith("org:") and f.object.endswith("cluster")}
        except NotFound:
            mine = set()
        assert len(mine) <= 1, (code, mine)
        if not mine:
            unplaced.add(code)
    assert unplaced == UNPLACED_2012
    assert len(codes) - len(unplaced) == 127


def test_who_took_over_trafford_and_winchester(kb):
    """CMFT, "Acquisition of Trafford Hospitals Gets Final Green Light": "the acquisition will take
    place on 1st April 2012"; Wikipedia, Hampshire Hospitals NHS Foundation Trust: "established on
    9 January 2012 following the merger" of Basingstoke and North Hampshire NHS FT and Winchester
    and Eastleigh Healthcare NHS Trust (Basingstoke Gazette: Basingstoke "taking over" it)."""
    for old, new, day in [("ods:RM4", "ods:RW3", "2012-04-01"), ("ods:RN1", "ods:RN5", "2012-01-09")]:
        took = {(f.object, str(f.valid_from), f.qualifiers.get("change")) for f in lineage(kb, old).successors}
        assert took == {(new, day, "merge")}, old
    assert Snapshot.of(kb, "2012-01-09").entity("ods:RN5").name == "Hampshire Hospitals NHS Foundation Trust"
    # Basingstoke and North Hampshire was already an FT (Steve Brine MP, December 2010: "since December 2006")
    assert ft_from(kb, "RN5") == "2006-12"


def test_greater_manchester_and_sussex_clusters_have_all_their_pcts(kb):
    """HSJ: "The Greater Manchester cluster, of which Manchester is the biggest of 10 PCTs" (Oldham
    PCT annual report: formed in May 2011); NHS Sussex: created in April 2011 for "the four Primary
    Care Trusts (PCTs) covering Sussex", which The Argus (2006) names. Memberships derived from the
    two sources together are marked so."""
    for cluster, n in [("org:nhs-greater-manchester-pct-cluster", 10), ("org:nhs-sussex-pct-cluster", 4)]:
        members = Snapshot.of(kb, "2012-01-01").entity(cluster).into("member_of")
        assert len({f.subject for f in members}) == n, cluster
    (f,) = [m for m in Snapshot.of(kb, "2012-01-01").entity("ods:5P8").of("member_of")
            if m.object == "org:nhs-sussex-pct-cluster"]
    assert f.qualifiers.get("derived") is True and str(f.valid_from) == "2011-04"
    assert clusters_of(kb, "ods:5P8", "2011-03-31") == set()


def test_cheshire_nottinghamshire_and_south_yorkshire_clusters_have_their_pcts(kb):
    """A Wirral Council committee (8 November 2011) lists Kathy Doran as "Chief Executive NHS
    Cheshire, Warrington and Wirral"; HSJ names a "Nottinghamshire PCT cluster" (September 2011)
    and a "south Yorkshire cluster"; Wikipedia and the South Yorkshire Times name the PCTs of
    Nottinghamshire and of South Yorkshire. No source lists these clusters' members, so every
    membership derived here is marked derived."""
    expect = {
        "org:cheshire-and-wirral-pct-cluster": {"ods:5J2", "ods:5NK", "ods:5NN", "ods:5NP"},
        "org:nottinghamshire-pct-cluster": {"ods:5EM", "ods:5N8"},
        "org:south-yorkshire-pct-cluster": {"ods:5ET", "ods:5JE", "ods:5H8", "ods:5N4", "ods:5N5"},
    }
    snap = Snapshot.of(kb, "2012-01-01")
    for cluster, members in expect.items():
        facts = snap.entity(cluster).into("member_of")
        assert {f.subject for f in facts} == members, cluster
        new = [f for f in facts if f.subject not in {"ods:5ET"}]
        assert all(f.qualifiers.get("derived") is True for f in new), cluster
    assert clusters_of(kb, "ods:5NK", "2013-04-01") == set()
    (ceo,) = [f for f in snap.entity("person:kathy-doran").of("post")
              if f.object == "org:cheshire-and-wirral-pct-cluster"]
    assert ceo.qualifiers.get("role") == "chief_executive"
