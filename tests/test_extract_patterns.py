from pathlib import Path

import pytest

from nhsgraph.extract import Gazetteer, OrgRecord, analyse_document, extract_document, registry_role
from nhsgraph.extract.minutes import parse_minutes

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def _orgs(text, gaz=None):
    return [(o["text"], o["type"], o["name"]) for o in extract_document(text, "t.txt", gaz)["orgs"]]


def test_offsets_index_the_text():
    text = "Yesterday Ashford and Medway NHS Foundation Trust told the CQC it would appeal."
    out = extract_document(text, "dir/t.txt")
    assert out["doc"] == "t.txt"
    for o in out["orgs"]:
        assert text[o["start"]:o["end"]] == o["text"]
    assert ("Ashford and Medway NHS Foundation Trust", "foundation_trust",
            "Ashford and Medway NHS Foundation Trust") in _orgs(text)
    assert ("CQC", "national_body", "Care Quality Commission") in _orgs(text)


def test_patterns_for_unknown_orgs():
    text = ("Kirklees Council and the Salford Health and Wellbeing Board met Oldham CCG, "
            "Torbay Local Involvement Network and legal firm Bevan Brittan.")
    types = {t: ty for t, ty, _ in _orgs(text)}
    assert types == {"Kirklees Council": "local_authority",
                     "Salford Health and Wellbeing Board": "council_body",
                     "Oldham CCG": "ccg", "Torbay Local Involvement Network": "patient_voice",
                     "Bevan Brittan": "other"}


def test_gazetteer_variants_link_to_canonical():
    gaz = Gazetteer.from_records([OrgRecord("NHS Swindon", "pct")])
    assert gaz.lookup("Swindon PCT").name == "NHS Swindon"
    assert gaz.lookup("Swindon Primary Care Trust").name == "NHS Swindon"
    assert ("Swindon PCT", "pct", "NHS Swindon") in _orgs("Swindon PCT said no.", gaz)


def test_short_reference_resolves_but_bare_noun_does_not():
    text = "NHS London criticised Lambeth PCT. The SHA said the trust must improve."
    orgs = _orgs(text)
    assert ("SHA", "sha", "NHS London") in orgs
    assert not any(t.lower() == "trust" for t, _, _ in orgs)


@pytest.mark.parametrize("text,name,role,org", [
    ("Chief executive Jane Roe said it was good news for York Hospitals NHS Trust.",
     "Jane Roe", "chief executive", "York Hospitals NHS Trust"),
    ("Ben Cole, chair of NHS Plymouth, wrote to staff.", "Ben Cole", "chair", "NHS Plymouth"),
    ("Councillor Fiona Frost opened the meeting.", "Fiona Frost", "councillor", ""),
    ("Dr Ian Hale (Chair of the Dorset Clinical Commissioning Group) spoke.", "Ian Hale", "chair",
     "NHS Dorset CCG"),
    ("NHS Oldham chair Helen Grant resigned.", "Helen Grant", "chair", "NHS Oldham"),
])
def test_people_patterns(text, name, role, org):
    people = extract_document(text, "t.txt")["people"]
    assert {"name": name, "role": role, "org": org} in people


def test_registry_roles():
    assert registry_role("CEO") == "chief_executive"
    assert registry_role("Vice-Chair") == "vice_chair"
    assert registry_role("Cllr") == "councillor"


def test_dates_resolve_against_document_date():
    res = analyse_document("The chief executive took up the post in October.", "t.txt",
                           doc_date="2025-07-17")
    assert [e.as_schema()["date"] for e in res.events if e.type == "appointment"] == ["2024-10"]


def test_money_and_ratings():
    res = analyse_document("The £158m-turnover trust was rated Inadequate by the CQC.", "t.txt")
    kinds = {(f.kind, f.value) for f in res.figures}
    assert ("money", 158e6) in kinds and ("rating", "inadequate") in kinds


def test_deterministic():
    text = "NHS Wiltshire and NHS Swindon will cluster from 1 June 2011, the SHA said."
    assert extract_document(text, "a") == extract_document(text, "a")


def _seed(prefix):
    if not SEEDS.is_dir():
        pytest.skip(f"seeds directory not found at {SEEDS}")
    return next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")


def test_seed_000_chief_executive():
    out = extract_document(_seed("000"), "000.txt")
    assert {"name": "Matthew Winn", "role": "chief executive",
            "org": "Cambridgeshire Community Services NHS Trust"} in out["people"]


def test_seed_004_is_minutes():
    mins = parse_minutes(_seed("004"))
    assert mins is not None and mins.meeting_date == "2011-11-29"
    assert [i.number for i in mins.items] == [str(n) for n in range(52, 59)]
    assert "Scrutiny Panel" in mins.body.title()
    assert "Vic Pritchard" in mins.present and mins.resolutions


def test_news_is_not_minutes():
    assert parse_minutes(_seed("000")) is None
