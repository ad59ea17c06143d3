"""Linking classes of issue 16: council bodies named without their place, old PCT names,
places before an NHS name, names with commas, registry names in capitals. Every sentence
here is invented (the places are made up)."""

from nhsgraph.extract import Gazetteer, OrgRecord, extract_document
from nhsgraph.extract.docplace import home_place


def _orgs(text, gaz=None, date=None):
    res = extract_document(text, "t.txt", gaz, doc_date=date)
    return [(o["text"], o["type"], o["name"]) for o in res["orgs"]]


_SHADOW = """Agenda and minutes

Shadow Health and Wellbeing Board
Tuesday, 3rd March, 2012 2.00 p.m.

The Chairman opened the first meeting of the Shadow Board.
The Director set out the priorities for public health in Northby and the work of the Shadow Board.
The Board noted the plans for care homes in Northby.
"""


# ------------------------------------------------ council bodies named without their place
def test_a_board_named_without_its_place_takes_the_place_its_minutes_name():
    orgs = _orgs(_SHADOW)
    assert {name for _, typ, name in orgs if typ == "council_body"} == {
        "Northby Shadow Health and Wellbeing Board"}
    assert [t for t, _, _ in orgs] == ["Shadow Health and Wellbeing Board", "Shadow Board",
                                       "Shadow Board"]


def test_a_scrutiny_committee_and_healthwatch_take_the_one_council_named():
    text = ("Health Scrutiny Committee - 4 May 2016\n\nEastwold Borough Council members "
            "heard from Healthwatch about waiting times. The Health Scrutiny Committee asked "
            "for a further report.")
    orgs = _orgs(text)
    assert ("Health Scrutiny Committee", "council_body",
            "Eastwold Health Scrutiny Committee") in orgs
    assert ("Healthwatch", "patient_voice", "Healthwatch Eastwold") in orgs


def test_a_board_whose_place_is_not_told_keeps_its_name():
    # a place named once, two places as often, two councils: the place is not told
    for text in ("Health and Wellbeing Board\n\nThe board met in Northby.",
                 "Health and Wellbeing Board\n\nClinics in Northby and in Southby and later "
                 "in Northby and in Southby.",
                 "Health and Wellbeing Board\n\nWestmere Council and Eastwold Borough Council "
                 "sent officers."):
        names = {n for _, typ, n in _orgs(text) if typ == "council_body"}
        assert names == {"Health and Wellbeing Board"}, text


def test_the_place_is_never_a_month_or_a_country():
    assert home_place("Meetings in April and in April again; services in England and in "
                      "England.", []) is None
    assert home_place("Surgeries in Lowfield, homes in Lowfield.", []) == "Lowfield"


def test_a_committee_inside_a_longer_name_is_not_read_bare():
    text = ("Minutes\nHealth Scrutiny Committee\n\nThe Joint Health Scrutiny Committee "
            "of Westmere Council and Eastwold Borough Council met. The Health Scrutiny "
            "Committee then met alone.")
    bare = [t for t, typ, n in _orgs(text) if n == "Health Scrutiny Committee"]
    # the heading and the last sentence; "Joint Health Scrutiny Committee" is another body
    # (and with two councils named the place is not told)
    assert bare == ["Health Scrutiny Committee", "Health Scrutiny Committee"]


# ------------------------------------------------- a place written before a national name
def test_a_place_before_a_national_membership_body_names_a_local_group():
    text = ("Doctors in Fenley set up the Fenley NHS Alliance last year. Fenley NHS Alliance "
            "will now merge with two other commissioning groups. The NHS Alliance, a "
            "national body, welcomed it.")
    orgs = _orgs(text, date="2012-01-10")
    assert orgs.count(("Fenley NHS Alliance", "ccg", "Fenley NHS Alliance")) == 2
    assert ("NHS Alliance", "other", "NHS Alliance") in orgs


def test_a_sentence_opening_word_before_a_national_body_is_no_place():
    orgs = _orgs("Meanwhile NHS Confederation members met. However NHS Providers said no.")
    assert [n for _, _, n in orgs] == ["NHS Confederation", "NHS Providers"]


# ------------------------------------------------------------- PCTs that ended in 2006
def test_pcts_taken_over_in_2006_keep_their_statutory_names():
    text = ("Two trusts are now one. Greyfield Primary Care Trust has taken over from "
            "Greyfield East and Greyfield Vale PCT. Ann Roe, formerly chief executive of "
            "Greyfield Vale PCT, will lead it.")
    orgs = _orgs(text, date="2006-10-02")
    assert ("Greyfield Primary Care Trust", "pct", "NHS Greyfield") in orgs
    assert ("Greyfield East", "pct", "Greyfield East Primary Care Trust") in orgs
    assert [n for t, _, n in orgs if t.startswith("Greyfield Vale")] == [
        "Greyfield Vale Primary Care Trust"] * 2


def test_pcts_that_merged_away_and_later_texts():
    text = "Loxley PCT and Marsh PCT have merged to form Loxley and Marsh PCT."
    names = [n for _, _, n in _orgs(text, date="2006-10-02")]
    assert names[:2] == ["Loxley Primary Care Trust", "Marsh Primary Care Trust"]
    # from 2008 PCTs had operating names; a person replacing another ends no PCT
    assert [n for _, _, n in _orgs(text, date="2010-04-01")][:2] == ["NHS Loxley", "NHS Marsh"]
    names = [n for _, _, n in _orgs("Ann Roe replaced Jo Doe at Loxley PCT.",
                                    date="2006-10-02")]
    assert names == ["NHS Loxley"]


