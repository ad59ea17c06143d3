"""General extraction rules on sentences written for these tests (invented places and people)."""

import pytest

from nhsgraph.extract import Gazetteer, OrgRecord, analyse_document, extract_document
from nhsgraph.extract.gazetteer import acronyms, usable_alias
from nhsgraph.extract.orgs import Mention, canonical_guess, spell_out
from nhsgraph.extract.temporal import find_dates


def _orgs(text, gaz=None, date=None):
    out = extract_document(text, "t.txt", gaz, date)["orgs"]
    return [(o["text"], o["type"], o["name"]) for o in out]


def _people(text, gaz=None):
    return {(p["name"], p["role"], p["org"]) for p in extract_document(text, "t.txt", gaz)["people"]}


def _events(text, date=None):
    return [(e["type"], e["date"], e["outcome"]) for e in extract_document(text, "t.txt", None,
                                                                            date)["events"]]


# ------------------------------------------------------------------ speed-ups keep results
def test_dates_found_at_token_anchors_match_a_full_scan():
    text = ("On Monday, 3rd March 2014 the board met; by 1 April, in May 2015, 2011-2012, "
            "12/10/2013, the end of June and last year the trust (2016) reported.")
    doc = analyse_document(text, "t.txt", doc_date="2014-03-03")
    assert [(d.start, d.iso) for d in doc.dates] == \
        [(d.start, d.iso) for d in find_dates(text, "2014-03-03")]


# One invented example of every organisation suffix kind (orgs._SUFFIXES), each in a
# sentence with other capitalised words around it.
SUFFIX_EXAMPLES = [
    "Upton Hospitals NHS Foundation Trust", "Marsh Foundation Trust", "Upton Partnership NHS Trust",
    "Marsh NHS Care Trust Plus", "Upton Teaching Primary Care Trust", "Marsh PCT",
    "Upton shadow clinical commissioning group", "Marsh CCG", "Upton GP Commissioning Consortium",
    "Marsh Integrated Care Partnership", "Upton ICB", "Marsh ICS",
    "Upton Commissioning Support Unit", "Marsh CSU", "Upton Strategic Health Authority",
    "Marsh SHA", "Upton Metropolitan Borough Council", "Marsh MBC", "Upton BC",
    "Marsh health and wellbeing board", "Upton Overview and Scrutiny Committee",
    "Marsh Local Involvement Network", "Upton LINk", "Marsh Healthwatch",
    "Upton Medical Centre", "Marsh Health Centre", "Upton Surgery", "Marsh Medical Practice",
    "Upton Primary Care Network", "Marsh PCN", "Upton Social Enterprise",
    "Marsh Community Interest Company", "Upton CIC", "Marsh University", "Upton LLP",
    "Marsh Solicitors", "Upton Community Health NHS Trust", "Marsh Ambulance Service Trust"]


def test_suffix_scan_at_type_words_matches_a_full_scan():
    """The suffix scan reads only stretches holding an anchors.ORG_WORD: each suffix kind
    must have one of those words, or its mentions are silently lost."""
    from nhsgraph.extract.anchors import Anchors
    from nhsgraph.extract.orgs import pattern_mentions
    from nhsgraph.extract.pipeline import build_pipeline

    nlp = build_pipeline()
    for name in SUFFIX_EXAMPLES:
        text = f"On 3 May, {name} met Ann Roe (Chair) and The Board in Upton."
        full = pattern_mentions(text, 2012)
        assert any(name in m.text for m in full), name
        assert pattern_mentions(text, 2012, anchors=Anchors.of(nlp.make_doc(text))) == full, name


def test_people_at_role_anchors_match_a_full_scan():
    from nhsgraph.extract.anchors import Anchors
    from nhsgraph.extract.people import find_people
    from nhsgraph.extract.pipeline import build_pipeline

    text = ("Medical director Ann Roe and Health secretary Bob Smith spoke. Upton Medical Centre "
            "said Jane Doe, the former chief executive of Upton CCG, and Dr Sam Lee (Chair of "
            "Marsh PCT) agreed. Clinical\n  lead Tom Tee, who chairs Marsh CCG, and "
            "Councillor Kim Ray, Strategic director, were there. The board appointed Pat Poe "
            "as its chief finance officer.")
    doc = build_pipeline()(text)
    orgs = doc.user_data["nhs_orgs"]
    full = find_people(text, orgs)
    assert {p.name for p in full} == {"Ann Roe", "Bob Smith", "Jane Doe", "Sam Lee", "Tom Tee",
                                      "Kim Ray", "Pat Poe"}
    assert find_people(text, orgs, Anchors.of(doc)) == full


