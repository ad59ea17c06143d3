"""ODS extract and successor-file importers, on the real published files and on broken ones."""

from __future__ import annotations

import csv
import datetime as dt
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import real_file as real, sql_rows as q
from nhsgraph.errors import BadInput, BadRow
from nhsgraph.importers import detect_kind, import_lookups, import_ods
from nhsgraph.services.views import fact_dict, period_text
from nhsgraph.query import landscape
from nhsgraph.web import pages
from nhsgraph.query.snapshot import Snapshot


def current(store, subject: str, predicate: str):
    return q(store, "select object_id, value_text, valid_from, valid_to, qualifiers from statement "
                    "where subject_id=:s and predicate=:p and retracted_at is null "
                    "order by valid_from", s=subject, p=predicate)


ROW = ('"{code}","{name}","Y54","Q74","ADDR","","","TOWN","","DL3 6JL","20130401","{close}",'
       '"","C","","","","","","","","0","","","","",""')


def eccg(tmp_path, name="eccg_2020-01.csv", rows=(("00C", "NHS DARLINGTON CCG", ""),),
         newline="\n", tail="\n", encoding="utf-8") -> Path:
    text = newline.join(ROW.format(code=c, name=n, close=x) for c, n, x in rows) + tail
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


# -- detection --------------------------------------------------------------------------------
def test_detect_kind_on_real_files():
    assert detect_kind(real("ebmdatalab__openprescribing/eccg_2016-02.csv")) == "eccg"
    assert detect_kind(real("jah-photoshop__nhsparse/etr.csv")) == "etr"
    assert detect_kind(real("ebmdatalab__openprescribing/epraccur_2016-02.csv")) == "epraccur"
    assert detect_kind(real("dfe-analytical-services__SEND-AP-Inclusion-Dashboard/ect.csv")) == "ect"
    assert detect_kind(real("ebmdatalab__openprescribing/eauth_2018-11.csv")) == "eauth"
    assert detect_kind(real("humaniverse__geographr/lookup_trust_trust.csv")) == "succ-derived"
    assert detect_kind(real("ebmdatalab__openprescribing/PCO_2012.csv")) == "ons-lookup"


def test_unknown_layout_is_a_clear_error(tmp_path):
    p = tmp_path / "mystery.csv"
    p.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(BadInput, match="unknown layout"):
        detect_kind(p)
    p2 = tmp_path / "etr.csv"
    p2.write_text("code,name\nRW6,PENNINE\n")
    with pytest.raises(BadRow, match=r"etr\.csv:1: named like an ODS etr"):
        detect_kind(p2)


# -- real files -------------------------------------------------------------------------------
def test_eccg_2018_counts_and_source(store):
    rep = import_ods(store, [real("ebmdatalab__openprescribing/eccg_2018-11.csv")])
    assert rep.rows_read == 242 and not rep.rejected
    types = dict(q(store, "select value_text, count(distinct subject_id) from statement "
                          "where predicate='org_type' group by value_text"))
    assert types == {"ccg": 213, "commissioning_hub": 29}
    closed = q(store, "select count(distinct subject_id) from statement where predicate='name' "
                      "and valid_to is not null")[0][0]
    assert closed == 18
    src = q(store, "select id, kind, date, meta from source")
    assert len(src) == 1 and src[0][0] == "src:ods:eccg:2018-11" and src[0][1] == "dataset"
    assert src[0][2] == "2018-11" and '"sha256"' in src[0][3]
    # every statement cites the file and row
    cites = q(store, "select c.file, c.row, c.quote, c.method from citation c join statement s "
                     "on s.id=c.statement_id where s.subject_id='ods:00C' and s.predicate='name'")
    assert cites == [("eccg_2018-11.csv", 1, "00C NHS DARLINGTON CCG 20130401", "import:ods")]
    # CCG -> local office, seen at the release date
    assert [r[0] for r in current(store, "ods:00C", "accountable_to")] == ["ods:Q74"]


def test_trust_name_dates_and_split_successor(store):
    import_ods(store, [real("jah-photoshop__nhsparse/etr.csv"),
                       real("humaniverse__geographr/lookup_trust_trust.csv")])
    (name,) = current(store, "ods:RW6", "name")
    assert name[1] == "Pennine Acute Hospitals NHS Trust"     # ODS capitals, cased
    assert str(name[2]) == "2002-04-01" and name[3] is None
    succ = q(store, "select object_id, valid_from, qualifiers from statement where "
                    "subject_id='ods:RW6' and predicate='succeeded_by' order by object_id")
    assert [(s[0], str(s[1])) for s in succ] == [("ods:R0A", "2021-10-01"), ("ods:RM3", "2021-10-01")]
    assert all('"split"' in s[2] for s in succ)
    # the hand-added rows of the 24-field variant: name and postcode, no dates
    (r0a,) = current(store, "ods:R0A", "name")
    assert r0a[1] == "Manchester University NHS Foundation Trust" and r0a[2] is None
    # the official string is kept as an alias
    assert [r[1] for r in current(store, "ods:R0A", "alias")] == [
        "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST"]


