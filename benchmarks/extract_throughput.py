"""Extraction throughput on a synthetic NHS-news-like corpus (>= 5 MB, made from templates
with varied names; no seed text), against spaCy's bare blank-English tokenizer on the same
text in the same run, and the speed-up of 2 processes over 1. Prints name=value lines."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import spacy  # noqa: E402

from nhsgraph.extract import extract_batch  # noqa: E402
from nhsgraph.extract.api import analyse_many  # noqa: E402

PLACES = ["Ashford", "Barnsley", "Calderdale", "Dorset", "Eastbourne", "Fylde", "Gateshead",
          "Harrow", "Ipswich", "Kirklees", "Lambeth", "Medway", "Northumberland", "Oldham",
          "Plymouth", "Rotherham", "Salford", "Torbay", "Wakefield", "York", "Swindon"]
FIRST = ["Alice", "Ben", "Chris", "Dana", "Evan", "Fiona", "Gary", "Helen", "Ian", "Julia"]
LAST = ["Archer", "Bright", "Cole", "Dunn", "Ellis", "Frost", "Grant", "Hale", "Irwin", "Jones"]
TEMPLATES = [
    "{p1} and {p2} NHS Foundation Trust was rated {rating} by the Care Quality Commission on "
    "{d} {m} {y}. Chief executive {n1} said the trust would act on the findings.",
    "NHS {p1} and NHS {p2} will form a PCT cluster from {d} {m} {y}, the strategic health "
    "authority said. {n1}, chair of NHS {p1}, welcomed the move.",
    "{p1} CCG has been given delegated budgets of £{x}m. Dr {n1}, chief clinical officer of "
    "{p1} Clinical Commissioning Group, said {pc}% of practices supported the plan.",
    "The {p1} Health and Wellbeing Board AGREED the strategy on {d} {m} {y}. Councillor {n1} "
    "(Chair) thanked officers of {p1} Council.",
    "{p1} Community Healthcare Trust had its foundation trust application rejected by Monitor "
    "in {m} {y}. The trust's chair {n1} was disappointed.",
    "{n1} has been appointed chief executive of {p1} Hospitals NHS Trust from {m} {y}, "
    "replacing {n2}, who resigned after the merger with {p2} NHS Trust.",
]


def corpus(min_bytes: int = 5_300_000, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    docs, size = [], 0
    while size < min_bytes:
        paras = []
        for _ in range(rnd.randint(4, 9)):
            t = rnd.choice(TEMPLATES)
            paras.append(t.format(
                p1=rnd.choice(PLACES), p2=rnd.choice(PLACES),
                n1=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                n2=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                rating=rnd.choice(["Good", "Inadequate", "Outstanding", "Requires Improvement"]),
                d=rnd.randint(1, 28), y=rnd.randint(2006, 2025), x=rnd.randint(5, 900),
                pc=rnd.randint(1, 99),
                m=rnd.choice(["January", "March", "April", "June", "October", "December"])))
        doc = "\n\n".join(paras)
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs


def main() -> int:
    docs = corpus()
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"corpus_mb={mb:.2f}")
    print(f"corpus_docs={len(docs)}")
    nlp = spacy.blank("en")
    t = time.perf_counter()
    n_tok = sum(len(doc) for doc in nlp.tokenizer.pipe(docs, batch_size=256))
    tok_s = time.perf_counter() - t
    print(f"tokens={n_tok}")
    print(f"tokenizer_mb_s={mb / tok_s:.2f}")
    items = [(d, f"doc{i}") for i, d in enumerate(docs)]
    list(analyse_many(items[:5]))  # build the pipeline once (not timed)
    t = time.perf_counter()
    n_orgs = sum(len(r.orgs) for r in analyse_many(items))
    ext_s = time.perf_counter() - t
    print(f"org_mentions={n_orgs}")
    print(f"extract_mb_s={mb / ext_s:.2f}")
    print(f"extract_vs_tokenizer={tok_s / ext_s:.3f}")
    t = time.perf_counter()
    extract_batch(items, workers=1)
    one = time.perf_counter() - t
    t = time.perf_counter()
    extract_batch(items, workers=2, chunk_size=64)
    two = time.perf_counter() - t
    print(f"workers1_s={one:.2f}")
    print(f"workers2_s={two:.2f}")
    print(f"speedup_2_over_1={one / two:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
