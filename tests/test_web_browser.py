"""The pages in a real browser (headless Chromium through Playwright): search, move the
date, follow lineage, open a source. Screenshots go to screenshots/ (gitignored).

Needs /usr/bin/chromium (the Debian package); never downloads a browser.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import PG_URL, ROOT, SEEDS
from webutil import TOKEN, add_proposal

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """uvicorn in a thread on a free localhost port."""

    def __init__(self, db: str):
        import uvicorn

        from nhsgraph.app import create_app

        self.port = _free_port()
        config = uvicorn.Config(create_app(db, token=TOKEN), host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (install the Debian chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    pg = ctx.new_page()
    yield pg
    ctx.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def mini_url(db, store):
    add_proposal(store)
    with Served(db) as url:
        yield url


def test_search_date_lineage_and_source_in_a_browser(page, mini_url):
    from playwright.sync_api import expect

    page.goto(mini_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find an NHS organisation")
    shot(page, "01-home")

    # Search by name from the home page form (its label names the field).
    page.get_by_label("Search names, former names, codes and people").fill("NHS Alpha")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Search results for")
    expect(page.get_by_role("link", name="NHS Alpha", exact=True)).to_be_visible()
    shot(page, "02-search")

    # Open the organisation, then move the date with the date control.
    page.get_by_role("link", name="NHS Alpha", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("NHS Alpha")
    page.get_by_label("As at date").fill("2010-01-01")
    page.get_by_role("button", name="Show on this date").click()
    expect(page.locator(".app-status")).to_contain_text("2010-01-01")
    expect(page.get_by_role("link", name="Ann Example")).to_be_visible()
    expect(page.get_by_text("NHS Alpha and Beta")).to_have_count(0)
    page.get_by_label("As at date").fill("2012-01-15")
    page.get_by_role("button", name="Show on this date").click()
    expect(page.get_by_role("link", name="NHS Alpha and Beta").first).to_be_visible()
    shot(page, "03-organisation-2012")

    # Follow lineage: the graph is drawn server-side; its nodes are links.
    page.get_by_role("link", name="Lineage: predecessors and successors").click()
    expect(page.locator("svg.app-graph")).to_be_visible()
    page.locator("svg.app-graph a", has_text="NHS Northshire Integ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("NHS Northshire Integrated Care Board")
    page.get_by_role("link", name="Lineage: predecessors and successors").click()
    expect(page.locator("svg.app-graph a")).to_have_count(6)
    shot(page, "04-lineage")

    # The timeline chart.
    page.goto(mini_url + "/entities/ods:5AA/timeline")
    expect(page.locator("svg.app-chart")).to_be_visible()
    shot(page, "05-timeline")

    # A fact's citation opens the source page at its highlighted span.
    page.goto(mini_url + "/entities/ods:5AA?at=2012-01-15")
    page.locator('a.app-cite[href$="#span-101-114"]').first.click()
    expect(page).to_have_url(mini_url + "/sources/src:test-registry#span-101-114")
    expect(page.locator("mark.app-mark", has_text="Alpha answers")).to_be_visible()
    expect(page.get_by_label("API token")).to_be_visible()
    shot(page, "06-source")

    page.goto(mini_url + "/landscape?at=2012-06-01&type=pct")
    expect(page.get_by_role("heading", level=2, name="NHS Northshire")).to_be_visible()
    page.get_by_label("Group by").select_option("member_of")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("link", name="NHS Alpha and Beta")).to_be_visible()
    shot(page, "07-landscape")

    # Keyboard: the skip link is the first stop and takes focus to the content.
    page.goto(mini_url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def test_review_a_proposal_in_the_browser(page, mini_url):
    from playwright.sync_api import expect

    page.goto(mini_url + "/documents/src:test-registry")
    expect(page.get_by_role("heading", name="Proposed statements awaiting review")).to_be_visible()
    page.get_by_label("API token").fill(TOKEN)
    page.get_by_role("button", name="Accept").click()
    expect(page).to_have_url(mini_url + "/documents/src:test-registry")
    expect(page.get_by_role("heading", name="Proposed statements awaiting review")).to_have_count(0)
    page.goto(mini_url + "/entities/ods:5CC")
    expect(page.get_by_text("Gamma Primary Care Trust")).to_be_visible()


@pytest.fixture
def kb_url(store, tmp_path):
    from nhsgraph.importers.curated import bundled_dir, load_curated

    if not any(bundled_dir().rglob("*.yaml")):
        pytest.skip("no bundled knowledge base in src/nhsgraph/data")
    load_curated(store, None, documents=SEEDS if SEEDS.is_dir() else None)
    with Served(PG_URL or str(tmp_path / "test.db")) as url:
        yield url


def test_knowledge_base_in_a_browser(page, kb_url):
    from playwright.sync_api import expect

    page.goto(kb_url + "/search?q=NHS+Wiltshire")
    link = page.locator(".app-result-link", has_text="Wiltshire").first
    expect(link).to_be_visible()
    shot(page, "10-kb-search")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wiltshire")
    page.get_by_label("As at date").fill("2011-11-29")
    page.get_by_role("button", name="Show on this date").click()
    expect(page.locator(".app-status")).to_contain_text("2011-11-29")
    shot(page, "11-kb-organisation")
    page.get_by_role("link", name="Lineage: predecessors and successors").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wiltshire")
    shot(page, "12-kb-lineage")
    # NHS Wiltshire's lineage changes are cited (the bundled knowledge base holds the sources).
    page.locator("a.app-cite").first.click()
    expect(page).to_have_url(re.compile(r"/sources/[^/]+$"))
    expect(page.locator("h1")).to_be_visible()
    shot(page, "13-kb-source")


def test_cluster_compliance_in_a_browser(page, kb_url, store):
    """The BANES/Wiltshire cluster on 2011-12-02: its compliance section, then a finding's
    rule link to the rule page, and on to the rule's source."""
    from playwright.sync_api import expect

    from nhsgraph.query import resolve

    with store.reader() as conn:
        cluster = resolve(conn, "NHS Bath and North East Somerset and NHS Wiltshire Cluster",
                          kind="organisation").id
    page.goto(f"{kb_url}/entities/{cluster}?at=2011-12-02")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wiltshire")
    section = page.locator("#compliance")
    expect(section.get_by_role("heading", level=2)).to_have_text("Compliance on 2011-12-02")
    finding = section.locator("#finding-CLUSTER-MODEL2-PRINCIPLES")
    expect(finding.locator(".app-outcome")).to_contain_text("Insufficient evidence")
    expect(finding).to_contain_text("deadline 2011-12-01 passed")
    expect(section.locator(".app-outcome", has_text="Complies").first).to_be_visible()
    finding.get_by_text("Facts relied on").click()
    expect(finding.locator("a.app-cite").first).to_be_visible()
    section.scroll_into_view_if_needed()
    SHOTS.mkdir(exist_ok=True)
    section.screenshot(path=str(SHOTS / "20-kb-compliance.png"))
    finding.get_by_role("link", name="Model 2 principles by 1 December 2011").click()
    expect(page).to_have_url(kb_url + "/rules/CLUSTER-MODEL2-PRINCIPLES")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Model 2 principles by 1 December 2011 unless the SHA agrees an exception")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("2011-09-29")
    shot(page, "21-kb-rule")
    page.locator("a.app-rule-source").click()
    expect(page).to_have_url(kb_url + "/sources/src:easton-letter-2011")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "22-kb-rule-source")
