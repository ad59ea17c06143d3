"""Generalisation gaps in people, roles and ratings, on sentences invented for these tests
(invented places and people): each phrasing is one a real document could use."""

import pytest

from nhsgraph.extract import analyse_document, extract_document, registry_role
from test_extract_rules import _people


def _ratings(text):
    return [(f.value, f.unit) for f in analyse_document(text, "t.txt").figures
            if f.kind == "rating"]


# ------------------------------------------------------------ qualifiers before a role
@pytest.mark.parametrize("text,person", [
    ("The board of Upton Hospitals NHS Trust appointed Jane Roe as its interim chief "
     "finance officer in May 2014.",
     ("Jane Roe", "interim chief finance officer", "Upton Hospitals NHS Trust")),
    ("Upton Hospitals NHS Trust has appointed Tom Hale as acting chief executive.",
     ("Tom Hale", "acting chief executive", "Upton Hospitals NHS Trust")),
    ("Marsh CCG appointed Ruth Lane as its new joint accountable officer on 2 June 2015.",
     ("Ruth Lane", "joint accountable officer", "NHS Marsh CCG")),
    ("Marsh Council appointed Sam Kerr as the interim director of public health.",
     ("Sam Kerr", "interim director of public health", "Marsh Council")),
    ("Interim chief executive Ella Moss said the trust would recover.",
     ("Ella Moss", "interim chief executive", "")),
    ("Ella Moss, acting medical director of Upton Hospitals NHS Trust, said staff were ready.",
     ("Ella Moss", "acting medical director", "Upton Hospitals NHS Trust")),
    ("Deputy chief executive Owen Pike will lead the review.",
     ("Owen Pike", "deputy chief executive", "")),
    ("Joint chief executive Ella Moss said both trusts would share a board.",
     ("Ella Moss", "joint chief executive", "")),
    ("Ruth Lane, joint accountable officer of Marsh CCG, signed the plan.",
     ("Ruth Lane", "joint accountable officer", "NHS Marsh CCG")),
])
def test_qualified_roles(text, person):
    assert person in _people(text)


@pytest.mark.parametrize("written,role", [
    ("interim chief finance officer", "chief_finance_officer"),
    ("Acting Chief Executive", "chief_executive"),
    ("joint accountable officer", "accountable_officer"),
    ("interim chair", "chair"),
    ("deputy chief executive", "other"),   # a different post, not the chief executive's
])
def test_qualified_roles_map_to_the_registry_role(written, role):
    assert registry_role(written) == role


# ------------------------------------------------------------ lower-case ratings
@pytest.mark.parametrize("text,ratings", [
    ("Upton Hospitals NHS Trust was rated good by the CQC in March 2016.", [("good", "overall")]),
    ("The practice was rated requires improvement after an inspection in 2015.",
     [("requires improvement", "overall")]),
    ("The hospital was rated inadequate overall by inspectors.", [("inadequate", "overall")]),
    ("Inspectors rated the service as outstanding.", [("outstanding", "overall")]),
    ("The CQC gave the home an overall rating of good.", [("good", "overall")]),
    ("The trust kept its good rating after the CQC visit.", [("good", "overall")]),
    ("The CQC downgraded the trust from good to requires improvement.",
     [("good", "overall"), ("requires improvement", "overall")]),
    ("After the inspection the unit was rated good for caring and inadequate for safety.",
     [("good", "caring"), ("inadequate", "safe")]),
    ("The CQC rated Marsh Surgery Good in 2017.", [("good", "overall")]),
    ("Marsh Surgery was rated 'good' by the CQC.", [("good", "overall")]),
])
def test_lower_case_ratings_after_a_rating_word(text, ratings):
    assert _ratings(text) == ratings


@pytest.mark.parametrize("text", [
    "It was a good result for the team, despite inadequate funding.",
    "The CQC said inadequate funding was to blame for the delays.",
    "Inspectors saw good examples of care and outstanding debts were cleared.",
    "Good progress has been made since the CQC inspection in May.",
    "The rating agency said the council had good reserves.",
])
def test_everyday_uses_of_rating_words_are_not_ratings(text):
    assert _ratings(text) == []


@pytest.mark.parametrize("text,ratings", [
    ("The CQC found care at the home to be inadequate in May 2019.", [("inadequate", "overall")]),
    ("The trust was downgraded to inadequate by the CQC in 2014.", [("inadequate", "overall")]),
])
def test_lower_case_ratings_after_a_finding(text, ratings):
    assert _ratings(text) == ratings


def test_rating_event_takes_a_lower_case_rating():
    events = extract_document("Upton Hospitals NHS Trust was rated good by the CQC in "
                              "March 2016.", "t.txt")["events"]
    assert [(e["type"], e["date"], e["outcome"]) for e in events] == \
        [("rating_published", "2016-03", "good")]


