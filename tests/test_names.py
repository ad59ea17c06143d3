"""ODS capitals in the conventional case (model.names); strings written for the test."""

import pytest

from nhsgraph.model.names import conventional_case, is_capitals


@pytest.mark.parametrize("capitals, cased", [
    ("NORTHBRIDGE COMMUNITY SERVICES NHS TRUST", "Northbridge Community Services NHS Trust"),
    ("NHS EXAMPLESHIRE ICB - 99X", "NHS Exampleshire ICB - 99X"),
    ("ST OSWALD AND KIRKBY TEACHING HOSPITALS NHS FOUNDATION TRUST",
     "St Oswald and Kirkby Teaching Hospitals NHS Foundation Trust"),
    ("ASHBY-DE-LA-ZOUCH HEALTH CENTRE", "Ashby-de-la-Zouch Health Centre"),
    ("ST MARY'S SURGERY", "St Mary's Surgery"),
    ("THE OLD MILL GP PRACTICE", "The Old Mill GP Practice"),
    ("NHS NORTH AND WEST CCGS", "NHS North and West CCGs"),
    ("HAYFIELD PCN", "Hayfield PCN"),
    ("DR A & B JONES", "Dr A & B Jones"),
    ("CAFÉ CLINIC", "Café Clinic"),
])
def test_capitals_become_conventional(capitals, cased):
    assert conventional_case(capitals) == cased


def test_names_not_in_capitals_are_left_alone():
    assert conventional_case("NHS Tees Valley CCG") == "NHS Tees Valley CCG"
    assert not is_capitals("NHS Tees Valley CCG") and not is_capitals("123")
