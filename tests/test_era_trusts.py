"""Trusts that closed before the ODS files we hold (issue 14): the successor files give
their codes only, so the bundled knowledge base names them from NHS Digital's RAVS
prototype organisation list (background/closed_trusts.yaml), each name cited by line, and
only where no official file names the trust."""

from __future__ import annotations

import yaml

from nhsgraph.importers.curated import bundled_dir
from nhsgraph.query import lineage, resolve
from nhsgraph.query.facts import labels

NAMED = yaml.safe_load((bundled_dir() / "background" / "closed_trusts.yaml").read_text())
SOURCE = NAMED["sources"][0]["id"]


def test_a_closed_trust_is_named_and_found_by_name(bundled_kb):
    """RCL, Allington NHS Trust (Ipswich), and the Essex ambulance trust that went into
    the East of England ambulance trust (RB4 -> RYC, 2006-07-01, in the successor files)."""
    store, _ = bundled_kb
    with store.reader() as conn:
        assert labels(conn, ["ods:RCL", "ods:RB4"], None) == {
            "ods:RCL": "Allington NHS Trust", "ods:RB4": "Essex Ambulance Service NHS Trust"}
        assert resolve(conn, "Allington NHS Trust").id == "ods:RCL"


def test_the_named_trusts_are_those_no_official_file_names(national):
    """Over the whole real folder: each trust of the file is a code the official files
    know (a successor, a closure), and none of them names it; its one name is the file's,
    and the lineage shows it."""
    store, _ = national
    codes = [f["s"] for f in NAMED["facts"]]
    assert len(codes) == len(set(codes)) >= 250
    with store.reader() as conn:
        rows = conn.exec_driver_sql(
            "select s.subject_id, c.source_id from statement s join citation c on "
            "c.statement_id = s.id where s.predicate in ('name', 'alias') and "
            "s.retracted_at is null and s.subject_id like 'ods:R%'").all()
        cited = {}
        for subject, source in rows:
            cited.setdefault(subject, set()).add(source)
        assert {c: cited.get(c) for c in codes} == {c: {SOURCE} for c in codes}
        succ = conn.exec_driver_sql(
            "select s.subject_id, s.object_id from statement s join citation c on "
            "c.statement_id = s.id where c.method like 'import:%' and s.predicate = "
            "'succeeded_by' and (s.subject_id like 'ods:R%' or s.object_id like 'ods:R%')").all()
        known = {code for row in succ for code in row}
        assert set(codes) <= known
        into_ryc = [f for f in lineage(conn, "ods:RYC").links if f.object == "ods:RYC"]
    assert "Essex Ambulance Service NHS Trust" in {f.subject_label for f in into_ryc}
