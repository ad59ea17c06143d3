"""ONS lookups and the derived era changes, on the real published files."""

from __future__ import annotations

import pytest

from conftest import real_file as real, sql_rows as q
from nhsgraph.errors import BadRow
from nhsgraph.importers import import_lookups, import_ods


def n_type(store, t):
    return q(store, "select count(distinct subject_id) from statement where predicate='org_type' "
                    "and value_text=:t and retracted_at is null", t=t)[0][0]


def test_pcts_and_shas_2012(store):
    import_lookups(store, [real("ebmdatalab__openprescribing/PCO12_SHA12_EN_LU.csv"),
                           real("ebmdatalab__openprescribing/PCO_2012.csv"),
                           real("ebmdatalab__openprescribing/SHA_2012.csv")])
    # T-codes are care trusts with PCT functions, not PCTs
    assert n_type(store, "pct") + n_type(store, "care_trust") == 151
    assert n_type(store, "care_trust") == 5 and n_type(store, "sha") == 10
    cts = {r[0] for r in q(store, "select subject_id from statement where predicate='org_type' "
                                  "and value_text='care_trust' and retracted_at is null")}
    assert {"ods:TAK", "ods:TAP"} <= cts and all(c.startswith("ods:T") for c in cts)
    # on 2012-06-01 every PCT is accountable to an SHA (SQL-level as-at)
    rows = q(store, """
        select s.subject_id, s.object_id from statement s
        join statement t on t.subject_id = s.object_id and t.predicate='org_type'
             and t.value_text='sha' and t.retracted_at is null
        where s.predicate='accountable_to' and s.retracted_at is null
          and (s.valid_from is null or s.valid_from <= '2012-06-01')
          and (s.valid_to is null or s.valid_to > '2012-06-01')
          and s.subject_id in (select subject_id from statement where predicate='org_type'
                               and value_text in ('pct', 'care_trust'))""")
    assert len({r[0] for r in rows}) == 151 and len({r[1] for r in rows}) == 10
    # four PCTs straddle two SHAs: both parents kept, both cited
    two = q(store, "select subject_id from statement where predicate='accountable_to' "
                   "group by subject_id having count(*) = 2 order by subject_id")
    assert [r[0] for r in two] == ["ods:5K3", "ods:5LH", "ods:5N9", "ods:5QG"]
    assert q(store, "select count(*) from citation c join statement s on s.id=c.statement_id "
                    "where s.subject_id='ods:5K3' and s.predicate='accountable_to'")[0][0] == 2
    (d,) = q(store, "select valid_from, valid_from_precision, valid_to from statement "
                    "where subject_id='ods:Q30' and predicate='org_type'")
    assert (str(d[0]), d[1], str(d[2])) == ("2012-04-01", 2, "2013-04-01")   # April 2012, to abolition


def test_ccgs_2013_resolved_to_ods_with_cr_only_area_teams(store):
    files = [real("ebmdatalab__openprescribing/CCG13_NHSAT13_NHSCR13_EW_LU.csv"),
             real("ebmdatalab__openprescribing/CCG_APR_2013.csv"),
             real("ebmdatalab__openprescribing/at.csv")]
    # The real CCG_APR_2013.csv is Windows-1252 (0x92, a curly apostrophe, on line 203).
    with pytest.raises(BadRow, match=r"CCG_APR_2013\.csv:203: not UTF-8 \(byte 0x92 at offset 7056\)"):
        import_lookups(store, files)
    assert store.counts()["statement"] == 0
    rep = import_lookups(store, files, encoding="cp1252")
    at = [f for f in rep.files if f.path.endswith("at.csv")][0]
    assert at.rows == 25                       # CR-only line endings read as 25 rows
    assert n_type(store, "ccg") == 211 and n_type(store, "area_team") == 25
    # the CCG13 -> area team file has ONS codes only: resolved to ODS via the other two files
    (p,) = q(store, "select object_id, valid_from from statement where subject_id='ods:02N' "
                    "and predicate='accountable_to'")
    assert p[0] == "ods:Q52" and str(p[1]) == "2013-04-01"
    assert q(store, "select count(*) from entity where id like 'ons:E38%'")[0][0] == 0


def test_sicbl_icb_2022_and_2024(store):
    import_lookups(store, [real("humaniverse__geographr/lookup_lsoa11_sicbl22_icb22_ltla22.csv")])
    assert n_type(store, "sub_icb_location") == 106 and n_type(store, "icb") == 42
    links = q(store, "select subject_id, object_id, valid_from from statement where "
                     "predicate='accountable_to' and subject_id in (select subject_id from statement "
                     "where value_text='sub_icb_location')")
    assert len(links) == 106 and len({l[1] for l in links}) == 42
    assert {str(l[2]) for l in links} == {"2022-07-01"}
    succ = q(store, "select subject_id, object_id, valid_from, qualifiers from statement "
                    "where predicate='succeeded_by'")
    assert len(succ) == 106
    assert all('"abolition"' in s[3] and '"derived": true' in s[3] for s in succ)
    assert ("ods:01F", "ods:QYG") in {(s[0], s[1]) for s in succ}
    import_lookups(store, [real("humaniverse__geographr/lookup_lsoa21_icb24.csv")])
    # the 2024 lookup says the same 106 links again: still one statement each, held since
    # 2022 and citing both lookups
    links24 = q(store, "select s.valid_from, count(distinct s.id), count(distinct s.object_id), "
                       "count(distinct c.source_id) from statement s join citation c on "
                       "c.statement_id = s.id where s.predicate='accountable_to' and "
                       "s.retracted_at is null group by s.valid_from")
    assert [(str(r[0]), *r[1:]) for r in links24] == [("2022-07-01", 106, 42, 2)]


