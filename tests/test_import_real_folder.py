"""The whole real folder (../shared/data/real) imported as the demo imports it, beside the
bundled knowledge base: one statement per fact, names as they were, counts as published."""

from __future__ import annotations

import datetime as dt

from nhsgraph.query import landscape
from nhsgraph.query.facts import labels

# Live asserted statements saying the same thing over overlapping time, one of them only
# from imports (two curated readings, such as two documents' decisions of one body about
# another, are left as people wrote them; a curated fact with no dates says nothing about
# time).
OVERLAPPING_SAME = """
with live as (
  select s.id, s.subject_id, s.predicate, coalesce(s.object_id, '') as o,
         coalesce(s.value_text, '') as v, coalesce(s.valid_from, '0001-01-01') as f,
         coalesce(s.valid_to, '9999-12-31') as t
  from statement s
  where s.retracted_at is null and s.status = 'asserted'
    and (s.object_id is not null or s.value_text is not null)
    and (s.valid_from is not null or s.valid_to is not null or not exists (
         select 1 from citation c where c.statement_id = s.id
         and c.method not like 'import:%%')))
select a.subject_id, a.predicate, a.o, a.v from live a join live b
  on a.subject_id = b.subject_id and a.predicate = b.predicate and a.o = b.o and a.v = b.v
 and a.id < b.id and a.f < b.t and b.f < a.t
 where not exists (select 1 from citation c where c.statement_id = a.id
                   and c.method not like 'import:%%')
    or not exists (select 1 from citation c where c.statement_id = b.id
                   and c.method not like 'import:%%')
"""


def test_every_file_is_read(national):
    _, report = national
    # what no parser reads is named with the reason: a third-party CCG crosswalk (the
    # trust catchment shares are read, as figures)
    left = sorted(p.split("/")[-1] for p, _ in report.skipped)
    assert left == ["ccg_successors.csv"]
    kinds = {f.path.split("/")[-1]: f.kind for f in report.files}
    assert kinds["lookup_nhs_trusts22_icb22.csv"] == "catchment"
    assert kinds["succ_2026-05.csv"] == "succ" and kinds["epcmem_2019-10.csv"] == "epcmem"
    assert kinds["icb_successions_2026-04-01.csv"] == "succ-derived"
    assert not [r for sub in report.reports for r in sub.rejected]


def test_no_two_live_identical_facts_overlap(national):
    store, _ = national
    with store.reader() as conn:
        pairs = conn.exec_driver_sql(OVERLAPPING_SAME + " limit 20").all()
    assert pairs == []


def test_names_as_they_were(national):
    """11M: NHS Gloucestershire CCG from 2013 (ONS and ODS), the sub-ICB location's name
    after the ICBs were set up on 2022-07-01."""
    store, _ = national
    with store.reader() as conn:
        assert labels(conn, ["ods:11M"], dt.date(2013, 4, 1))["ods:11M"] == \
            "NHS Gloucestershire CCG"
        assert labels(conn, ["ods:11M"], dt.date(2023, 1, 1))["ods:11M"] == \
            "NHS Gloucestershire ICB - 11M"
        ccgs = landscape(conn, "2013-04-01", ["ccg"])
    names = [m["name"] for g in ccgs.groups for m in g.members]
    assert not [n for n in names if "ICB" in n]
    assert not [n for n in names if n.isupper()]


def test_commissioning_counts_as_published(national):
    """NHS England's counts: 211 CCGs (April 2013), 191 (2019), 135 (2020), 106 (2021); 42
    ICBs from 1 July 2022 (Health and Care Act 2022), 36 after the mergers of 1 April 2026
    (ODS successor file, 2026)."""
    store, _ = national
    with store.reader() as conn:
        ccgs = {d: landscape(conn, d, ["ccg"]).count
                for d in ("2013-04-01", "2019-06-01", "2020-06-01", "2021-06-01")}
        icbs = {d: landscape(conn, d, ["icb"]).count
                for d in ("2022-07-01", "2025-06-01", "2026-06-01")}
    assert ccgs == {"2013-04-01": 211, "2019-06-01": 191, "2020-06-01": 135,
                    "2021-06-01": 106}
    assert icbs == {"2022-07-01": 42, "2025-06-01": 42, "2026-06-01": 36}


