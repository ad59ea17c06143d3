"""Importing a whole folder of official files, as the demo does."""

import json
import shutil

import pytest

from nhsgraph.errors import BadRow

from nhsgraph.importers import import_lookups, import_ods
from nhsgraph.importers.folder import import_folder
from nhsgraph.query import landscape
from typer.testing import CliRunner

from nhsgraph.cli import app
from conftest import need_real, sql_rows


def test_folder_sorts_files_by_kind_encoding_and_layout(store, tmp_path):
    real = need_real()
    for rel in ("ebmdatalab__openprescribing/PCO12_SHA12_EN_LU.csv",
                "ebmdatalab__openprescribing/CCG_APR_2013.csv",          # Windows-1252
                "humaniverse__geographr/lookup_trust_trust.csv",          # successions
                "humaniverse__geographr/lookup_nhs_trusts22_icb22.csv",   # figures
                "The-Strategy-Unit__617_eol_project/ccg_successors.csv"):  # no parser's layout
        shutil.copy(real / rel, tmp_path / rel.split("/")[1])
    report = import_folder(store, tmp_path)
    assert [p.split("/")[-1] for p in report.cp1252] == ["CCG_APR_2013.csv"]
    assert [p.split("/")[-1] for p, _ in report.skipped] == ["ccg_successors.csv"]
    assert "unknown layout" in report.skipped[0][1]
    kinds = {f.path.split("/")[-1]: f.kind for f in report.files}
    assert kinds["lookup_nhs_trusts22_icb22.csv"] == "catchment"
    assert report.statements_added > 25_000
    with store.reader() as conn:
        ls = landscape(conn, "2012-06-01", ["pct", "care_trust"])
    assert ls.count == 151 and len({g.parent for g in ls.groups}) == 10
    again = import_folder(store, tmp_path)
    assert again.statements_added == 0


CCG_FILES = ("jhau__nhs-spend/eccg.csv",                            # ODS, 2025: close dates
             "ebmdatalab__openprescribing/CCG13_NHSAT13_NHSCR13_EW_LU.csv",   # ONS codes only
             "ebmdatalab__openprescribing/CCG_APR_2013.csv",       # ONS -> ODS, Windows-1252
             "ebmdatalab__openprescribing/at.csv",
             "jtrim-ons__ons-lookups/028__ccg19_to_stp19_apr2019.csv")
# CCGs in England on each date (NHS England's published counts: 211 at the start, then the
# mergers of 2018-19, 2020 and 2021).
CCGS = {"2013-04-01": 211, "2019-06-01": 191, "2020-06-01": 135, "2021-06-01": 106}


def _ccg_counts(store):
    with store.reader() as conn:
        return {d: landscape(conn, d, ["ccg"]).count for d in CCGS}


def test_ccg_landscape_follows_the_mergers_across_ods_and_ons_files(store, tmp_path):
    """ONS lookups know a CCG only at their date, and end it with its era (2022-07-01); the
    ODS record of a CCG that merged earlier ends it then. The CCG13 lookup's ONS codes
    resolve through the Windows-1252 file of the same folder, so no CCG is counted twice."""
    real = need_real()
    for rel in CCG_FILES:
        shutil.copy(real / rel, tmp_path / rel.split("/")[1])
    import_folder(store, tmp_path)
    assert _ccg_counts(store) == CCGS


def test_ods_close_dates_end_lookup_ccgs_imported_before(store, tmp_path):
    real = need_real()
    lookups = [real / rel for rel in CCG_FILES[1:]]
    import_lookups(store, lookups, encoding={lookups[1]: "cp1252"})
    import_ods(store, [real / CCG_FILES[0]])
    assert _ccg_counts(store) == CCGS
    # the lookup's statement is kept, ended at the ODS close date, and still cited
    rows = sql_rows(store, "select s.valid_to, c.source_id from statement s join citation c "
                           "on c.statement_id = s.id where s.subject_id = 'ods:00K' and "
                           "s.predicate = 'org_type' and s.retracted_at is null and "
                           "cast(s.qualifiers as text) like '%era_end%'")
    assert rows and {str(r[0]) for r in rows} == {"2020-03-31"}
    assert {r[1] for r in rows} >= {"src:ons:028__ccg19_to_stp19_apr2019"}


