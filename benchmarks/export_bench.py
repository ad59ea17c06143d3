"""A national export at a date, in every format, against a plain SELECT dump of the same rows.

    PYTHONPATH=src python benchmarks/export_bench.py [--db nhsgraph-demo.db] [--at 2019-06-01]

On the demo registry (``bash scripts/demo.sh --no-serve``: the knowledge base and every file
in ../shared/data/real), measured in one run:

  baseline   the statements valid on the date, joined to their citations and sources, read
             with the plain sqlite3 module and written with csv.writer (no names, no
             grouping: the least any export must do)
  build      services.exports.build_export(conn, at): every body of every type on the date,
             its facts, the posts at it, its successions, names on the date
  <format>   writing the built export (csv, popolo, jsonld, graphml, parquet)

Prints ``name=value`` lines (seconds; ``ratio_<format>`` = (build + write) / baseline) and
checks the export holds every statement of the baseline about a body typed on the date
(``missing_from_export``, which must be 0). Writes benchmarks/out/export-results.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from nhsgraph import export as formats  # noqa: E402
from nhsgraph.services.exports import build_export  # noqa: E402
from nhsgraph.store import Store  # noqa: E402

OUT = HERE / "out"
BASELINE_SQL = """
SELECT s.id, s.subject_id, s.predicate, s.object_id, s.value, s.valid_from, s.valid_to,
       s.qualifiers, c.source_id, src.title, c.file, c.row, c.span_start, c.span_end, c.locator
FROM statement s
LEFT JOIN citation c ON c.statement_id = s.id
LEFT JOIN source src ON src.id = c.source_id
WHERE s.status = 'asserted' AND s.retracted_at IS NULL
  AND (s.valid_from IS NULL OR s.valid_from <= :day)
  AND (s.valid_to IS NULL OR s.valid_to > :day)
ORDER BY s.id
"""
TYPED_SQL = """
SELECT DISTINCT subject_id FROM statement WHERE predicate = 'org_type' AND status = 'asserted'
  AND retracted_at IS NULL AND (valid_from IS NULL OR valid_from <= :day)
  AND (valid_to IS NULL OR valid_to > :day)
"""


def baseline(db: Path, day: str, out: Path) -> tuple[float, dict[int, str], set[str]]:
    """The plain dump: seconds, the statements written (id -> subject), the bodies typed on
    the day."""
    t = time.perf_counter()
    raw = sqlite3.connect(db)
    subjects: dict[int, str] = {}
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        for row in raw.execute(BASELINE_SQL, {"day": day}):
            subjects[row[0]] = row[1]
            w.writerow(row)
    seconds = time.perf_counter() - t
    typed = {r[0] for r in raw.execute(TYPED_SQL, {"day": day})}
    raw.close()
    return seconds, subjects, typed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=ROOT / "nhsgraph-demo.db")
    ap.add_argument("--at", default="2019-06-01")
    ap.add_argument("--formats", nargs="*", default=list(formats.FORMATS))
    ap.add_argument("--out", type=Path, default=OUT, help="Folder for the files written.")
    args = ap.parse_args()
    out = args.out
    if not args.db.is_file():
        sys.exit(f"no demo registry at {args.db}: build it with "
                 "`bash scripts/demo.sh --no-serve` (or pass --db)")
    out.mkdir(exist_ok=True)
    figures: dict[str, float | int | str] = {"db": str(args.db), "at": args.at,
                                             "loadavg_1m_start": os.getloadavg()[0]}
    store = Store.open(args.db)           # brings an older file to the current schema first
    base_s, subjects, typed = baseline(args.db, args.at, out / "export-baseline.csv")
    figures.update(baseline_s=round(base_s, 2), baseline_statements=len(subjects))
    t = time.perf_counter()
    with store.reader() as conn:
        data = build_export(conn, args.at)
    build_s = time.perf_counter() - t
    kept = {f.id for f in data.facts}
    expected = {i for i, s in subjects.items() if s in typed}
    figures.update(build_s=round(build_s, 2), export_bodies=len(data.selected),
                   export_facts=len(kept), baseline_statements_about_typed=len(expected),
                   missing_from_export=len(expected - kept))
    for fmt in args.formats:
        path = out / f"export-{args.at}.{fmt}"
        t = time.perf_counter()
        n = formats.write(fmt, data, path)
        write_s = time.perf_counter() - t
        figures[f"{fmt}_write_s"] = round(write_s, 2)
        figures[f"{fmt}_total_s"] = round(build_s + write_s, 2)
        figures[f"ratio_{fmt}"] = round((build_s + write_s) / base_s, 1)
        figures[f"{fmt}_count"] = n
        figures[f"{fmt}_mb"] = round(path.stat().st_size / 1e6, 1)
    store.close()
    figures["loadavg_1m_end"] = os.getloadavg()[0]
    for k, v in figures.items():
        print(f"{k}={v}")
    (out / "export-results.json").write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
