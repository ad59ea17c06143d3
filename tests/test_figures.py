"""Shares the data holds, read as figures: the trust -> ICB catchment shares (figures about
a trust, measured against an ICB; not governance) and the LSOAs each body holds in the ONS
lookups (the data behind the crosswalk's LSOA weight), on the real published files."""

from __future__ import annotations

import csv
import json
from collections import defaultdict

import pytest

from conftest import real_file as real, sql_rows as q
from nhsgraph.errors import BadRow
from nhsgraph.importers import detect_kind, import_lookups
from nhsgraph.services.views import entity_data
from nhsgraph.store.areas import read_area_sets

CATCHMENT = "humaniverse__geographr/lookup_nhs_trusts22_icb22.csv"
ICB22 = "humaniverse__geographr/lookup_lsoa11_sicbl22_icb22_ltla22.csv"
CCG21 = "humaniverse__geographr/lookup_lsoa11_ccg21_stp21_ltla21.csv"
HEADER = "nhs_trust22_code,icb22_code,proportion_trust_came_from_icb\n"


def _csv(rel: str) -> list[dict]:
    with real(rel).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_catchment_shares_are_figures_of_trusts_measured_against_icbs(store):
    """Every row of the file is one figure about its trust, whose object is the ICB (its
    ONS code resolved to the ODS entity by the 2022 lookup), cited by file and row, dated
    2022; nothing in it is read as a parent or a membership."""
    assert detect_kind(real(CATCHMENT)) == "catchment"
    report = import_lookups(store, [real(ICB22), real(CATCHMENT)])
    rows = _csv(CATCHMENT)
    ods_of = {r["icb22_code"]: r["icb22_code_h"] for r in _csv(ICB22)}
    want = {(f"ods:{r['nhs_trust22_code']}", f"ods:{ods_of[r['icb22_code']]}", line):
            float(r["proportion_trust_came_from_icb"]) for line, r in enumerate(rows, start=2)}
    got = q(store, "select s.subject_id, s.object_id, c.row, s.value, s.valid_from, "
                   "s.valid_to, c.file from statement s join citation c on c.statement_id = s.id "
                   "where s.predicate = 'figure' and c.method = 'import:catchment' "
                   "and s.retracted_at is null")
    assert len(got) == len(rows) == 1321
    held = {(s, o, row): json.loads(v) for s, o, row, v, *_ in got}
    assert {k: v["value"] for k, v in held.items()} == want
    assert {(v["measure"], v["unit"], v["period"]) for v in held.values()} == {
        ("catchment_share_from_icb", "proportion", "2022")}
    assert {(str(f)[:10], str(t)[:10], file) for *_, f, t, file in got} == {
        ("2022-01-01", "2023-01-01", "lookup_nhs_trusts22_icb22.csv")}
    # each trust's shares add up to one
    sums = defaultdict(float)
    for (trust, _, _), share in want.items():
        sums[trust] += share
    assert len(sums) == 138 and all(abs(s - 1) < 1e-9 for s in sums.values())
    # figures, not governance: the file gives no parent, membership or type
    assert q(store, "select count(*) from statement s join citation c on c.statement_id = s.id "
                    "where c.method = 'import:catchment' and s.predicate <> 'figure'") == [(0,)]
    assert report.rejected == []
    again = import_lookups(store, [real(ICB22), real(CATCHMENT)])
    assert again.statements_added == 0


def test_catchment_shares_are_on_the_trusts_and_the_icbs_answers(store):
    import_lookups(store, [real(ICB22), real(CATCHMENT)])
    rows = _csv(CATCHMENT)
    trust = rows[0]["nhs_trust22_code"]
    icb22 = {r["icb22_code"]: (r["icb22_code_h"], r["icb22_name"]) for r in _csv(ICB22)}
    mine = [r for r in rows if r["nhs_trust22_code"] == trust]
    with store.reader() as conn:
        d = entity_data(conn, trust, at="2022-08-01")
        later = entity_data(conn, trust, at="2024-06-01")
        code, name = icb22[mine[0]["icb22_code"]]
        icb = entity_data(conn, code, at="2022-08-01")
    shown = d["sections"]["figures"]
    assert len(shown) == len(mine)
    assert {f["object"] for f in shown} == {f"ods:{icb22[r['icb22_code']][0]}" for r in mine}
    first = next(f for f in shown if f["object"] == f"ods:{code}")
    assert first["display"].startswith("catchment_share_from_icb: ")
    assert first["display"].endswith(f"proportion — {name}")
    assert first["citations"][0]["row"] == 2
    # the 2022 figures are not figures of 2024
    assert "figures" not in later["sections"]
    into = icb["sections"]["figures_about"]
    assert f"ods:{trust}" in {f["subject"] for f in into}
    assert len(into) == sum(r["icb22_code"] == mine[0]["icb22_code"] for r in rows)