def test_an_stp_ends_by_the_first_national_list_without_it(store):
    """STPs have no close dates in our records: one in the 2017 list and not in 2018's
    ended by 1 April 2018 (derived), instead of lasting to the end of the STP era."""
    real = need_real()
    import_lookups(store, [real / "jtrim-ons__ons-lookups" / name for name in (
        "066__ccg17_to_stp17_apr2017_v3.csv", "065__ccg18_to_stp18_apr2018_v2.csv",
        "028__ccg19_to_stp19_apr2019.csv", "031__ccg20_to_stp20_apr2020.csv")])
    with store.reader() as conn:
        counts = {d: landscape(conn, d, ["stp"]).count
                  for d in ("2017-06-01", "2018-06-01", "2020-06-01")}
    assert counts == {"2017-06-01": 44, "2018-06-01": 42, "2020-06-01": 42}
    rows = sql_rows(store, "select valid_from, valid_to from statement where subject_id = "
                           "'ons:E54000045' and predicate = 'org_type' and retracted_at is null")
    assert [(str(a), str(b)) for a, b in rows] == [("2017-04-01", "2018-04-01")]


def test_nhs_england_regions_follow_the_national_lists(store):
    """Regions have no end date in any lookup: North and Midlands and East (2017-18) end
    by the 2019 list of seven; the Welsh trusts' 'region' W00 is not one of them."""
    real = need_real()
    ons = real / "jtrim-ons__ons-lookups"
    import_lookups(store, [ons / "153__nhsrlo17_to_nhser17_apr2017.csv",
                           ons / "202__ccg18_to_nhsrlo18_to_nhser18_apr2018.csv",
                           ons / "246__nhser19_names_apr2019.csv",
                           real / "humaniverse__geographr/lookup_nhs_trusts22_nhs_region21.csv"])
    with store.reader() as conn:
        counts = {d: landscape(conn, d, ["nhse_region"]).count
                  for d in ("2017-06-01", "2018-06-01", "2019-06-01", "2022-06-01")}
    assert counts == {"2017-06-01": 4, "2018-06-01": 5, "2019-06-01": 7, "2022-06-01": 7}
    assert sql_rows(store, "select count(*) from statement where subject_id = 'ods:W00'") == [(0,)]


def test_districts_merged_away_end_by_the_next_area_lookup(store):
    """Christchurch (E07000048) became part of BCP in 2019: in the 2015 LSOA lookup, not in
    2020's, so it ends by April 2020 (derived); England's districts and unitaries are
    326 in 2016 and 314 in 2020, as ONS counts them."""
    ons = need_real() / "jtrim-ons__ons-lookups"
    import_lookups(store, [ons / "212__lsoa11_to_ccg15_to_lad15_jul2015.csv",
                           ons / "219__lsoa11_to_ccg20_to_lad20_apr2020.csv"])
    with store.reader() as conn:
        counts = {d: landscape(conn, d, ["local_authority"]).count
                  for d in ("2016-06-01", "2020-06-01")}
    assert counts == {"2016-06-01": 326, "2020-06-01": 314}
    rows = sql_rows(store, "select valid_to, cast(qualifiers as text) from statement where "
                           "subject_id = 'ons:E07000048' and predicate = 'org_type' and "
                           "retracted_at is null")
    assert [(str(r[0]), '"end": "derived"' in r[1]) for r in rows] == [("2020-04-01", True)]


def test_a_bad_row_anywhere_in_a_folder_leaves_the_store_unchanged(store, tmp_path):
    """The folder is one import: the ODS files are written before the lookups, and a bad
    row in a lookup undoes them too."""
    real = need_real()
    shutil.copy(real / "ebmdatalab__openprescribing/eccg_2016-02.csv", tmp_path)
    lines = (real / "ebmdatalab__openprescribing/PCO_2012.csv").read_text().splitlines()
    lines[5] = lines[5] + ',"an extra field"'
    (tmp_path / "PCO_2012.csv").write_text("\n".join(lines) + "\n")
    before = store.counts()
    with pytest.raises(BadRow, match=r"PCO_2012\.csv:6:"):
        import_folder(store, tmp_path)
    assert store.counts() == before


def test_import_folder_command_reports_each_file(tmp_path):
    real = need_real()
    for rel in ("ebmdatalab__openprescribing/SHA_2012.csv",
                "epiforecasts__covid19.nhs.data/trust_mergers.csv",
                "The-Strategy-Unit__617_eol_project/ccg_successors.csv"):
        shutil.copy(real / rel, tmp_path / rel.split("/")[1])
    db = tmp_path / "f.db"
    out = CliRunner().invoke(app, ["--db", str(db), "import", "folder", str(tmp_path), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    kinds = {f["path"].split("/")[-1]: f["kind"] for f in data["files"]}
    assert kinds == {"SHA_2012.csv": "ons-lookup", "trust_mergers.csv": "succ-derived"}
    assert [s["path"].split("/")[-1] for s in data["skipped"]] == ["ccg_successors.csv"]
    assert data["counts"]["statements_added"] > 0
