"""Classes of text beyond NHS naming, lists and shared heads, canonical names and dated
events (issue 16). Every sentence here is invented."""

from nhsgraph.extract import Gazetteer, OrgRecord, extract_document


def _orgs(text, gaz=None, date=None):
    res = extract_document(text, "t.txt", gaz, doc_date=date)
    return [(o["text"], o["type"], o["name"]) for o in res["orgs"]]


def _events(text, date=None):
    return [(e["type"], e["date"]) for e in extract_document(text, "t.txt", None,
                                                             doc_date=date)["events"]]


# ---------------------------------------------------------------- shared heads and lists
def test_a_shared_plural_head_names_each_conjunct():
    orgs = _orgs("Upton and Downshire, Marsh and Fenley and Coldwater ICBs will work as one.",
                 date="2025-03-01")
    texts = [t for t, typ, _ in orgs if typ == "icb"]
    assert texts == ["Upton and Downshire", "Marsh and Fenley", "Coldwater"]
    assert ("Coldwater", "icb", "NHS Coldwater Integrated Care Board") in orgs


def test_a_list_after_a_plural_head_names_bodies_of_that_type():
    orgs = _orgs("The three Fenshire CCGs due to merge – East Fenshire, Wetley and Marlow – "
                 "share one accountable officer.", date="2018-02-01")
    assert [(t, typ) for t, typ, _ in orgs] == [
        ("East Fenshire", "ccg"), ("Wetley", "ccg"), ("Marlow", "ccg")]
    assert orgs[1][2] == "NHS Wetley CCG"


def test_places_as_geography_after_a_plural_head_are_no_bodies():
    assert _orgs("CCGs in Fenshire and Wetshire are talking.", date="2018-02-01") == []


def test_two_names_with_their_own_heads_are_two_bodies():
    orgs = _orgs("Marlow GP Commissioning Consortium and Fenley Health Commissioning "
                 "Consortium will form one group.", date="2011-06-01")
    assert [t for t, _, _ in orgs] == ["Marlow GP Commissioning Consortium",
                                       "Fenley Health Commissioning Consortium"]


def test_a_singular_head_shared_by_names_that_repeat_their_first_word():
    orgs = _orgs("Upton East and Upton West PCT have joined.", date="2005-06-01")
    assert [(t, n) for t, _, n in orgs] == [("Upton East", "Upton East Primary Care Trust"),
                                            ("Upton West PCT", "Upton West Primary Care Trust")]


def test_a_comma_list_before_a_singular_head_is_one_name():
    orgs = _orgs("Staff at Fenley, Marlow and Wetley CCG were told.", date="2019-01-01")
    assert orgs == [("Fenley, Marlow and Wetley CCG", "ccg", "NHS Fenley, Marlow and Wetley CCG")]
    orgs = _orgs("Upshire and the Isle of Marsh ICB met.", date="2024-01-01")
    assert orgs[0][0] == "Upshire and the Isle of Marsh ICB"


# ---------------------------------------------------------------- bodies outside NHS naming
def test_bodies_named_by_heads_outside_nhs_naming():
    text = ("Members of Fenley WI and the Marlow LMC met staff of Wetley Hospice, the Upton "
            "PPI Forum and the Royal College of Upholsterers, with a reporter from the "
            "Fenley Chronicle.")
    orgs = {t: (typ, n) for t, typ, n in _orgs(text, date="2009-01-01")}
    assert orgs["Fenley WI"] == ("other", "Fenley Women's Institute")
    assert orgs["Marlow LMC"] == ("other", "Marlow Local Medical Committee")
    assert orgs["Wetley Hospice"][0] == "provider_other"
    assert orgs["Upton PPI Forum"] == ("patient_voice",
                                       "Upton Patient and Public Involvement Forum")
    assert orgs["Royal College of Upholsterers"][0] == "other"
    assert orgs["Fenley Chronicle"][0] == "other"


