"""People in news and minutes wording (issue 16); invented sentences only."""

from nhsgraph.extract import extract_document


def _people(text, date="2015-01-01"):
    res = extract_document(text, "t.txt", None, doc_date=date)
    return {p["name"]: (p["role"], p["org"]) for p in res["people"]}


def test_formerly_the_role_of_a_body():
    people = _people("Ann Brook, formerly the chief executive of Fenley PCT, now runs a charity.",
                     "2009-01-01")
    assert people["Ann Brook"] == ("former chief executive", "NHS Fenley")


def test_the_then_role():
    people = _people("The plan came from Sir Ian Dunn, the then chief executive of Fenley NHS "
                     "Trust.")
    assert "Ian Dunn" in people


def test_the_same_role_shared_by_bodies_listed_together():
    people = _people("Fenley CCG and Marlow CCG report to the same accountable officer, Ben "
                     "Carr.")
    assert people["Ben Carr"][0] == "accountable officer"


def test_chaired_by_names_the_chair_of_the_body_before():
    people = _people("Marlow Commissioning Consortium, a body chaired by local GP Cara Dent, "
                     "is talking to others.", "2011-01-01")
    assert people["Cara Dent"][0] == "chair"


def test_a_titled_name_then_its_role_without_a_comma():
    people = _people("Dr Dev Patel chair of the Fenley Alliance Association called it rushed.")
    assert people["Dev Patel"][0] == "chair"


def test_contact_lines_with_a_role_and_possessive_names():
    people = _people("Contact: Ella Frost, Committee Services Officer\n\nFenley Council.")
    assert people["Ella Frost"][0] == "committee services officer"
    people = _people("Fenley PCT chair Gus Hale’s practice joined.", "2009-01-01")
    assert "Gus Hale" in people and "Gus Hale’s" not in people


def test_elected_to_a_role_and_councillors_by_surname():
    text = ("Minutes of the Fenley Health and Wellbeing Board\n\n"
            "Dr Ivy Jones was elected Vice-Chairman for 2013/14.\n\n"
            "Councillor Kemp proposed the motion and Councillor Lee Moss backed it.")
    people = _people(text)
    assert people["Ivy Jones"][0] == "vice-chairman"
    assert people["Kemp"][0] == "councillor"


def test_a_surname_shared_by_two_people_named_in_full_is_nobody():
    text = ("Councillor Ann Hall and Councillor Tom Hall spoke. Councillor Hall asked a "
            "question.")
    assert "Hall" not in _people(text)


def test_a_nominee_in_brackets_after_a_reverend_doctor():
    people = _people("The Very Reverend Dr Neil Orr (Healthwatch Fenley nominee) sent "
                     "apologies.")
    assert "Neil Orr" in people


def test_news_wording_for_posts():
    cases = {
        "Bob Sands will be joint chair of Fenley CCG and Marlow CCG from April 2019.":
            ("Bob Sands", "joint chair", "NHS Fenley CCG"),
        "Fenley CCG's new accountable officer Cal Tate said the plan was sound.":
            ("Cal Tate", "accountable officer", "NHS Fenley CCG"),
        "Fenley CCG’s new accountable officer, Cal Tate, said the plan was sound.":
            ("Cal Tate", "accountable officer", "NHS Fenley CCG"),
        "Eve Wood, who becomes interim chief executive of Fenley ICB in May, said yes.":
            ("Eve Wood", "interim chief executive", "NHS Fenley Integrated Care Board"),
        "Gil Hunt has been appointed chief executive of Fenley NHS Trust.":
            ("Gil Hunt", "chief executive", "Fenley NHS Trust"),
        "Fenley NHS Trust said that Hal Ives is to step down as chair in June 2015.":
            ("Hal Ives", "chair", "Fenley NHS Trust"),
    }
    for text, (name, role, org) in cases.items():
        assert _people(text)[name] == (role, org), text


def test_a_verb_without_a_post_names_nobody():
    assert _people("Ann Roe is to step down from the board in June.") == {}
    assert _people("Ann Roe was at the meeting of Fenley CCG.") == {}
