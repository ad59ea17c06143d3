"""ODS API records (ORD JSON, FHIR resources) read through the one import step. The records
are written here following the ORD layout in ../shared/docs/ods.md §2–5 (Pennine Acute's
2021 split into RM3 and R0A is from that page and lookup_trust_trust.csv)."""

from __future__ import annotations

import json

import pytest

from nhsgraph.errors import BadInput, BadRow
from nhsgraph.importers import import_ods_api
from nhsgraph.query.conflicts import conflicts
from conftest import sql_rows as q

RW6 = {"Organisation": {
    "Name": "PENNINE ACUTE HOSPITALS NHS TRUST", "OrgId": {"extension": "RW6"},
    "Status": "Inactive", "Date": [{"Type": "Operational", "Start": "2002-04-01",
                                    "End": "2021-09-30"}],
    "Roles": {"Role": [{"id": "RO197", "primaryRole": True,
                        "Date": [{"Type": "Operational", "Start": "2002-04-01"}]}]},
    "Rels": {"Rel": [{"id": "RE5", "Date": [{"Type": "Operational", "Start": "2020-04-01"}],
                      "Target": {"OrgId": {"extension": "QOP"}}}]},
    "Succs": {"Succ": [{"Type": "Successor", "Date": [{"Type": "Legal", "Start": "2021-10-01"}],
                        "Target": {"OrgId": {"extension": c}}} for c in ("RM3", "R0A")]}}}


def _write(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


def test_ord_record(store, tmp_path):
    rep = import_ods_api(store, [_write(tmp_path, "rw6.json", RW6)])
    assert rep.files[0].kind == "ods-api"
    rows = q(store, "select predicate, object_id, value_text, valid_from, valid_to, qualifiers "
                     "from statement where subject_id='ods:RW6'")
    preds = {(x[0], x[1]) for x in rows}
    assert ("member_of", "ods:QOP") in preds
    assert ("succeeded_by", "ods:RM3") in preds and ("succeeded_by", "ods:R0A") in preds
    succ = [x for x in rows if x[0] == "succeeded_by"]
    assert all("split" in str(x[5]) for x in succ)
    assert any(x[0] == "org_type" and "nhs_trust" in str(x[2]) for x in rows)


def test_not_an_ods_record_names_key(store, tmp_path):
    with pytest.raises(BadInput, match=r"bad\.json.*'Organization'"):
        import_ods_api(store, [_write(tmp_path, "bad.json", {"Organization": {}})])
    doc = json.loads(json.dumps(RW6))
    doc["Organisation"]["Colour"] = "blue"
    with pytest.raises(BadInput, match=r"odd\.json.*Organisation\.Colour"):
        import_ods_api(store, [_write(tmp_path, "odd.json", doc)])


def test_bad_date_names_json_path(store, tmp_path):
    doc = json.loads(json.dumps(RW6))
    doc["Organisation"]["Rels"]["Rel"][0]["Date"][0]["Start"] = "2020-13-01"
    with pytest.raises(BadRow, match=r"d\.json.*Rels\.Rel\[0\]\.Date\[0\]\.Start"):
        import_ods_api(store, [_write(tmp_path, "d.json", doc)])


def test_contradiction_kept_as_conflict(store, tmp_path):
    import_ods_api(store, [_write(tmp_path, "a.json", RW6)])
    doc = json.loads(json.dumps(RW6))
    doc["Organisation"]["Name"] = "PENNINE HOSPITALS NHS TRUST"
    import_ods_api(store, [_write(tmp_path, "b.json", doc)])
    names = {x[0] for x in q(store, "select value_text from statement where subject_id='ods:RW6' "
                                     "and predicate='name'")}
    with store.reader() as r:
        found = conflicts(r, "ods:RW6")
    assert names == {"Pennine Acute Hospitals NHS Trust", "Pennine Hospitals NHS Trust"}
    # the second file's name is kept beside the first, and reported as a conflict between them
    assert {(c.predicate, frozenset((c.a.value, c.b.value))) for c in found} >= {
        ("name", frozenset(names))}


def test_fhir_bundle(store, tmp_path):
    bundle = {"resourceType": "Bundle", "entry": [
        {"resource": {"resourceType": "Organization", "identifier": [{"value": "RM3"}],
                      "name": "NORTHERN CARE ALLIANCE NHS FOUNDATION TRUST"}},
        {"resource": {"resourceType": "OrganizationAffiliation",
                      "organization": {"identifier": {"value": "QOP"}},
                      "participatingOrganization": {"identifier": {"value": "RM3"}},
                      "code": [{"coding": [{"code": "RE5"}]}],
                      "period": {"start": "2021-10-01"}}}]}
    import_ods_api(store, [_write(tmp_path, "bundle.json", bundle)])
    if True:
        rows = q(store, "select predicate, object_id from statement where subject_id='ods:RM3'")
    assert ("member_of", "ods:QOP") in {tuple(x) for x in rows}


def test_folder_detects_ods_api_json(store, tmp_path):
    from nhsgraph.importers.folder import import_folder
    _write(tmp_path, "rw6.json", RW6)
    _write(tmp_path, "other.json", {"colour": "blue"})
    rep = import_folder(store, tmp_path)
    assert [f.kind for f in rep.files] == ["ods-api"]
    assert q(store, "select count(*) from statement where subject_id='ods:RW6'")[0][0] > 0
