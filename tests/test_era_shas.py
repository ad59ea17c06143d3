"""The strategic health authorities of 2002-2013 in the bundled knowledge base (issue 14):
the 28 of 2002-2006 and the 10 of 2006-2013, each typed for its whole life from the ODS
successor file's rows (a health authority's succession into it on 2002-04-01, its own into
one of the ten on 2006-07-01), each count checked against a published figure.

No file or public source found maps the codes Q01-Q28 to the names of the 28 (Wikipedia
lists the names without codes), so they keep their placeholder labels. Searched (Dec 2026):
old ODS esha/eauth files, ONS/NSPD pre-2006 SHA names-and-codes lookups, HES and QOF tables by
SHA, in the stored code, pages and docs corpora. The names turn up only without codes (a
netipedia copy of Wikipedia; the QOF 2004-05 workbook sheet names read by a public Stata
script). The QOF 2004-05 and 2005-06 PCT tables (e.g. qof-eng-04-05-achi-data-pct-clin.xls,
files.digital.nhs.uk) open with SHA code, SHA name, PCT code and PCT name columns, and would
tie each code to its name, but no copy of them is stored where it can be read and cited. The
successor file alone cannot tell apart the SHAs that went into the same one of the ten."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from nhsgraph.importers.curated import bundled_dir
from nhsgraph.query import landscape, lineage
from conftest import REAL

BACKGROUND = bundled_dir() / "background"
OLD_SHAS = [f"ods:Q{n:02d}" for n in range(1, 29)]
NEW_SHAS = [f"ods:Q{n}" for n in range(30, 40)]


@pytest.fixture(scope="module")
def kb(bundled_kb):
    with bundled_kb[0].reader() as conn:
        yield conn


def _members(conn, at: str) -> list[str]:
    return sorted(m["id"] for g in landscape(conn, at, ["sha"]).groups for m in g.members)


def test_twenty_eight_shas_then_ten(kb):
    """Wikipedia, "Strategic health authority"
    (https://en.wikipedia.org/wiki/Strategic_health_authority): "Initially 28 in number,
    they were reduced to 10 in 2006", and they were abolished with the PCTs in 2013 (Health
    and Social Care Act 2012, section 33)."""
    assert _members(kb, "2002-04-01") == OLD_SHAS
    assert _members(kb, "2005-01-01") == OLD_SHAS
    assert _members(kb, "2006-06-30") == OLD_SHAS
    assert _members(kb, "2006-07-01") == NEW_SHAS
    assert _members(kb, "2007-01-01") == NEW_SHAS
    assert _members(kb, "2013-03-31") == NEW_SHAS
    assert _members(kb, "2013-04-01") == []
    assert _members(kb, "2002-03-31") == []


def test_every_old_sha_went_into_one_of_the_ten(kb):
    """succ/succarc: each of Q01-Q28 is succeeded on 2006-07-01 by one of Q30-Q39, and the
    ten took in all 28 (London, Q36, five of them)."""
    into: dict[str, list[str]] = {}
    for sha in OLD_SHAS:
        after = [f for f in lineage(kb, sha).links if f.subject == sha]
        assert len(after) == 1 and str(after[0].valid_from) == "2006-07-01", (sha, after)
        into.setdefault(after[0].object, []).append(sha)
    assert sorted(into) == NEW_SHAS
    assert into["ods:Q36"] == ["ods:Q04", "ods:Q05", "ods:Q06", "ods:Q07", "ods:Q08"]


def _dataset_citations():
    """Every curated citation that names a row of a dataset file: (yaml file, quote, data
    file name, line)."""
    out = []
    for path in sorted(BACKGROUND.glob("*.yaml")):
        for fact in yaml.safe_load(path.read_text())["facts"]:
            cites = fact["cite"] if isinstance(fact["cite"], list) else [fact["cite"]]
            for c in cites:
                m = re.fullmatch(r"(\S+\.csv) line (\d+)", str(c.get("locator", "")))
                if m and c.get("quote"):
                    out.append((path.name, str(c["quote"]), m.group(1), int(m.group(2))))
    return out


@pytest.mark.skipif(not REAL.is_dir(), reason=f"real national data not found at {REAL}")
def test_sha_and_pct_row_citations_quote_their_row():
    """A curated fact that cites "file line N" quotes that line of the real file (the SHA
    and PCT facts cite the successor file and the ONS lists row by row)."""
    found = {p.name: p for p in REAL.rglob("*.csv")}
    checked, wrong = 0, []
    for yfile, quote, fname, line in _dataset_citations():
        if yfile not in ("shas.yaml", "pcts.yaml") or fname not in found:
            continue
        rows = _lines(found[fname])
        checked += 1
        if not (0 < line <= len(rows) and quote in rows[line - 1]):
            wrong.append((yfile, fname, line, quote))
    assert checked >= 28 * 3 and wrong == []


_cache: dict[Path, list[str]] = {}


def _lines(path: Path) -> list[str]:
    if path not in _cache:
        _cache[path] = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    return _cache[path]