@pytest.mark.parametrize("body, line, words", [
    ("R0A,E54000008,0.5\nR0A,E54000010,lots\n", 3,
     "column 3 (proportion_trust_came_from_icb): 'lots' is not a share from 0 to 1"),
    ("R0A,E54000008,1.5\n", 2,
     "column 3 (proportion_trust_came_from_icb): '1.5' is not a share from 0 to 1"),
    ("R0A,Q99,0.5\n", 2, "column 2 (icb22_code): 'Q99' is not an ICB ONS code"),
    ("R-0A,E54000008,0.5\n", 2, "column 1 (nhs_trust22_code): 'R-0A' is not a trust code"),
    ("R0A,E54000008,0.5\nR0A,E54000010\n", 3, "wrong number of fields: 2, expected 3"),
])
def test_bad_catchment_rows_name_file_line_and_column(store, tmp_path, body, line, words):
    path = tmp_path / "catchment.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(BadRow) as err:
        import_lookups(store, [path])
    assert err.value.line == line and str(err.value).startswith(f"{path}:{line}: ")
    assert words in str(err.value)
    assert q(store, "select count(*) from statement") == [(0,)]      # nothing written


def test_lookups_keep_the_lsoas_of_each_body(store):
    """One row per body and lookup level, with its LSOAs: the sets read back are those of
    the files (read here with the csv module), every LSOA in one body of each level."""
    import_lookups(store, [real(CCG21), real(ICB22)])
    want = defaultdict(lambda: defaultdict(set))
    for rel, cols in ((CCG21, (("ccg", "ccg21_code"), ("stp", "stp21_code"))),
                      (ICB22, (("sub_icb_location", "sicbl22_code"), ("icb", "icb22_code")))):
        for r in _csv(rel):
            for level, col in cols:
                want[(rel.split("/")[1], level)][r[col]].add(r["lsoa11_code"])
    with store.reader() as conn:
        sets = read_area_sets(conn)
    got = defaultdict(list)
    for s in sets:
        got[(s.source_id.removeprefix("src:ons:") + ".csv", s.level)].append(s)
    assert {k: len(v) for k, v in got.items()} == {k: len(v) for k, v in want.items()} == {
        (CCG21.split("/")[1], "ccg"): 106, (CCG21.split("/")[1], "stp"): 42,
        (ICB22.split("/")[1], "sub_icb_location"): 106, (ICB22.split("/")[1], "icb"): 42}
    for key, bodies in got.items():
        assert sorted(map(sorted, (s.areas for s in bodies))) == \
            sorted(map(sorted, want[key].values()))
        assert {(s.area, str(s.valid_on)) for s in bodies} == {
            ("lsoa11", "2021-04-01" if "ccg21" in key[0] else "2022-07-01")}
    # each set's body is the entity the lookup's own statements are about
    assert q(store, "select count(*) from area_set a where not exists (select 1 from "
                    "statement s where s.subject_id = a.body_id and s.predicate = 'org_type' "
                    "and s.value_text = a.level)") == [(0,)]
    n = q(store, "select count(*) from area_set")
    import_lookups(store, [real(CCG21), real(ICB22)])
    assert q(store, "select count(*) from area_set") == n == [(296,)]


def test_figures_are_queried_by_measure_largest_first(store, tmp_path):
    """``figures_data`` (CLI ``figures``, ``GET /api/entities/{id}/figures``): an ICB's
    catchment shares from each trust, largest first, as the file gives them."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from conftest import PG_URL
    from nhsgraph.app import create_app
    from nhsgraph.cli import app
    from nhsgraph.services.views import figures_data

    import_lookups(store, [real(ICB22), real(CATCHMENT)])
    icb22 = {r["icb22_code"]: r["icb22_code_h"] for r in _csv(ICB22)}
    rows = [r for r in _csv(CATCHMENT) if icb22[r["icb22_code"]] == "QYG"]
    want = sorted(((float(r["proportion_trust_came_from_icb"]), f"ods:{r['nhs_trust22_code']}")
                   for r in rows), reverse=True)
    with store.reader() as conn:
        d = figures_data(conn, "QYG", "2022-08-01", "catchment_share_from_icb")
        none = figures_data(conn, "QYG", "2022-08-01", "turnover")
    assert d["figures"] == [] and none["figures_about"] == []
    assert [(f["value"]["value"], f["subject"]) for f in d["figures_about"]] == want
    db = PG_URL or str(tmp_path / "test.db")
    with TestClient(create_app(db)) as client:
        r = client.get("/api/entities/QYG/figures", params={
            "at": "2022-08-01", "measure": "catchment_share_from_icb"})
        page = client.get("/entities/ods:QYG", params={"at": "2022-08-01"})
    assert r.status_code == 200 and r.json()["figures_about"] == d["figures_about"]
    # the ICB's page lists each trust with its share (the value column is shown)
    assert page.status_code == 200 and "Figures measured against it" in page.text
    top = d["figures_about"][0]
    assert top["display"].rsplit(" — ", 1)[0] in page.text
    out = CliRunner().invoke(app, ["--db", db, "figures", "QYG", "--at", "2022-08-01",
                                   "--measure", "catchment_share_from_icb", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["figures_about"] == d["figures_about"]


def test_the_folder_import_reads_the_catchment_shares(national):
    """In the whole real folder, the catchment file is read as figures: every ICB code of
    the file resolves to an ODS ICB, each ICB's answer lists the trusts' shares from it."""
    store, report = national
    (f,) = [f for f in report.files if f.path.endswith("lookup_nhs_trusts22_icb22.csv")]
    assert f.kind == "catchment" and f.rows == 1321 and f.rejected == 0
    assert q(store, "select count(*), count(distinct s.object_id) from statement s join "
                    "citation c on c.statement_id = s.id where c.method = 'import:catchment' "
                    "and s.retracted_at is null and s.object_id like 'ods:Q%'") == [(1321, 42)]
