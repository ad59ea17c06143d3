"""Import every real file into a fresh SQLite store and compare with the floor: the same
files loaded with the sqlite3 command-line ``.import`` into plain tables, in the same run.

    PYTHONPATH=src python benchmarks/import_bench.py [DATA_DIR]

Prints name=value lines; the ``*_cpu_*`` ones are CPU seconds (this process and the
sqlite3 child), which a machine busy with other work disturbs far less than wall time. It also times the rows the import stored, read back and written
again with ``executemany`` alone (no parsing, keys or checks in Python): into a fresh store
as a bulk load writes them (``write_bound``: no importer that writes this schema can be
faster) and into plain tables (``plain_rows``). Files whose layout the importers do not
take (catchment shares, hand-curated lists) are listed as skipped and left out of both
timings; the JSON file is left out of the floor (the CLI cannot .import JSON).
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nhsgraph.errors import BadInput, BadRow
from nhsgraph.importers import LOOKUP_KINDS, detect_kind, import_lookups, import_ods
from nhsgraph.store import Store

DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else \
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "real"


def classify(files):
    ods, lookups, lookups_cp1252, skipped = [], [], [], []
    for p in files:
        try:
            kind = detect_kind(p)
        except BadRow as exc:
            if "not UTF-8" in str(exc):
                kind = detect_kind(p, encoding="cp1252")
                (ods if kind not in LOOKUP_KINDS else lookups_cp1252).append(p)
                continue
            skipped.append((p, str(exc)))
            continue
        except BadInput as exc:
            skipped.append((p, str(exc)))
            continue
        (lookups if kind in LOOKUP_KINDS else ods).append(p)
    return ods, lookups, lookups_cp1252, skipped


def cpu() -> float:
    """CPU seconds used so far by this process and its finished children."""
    me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def floor(files, tmp: Path) -> tuple[float, float]:
    """Wall and CPU seconds of loading the files' rows into plain tables."""
    cli = shutil.which("sqlite3")
    db = tmp / "floor.db"
    csvs = [p for p in files if p.suffix.lower() == ".csv"]
    if cli:
        script = "\n".join(f".import --csv '{p}' t{i}" for i, p in enumerate(csvs)) + "\n"
        t, c = time.perf_counter(), cpu()
        subprocess.run([cli, str(db)], input=script.encode(), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("floor_method=sqlite3_cli_import")
        return time.perf_counter() - t, cpu() - c
    import csv
    import sqlite3
    t, c = time.perf_counter(), cpu()
    con = sqlite3.connect(db)
    for i, p in enumerate(csvs):
        rows = list(csv.reader(p.open(newline="", encoding="utf-8", errors="replace")))
        width = max(len(r) for r in rows)
        con.execute(f"create table t{i} ({', '.join(f'c{j}' for j in range(width))})")
        con.executemany(f"insert into t{i} values ({', '.join('?' * width)})",
                        [r + [""] * (width - len(r)) for r in rows])
    con.commit()
    print("floor_method=python_sqlite3_executemany")
    return time.perf_counter() - t, cpu() - c


TABLES = ("entity", "source", "statement", "citation")


def write_bound(db: Path, tmp: Path) -> tuple[float, float, float]:
    """Seconds to write ``db``'s stored rows again, (into a fresh store's schema, with the
    bulk load's deferred indexes; into plain tables with the same columns), and the CPU
    seconds of the first."""
    import sqlite3

    from nhsgraph.importers.common import BULK_CACHE_KIB
    from nhsgraph.store.store import _BULK_DEFERRED

    with sqlite3.connect(db) as con:
        data = {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
    Store.open(tmp / "bound.db").close()          # the schema, from the migration
    timings, cpus = [], []
    for path, plain in ((tmp / "bound.db", False), (tmp / "plain.db", True)):
        con = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL",
                       f"cache_size={-BULK_CACHE_KIB}"):     # as the store's import has them
            con.execute(f"PRAGMA {pragma}")
        ddl = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type='index'"))
        t, c = time.perf_counter(), cpu()
        con.execute("BEGIN IMMEDIATE")
        for name in () if plain else _BULK_DEFERRED:
            con.execute(f"DROP INDEX {name}")
        for table, rows in data.items():
            width = len(rows[0])
            if plain:
                columns = ", ".join(f"c{i}" for i in range(width))
                con.execute(f"CREATE TABLE {table} ({columns})")
            con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows)
        for name in () if plain else _BULK_DEFERRED:
            con.execute(ddl[name])
        con.execute("COMMIT")
        timings.append(time.perf_counter() - t)
        cpus.append(cpu() - c)
        con.close()
    return timings[0], timings[1], cpus[0]


def main() -> None:
    files = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in (".csv", ".json", ".zip"))
    ods, lookups, lookups_cp, skipped = classify(files)
    for p, why in skipped:
        print(f"skipped={p.relative_to(DATA)}: {why.split(': ', 1)[-1][:60]}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = Store.open(tmp / "bench.db")
        t, c = time.perf_counter(), cpu()
        r1 = import_ods(store, ods)
        t_ods = time.perf_counter() - t
        r2 = import_lookups(store, lookups + lookups_cp,
                            encoding={p: "cp1252" for p in lookups_cp})
        t_all, c_all = time.perf_counter() - t, cpu() - c
        t = time.perf_counter()
        again = import_ods(store, ods)
        t_again = time.perf_counter() - t
        counts = store.counts()
        store.close()
        t_bound, t_plain, c_bound = write_bound(tmp / "bench.db", tmp)
        t_floor, c_floor = floor(ods + lookups + lookups_cp, tmp)
    rows = r1.rows_read + r2.rows_read
    print(f"files={len(ods) + len(lookups) + len(lookups_cp)}")
    print(f"rows={rows}")
    print(f"statements={counts['statement']}")
    print(f"citations={counts['citation']}")
    print(f"entities={counts['entity']}")
    print(f"ods_seconds={t_ods:.2f}")
    print(f"import_seconds={t_all:.2f}")
    print(f"reimport_ods_seconds={t_again:.2f}")
    print(f"reimport_added={again.statements_added}")
    print(f"floor_seconds={t_floor:.2f}")
    print(f"ratio={t_all / t_floor:.1f}")
    print(f"write_bound_seconds={t_bound:.2f}")
    print(f"write_bound_ratio={t_bound / t_floor:.1f}")
    print(f"plain_rows_seconds={t_plain:.2f}")
    print(f"import_over_write_bound={t_all / t_bound:.1f}")
    print(f"rows_per_second={rows / t_all:.0f}")
    print(f"import_cpu_seconds={c_all:.2f}")
    print(f"floor_cpu_seconds={c_floor:.2f}")
    print(f"write_bound_cpu_seconds={c_bound:.2f}")
    print(f"cpu_ratio={c_all / c_floor:.1f}")
    print(f"cpu_import_over_write_bound={c_all / c_bound:.1f}")


if __name__ == "__main__":
    main()
