"""Importing a whole folder of official files, as the demo does."""

import shutil

from nhsgraph.importers.folder import import_folder
from nhsgraph.query import landscape
from conftest import need_real


def test_folder_sorts_files_by_kind_encoding_and_layout(store, tmp_path):
    real = need_real()
    for rel in ("ebmdatalab__openprescribing/PCO12_SHA12_EN_LU.csv",
                "ebmdatalab__openprescribing/CCG_APR_2013.csv",          # Windows-1252
                "humaniverse__geographr/lookup_trust_trust.csv",          # successions
                "epiforecasts__covid19.nhs.data/trust_mergers.csv"):      # unknown layout
        shutil.copy(real / rel, tmp_path / rel.split("/")[1])
    report = import_folder(store, tmp_path)
    assert [p.split("/")[-1] for p in report.cp1252] == ["CCG_APR_2013.csv"]
    assert [p.split("/")[-1] for p, _ in report.skipped] == ["trust_mergers.csv"]
    assert "unknown layout" in report.skipped[0][1]
    assert report.statements_added > 25_000
    with store.reader() as conn:
        ls = landscape(conn, "2012-06-01", ["pct", "care_trust"])
    assert ls.count == 151 and len({g.parent for g in ls.groups}) == 10
    again = import_folder(store, tmp_path)
    assert again.statements_added == 0