def test_primary_care_trusts_through_the_era(national):
    """303 PCTs in 2002-06 and 152 after the 2006 reorganisation, counting the three to five
    care trusts that commissioned (ODS epcmem: 300 + 3, 148 + 4; 146 + 5 in 2011; the
    provider care trusts of ect, which never commissioned, are not PCTs); none after their
    abolition on 2013-04-01."""
    store, _ = national
    with store.reader() as conn:
        pcts = {d: landscape(conn, d, ["pct"]).count
                for d in ("2005-01-01", "2007-01-01", "2011-11-29", "2013-04-01")}
    assert pcts == {"2005-01-01": 300, "2007-01-01": 148, "2011-11-29": 146, "2013-04-01": 0}


def test_a_curated_date_wins_over_a_release_date(national):
    """etr names Mid Staffordshire (RJD) an FT only in releases from 2015: that date is a
    bound. The curated authorisation (1 February 2008, Monitor) is the one statement, and
    it cites the releases too."""
    store, _ = national
    with store.reader() as conn:
        rows = conn.exec_driver_sql(
            "select s.id, s.valid_from, c.method from statement s join citation c on "
            "c.statement_id = s.id where s.subject_id = 'ods:RJD' and s.predicate = 'org_type' "
            "and s.value_text = 'foundation_trust' and s.retracted_at is null").all()
    assert len({r[0] for r in rows}) == 1
    assert str(rows[0][1])[:10] == "2008-02-01"
    assert {r[2].startswith("import:") for r in rows} == {True, False}


def test_a_practice_has_a_commissioner_in_every_era(national):
    """J83003 (Harcourt Medical Centre, Wiltshire): PCG, Wiltshire's PCTs, Wiltshire CCG
    (99N), then Bath and North East Somerset, Swindon and Wiltshire (92G), which became a
    sub-ICB location in 2022 (ODS epcmem and epraccur releases)."""
    store, _ = national
    sql = ("select object_id from statement where subject_id = 'ods:J83003' and "
           "predicate = 'member_of' and object_id not like 'ods:U%' and retracted_at is null "
           "and (valid_from is null or valid_from <= :d) and (valid_to is null or valid_to > :d)")
    import sqlalchemy as sa
    with store.reader() as conn:
        got = {d: [r[0] for r in conn.execute(sa.text(sql), {"d": dt.date.fromisoformat(d)})]
               for d in ("2000-06-01", "2005-06-01", "2012-06-01", "2016-06-01",
                         "2021-06-01", "2023-06-01", "2026-01-15")}
    assert got == {"2000-06-01": ["ods:4AQ86"], "2005-06-01": ["ods:5DJ"],
                   "2012-06-01": ["ods:5QK"], "2016-06-01": ["ods:99N"],
                   "2021-06-01": ["ods:92G"], "2023-06-01": ["ods:92G"],
                   "2026-01-15": ["ods:92G"]}


def _practice_settings(path) -> dict[str, tuple[bool, str, str]]:
    """code -> (a GP practice?, open date, close date) in one epraccur release, by its own
    columns (field 26: setting 4 until 2025, role code RO76 in the 2026 layout)."""
    import csv

    out = {}
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        for r in csv.reader(f):
            setting = r[25].strip()
            out[r[0].strip()] = (setting == "4" or "RO76" in setting.split("|"),
                                 r[10].strip(), r[11].strip())
    return out


