"""A CLI that starts fast: commands that only read import neither the extractor (spaCy,
selectolax, pypdf) nor the web stack (FastAPI, Starlette, uvicorn, Jinja), nor Alembic
when the schema is current. Checked on sys.modules in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

HEAVY = ("spacy", "thinc", "fastapi", "starlette", "uvicorn", "jinja2", "selectolax", "pypdf",
         "alembic", "mako", "multipart", "python_multipart", "httpx")
PROBE = """
import json, sys
sys.argv = ["nhsgraph"] + json.loads(sys.argv[1])
try:
    from nhsgraph.cli import main
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted(m for m in sys.modules if m.split(".")[0] in %r)
sys.stderr.write("\\nPROBE " + json.dumps({"code": code, "heavy": heavy}) + "\\n")
""" % (HEAVY,)

QUERIES = [
    ["show", "NHS Alpha", "--at", "2012-01-15"], ["show", "Ann Example", "--json"],
    ["search", "alpha"], ["landscape", "--at", "2012-06-01", "--type", "pct"],
    ["lineage", "ods:QX1"], ["timeline", "ods:5AA"], ["conflicts"],
    ["check", "ods:5AA", "--at", "2012-01-15"], ["pipeline", "ods:5AA"],
    ["predicates"], ["rules", "list"], ["review"], ["--help"], ["show", "Nowhere"],
]


@pytest.fixture(scope="module")
def mini_file(tmp_path_factory):
    from nhsgraph.importers.curated import load_curated
    from nhsgraph.store import Store

    path = tmp_path_factory.mktemp("startup") / "mini.db"
    s = Store.open(path)
    load_curated(s, FIXTURES / "mini")
    s.close()
    return path


def probe(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"),
                                                        os.environ.get("PYTHONPATH", "")])}
    r = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True,
                       text=True, env=env, timeout=120)
    line = [l for l in r.stderr.splitlines() if l.startswith("PROBE ")]
    assert line, r.stderr
    return json.loads(line[-1][6:])


@pytest.mark.parametrize("args", QUERIES, ids=lambda a: " ".join(a)[:40])
def test_query_commands_import_no_heavy_dependency(mini_file, args):
    got = probe(["--db", str(mini_file), *args])
    assert got["code"] in (0, 1, None), got
    assert got["heavy"] == [], f"{' '.join(args)} imported {got['heavy']}"


def test_the_probe_sees_a_heavy_import(mini_file, tmp_path):
    """The check can fail: a command that does use the extractor is caught by it."""
    got = probe(["--db", str(mini_file), "extract", str(tmp_path / "missing.txt")])
    assert got["code"] == 3 and "spacy" in {m.split(".")[0] for m in got["heavy"]}
