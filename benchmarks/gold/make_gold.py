"""Hand-written gold for the five seeds: the annotator's decisions are the tables below
(surface pattern -> type, canonical name; which occurrences are excluded and why).
Offsets are computed here so they are exact. Run: python make_gold.py SEEDS_DIR"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
BANES, WILTS = "NHS Bath and North East Somerset", "NHS Wiltshire"
PANEL = "Wellbeing Policy Development and Scrutiny Panel"
DH, SOE = "Department of Health and Social Care", "NHS South of England"
CCS = "Cambridgeshire Community Services NHS Trust"
CPCCG = "NHS Cambridgeshire and Peterborough CCG"
CPFT = "Cambridgeshire and Peterborough NHS Foundation Trust"
BCCG = "NHS Bath and North East Somerset CCG"
BLINK = "Bath and North East Somerset LINk"

# (regex, type, name, skip-if-context-regex or None); all other matches are mentions.
ORGS = {
    "000": [
        (r"Cambridgeshire Community Services Trust", "nhs_trust", CCS, None),
        (r"Department of Health", "government_department", DH, None),
        (r"NHS Midlands and East", "sha", "NHS Midlands and East", None),
        (r"Cambridgeshire and Peterborough CCG", "ccg", CPCCG, None),
        (r"(?<=the )SHA\b", "sha", "NHS Midlands and East", None),
        (r"(?<=trust, )SHA\b", "sha", "NHS Midlands and East", None),
        (r"\bDH\b", "government_department", DH, None),
        (r"(?<=the )CCG\b(?!s)", "ccg", CPCCG, None),
        (r"\bHSJ\b", "other", "Health Service Journal", None),
        (r"\bMonitor\b", "national_body", "Monitor", None),
        (r"Derbyshire Community Health Services Trust", "nhs_trust",
         "Derbyshire Community Health Services NHS Trust", None),
        (r"Birmingham Community Healthcare Trust", "nhs_trust",
         "Birmingham Community Healthcare NHS Trust", None),
        (r"Norfolk Community Health and Care Trust", "nhs_trust",
         "Norfolk Community Health and Care NHS Trust", None),
        (r"Cambridgeshire and Peterborough shadow clinical commissioning group", "ccg", CPCCG, None),
        (r"Cambridgeshire and Peterborough Shadow Commissioning Group", "ccg", CPCCG, None),
        (r"\bCCS\b", "nhs_trust", CCS, None),
        (r"Cambridgeshire Community Services(?= application)", "nhs_trust", CCS, None),
    ],
    "001": [
        (r"Blackburn with Darwen(?= and Bexley)", "care_trust", "Blackburn with Darwen Care Trust", None),
        (r"Bexley NHS Care Trust", "care_trust", "Bexley NHS Care Trust", None),
        (r"Knowsley MBC", "local_authority", "Knowsley Metropolitan Borough Council", None),
        (r"NHS Knowsley", "pct", "NHS Knowsley", None),
        (r"Department of Health", "government_department", DH, None),
        (r"NHS Blackpool", "pct", "NHS Blackpool", None),
        (r"Blackpool BC", "local_authority", "Blackpool Borough Council", None),
        (r"Bath and North East Somerset Council", "local_authority",
         "Bath and North East Somerset Council", None),
        (r"Herefordshire Council", "local_authority", "Herefordshire Council", None),
        (r"NHS Herefordshire", "pct", "NHS Herefordshire", None),
        (r"NHS Southwark", "pct", "NHS Southwark", None),
        (r"Blackburn with Darwen Care Trust", "care_trust", "Blackburn with Darwen Care Trust", None),
    ],
    "002": [
        (r"Cambridgeshire and Peterborough NHS Foundation Trust", "foundation_trust", CPFT, None),
        (r"\bCQC\b", "national_body", "Care Quality Commission", None),
    ],
    "003": [
        (r"Hempsons", "other", "Hempsons", None),
        (r"National Association of Primary Care", "other", "National Association of Primary Care", None),
        (r"NHS Alliance", "other", "NHS Alliance", None),
        (r"Minehead Medical Centre", "gp_practice", "Minehead Medical Centre", None),
        (r"Medics4RareDiseases", "other", "Medics4RareDiseases", None),
    ],
    "004": [
        (r"(?i:WELLBEING POLICY DEVELOPMENT (?:AND|&) SCRUTINY PANEL)", "council_body", PANEL, None),
        (r"NHS BATH AND NORTH EAST SOMERSET|NHS Bath (?:and|&) North East Somerset|NHS BANES|"
         r"NHS B&NES|NHS Bath & NE Somerset", "pct", BANES, None),
        (r"NHS WILTSHIRE|NHS Wiltshire", "pct", WILTS, None),
        (r"(?<=the )SHA\b(?!s| clusters)|(?<=trust, )SHA\b", "sha", SOE, "GUIDANCE"),
        (r"Strategic Health Authority", "sha", SOE, None),
        (r"Wiltshire Council", "local_authority", "Wiltshire Council", None),
        (r"(?<=the )PCT(?!s| integration| Cluster| level| boards?)|(?<=Council and )PCT\b|"
         r"(?<=Council, )PCT\b|(?<=CCG, )PCT\b", "pct", BANES, "GUIDANCE"),
        (r"(?<=their )PCT\b", "pct", WILTS, "GUIDANCE"),
        (r"(?<=the )Clinical Commissioning Group(?!s)|(?<=their )Clinical Commissioning Group",
         "ccg", BCCG, "GUIDANCE"),
        (r"B(?:&NES|ANES) Clinical Commissioning Group|B&NES CCG", "ccg", BCCG, None),
        (r"(?<=the )CCG\b(?!s)|(?<=Council, )CCG\b", "ccg", BCCG, "GUIDANCE"),
        (r"BANES Local Involvement Network|Bath (?:and|&) North East Somerset Local(?:\s+)"
         r"Involvement Network|Bath & North East Somerset LINK", "patient_voice", BLINK, None),
        (r"(?<=the )LINK\b|(?<=and )LiNK\b|(?<=including )LiNK\b", "patient_voice", BLINK, None),
        (r"NHS South of England", "sha", SOE, None),
        (r"NHS Management Board|(?<=The )Management Board", "national_body",
         "NHS Management Board", None),
        (r"Department of Health|\bDH\b", "government_department", DH, None),
        (r"NHS Commissioning Board|National Commissioning Board", "national_body", "NHS England", None),
        (r"Appointments Commission", "national_body", "Appointments Commission", None),
        (r"Bath & NE Somerset Council|B&NES Council", "local_authority",
         "Bath and North East Somerset Council", None),
        (r"\bSirona\b", "provider_other", "Sirona Care & Health", None),
        (r"Health & Wellbeing Partnership Board", "council_body",
         "Health and Wellbeing Partnership Board", None),
        (r"National Association of Primary Care", "other", "National Association of Primary Care", None),
        (r"\bNAPC\b", "other", "National Association of Primary Care", None),
        (r"NHS Future Forum", "other", "NHS Future Forum", None),
        (r"Kings Fund", "other", "King's Fund", None),
        (r"NHS Confederation", "other", "NHS Confederation", None),
        (r"Wellbeing Policy Development and Scrutiny Panel|B&NES Wellbeing Policy Development "
         r"& Scrutiny Panel", "council_body", PANEL, None),
    ],
}
PEOPLE = {
    "000": [("Matthew Winn", "chief executive", CCS), ("Heather Peck", "chair", CCS),
            ("Neil Modha", "chief clinical officer", CPCCG)],
    "001": [("Andrew Lansley", "health secretary", ""), ("Eric Pickles", "communities secretary", ""),
            ("David Nicholson", "chief executive", ""), ("Roy Fisher", "chair", "NHS Blackpool"),
            ("Peter Callow", "leader", "Blackpool Borough Council"),
            ("Malcolm Hanney", "deputy leader", "Bath and North East Somerset Council"),
            ("Rosemary Hawley", "chair", "NHS Knowsley"),
            ("Roger Phillips", "leader", "Herefordshire Council"),
            ("Joanna Newton", "chair", "NHS Herefordshire"), ("Mee Ling Ng", "chair", "NHS Southwark"),
            ("Barbara Scott", "chair", "Bexley NHS Care Trust"),
            ("Bill Taylor", "chair", "Blackburn with Darwen Care Trust")],
    "002": [("Stuart Dunn", "deputy director of operations", "Care Quality Commission"),
            ("Steve Grange", "chief executive officer", CPFT)],
    "003": [("Ross Clark", "partner", "Hempsons"), ("Michael Dixon", "chief executive", "NHS Alliance"),
            ("Lucy McKay", "ceo", "Medics4RareDiseases")],
    "004": [("Vic Pritchard", "chair", PANEL), ("Katie Hall", "vice-chair", PANEL),
            ("Eleanor Jackson", "councillor", ""), ("Anthony Clarke", "councillor", ""),
            ("Bryan Organ", "councillor", ""), ("Kate Simmons", "councillor", ""),
            ("Sharon Ball", "councillor", ""), ("Loraine Brinkhurst", "councillor", ""),
            ("Jeff James", "chief executive", BANES),
            ("Jim Easton", "national director for improvement and efficiency", ""),
            ("Malcolm Hanney", "chair", BANES),
            ("Ashley Ayre", "strategic director for people and communities", ""),
            ("Mike Bowden", "active director for service development", ""),
            ("Ian Carruthers", "chair", SOE), ("Charles Howeson", "vice-chair", SOE),
            ("Ian Orpen", "chair", BCCG), ("John Everitt", "chief executive", ""),
            ("Diana Hall Hall", "chair", BLINK),
            ("David Colin-Thome", "national director for primary care", DH),
            ("Steve Field", "chair", "NHS Future Forum"),
            ("Sophia Christie", "chief executive", ""),
            ("Nigel Edwards", "senior fellow", "King's Fund")],
}
EVENTS = {
    "000": [{"type": "ft_application_decision", "date": "2012", "outcome": "rejected",
             "orgs": [CCS, CPCCG]}],
    "001": [{"type": "abolished", "date": "2013", "outcome": "planned", "orgs": []}],
    "002": [{"type": "rating_published", "date": "2025-07-17", "outcome": "requires improvement",
             "orgs": [CPFT, "Care Quality Commission"]},
            {"type": "appointment", "date": "2024-10", "outcome": "", "orgs": [CPFT]}],
    "003": [{"type": "budget_delegation", "date": "", "outcome": "refused", "orgs": []}],
    "004": [{"type": "committee_decision", "date": "2011-11-29", "outcome": "agreed",
             "orgs": [PANEL, BANES, WILTS]},
            {"type": "governance_change", "date": "2011-09-29", "outcome": "",
             "orgs": ["NHS Management Board", DH]},
            {"type": "governance_change", "date": "2011-01-31", "outcome": "", "orgs": [DH]},
            {"type": "governance_change", "date": "2011-07-28", "outcome": "", "orgs": [DH]},
            {"type": "clustered", "date": "2012-04-01", "outcome": "planned", "orgs": [BANES, WILTS]},
            {"type": "established", "date": "2011-10-01", "outcome": "",
             "orgs": ["Sirona Care & Health"]},
            {"type": "abolished", "date": "2013-04", "outcome": "planned", "orgs": []},
            {"type": "departure", "date": "2012-04-01", "outcome": "planned", "orgs": [BANES]}],
}


def build(seeds: Path) -> None:
    for path in sorted(seeds.glob("*.txt")):
        key = path.name[:3]
        text = path.read_text(encoding="utf-8")
        guidance = (0, 0)
        gs = text.find("Department of Health Policy and Practice guidance")
        ge = text.find("### Wellbeing Policy Development and Scrutiny - 29")
        if gs >= 0 and ge > gs:
            guidance = (gs, ge)
        orgs, taken = [], []
        for rx, typ, name, skip in ORGS[key]:
            for m in re.finditer(rx, text):
                s, e = m.span()
                if skip == "GUIDANCE" and guidance[0] <= s < guidance[1]:
                    continue
                if any(a < e and s < b for a, b in taken):
                    continue
                taken.append((s, e))
                orgs.append({"start": s, "end": e, "text": text[s:e], "type": typ, "name": name})
        orgs.sort(key=lambda o: o["start"])
        people = [{"name": n, "role": r, "org": o} for n, r, o in PEOPLE[key]]
        out = {"doc": path.name, "orgs": orgs, "people": people, "events": EVENTS[key]}
        (HERE / f"{path.stem}.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
        print(path.stem, len(orgs), len(people), len(EVENTS[key]))


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/seeds"))
