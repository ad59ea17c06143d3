"""National counts as at dates over the whole real folder beside the bundled knowledge base
(issue 14), each checked against a published figure named here; and the README's counts
table, which ``nhsgraph counts --markdown`` printed from such a registry, checked against
the registry cell by cell."""

from __future__ import annotations

import csv
import re

import sqlalchemy as sa
from typer.testing import CliRunner

from nhsgraph.cli import app as cli
from nhsgraph.query import landscape
from nhsgraph.services.views import counts_data
from conftest import REAL, ROOT

START, END = "<!-- counts:start -->", "<!-- counts:end -->"
runner = CliRunner()


def _commissioners(conn, at: str) -> set[str]:
    """PCTs, and the care trusts that were PCTs too (GP practices were their members: the
    commissioning care trusts of epcmem, not ect's provider care trusts)."""
    pcts = {m["id"] for g in landscape(conn, at, ["pct"]).groups for m in g.members}
    trusts = {m["id"] for g in landscape(conn, at, ["care_trust"]).groups for m in g.members}
    with_practices = {r[0] for r in conn.execute(sa.text(
        "select distinct object_id from statement where predicate = 'member_of' and "
        "status = 'asserted' and retracted_at is null and subject_id in (select subject_id "
        "from statement where predicate = 'org_type' and value_text = 'gp_practice') "
        "and (valid_from is null or valid_from <= :d) and (valid_to is null or valid_to > :d)"),
        {"d": at})}
    return pcts | (trusts & with_practices)


def test_152_pcts_after_the_2006_reorganisation(national):
    """Digital Health, "Number of PCTs to be halved" (May 2006,
    https://www.digitalhealth.net/2006/05/number-of-pcts-to-be-halved/): "almost halving
    the number from the current 303 to 152. The new Primary Care Trusts will be
    established from 1 October 2006"."""
    store, _ = national
    with store.reader() as conn:
        assert len(_commissioners(conn, "2005-01-01")) == 303
        assert len(_commissioners(conn, "2007-01-01")) == 152


def test_the_pcts_of_november_2011_are_the_151_of_the_ons_list(national):
    """ONS, Primary Care Organisations (2012) names and codes (PCO_2012.csv, 151 PCTs):
    the registry's PCTs and commissioning care trusts of 29 November 2011, which it has
    from the practices' memberships (epcmem), are exactly the ONS list's codes."""
    with open(REAL / "ebmdatalab__openprescribing" / "PCO_2012.csv", newline="") as f:
        codes = {"ods:" + row["PCO12CDO"] for row in csv.DictReader(f)}
    assert len(codes) == 151
    store, _ = national
    with store.reader() as conn:
        assert _commissioners(conn, "2011-11-29") == codes


def _readme_table() -> dict[str, dict[str, int]]:
    text = (ROOT / "README.md").read_text()
    block = text[text.index(START) + len(START):text.index(END)]
    rows = [r.strip().strip("|").split("|") for r in block.strip().splitlines()
            if r.startswith("|")]
    dates = [c.strip() for c in rows[0][1:]]
    return {re.sub(r"[`\s]", "", r[0]): dict(zip(dates, (int(c) for c in r[1:])))
            for r in rows[2:]}


def test_the_readme_counts_table_is_the_registrys(national):
    table = _readme_table()
    dates = list(next(iter(table.values())))
    assert len(table) >= 6 and len(dates) >= 6
    store, _ = national
    with store.reader() as conn:
        got = counts_data(conn, dates, list(table))["counts"]
    assert got == table


def test_counts_on_the_command_line(bundled_kb):
    """The counts of the bundled knowledge base's SHAs, as a table and as Markdown; a bad
    date or type is refused naming it (exit 2), not with a traceback."""
    _, db = bundled_kb
    md = runner.invoke(cli, ["--db", db, "counts", "--type", "sha", "--at", "2005-01-01",
                             "--at", "2007-01-01", "--markdown"])
    assert md.exit_code == 0, md.output
    assert md.output.splitlines() == ["| type | 2005-01-01 | 2007-01-01 |", "|---|---:|---:|",
                                      "| `sha` | 28 | 10 |"]
    bad = runner.invoke(cli, ["--db", db, "counts", "--type", "sha", "--at", "2005-13-01"])
    assert bad.exit_code == 2 and "--at" in bad.output and "Traceback" not in bad.output
    bad = runner.invoke(cli, ["--db", db, "counts", "--type", "shaa", "--at", "2005-01-01"])
    assert bad.exit_code == 2 and "'shaa'" in bad.output


def test_loading_the_knowledge_base_again_onto_the_national_registry_changes_nothing(
        national, tmp_path):
    """An import merges people's readings into one statement per fact (a PCT "as
    reported" on a day of 2011 into its whole life, 2001-2013) and fills the ends they
    left open; loading the knowledge base again adds none of them back: no PCT outlives
    2013, and every count stays as it was."""
    import sqlite3

    from nhsgraph.importers.curated import load_curated
    from nhsgraph.store import Store

    store, _ = national
    copy = tmp_path / "again.db"
    with sqlite3.connect(store.engine.url.database) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    again = Store.open(copy)
    dates = ["2011-11-29", "2013-04-01", "2019-06-01", "2026-06-01"]
    types = ["pct", "pct_cluster", "nhs_trust", "foundation_trust", "ccg", "icb"]
    with again.reader() as conn:
        before = counts_data(conn, dates, types)["counts"]
    report = load_curated(again)
    with again.reader() as conn:
        after = counts_data(conn, dates, types)["counts"]
    again.close()
    assert report.statements_added == 0 and report.statements_unchanged > 2000
    assert after == before and after["pct"]["2013-04-01"] == 0