def test_successor_counts_and_mergers(store):
    rep = import_ods(store, [real("humaniverse__geographr/lookup_trust_trust.csv")])
    assert rep.rows_read == 25480
    multi = q(store, "select count(*) from (select subject_id from statement where "
                     "predicate='succeeded_by' group by subject_id having count(distinct object_id)>1) as split")
    # 541 old codes have several new codes in the file; 36 of them only because one of the
    # "successors" is the code itself (39 self-rows, e.g. 4CG71 -> 4CG71), which is no change.
    assert multi[0][0] == 541 - 36
    for new, olds in (("ods:15N", {"ods:99P", "ods:99Q"}),
                      ("ods:15M", {"ods:03X", "ods:03Y", "ods:04J", "ods:04R"})):
        rows = q(store, "select subject_id, valid_from, qualifiers from statement where "
                        "predicate='succeeded_by' and object_id=:o", o=new)
        assert {r[0] for r in rows} == olds
        assert all(str(r[1]) == "2019-04-01" and '"merge"' in r[2] for r in rows)
    # unknown codes become bare entities: no invented names or types
    assert q(store, "select count(*) from statement where predicate in ('name','org_type')")[0][0] == 0


def test_epraccur_commissioner_and_join_date(store):
    rep = import_ods(store, [real("ebmdatalab__openprescribing/epraccur_2016-02.csv")])
    assert rep.rows_read == 12922 and not rep.rejected
    (m,) = current(store, "ods:A81001", "member_of")
    assert m[0] == "ods:00K" and str(m[2]) == "2013-04-01"
    gp = q(store, "select count(distinct subject_id) from statement where predicate='org_type' "
                  "and value_text='gp_practice'")[0][0]
    assert gp == 8177


def test_a_practice_leaves_its_ccg_when_the_ccg_closes(store):
    """epraccur 2016 gives a practice's CCG with no end; the 2025 eccg says that CCG closed
    in the 2020 mergers. The membership ends then (derived, still citing the practice's
    row), and importing again changes nothing."""
    practices = real("ebmdatalab__openprescribing/epraccur_2016-02.csv")
    ccgs = real("jhau__nhs-spend/eccg.csv")
    import_ods(store, [practices])
    import_ods(store, [ccgs])
    rows = q(store, "select s.valid_to, cast(s.qualifiers as text), c.file, c.row "
                    "from statement s join citation c on c.statement_id = s.id "
                    "where s.subject_id = 'ods:A81001' and s.object_id = 'ods:00K' "
                    "and s.retracted_at is null")
    assert [(str(r[0]), '"end": "derived"' in r[1], r[2], r[3]) for r in rows] == \
        [("2020-03-31", True, "epraccur_2016-02.csv", 1)]
    # the open link, committed by the first import, is superseded, not lost
    assert q(store, "select valid_to from statement where subject_id = 'ods:A81001' and "
                    "object_id = 'ods:00K' and retracted_at is not null") == [(None,)]
    with store.reader() as conn:
        def ccg(d):
            return [f.object for f in Snapshot.of(conn, d).facts("ods:A81001", "member_of")]
        assert ccg("2016-06-01") == ["ods:00K"] and ccg("2020-06-01") == []
        (link,) = Snapshot.of(conn, "2016-06-01").facts("ods:A81001", "member_of")
    # shown as inferred wherever its dates are
    assert link.inferred == "end derived"
    assert period_text(link) == "2013-04-01 – 2020-03-31 (end derived)"
    assert "2020-03-31 <span class=\"app-muted\">(end derived)</span>" in str(
        pages.env.get_template("_macros.html").module.when(fact_dict(link)))
    # a practice whose CCG is still open (North Cumbria, a sub-ICB location since 2022)
    # keeps its open link
    assert [(r[0], r[3]) for r in current(store, "ods:A82003", "member_of")] == [("ods:01H", None)]
    before = store.counts()
    assert import_ods(store, [practices, ccgs]).statements_added == 0
    assert store.counts() == before


