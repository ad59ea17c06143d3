"""List the dev set's linking errors: gold mentions whose best-overlapping prediction has
another canonical name, in the scorer's comparison (case, whitespace, quotes and a leading
"the" ignored), so the errors can be grouped by class before fixing.

    python benchmarks/extract_link_errors.py PRED.jsonl [GOLD.jsonl]

PRED.jsonl is a file that ``extract_eval.py --out DIR`` writes (``DIR/dev-none.jsonl``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

GOLD = Path(__file__).resolve().parents[2] / "shared" / "eval-dev" / "gold.jsonl"


def norm(name: str) -> str:
    s = re.sub(r"[\"'\u2018\u2019\u201c\u201d]", "", (name or "").lower())
    return re.sub(r"^the ", "", re.sub(r"\s+", " ", s).strip())


def read(path: Path) -> dict[str, dict]:
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                sys.exit(f"{path}:{n}:{exc.colno}: not valid JSON ({exc.msg})")
            out[obj["doc"]] = obj
    return out


def link_errors(gold: dict[str, dict], pred: dict[str, dict]):
    """Yield (doc, gold mention, best-overlapping prediction, linked right?) for every gold
    mention some prediction overlaps: the pairs the scorer's linking accuracy counts."""
    for doc, g in gold.items():
        preds = pred.get(doc, {}).get("orgs", [])
        for gm in g["orgs"]:
            best, over = None, 0
            for pm in preds:
                ov = min(gm["end"], pm["end"]) - max(gm["start"], pm["start"])
                if ov > over:
                    best, over = pm, ov
            if best is not None:
                yield doc, gm, best, norm(best["name"]) == norm(gm["name"])


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    gold = read(Path(argv[1]) if len(argv) > 1 else GOLD)
    pairs = list(link_errors(gold, read(Path(argv[0]))))
    for doc, gm, pm, ok in pairs:
        if not ok:
            print(f"{doc}\t{gm['text']!r}\tgold={gm['name']!r}\tpred={pm['name']!r}")
    good = sum(ok for *_, ok in pairs)
    print(f"linked={good}/{len(pairs)} link_acc={good / len(pairs) if pairs else 0:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