# ------------------------------------------------------- names that hold commas
def test_compass_words_listed_before_one_place_are_one_name():
    text = ("The Fenshire CCGs due to merge – Northern, Eastern and Western Fenshire and "
            "Coldwater – share a chief officer.")
    orgs = _orgs(text, date="2018-02-01")
    assert ("Northern, Eastern and Western Fenshire", "ccg",
            "NHS Northern, Eastern and Western Fenshire CCG") in orgs
    assert not [t for t, _, _ in orgs if t in ("Northern", "Eastern")]


# ------------------------------------------------------------ registry names and eras
def _ccg_then_sub_icb(place):
    return OrgRecord("NHS Upshire ICB - 0" + place[:2].upper(), "sub_icb_location",
                     names=((f"NHS {place} CCG", "2013-04-01", "2022-07-01"),
                            ("NHS Upshire ICB - 0" + place[:2].upper(), "2022-07-01", None)),
                     types=(("ccg", "2013-04-01", "2022-07-01"),
                            ("sub_icb_location", "2022-07-01", None)))


def test_bodies_that_share_a_later_name_keep_their_own_earlier_names():
    gaz = Gazetteer.from_records([_ccg_then_sub_icb(p) for p in ("Upton", "Downton",
                                                                 "Marlow")])
    for place in ("Upton", "Downton", "Marlow"):
        text = f"NHS {place.upper()} CLINICAL COMMISSIONING GROUP\nGoverning Body minutes"
        assert _orgs(text, gaz, date="2015-05-01")[0][1:] == ("ccg", f"NHS {place} CCG")


def test_a_registry_name_without_dates_is_read_with_every_type_the_body_had():
    gaz = Gazetteer.from_records([OrgRecord(
        "NHS Fenshire, Marsh and Wold Integrated Care Board", "icb",
        names=(("NHS Fenshire, Marsh and Wold Integrated Care Board", None, None),),
        types=(("stp", "2017-04-01", "2022-07-01"), ("icb", "2022-07-01", None))),
        OrgRecord("NHS Marsh and Wold CCG", "ccg",
                  names=(("NHS Marsh and Wold CCG", "2013-04-01", "2021-03-31"),),
                  types=(("ccg", "2013-04-01", "2021-03-31"),))])
    orgs = _orgs("Smaller boards include Fenshire, Marsh and Wold ICB with 500,000 people.",
                 gaz, date="2025-03-01")
    assert orgs == [("Fenshire, Marsh and Wold ICB", "icb",
                     "NHS Fenshire, Marsh and Wold Integrated Care Board")]


def test_a_listed_place_whose_old_body_ended_names_the_body_that_begins_with_it():
    old = OrgRecord("NHS Marsh CCG", "ccg", names=(("NHS Marsh CCG", "2013-04-01", "2020-04-01"),),
                    types=(("ccg", "2013-04-01", "2020-04-01"),))
    icb = OrgRecord("NHS Marsh, Fenley and Wold Integrated Care Board", "icb",
                    names=(("NHS Marsh, Fenley and Wold Integrated Care Board", None, None),),
                    types=(("icb", "2022-07-01", None),))
    text = "Coldwater, Marsh and Dunmore ICBs all serve fewer than a million people."
    orgs = _orgs(text, Gazetteer.from_records([old, icb]), date="2025-03-01")
    assert ("Marsh", "icb", "NHS Marsh, Fenley and Wold Integrated Care Board") in orgs
    # two bodies begin with that place: not told, the statutory form as written
    other = OrgRecord("NHS Marsh, Lowfield and Eastwold Integrated Care Board", "icb",
                      names=(("NHS Marsh, Lowfield and Eastwold Integrated Care Board", None,
                              None),), types=(("icb", "2022-07-01", None),))
    orgs = _orgs(text, Gazetteer.from_records([old, icb, other]), date="2025-03-01")
    assert ("Marsh", "icb", "NHS Marsh Integrated Care Board") in orgs
    # in the old body's time the place names it
    orgs = _orgs("Coldwater, Marsh and Dunmore CCGs met.", Gazetteer.from_records([old, icb]),
                 date="2016-03-01")
    assert ("Marsh", "ccg", "NHS Marsh CCG") in orgs


def test_a_body_known_by_its_area_takes_the_registrys_own_full_name():
    rec = OrgRecord("Fenshire and the Isle of Marl", "icb",
                    aliases=("NHS Fenshire and Isle of Marl Integrated Care Board",
                             "NHS Fenshire CCG"),
                    names=(("Fenshire and the Isle of Marl", None, None),),
                    types=(("stp", "2017-04-01", "2022-07-01"), ("icb", "2022-07-01", None)))
    orgs = _orgs("Fenshire and the Isle of Marl ICB will merge.", Gazetteer.from_records([rec]),
                 date="2025-03-01")
    assert orgs == [("Fenshire and the Isle of Marl ICB", "icb",
                     "NHS Fenshire and Isle of Marl Integrated Care Board")]