def test_pipeline_shares_what_people_and_events_are_about():
    """nhs_orgs keeps ``salient_by_type`` and nhs_people ``principal_org`` for the later
    components: they must be what those would work out themselves."""
    from nhsgraph.extract.orgs import salient_by_type
    from nhsgraph.extract.people import principal_org
    from nhsgraph.extract.pipeline import build_pipeline

    text = ("Upton NHS Trust and Marsh PCT met. The trust's chair, Ann Roe, said the PCT "
            "agreed. Upton NHS Trust was rated Good; help patients at Marsh Surgery.")
    u = build_pipeline()(text).user_data
    orgs = u["nhs_orgs"]
    assert u["nhs_salient"] == salient_by_type([m for m in orgs if m.component != "shortref"])
    assert u["nhs_principal"] == principal_org(sorted(orgs, key=lambda m: m.start), text)
    assert u["nhs_principal"].name == "Upton NHS Trust"


# Sentences with a participant and a date for the trigger alternatives of every event type.
EVENT_EXAMPLES = [
    "On 1 May 2012 Upton NHS Trust said its foundation trust application was halted.",
    "On 1 May 2012 Marsh NHS Trust was authorised as a foundation trust.",
    "In May 2015 Upton NHS Trust was rated Good by the CQC.",
    "In May 2015 Marsh NHS Trust was downgraded to requires improvement by the CQC.",
    "On 1 May 2012 Upton PCT appointed Ann Roe as chief executive.",
    "On 1 May 2012 Bob Smith took up his post at Marsh PCT.",
    "On 1 May 2012 Jane Doe joins as chair of Upton CCG.",
    "On 1 May 2012 the chair of Marsh PCT resigned.",
    "On 1 May 2012 the chief executive of Upton PCT stepped down.",
    "On 1 May 2012 the chair of Marsh PCT retired.",
    "In April 2013 Upton CCG received delegated budgets.",
    "In April 2013 Marsh CCG said budgets were delegated to practices.",
    "On 1 April 2016 Upton NHS Trust merged with Marsh NHS Trust.",
    "On 1 April 2016 Upton NHS Trust completed the acquisition of Marsh NHS Trust.",
    "On 1 June 2011 Upton PCT and Marsh PCT formed a cluster.",
    "On 1 June 2011 Upton PCT and Marsh PCT completed a board merger.",
    "On 1 June 2011 Upton PCT began clustering with Marsh PCT.",
    "On 1 April 2013 Upton CCG was formally established.",
    "On 1 April 2013 Marsh CCG came into being.",
    "On 1 April 2013 Upton CCG went live.",
    "On 31 March 2013 Marsh PCT was abolished.",
    "On 31 March 2013 Upton SHA ceased to exist.",
    "On 1 April 2014 Marsh NHS Trust was renamed Marsh Community NHS Trust.",
    "On 1 April 2014 Upton NHS Trust changed its name.",
    "On 1 June 2011 Marsh PCT adopted governance model 2.",
    "On 1 June 2011 Upton PCT and Marsh PCT agreed a single chair.",
    "On 1 June 2011 Upton Council unanimously agreed the plan.",
    "On 1 June 2011 Marsh Council voted against the closure."]


def test_events_at_trigger_anchors_match_a_full_scan():
    """Sentences are tried for an event type only when they hold one of its
    anchors.EVENT_STEMS: every trigger needs one, or its events are silently lost."""
    from nhsgraph.extract import events as ev
    from nhsgraph.extract.anchors import Anchors
    from nhsgraph.extract.pipeline import build_pipeline

    nlp = build_pipeline()
    for text in EVENT_EXAMPLES:
        doc = nlp(text)
        u = doc.user_data
        args = (text, u["nhs_sentences"], u["nhs_orgs"], u["nhs_dates"], "2016-06-01",
                [f for f in u.get("nhs_figures", []) if f.kind == "rating"])
        full = ev.find_events(*args)
        assert full, text
        assert ev.find_events(*args, anchors=Anchors.of(doc)) == full, text


# ------------------------------------------------------------------ gazetteer and linking
def test_acronyms_of_long_place_names():
    assert acronyms("Upton and North East Marsh") == {"UNEM", "UANEM", "U&NEM"}
    assert acronyms("Upton Marsh") == set()


@pytest.mark.parametrize("alias,usable", [
    ("the trust", False), ("Upton", False), ("PCTs", False), ("GP", False),
    ("UHT", True), ("Upton Community Services", True)])
def test_informal_and_generic_aliases_are_not_matched(alias, usable):
    assert usable_alias(alias) is usable


def test_spelling_variants_link_to_the_registry_name():
    gaz = Gazetteer.from_records([OrgRecord("NHS Upton and North East Marsh", "pct")])
    for text in ("NHS U&NEM", "NHS UANEM", "NHS Upton & NE Marsh", "Upton and North East Marsh PCT"):
        assert gaz.lookup(text).name == "NHS Upton and North East Marsh", text