def test_firms_introduced_as_such_and_media_in_attribution():
    text = ("The poll was run by Clinic Weekly; consultancy Brightwater and solicitors Holm "
            "Carver paid for it. A spokesman told Clinic Weekly that the WXT understands the "
            "plan.")
    orgs = [(t, typ) for t, typ, _ in _orgs(text, date="2012-01-01")]
    for name in ("Clinic Weekly", "Brightwater", "Holm Carver", "WXT"):
        assert (name, "other") in orgs, name
    assert ("Clinic Weekly", "other") == orgs[0]


def test_a_person_told_something_is_no_organisation():
    assert _orgs("A manager told Jane Hollis that the plan was late.") == []


def test_a_local_healthwatch():
    orgs = _orgs("The chair of Healthwatch Fenley spoke for Healthwatch England.")
    assert ("Healthwatch Fenley", "patient_voice", "Healthwatch Fenley") in orgs


def test_council_bodies_named_by_a_title_cased_type_name():
    text = ("Minutes of the Fenley Shadow Health and Wellbeing Board. The Shadow Board "
            "noted the report. Members of the Joint Committee were thanked.")
    orgs = _orgs(text)
    assert ("Shadow Board", "council_body") in [(t, typ) for t, typ, _ in orgs]


# ---------------------------------------------------------------- canonical names
def test_names_in_capitals_and_statutory_forms():
    orgs = _orgs("NHS FENLEY CLINICAL COMMISSIONING GROUP\nMinutes.", date="2015-01-01")
    assert orgs[0][2] == "NHS Fenley CCG"
    assert _orgs("Marlow ICB met.", date="2023-01-01")[0][2] == \
        "NHS Marlow Integrated Care Board"
    assert _orgs("Marlow ICS met.", date="2021-01-01")[0][2] == "Marlow Integrated Care System"


def test_a_pct_is_named_as_at_the_document_date():
    assert _orgs("Wetley PCT met.", date="2009-01-01")[0][2] == "NHS Wetley"
    assert _orgs("Wetley PCT met.", date="2005-01-01")[0][2] == "Wetley Primary Care Trust"


def test_initialisms_are_not_names_in_capitals():
    assert _orgs("NHS FMW met.", date="2010-01-01")[0][2] == "NHS FMW"


def test_department_of_health_by_era_and_nhse_i():
    assert _orgs("The DH said no.", date="2012-01-01")[0][2] == "Department of Health"
    assert _orgs("The DH said no.", date="2020-01-01")[0][2] == \
        "Department of Health and Social Care"
    orgs = _orgs("NHSE/I and NHS England and Improvement agreed.", date="2020-01-01")
    assert [(t, n) for t, _, n in orgs] == [("NHSE/I", "NHS England"),
                                            ("NHS England and Improvement", "NHS England")]


def test_registry_names_lose_ods_code_tails_and_capitals():
    gaz = Gazetteer.from_records([OrgRecord("NHS FENLEY AND MARLOW ICB", "icb")])
    assert _orgs("NHS Fenley and Marlow ICB met.", gaz, "2023-01-01")[0][2] == \
        "NHS Fenley and Marlow Integrated Care Board"


def test_a_registry_abbreviation_keeps_the_national_full_name():
    gaz = Gazetteer.from_records([OrgRecord("HSJ", "other")])
    assert gaz.lookup("HSJ").name == "Health Service Journal"


# ---------------------------------------------------------------- events
def test_elections_at_a_meeting_take_its_date_one_event_each():
    text = ("Fenley Health and Wellbeing Board - Monday, 3 June 2013\n\n"
            "Councillor Ann Brook was elected Chairman of the Board for the year.\n\n"
            "Dr Ben Carr was elected Vice-Chairman of the Board for the year.\n")
    assert _events(text, "2013-06-03").count(("appointment", "2013-06-03")) == 2


def test_a_weekday_resolves_from_the_dateline_only():
    text = "Fenley PCT and Marlow PCT were merged, the new body running from Sunday."
    assert ("merged", "2006-10-01") in _events(text, "2006-10-01")   # a Sunday
    assert _events(text, "2006-10-02") == []                          # a Monday: no event
    assert _events(text) == []


