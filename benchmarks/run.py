"""nhsgraph core performance benchmark.

    PYTHONPATH=src python benchmarks/run.py --quick     # < 3 minutes, generation included
    PYTHONPATH=src python benchmarks/run.py             # full run, more samples

Builds (or reuses, from benchmarks/out/) a national-scale synthetic registry — 250k+
organisations, 2M+ statements over 2000-2025, see generate.py — and measures on that one
SQLite file, against hand-written SQL run with the plain sqlite3 module (baselines.py):

  (a) as-at lookup      Snapshot.of(conn, date).lookup(org)       vs  baselines.LOOKUP_SQL
  (b) landscape         landscape(conn, date, [type])             vs  baselines.LANDSCAPE_SQL
  (c) lineage           lineage(conn, org)                        vs  baselines.LINEAGE_SQL

Every sampled answer of ours is also compared with the baseline's rows (``*_mismatches``).
Prints one ``name=value`` line per figure; writes benchmarks/out/results-<mode>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
if str(HERE.parent / "src") not in sys.path:
    sys.path.insert(0, str(HERE.parent / "src"))

import baselines  # noqa: E402
from build import build  # noqa: E402

from nhsgraph.query import Snapshot, landscape, lineage  # noqa: E402
from nhsgraph.store import Store  # noqa: E402

OUT = HERE / "out"
FULL_SCALE = 1.0
QUICK_SCALE = 0.25

LANDSCAPES = [  # (name, type, date, by); the first is the headline figure
    ("ccg", "ccg", "2015-06-01", "accountable_to"),
    ("pct", "pct", "2010-01-01", "accountable_to"),
    ("ccg2020", "ccg", "2020-06-01", "member_of"),
    ("trust", "nhs_trust", "2008-01-01", "accountable_to"),
    ("icb", "icb", "2024-01-01", "accountable_to"),
]
LINEAGE_TYPES = ("pct", "ccg", "sub_icb_location", "icb", "nhs_trust", "foundation_trust", "sha",
                 "stp", "pct_cluster")


def emit(name: str, value) -> None:
    if isinstance(value, float):
        value = f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"
    print(f"{name}={value}", flush=True)


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def generator_version() -> str:
    h = hashlib.sha1()
    for name in ("generate.py", "build.py"):
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:8]


def db_path(scale: float, seed: int) -> Path:
    return OUT / f"registry-scale{scale:g}-seed{seed}-{generator_version()}.db"


def get_db(scale: float, seed: int, rebuild: bool) -> tuple[Path, dict, bool]:
    OUT.mkdir(exist_ok=True)
    db = db_path(scale, seed)
    meta_path = db.with_suffix(".json")
    if db.exists() and meta_path.exists() and not rebuild:
        return db, json.loads(meta_path.read_text()), True
    meta = build(db, scale=scale, seed=seed, log=lambda m: print("#", m, flush=True))
    meta_path.write_text(json.dumps(meta, indent=1))
    return db, meta, False


def timed(fn, *args):
    t = time.perf_counter_ns()
    out = fn(*args)
    return out, (time.perf_counter_ns() - t) / 1e6


def summarise(results: dict, name: str, ours: list[float], base: list[float] | None) -> None:
    results[f"{name}_n"] = len(ours)
    results[f"{name}_ms_median"] = statistics.median(ours)
    results[f"{name}_ms_p95"] = pct(ours, 0.95)
    if base:
        results[f"{name}_baseline_ms_median"] = statistics.median(base)
        results[f"{name}_baseline_ms_p95"] = pct(base, 0.95)
        results[f"{name}_ratio"] = statistics.median(ours) / statistics.median(base)
        results[f"{name}_ratio_p95"] = pct(ours, 0.95) / pct(base, 0.95)
    for k in list(results):
        if k.startswith(name + "_") and k not in _printed:
            emit(k, results[k])
            _printed.add(k)


_printed: set[str] = set()


def bench_lookup(conn, raw, rng, n: int, results: dict) -> None:
    lives = raw.execute(
        "SELECT subject_id, min(coalesce(valid_from, '2000-01-01')), "
        "max(coalesce(valid_to, '2026-01-01')) FROM statement WHERE predicate = 'org_type' "
        "AND status = 'asserted' AND retracted_at IS NULL GROUP BY subject_id").fetchall()
    pairs = []
    for _ in range(n):
        oid, a, b = rng.choice(lives)
        a = max(a, "2000-01-01")
        if rng.random() < 0.1 or a >= b:      # sometimes a date outside the org's life
            a, b = "2000-01-01", "2026-01-01"
        lo, hi = (time_ord(a), time_ord(b))
        pairs.append((oid, ord_day(rng.randint(lo, max(lo, hi - 1)))))
    ours, base, rows, mism = [], [], 0, 0
    for i, (oid, d) in enumerate(pairs[: min(200, n)] + pairs):     # first 200: warm-up
        if i % 2:
            b, tb = timed(baselines.lookup, raw, oid, d)
            o, to = timed(lambda: Snapshot.of(conn, d).lookup(oid))
        else:
            o, to = timed(lambda: Snapshot.of(conn, d).lookup(oid))
            b, tb = timed(baselines.lookup, raw, oid, d)
        if i < min(200, n):
            continue
        ours.append(to)
        base.append(tb)
        rows += len(o)
        if baselines.norm_lookup_ours(o) != baselines.norm_lookup_base(b):
            mism += 1
    results["asat_lookup_facts_mean"] = rows / max(1, len(pairs))
    results["asat_lookup_mismatches"] = mism
    summarise(results, "asat_lookup", ours, base)
    # Diagnostic: the same SQL via sqlite3, decoded into Facts by rows_to_facts (no SQLAlchemy).
    floor = []
    for oid, d in pairs[: min(len(pairs), 2000)]:
        floor.append(timed(baselines.lookup_facts, raw, oid, d)[1])
    results["asat_lookup_floor_ms_median"] = statistics.median(floor)
    results["asat_lookup_floor_ms_p95"] = pct(floor, 0.95)
    emit("asat_lookup_floor_ms_median", results["asat_lookup_floor_ms_median"])
    emit("asat_lookup_floor_ms_p95", results["asat_lookup_floor_ms_p95"])


def time_ord(day: str) -> int:
    import datetime as dt

    return dt.date.fromisoformat(day).toordinal()


def ord_day(n: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(n).isoformat()


def bench_landscape(conn, raw, reps: int, results: dict) -> None:
    for i, (name, type_, d, by) in enumerate(LANDSCAPES):
        ours, base, mism = [], [], 0
        k = reps if i == 0 else max(3, reps // 4)
        for r in range(k + 1):
            o, to = timed(lambda: landscape(conn, d, [type_], by=by))
            b, tb = timed(baselines.landscape, raw, d, type_, by)
            if baselines.norm_landscape_ours(o) != baselines.norm_landscape_base(b):
                mism += 1
            if r:                                          # first round: warm-up
                ours.append(to)
                base.append(tb)
        key = "landscape" if i == 0 else f"landscape_{name}"
        results[f"{key}_members"] = o.count
        results[f"{key}_groups"] = len(o.groups)
        results[f"{key}_mismatches"] = mism
        summarise(results, key, ours, base)


def bench_lineage(conn, raw, rng, n: int, results: dict) -> None:
    roots = [r[0] for r in raw.execute(
        "SELECT DISTINCT t.subject_id FROM statement t JOIN statement s "
        "ON s.subject_id = t.subject_id OR s.object_id = t.subject_id "
        "WHERE t.predicate = 'org_type' AND t.value_text IN (%s) AND s.predicate = 'succeeded_by' "
        "ORDER BY t.subject_id" % ",".join("?" * len(LINEAGE_TYPES)), LINEAGE_TYPES)]
    picked = [rng.choice(roots) for _ in range(n)]
    ours, base, mism, links, depths = [], [], 0, [], []
    for i, root in enumerate(picked[: min(50, n)] + picked):
        o, to = timed(lineage, conn, root)
        b, tb = timed(baselines.lineage, raw, root)
        if i < min(50, n):
            continue
        ours.append(to)
        base.append(tb)
        links.append(len(o.links))
        depths.append(max(o.depth.values()) - min(o.depth.values()))
        if baselines.norm_lineage_ours(o) != baselines.norm_lineage_base(b):
            mism += 1
    results["lineage_roots_available"] = len(roots)
    results["lineage_links_mean"] = statistics.mean(links)
    results["lineage_links_max"] = max(links)
    results["lineage_chain_span_max"] = max(depths)
    results["lineage_chain_span_mean"] = statistics.mean(depths)
    results["lineage_mismatches"] = mism
    summarise(results, "lineage", ours, base)


def bench_writer(results: dict, limit: int, seed: int) -> None:
    import tempfile

    import writer_path

    rows = writer_path.collect(0.01, seed)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "writer.db")
        got = writer_path.load(store, rows, limit=limit)
        store.close()
    results["writer_statements"] = got["statements"]
    results["writer_add_many_stmts_per_s"] = got["add_many_per_s"]
    results["writer_statementin_per_s"] = got["construct_per_s"]
    results["writer_est_full_load_s"] = results.get("statement_rows", 0) / got["add_many_per_s"]
    for k in ("writer_statements", "writer_add_many_stmts_per_s", "writer_statementin_per_s",
              "writer_est_full_load_s"):
        emit(k, results[k])


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                   if x.startswith("MemTotal"))
    except OSError:
        mem = 0
    import sqlalchemy

    return {"nproc": os.cpu_count(), "cpu": cpu, "loadavg_1m_start": os.getloadavg()[0], "ram_gib": round(mem / 1024 / 1024, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "sqlalchemy": sqlalchemy.__version__}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer samples; < 3 minutes in all")
    ap.add_argument("--scale", type=float, default=None,
                    help="registry scale (1.0 = 250k+ organisations, 2M+ statements; the "
                         "default for a full run). --quick uses the full-scale database when "
                         f"it is cached, else builds one at scale {QUICK_SCALE}")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rebuild", action="store_true", help="ignore a cached database")
    ap.add_argument("--skip-writer", action="store_true", help="skip the Writer throughput run")
    args = ap.parse_args(argv)
    mode = "quick" if args.quick else "full"
    n_lookup, n_land, n_lin, n_writer = ((2000, 20, 300, 5_000) if args.quick
                                         else (20_000, 100, 3000, 50_000))
    t_start = time.perf_counter()
    results: dict = {"mode": mode, "date": time.strftime("%Y-%m-%d %H:%M"), **machine()}
    for k in ("mode", "nproc", "cpu", "ram_gib", "python", "sqlite", "sqlalchemy",
              "loadavg_1m_start"):
        emit(k, results[k])

    scale = args.scale
    if scale is None:
        scale = FULL_SCALE
        if args.quick and (args.rebuild or not db_path(FULL_SCALE, args.seed).exists()):
            scale = QUICK_SCALE
    db, meta, cached = get_db(scale, args.seed, args.rebuild)
    results.update({k: v for k, v in meta.items()})
    results["db_cached"] = int(cached)
    results["db_file"] = str(db.relative_to(HERE.parent))
    results["db_size_mb"] = db.stat().st_size / 1e6
    results["generation_s"] = meta["total_s"]
    results["bulk_insert_rows_per_s"] = (meta["statement_rows"] + meta["citation_rows"]
                                         + meta["entity_rows"]) / meta["insert_s"]
    for k in ("db_file", "db_cached", "scale", "seed", "organisations", "people", "entity_rows",
              "source_rows", "statement_rows", "citation_rows", "db_size_mb", "generation_s",
              "insert_s", "index_s", "bulk_insert_rows_per_s"):
        emit(k, results[k])

    store = Store.open(db)
    raw = sqlite3.connect(db)
    rng = random.Random(args.seed * 7919 + 17)
    with store.reader() as conn:
        bench_lookup(conn, raw, rng, n_lookup, results)
        bench_landscape(conn, raw, n_land, results)
        bench_lineage(conn, raw, rng, n_lin, results)
    raw.close()
    store.close()
    if not args.skip_writer:
        bench_writer(results, n_writer, args.seed)
    results["wall_s"] = time.perf_counter() - t_start
    results["loadavg_1m_end"] = os.getloadavg()[0]
    emit("wall_s", results["wall_s"])
    emit("loadavg_1m_end", results["loadavg_1m_end"])
    (OUT / f"results-{mode}.json").write_text(json.dumps(results, indent=1, default=str))
    bad = [k for k, v in results.items() if k.endswith("_mismatches") and v]
    if bad:
        print("# MISMATCH between nhsgraph and the baseline in: " + ", ".join(bad), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
