"""Score the extractor against the hand-written gold in benchmarks/gold/.

Metrics (printed as ``name=value`` lines, per mode and micro-averaged over the seeds):

- ``org_exact_*``: a predicted mention matches a gold one with identical (start, end, type).
- ``org_relaxed_*``: *relaxed* = the spans overlap (share at least one character) and the
  types are equal; each gold mention is matched at most once (greedy, in text order).
- ``linking_acc``: among relaxed matches, the share whose canonical ``name`` equals gold's
  (compared in key form: case, punctuation and '&'/'and' ignored).
- ``people_*``: (name, registry role, org) triples; names without titles, roles mapped with
  ``registry_role`` ("CEO" = "chief executive"), orgs in key form.
- ``events_*``: an event matches when type and date are equal and, if both list orgs, they
  share at least one.

Modes: ``national`` (gazetteer of built-in national bodies only) and ``registry`` (the
registry gazetteer that ``services.ingest.build_gazetteer`` builds from the bundled knowledge
base in ``src/nhsgraph/data``, leaving out every statement whose citations all point at the
seed being scored: leave-one-out, built once per scored seed).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from nhsgraph.extract import Gazetteer, extract_document, registry_role  # noqa: E402
from nhsgraph.extract.gazetteer import key  # noqa: E402
from nhsgraph.importers import curated  # noqa: E402
from nhsgraph.services.ingest import build_gazetteer  # noqa: E402
from nhsgraph.store import Store  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT / "benchmarks" / "gold"
DEV = ROOT.parent / "shared" / "eval-dev"


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def match_orgs(pred, gold):
    exact = len({(o["start"], o["end"], o["type"]) for o in pred}
                & {(o["start"], o["end"], o["type"]) for o in gold})
    used, pairs = set(), []
    for p in pred:
        for i, g in enumerate(gold):
            if i in used or g["type"] != p["type"]:
                continue
            if p["start"] < g["end"] and g["start"] < p["end"]:
                used.add(i)
                pairs.append((p, g))
                break
    linked = sum(key(p["name"]) == key(g["name"]) for p, g in pairs)
    return exact, len(pairs), linked


def person_key(p):
    return (key(p["name"]), registry_role(p["role"]), key(p["org"]))


def match_events(pred, gold):
    used, tp = set(), 0
    for p in pred:
        for i, g in enumerate(gold):
            if i in used or p["type"] != g["type"] or p["date"] != g["date"]:
                continue
            if p["orgs"] and g["orgs"] and not ({key(o) for o in p["orgs"]}
                                                & {key(o) for o in g["orgs"]}):
                continue
            used.add(i)
            tp += 1
            break
    return tp


def seed_sources() -> dict[str, str]:
    """Seed file stem -> the knowledge base's source id for that document."""
    out = {}
    for p in sorted((curated.bundled_dir() / "seeds").glob("*.yaml")):
        src = yaml.safe_load(p.read_text(encoding="utf-8")).get("source") or {}
        if src.get("document"):
            out[Path(src["document"]).stem] = src["id"]
    return out


def registry_gazetteer(loaded, leave_out: str | None) -> Gazetteer:
    """The registry gazetteer from the knowledge base ``loaded`` (``curated.read_dir``;
    left unchanged) without the statements that only the source ``leave_out`` supports."""
    statements = [st for _, st in loaded.statements
                  if not st.citations or any(c.source_id != leave_out for c in st.citations)]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "kb.db")
        with store.writer() as w:
            w.ensure_entities(loaded.entities)
            for src in loaded.sources.values():
                w.ensure_source(src)
            w.add_many(statements)
        with store.reader() as conn:
            gaz = build_gazetteer(conn)
        store.engine.dispose()
    return gaz


