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
from webutil import TOKEN, add_markdown_document, add_proposal

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


# -- pages a person can use: phone width, readable figures, accessibility ----------------
AXE = ROOT / "build" / "vendor" / "axe.min.js"     # scripts/vendor-assets.sh puts it there
PHONE_PAGES = {"organisation": "/entities/ods:5AA?at=2012-01-15",
               "lineage": "/entities/ods:QX1/lineage", "rules": "/rules",
               "api-docs": "/api/docs", "landscape": "/landscape?at=2012-06-01",
               "search": "/search?q=NHS", "timeline": "/entities/ods:5AA/timeline",
               "source": "/sources/src:test-registry"}


def test_pages_fit_a_phone_screen(browser, mini_url):
    """At 375 px wide no page scrolls sideways: tables and figures scroll in their own box."""
    ctx = browser.new_context(viewport={"width": 375, "height": 800}, locale="en-GB")
    page = ctx.new_page()
    wide = {}
    for name, path in PHONE_PAGES.items():
        page.goto(mini_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide[name] = width
        shot(page, f"30-phone-{name}")
    ctx.close()
    assert wide == {}


# Every <text> of a figure, its box (SVG user units) and the viewBox; for the lineage graph,
# which node rect or edge label each belongs to.
FIGURE_BOXES = """(sel) => {
  const svg = document.querySelector(sel);
  const vb = svg.viewBox.baseVal;
  const box = (el) => { const b = el.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
  return {view: [vb.x, vb.y, vb.x + vb.width, vb.y + vb.height],
          texts: [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, box: box(t),
                   cls: t.getAttribute('class'),
                   rect: t.classList.contains('app-graph__name') ? box(t.parentElement.querySelector('rect')) : null}))};
}"""


def _inside(inner, outer, slack=0.5) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_figure_labels_are_whole_and_apart(page, mini_url, kb_url):
    """Chromium's own text boxes: every label of the timeline and the lineage graph lies
    inside the drawing (nothing clipped); a node's name lies inside its box; edge labels
    overlap neither each other nor any node."""
    checked = 0
    for url, sel in ((mini_url + "/entities/ods:5AA/timeline", "svg.app-chart"),
                     (mini_url + "/entities/ods:QX1/lineage", "svg.app-graph"),
                     (kb_url + "/search?q=NHS+Wiltshire", None)):
        page.goto(url)
        if sel is None:   # the knowledge base: NHS Wiltshire's real lineage and timeline
            page.locator(".app-result-link", has_text="Wiltshire").first.click()
            base = page.url.split("?")[0]
            pairs = [(base + "/lineage", "svg.app-graph"), (base + "/timeline", "svg.app-chart")]
        else:
            pairs = [(url, sel)]
        for target, s in pairs:
            page.goto(target)
            got = page.evaluate(FIGURE_BOXES, s)
            texts = got["texts"]
            assert texts, target
            for t in texts:
                assert _inside(t["box"], got["view"]), (target, t)
                if t["rect"]:
                    assert _inside(t["box"], t["rect"]), (target, "name outside its node", t)
            edges = [t for t in texts if t["cls"] == "app-graph__edge"]
            nodes = [t["rect"] for t in texts if t["rect"]]
            for i, a in enumerate(edges):
                assert not any(_overlap(a["box"], b["box"]) for b in edges[i + 1:]), (target, a)
                assert not any(_overlap(a["box"], r) for r in nodes), (target, a)
            checked += len(texts)
    assert checked > 20


def test_figure_links_are_reached_by_keyboard(page, mini_url):
    """Tabbing reaches the lineage graph's nodes, each announced by name; Enter opens it."""
    from playwright.sync_api import expect

    page.goto(mini_url + "/entities/ods:QX1/lineage")
    links = page.locator("svg.app-graph a")
    names = [n.replace("\n", " ") for n in links.evaluate_all("els => els.map(a => a.textContent)")]
    assert len(names) == 6 and all(" ods:" in n for n in names)
    # what a screen reader announces for a node: its name and code
    assert page.get_by_role("link", name="NHS Alpha ods:5AA", exact=True).count() == 1
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.closest('svg') ? "
                              "document.activeElement.textContent : null")
        if label:
            break
    assert label in names
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(label.rsplit(" ", 1)[0])
    # the timeline's rows are links too, to the fact's line in the table
    page.goto(mini_url + "/entities/ods:5AA/timeline")
    rows = page.locator("svg.app-chart a")
    assert rows.count() >= 5
    href = rows.first.get_attribute("href")
    assert page.locator(href).count() == 1


def test_a_bad_date_is_an_error_on_the_field(page, mini_url):
    """The NHS.UK error pattern: a summary at the top linking to the field, and the message
    on the field itself; the page still shows the organisation."""
    from playwright.sync_api import expect

    page.goto(mini_url + "/entities/ods:5AA")
    page.get_by_label("As at date").fill("2012-13-45")
    page.get_by_role("button", name="Show on this date").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(page.locator("#at-error")).to_contain_text("As at date must be a real date")
    expect(page.get_by_role("heading", level=1)).to_have_text("NHS Alpha")
    assert page.title().startswith("Error: ")
    shot(page, "31-date-error")
    summary.get_by_role("link").click()
    expect(page.get_by_label("As at date")).to_be_focused()


AXE_PAGES = ["/", "/entities/ods:5AA?at=2012-01-15", "/entities/ods:QX1/lineage",
             "/entities/ods:5AA/timeline", "/landscape?at=2012-06-01", "/rules",
             "/rules/CLUSTER-SINGLE-CEO", "/sources/src:test-registry", "/search?q=NHS",
             "/api/docs", "/conflicts", "/entities/ods:5AA?at=2012-13", "/entities/ods:NOPE",
             "/documents/src:md-minutes"]


def test_no_serious_accessibility_violation(browser, mini_url, store):
    """axe-core (vendored from npm by scripts/vendor-assets.sh) on the main pages: no
    violation of serious or critical impact."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run scripts/vendor-assets.sh")
    add_markdown_document(store)
    # the pages' Content-Security-Policy rightly refuses injected scripts: let axe in
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = ctx.new_page()
    found = {}
    for path in AXE_PAGES:
        page.goto(mini_url + path)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
        if violations:
            found[path] = violations
    ctx.close()
    assert found == {}
