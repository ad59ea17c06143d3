"""Extraction throughput against spaCy's bare blank-English tokenizer on the same text in
the same run, and the speed-up of 2 processes over 1. Prints name=value lines.

    python benchmarks/extract_throughput.py [--corpus varied|templates|both] [--repeat N]
        [--no-processes] [--scale N] [--src DIR]

Every ratio is a speed ratio, extraction's MB/s over the tokenizer's (so the tokenizer's
time over extraction's), named ``<corpus>.extract_over_<baseline>_<clock>``. **The aim
(issue 16: at least 0.5) is read on the varied corpus in CPU time**, printed last as
``aim.varied.extract_over_bare_tokenizer_cpu``. The templates corpus is a stress case for
the baseline, not the aim: its tokenizer serves nearly every token from its cache, so
its ratio sits near 0.03-0.05 whatever extraction does (the "0.034" once read as the aim
was this figure). Wall-clock ratios move with the machine's load (tokenizer and extraction
run at different moments); CPU ratios much less. ``--src DIR`` times another checkout's
``src`` with this script (a paired comparison of two versions).

Two generated corpora of >= 5 MB each (no seed text):

- ``templates``: NHS-news-like sentences from a few templates and small name lists. Its
  vocabulary is tiny, so the tokenizer serves almost every token from its cache and runs
  ~20x faster than on real prose: a harsh baseline.
- ``varied``: the same kinds of sentences with organisation names and addresses from the
  real registry files (``../shared/data/real``, when present) and filler sentences whose
  words are drawn, with their natural frequencies, from the English of the Python
  standard library's docstrings. Its vocabulary is as wide as real prose, so the
  tokenizer runs at the ~0.5-0.8 MB/s the issue quotes for this machine.
"""

from __future__ import annotations

import csv
import random
import re
import sys
import sysconfig
from collections import Counter
from itertools import accumulate
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = Path(sys.argv[sys.argv.index("--src") + 1]) if "--src" in sys.argv else ROOT / "src"
sys.path.insert(0, str(SRC))

import spacy  # noqa: E402

from nhsgraph.extract import extract_batch  # noqa: E402
from nhsgraph.extract.api import analyse_many  # noqa: E402
from nhsgraph.extract.pipeline import build_pipeline  # noqa: E402

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


def news_sentence(rnd: random.Random, places: list[str], person) -> str:
    """One templated NHS news sentence; ``person()`` gives a person's name."""
    return rnd.choice(TEMPLATES).format(
        p1=rnd.choice(places), p2=rnd.choice(places), n1=person(), n2=person(),
        rating=rnd.choice(["Good", "Inadequate", "Outstanding", "Requires Improvement"]),
        d=rnd.randint(1, 28), y=rnd.randint(2006, 2025), x=rnd.randint(5, 900),
        pc=rnd.randint(1, 99),
        m=rnd.choice(["January", "March", "April", "June", "October", "December"]))


def documents(rnd: random.Random, min_bytes: int, paragraph) -> list[str]:
    """Documents of 4-9 ``paragraph()``s until the corpus reaches ``min_bytes``."""
    docs, size = [], 0
    while size < min_bytes:
        doc = "\n\n".join(paragraph() for _ in range(rnd.randint(4, 9)))
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs


