"""Review refuses to accept a generic alias ("the Trust", "the Board"): as an alias it would
name this body in every document that says "the Trust"."""

from __future__ import annotations

import pytest

from nhsgraph.errors import BadInput
from nhsgraph.model.names import generic_alias_reason
from nhsgraph.services.review import decide
from webutil import TOKEN, add_proposal


@pytest.mark.parametrize("alias", ["the Trust", "The Board", "the Council", "the CCG",
                                   "Trust", "the Foundation Trust", "this Committee",
                                   "the Governing Body", "the Primary Care Trust"])
def test_generic_aliases_are_recognised(alias):
    assert "common noun" in generic_alias_reason(alias)


@pytest.mark.parametrize("alias", ["Gamma Primary Care Trust", "CPFT", "the Cambridge Trust",
                                   "Wiltshire Council", "NHS Gamma"])
def test_names_are_not_generic(alias):
    assert generic_alias_reason(alias) is None


def test_accepting_a_generic_alias_is_refused_with_the_reason(db, store):
    good = add_proposal(store, value="Gamma Primary Care Trust")
    bad = add_proposal(store, value="the Trust")
    with pytest.raises(BadInput) as exc:
        decide(store, [good, bad], "accept")
    msg = str(exc.value)
    assert f"statement {bad} (alias of ods:5CC)" in msg and "“the Trust” is a common noun" in msg
    assert "reject it instead" in msg and "Nothing was accepted" in msg
    with store.reader() as conn:   # nothing changed: the good one is still a proposal
        from nhsgraph.services.views import proposals_data
        assert {f["id"] for f in proposals_data(conn, None, 10)["items"]} == {good, bad}
    assert len(decide(store, [bad], "reject")) == 1     # rejecting it is fine
    assert len(decide(store, [good], "accept")) == 1


def test_the_api_answers_422_with_the_reason(client, store):
    bad = add_proposal(store, value="the Board")
    r = client.post(f"/api/statements/{bad}/accept", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422 and "“the Board” is a common noun" in r.json()["detail"]