def test_a_pct_that_replaced_others_is_a_merger():
    assert ("merged", "2006-10-01") in _events(
        "On 1 October 2006 one new PCT replaced three smaller trusts across Fenley.")


def test_authorisations_of_several_trusts_are_one_event_each():
    text = ("On 1 December 2008 the regulator authorised Fenley Hospitals NHS Trust and "
            "Marlow Community NHS Trust to become NHS foundation trusts.")
    evs = extract_document(text, "t.txt")["events"]
    ft = [e for e in evs if e["type"] == "ft_application_decision"]
    assert len(ft) == 2 and {e["date"] for e in ft} == {"2008-12-01"}


def test_events_without_a_date_are_not_reported():
    assert _events("The regulator rated Fenley NHS Trust inadequate.") == []


def test_members_votes_in_the_news_are_no_committee_decision():
    assert _events("On 29 September 2020 GP members of Fenley CCG voted against the plan.",
                   "2020-10-01") == []


def test_a_trust_named_as_a_foundation_trust_before_its_authorisation_is_an_nhs_trust():
    text = ("The regulator today authorised Fenley Hospitals NHS Foundation Trust to become "
            "an NHS foundation trust from 1 December 2008.")
    orgs = _orgs(text, date="2008-11-20")
    assert ("Fenley Hospitals NHS Foundation Trust", "nhs_trust") in [(t, typ) for t, typ, _ in orgs]
    later = _orgs("Fenley Hospitals NHS Foundation Trust opened a ward on 3 May 2010.",
                  date="2010-05-03")
    assert later[0][1] == "foundation_trust"


def test_a_type_word_before_a_comma_is_no_part_of_the_next_name():
    orgs = _orgs("Fenley CCG, Marlow and Wetley CCG and others met.", date="2019-01-01")
    assert [t for t, _, _ in orgs] == ["Fenley CCG", "Marlow and Wetley CCG"]


def test_bodies_listed_as_still_to_come_are_no_mentions():
    text = ("Two new ICBs are named here; on 1 April 2027 they will come into being, "
            "as follows:\nFenley and Marlow ICB\nWetshire ICB\n\nFenley ICB met today.")
    assert [t for t, _, _ in _orgs(text, date="2026-01-05")] == ["Fenley ICB"]


def test_a_committee_whose_establishment_is_sought_is_no_mention():
    text = ("Members were asked to back the establishment of a Fenley and Marlow Joint "
            "Health Scrutiny Committee. The Fenley and Marlow Joint Health Scrutiny "
            "Committee would meet four times a year.")
    assert _orgs(text) == []
    assert _orgs("The Fenley Joint Health Scrutiny Committee met.")[0][1] == "council_body"


def test_a_primary_care_trust_written_in_full_is_a_pct():
    assert _orgs("Fenley Primary Care Trust met.", date="2009-01-01")[0][1:] == (
        "pct", "NHS Fenley")


def test_a_comma_name_after_a_full_name_in_a_list():
    orgs = _orgs("The eight were Fenley CCG, Marlow, Wetley and Upton CCG and Fen CCG.",
                 date="2019-01-01")
    assert "Marlow, Wetley and Upton CCG" in [t for t, _, _ in orgs]


def test_an_announcement_for_a_list_is_one_event_per_item():
    text = ("From 1 March 2009 the regulator is to have authorised these foundation "
            "trusts:\n\n  • Fenley Hospitals NHS Foundation Trust;\n"
            "  • Marlow Community NHS Foundation Trust; and\n  • Wetley NHS Foundation Trust\n\n"
            "The announcement means there are more of them.\n")
    evs = [e for e in extract_document(text, "t.txt", None, doc_date="2009-02-10")["events"]
           if e["type"] == "ft_application_decision"]
    assert [(e["date"], e["orgs"]) for e in evs] == [
        ("2009-03-01", ["Fenley Hospitals NHS Foundation Trust"]),
        ("2009-03-01", ["Marlow Community NHS Foundation Trust"]),
        ("2009-03-01", ["Wetley NHS Foundation Trust"])]


