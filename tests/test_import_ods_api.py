"""ODS API records (ORD JSON, FHIR resources) read through the one import step.

The records in tests/fixtures/ods_api/ are real published responses (see its README). RW6
below is written to the ORD layout in ../shared/docs/ods.md §2–5 (Pennine Acute's 2021 split
into RM3 and R0A is from that page and lookup_trust_trust.csv), for the split, which no
published record here shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nhsgraph.errors import BadInput, BadRow
from nhsgraph.importers import import_ods_api
from nhsgraph.importers import ods_api
from nhsgraph.importers.reader import load
from nhsgraph.query.conflicts import conflicts
from conftest import sql_rows as q

FIX = Path(__file__).parent / "fixtures" / "ods_api"
TYPED_PERIOD = "https://fhir.nhs.uk/England/StructureDefinition/Extension-England-TypedPeriod"
ORG_ROLE = "https://fhir.nhs.uk/England/StructureDefinition/Extension-England-OrganisationRole"
ODS = "https://fhir.nhs.uk/Id/ods-organization-code"

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


def _fixture(name):
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def _write(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


def _day(d):
    return None if d is None else str(d)      # PostgreSQL hands back dates, SQLite text


def _facts(store, code):
    return {(x[0], x[1], x[2], _day(x[3]), _day(x[4])) for x in q(
        store, "select predicate, object_id, value_text, valid_from, valid_to from statement "
               f"where subject_id='ods:{code}' and retracted_at is null")}


def test_real_ord_record_legal_dates_roles_rels_and_predecessors(store):
    rep = import_ods_api(store, [FIX / "ord_97T.json"])
    assert rep.files[0].kind == "ods-api" and str(rep.files[0].as_of) == "2020-04-01"
    facts = _facts(store, "97T")
    # Legal start (2020-04-01), not the Operational one (2019-10-25)
    assert ("ods_code", None, "97T", "2020-04-01", None) in facts
    # RO218 refines the primary RO98 over all of its span: a hub, never also a CCG
    assert {f for f in facts if f[0] == "org_type"} == {
        ("org_type", None, "commissioning_hub", "2020-04-01", None)}
    # an RE5 from a record whose primary role is RO98 is its parent
    assert ("accountable_to", "ods:Y59", None, "2020-04-01", None) in facts
    succ = q(store, "select subject_id, valid_from, qualifiers from statement "
                    "where predicate='succeeded_by' and object_id='ods:97T'")
    assert sorted((x[0], _day(x[1])) for x in succ) == [("ods:14V", "2020-04-01"),
                                                        ("ods:14W", "2020-04-01")]
    assert all(json.loads(x[2])["change"] == "merge" for x in succ)


def test_real_ord_trust_history_of_roles_geography_and_predecessors(store):
    import_ods_api(store, [FIX / "ord_RWR.json"])
    facts = _facts(store, "RWR")
    # RO57 (foundation trust) from 2007-08-01 refines the primary RO197 from then on
    assert sorted(f for f in facts if f[0] == "org_type") == [
        ("org_type", None, "foundation_trust", "2007-08-01", None),
        ("org_type", None, "nhs_trust", "2001-04-01", "2007-08-01")]
    # every RE5 of the record, each with its own dates (Legal where given): SHAs,
    # local offices, then the STP (QM7) from 2020-04-01
    assert sorted((f[1], f[3], f[4]) for f in facts if f[0] == "member_of") == [
        ("ods:Q02", "2002-04-01", "2006-06-30"), ("ods:Q35", "2006-07-01", "2013-03-31"),
        ("ods:Q58", "2013-04-01", "2015-03-31"), ("ods:Q78", "2015-04-01", "2019-03-31"),
        ("ods:Q79", "2019-04-01", "2020-03-31"), ("ods:QEX", "2001-04-01", "2002-03-31"),
        ("ods:QM7", "2020-04-01", None)]
    succ = q(store, "select subject_id, qualifiers from statement "
                    "where predicate='succeeded_by' and object_id='ods:RWR'")
    assert sorted((x[0], json.loads(x[1])["change"]) for x in succ) == [
        ("ods:RC8", "merge"), ("ods:RQJ", "merge")]


def test_real_ord_site_operated_by_its_trust(store):
    import_ods_api(store, [FIX / "ord_RVVKC.json", FIX / "ord_RJY.json"])
    site = _facts(store, "RVVKC")
    assert ("hosted_by", "ods:RVV", None, "1999-04-01", None) in site      # RE6
    rows = q(store, "select value_text, qualifiers from statement where subject_id='ods:RVVKC' "
                    "and predicate='org_type'")
    assert [(v, json.loads(x)) for v, x in rows] == [("other", {"role": "RO198",
                                                                 "ods_type": "site"})]
    assert ("succeeded_by", "ods:RVVKC") in {(x[0], x[1]) for x in q(
        store, "select predicate, object_id from statement where subject_id='ods:RGWKC'")}
    # a closed reference-only trust: its type and code end when the record does
    trust = _facts(store, "RJY")
    assert ("org_type", None, "nhs_trust", "1993-04-01", "2001-03-31") in trust
    assert ("ods_code", None, "RJY", "1993-04-01", "2001-03-31") in trust


def test_real_fhir_organization_role_period(store):
    rep = import_ods_api(store, [FIX / "fhir_organization_RR8.json"])
    assert str(rep.files[0].as_of) == "2023-11-14"      # its LastChangeDate extension
    facts = _facts(store, "RR8")
    assert ("name", None, "Leeds Teaching Hospitals NHS Trust", None, None) in facts
    assert ("org_type", None, "nhs_trust", "1998-04-01", None) in facts


def test_real_fhir_search_bundle(store):
    import_ods_api(store, [FIX / "fhir_organization_search.json"])
    assert ("org_type", None, "provider_other", "2015-04-01", None) in _facts(store, "AQN")
    # RO181 is in no table here: the body is kept, typed other, with its role
    rows = q(store, "select value_text, qualifiers from statement where subject_id='ods:C4O9I' "
                    "and predicate='org_type'")
    assert [(v, json.loads(x)["role"]) for v, x in rows] == [("other", "RO181")]


def test_real_fhir_affiliations_run_from_organization_to_participant(store):
    import_ods_api(store, [FIX / "fhir_affiliations_FDC49.json",
                           FIX / "fhir_affiliation_617400.json"])
    geo = sorted(f for f in _facts(store, "FDC49") if f[0] == "member_of")
    assert geo == [("member_of", "ods:Q72", None, "2015-05-11", "2020-03-31"),
                   ("member_of", "ods:QF7", None, "2020-09-23", None),
                   ("member_of", "ods:QWO", None, "2020-04-01", "2020-09-22")]
    assert ("member_of", "ods:U36842", None, "2019-10-01", None) in _facts(store, "G81086")
    assert not _facts(store, "Q72") - {("name", None, None, None, None)}


def _typed(dates):
    """ORD Date items as FHIR typed periods, in the layout of the published RR8 example."""
    return [{"url": TYPED_PERIOD, "extension": [
        {"url": "dateType", "valueCoding": {"code": d["Type"], "display": d["Type"]}},
        {"url": "period", "valuePeriod": {k.lower(): d[k] for k in ("Start", "End") if d.get(k)}}]}
        for d in dates]


def _as_fhir(ord_doc):
    """The ORD record transcribed into the FHIR API's resources field by field, following
    NHS England's ODS FHIR data mapping (roles as OrganisationRole extensions, each Rel an
    OrganizationAffiliation from the record to its target)."""
    o = ord_doc["Organisation"]
    code = o["OrgId"]["extension"]
    roles = [{"url": ORG_ROLE, "extension": [
        {"url": "instanceID", "valueInteger": r["uniqueRoleId"]},
        {"url": "roleCode", "valueCodeableConcept": {"coding": [{"code": r["id"]}]}},
        *_typed(r["Date"]), {"url": "active", "valueBoolean": r["Status"] == "Active"}]}
        for r in o["Roles"]["Role"]]
    org = {"resourceType": "Organization", "id": code, "extension": _typed(o["Date"]) + roles,
           "identifier": [{"system": ODS, "value": code}], "name": o["Name"]}
    affs = [{"resourceType": "OrganizationAffiliation", "id": str(r["uniqueRelId"]),
             "extension": _typed(r["Date"]),
             "organization": {"identifier": {"system": ODS, "value": code}},
             "participatingOrganization": {"identifier": {
                 "system": ODS, "value": r["Target"]["OrgId"]["extension"]}},
             "code": [{"coding": [{"code": r["id"]}]}]} for r in o.get("Rels", {}).get("Rel", [])]
    return {"resourceType": "Bundle", "type": "searchset",
            "entry": [{"resource": x} for x in [org, *affs]]}


def _parsed(path):
    res = ods_api.parse(load(path), as_at=None, skip_bad=False)
    return {(s.subject, s.predicate, s.object, s.value, str(s.valid_from), str(s.valid_to),
             json.dumps(s.qualifiers, sort_keys=True))
            for s in res.statements if s.predicate != "succeeded_by"}   # FHIR has no Succs


@pytest.mark.parametrize("name, links", [("ord_97T.json", {"accountable_to"}),
                                         ("ord_RWR.json", {"member_of"}),
                                         ("ord_RVVKC.json", {"hosted_by"}),
                                         ("ord_RJY.json", set())])
def test_fhir_route_gives_the_ord_routes_facts(tmp_path, name, links):
    via_ord = _parsed(FIX / name)
    via_fhir = _parsed(_write(tmp_path, "as_fhir.json", _as_fhir(_fixture(name))))
    assert via_fhir == via_ord
    assert {f[1] for f in via_ord} == {"name", "alias", "ods_code", "org_type"} | links


@pytest.mark.parametrize("rel, predicate", [("RE3", "hosted_by"), ("RE11", "member_of"),
                                            ("RE4", "member_of"), ("RE1", None)])
def test_relationship_codes(store, tmp_path, rel, predicate):
    # no published record here has these codes: the real G81086 -> U36842 one, re-coded
    doc = _fixture("fhir_affiliation_617400.json")
    doc["code"][0]["coding"][0]["code"] = rel
    import_ods_api(store, [_write(tmp_path, "a.json", doc)])
    got = q(store, "select predicate, qualifiers from statement where subject_id='ods:G81086' "
                   "and object_id='ods:U36842'")
    assert [(p, json.loads(x)["rel"]) for p, x in got] == ([(predicate, rel)] if predicate else [])


def test_split_succession(store, tmp_path):
    import_ods_api(store, [_write(tmp_path, "rw6.json", RW6)])
    rows = q(store, "select predicate, object_id, qualifiers from statement "
                    "where subject_id='ods:RW6'")
    assert ("member_of", "ods:QOP") in {(x[0], x[1]) for x in rows}
    succ = sorted((x[1], json.loads(x[2])["change"]) for x in rows if x[0] == "succeeded_by")
    assert succ == [("ods:R0A", "split"), ("ods:RM3", "split")]


def test_not_an_ods_record_names_key(store, tmp_path):
    with pytest.raises(BadInput, match=r"bad\.json.*'Organization'"):
        import_ods_api(store, [_write(tmp_path, "bad.json", {"Organization": {}})])
    doc = _fixture("ord_97T.json")
    doc["Organisation"]["Colour"] = "blue"
    with pytest.raises(BadInput, match=r"odd\.json.*Organisation\.Colour"):
        import_ods_api(store, [_write(tmp_path, "odd.json", doc)])


def test_bad_date_names_json_path(store, tmp_path):
    doc = _fixture("ord_97T.json")
    doc["Organisation"]["Rels"]["Rel"][0]["Date"][1]["Start"] = "2020-13-01"
    with pytest.raises(BadRow, match=r"d\.json.*Rels\.Rel\[0\]\.Date\[1\]\.Start"):
        import_ods_api(store, [_write(tmp_path, "d.json", doc)])
    fhir = _fixture("fhir_organization_RR8.json")
    fhir["extension"][0]["extension"][2]["extension"][1]["valuePeriod"]["start"] = "1998-04-31"
    with pytest.raises(BadRow, match=r"f\.json.*\$\.extension\[0\]\.extension\[2\]\.extension"
                                     r"\[1\]\.valuePeriod\.start"):
        import_ods_api(store, [_write(tmp_path, "f.json", fhir)])


def test_contradiction_kept_as_conflict(store, tmp_path):
    import_ods_api(store, [FIX / "ord_97T.json"])
    doc = _fixture("ord_97T.json")
    doc["Organisation"]["Name"] = "SOUTH EAST COMMISSIONING HUB"
    import_ods_api(store, [_write(tmp_path, "b.json", doc)])
    names = {x[0] for x in q(store, "select value_text from statement where subject_id='ods:97T' "
                                     "and predicate='name'")}
    with store.reader() as r:
        found = conflicts(r, "ods:97T")
    assert len(names) == 2
    # the second file's name is kept beside the first, and reported as a conflict between them
    assert {(c.predicate, frozenset((c.a.value, c.b.value))) for c in found} >= {
        ("name", frozenset(names))}


def test_folder_detects_ods_api_json(store, tmp_path):
    from nhsgraph.importers.folder import import_folder
    (tmp_path / "97t.json").write_text((FIX / "ord_97T.json").read_text(encoding="utf-8"))
    _write(tmp_path, "other.json", {"colour": "blue"})
    rep = import_folder(store, tmp_path)
    assert [f.kind for f in rep.files] == ["ods-api"]
    assert q(store, "select count(*) from statement where subject_id='ods:97T'")[0][0] > 0