def test_an_ft_in_several_releases_is_an_ft_since_the_first(store):
    """etr does not say when a trust became an FT: its name in a release makes it one from
    that release. Seen again in the 2022 and 2025 releases, it has been one since 2015,
    so the trusts of 2016 are all there (about 240, as in the 2015/16 file)."""
    files = [real("jah-photoshop__nhsparse/etr.csv"),                 # 2015/16
             real("nhsx-mirror__SystemHierarchies/etr.csv"),          # 2022
             real("jhau__nhs-spend/etr.csv")]                          # 2025
    import_ods(store, files)
    assert [(r[1], str(r[2]), r[3]) for r in current(store, "ods:RTH", "org_type")] == \
        [("foundation_trust", "2015-09-30", None)]
    with store.reader() as conn:
        alive = {t: landscape(conn, "2016-06-01", [t]).count
                 for t in ("nhs_trust", "foundation_trust")}
    in_file = [r for r in csv.reader(files[0].open(encoding="utf-8"))
               if not r[11].strip() or r[11].strip() > "20160601"]
    fts = sum("FOUNDATION TRUST" in r[1].upper() for r in in_file)
    assert alive == {"foundation_trust": fts, "nhs_trust": len(in_file) - fts}
    assert fts > 140
    # the release's date is a bound, and is shown so: an FT by then, not from then
    with store.reader() as conn:
        (ft,) = Snapshot.of(conn, "2016-06-01").entity("ods:RTH").of("org_type")
    assert ft.start_is_bound and period_text(ft).startswith("by 2015-09-30")
    assert "by 2015-09-30" in pages.env.get_template("_macros.html").module.when(fact_dict(ft))


def test_icb_era_eccg_sub_icb_locations(store):
    import_ods(store, [real("jhau__nhs-spend/eccg.csv")])
    sicbl = q(store, "select count(distinct subject_id) from statement where predicate='org_type' "
                     "and value_text='sub_icb_location'")[0][0]
    assert sicbl == 106
    parents = q(store, "select count(distinct s.object_id) from statement s where "
                       "s.predicate='accountable_to' and s.subject_id in (select subject_id from "
                       "statement where value_text='sub_icb_location')")[0][0]
    assert parents == 42
    # a former CCG is a CCG until 1 July 2022, then a sub-ICB location
    types = [(r[1], str(r[2]), str(r[3]) if r[3] else None) for r in current(store, "ods:01F", "org_type")]
    assert types == [("ccg", "2013-04-01", "2022-07-01"), ("sub_icb_location", "2022-07-01", None)]


def test_zipped_extract_reads_like_plain(store, tmp_path):
    src = real("ebmdatalab__openprescribing/eauth_2018-11.csv")
    z = tmp_path / "eauth_2018-11.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(src, "eauth.csv")
    rep = import_ods(store, [z])
    assert rep.rows_read == 36
    assert [r[0] for r in current(store, "ods:Q74", "accountable_to")] == ["ods:Y54"]
    assert current(store, "ods:Y54", "org_type")[0][1] == "commissioning_region"
    again = import_ods(store, [src])     # the same bytes, plain: nothing new
    assert again.statements_added == 0


# -- idempotency and newer snapshots ----------------------------------------------------------
def test_import_twice_adds_nothing(store):
    files = [real("ebmdatalab__openprescribing/eccg_2016-02.csv"),
             real("ebmdatalab__openprescribing/eccg_2018-11.csv"), real("jhau__nhs-spend/eccg.csv")]
    first = import_ods(store, files)
    assert first.statements_added > 0
    before = store.counts()
    second = import_ods(store, files)
    assert second.statements_added == 0 and second.statements_superseded == 0
    assert store.counts() == before