def run(mode: str, golds: dict[str, dict]) -> dict[str, float]:
    tot = dict(exact=0, relaxed=0, linked=0, pred=0, gold=0, ptp=0, ppred=0, pgold=0,
               etp=0, epred=0, egold=0)
    if mode == "registry":   # read once; each seed leaves out its own source
        loaded, sources = curated.read_dir(curated.bundled_dir()), seed_sources()
    for stem, gold in golds.items():
        if mode == "national":
            gaz = Gazetteer.national()
        else:
            gaz = registry_gazetteer(loaded, sources.get(stem))
        text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
        pred = extract_document(text, stem + ".txt", gaz)
        ex, rel, ln = match_orgs(pred["orgs"], gold["orgs"])
        tot["exact"] += ex
        tot["relaxed"] += rel
        tot["linked"] += ln
        tot["pred"] += len(pred["orgs"])
        tot["gold"] += len(gold["orgs"])
        pp = {person_key(p) for p in pred["people"]}
        gp = {person_key(p) for p in gold["people"]}
        tot["ptp"] += len(pp & gp)
        tot["ppred"] += len(pp)
        tot["pgold"] += len(gp)
        tot["etp"] += match_events(pred["events"], gold["events"])
        tot["epred"] += len(pred["events"])
        tot["egold"] += len(gold["events"])
    out = {}
    for name, tp, n_pred, n_gold in (("org_exact", tot["exact"], tot["pred"], tot["gold"]),
                                     ("org_relaxed", tot["relaxed"], tot["pred"], tot["gold"]),
                                     ("people", tot["ptp"], tot["ppred"], tot["pgold"]),
                                     ("events", tot["etp"], tot["epred"], tot["egold"])):
        p, r, f = prf(tp, n_pred, n_gold)
        out.update({f"{name}_p": p, f"{name}_r": r, f"{name}_f1": f})
    out["linking_acc"] = tot["linked"] / tot["relaxed"] if tot["relaxed"] else 0.0
    return out


def dev_gazetteers(national_db: str | None) -> dict[str, Gazetteer]:
    """The registries the dev set is scored with: ``none`` (built-in national bodies only),
    ``bundled`` (the bundled knowledge base, as ``extract --registry`` on a fresh database
    sees it) and, given a database with the ODS/ONS data imported (``nhsgraph demo
    --official ../shared/data/real --no-serve``), ``national``."""
    out = {"none": Gazetteer.national()}
    loaded = curated.read_dir(curated.bundled_dir())
    out["bundled"] = registry_gazetteer(loaded, None)
    if national_db:
        store = Store.open(national_db)
        with store.reader() as conn:
            out["national"] = build_gazetteer(conn)
        store.engine.dispose()
    return out


def run_dev(gaz: Gazetteer, pred_path: Path, per_doc: bool) -> dict[str, float]:
    """Extract every dev document (as ``nhsgraph extract`` reads files), write the
    predictions to ``pred_path`` and score them with the dev set's own ``score.py``."""
    from nhsgraph.extract.api import FileError, extract_files

    files = sorted((DEV / "corpus").glob("[0-9]*.txt"))
    with pred_path.open("w", encoding="utf-8") as fh:
        for path, res in extract_files(files, gazetteer=gaz):
            if isinstance(res, FileError):
                print(f"error: {res.message}", file=sys.stderr)
                continue
            fh.write(json.dumps(res, ensure_ascii=False) + "\n")
    text = subprocess.run([sys.executable, str(DEV / "score.py"), str(DEV / "gold.jsonl"),
                           str(pred_path)] + (["--per-doc"] if per_doc else []),
                          check=True, capture_output=True, text=True).stdout
    if per_doc:
        print(text.split("documents:")[0].rstrip())
    last = text.strip().splitlines()[-1]
    return {k: float(v) for k, v in (kv.split("=") for kv in last.split())}


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Score extraction on the seeds and the dev set.")
    ap.add_argument("--national-db", help="a database holding the ODS/ONS data (national mode)")
    ap.add_argument("--per-doc", action="store_true", help="per-document table for the dev set")
    ap.add_argument("--no-seeds", action="store_true")
    ap.add_argument("--out", default=None, help="folder for the dev predictions (kept)")
    args = ap.parse_args(argv)
    if not args.no_seeds:
        if not SEEDS.is_dir():
            print(f"seeds not found at {SEEDS}", file=sys.stderr)
            return 2
        golds = {p.stem: json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted(GOLD.glob("*.json"))}
        print(f"seeds: docs={len(golds)}")
        for mode in ("national", "registry"):
            for name, value in run(mode, golds).items():
                print(f"seeds.{mode}.{name}={value:.3f}")
    if (DEV / "gold.jsonl").is_file():
        out = Path(args.out or tempfile.mkdtemp(prefix="extract-dev-"))
        out.mkdir(parents=True, exist_ok=True)
        for mode, gaz in dev_gazetteers(args.national_db).items():
            if args.per_doc:
                print(f"dev.{mode}:")
            for name, value in run_dev(gaz, out / f"dev-{mode}.jsonl", args.per_doc).items():
                print(f"dev.{mode}.{name}={value:.3f}")
        print(f"dev predictions in {out}")
    else:
        print(f"dev set not found at {DEV}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