# ------------------------------------------------------------ which organisation a role is at
@pytest.mark.parametrize("text,person", [
    # a venue named later in the sentence is not where the role is held
    ("Medical director Ann Roe said the changes would help patients at Upton Medical Centre. "
     "Upton Hospitals NHS Trust will run the clinic, and Upton Hospitals NHS Trust expects "
     "to recruit.", ("Ann Roe", "medical director", "Upton Hospitals NHS Trust")),
    ("Chief executive Tom Hale spoke to staff at Marsh Surgery on Monday. Marsh CCG said "
     "Marsh CCG would fund the new service.", ("Tom Hale", "chief executive", "NHS Marsh CCG")),
    ("Upton Hospitals NHS Trust is changing its clinics. Medical director Ann Roe said the "
     "changes would help patients at Upton Medical Centre.",
     ("Ann Roe", "medical director", "Upton Hospitals NHS Trust")),
    # ... unless the sentence ties them
    ("Upton Hospitals NHS Trust is changing its clinics. Dr Ann Roe, the medical director at "
     "Upton Medical Centre, said the changes would help.",
     ("Ann Roe", "medical director", "Upton Medical Centre")),
    ("Marsh CCG is changing its clinics. Upton Hospitals NHS Trust's medical director Ann Roe "
     "said the changes would help.", ("Ann Roe", "medical director", "Upton Hospitals NHS Trust")),
    # a place where the person only speaks is not stated as their organisation
    ("Medical director Ann Roe said patients at Upton Medical Centre would benefit.",
     ("Ann Roe", "medical director", "")),
])
def test_role_org_is_the_principal_not_a_later_venue(text, person):
    assert person in _people(text)


@pytest.mark.parametrize("text,person", [
    ("Upton Hospitals NHS Trust is changing its clinics. Ann Roe, medical director, told "
     "Marsh Council the changes would help.", ("Ann Roe", "medical director", "")),
    ("Ann Roe, chief executive, wrote to Marsh CCG last week.", ("Ann Roe", "chief executive", "")),
    ("Ann Roe, chief executive at the recently merged Upton Hospitals NHS Trust, spoke.",
     ("Ann Roe", "chief executive", "Upton Hospitals NHS Trust")),
    ("Ann Roe, chair, Marsh CCG", ("Ann Roe", "chair", "NHS Marsh CCG")),
])
def test_name_role_org_only_when_tied_by_a_preposition_or_comma(text, person):
    assert person in _people(text)


# ------------------------------------------------------------ other phrasings of people
@pytest.mark.parametrize("text,person", [
    ("Professor Sir Tom Hale, chairman of Upton Hospitals NHS Foundation Trust, said the "
     "merger would go ahead.", ("Tom Hale", "chairman", "Upton Hospitals NHS Foundation Trust")),
    ("Cllr Peter Lane, cabinet member for adult social care, said the plan was sound.",
     ("Peter Lane", "cabinet member for adult social care", "")),
    ("Councillor Ruth Lane, Cabinet Member for Health and Wellbeing, said the plan was sound.",
     ("Ruth Lane", "cabinet member for health and wellbeing", "")),
    ("Tom Hale, Upton Hospitals NHS Trust's chief executive, said it was a good day.",
     ("Tom Hale", "chief executive", "Upton Hospitals NHS Trust")),
    ("Upton Hospitals NHS Trust has a new board. Ella Moss, the trust's interim chair, said "
     "staff were ready.", ("Ella Moss", "interim chair", "Upton Hospitals NHS Trust")),
    ("The leader of Marsh Council, Councillor Peter Lane, welcomed the report.",
     ("Peter Lane", "leader", "Marsh Council")),
    ("The chief executive of Marsh CCG, Dr Ann Roe, said the CCG would consult.",
     ("Ann Roe", "chief executive", "NHS Marsh CCG")),
    ("Marsh CCG's chief officer, Ann Roe, said the CCG would consult.",
     ("Ann Roe", "chief officer", "NHS Marsh CCG")),
    ("Its medical director, Dr Owen Pike, said the unit would reopen.",
     ("Owen Pike", "medical director", "")),
])
def test_more_people_phrasings(text, person):
    assert person in _people(text)


def test_an_organisation_name_is_not_a_person():
    text = ("Upton Hospitals NHS Trust is changing its clinics. Speaking at Upton Medical "
            "Centre, medical director Ann Roe said the changes would help.")
    assert [name for name, _, _ in _people(text)] == ["Ann Roe"]


@pytest.mark.parametrize("text", [
    "Present: Cllr Ann Roe (Chair), Cllr Tom Hale, Cllr Ruth Lane",
    "Councillors present: Ann Roe, Cllr Tom Hale, Councillor Ruth Lane and Cllr Sam Kerr.",
])
def test_a_councillor_title_is_not_the_role_of_the_name_before(text):
    people = _people(text)
    assert ("Tom Hale", "councillor", "") in people
    assert all(org == "" for _, _, org in people)


@pytest.mark.parametrize("text,rating", [
    ("The Marsh Road care home was graded good in its last review.", ("good", "overall")),
    ("Its maternity unit was judged inadequate in March 2016.", ("inadequate", "overall")),
])
def test_graded_and_judged_are_rating_words(text, rating):
    assert _ratings(text) == [rating]


def test_an_event_naming_no_body_is_not_given_the_venue():
    text = ("Patients gathered at Upton Medical Centre on Monday. Marsh CCG said it would "
            "consult. Its chief executive resigned on 2 March 2015.")
    (event,) = extract_document(text, "t.txt")["events"]
    assert (event["type"], event["orgs"]) == ("departure", ["NHS Marsh CCG"])
