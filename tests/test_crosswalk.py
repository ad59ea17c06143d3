"""The crosswalk: a table of codes of one date re-keyed to the bodies of another, on the
mini registry, and checked against two third-party crosswalks on the real national data."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from conftest import PG_URL, REAL, real_file
from nhsgraph.cli import app
from nhsgraph.errors import BadInput, BadRow
from nhsgraph.importers import import_lookups
from nhsgraph.services.crosswalk import code_map, crosswalk_file
from test_changes import renames  # noqa: F401  (the fixture: a trust split in two)

runner = CliRunner()


def table(tmp_path, text: str, name: str = "in.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_a_merge_sums_and_every_row_says_how(mini_store, tmp_path):
    src = table(tmp_path, "ccg,admissions,beds\n01A,100,4\n02B,50.5,2\n01A,1,0\nZZ9,7,1\n")
    with mini_store.reader() as conn:
        cw = crosswalk_file(conn, src, "2013-04-01", "2020-01-01", "ccg")
    assert [(r["code"], r["name"], r["admissions"], r["beds"], r["inputs"]) for r in cw.rows] == [
        ("03C", "NHS Northshire CCG", 151.5, 6.0, 2)]
    assert cw.rows[0]["how"] == "01A -merge-> 03C ×1 (whole); 02B -merge-> 03C ×1 (whole)"
    assert cw.unmapped == [{"line": 5, "code": "ZZ9",
                            "reason": "unknown code: no body with this ODS or ONS code is held"}]
    assert cw.totals_in == {"admissions": 158.5, "beds": 7.0}
    assert cw.totals_out == {"admissions": 151.5, "beds": 6.0}
    assert cw.totals_unmapped == {"admissions": 7.0, "beds": 1.0}


def test_a_chain_to_the_parent_tier(mini_store):
    with mini_store.reader() as conn:
        m = code_map(conn, ["01A"], "2013-04-01", "2023-01-01", "icb")["01A"]
    (r,) = m.routes
    assert (r.target, r.chain, r.kinds, r.share) == ("ods:QX1", ["01A", "03C", "QX1"],
                                                     ["merge", "abolition"], 1.0)


def test_a_split_shares_by_the_weight_held_or_says_it_cannot(renames):
    with renames.reader() as conn:
        equal = code_map(conn, ["RA1"], "2011-01-01", "2013-01-01", "nhs_trust")["RA1"]
        postcode = code_map(conn, ["RA1"], "2011-01-01", "2013-01-01", "nhs_trust",
                            weight="postcode")["RA1"]
        fallback = code_map(conn, ["RA1"], "2011-01-01", "2013-01-01", "nhs_trust",
                            weight="postcode", fallback=True)["RA1"]
        with pytest.raises(BadInput, match="no practice list sizes") as err:
            code_map(conn, ["RA1"], "2011-01-01", "2013-01-01", "nhs_trust",
                     weight="population")
        assert "use --weight lsoa, practices, postcode or equal" in str(err.value)
        # no LSOA lookup lists a trust: its split has no LSOA weight
        lsoa = code_map(conn, ["RA1"], "2011-01-01", "2013-01-01", "nhs_trust",
                        weight="lsoa")["RA1"]
        lsoa_equal = code_map(conn, ["RA1"], "2011-01-01", "2013-01-01", "nhs_trust",
                              weight="lsoa", fallback=True)["RA1"]
    with renames.reader() as conn:     # by its ONS code too
        by_ons = code_map(conn, ["e99000001"], "2011-01-01", "2013-01-01", "nhs_trust")
    assert by_ons["E99000001"].id == "ods:RA1"
    assert [r.target for r in by_ons["E99000001"].routes] == ["ods:RB1", "ods:RC1"]
    assert [(r.target, r.share, r.weight) for r in equal.routes] == [
        ("ods:RB1", 0.5, "equal"), ("ods:RC1", 0.5, "equal")]
    assert postcode.routes == [] and "no postcode shares held" in postcode.reason
    assert {r.weight for r in fallback.routes} == {"equal (fallback: no postcode shares held)"}
    assert lsoa.routes == [] and "no LSOA lookup lists the body that split" in lsoa.reason
    assert [(r.target, r.share, r.weight) for r in lsoa_equal.routes] == [
        ("ods:RB1", 0.5, "equal (fallback: no LSOA lookup lists it)"),
        ("ods:RC1", 0.5, "equal (fallback: no LSOA lookup lists it)")]


def test_a_practice_route_needs_member_practices(mini_store):
    with mini_store.reader() as conn:
        m = code_map(conn, ["01A"], "2013-04-01", "2020-01-01", "ccg", weight="practices")
    assert m["01A"].routes == [] and "no member practices" in m["01A"].reason


@pytest.mark.parametrize("text, line, words", [
    ("code,x\n", 1, "no column 'ccg'"),
    ("ccg,admissions\n01A,12\n02B,twelve\n", 3, "column 'admissions': 'twelve' is not a number"),
    ("ccg,admissions\n01A,\n", 2, "column 'admissions': '' is not a number"),
    ("ccg,admissions\n01-A,1\n", 2, "column 'ccg': '01-A' is not an organisation code"),
    ("ccg,admissions\n01A,1\n02B\n", 3, "1 fields, the header has 2"),
])
def test_bad_tables_name_file_line_and_column(mini_store, tmp_path, text, line, words):
    src = table(tmp_path, text)
    with mini_store.reader() as conn, pytest.raises(BadRow) as err:
        crosswalk_file(conn, src, "2013-04-01", "2020-01-01", "ccg", code_column="ccg")
    assert err.value.line == line and str(err.value).startswith(f"{src}:{line}:")
    assert words in str(err.value)


def test_codes_of_another_kind_are_an_error_at_their_line(mini_store, tmp_path):
    src = table(tmp_path, "code,n\n5AA,1\n5BB,2\nQ90,3\n")
    with mini_store.reader() as conn, pytest.raises(BadRow) as err:
        crosswalk_file(conn, src, "2012-01-01", "2014-01-01", "ccg")
    assert err.value.line == 4
    assert "column 'code': code Q90 is an sha on 2012-01-01, not a pct" in str(err.value)


def test_cli_writes_the_table_and_prints_totals(mini_store, tmp_path):
    db = ["--db", PG_URL or str(tmp_path / "test.db")]
    src = table(tmp_path, "ccg,n\n01A,1\n02B,2\nZZ9,4\n")
    out = tmp_path / "out.csv"
    r = runner.invoke(app, [*db, "crosswalk", str(src), "--from", "2013-04-01", "--to",
                            "2023-01-01", "--type", "icb", "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(x["code"], x["n"], x["inputs"]) for x in rows] == [("QX1", "3.0", "2")]
    text = " ".join(r.output.split())
    assert "total in: n 7" in text and "total out: n 3" in text and "line 4: ZZ9" in text
    r = runner.invoke(app, [*db, "crosswalk", str(src), "--from", "2013-04-01", "--to",
                            "2023-01-01", "--type", "icb", "--weight", "population"])
    assert r.exit_code == 2 and "no practice list sizes" in r.output
    bad = table(tmp_path, "ccg,n\n01A,lots\n", "bad.csv")
    r = runner.invoke(app, [*db, "crosswalk", str(bad), "--from", "2013-04-01", "--to",
                            "2023-01-01", "--type", "icb"])
    assert r.exit_code == 3 and f"{bad}:2: column 'n'" in " ".join(r.output.split())


def test_api_maps_codes(client):
    r = client.get("/api/crosswalk", params={"codes": "01A,02B,ZZ9", "from": "2013-04-01",
                                             "to": "2020-01-01", "type": "ccg"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["unmapped"] == ["ZZ9"]
    assert [(c["code"], [m["code"] for m in c["mapped"]]) for c in d["codes"][:2]] == [
        ("01A", ["03C"]), ("02B", ["03C"])]
    r = client.get("/api/crosswalk", params={"codes": "01A", "from": "2013-04-01",
                                             "to": "2020-01-01", "type": "ccg",
                                             "weight": "population"})
    assert r.status_code == 422 and "no practice list sizes" in r.json()["detail"]
    # no LSOA lookup in the mini registry: a merge needs no weight, and says so
    r = client.get("/api/crosswalk", params={"codes": "01A", "from": "2013-04-01",
                                             "to": "2020-01-01", "type": "ccg",
                                             "weight": "lsoa"})
    assert r.status_code == 200, r.text
    assert [(m["code"], m["weight"]) for m in r.json()["codes"][0]["mapped"]] == [
        ("03C", "whole")]


# -- agreement with third-party crosswalks, on the real national data -------------------
def _main(routes) -> str | None:
    return max(routes, key=lambda r: r.share).target.partition(":")[2] if routes else None


def test_agrees_with_the_strategy_units_ccg_successors(national):
    """old CCG -> 2020 CCG (derived by The Strategy Unit from ODS succ/succarc, undated):
    each old code mapped from the first April it was open, through successions and by LSOA
    overlap (the old CCG's LSOAs in the 2015 lookup against the CCGs of the April 2020
    lookup). Measured: 104 of 104 both ways."""
    store, _ = national
    with (REAL / "The-Strategy-Unit__617_eol_project/ccg_successors.csv").open() as fh:
        ref = {r["old_ccg"]: r["ccg20cdh"] for r in csv.DictReader(fh)}
    for weight in ("equal", "lsoa"):
        ours: dict[str, str | None] = {}
        with store.reader() as conn:
            for d1 in ("2013-04-01", "2015-04-01", "2016-04-01", "2017-04-01", "2018-04-01",
                       "2019-04-01"):
                left = [c for c in ref if ours.get(c) is None]
                for code, m in code_map(conn, left, d1, "2020-04-01", "ccg",
                                        weight=weight).items():
                    ours[code] = _main(m.routes)
        agree = sum(ours.get(c) == t for c, t in ref.items()) / len(ref)
        assert len(ref) == 104 and agree >= 0.98, weight


def test_lsoa_weight_needs_a_lookup_after_the_change(national):
    """No LSOA lookup after April 2024 is held, so the ICBs that the April 2026 mergers
    ended cannot be shared out by LSOAs: they are left unmapped, naming the lookup; an
    ICB that did not change maps whole."""
    store, _ = national
    with store.reader() as conn:
        m = code_map(conn, ["QNQ", "QOP"], "2025-06-01", "2026-06-01", "icb", weight="lsoa")
    assert m["QNQ"].routes == [] and m["QNQ"].reason.startswith(
        "the LSOA lookup nearest 2026-06-01 (LSOA21 -> icb 2024-04-01 "
        "(lookup_lsoa21_icb24.csv)) puts its LSOAs in QNQ (")
    assert [(r.target, r.share) for r in m["QOP"].routes] == [("ods:QOP", 1.0)]


# The lookup sends Newcastle (5D7) and Gateshead (5KF) to 13T, NHS
# Newcastle Gateshead CCG, which ODS opens on 2014-11-26 (a merger of 2013's CCGs): not open
# on 2013-04-01. Gloucestershire (5QH) was succeeded by R1J, a trust, on 2013-03-22 (ODS
# succ, one to one), before the lookup's abolition date.
ANACHRONISTIC = {"5D7": "13T (not open on 2013-04-01)", "5KF": "13T (not open on 2013-04-01)",
                 "5QH": "R1J (nhs_trust on 2013-04-01)"}


def test_practice_route_agrees_with_the_pct_to_ccg_postcode_shares(national):
    """PCT (2012) -> CCG (2013) through practice memberships (ODS epcmem: practice -> PCT
    to 2013-03-31, practice -> CCG from 2013-04-01), against the postcode shares of the
    elahmo/dsfood lookup (not used by this route). Measured: the main CCG agrees for 142
    of 151 PCTs (94.0%), the set of CCGs for 94 (62.3%; practices miss the small postcode
    slivers), and 4.2% of a PCT's share lands elsewhere on average."""
    store, _ = national
    data = json.loads((REAL / "elahmo__dsfood/ccg2ons_pct12_to_ccg13.json").read_text())
    ref = {}
    for o in data:
        ccgs = [o["CCG"]] if isinstance(o["CCG"], dict) else o["CCG"]
        ref[o["nhscode"]] = {c["code"]: float(c["pcd_percent"]) / 100 for c in ccgs}
    with store.reader() as conn:
        practices = code_map(conn, list(ref), "2013-03-01", "2013-04-01", "ccg",
                             weight="practices")
        postcode = code_map(conn, list(ref), "2013-03-01", "2013-04-01", "ccg",
                            weight="postcode")
    main = sets = 0
    moved = []
    for pct, shares in ref.items():
        ours = {r.target.partition(":")[2]: r.share for r in practices[pct].routes}
        assert ours, (pct, practices[pct].reason)
        main += max(ours, key=ours.get) == max(shares, key=shares.get)
        sets += set(ours) == set(shares)
        moved.append(sum(abs(ours.get(k, 0) - shares.get(k, 0)) for k in {*ours, *shares}) / 2)
        # the postcode weight reads the lookup's own shares back (it is the store's copy),
        # but for three PCTs where the other records disagree with it
        back = {r.target.partition(":")[2]: r.share for r in postcode[pct].routes}
        if pct not in ANACHRONISTIC:
            assert back == pytest.approx({k: v / sum(shares.values()) for k, v in shares.items()})
    for pct, why in ANACHRONISTIC.items():
        assert postcode[pct].routes == [] and why in postcode[pct].reason
    assert main / len(ref) >= 0.92 and sets / len(ref) >= 0.55
    assert sum(moved) / len(moved) <= 0.06