def test_newer_snapshot_supersedes_and_old_answer_is_still_known(store):
    import_ods(store, [real("ebmdatalab__openprescribing/eccg_2016-02.csv")])
    between = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    time.sleep(0.01)
    rep = import_ods(store, [real("ebmdatalab__openprescribing/eccg_2018-11.csv")])
    assert rep.statements_superseded > 0
    assert [r[1] for r in current(store, "ods:01H", "name")] == ["NHS North Cumbria CCG"]

    def known_at(when, subject, pred):
        return q(store, "select value_text, valid_from, valid_to from statement where "
                        "subject_id=:s and predicate=:p and recorded_at <= :t and "
                        "(retracted_at is null or retracted_at > :t)", s=subject, p=pred, t=when)
    assert [r[0] for r in known_at(between, "ods:01H", "name")] == ["NHS Cumbria CCG"]
    # postcode moved: the old one held from the 2016 release until the 2018 one
    pcs = [(r[1], str(r[2]), str(r[3]) if r[3] else None) for r in current(store, "ods:00C", "postcode")]
    assert pcs == [("DL3 6JL", "2016-02-01", "2018-11-01"), ("TS23 2LA", "2018-11-01", None)]
    # the same parent seen again keeps its earlier start
    assert [str(r[2]) for r in current(store, "ods:00D", "accountable_to")] == ["2016-02-01"]
    # the 2025 file closes 00C in 2020: facts end then; an org absent from a newer file stays
    import_ods(store, [real("jhau__nhs-spend/eccg.csv")])
    assert [str(r[3]) for r in current(store, "ods:00C", "name")] == ["2020-03-31"]
    assert [str(r[3]) for r in current(store, "ods:00C", "accountable_to")] == ["2020-03-31"]


def test_missing_org_in_newer_snapshot_is_not_retracted(store, tmp_path):
    import_ods(store, [eccg(tmp_path, "eccg_2019-01.csv",
                            rows=[("00C", "NHS DARLINGTON CCG", ""), ("00D", "NHS DURHAM CCG", "")])])
    import_ods(store, [eccg(tmp_path, "eccg_2020-01.csv", rows=[("00C", "NHS DARLINGTON CCG", "")])])
    assert [r[1] for r in current(store, "ods:00D", "name")] == ["NHS Durham CCG"]


# -- bulk loads ------------------------------------------------------------------------------
def _indexes(store) -> dict:
    with store.reader() as conn:
        insp = sa.inspect(conn)
        return {t: sorted((ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                          for ix in insp.get_indexes(t)) for t in ("statement", "citation")}


def _ddl(store) -> list[str]:
    """The index DDL statements run on the store from now on."""
    seen = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda conn, cur, sql, *a: seen.append(sql) if "INDEX" in sql.upper() else None)
    return seen


def test_a_bulk_load_rebuilds_the_indexes_it_drops(store):
    before = _indexes(store)
    ddl = _ddl(store)
    rep = import_ods(store, [real("ebmdatalab__openprescribing/epraccur_2016-02.csv")])
    assert rep.statements_added > 10_000
    assert any(s.strip().upper().startswith("DROP INDEX") for s in ddl)      # the bulk path ran
    assert _indexes(store) == before
    # and a second import of the same file (the store now holds as much) keeps them
    ddl.clear()
    assert import_ods(store, [real("ebmdatalab__openprescribing/epraccur_2016-02.csv")]
                      ).statements_added == 0
    assert not any(s.strip().upper().startswith("DROP INDEX") for s in ddl)


def test_a_failed_bulk_load_leaves_the_store_and_its_indexes_unchanged(store):
    # ods:A81001 (a practice in the file) held as a person: the import fails when it
    # writes the entities, after the bulk load has dropped the indexes.
    with store.writer() as w:
        w.ensure_entity("ods:A81001", "person")
    before, counts = _indexes(store), store.counts()
    ddl = _ddl(store)
    with pytest.raises(BadInput, match="ods:A81001 is a person"):
        import_ods(store, [real("ebmdatalab__openprescribing/epraccur_2016-02.csv")])
    assert any(s.strip().upper().startswith("DROP INDEX") for s in ddl)
    assert _indexes(store) == before and store.counts() == counts


