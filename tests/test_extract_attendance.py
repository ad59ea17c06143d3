"""Attendance and apology lists of minutes (invented names and bodies)."""

from nhsgraph.extract import extract_document

BOARD = """Minutes of the public Board meeting of
        Tuesday 4th March 2009, Fernhill House

Ann Tolley              -   Chairman
Brian Oakes             -   Chief Executive
Celia Marsh             -   Director of Nursing and
                            Patient Experience
Cllr Dennis Pike        -   Non Executive Director

In attendance
Edna Frost              -   Board Secretary

Members of the Public
Frank Gale              -   Upshire Bridge WI
Gina Holt               -   Nettlecombe Hospice
Harold Irwin            -

Upshire PCT
1. APOLOGIES
None were received.
"""

COLUMNS = """NHS UPSHIRE CLINICAL COMMISSIONING GROUP
Minutes of the Governing Body meeting, MONDAY 9TH MARCH 2015
PRESENT:
VOTING MEMBERS:
Dr Ivy Jarvis
Keith Lomax
Dr Laura Moss
Chair/GP
Lay Member –
Finance/Vice Chair
Chief Finance Officer
IN ATTENDANCE:
Martin Noble
Nora Oliver
Director of Children's Services &
Learning, Upshire City Council
Minutes
APOLOGIES:
Oscar Pratt
Head of Contracts
1. DECLARATIONS OF INTEREST
There were none.
"""


def _people(res):
    return {p["name"]: (p["role"], p["org"]) for p in res["people"]}


def test_name_dash_role_lines_without_a_heading_take_the_meeting_body():
    res = extract_document(BOARD, "board.txt")
    people = _people(res)
    assert people["Ann Tolley"][0] == "chairman"
    assert people["Brian Oakes"][0] == "chief executive"
    assert people["Celia Marsh"][0] == "director of nursing and patient experience"
    assert people["Dennis Pike"][0] == "non executive director"
    assert people["Edna Frost"][0] == "board secretary"
    assert all(org == people["Ann Tolley"][1] for _, org in people.values())
    assert "PCT" in people["Ann Tolley"][1] or "Upshire" in people["Ann Tolley"][1]


def test_public_with_an_affiliation_only_are_no_people_but_their_bodies_are_mentions():
    res = extract_document(BOARD, "board.txt")
    people = _people(res)
    assert "Frank Gale" not in people and "Gina Holt" not in people
    assert "Harold Irwin" not in people
    orgs = {(o["text"], o["type"]) for o in res["orgs"]}
    assert ("Upshire Bridge WI", "other") in orgs
    assert ("Nettlecombe Hospice", "provider_other") in orgs


def test_flattened_columns_pair_names_and_roles_in_order():
    res = extract_document(COLUMNS, "gb.txt")
    people = _people(res)
    assert people["Ivy Jarvis"][0] == "chair/gp"
    assert people["Keith Lomax"][0] == "lay member – finance/vice chair"
    assert people["Laura Moss"][0] == "chief finance officer"
    assert people["Martin Noble"] == ("director of children's services & learning",
                                      "Upshire City Council")
    assert people["Nora Oliver"][0] == "minutes"
    assert people["Oscar Pratt"][0] == "head of contracts"
    # no line of a role column is taken for a person
    assert not any("Upshire" in n or "Health" in n for n in people)


def test_a_member_of_the_public_names_a_body_of_any_kind():
    text = BOARD.replace("Harold Irwin            -\n", "Harold Irwin            -   Oakes Partners\n")
    res = extract_document(text, "board.txt")
    assert ("Oakes Partners", "other") in {(o["text"], o["type"]) for o in res["orgs"]}
    assert "Harold Irwin" not in _people(res)