def corpus(min_bytes: int = 5_300_000, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    return documents(rnd, min_bytes, lambda: news_sentence(
        rnd, PLACES, lambda: f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"))


DATA = ROOT.parent / "shared" / "data" / "real"
FILLER_TEMPLATES = [
    "The {org} said in its annual report that {filler}.",
    "Members of the {org} board heard that {filler}.",
    "A spokesperson for {org}, based at {address}, said: \"{filler}.\"",
    "{filler}, according to papers published by {org}.",
]


def english_words(max_words: int = 3_000_000) -> Counter:
    """Word frequencies of real English prose available offline: the docstrings of the
    Python standard library (read at run time; nothing is copied into the repository)."""
    words: Counter = Counter()
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py")):
        if "test" in path.parts or "idlelib" in path.parts:
            continue
        try:
            source = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for doc in DOCSTRING.findall(source):
            words.update(WORD.findall(doc))
        if sum(words.values()) > max_words:
            break
    return words


DOCSTRING = re.compile(r'"""(.*?)"""', re.S)
WORD = re.compile(r"\b[A-Za-z][a-z]{0,19}(?:'[a-z]+)?\b")


def registry_names() -> tuple[list[str], list[str]]:
    """Organisation names and one-line addresses from the real ODS files, title-cased as
    they would be written in prose; empty when ../shared is absent."""
    names, addresses = set(), set()
    for path in sorted(DATA.rglob("e*.csv")) if DATA.is_dir() else ():
        if not re.match(r"e(tr|ct|ccg|praccur)(?![a-z])", path.stem):
            continue
        with path.open(newline="", encoding="utf-8", errors="replace") as f:
            for row in csv.reader(f):
                if len(row) > 9 and row[1]:
                    names.add(prose_case(row[1]))
                    addresses.add(", ".join(x.title() for x in row[4:9] if x) + " " + row[9])
    return sorted(names), sorted(addresses)


def prose_case(name: str) -> str:
    """"NHS NORTH EAST AND NORTH CUMBRIA ICB" as prose writes it."""
    words = name.title().split()
    small = {"And": "and", "Of": "of", "The": "the", "For": "for"}
    acronyms = {"Nhs": "NHS", "Ccg": "CCG", "Icb": "ICB", "Pct": "PCT", "Gp": "GP"}
    return " ".join([words[0]] + [small.get(w, acronyms.get(w, w)) for w in words[1:]]
                    ) if words else name


def varied_corpus(min_bytes: int = 5_300_000, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    vocab = english_words()
    words = list(vocab)
    cum = list(accumulate(vocab.values()))     # choices() would re-add the weights per call
    orgs, addresses = registry_names()
    orgs = orgs or [f"{p} NHS Trust" for p in PLACES]
    addresses = addresses or PLACES
    places = sorted({o.split()[0] for o in orgs if o[:1].isupper()}) or PLACES

    def filler() -> str:
        w = rnd.choices(words, cum_weights=cum, k=rnd.randint(8, 22))
        return " ".join(w)[:1].upper() + " ".join(w)[1:]

    def paragraph() -> str:
        head = news_sentence(rnd, places,
                             lambda: f"{rnd.choice(words).title()} {rnd.choice(words).title()}")
        tail = [rnd.choice(FILLER_TEMPLATES).format(
            org=rnd.choice(orgs), address=rnd.choice(addresses), filler=filler())
            for _ in range(rnd.randint(1, 3))] + [filler() + "." for _ in range(rnd.randint(0, 3))]
        return " ".join([head] + tail)

    return documents(rnd, min_bytes, paragraph)


def measure(name: str, docs: list[str], repeat: int = 1) -> tuple[list, dict]:
    """Tokenizer (a fresh blank pipeline, empty cache), then extraction, on one corpus;
    each timed ``repeat`` times (the tokenizer at least twice) and the fastest run kept,
    wall and CPU apart: the machine's speed moves between runs, and the fastest baseline
    is the harshest one."""
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"{name}.corpus_mb={mb:.2f}")
    print(f"{name}.corpus_docs={len(docs)}")
    tok_s = tok_cpu = float("inf")
    for _ in range(max(2, repeat)):
        nlp = spacy.blank("en")
        t, c = time.perf_counter(), time.process_time()
        n_tok = sum(len(doc) for doc in nlp.tokenizer.pipe(docs, batch_size=256))
        tok_s = min(tok_s, time.perf_counter() - t)
        tok_cpu = min(tok_cpu, time.process_time() - c)
    print(f"{name}.tokens={n_tok}")
    print(f"{name}.bare_tokenizer_mb_s={mb / tok_s:.2f}")
    print(f"{name}.bare_tokenizer_cpu_s={tok_cpu:.2f}")
    # Our pipeline's own tokenizer (fresh vocabulary), for comparison: it skips spaCy's
    # affix and URL patterns where they cannot match (pipeline.py), so it is faster than
    # the bare one with the same tokens; the aim is measured against the bare one.
    own = build_pipeline().tokenizer
    t = time.perf_counter()
    for _ in own.pipe(docs, batch_size=256):
        pass
    own_s = time.perf_counter() - t
    print(f"{name}.own_tokenizer_mb_s={mb / own_s:.2f}")
    items = [(d, f"{name}{i}") for i, d in enumerate(docs)]
    ext_s = ext_cpu = float("inf")
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        n_orgs = sum(len(r.orgs) for r in analyse_many(items))
        ext_s = min(ext_s, time.perf_counter() - t)
        ext_cpu = min(ext_cpu, time.process_time() - c)
    print(f"{name}.org_mentions={n_orgs}")
    print(f"{name}.extract_mb_s={mb / ext_s:.2f}")
    print(f"{name}.extract_cpu_s={ext_cpu:.2f}")
    ratios = {"bare_tokenizer_wall": tok_s / ext_s, "bare_tokenizer_cpu": tok_cpu / ext_cpu,
              "own_tokenizer_wall": own_s / ext_s}
    for k, v in ratios.items():
        print(f"{name}.extract_over_{k}={v:.3f}")
    return items, ratios


def main() -> int:
    """``--scale N``: time the processes on the varied corpus N times over (each process
    pays ~0.5 s to start and build its pipeline, which a 5 MB corpus does not hide)."""
    argv = sys.argv[1:]

    def opt(flag, default):
        return argv[argv.index(flag) + 1] if flag in argv else default
    scale, repeat = int(opt("--scale", 1)), int(opt("--repeat", 1))
    which = opt("--corpus", "both")
    list(analyse_many([("NHS Barnsley was rated Good in March 2012.", "warm-up")]))
    if which in ("templates", "both"):
        measure("templates", corpus(), repeat)
    if which not in ("varied", "both"):
        return 0
    items, ratios = measure("varied", varied_corpus(), repeat)
    if "--no-processes" not in argv:
        items = [(text, f"{name}-{k}") for k in range(scale) for text, name in items]
        print(f"processes_corpus_docs={len(items)}")
        t = time.perf_counter()
        extract_batch(items, workers=1)
        one = time.perf_counter() - t
        t = time.perf_counter()
        extract_batch(items, workers=2, chunk_size=64)
        two = time.perf_counter() - t
        print(f"workers1_s={one:.2f}")
        print(f"workers2_s={two:.2f}")
        print(f"speedup_2_over_1={one / two:.2f}")
    print(f"aim.varied.extract_over_bare_tokenizer_cpu={ratios['bare_tokenizer_cpu']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
