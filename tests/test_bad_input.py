"""Bad input of every class: one line naming the file, line or argument, the exit code of
its class (nhsgraph.errors, listed in docs/cli.md), no traceback, and nothing written."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, PG_URL, ROOT
from nhsgraph.cli import app
from nhsgraph.errors import (EXIT_BAD_FILE, EXIT_MISSING, EXIT_NO_DATABASE, EXIT_NOT_FOUND,
                             EXIT_READ_ONLY, EXIT_USAGE)

runner = CliRunner()
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"),
                                                    os.environ.get("PYTHONPATH", "")])}


def cli(*args, env=None, prefix=(), **kw) -> subprocess.CompletedProcess:
    """The real command, in a fresh interpreter (as a user runs it)."""
    return subprocess.run([*prefix, sys.executable, "-m", "nhsgraph", *args],
                          capture_output=True, text=True, env={**ENV, **(env or {})},
                          timeout=120, **kw)


def one_line_error(r, *words):
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def mini_db(tmp_path) -> Path:
    """A SQLite file holding the mini registry (these tests are about files)."""
    from nhsgraph.importers.curated import load_curated
    from nhsgraph.store import Store

    path = tmp_path / "mini.db"
    s = Store.open(path)
    load_curated(s, FIXTURES / "mini")
    s.close()
    return path


# -- databases that cannot be opened -----------------------------------------------------
def test_read_command_refuses_a_database_that_does_not_exist(tmp_path):
    r = cli("--db", str(tmp_path / "missing.db"), "show", "NHS Alpha")
    assert r.returncode == EXIT_NO_DATABASE
    one_line_error(r, "missing.db", "no such database")
    assert not (tmp_path / "missing.db").exists()


def test_no_db_given_does_not_create_nhsgraph_db(tmp_path):
    env = {k: v for k, v in ENV.items() if k != "NHSGRAPH_DB"}
    r = subprocess.run([sys.executable, "-m", "nhsgraph", "search", "alpha"], cwd=tmp_path,
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == EXIT_NO_DATABASE
    one_line_error(r, "nhsgraph.db")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database\n" * 50)
    before = digest(bad)
    for args in (["show", "x"], ["import", "curated", str(FIXTURES / "mini")], ["init"]):
        r = cli("--db", str(bad), *args)
        assert r.returncode == EXIT_NO_DATABASE, (args, r.stderr)
        one_line_error(r, "notes.db", "not an SQLite database")
    assert digest(bad) == before


def test_a_folder_given_as_database(tmp_path):
    r = cli("--db", str(tmp_path), "show", "x")
    assert r.returncode == EXIT_NO_DATABASE
    one_line_error(r, "is a directory")


def test_an_unreachable_server():
    r = cli("--db", "postgresql://someone:s3cret@127.0.0.1:1/nhsgraph", "show", "x")
    assert r.returncode == EXIT_NO_DATABASE
    one_line_error(r, "127.0.0.1", "cannot connect")
    assert "s3cret" not in r.stderr


def test_a_missing_driver_names_the_extra():
    code = ("import sys; sys.modules['psycopg'] = None\n"   # as if psycopg were not installed
            "sys.argv = ['nhsgraph', '--db', 'postgresql://u@localhost/x', 'show', 'x']\n"
            "from nhsgraph.cli import main; main()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV,
                       timeout=120)
    assert r.returncode == EXIT_MISSING
    one_line_error(r, "psycopg", 'pip install "nhsgraph[postgres]"')


def test_an_unknown_kind_of_url():
    r = cli("--db", "foo://host/db", "show", "x")
    assert r.returncode == EXIT_USAGE
    one_line_error(r, "foo://", "unsupported database URL")


def _read_only_copy(src: Path) -> tuple[Path, dict]:
    """A copy of the database in a read-only folder, and how to run as someone who cannot
    write there (root writes anywhere: then the command runs as nobody)."""
    place = Path(tempfile.mkdtemp(prefix="nhsgraph-ro-"))
    db = place / "ro.db"
    db.write_bytes(src.read_bytes())
    db.chmod(0o444)
    place.chmod(0o555)
    kw = {}
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root, and no setpriv to run as someone else")
        kw["prefix"] = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
    return db, kw


def test_a_read_only_database_is_read_and_not_written(mini_db):
    db, kw = _read_only_copy(mini_db)
    try:
        before = digest(db)
        r = cli("--db", str(db), "show", "NHS Alpha", "--json", **kw)
        assert r.returncode == 0, r.stderr
        assert '"ods:5AA"' in r.stdout
        r = cli("--db", str(db), "import", "curated", str(FIXTURES / "mini"), **kw)
        assert r.returncode == EXIT_READ_ONLY
        one_line_error(r, "ro.db", "read-only")
        r = cli("--db", str(db.parent / "new.db"), "init", **kw)
        assert r.returncode == EXIT_READ_ONLY
        one_line_error(r, "new.db", "read-only")
        assert digest(db) == before and sorted(p.name for p in db.parent.iterdir()) == ["ro.db"]
    finally:
        db.parent.chmod(0o755)
        shutil.rmtree(db.parent)


def test_version():
    r = cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("nhsgraph ")


# -- arguments -----------------------------------------------------------------------------
@pytest.fixture
def db_args(mini_store, tmp_path):
    return ["--db", PG_URL or str(tmp_path / "test.db")]


def test_exit_codes_of_not_found_and_bad_argument(db_args):
    r = runner.invoke(app, [*db_args, "show", "Nowhere Trust"])
    assert r.exit_code == EXIT_NOT_FOUND
    r = runner.invoke(app, [*db_args, "show", "NHS Alpha", "--at", "2012-13"])
    assert r.exit_code == EXIT_USAGE and "not a date" in r.output


# -- documents ---------------------------------------------------------------------------
def _deep_html(depth: int) -> str:
    return ("<html><head><title>Deep</title></head><body>" + "<div><span>" * depth
            + "NHS Wiltshire met." + "</span></div>" * depth + "</body></html>")


def test_deeply_nested_html_is_read_without_recursing():
    from nhsgraph.extract.readers import html_to_text

    text, meta = html_to_text(_deep_html(2_000))     # 4,000 deep: past the recursion limit
    assert text == "NHS Wiltshire met." and meta["title"] == "Deep"


def test_html_nested_beyond_the_limit_is_refused_in_good_time(tmp_path, mini_db):
    import time

    from nhsgraph.extract.readers import MAX_HTML_DEPTH

    page = tmp_path / "deep.html"
    page.write_text(_deep_html(100_000))
    before = digest(mini_db)
    started = time.perf_counter()
    r = cli("--db", str(mini_db), "ingest", str(page))
    assert time.perf_counter() - started < 30
    assert r.returncode == EXIT_BAD_FILE
    one_line_error(r, "deep.html", "200,000 elements deep", f"{MAX_HTML_DEPTH:,}")
    assert digest(mini_db) == before


@pytest.mark.parametrize("date", ["2012-02-30", "2012-13-01", "2011-00"])
def test_an_impossible_date_in_a_documents_metadata(tmp_path, mini_db, date):
    page = tmp_path / "board.html"
    page.write_text(f'<html><head><title>Board</title><meta name="date" content="{date}">'
                    "</head><body><p>NHS Alpha met on 3 March 2012.</p></body></html>")
    before = digest(mini_db)
    r = cli("--db", str(mini_db), "ingest", str(page))
    assert r.returncode == EXIT_BAD_FILE
    one_line_error(r, "board.html", repr(date), "not a date")
    assert digest(mini_db) == before


# -- the API: problem+json 4xx, never 500 ----------------------------------------------------
def _problem(r, status):
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


def test_api_impossible_document_date_is_422(client):
    from webutil import TOKEN

    auth = {"Authorization": f"Bearer {TOKEN}"}
    for send in ({"json": {"text": "NHS Alpha met.", "date": "2012-02-30"}},
                 {"content": "NHS Alpha met.", "params": {"date": "2012-13"},
                  "headers": {"content-type": "text/plain"}}):
        headers = {**auth, **send.pop("headers", {})}
        body = _problem(client.post("/api/documents", headers=headers, **send), 422)
        assert "not a date" in body["detail"]
    assert client.get("/api/proposals").json()["total"] == 0


def test_api_deeply_nested_json_and_yaml_are_422(client):
    from webutil import TOKEN

    auth = {"Authorization": f"Bearer {TOKEN}"}
    deep = "[" * 100_000 + "]" * 100_000
    body = _problem(client.post("/api/documents", content=deep,
                                headers={**auth, "content-type": "application/json"}), 422)
    assert "nested too deeply" in body["detail"]
    deep_yaml = "entities: " + "[" * 20_000 + "]" * 20_000 + "\n"
    r = client.post("/api/import", content=deep_yaml,
                    headers={**auth, "content-type": "application/yaml"})
    assert 400 <= r.status_code < 500 and r.headers["content-type"].startswith(
        "application/problem+json"), r.text


# -- archives ------------------------------------------------------------------------------
def test_a_zip_bomb_is_refused_without_unpacking_it(tmp_path, mini_db):
    import time
    import zipfile

    bomb = tmp_path / "etr.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("etr.csv", "w") as f:
            for _ in range(200):
                f.write(b'"RXX","A TRUST","Y56","Q71"\n' * 40_000)   # 200 x 1.1 MB
    assert bomb.stat().st_size < 2_000_000
    before = digest(mini_db)
    started = time.perf_counter()
    r = cli("--db", str(mini_db), "import", "ods", str(bomb))
    assert time.perf_counter() - started < 30
    assert r.returncode == EXIT_BAD_FILE
    one_line_error(r, "etr.zip", "zip bomb")
    assert digest(mini_db) == before


def test_a_zip_read_as_a_stream_stops_at_the_limit(tmp_path, monkeypatch):
    """Whatever the header says, no more than the limit is unpacked."""
    import zipfile

    from nhsgraph.errors import BadFile
    from nhsgraph.importers import reader

    z = tmp_path / "big.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.csv", "".join(f"E{i:08d},{i * 7919 % 100_003}\n"
                                       for i in range(200_000)).encode())
    data, name = reader.read_bytes(z)
    assert len(data) > 3_000_000 and name == "big.zip!big.csv"
    monkeypatch.setattr(reader, "MAX_UNZIPPED", 2_000_000)
    with pytest.raises(BadFile, match="unpacks to more than 2,000,000 bytes"):
        reader.read_bytes(z)


# -- rows of imported files: control characters and malformed codes ------------------------
ECCG_ROW = ('"{code}","{name}","Y63","Q74","FIRST LINE","","","","","","","20130401","",'
            '"","","","","","","","","","","","","",""')


def _cli_db(store_args):
    return ["--db", PG_URL] if PG_URL else store_args


BAD_ROWS = [
    ("ods", "eccg_2020-01.csv",
     ECCG_ROW.format(code="00C", name="NHS DARLINGTON CCG") + "\n"
     + ECCG_ROW.format(code="00D", name="NHS DUR\x00HAM CCG") + "\n", "U+0000"),
    ("ods", "eccg_2020-01.csv",
     ECCG_ROW.format(code="00C", name="NHS DARLINGTON CCG") + "\n"
     + ECCG_ROW.format(code="00-D", name="NHS DURHAM CCG") + "\n", "'00-D'"),
    ("lookup", "SHA_2012.csv",
     "SHA12CD,SHA12CDO,SHA12NM\nE18000001,Q30,North East\nE18 000002,Q31,North West\n",
     "malformed ons_code 'E18 000002'"),
    ("lookup", "SHA_2012.csv",
     "SHA12CD,SHA12CDO,SHA12NM\nE18000001,Q30,North East\nE18000002,Q31,North\x07West\n",
     "U+0007"),
]
BAD_ROW_IDS = ["ods-nul", "ods-code", "lookup-code", "lookup-bel"]


def _bad_file(tmp_path, name, text):
    f = tmp_path / name
    f.write_bytes(text.encode("utf-8"))
    return f, ["--db", PG_URL or str(tmp_path / "test.db")]


@pytest.mark.parametrize("kind, name, text, needle", BAD_ROWS, ids=BAD_ROW_IDS)
def test_bad_rows_are_refused_with_file_and_line(store, tmp_path, kind, name, text, needle):
    f, db = _bad_file(tmp_path, name, text)
    before = store.counts()
    r = runner.invoke(app, [*db, "import", kind, str(f)])
    assert r.exit_code == EXIT_BAD_FILE, r.output
    assert f"{name}:{3 if kind == 'lookup' else 2}:" in r.output and needle in r.output
    assert store.counts() == before


@pytest.mark.parametrize("kind, name, text, needle", [
    pytest.param(*case) for case in BAD_ROWS],
    ids=BAD_ROW_IDS)
def test_bad_rows_are_skipped_and_reported_with_skip_bad(store, tmp_path, kind, name, text,
                                                         needle):
    from conftest import sql_rows

    f, db = _bad_file(tmp_path, name, text)
    r = runner.invoke(app, [*db, "import", kind, str(f), "--skip-bad"])
    assert r.exit_code == 0, r.output
    assert "1 rows rejected" in r.output and needle in r.output
    held = sql_rows(store, "select id, label from entity") + sql_rows(
        store, "select subject_id, value from statement")
    assert held and not [row for row in held if any(
        c in str(row) for c in ("\x00", "\x07", "00-D", "E18 0", "Q31", "00D"))]


def test_no_control_character_is_stored_by_any_path(store):
    """The store's own last word: an entity label or a text value with a control
    character is refused, however it was built."""
    from nhsgraph.errors import BadInput, BadValue
    from nhsgraph.model.statements import CitationIn, StatementIn

    cite = (CitationIn("src:x", "curated"),)
    for build in (StatementIn, StatementIn.trusted):
        with pytest.raises(BadValue, match="U\\+0000"):
            build("ods:5AA", "name", cite, value="NHS A\x00B")
        with pytest.raises(BadValue, match="malformed ods_code"):
            build("ods:5AA", "ods_code", cite, value="5A A")
    with pytest.raises(BadInput, match="control character"), store.writer() as w:
        w.ensure_entity("ods:5AA", "organisation", "NHS \x1bAlpha")
    with pytest.raises(BadInput, match="bad entity id"), store.writer() as w:
        w.ensure_entity("ods:5A\x00A", "organisation")
    assert store.counts()["entity"] == 0


# -- check --fail-on ---------------------------------------------------------------------
def test_check_fail_on_breach_exits_7_on_a_breach_only(store, tmp_path):
    from nhsgraph.errors import EXIT_BREACH
    from rules_builder import build, org, post

    build(store, org("org:p1", "pct", "NHS One") + post("person:a", "org:p1", "chair")
          + post("person:a", "org:p1", "chief_executive")
          + org("org:p2", "pct", "NHS Two") + post("person:b", "org:p2", "chair"))
    db = ["--db", PG_URL or str(tmp_path / "test.db")]
    rule = ["--at", "2011-01-01", "--rule", "PCT-BOARD-CHAIR-NONEXEC"]
    r = runner.invoke(app, [*db, "check", "NHS One", *rule])
    assert r.exit_code == 0 and "breach" in r.output          # reported, not failed
    for extra in ([], ["--json"]):
        r = runner.invoke(app, [*db, "check", "NHS One", *rule, "--fail-on", "breach", *extra])
        assert r.exit_code == EXIT_BREACH, r.output
        r = runner.invoke(app, [*db, "check", "NHS Two", *rule, "--fail-on", "breach", *extra])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, [*db, "check", "NHS One", *rule, "--fail-on", "breech"])
    assert r.exit_code == EXIT_USAGE and "breach, insufficient_evidence" in r.output


# -- unknown types and parent links ------------------------------------------------------
def test_unknown_type_is_refused_listing_the_known_ones(db_args):
    r = runner.invoke(app, [*db_args, "landscape", "--at", "2012-06-01", "--type", "pcts"])
    assert r.exit_code == EXIT_USAGE
    assert "unknown organisation type 'pcts'" in r.output and "ccg, commissioning_hub" in r.output
    r = runner.invoke(app, [*db_args, "landscape", "--at", "2012-06-01", "--type", "PCT",
                            "--json"])
    assert r.exit_code == 0 and '"count": 3' in r.output        # a known type, any case
    r = runner.invoke(app, [*db_args, "landscape", "--at", "2012-06-01", "--by", "parent"])
    assert r.exit_code == EXIT_USAGE and "accountable_to, member_of, hosted_by" in r.output
    r = runner.invoke(app, [*db_args, "landscape", "--at", "2012-99"])
    assert r.exit_code == EXIT_USAGE and "--at: not a date" in r.output


def test_api_unknown_type_is_422_listing_the_known_ones(client):
    body = _problem(client.get("/api/landscape", params={"at": "2012-06-01", "type": "pcts"}),
                    422)
    assert "unknown organisation type 'pcts'" in body["detail"] and "ccg" in body["detail"]
    r = client.get("/landscape", params={"at": "2012-06-01", "type": "pcts"})
    assert r.status_code == 422 and "unknown organisation type" in r.text


def test_every_exit_code_is_documented():
    import nhsgraph.errors as errors

    doc = (ROOT / "docs" / "cli.md").read_text()
    section = doc[doc.index("Exit codes:"):doc.index("**Usage**")]
    codes = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    assert len(codes) == 10
    for code in codes:
        assert f" {code} " in section.replace("\n", " "), code