def test_names_are_resolved_at_the_document_date():
    rec = OrgRecord("NHS Upton ICB - 99X", "sub_icb_location",
                    names=(("NHS Upton CCG", None, "2022-07-01"),
                           ("NHS Upton ICB - 99X", "2022-07-01", None)),
                    types=(("ccg", "2013-04-01", "2022-07-01"),
                           ("sub_icb_location", "2022-07-01", None)))
    gaz = Gazetteer.from_records([rec])
    assert ("Upton CCG", "ccg", "NHS Upton CCG") in _orgs("Upton CCG met.", gaz, "2015-05-01")
    # (the ODS code tail of a sub-ICB location's name is no part of the name; "ICB" is
    # written out as ICBs are named)
    assert ("Upton CCG", "icb", "NHS Upton Integrated Care Board") in _orgs(
        "Upton CCG met.", gaz, "2024-01-01")


def test_close_spelling_links_within_the_type_family_only():
    gaz = Gazetteer.from_records([OrgRecord("Upton Marsh Hospitals NHS Trust", "nhs_trust")])
    assert gaz.fuzzy_lookup("Upton Marshe Hospitals Trust", "foundation_trust").name == \
        "Upton Marsh Hospitals NHS Trust"
    assert gaz.fuzzy_lookup("Upton Marshe Hospitals", "local_authority") is None


def test_statutory_forms_of_unknown_names():
    assert spell_out("Upton & NE Marsh Council") == "Upton and North East Marsh Council"
    m = Mention(0, 10, "Kirkby MBC", "local_authority", "Kirkby MBC", "pattern")
    assert canonical_guess(m) == "Kirkby Metropolitan Borough Council"
    m = Mention(0, 10, "Upton Local Involvement Network", "patient_voice", "", "pattern")
    assert canonical_guess(m) == "Upton LINk"


def test_initialism_takes_the_place_the_document_spells_out():
    text = ("Upton and North East Marsh Council met NHS Upton and North East Marsh. "
            "Later NHS U&NEM said the council agreed.")
    names = {t: n for t, _, n in _orgs(text, date="2011-06-01")}
    assert names["NHS U&NEM"] == "NHS Upton and North East Marsh"


def test_joined_names_split_only_when_both_halves_are_known():
    one = "Upton and Marsh NHS Care Trust has a new chair."
    assert [t for t, _, _ in _orgs(one)] == ["Upton and Marsh NHS Care Trust"]
    two = ("Letters came from Upton and Marsh NHS Care Trust. Upton Care Trust and "
           "Marsh NHS Care Trust signed.")
    texts = [t for t, _, _ in _orgs(two)]
    assert texts[:2] == ["Upton", "Marsh NHS Care Trust"]


# ------------------------------------------------------------------ people
@pytest.mark.parametrize("text,person", [
    ("- Alan Brook Chief Executive Upton Hospitals NHS Trust on secondment",
     ("Alan Brook", "chief executive", "Upton Hospitals NHS Trust")),
    ("Dr Jo Reed, CEO Rarecare Alliance\n\nMore text here.",
     ("Jo Reed", "ceo", "Rarecare Alliance")),
    ("Mr Ian McLeod, chair of NHS Upton, spoke.", ("Ian McLeod", "chair", "NHS Upton")),
])
def test_people_list_and_signature_lines(text, person):
    assert person in _people(text)


@pytest.mark.parametrize("text,person", [
    ("Upton Hospitals NHS Trust has appointed Ann Bell as its new chief executive.",
     ("Ann Bell", "chief executive", "Upton Hospitals NHS Trust")),
    ("Carl Dean, who chairs NHS Upton CCG, welcomed the plan.",
     ("Carl Dean", "chair", "NHS Upton CCG")),
])
def test_people_appointed_and_who_chairs(text, person):
    assert person in _people(text)


def test_minutes_chairs_are_chairs_of_the_meeting_body():
    text = ("UPTON COUNCIL\n\nHEALTH SCRUTINY PANEL\n\nTuesday, 4th March, 2014\n\n"
            "Present:- Councillors Amy Lane (Chair), Bob Hart (Vice-Chair) and Cy Dole\n\n"
            "Apologies: Councillor Di Fry\n\n## 1 MINUTES\n\nRESOLVED that the minutes be "
            "agreed.\n\n## 2 ITEMS\n\nNone.\n\n## 3 CLOSE\n")
    people = _people(text)
    assert ("Amy Lane", "chair", "HEALTH SCRUTINY PANEL") in people
    assert ("Bob Hart", "vice-chair", "HEALTH SCRUTINY PANEL") in people


def test_possessive_role_prefers_the_document_subject():
    text = ("Upton Community Services NHS Trust has lost its bid. Upton and Marsh CCG objected. "
            "Upton Community Services NHS Trust will appeal. Upton's chair Eve Hart said so.")
    assert ("Eve Hart", "chair", "Upton Community Services NHS Trust") in _people(text)


