"""The change feed and the crosswalk on the demo-sized registry (the real folder beside the
bundled knowledge base, as ``scripts/demo.sh --no-serve`` builds it), each against a floor
measured in the same run:

    PYTHONPATH=src python benchmarks/changes_bench.py [REGISTRY.db]

- ``changes``: a year (2020-04-01 to 2021-03-31) of national changes — the NHS bodies'
  tiers: every type but GP practices, other sites, PCNs and local authorities — and the
  same year with every body. Floor: the statements that start or end in the year, read
  with the plain sqlite3 module (no history, names, types or citations). Also in CPU
  seconds (``_cpu_s``), and one page of 100 as /api/changes serves it (``page100``).
- ``crosswalk``: 10,000 rows (seeded) of the 191 CCG codes of 2019-04-01 and of 10,000
  rows of GP practice codes, re-keyed to the CCGs of 2020-04-01. Floor: the same CSV read
  with the csv module and mapped through one plain dict of the year's successions. The
  CCG table again with ``--weight lsoa`` (LSOA overlap between the ONS lookups).

Prints name=value lines (best of 3).
"""

from __future__ import annotations

import csv
import os
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from nhsgraph.query.changes import changes
from nhsgraph.services.changes import change_feed
from nhsgraph.services.crosswalk import crosswalk_file
from nhsgraph.store import Store

DB = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("NHSGRAPH_DB", "nhsgraph-demo.db"))
YEAR = ("2020-04-01", "2021-03-31")
NATIONAL = ["sha", "pct", "care_trust", "pct_cluster", "ccg", "icb", "sub_icb_location", "ics",
            "stp", "csu", "commissioning_hub", "nhs_trust", "foundation_trust", "nhse_region",
            "area_team", "local_office", "commissioning_region", "national_body",
            "government_department", "icb_cluster", "sha_cluster", "provider_other"]
FLOOR_SQL = """select id, subject_id, predicate, object_id, valid_from, valid_to from statement
 where retracted_at is null and status = 'asserted'
   and predicate in ('succeeded_by','org_type','name','member_of','accountable_to','hosted_by')
   and ((valid_from between ? and ?) or (valid_to between ? and ?))"""


def emit(name, value):
    print(f"{name}={value:.4g}" if isinstance(value, float) else f"{name}={value}", flush=True)


def best(fn, n=3, clock=time.perf_counter):
    times, out = [], None
    for _ in range(n):
        t = clock()
        out = fn()
        times.append(clock() - t)
    return min(times), out


def main():
    if not DB.is_file():
        sys.exit(f"no registry at {DB}: build it with bash scripts/demo.sh --no-serve")
    store = Store.open(DB, create=False)
    raw = sqlite3.connect(DB)
    emit("loadavg_1m", os.getloadavg()[0])
    with store.reader() as conn:
        floor, rows = best(lambda: raw.execute(FLOOR_SQL, YEAR * 2).fetchall())
        emit("changes_floor_s", floor)
        emit("changes_floor_rows", len(rows))
        for label, types in (("national", NATIONAL), ("all", None)):
            t, found = best(lambda: changes(conn, *YEAR, types=types))
            emit(f"changes_year_{label}_s", t)
            emit(f"changes_year_{label}_count", len(found))
            emit(f"changes_year_{label}_ratio", t / floor)
            # CPU seconds too: on a loaded machine the wall clock mostly measures the others
            cpu, _ = best(lambda: changes(conn, *YEAR, types=types), clock=time.process_time)
            emit(f"changes_year_{label}_cpu_s", cpu)
        # one page of the API's (100 changes, cited and rendered; total and counts of all)
        t, feed = best(lambda: change_feed(conn, *YEAR, limit=100, offset=0))
        emit("changes_year_all_page100_s", t)
        emit("changes_year_all_page100_total", feed["total"])
        ccgs = [r[0][4:] for r in raw.execute(
            "select distinct subject_id from statement where predicate='org_type' and "
            "value_text='ccg' and retracted_at is null and valid_from <= '2019-04-01' and "
            "(valid_to is null or valid_to > '2019-04-01')")]
        practices = [r[0][4:] for r in raw.execute(
            "select distinct subject_id from statement where predicate='member_of' and "
            "retracted_at is null and valid_from <= '2019-04-01' and (valid_to is null or "
            "valid_to > '2020-04-01') and object_id in (select subject_id from statement "
            "where predicate='org_type' and value_text='ccg') and subject_id in (select "
            "subject_id from statement where predicate='org_type' and value_text="
            "'gp_practice' and retracted_at is null and valid_from <= '2019-04-01' and "
            "(valid_to is null or "
            "valid_to > '2020-04-01'))")]
        rng = random.Random(1)
        with tempfile.TemporaryDirectory() as tmp:
            for label, codes in (("ccg", ccgs), ("practice", practices)):
                path = Path(tmp) / f"{label}.csv"
                with path.open("w", newline="") as fh:
                    w = csv.writer(fh)
                    w.writerow(["code", "admissions", "cost"])
                    for _ in range(10_000):
                        w.writerow([rng.choice(codes), rng.randint(0, 5000),
                                    round(rng.uniform(0, 1e6), 2)])
                t, cw = best(lambda: crosswalk_file(conn, path, "2019-04-01", "2020-04-01",
                                                    "ccg"))
                f, _ = best(lambda: _floor_crosswalk(raw, path))
                emit(f"crosswalk_{label}_10k_s", t)
                emit(f"crosswalk_{label}_codes", len(set(codes)))
                emit(f"crosswalk_{label}_rows_out", len(cw.rows))
                emit(f"crosswalk_{label}_unmapped", len(cw.unmapped))
                emit(f"crosswalk_{label}_floor_s", f)
                emit(f"crosswalk_{label}_ratio", t / f)
                if label == "ccg":      # the same table shared out by LSOA overlap
                    t, cw = best(lambda: crosswalk_file(conn, path, "2019-04-01",
                                                        "2020-04-01", "ccg", weight="lsoa"))
                    emit("crosswalk_ccg_lsoa_10k_s", t)
                    emit("crosswalk_ccg_lsoa_rows_out", len(cw.rows))
                    emit("crosswalk_ccg_lsoa_unmapped", len(cw.unmapped))
    store.close()


def _floor_crosswalk(raw, path):
    succ = dict(raw.execute("select subject_id, object_id from statement where predicate = "
                            "'succeeded_by' and retracted_at is null and valid_from > "
                            "'2019-04-01' and valid_from <= '2020-04-01'").fetchall())
    out = {}
    with path.open() as fh:
        r = csv.reader(fh)
        next(r)
        for code, a, c in r:
            key = succ.get(f"ods:{code}", f"ods:{code}")
            row = out.setdefault(key, [0.0, 0.0])
            row[0] += float(a)
            row[1] += float(c)
    return out


if __name__ == "__main__":
    main()
