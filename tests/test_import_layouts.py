"""Every layout the real files come in: the 2026 successor file (empty reason, 0/1
indicator), successor lookups with other headers (trust mergers, RCPCH's ICB successions),
ODS epcmem (practice membership history), the 2026 epraccur layout (ACTIVE, role codes),
NHS Digital's 2020 practice map (01-Sep-20); and change types that say what happened."""

from __future__ import annotations

from conftest import real_file as real, sql_rows as q
from nhsgraph.importers import detect_kind, import_lookups, import_ods
from nhsgraph.query import landscape


def succ(store, old: str):
    return q(store, "select object_id, valid_from, qualifiers from statement where subject_id=:s "
                    "and predicate='succeeded_by' and retracted_at is null order by object_id",
             s=old)


def test_detect_every_new_layout():
    assert detect_kind(real("Maglehoj__42578-Project/succ_2026-05.csv")) == "succ"
    assert detect_kind(real("nhsconnect__prm-gp2gp-data-sandbox/epcmem_2019-10.csv")) == "epcmem"
    assert detect_kind(real("epiforecasts__covid19.nhs.data/trust_mergers.csv")) == "succ-derived"
    assert detect_kind(real("rcpch__rcpch-nhs-organisations/icb_successions_2026-04-01.csv")) \
        == "succ-derived"
    assert detect_kind(real("ebmdatalab__scmd-rheumatology/gp-reg-pat-prac-map_2020-09.csv")) \
        == "ons-lookup"


def test_2026_successor_file_merges_splits_and_acquisitions(store):
    rep = import_ods(store, [real("Maglehoj__42578-Project/succ_2026-05.csv")])
    assert rep.rows_read == 11537 and not rep.rejected
    # Pennine Acute (RW6) was formed in 2002 from four trusts: a merge, though each of them
    # also went several ways that day (to PCTs and a mental health trust)
    into = q(store, "select subject_id, qualifiers from statement where object_id='ods:RW6' "
                    "and predicate='succeeded_by'")
    assert {r[0] for r in into} == {"ods:REX", "ods:REZ", "ods:RMK", "ods:RMN"}
    assert all('"change": "merge"' in r[1] for r in into)
    # ... and split in 2021 between Manchester (R0A) and Northern Care Alliance (RM3)
    split = succ(store, "ods:RW6")
    assert [(r[0], str(r[1])) for r in split] == [("ods:R0A", "2021-10-01"), ("ods:RM3", "2021-10-01")]
    assert all('"change": "split"' in r[2] for r in split)
    # the April 2026 ICB successions are there, with the 0/1 indicator read
    frimley = succ(store, "ods:QNQ")
    assert {r[0] for r in frimley} >= {"ods:S0E4D", "ods:S9B9J"}
    assert all(str(r[1]) == "2026-04-01" for r in frimley)


def test_rcpch_icb_successions_keep_the_stated_change_and_names(store):
    import_ods(store, [real("rcpch__rcpch-nhs-organisations/icb_successions_2026-04-01.csv")])
    frimley = {r[0]: r[2] for r in succ(store, "ods:QNQ")}
    assert set(frimley) == {"ods:S0E4D", "ods:S9B9J", "ods:QRL"}
    assert '"acquisition"' in frimley["ods:QRL"] and '"split"' in frimley["ods:S0E4D"]
    merged = q(store, "select subject_id from statement where object_id='ods:Z9B2Z' and "
                      "predicate='succeeded_by'")
    assert {r[0] for r in merged} == {"ods:QMJ", "ods:QRV"}
    assert q(store, "select label from entity where id='ods:Z9B2Z'") == [("NHS West and North London",)]
    # a table of ICBs: the twelve that were succeeded end that day, the six new ones begin
    with store.reader() as conn:
        assert landscape(conn, "2026-03-31", ["icb"]).count == 12
        assert landscape(conn, "2026-04-01", ["icb"]).count == 6
    # Hampshire and Isle of Wight took part of Frimley: the table says nothing of its type
    assert q(store, "select count(*) from statement where subject_id='ods:QRL' and "
                    "predicate='org_type'") == [(0,)]


def test_trust_mergers_lookup(store):
    import_ods(store, [real("epiforecasts__covid19.nhs.data/trust_mergers.csv")])
    rows = q(store, "select subject_id, qualifiers from statement where object_id='ods:RAJ' "
                    "and predicate='succeeded_by'")
    assert {r[0] for r in rows} == {"ods:RQ8", "ods:RDD"}
    assert all('"merge"' in r[1] for r in rows)


def test_epcmem_gives_every_era_of_a_practice(store):
    """A81001 (The Densham Surgery): PCG 4QP36 (1999-2001), PCT 5E1 (2001-2013), CCG 00K."""
    rep = import_ods(store, [real("nhsconnect__prm-gp2gp-data-sandbox/epcmem_2019-10.csv")])
    assert rep.rows_read == 47822 and not rep.rejected
    rows = q(store, "select object_id, valid_from, valid_to from statement where "
                    "subject_id='ods:A81001' and predicate='member_of' and retracted_at is null "
                    "order by valid_from")
    assert [(r[0], str(r[1]), str(r[2]) if r[2] else None) for r in rows][:3] == [
        ("ods:4QP36", "1999-04-01", "2001-04-01"), ("ods:5E1", "2001-04-01", "2013-04-01"),
        ("ods:00K", "2013-04-01", None)]
    # the PCG is typed for the span its practices' memberships cover (derived)
    (t,) = q(store, "select value_text, valid_from, qualifiers from statement where "
                    "subject_id='ods:4QP36' and predicate='org_type'")
    assert t[0] == "pcg" and str(t[1]) == "1999-04-01" and '"derived": true' in t[2]
    # PCTs and care trusts likewise: 303 before the 2006 reorganisation, 152 after it (the
    # published counts of the 2002 and 2006 waves)
    with store.reader() as conn:
        counts = {d: landscape(conn, d, ["pct", "care_trust"]).count
                  for d in ("2005-01-01", "2007-01-01", "2011-11-29", "2013-04-01")}
    assert counts == {"2005-01-01": 303, "2007-01-01": 152, "2011-11-29": 151,
                      "2013-04-01": 0}


def test_epraccur_2026_layout_reads_practices(store):
    """ACTIVE/INACTIVE in field 13 and the role code RO76 in field 26 (no longer '4')."""
    import_ods(store, [real("benstanbury__antibiotic-prescribing-analysis/epraccur_2026-02.csv")])
    with store.reader() as conn:
        assert landscape(conn, "2026-01-15", ["gp_practice"]).count > 6000
    (t,) = q(store, "select value_text from statement where subject_id='ods:A81001' and "
                    "predicate='org_type'")
    assert t == ("gp_practice",)


def test_practice_map_of_2020_writes_the_date_another_way(store):
    rep = import_lookups(store, [real("ebmdatalab__scmd-rheumatology/gp-reg-pat-prac-map_2020-09.csv")])
    assert rep.files[0].as_of == "2020-09-01" and not rep.rejected