def test_pct_to_ccg_derived_abolition(store):
    import_lookups(store, [real("elahmo__dsfood/ccg2ons_pct12_to_ccg13.json")])
    rows = q(store, "select subject_id, object_id, valid_from, qualifiers from statement")
    assert len({r[0] for r in rows}) == 151
    (r,) = [r for r in rows if r[0] == "ods:5A3"]
    assert r[1] == "ods:12A" and str(r[2]) == "2013-04-01" and '"abolition"' in r[3]
    split = q(store, "select count(*) from (select subject_id from statement group by subject_id "
                     "having count(*) > 1) as split")[0][0]
    assert split == 44


def test_ltla_code_history_and_month_from_name(store):
    import_lookups(store, [real("humaniverse__geographr/lookup_ltla22_ltla23.csv"),
                           real("jtrim-ons__ons-lookups/075__ccg19_to_stp19_to_cancer_alliance_jul2019.csv")])
    rows = q(store, "select subject_id, valid_from, qualifiers from statement where "
                    "predicate='succeeded_by' and object_id='ons:E06000063'")
    assert {r[0] for r in rows} == {"ons:E07000026", "ons:E07000028", "ons:E07000029"}
    assert all('"merge"' in r[2] for r in rows)
    (d,) = q(store, "select distinct valid_from from statement where predicate='member_of'")
    assert str(d[0]) == "2019-07-01"


def test_lookup_after_ods_uses_the_same_entities_and_is_idempotent(store):
    import_ods(store, [real("jhau__nhs-spend/eccg.csv")])
    files = [real("jtrim-ons__ons-lookups/031__ccg20_to_stp20_apr2020.csv")]
    first = import_lookups(store, files)
    assert first.entities_new == 0 or q(store, "select count(*) from entity where id like 'ons:%'")[0][0] == 0
    before = store.counts()
    again = import_lookups(store, files)
    assert again.statements_added == 0 and store.counts() == before


def test_bad_lookup_rows(store, tmp_path):
    p = tmp_path / "SHA_2012.csv"
    p.write_text('SHA12CD,SHA12CDO,SHA12NM\nE18000001,Q30,North East\nE18000002,Q31')
    before = store.counts()
    with pytest.raises(BadRow, match=r"SHA_2012\.csv:3: truncated last line: 2 fields, expected 3"):
        import_lookups(store, [p])
    assert store.counts() == before
    rep = import_lookups(store, [p], skip_bad=True)
    assert len(rep.rejected) == 1 and n_type(store, "sha") == 1


def test_gp_practice_mapping_2022(store, tmp_path):
    """NHS Digital's practice -> PCN -> CCG -> STP -> region map, dated by its extract."""
    from nhsgraph.query import Snapshot, landscape

    path = real("nhsx-mirror__SystemHierarchies/gp-reg-pat-prac-map.csv")
    rep = import_lookups(store, [path])
    assert rep.files[0].as_of == "2022-01-01" and rep.rows_read == 6527
    assert [n_type(store, t) for t in ("gp_practice", "pcn", "ccg", "stp", "nhse_region")] == [
        6527, 1255, 106, 42, 7]
    with store.reader() as conn:
        snap = Snapshot.of(conn, "2022-03-01")
        practice = snap.entity("ods:A81001")
        assert [f.object for f in practice.of("member_of")] == ["ods:U89141"]
        pcn = snap.entity("ods:U89141")
        assert pcn.name == "Stockton PCN" and pcn.org_type == "pcn"
        assert [f.object for f in pcn.of("accountable_to")] == ["ods:16C"]
        cite = pcn.one("accountable_to").citations[0]
        assert (cite.file, cite.row, cite.source_title.startswith("NHS Digital GP practice")) == (
            "gp-reg-pat-prac-map.csv", 2, True)
        # a CCG of January 2022 is in its STP, and gone as a CCG from 1 July 2022
        assert [f.object for f in snap.entity("ods:16C").of("member_of")] == ["ods:QHM"]
        assert Snapshot.of(conn, "2022-07-01").entity("ods:16C").org_type is None
        pcns = landscape(conn, "2022-03-01", ["pcn"], by="accountable_to")
        assert len({m["id"] for g in pcns.groups for m in g.members}) == 1255   # some straddle two CCGs
        assert not [g for g in pcns.groups if g.parent is None]
    assert import_lookups(store, [path]).statements_added == 0
    # rows must all carry the same, well-formed extract date
    lines = path.read_text(encoding="utf-8").splitlines()[:4]
    bad = tmp_path / "gp-map.csv"
    bad.write_text("\n".join([lines[0], lines[1], lines[2].replace("01Jan2022", "1/1/22"),
                              lines[3].replace("01Jan2022", "01Feb2022")]) + "\n")
    with pytest.raises(BadRow, match=r"gp-map\.csv:3: bad extract date '1/1/22'"):
        import_lookups(store, [bad])
    rep = import_lookups(store, [bad], skip_bad=True)
    assert [(r.line, r.reason.split(" (")[0]) for r in rep.rejected] == [
        (3, "bad extract date '1/1/22'"), (4, "extract date 2022-02-01 differs from the file's 2022-01-01")]