# -- bad input --------------------------------------------------------------------------------
def test_bad_inputs_leave_the_store_unchanged(store, tmp_path):
    import_ods(store, [eccg(tmp_path, "eccg_2019-01.csv")])
    before = store.counts()
    good = [("00C", "NHS DARLINGTON CCG", ""), ("00D", "NHS DURHAM CCG", "")]
    # wrong column count in the middle
    p = eccg(tmp_path, rows=good)
    p.write_text(p.read_text() + '"00F","X","Y54"\n' + ROW.format(code="00G", name="G", close="") + "\n")
    with pytest.raises(BadRow, match=r"eccg_2020-01\.csv:3: wrong number of fields: 3, expected 27"):
        import_ods(store, [p])
    # truncated last line (no final line break)
    t = eccg(tmp_path, "eccg_2020-02.csv", rows=good)
    t.write_text(t.read_text() + '"00F","NHS GATESHEAD CCG","Y54","Q4')
    with pytest.raises(BadRow, match=r"eccg_2020-02\.csv:3: bad CSV: truncated|eccg_2020-02\.csv:3: truncated"):
        import_ods(store, [t])
    t2 = eccg(tmp_path, "eccg_2020-03.csv", rows=good)
    t2.write_text(t2.read_text() + '"00F","NHS GATESHEAD CCG","Y54"')
    with pytest.raises(BadRow, match=r"eccg_2020-03\.csv:3: truncated last line: 3 fields"):
        import_ods(store, [t2])
    # not UTF-8
    n = eccg(tmp_path, "eccg_2020-04.csv", rows=good + [("00F", "NHS GATESHEAD CAF\u00c9", "")],
             encoding="cp1252")
    with pytest.raises(BadRow, match=r"eccg_2020-04\.csv:3: not UTF-8 \(byte 0xc9 at offset \d+\)"):
        import_ods(store, [n])
    # empty
    e = tmp_path / "eccg_2020-05.csv"
    e.write_text("")
    with pytest.raises(BadRow, match=r"eccg_2020-05\.csv:1: empty file"):
        import_ods(store, [e])
    # a bad date in a later file of the same import: nothing of the first file is kept
    d = eccg(tmp_path, "eccg_2020-06.csv", rows=[("00X", "NHS X CCG", "2020XX01")])
    with pytest.raises(BadRow, match=r"eccg_2020-06\.csv:1: 00X: not a date"):
        import_ods(store, [eccg(tmp_path, "eccg_2020-07.csv", rows=good), d])
    assert store.counts() == before


def test_cp1252_only_when_asked(store, tmp_path):
    n = eccg(tmp_path, rows=[("00F", "NHS GATESHEAD CAF\u00c9", "")], encoding="cp1252")
    import_ods(store, [n], encoding="cp1252")
    assert current(store, "ods:00F", "name")[0][1] == "NHS Gateshead Caf\u00e9"
    assert current(store, "ods:00F", "alias")[0][1] == "NHS GATESHEAD CAF\u00c9"


def test_line_endings_and_bom(store, tmp_path):
    rows = [("00C", "NHS DARLINGTON CCG", ""), ("00D", "NHS DURHAM CCG", "20200331")]
    cr = eccg(tmp_path, "eccg_2020-01.csv", rows=rows, newline="\r", tail="\r")
    crlf = eccg(tmp_path, "eccg_2020-02.csv", rows=rows, newline="\r\n", tail="")
    bom = eccg(tmp_path, "eccg_2020-03.csv", rows=rows, encoding="utf-8-sig")
    rep = import_ods(store, [cr, crlf, bom])
    assert rep.rows_read == 6 and not rep.rejected
    rowsnum = q(store, "select distinct c.file, c.row from citation c join statement s on "
                       "s.id=c.statement_id where s.subject_id='ods:00D' and s.predicate='name'")
    assert sorted(rowsnum) == [("eccg_2020-01.csv", 2), ("eccg_2020-02.csv", 2), ("eccg_2020-03.csv", 2)]
    assert current(store, "ods:00C", "name")[0][1] == "NHS Darlington CCG"   # no BOM in the code


def test_skip_bad_imports_good_rows_and_reports(store, tmp_path):
    p = eccg(tmp_path, rows=[("00C", "NHS DARLINGTON CCG", ""), ("00D", "NHS DURHAM CCG", "2019")])
    p.write_text(p.read_text() + '"00F","X"\n')
    rep = import_ods(store, [p], skip_bad=True)
    assert [str(r) for r in rep.rejected] == [
        f"{p}:2: 00D: not a date: '2019' (expected YYYYMMDD)",
        f"{p}:3: wrong number of fields: 2, expected 27"]
    out = rep.write_rejected(tmp_path / "rejected.txt")
    assert out.read_text().count("\n") == 2
    assert current(store, "ods:00C", "name") and not current(store, "ods:00D", "name")


def test_as_at_option_and_wrong_importer(store, tmp_path):
    p = eccg(tmp_path, "eccg.csv")
    rep = import_ods(store, [p], as_at="2021-03-01")
    assert rep.files[0].as_of == "2021-03-01"
    assert q(store, "select id from source") == [("src:ods:eccg:2021-03-01",)]
    with pytest.raises(BadInput, match="import_lookups"):
        import_ods(store, [real("ebmdatalab__openprescribing/SHA_2012.csv")])
    with pytest.raises(BadInput, match="import_ods"):
        import_lookups(store, [p])


def test_progress_callback(store, tmp_path):
    calls = []
    import_ods(store, [eccg(tmp_path)], progress=lambda a, t, d: calls.append((a, t, d)))
    assert any("writing" in d for _, _, d in calls) and sum(a for a, _, d in calls if "writing" in d) > 0
