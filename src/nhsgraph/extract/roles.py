"""Role phrases as written ("chief executive", "Cllr") and their registry roles.

Example::

    registry_role("Chief Executive Officer")   # "chief_executive"
"""

from __future__ import annotations

import re

from nhsgraph.model.predicates import ROLES

# A portfolio word ("health", "children's", "adult social care"): one word, or one of a
# few that open a longer portfolio name.
_PORTFOLIO = (r"(?:(?:adult|adults['’]?|children['’]?s?|public|social|community)\s+)?"
              r"(?:(?:social\s+)?(?:care|services|health|wellbeing)|[a-z]+)")
# Role phrases a person can be introduced with; longest alternatives first.
_ROLE_WORDS = [
    r"chief\s+executive\s+officer", r"chief\s+executive", r"ceo", r"chief\s+clinical\s+officer",
    r"chief\s+operating\s+officer", r"chief\s+finance\s+officer", r"chief\s+financial\s+officer",
    r"chief\s+nurse", r"chief\s+officer", r"accountable\s+officer", r"clinical\s+lead",
    r"clinical\s+chair", r"(?:vice|deputy)[\s-]+chair(?:man|woman|person)?",
    r"chair(?:man|woman|person)?(?:[\s-]+elect)?",
    r"non[\s-]+executive\s+director", r"non[\s-]+executive", r"lay\s+member",
    r"medical\s+director", r"nurse\s+director", r"finance\s+director", r"managing\s+director",
    r"(?:deputy\s+|assistant\s+|executive\s+|regional\s+|national\s+|strategic\s+|active\s+|"
    r"policy\s+)?director(?:\s+(?:of|for)\s+(?:the\s+)?(?:public\s+health|adult\s+social\s+"
    r"(?:care|services)|[A-Za-z]+(?:\s+(?:and|&)\s+[A-Za-z]+)?))?",
    r"(?:deputy\s+)?leader", r"councillor", r"cllr\.?",
    r"cabinet\s+member(?:\s+for\s+" + _PORTFOLIO + r"(?:,?\s+(?:and|&)\s+" + _PORTFOLIO + r")*)?",
    r"(?:health|communities|shadow\s+health)\s+secretary", r"secretary\s+of\s+state(?:\s+for\s+"
    r"health(?:\s+and\s+social\s+care)?)?", r"health\s+minister", r"minister(?:\s+for\s+[a-z]+)?",
    r"partner", r"senior\s+fellow", r"fellow", r"president", r"spokes(?:man|woman|person)",
    r"governor", r"head\s+of\s+[a-z]+(?:\s+[a-z]+)?", r"chief\s+inspector(?:\s+of\s+[a-z]+)?",
    r"(?:senior\s+)?(?:democratic|committee|scrutiny|governance|policy|communications|press|"
    r"project|programme|practice|engagement)\s+(?:services\s+)?(?:officer|manager|adviser|advisor|"
    r"lead|coordinator|co-ordinator)", r"nominee", r"representative",
]
# Words that qualify a post without naming another ("interim chief finance officer",
# "acting chair", "joint accountable officer"), and "deputy", which names another post
# ("deputy chief executive"). Any role phrase can take them; they stay in the role as
# written, and registry_role drops the first kind only.
_QUALIFIERS = r"(?:(?:interim|acting|joint|deputy)[\s-]+){0,2}"
_TEMPORARY = re.compile(r"^(?:(?:interim|acting|joint) )+")
ROLE_RE_SOURCE = "(?:" + _QUALIFIERS + "(?:" + "|".join(_ROLE_WORDS) + "))"
ROLE_RE = re.compile(r"(?i:" + ROLE_RE_SOURCE + r")\b")

_MAP = [
    (r"^(chief executive|ceo|chief executive officer)$", "chief_executive"),
    (r"^chief clinical officer$", "chief_clinical_officer"),
    (r"^chief operating officer$", "chief_operating_officer"),
    (r"^chief financ\w+ officer$", "chief_finance_officer"),
    (r"^(finance director|director of finance)$", "director_of_finance"),
    (r"^accountable officer$", "accountable_officer"),
    (r"^(vice|deputy)[ -]chair", "vice_chair"),
    (r"^chair\w*[ -]elect$", "chair_elect"),
    (r"^(clinical )?chair(man|woman|person)?$", "chair"),
    (r"^non[ -]executive( director)?$", "non_executive_director"),
    (r"^lay member$", "lay_member"),
    (r"^medical director$", "medical_director"),
    (r"^(nurse director|director of nursing|chief nurse)$", "nurse_director"),
    (r"^director of public health$", "director_of_public_health"),
    (r"^deputy director", "deputy_director"),
    (r"director", "director"),
    (r"^(councillor|cllr\.?)$", "councillor"),
    (r"^cabinet member", "cabinet_member"),
    (r"^(deputy )?leader$", "councillor"),
    (r"secretary of state|health secretary|communities secretary", "secretary_of_state"),
    (r"minister", "minister"),
    (r"^clinical lead$", "clinical_lead"),
    (r"^partner$", "partner"),
    (r"^president$", "president"),
    (r"^spokes", "spokesperson"),
    (r"^governor$", "governor"),
]
_MAP_RE = [(re.compile(p), r) for p, r in _MAP]


def normalise_role_text(role: str) -> str:
    """The role as the schema writes it: lower case, single spaces, no trailing dot."""
    role = " ".join(role.replace("-", " - ").split()).lower().replace(" - ", "-")
    role = role.rstrip(".")
    return "councillor" if role == "cllr" else role


def registry_role(role: str) -> str:
    """Map a role as written to one of the registry's ROLES (``other`` when none fits)."""
    text = _TEMPORARY.sub("", normalise_role_text(role).replace("-", " "))
    for rx, out in _MAP_RE:
        if rx.search(text):
            assert out in ROLES
            return out
    return "other"