def test_new_bodies_announced_in_a_list_are_one_merger_each():
    text = ("Two new ICBs are named here; on 1 April 2027 they are to come into being as "
            "follows:\nFenley and Marlow ICB\nWetshire ICB\n\nMore will follow.\n")
    evs = extract_document(text, "t.txt", None, doc_date="2026-01-05")["events"]
    assert [(e["type"], e["date"], e["orgs"]) for e in evs] == [
        ("merged", "2027-04-01", ["Fenley and Marlow ICB"]),
        ("merged", "2027-04-01", ["Wetshire ICB"])]


def test_a_colon_line_without_a_list_is_no_list_event():
    text = "The trusts below will be authorised from 1 March 2009: Fenley NHS Trust.\n"
    evs = extract_document(text, "t.txt", None, doc_date="2009-02-10")["events"]
    assert len([e for e in evs if e["type"] == "ft_application_decision"]) <= 1


def test_a_former_name_in_brackets_names_the_same_body():
    orgs = _orgs("Fenley Hospitals NHS Foundation Trust (formerly Marlow Hospitals NHS Trust) "
                 "grew.", date="2010-01-01")
    assert [n for _, _, n in orgs] == ["Fenley Hospitals NHS Foundation Trust"] * 2


def test_a_near_spelling_of_another_length_is_another_body():
    gaz = Gazetteer.from_records([OrgRecord("NHS Wetherby and Fenshire Integrated Care Board",
                                            "icb")])
    assert gaz.fuzzy_lookup("Wetherby and Fenshire Valley ICB", "icb") is None
    assert gaz.fuzzy_lookup("Wetherby and Fenshyre ICB", "icb").name == \
        "NHS Wetherby and Fenshire Integrated Care Board"


def test_a_registry_body_set_up_after_the_text_does_not_claim_its_name():
    rec = OrgRecord("NHS Fenley CCG", "ccg", aliases=("NHS Fenley",),
                    names=(("NHS Fenley CCG", "2013-04-01", None),),
                    types=(("ccg", "2013-04-01", None),))
    gaz = Gazetteer.from_records([rec])
    assert _orgs("NHS Fenley met.", gaz, "2011-05-01") == [("NHS Fenley", "pct", "NHS Fenley")]
    assert _orgs("NHS Fenley met.", gaz, "2015-05-01")[0][1:] == ("ccg", "NHS Fenley CCG")


def test_a_registry_name_in_capitals_with_one_place_word():
    gaz = Gazetteer.from_records([OrgRecord("NHS FENLEY CCG", "ccg")])
    assert gaz.lookup("NHS Fenley CCG").name == "NHS Fenley CCG"


def test_a_place_that_acts_as_a_body():
    assert _orgs("Fenley remains a standalone PCT after the review.", date="2009-01-01") == [
        ("Fenley", "pct", "NHS Fenley")]
    assert _orgs("Fenley and Marlow became one PCT in 2006.", date="2007-01-01") == [
        ("Fenley", "pct", "NHS Fenley"), ("Marlow", "pct", "NHS Marlow")]
    assert ("Fenley", "nhs_trust", "Fenley NHS Trust") in _orgs(
        "The regulator authorises Fenley to become an NHS foundation trust.", date="2010-01-01")
    assert _orgs("Marlow will merge with Fenley CCG next year.", date="2017-01-01")[0] == (
        "Marlow", "ccg", "NHS Marlow CCG")


def test_a_place_as_geography_or_a_pronoun_is_no_body():
    assert _orgs("Practices in Fenley are worried.", date="2017-01-01") == []
    assert _orgs("It was a PCT in name only. Life in Fenley is a CCG matter.",
                 date="2016-06-01") == []


def test_an_untyped_registry_body_does_not_retype_a_national_one():
    """A registry that names a national body but records no type for it (a curated file
    citing it as a source of figures) leaves the built-in entry's type; one that records
    a type still wins."""
    untyped = Gazetteer.from_records([OrgRecord("NHS England", "other")])
    assert untyped.lookup("NHS England").org_type == "national_body"
    typed = Gazetteer.from_records([OrgRecord("NHS England", "other", types=(("other", None, None),))])
    assert typed.lookup("NHS England").org_type == "other"