# -- the LSOA weight, on the real ONS lookups --------------------------------------------
CCG21 = "humaniverse__geographr/lookup_lsoa11_ccg21_stp21_ltla21.csv"
ICB22 = "humaniverse__geographr/lookup_lsoa11_sicbl22_icb22_ltla22.csv"
ICB24 = "humaniverse__geographr/lookup_lsoa21_icb24.csv"
CCG21_CODES = ("dfe-analytical-services__SEND-AP-Inclusion-Dashboard/"
               "Clinical_Commissioning_Groups_(April_2021)_Names_and_Codes_in_England.csv")


def _lsoas(rel: str, key: str, value: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with real_file(rel).open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            out.setdefault(r[key], set()).add(r[value])
    return out


@pytest.fixture
def lsoa_store(store):
    import_lookups(store, [real_file(CCG21_CODES), real_file(CCG21), real_file(ICB22),
                           real_file(ICB24)])
    return store


def _shares(before: set[str], after: dict[str, set[str]]) -> dict[str, float]:
    counts = {k: len(before & v) for k, v in after.items() if before & v}
    return {k: n / sum(counts.values()) for k, n in counts.items()}


def test_lsoa_weight_shares_a_ccg_whose_area_went_to_two_icbs(lsoa_store, tmp_path):
    """A body whose LSOAs lie in several bodies of the second date is shared out by
    LSOA counts: every CCG of April 2021 against the ICBs of July 2022, as the two files
    (read here with the csv module) place their LSOAs. Tameside and Glossop (01Y) is the
    ones that go two ways are found (Glossop's LSOAs, in Tameside and Glossop (01Y) in 2021,
    are in the Derby and Derbyshire ICB in 2022), and only they. Measured: three, 01Y (13.0%
    to QJ2), D2P2L Black Country and West Birmingham (11.4% to QHL) and 06H Cambridgeshire
    and Peterborough (1.8% to QPM)."""
    ccg_ons = {r: next(iter(v)) for r, v in _lsoas(CCG21_CODES, "CCG21CDH", "CCG21CD").items()}
    before = _lsoas(CCG21, "ccg21_code", "lsoa11_code")
    after = _lsoas(ICB22, "icb22_code_h", "lsoa11_code")
    with lsoa_store.reader() as conn:
        got = code_map(conn, list(ccg_ons), "2021-06-01", "2022-08-01", "icb", weight="lsoa")
    split = {}
    for code, m in got.items():
        assert m.reason is None, (code, m.reason)
        ours = {r.target.partition(":")[2]: r.share for r in m.routes}
        assert ours == pytest.approx(_shares(before[ccg_ons[code]], after)), code
        if len(ours) > 1:
            split[code] = ours
    want = {c for c, ons in ccg_ons.items() if len(_shares(before[ons], after)) > 1}
    assert set(split) == want and "01Y" in want and set(split["01Y"]) == {"QOP", "QJ2"}
    (r, *_) = got["01Y"].routes
    assert r.weight == ("lsoa: LSOA11 -> ccg 2021-04-01 (lookup_lsoa11_ccg21_stp21_ltla21.csv)"
                        " => LSOA11 -> icb 2022-07-01 (lookup_lsoa11_sicbl22_icb22_ltla22.csv)")
    n = len(before[ccg_ons["01Y"]])
    assert {k for r in got["01Y"].routes for k in r.kinds} == {
        f"{len(before[ccg_ons['01Y']] & after[t])} of {n} LSOAs" for t in ("QOP", "QJ2")}
    # a table re-keyed by it: the rows name the weight, totals in and out agree
    src = table(tmp_path, "ccg,admissions\n01Y,1000\n00T,10\n")
    with lsoa_store.reader() as conn:
        cw = crosswalk_file(conn, src, "2021-06-01", "2022-08-01", "icb", weight="lsoa")
    assert cw.totals_in == cw.totals_out == {"admissions": 1010.0}
    rows = {x["code"]: x for x in cw.rows}
    assert rows["QJ2"]["admissions"] == pytest.approx(1000 * split["01Y"]["QJ2"], abs=1e-6)
    assert "01Y -" in rows["QJ2"]["how"] and "(lsoa: LSOA11 -> ccg 2021-04-01" in rows["QJ2"]["how"]


def test_lsoa_weight_across_vintages_says_it_matched_by_code(lsoa_store):
    """2011 LSOAs against 2021 LSOAs are matched by code, and every row says so, with the
    count of the body's LSOAs that have no 2021 LSOA of the same code."""
    ccg_ons = {r: next(iter(v)) for r, v in _lsoas(CCG21_CODES, "CCG21CDH", "CCG21CD").items()}
    before = _lsoas(CCG21, "ccg21_code", "lsoa11_code")[ccg_ons["01Y"]]
    after = _lsoas(ICB24, "icb24_code_nhs", "lsoa21_code")
    with lsoa_store.reader() as conn:
        m = code_map(conn, ["01Y"], "2021-06-01", "2024-06-01", "icb", weight="lsoa")["01Y"]
    lost = len(before - set().union(*after.values()))
    assert {r.target.partition(":")[2]: r.share for r in m.routes} == pytest.approx(
        _shares(before, after))
    assert {r.weight for r in m.routes} == {
        "lsoa: LSOA11 -> ccg 2021-04-01 (lookup_lsoa11_ccg21_stp21_ltla21.csv) => LSOA21 -> "
        f"icb 2024-04-01 (lookup_lsoa21_icb24.csv); LSOA11 and LSOA21 matched by code, "
        f"{lost} of {len(before)} not found"}


def test_lsoa_weight_refuses_bodies_not_of_the_type_on_the_second_day(lsoa_store):
    """The lookup nearest 2022-08-01 that lists CCGs is April 2021's, whose CCGs ended
    with their era on 2022-07-01: the code is left unmapped, with the reason."""
    with lsoa_store.reader() as conn:
        m = code_map(conn, ["01Y"], "2021-06-01", "2022-08-01", "ccg", weight="lsoa")["01Y"]
    assert m.routes == []
    assert m.reason == ("the LSOA lookup nearest 2022-08-01 (LSOA11 -> ccg 2021-04-01 "
                        "(lookup_lsoa11_ccg21_stp21_ltla21.csv)) puts its LSOAs in 01Y (162), "
                        "not a ccg on 2022-08-01")
