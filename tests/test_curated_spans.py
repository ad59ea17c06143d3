"""Every character-span citation in the bundled seed files matches its seed text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).parents[1]
DATA = REPO / "src" / "nhsgraph" / "data"
SEEDS = REPO.parent / "shared" / "seeds"
SEED_FILES = sorted((DATA / "seeds").glob("*.yaml"))

pytestmark = pytest.mark.seeds


def _norm(s: str) -> str:
    return " ".join(s.split())


def _cites(fact):
    cite = fact.get("cite")
    return cite if isinstance(cite, list) else [cite]


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seed_spans_match(path):
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not available at {SEEDS}")
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    text_path = SEEDS / doc["source"]["document"]
    if not text_path.exists():
        pytest.skip(f"seed text {text_path.name} not available")
    text = text_path.read_text(encoding="utf-8")
    bad = []
    for fact in doc["facts"]:
        for cite in _cites(fact):
            assert cite, f"fact without citation: {fact}"
            if cite.get("source") and "at" not in cite:
                continue    # another source cited (an Act, for an end the document predates)
            start, end = cite["at"]
            if not (0 <= start < end <= len(text)) or _norm(cite["quote"]) not in _norm(text[start:end]):
                bad.append((fact["s"], fact["p"], cite))
    assert not bad, f"{len(bad)} spans do not match: {bad[:5]}"


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_quotes_are_short(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for fact in doc["facts"]:
        for cite in _cites(fact):
            assert len(cite["quote"].split()) <= 12, cite["quote"]