def test_gp_practices_open_on_2023_06_01_as_the_release_counts_them(national):
    """The practices the December 2023 epraccur release shows open on 2023-06-01 (setting 4,
    opened by then, not closed by then) are the registry's practices on that day, but for
    two classes of code whose class another source gives otherwise: those a later release
    classes otherwise (ODS gives no date for a change of setting, so the newest release's
    class is dated from the opening: noticed, not yet bounded), and those NHS Digital's
    practice mapping ("Patients registered at a GP practice") lists as practices."""
    import csv

    from conftest import REAL as real

    day = "20230601"
    release = _practice_settings(
        real / "hsma-programme__hsma6_geographic_optimisation_and_visualisation_book"
        / "epraccur_2023-12.csv")
    later = [_practice_settings(p) for p in sorted(real.rglob("epraccur_202*.csv"))
             if p.stem.split("_")[-1] > "2023-12"]
    assert len(later) == 4            # 2024-05, 2025-04, 2025-09, 2026-02
    open_then = {c for c, (gp, o, x) in release.items() if gp and o and o <= day
                 and (not x or x > day)}
    store, _ = national
    with store.reader() as conn:
        shown = landscape(conn, "2023-06-01", ["gp_practice"])
    held = {m["id"][4:] for g in shown.groups for m in g.members if m["id"].startswith("ods:")}
    reclassed = {c for c in release if any(c in rel and rel[c][0] != release[c][0]
                                           for rel in later)}
    for p in real.rglob("gp-reg-pat-prac-map*.csv"):
        with open(p, encoding="utf-8", newline="") as f:
            mapped = {r["PRACTICE_CODE"].strip() for r in csv.DictReader(f)}
        reclassed |= {c for c in mapped if c in release and not release[c][0]}
    assert len(open_then) == 6955     # the release's own count
    assert held - open_then <= reclassed and open_then - held <= reclassed
    assert len(held & open_then) >= len(open_then) - 20


def test_sub_icb_locations_move_with_their_icb_in_april_2026(national):
    """A sub-ICB location answers on 2026-06-01 to the ICB its ICB of 2025 merged into
    (RCPCH's ODS-verified succession map); where its ICB split (Hertfordshire and West
    Essex, Suffolk and North East Essex, Frimley) no file says which part it went to, and
    none is given. The others keep their ICB."""
    import csv

    from conftest import REAL

    with open(REAL / "rcpch__rcpch-nhs-organisations" / "icb_successions_2026-04-01.csv",
              encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    to: dict[str, set[str]] = {}
    for r in rows:
        to.setdefault("ods:" + r["predecessor_ods"], set()).add("ods:" + r["successor_ods"])
    store, _ = national

    def parents(day):
        with store.reader() as conn:
            shown = landscape(conn, day, ["sub_icb_location"])
        return {m["id"]: g.parent for g in shown.groups for m in g.members}

    before, after = parents("2025-06-01"), parents("2026-06-01")
    assert len(before) == len(after) == 106
    expected = {loc: (p if p not in to else next(iter(to[p])) if len(to[p]) == 1 else None)
                for loc, p in before.items()}
    assert after == expected
    assert sum(p is None for p in after.values()) == 7


def test_trusts_on_a_date_as_the_release_counts_them(national):
    """NHS trusts and foundation trusts open on a date are those an etr release of that
    time shows open then (opened by then, not closed by then; an FT by its name), in the
    three releases of 2025-26: the two community trusts a 2012 article reports as NHS
    trusts (a person's reading with no end) are FTs once ODS names them so."""
    import csv

    from conftest import REAL

    for rel, day in (("folakeobalakun__NHS-AE-RTT-Analysis/etr_2025-07.csv", "2025-06-01"),
                     ("mayaallek__HDSModule4/etr_2026-04.csv", "2026-04-01"),
                     ("Riyaburman-analytics__UK-healthcare-analysis/etr_2026-07.csv",
                      "2026-06-01")):
        ymd = day.replace("-", "")
        with open(REAL / rel, encoding="utf-8", newline="") as f:
            rows = [r for r in csv.reader(f)
                    if r[10].strip() <= ymd and (not r[11].strip() or r[11].strip() > ymd)]
        fts = {"ods:" + r[0].strip() for r in rows if "FOUNDATION TRUST" in r[1].upper()}
        trusts = {"ods:" + r[0].strip() for r in rows} - fts
        store, _ = national
        with store.reader() as conn:
            held = {t: {m["id"] for g in landscape(conn, day, [t]).groups for m in g.members}
                    for t in ("nhs_trust", "foundation_trust")}
        assert held == {"nhs_trust": trusts, "foundation_trust": fts}, rel
