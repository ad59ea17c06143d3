"""``show`` gives the date of each event an organisation took part in (issue 14): the
view (``services.views.entity_data``) dates every fact of the events section by its event,
in date order, and the command line, the API and the page render that one view.

The events are the bundled knowledge base's: NHS Bath and North East Somerset (5FL) took
part in the integration project of July 2005, the clustering with Wiltshire and the
exception request of 4 November 2011 and the transfer of services to Sirona (the B&NES
panel minutes)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nhsgraph.cli import app as cli
from nhsgraph.services import views

runner = CliRunner()
REQUEST = "event:banes-exception-request-2011-11-04"


def _events(d: dict) -> list[dict]:
    return d["sections"]["events"]


def test_each_event_of_an_organisation_has_its_date(bundled_kb):
    store, _ = bundled_kb
    with store.reader() as conn:
        d = views.entity_data(conn, "ods:5FL")
    events = _events(d)
    by_event = {f["subject"]: f for f in events}
    assert by_event[REQUEST]["event_date"] == "2011-11-04"
    assert by_event[REQUEST]["when"] == "event of 2011-11-04"
    # a date of the source's precision: the project was agreed in July 2005
    assert by_event["event:banes-integration-project-2005"]["event_date"] == "2005-07"
    # every event the PCT took part in is one the store dates, and they come in date order
    dated = [f["event_date"] for f in events]
    assert None not in dated and dated == sorted(dated) and len(set(by_event)) == 4


def test_an_event_keeps_its_own_dates(bundled_kb):
    """The event's own page: its type fact says when it was, and its parties are dated by
    it too."""
    store, _ = bundled_kb
    with store.reader() as conn:
        d = views.entity_data(conn, REQUEST)
    types = [f for f in _events(d) if f["predicate"] == "event_type"]
    assert [t["when"] for t in types] == ["from 2011-11-04"]
    parties = [f for f in _events(d) if f["predicate"] == "involves"]
    assert parties and {f["event_date"] for f in parties} == {"2011-11-04"}


def test_the_command_line_prints_the_event_and_its_date(bundled_kb, monkeypatch):
    from nhsgraph.cli import render

    _, db = bundled_kb
    # wide enough that the table keeps each row on one line, whatever COLUMNS said when
    # the console was made
    monkeypatch.setattr(render.console, "_width", 200)
    r = runner.invoke(cli, ["--db", db, "show", "ods:5FL"])
    assert r.exit_code == 0, r.output
    events = r.output[r.output.index("\nEvents"):]
    row = next(line for line in events.splitlines() if "event of 2011-11-04" in line)
    assert "exception" in row           # the event, beside its date
    j = runner.invoke(cli, ["--db", db, "show", "ods:5FL", "--json"])
    assert {f["subject"]: f["event_date"] for f in _events(json.loads(j.output))}[REQUEST] \
        == "2011-11-04"


def test_the_page_shows_the_event_date(bundled_kb):
    from fastapi.testclient import TestClient

    from nhsgraph.app import create_app

    _, db = bundled_kb
    with TestClient(create_app(db)) as client:
        page = client.get("/entities/ods:5FL")
        api = client.get("/api/entities/ods:5FL").json()
    assert page.status_code == 200
    assert "event of 2011-11-04" in page.text
    assert {f["subject"]: f["event_date"] for f in _events(api)}[REQUEST] == "2011-11-04"