# ------------------------------------------------------------------ events
def test_hypothetical_and_guidance_language_is_not_an_event():
    assert _events("If the PCTs merged in April 2012, costs would fall.", "2011-06-01") == []
    assert _events("Upton Hospitals NHS Trust could be rated Inadequate by the CQC in 2015.",
                   "2015-01-01") == []
    assert _events("The PCTs may merge in May 2012.", "2011-06-01") == []


def test_the_month_may_is_not_the_modal_may():
    assert _events("On 1 May 2012 NHS Upton appointed Ann Roe as chief executive.",
                   "2012-06-01") == [("appointment", "2012-05-01", "")]


def test_reported_intention_is_a_planned_event():
    evs = _events("The chair of NHS Upton said that she would stand down on 1 April 2012.",
                  "2011-11-01")
    assert ("departure", "2012-04-01", "planned") in evs


def test_events_need_a_participant_and_no_heading():
    assert _events("Clustering began in March 2011.", "2011-06-01") == []
    assert _events("## MERGER OF NHS UPTON AND NHS MARSH IN 2012", "2012-06-01") == []


def test_board_merger_is_clustering_and_title_years_are_not_event_dates():
    evs = _events("NHS Upton and NHS Marsh agreed a board merger on 1 June 2011.", "2011-07-01")
    assert [e[0] for e in evs] == ["clustered"]
    assert _events("The PCTs were merged under the Health Act 2009.", "2011-07-01") == []


def test_date_nearest_the_trigger_and_future_targets():
    evs = _events("NHS Upton, created in 2006, was abolished on 31 March 2013.", "2013-05-01")
    assert [(t, d) for t, d, _ in evs] == [("abolished", "2013-03-31")]
    evs = _events("NHS Upton and NHS Marsh set the 1st April date for their cluster board "
                  "merger.", "2011-11-29")
    assert ("clustered", "2012-04-01", "planned") in evs


def test_short_references_in_generic_use_are_not_mentions():
    base = "NHS London criticised Lambeth PCT. "
    assert ("SHA", "sha", "NHS London") in _orgs(base + "The SHA, which met, agreed.")
    assert not any(t == "SHA" for t, _, _ in _orgs(base + "The SHA, cluster, PCT and council met."))
    assert not any(t == "PCT" for t, _, _ in _orgs(base + "Each individual PCT must agree."))


def test_trust_called_by_its_stem_or_initials():
    text = ("Upton Community Services NHS Trust bid for FT status. Staff at Upton Community "
            "Services and the UCS board were told. Upton said no.")
    orgs = _orgs(text)
    names = {t: n for t, _, n in orgs}
    assert names["Upton Community Services"] == "Upton Community Services NHS Trust"
    assert names["UCS"] == "Upton Community Services NHS Trust"
    assert "Upton" not in names


def test_capitalised_health_and_wellbeing_board_without_place():
    orgs = _orgs("The Health & Wellbeing Partnership Board met; health and wellbeing boards "
                 "were discussed.")
    assert [(t, ty) for t, ty, _ in orgs] == [("Health & Wellbeing Partnership Board",
                                               "council_body")]


def test_gazetteer_names_in_lower_case_are_ordinary_words():
    assert not any(n == "NHS Providers" for _, _, n in _orgs("Many NHS providers struggled."))
    assert ("NHS Providers", "other", "NHS Providers") in _orgs("NHS Providers said so.")


def test_appointed_found_at_the_word_matches_a_full_scan():
    from nhsgraph.extract.people import APPOINTED_RE, _matches_around

    text = ("Upton PCT appointed Ann Roe as chair. It reappointed Bob Lee as chair; Marsh CCG "
            "Appointed Cy Day as its chief executive appointed Di Ng as chair, xappointed")
    full = [m.span() for m in APPOINTED_RE.finditer(text)]
    assert len(full) == 3
    assert [m.span() for m in _matches_around(APPOINTED_RE, text, "ppointed", 1)] == full


def test_role_head_check_matches_its_regex():
    """``people._role_head_before`` rules out most places before trying the regex: it must
    say what the regex says everywhere."""
    from nhsgraph.extract.people import _ROLE_HEAD_BEFORE, _role_head_before

    for text in ("The chair", "the  chair", "x.\n chair", "Its\tchair", "Upton's chair",
                 "said.” Chair", "word chair", "  chair", "Our chair; their chair: our x",
                 "a\n\nb c", "Trusts chair", "end! Chair. Chair"):
        for p in range(len(text) + 1):
            want = _ROLE_HEAD_BEFORE.search(text, max(0, p - 30), p) is not None
            assert _role_head_before(text, p) == want, (text, p)
