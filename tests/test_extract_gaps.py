"""Generalisation gaps in people, roles and ratings, on sentences invented for these tests
(invented places and people): each phrasing is one a real document could use."""

import pytest

from nhsgraph.extract import analyse_document, extract_document, registry_role


def _people(text):
    return {(p["name"], p["role"], p["org"]) for p in extract_document(text, "t.txt")["people"]}


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
