import shutil

import pytest

from nhsgraph.errors import BadInput, MissingCitation, SpanMismatch, UnknownPredicate
from nhsgraph.importers.curated import load_curated
from conftest import FIXTURES


def test_loading_twice_changes_nothing(store):
    first = load_curated(store, FIXTURES / "mini", documents=FIXTURES / "docs")
    counts = store.counts()
    second = load_curated(store, FIXTURES / "mini", documents=FIXTURES / "docs")
    assert first.statements_added > 30 and second.statements_added == 0
    assert first.spans_checked == second.spans_checked > 30
    assert store.counts() == counts


def test_a_moved_span_is_named(store, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "mini.txt").write_text("Two words inserted. " + (FIXTURES / "docs" / "mini.txt").read_text())
    with pytest.raises(SpanMismatch) as e:
        load_curated(store, FIXTURES / "mini", documents=docs)
    assert "registry.yaml: facts[0]" in str(e.value) and "NHS Northshire" in str(e.value)
    assert store.counts()["statement"] == 0


@pytest.mark.parametrize("fact, error", [
    ("{s: ods:5AA, p: nmae, v: x, cite: {quote: q}}", UnknownPredicate),
    ("{s: ods:5AA, p: name, v: x}", MissingCitation),
    ("{s: ods:5AA, p: name, v: x, from: 2011-02-30, cite: {quote: q}}", BadInput),
])
def test_bad_facts_name_their_file_and_index(store, tmp_path, fact, error):
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "mini", kb)
    (kb / "zz_bad.yaml").write_text(f"source: {{id: src:bad, title: Bad, kind: web}}\nfacts:\n  - {fact}\n")
    with pytest.raises(error) as e:
        load_curated(store, kb)
    assert "zz_bad.yaml: facts[0]" in str(e.value)
    assert store.counts()["statement"] == 0


def test_broken_yaml_names_its_line(store, tmp_path):
    (tmp_path / "a.yaml").write_text("facts:\n  - {s: x\n  - y\n")
    with pytest.raises(BadInput, match=r"a.yaml:\d+: not valid YAML"):
        load_curated(store, tmp_path)
